"""The .ics export parses back, with stable UIDs and correct dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from icalendar import Calendar
from scheduler_helpers import PARIS, paris

from knowledge.models import Milestone, Precision
from scheduler.ics import milestone_ics, milestones_ics

UPDATED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _milestone(key: str, start: str, precision: Precision, **fields) -> Milestone:
    return Milestone(
        key=key,
        project="PCAET",
        title=f"Étape {key}",
        start=paris(start),
        precision=precision,
        created_at=UPDATED,
        updated_at=UPDATED,
        **fields,
    )


def _events(data: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_calendar_parses_back_with_stable_uids_and_dates():
    exact = _milestone("vote", "2027-03-15T10:00", Precision.EXACT, location="Vitry, salle A")
    day = _milestone("forum", "2027-04-04T09:00", Precision.DAY)
    month = _milestone("ateliers", "2027-06-01T09:00", Precision.MONTH)
    data = milestones_ics([exact, day, month], PARIS)
    calendar = Calendar.from_ical(data)
    assert calendar["version"] == "2.0" and "mandat-bot" in str(calendar["prodid"])
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = _events(data)
    assert set(events) == {
        f"milestone-{k}@mandat-bot.grand-orly" for k in ("vote", "forum", "ateliers")
    }

    vote = events["milestone-vote@mandat-bot.grand-orly"]
    start = vote.decoded("dtstart")
    assert vote["dtstart"].params["TZID"] == "Europe/Paris"
    assert start == datetime(2027, 3, 15, 10, 0, tzinfo=PARIS)
    assert start.utcoffset() == timedelta(hours=1)
    assert vote.decoded("dtend") - start == timedelta(hours=1)
    assert str(vote["location"]) == "Vitry, salle A"
    assert vote.decoded("dtstamp") == UPDATED
    assert "approximative" not in str(vote["summary"])

    forum = events["milestone-forum@mandat-bot.grand-orly"]
    assert forum.decoded("dtstart") == date(2027, 4, 4)
    assert forum["dtstart"].params.get("VALUE") == "DATE"
    assert forum.decoded("dtend") == date(2027, 4, 5)

    ateliers = events["milestone-ateliers@mandat-bot.grand-orly"]
    assert ateliers.decoded("dtstart") == date(2027, 6, 1)
    assert "(date approximative)" in str(ateliers["summary"])
    assert "date approximative" in str(ateliers["description"])


def test_reexport_keeps_the_uid_and_bumps_the_sequence():
    milestone = _milestone("vote", "2027-03-15T10:00", Precision.EXACT)
    before = _events(milestone_ics(milestone, PARIS))
    milestone.start = paris("2027-03-22T14:30")
    milestone.updated_at = UPDATED + timedelta(days=1)
    after = _events(milestone_ics(milestone, PARIS))
    assert before.keys() == after.keys()
    [old], [new] = before.values(), after.values()
    assert int(new["sequence"]) > int(old["sequence"])
    assert new.decoded("dtstart") == datetime(2027, 3, 22, 14, 30, tzinfo=PARIS)


def test_summer_time_event_and_escaping():
    milestone = _milestone(
        "ete",
        "2027-07-01T18:00",
        Precision.EXACT,
        approximate=True,
        description="Ordre du jour ; budget, PCAET",
    )
    [event] = _events(milestone_ics(milestone, PARIS)).values()
    assert event.decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert "(date approximative)" in str(event["summary"])
    assert "Ordre du jour ; budget, PCAET" in str(event["description"])


def test_empty_calendar_is_still_valid():
    calendar = Calendar.from_ical(milestones_ics([], PARIS))
    assert calendar.walk("VEVENT") == []
