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


def test_the_next_meeting_is_the_calendars_next_dates(db: Engine, tz: ZoneInfo) -> None:
    """A 'when' question with no subject ('la prochaine échéance ?') gets the next dates,
    soonest first, each with its project; after the last date, it says none is to come."""
    early = AnswerEngine(db, tz, clock=lambda: datetime(2021, 11, 20, tzinfo=UTC))
    text = early.ask("c'est quand la prochaine échéance ??").text()
    lines = [line for line in text.splitlines() if line.startswith("• ")]
    assert text.startswith("Prochains rendez-vous") and 1 <= len(lines) <= 5
    assert "2021" in lines[0] and "—" in lines[0]  # a date, then its project
    late = AnswerEngine(db, tz, clock=lambda: datetime(2030, 1, 15, tzinfo=UTC))
    text = late.ask("Quand se tient la prochaine réunion ?").text()
    assert text.startswith("Aucune date à venir n'est enregistrée") and "PLUi" in text
