"""The SQLite database and its companions are readable by their owner only, whatever the umask."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from knowledge.store import create_tables, make_engine


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The usual umask, and the most permissive one."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


def test_a_new_database_its_companions_and_its_folder_are_private(tmp_path: Path,
                                                                  umask: int) -> None:
    database = tmp_path / "data" / "mandat-bot.db"
    engine = make_engine(f"sqlite:///{database}")
    create_tables(engine)
    with engine.connect() as connection:  # open: the -wal and -shm files exist meanwhile
        connection.execute(text("SELECT count(*) FROM axis"))
        companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
        assert all(path.exists() for path in companions)
        assert [mode(path) for path in (database, *companions)] == [0o600] * 3
    engine.dispose()
    assert mode(database.parent) == 0o700


def test_an_existing_database_and_its_companions_are_tightened(tmp_path: Path) -> None:
    database = tmp_path / "srv" / "mandat-bot.db"
    previous = os.umask(0o022)
    try:  # as an earlier version left it: 0644, in WAL mode, another process connected
        database.parent.mkdir()
        other = sqlite3.connect(database)
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("CREATE TABLE t (x)")
        other.commit()
    finally:
        os.umask(previous)
    companions = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
    assert [mode(path) for path in (database, *companions)] == [0o644] * 3
    engine = make_engine(f"sqlite:///{database}")
    assert [mode(path) for path in (database, *companions)] == [0o600] * 3
    with engine.connect() as connection:  # the database is still usable
        assert connection.execute(text("SELECT count(*) FROM t")).scalar() == 0
    engine.dispose()
    other.close()
    assert mode(database.parent) == 0o755  # a folder the bot did not create keeps its mode
