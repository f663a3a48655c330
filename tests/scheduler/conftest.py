"""Fixtures of the scheduler tests (helpers live in scheduler_helpers.py)."""

from __future__ import annotations

import pytest
from scheduler_helpers import FakeClock, FakeNotifier, paris
from sqlalchemy.engine import Engine


@pytest.fixture
def db(empty_db: Engine) -> Engine:
    """An empty database (overrides the seeded one): each test adds what it needs."""
    return empty_db


@pytest.fixture
def notifier() -> FakeNotifier:
    return FakeNotifier()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(paris("2027-03-01T08:00"))
