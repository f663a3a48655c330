"""Shared fixtures: a real seeded SQLite file database and the answer engine over it.

Seeding takes a few hundred milliseconds, so it is done once per session into a template
file; every test that asks for `db` gets its own copy of that file (tests stay isolated
and may write freely). Read-only tests that ask many questions can use `shared_engine`,
built once per session over a separate read-only copy.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from knowledge.engine import AnswerEngine
from knowledge.seed import ensure_seeded
from knowledge.store import make_engine

TIMEZONE = "Europe/Paris"


@pytest.fixture(scope="session")
def tz() -> ZoneInfo:
    return ZoneInfo(TIMEZONE)


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def seeded_db_file(tmp_path_factory: pytest.TempPathFactory, tz: ZoneInfo) -> Path:
    """A seeded database file, made once: copy it, never open it for writing."""
    path = tmp_path_factory.mktemp("seeded") / "template.db"
    engine = make_engine(_sqlite_url(path))
    assert ensure_seeded(engine, tz) is True
    with engine.connect() as connection:  # fold the WAL into the main file before copying
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()
    return path


def _copy_db(template: Path, target: Path) -> Engine:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    return make_engine(_sqlite_url(target))


@pytest.fixture
def db(seeded_db_file: Path, tmp_path: Path) -> Iterator[Engine]:
    """A seeded SQLite file database of this test's own (tmp_path/kb.db)."""
    engine = _copy_db(seeded_db_file, tmp_path / "kb.db")
    yield engine
    engine.dispose()


@pytest.fixture
def engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    """The answer engine over this test's database (call `reload()` after changing data)."""
    return AnswerEngine(db, tz)


@pytest.fixture(scope="session")
def shared_db(
    seeded_db_file: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A seeded database shared by the whole session: for read-only tests only."""
    engine = _copy_db(seeded_db_file, tmp_path_factory.mktemp("shared") / "kb.db")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def shared_engine(shared_db: Engine, tz: ZoneInfo) -> AnswerEngine:
    """One answer engine for the session (read-only tests: do not change its data)."""
    return AnswerEngine(shared_db, tz)
