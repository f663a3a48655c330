"""Reminders at the right Paris time, across DST changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from scheduler_helpers import DAY, HOUR, PARIS, add_milestone, add_subscriber, make_service, paris

from scheduler.reminders import due_time, last_digest_instant


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_one_day_before_across_the_spring_change():
    # 29 March 2027 10:00 CEST = 08:00 UTC; the clocks moved forward on 28 March at 01:00 UTC.
    assert due_time(paris("2027-03-29T10:00"), DAY, PARIS) == utc("2027-03-28T08:00")


def test_one_week_before_keeps_the_wall_clock_time_in_spring():
    # 30 March 10:00 CEST → 23 March 10:00 CET (09:00 UTC), not 168 h earlier (09:00 CET).
    due = due_time(paris("2027-03-30T10:00"), 7 * DAY, PARIS)
    assert due == utc("2027-03-23T09:00")
    assert due.astimezone(PARIS).hour == 10


def test_autumn_change():
    # 3 November 10:00 CET (09:00 UTC) → 27 October 10:00 CEST = 08:00 UTC.
    assert due_time(paris("2027-11-03T10:00"), 7 * DAY, PARIS) == utc("2027-10-27T08:00")
    # 1 November 10:00 CET → 31 October (the change day) 10:00 CET = 09:00 UTC.
    assert due_time(paris("2027-11-01T10:00"), DAY, PARIS) == utc("2027-10-31T09:00")


def test_hours_are_elapsed_time():
    # 2 hours before 28 March 03:30 CEST (01:30 UTC) is 23:30 UTC the day before.
    assert due_time(paris("2027-03-28T03:30"), 2 * HOUR, PARIS) == utc("2027-03-27T23:30")


def test_digest_instant_is_monday_half_past_eight_local():
    monday = paris("2027-03-29T08:30")  # first Monday of summer time: 06:30 UTC
    assert monday == utc("2027-03-29T06:30")
    assert last_digest_instant(monday, PARIS) == monday
    assert last_digest_instant(monday + timedelta(days=3), PARIS) == monday
    before = monday - timedelta(minutes=1)
    assert last_digest_instant(before, PARIS) == paris("2027-03-22T08:30")
    assert paris("2027-03-22T08:30") == utc("2027-03-22T07:30")  # still winter time


async def test_reminder_sent_at_ten_paris_time_after_the_switch(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-29T10:00", title="Conseil territorial")
    add_subscriber(db, 1, offsets=[DAY])
    service = make_service(db, notifier, clock)

    clock.now = utc("2027-03-28T07:59:59")  # 09:59:59 CEST
    await service.run_due()
    assert notifier.delivered == []

    clock.now = utc("2027-03-28T08:00")  # 10:00 CEST
    stats = await service.run_due()
    assert stats.sent == 1
    assert notifier.chats() == [1]
    assert "demain" in notifier.texts(1)[0]
    assert "lundi 29 mars 2027 à 10 h" in notifier.texts(1)[0]


async def test_autumn_reminder_at_ten_local(db, notifier, clock):
    add_milestone(db, "bureau", "2027-11-03T10:00", title="Bureau")
    add_subscriber(db, 1, offsets=[7 * DAY])
    service = make_service(db, notifier, clock)
    clock.now = utc("2027-10-27T07:59")
    await service.run_due()
    assert notifier.delivered == []
    clock.now = utc("2027-10-27T08:00")  # 10:00 CEST, a week before 10:00 CET
    await service.run_due()
    assert notifier.chats() == [1]
    assert "dans 7 jours" in notifier.texts(1)[0]
