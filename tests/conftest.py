"""Shared fixtures: a real seeded database and the answer engine over it.

The database is a SQLite file by default. With `TEST_DATABASE_URL` set to a PostgreSQL
server (`postgresql+psycopg://user@host:port/db`, as `.ci/postgres.sh start` prints), every
test database is a PostgreSQL database of that server instead: same fixtures, same tests.

Seeding takes a few hundred milliseconds, so it is done once per session into a template;
every test that asks for `db` gets its own copy (a file copy on SQLite, `CREATE DATABASE …
TEMPLATE` on PostgreSQL), so tests stay isolated and may write freely. Read-only tests that
ask many questions can use `shared_engine`, built once per session over a separate copy.

Every test that gets a database through `databases` (`db`, `empty_db`, `new_database_url`,
`bot_env`, ...) is marked `pg` at collection: only those depend on `TEST_DATABASE_URL`, so
`make test` runs just them again on PostgreSQL (`-m pg`). Database names carry the process
id, so parallel workers (pytest-xdist) never share one, templates included: each worker
builds its own.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from knowledge.engine import AnswerEngine
from knowledge.seed import ensure_seeded
from knowledge.store import create_tables, make_engine

TIMEZONE = "Europe/Paris"
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.hookimpl(tryfirst=True)  # before `-m pg` deselects
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark `pg` the tests whose database comes from `databases` (directly or not)."""
    for item in items:
        if "databases" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.pg)


def pytest_report_header() -> str:
    server = make_url(TEST_DATABASE_URL) if TEST_DATABASE_URL else None
    where = server.render_as_string(hide_password=True) if server else "SQLite files"
    return f"test databases: {where}"


class Databases:
    """Creates the tests' databases: templates built once, then cheap copies per test."""

    def __init__(self, folder: Path, server_url: str = "") -> None:
        self.folder = folder
        self.server = make_url(server_url) if server_url else None
        self._numbers = itertools.count()
        self._admin: Engine | None = None
        self._templates: list[str] = []
        if self.server is not None:
            self._admin = create_engine(self.server, isolation_level="AUTOCOMMIT")

    @property
    def is_postgres(self) -> bool:
        return self.server is not None

    def template(self, name: str, build: Callable[[str], None]) -> str:
        """The URL of a database built once by `build(url)`: copy it, never write to it."""
        url = self.new(f"template_{name}")
        self._templates.append(url)
        build(url)
        if not self.is_postgres:  # fold the WAL into the main file before copying it
            engine = make_engine(url)
            with engine.connect() as connection:
                connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            engine.dispose()
        return url

    def copy(self, template_url: str) -> str:
        """A new database holding what the template holds."""
        if self.is_postgres:
            name = self._name("test")
            template = make_url(template_url).database
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
            return self._url(name)
        url = self.new("test")
        shutil.copyfile(make_url(template_url).database, make_url(url).database)
        return url

    def drop(self, url: str) -> None:
        """Remove a database made here (its engines must be disposed of)."""
        if self.is_postgres:
            self._execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def close(self) -> None:
        if self._admin is not None:
            for url in self._templates:
                self.drop(url)
            self._admin.dispose()

    def new(self, prefix: str = "new") -> str:
        """A new database without any table."""
        name = self._name(prefix)
        if self.is_postgres:
            self._execute(f'CREATE DATABASE "{name}"')
            return self._url(name)
        return f"sqlite:///{self.folder / name}.db"

    def _name(self, prefix: str) -> str:
        return f"{prefix}_{os.getpid()}_{next(self._numbers)}"

    def _url(self, name: str) -> str:
        assert self.server is not None
        return self.server.set(database=name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        assert self._admin is not None
        with self._admin.connect() as connection:
            connection.execute(text(statement))


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Databases]:
    found = Databases(tmp_path_factory.mktemp("databases"), TEST_DATABASE_URL)
    yield found
    found.close()


@pytest.fixture(scope="session")
def tz() -> ZoneInfo:
    return ZoneInfo(TIMEZONE)


@pytest.fixture(scope="session")
def seeded_template(databases: Databases, tz: ZoneInfo) -> str:
    """The URL of a seeded database, made once: copy it, never open it for writing."""

    def build(url: str) -> None:
        engine = make_engine(url)
        assert ensure_seeded(engine, tz) is True
        engine.dispose()

    return databases.template("seeded", build)


@pytest.fixture(scope="session")
def empty_template(databases: Databases) -> str:
    """The URL of a database with the tables and no rows."""

    def build(url: str) -> None:
        engine = make_engine(url)
        create_tables(engine)
        engine.dispose()

    return databases.template("empty", build)


def _engine_over_copy(databases: Databases, template: str) -> Iterator[Engine]:
    url = databases.copy(template)
    engine = make_engine(url)
    yield engine
    engine.dispose()
    databases.drop(url)


@pytest.fixture
def db(databases: Databases, seeded_template: str) -> Iterator[Engine]:
    """A seeded database of this test's own."""
    yield from _engine_over_copy(databases, seeded_template)


@pytest.fixture
def empty_db(databases: Databases, empty_template: str) -> Iterator[Engine]:
    """A database of this test's own with the tables and no rows."""
    yield from _engine_over_copy(databases, empty_template)


@pytest.fixture
def new_database_url(databases: Databases) -> Iterator[str]:
    """The URL of a new database of this test's own, without any table."""
    url = databases.new()
    yield url
    databases.drop(url)


@pytest.fixture
def engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    """The answer engine over this test's database (call `reload()` after changing data)."""
    return AnswerEngine(db, tz)


@pytest.fixture(scope="session")
def shared_db(databases: Databases, seeded_template: str) -> Iterator[Engine]:
    """A seeded database shared by the whole session: for read-only tests only."""
    yield from _engine_over_copy(databases, seeded_template)


@pytest.fixture(scope="session")
def shared_engine(shared_db: Engine, tz: ZoneInfo) -> AnswerEngine:
    """One answer engine for the session (read-only tests: do not change its data)."""
    return AnswerEngine(shared_db, tz)
