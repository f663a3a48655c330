"""The schema's version: Alembic migrations (knowledge/migrations) own the schema.

`upgrade` brings a database to the code's schema; `check` says whether a database is behind
(the bot refuses to start on it); `differences` compares the models with the migrations.
A database made before Alembic (by `create_all`, mandat-bot before migrations) holds
exactly the BASELINE revision's schema: `upgrade` stamps it so, then goes on from there.

Two processes may upgrade at once (two replicas started with `run --migrate`): each upgrade
first takes a lock (PostgreSQL: an advisory lock held until its transaction ends; SQLite:
an exclusive transaction), so the second one waits, then finds the schema at head and does
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel

BASELINE = "0001"  # the schema of the databases made by create_all, before Alembic
PRE_ALEMBIC_TABLE = "axis"  # present in every database mandat-bot ever made
MIGRATION_LOCK = 0x6D616E64  # "mand": the advisory lock key of schema changes (PostgreSQL)


class DatabaseProblem(RuntimeError):
    """The database cannot be used as it is (French message, for operators)."""


class SchemaBehind(DatabaseProblem):
    """The database's schema is older than the code's."""


@contextmanager
def _reachable() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise DatabaseProblem(f"base de données injoignable ({reason}).") from exc


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "knowledge:migrations")
    config.attributes["connection"] = connection
    return config


@cache
def head() -> str:
    """The code's schema revision."""
    revision = ScriptDirectory.from_config(_config()).get_current_head()
    assert revision is not None, "no migration found in knowledge/migrations"
    return revision


def current(engine: Engine) -> str | None:
    """The database's schema revision (BASELINE for a database made before Alembic)."""
    with _reachable(), engine.connect() as connection:
        revision = MigrationContext.configure(connection).get_current_revision()
        if revision is None and _made_before_alembic(connection):
            return BASELINE
        return revision


def check(engine: Engine) -> None:
    """Raise SchemaBehind unless the database is at the code's revision."""
    found, wanted = current(engine), head()
    if found != wanted:
        state = "vide" if found is None else f"révision {found}"
        raise SchemaBehind(
            f"la base de données n'est pas à jour ({state}, le code attend la révision "
            f"{wanted}) : lancez « mandat-bot migrate »."
        )


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database (one transaction where the database allows); (before, after).
    Concurrent upgrades run one after the other (see the module's docstring)."""
    with _migrating(engine) as connection:
        config = _config(connection)
        before = MigrationContext.configure(connection).get_current_revision()
        if before is None and _made_before_alembic(connection):
            before = BASELINE
            command.stamp(config, BASELINE)
        command.upgrade(config, revision)
    return before, current(engine) or ""


@contextmanager
def _migrating(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction holding the right to change the schema.

    SQLite alters a table by copying it, dropping it and renaming the copy, which foreign
    keys forbid when other tables reference it: they are off during the migration (the
    pragma cannot change inside a transaction) and checked before it commits.
    """
    with _reachable():
        connection = engine.connect()
    with connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                _lock_schema(connection)
                yield connection
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseProblem("la migration laisserait des références orphelines")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _lock_schema(connection: Connection) -> None:
    """Wait for, then hold until the transaction ends, the right to change the schema."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    elif connection.dialect.name == "sqlite":  # the driver has not begun the transaction yet
        connection.exec_driver_sql("BEGIN EXCLUSIVE")


def downgrade(engine: Engine, revision: str) -> None:
    with _migrating(engine) as connection:
        command.downgrade(_config(connection), revision)


def differences(engine: Engine) -> list[Any]:
    """What the models declare and the database (at head) lacks or has more: [] when equal."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": compare_type})
        return compare_metadata(context, SQLModel.metadata)


def compare_type(context: Any, inspected_column: Any, metadata_column: Any,
                 inspected_type: Any, metadata_type: Any) -> bool | None:
    """Alembic's type comparison, plus string lengths (it leaves out SQLModel's AutoString
    lengths, so a limit added to a model went unnoticed)."""
    wanted = getattr(metadata_type, "length", None)
    if wanted is not None and getattr(inspected_type, "length", None) != wanted:
        return True
    return None  # Alembic's default comparison decides


def _made_before_alembic(connection: Connection) -> bool:
    tables = inspect(connection).get_table_names()
    return PRE_ALEMBIC_TABLE in tables and "alembic_version" not in tables
