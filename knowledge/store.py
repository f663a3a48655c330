"""Database access: engine creation and the small data-access functions (all take a Session).

Async code (the bot's handlers, the reminder jobs) never calls the database on the event
loop: it hands the work to `in_session` (reads) or `in_transaction` (writes), which run it
in a worker thread (`asyncio.to_thread`), so a slow query or a lock held by another process
stalls only the update that needs it. Threads rather than SQLAlchemy's asyncio engine: the
store is sync SQLModel code shared with the CLI, the seed and the tests, and keeps one code
path; the loop's thread pool (the bot sizes it to the connection pool: bot/app.py) bounds
how many wait at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import event, insert, update
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine, select

from knowledge import models
from knowledge.models import UnansweredQuestion, utcnow
from knowledge.text import storable

DEFAULT_DATABASE_URL = "sqlite:///data/mandat-bot.db"
SQLITE_TIMEOUT = 30.0  # seconds a SQLite connection waits for another one's lock
PRIVATE_FILE, PRIVATE_FOLDER = 0o600, 0o700  # the owner only: officials' ids, questions
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")  # SQLite creates them with the file's mode
T = TypeVar("T")
logger = logging.getLogger(__name__)


def make_engine(url: str = DEFAULT_DATABASE_URL) -> Engine:
    """An engine for `url`; a SQLite file gets its folder created (0700), the file created
    or tightened to 0600 before SQLite opens it, WAL and foreign keys."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        _private_sqlite_file(Path(parsed.database))
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": SQLITE_TIMEOUT} if is_sqlite
        else {}
    )
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def private_file(path: Path) -> None:
    """Make `path` readable by its owner only (0600): created with that mode when missing,
    so never readable by others, whatever the umask (it can only take rights away); an
    existing file loses its group and other rights."""
    os.close(os.open(path, os.O_RDONLY | os.O_CREAT, PRIVATE_FILE))
    _restrict(path)


def _private_sqlite_file(path: Path) -> None:
    path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:  # left by an earlier version, created 0644
        _restrict(path.with_name(path.name + suffix))


def _restrict(path: Path) -> None:
    try:
        if stat.S_IMODE(path.stat().st_mode) & ~PRIVATE_FILE:
            path.chmod(PRIVATE_FILE)
    except FileNotFoundError:  # a companion file SQLite does not have (any more)
        pass
    except PermissionError:  # another user's file: say so, the database still works
        logger.warning("cannot make %s readable by its owner only (not ours)", path)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # noqa: ANN001 - DBAPI objects
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    _set_wal(cursor)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _set_wal(cursor: sqlite3.Cursor, patience: float = SQLITE_TIMEOUT) -> None:
    """Switch a new database file to WAL. SQLite answers "database is locked" at once,
    without waiting, while another connection holds a lock on a file not yet in WAL (two
    processes creating the database together): try again until `patience` runs out."""
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def create_tables(engine: Engine) -> None:
    """Bring the schema to the code's revision (Alembic migrations own it: knowledge/migrate)."""
    from knowledge import migrate

    migrate.upgrade(engine)


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed at the end, or entirely rolled back on error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


async def in_session(engine: Engine, work: Callable[[Session], T]) -> T:
    """`work(session)` in a worker thread, on a session of its own (reads)."""

    def run() -> T:
        with Session(engine) as session:
            return work(session)

    return await asyncio.to_thread(run)


async def in_transaction(engine: Engine, work: Callable[[Session], T]) -> T:
    """`work(session)` in a worker thread, in one transaction (committed, or rolled back
    on error); the objects it returns stay readable."""

    def run() -> T:
        with transaction(engine) as session:
            return work(session)

    return await asyncio.to_thread(run)


def knowledge_version(session: Session) -> tuple:
    """A cheap fingerprint of the knowledge tables: changes whenever an entry does."""
    from sqlalchemy import func

    parts: list = []
    for model in (*models.KNOWLEDGE_MODELS.values(), models.Synonym):
        count, latest = session.exec(
            select(func.count(), func.max(model.updated_at))  # type: ignore[arg-type]
        ).one()
        parts.append((count, latest))
    parts.append(session.exec(select(func.count(), func.max(models.Document.id))).one())
    return tuple(parts)


_REVISION = models.KnowledgeRevision.__table__


def mark_knowledge_changed(session: Session) -> None:
    """Bump the knowledge revision, in the transaction of the change: committed with it, so
    a replica polling `knowledge_revision` never sees the bump before the change. The row
    lock also orders concurrent changes, which a max(id) over the audit trail would not
    (a lower id may commit after a higher one is seen)."""
    bumped = session.connection().execute(
        update(_REVISION).where(_REVISION.c.id == 1).values(revision=_REVISION.c.revision + 1))
    if bumped.rowcount == 0:  # the migration inserts the row; a hand-made database may lack it
        session.connection().execute(insert(_REVISION).values(id=1, revision=1))


def knowledge_revision(session: Session) -> int:
    """The knowledge revision: moves with every committed knowledge change (one row read)."""
    found = session.connection().execute(
        select(_REVISION.c.revision).where(_REVISION.c.id == 1)).scalar()
    return found or 0


def log_unanswered(
    session: Session, text: str, normalized: str, score: float, kind: str = "unknown"
) -> None:
    """Count a question the engine could not answer confidently (for the admins)."""
    text, normalized = storable(text), storable(normalized)
    key = normalized[:500] or text[:500]
    row = session.exec(
        select(UnansweredQuestion).where(UnansweredQuestion.normalized == key)
    ).first()
    now = utcnow()
    if row is None:
        row = UnansweredQuestion(normalized=key, text=text[:500], best_score=score, kind=kind)
    else:
        row.count += 1
        row.last_asked = now
        row.best_score = max(row.best_score, score)
        row.resolved = False
    session.add(row)


def frequent_unanswered(session: Session, limit: int = 10) -> list[UnansweredQuestion]:
    stmt = (
        select(UnansweredQuestion)
        .where(UnansweredQuestion.resolved == False)  # noqa: E712 - SQL expression
        .order_by(UnansweredQuestion.count.desc(), UnansweredQuestion.last_asked.desc())  # type: ignore[attr-defined]
        .limit(limit)
    )
    return list(session.exec(stmt))


def upcoming_milestones(
    session: Session, after: datetime, limit: int | None = None
) -> list[models.Milestone]:
    stmt = (
        select(models.Milestone)
        .where(models.Milestone.start >= after)
        .order_by(models.Milestone.start)  # type: ignore[arg-type]
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(session.exec(stmt))
