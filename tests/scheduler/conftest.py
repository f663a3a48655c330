"""Fixtures of the scheduler tests (helpers live in scheduler_helpers.py)."""

from __future__ import annotations

import pytest
from scheduler_helpers import FakeClock, FakeNotifier, paris
from sqlalchemy.engine import Engine

from knowledge.store import create_tables, make_engine


@pytest.fixture
def db(tmp_path) -> Engine:
    """An empty database (overrides the seeded one): each test adds what it needs."""
    engine = make_engine(f"sqlite:///{tmp_path}/t.db")
    create_tables(engine)
    return engine


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(paris("2027-03-01T08:00"))
