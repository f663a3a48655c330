"""The engine reads the time from the clock it is given, never from the system directly."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from knowledge.engine import AnswerEngine


def test_the_current_year_is_the_clock_year(db: Engine, tz: ZoneInfo) -> None:
    assert AnswerEngine(db, tz).now().year == datetime.now(UTC).year
    fixed = AnswerEngine(db, tz, clock=lambda: datetime(2031, 5, 4, tzinfo=UTC))
    assert fixed.now().year == 2031


def test_past_steps_are_marked_from_the_clock(db: Engine, tz: ZoneInfo) -> None:
    early = AnswerEngine(db, tz, clock=lambda: datetime(2021, 1, 15, tzinfo=UTC))
    late = AnswerEngine(db, tz, clock=lambda: datetime(2030, 1, 15, tzinfo=UTC))
    question = "calendrier du plan climat PCAET"
    assert "passé" not in early.ask(question).text()
    assert "passé" in late.ask(question).text()
