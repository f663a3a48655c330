"""Notices of moved or cancelled milestones: debounced bursts, once, restarts, errors.

The real AsyncIOScheduler runs the jobs; the service's clock is controlled. A pending job is
brought forward (`modify(next_run_time=now)`) instead of waiting a real minute.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest_asyncio
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from icalendar import Calendar
from scheduler_helpers import (
    PARIS,
    FakeClock,
    FakeNotifier,
    add_milestone,
    add_subscriber,
    deliveries,
    make_service,
    paused_scheduler,
)
from sqlmodel import Session

from knowledge import admin_store as store
from knowledge.models import Milestone, Subscriber, utcnow
from knowledge.seed import parse_start
from knowledge.store import transaction
from scheduler import ics, notices
from scheduler.notifier import Blocked, RetryLater, TransientError
from scheduler.service import ReminderService

MILESTONE = store.ENTITIES["jalon"]
ADMIN = 7


@pytest_asyncio.fixture
async def scheduler() -> AsyncIterator[AsyncIOScheduler]:
    running = AsyncIOScheduler(timezone=PARIS)
    running.start()
    yield running
    running.shutdown(wait=False)


def edit(db, service: ReminderService, milestone_id: int, **raw: str) -> None:
    """An admin's /modifier, then what the bot does after every change."""
    with transaction(db) as session:
        store.update_entry(session, MILESTONE, milestone_id, raw, ADMIN, PARIS)
    service.reschedule_all()


def delete(db, service: ReminderService, milestone_id: int) -> None:
    with transaction(db) as session:
        store.delete_entry(session, MILESTONE, milestone_id, ADMIN)
    service.reschedule_all()


async def run_by_hand(service: ReminderService, milestone_id: int) -> int:
    """What the paused scheduler would run: the pending job (then gone); messages sent."""
    job = service.notices.pending(milestone_id)
    assert job is not None
    job.remove()
    return (await service.notices.send(**job.kwargs)).sent


async def fire(service: ReminderService, milestone_id: int, notifier: FakeNotifier,
               calls: int) -> None:
    """Run the pending job now, through the scheduler, and wait for `calls` sends in all."""
    job = service.notices.pending(milestone_id)
    assert job is not None
    job.modify(next_run_time=datetime.now(UTC))
    await notifier.wait_for_calls(calls)


def exported_an_hour_ago(db, milestone_id: int) -> bytes:
    """The .ics a subscriber took an hour ago (the version their calendar holds)."""
    with transaction(db) as session:
        milestone = session.get(Milestone, milestone_id)
        milestone.updated_at = utcnow() - timedelta(hours=1)
        session.add(milestone)
        session.flush()
        return ics.milestone_ics(milestone, PARIS)


def calendar_of(notifier: FakeNotifier, chat: int) -> Calendar:
    return Calendar.from_ical(notifier.attachments[chat][-1].data)


async def test_a_burst_of_edits_makes_one_notice_to_followers_only(db, notifier, clock,
                                                                   scheduler):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", project="Conseil",
                                 title="Conseil territorial", location="Salle A")
    add_subscriber(db, 1)  # everything
    add_subscriber(db, 2, "conseil")  # the project
    add_subscriber(db, 3, "voirie")  # something else
    original = exported_an_hour_ago(db, milestone_id)
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        for day in ("20/03/2027", "21/03/2027", "22/03/2027"):  # three edits in 20 s
            edit(db, service, milestone_id, date=day)
            clock.now += timedelta(seconds=10)
        job = service.notices.pending(milestone_id)
        assert [j.id for j in scheduler.get_jobs() if j.id.startswith("notice-")] == [job.id]
        assert job.trigger.run_date == clock.now - timedelta(seconds=10) + timedelta(minutes=1)
        await fire(service, milestone_id, notifier, 2)
    finally:
        service.shutdown()
    assert sorted(notifier.chats()) == [1, 2]
    text = notifier.texts(1)[0]
    assert text.startswith(
        "⚠️ Reporté : Conseil territorial du 15 mars → 22 mars à 10 h (lieu inchangé)")
    assert "Ce qui change : la date." in text
    before, after = Calendar.from_ical(original), calendar_of(notifier, 1)
    [old], [new] = before.walk("VEVENT"), after.walk("VEVENT")
    assert new["UID"] == old["UID"]
    assert new["SEQUENCE"] > old["SEQUENCE"]
    assert new.decoded("DTSTART") == datetime(2027, 3, 22, 10, tzinfo=PARIS)


async def test_no_net_change_sends_nothing_and_a_notice_goes_once(db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    add_subscriber(db, 1)
    scheduler = AsyncIOScheduler(timezone=PARIS)
    scheduler.start(paused=True)  # jobs are run by hand with their own arguments
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, heure="11h")
        edit(db, service, milestone_id, heure="10h", description="Ordre du jour publié")
        assert await run_by_hand(service, milestone_id) == 0  # back where it was
        edit(db, service, milestone_id, heure="14h30", lieu="Salle B")
        job = service.notices.pending(milestone_id)
        assert await run_by_hand(service, milestone_id) == 1
        assert (await service.notices.send(**job.kwargs)).sent == 0  # claimed: never twice
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    [text] = notifier.texts(1)
    assert text.startswith("⚠️ Reporté : conseil le 15 mars : 10 h → 14 h 30 ; "
                           "nouveau lieu : Salle B (au lieu de : Salle A)")
    assert "Ce qui change : l'heure, le lieu." in text


async def test_a_cancellation_is_told_with_a_cancelling_calendar(db, notifier, clock,
                                                                 scheduler):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    add_subscriber(db, 1)
    original = exported_an_hour_ago(db, milestone_id)
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        delete(db, service, milestone_id)
        await fire(service, milestone_id, notifier, 1)
    finally:
        service.shutdown()
    assert notifier.texts(1)[0].startswith("⚠️ Annulé : conseil du 15 mars à 10 h, Salle A")
    calendar = calendar_of(notifier, 1)
    [old], [event] = Calendar.from_ical(original).walk("VEVENT"), calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["UID"] == old["UID"] and event["SEQUENCE"] > old["SEQUENCE"]


def undo(db, service: ReminderService) -> None:
    """An admin's /annuler, then what the bot does after every change."""
    with transaction(db) as session:
        store.undo_last(session, ADMIN, PARIS)
    service.reschedule_all()


def quiet_minute_passed(db, milestone_id: int) -> None:
    """The milestone's latest edit is a minute old: its notice is due, as it would be."""
    with transaction(db) as session:
        edit = notices.latest_edit(session, milestone_id)
        edit.at -= timedelta(minutes=1)
        session.add(edit)


async def test_a_told_cancellation_undone_is_told_with_a_restoring_calendar(db, notifier,
                                                                            clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    add_subscriber(db, 1)
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        delete(db, service, milestone_id)
        quiet_minute_passed(db, milestone_id)
        assert await run_by_hand(service, milestone_id) == 1
        undo(db, service)
        assert await run_by_hand(service, milestone_id) == 1
        service.reschedule_all()
        assert service.notices.pending(milestone_id) is None  # told once
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    cancelled, restored = notifier.texts(1)
    assert cancelled.startswith("⚠️ Annulé : conseil du 15 mars")
    assert restored.startswith("✅ Rétabli : conseil du 15 mars à 10 h, Salle A"), restored
    [gone], [back] = (calendar_of_attachment(a).walk("VEVENT")
                      for a in notifier.attachments[1])
    assert back["UID"] == gone["UID"] and back["SEQUENCE"] > gone["SEQUENCE"]
    assert calendar_of(notifier, 1)["METHOD"] == "PUBLISH"


async def test_a_cancellation_undone_before_it_was_told_is_never_told(db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    add_subscriber(db, 1)
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        delete(db, service, milestone_id)
        undo(db, service)  # within the minute: one burst, no net change
        assert await run_by_hand(service, milestone_id) == 0
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert notifier.texts(1) == []


def calendar_of_attachment(attachment) -> Calendar:
    return Calendar.from_ical(attachment.data)


async def test_past_milestones_are_told_only_when_moved_into_the_future(db, notifier, clock):
    past = add_milestone(db, "bilan", "2027-01-31T10:00")
    add_subscriber(db, 1)
    scheduler = AsyncIOScheduler(timezone=PARIS)
    scheduler.start(paused=True)
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, past, date="01/02/2027")
        assert await run_by_hand(service, past) == 0
        edit(db, service, past, date="10/03/2027")
        assert await run_by_hand(service, past) == 1
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert notifier.texts(1)[0].startswith("⚠️ Reporté : bilan du 1er février → 10 mars à 10 h")


async def test_blocked_and_flood_controlled_chats_do_not_stop_the_notice(db, notifier, clock,
                                                                         scheduler):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    for chat in (1, 2, 3):
        add_subscriber(db, chat)
    notifier.always[1] = Blocked("bot was blocked by the user")
    notifier.script[2] = [RetryLater(0.01)]
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, date="16/03/2027")
        await fire(service, milestone_id, notifier, 4)
    finally:
        service.shutdown()
    assert sorted(notifier.chats()) == [2, 3]
    with Session(db) as session:
        assert session.get(Subscriber, 1).active is False


async def test_a_notice_pending_at_a_stop_is_sent_after_the_restart(db, notifier):
    clock = FakeClock(utcnow())  # the audit trail is stamped with the real time
    start = (utcnow() + timedelta(days=10)).astimezone(PARIS).strftime("%Y-%m-%dT10:00")
    milestone_id = add_milestone(db, "conseil", start)
    add_subscriber(db, 1)
    scheduler = AsyncIOScheduler(timezone=PARIS)
    scheduler.start(paused=True)
    first = make_service(db, notifier, clock, scheduler=scheduler)
    first.start()
    edit(db, first, milestone_id, heure="15h")
    first.shutdown()  # stopped within the minute: the job is gone with the process
    assert first.notices.pending(milestone_id) is None
    scheduler.shutdown(wait=False)

    running = AsyncIOScheduler(timezone=PARIS)
    running.start()
    second = make_service(db, notifier, clock, scheduler=running)
    try:
        second.start()  # finds the untold edit in the audit trail
        assert await run_by_hand(second, milestone_id) == 1  # sent and settled
        second.shutdown()
        third = make_service(db, notifier, clock, scheduler=running)
        third.start()  # told already: nothing planned again
        assert third.notices.pending(milestone_id) is None
        third.shutdown()
    finally:
        running.shutdown(wait=False)
    assert "10 h → 15 h" in notifier.texts(1)[0]


async def test_a_failed_notice_is_sent_again_to_the_followers_it_missed_only(db, notifier,
                                                                              clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    for chat in (1, 2):
        add_subscriber(db, chat)
    notifier.always[2] = TransientError("réseau coupé")  # outlasts the deliverer's retries
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, lieu="Salle des fêtes")
        assert await run_by_hand(service, milestone_id) == 1
        assert service.notices.pending(milestone_id) is None

        del notifier.always[2]  # the network is back: the next sweep tries again
        add_subscriber(db, 3)  # began following after the notice: knows the new place
        service.notices.retry_failed()
        assert await run_by_hand(service, milestone_id) == 1
        service.notices.retry_failed()
        assert service.notices.pending(milestone_id) is None  # nothing left to try
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert [len(notifier.texts(chat)) for chat in (1, 2, 3)] == [1, 1, 0]
    assert "Salle des fêtes" in notifier.texts(2)[0]


async def test_a_failed_notice_is_not_retried_once_the_milestone_changed_again(db, notifier,
                                                                                clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    add_subscriber(db, 1)
    notifier.always[1] = TransientError("réseau coupé")
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, lieu="Salle des fêtes")
        assert await run_by_hand(service, milestone_id) == 0
        del notifier.always[1]
        edit(db, service, milestone_id, heure="15h")  # a newer notice tells the net change
        assert await run_by_hand(service, milestone_id) == 1
        service.notices.retry_failed()
        assert service.notices.pending(milestone_id) is None
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    [told] = notifier.texts(1)  # one message: the newer notice, not the stale one too
    assert "15 h" in told


async def test_a_follower_who_missed_a_notice_is_told_everything_since_the_last_they_got(
        db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    for chat in (1, 2):
        add_subscriber(db, chat)
    notifier.always[2] = TransientError("réseau coupé")  # outlasts the deliverer's retries
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, date="20/03/2027")
        assert await run_by_hand(service, milestone_id) == 1  # chat 2 missed it
        del notifier.always[2]
        add_subscriber(db, 3)  # began following after the first move
        edit(db, service, milestone_id, date="22/03/2027", lieu="Salle B")
        assert await run_by_hand(service, milestone_id) == 3
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    first, second = notifier.texts(1)
    assert first.startswith("⚠️ Reporté : conseil du 15 mars → 20 mars à 10 h")
    assert second.startswith("⚠️ Reporté : conseil du 20 mars → 22 mars à 10 h ; "
                             "nouveau lieu : Salle B (au lieu de : Salle A)")
    [missed] = notifier.texts(2)  # from the date they know, not from one they never heard of
    assert missed.startswith("⚠️ Reporté : conseil du 15 mars → 22 mars à 10 h ; "
                             "nouveau lieu : Salle B (au lieu de : Salle A)")
    assert notifier.texts(3) == [second]  # knew the 20th when they began following


async def test_a_missed_notice_is_told_with_the_next_edit_even_one_with_nothing_to_tell(
        db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    for chat in (1, 2):
        add_subscriber(db, chat)
    notifier.always[2] = TransientError("réseau coupé")
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, heure="15h")
        assert await run_by_hand(service, milestone_id) == 1
        del notifier.always[2]
        edit(db, service, milestone_id, description="Ordre du jour publié")  # nothing notable
        service.notices.retry_failed()
        assert await run_by_hand(service, milestone_id) == 1  # chat 2 only
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert len(notifier.texts(1)) == 1
    [told] = notifier.texts(2)
    assert told.startswith("⚠️ Reporté : conseil le 15 mars : 10 h → 15 h")


async def test_a_follower_who_missed_a_cancellation_hears_nothing_of_its_undoing(
        db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    for chat in (1, 2):
        add_subscriber(db, chat)
    notifier.always[2] = TransientError("réseau coupé")
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        delete(db, service, milestone_id)
        quiet_minute_passed(db, milestone_id)
        assert await run_by_hand(service, milestone_id) == 1
        del notifier.always[2]
        undo(db, service)
        assert await run_by_hand(service, milestone_id) == 1  # chat 1: « Rétabli »
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    cancelled, restored = notifier.texts(1)
    assert restored.startswith("✅ Rétabli : conseil du 15 mars à 10 h, Salle A")
    assert notifier.texts(2) == []  # as far as they know, nothing ever changed


async def test_a_notice_whose_file_failed_sends_only_the_file_again(db, notifier, clock):
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00")
    add_subscriber(db, 1)
    notifier.max_caption = 40  # the notice's text cannot be its file's caption
    notifier.fails = lambda chat, text, attachment: (
        TransientError("réseau coupé") if attachment is not None else None)
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, date="22/03/2027")
        assert await run_by_hand(service, milestone_id) == 0  # the text went, not the file
        [text] = notifier.texts(1)
        assert text.startswith("⚠️ Reporté : conseil du 15 mars → 22 mars")

        notifier.fails = None
        service.notices.retry_failed()
        assert await run_by_hand(service, milestone_id) == 1
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert notifier.texts(1) == [text, ""]  # the file alone, without the text again
    assert "DTSTART" in calendar_of(notifier, 1).walk("VEVENT")[0]


def test_net_change_reads_date_time_and_place_separately():
    def milestone(start: str, location: str | None = None) -> Milestone:
        moment, precision = parse_start(start, PARIS)
        return Milestone(id=1, key="m", project="P", title="T", start=moment,
                         precision=precision, location=location)

    now = datetime(2027, 1, 1, tzinfo=UTC)
    change = notices.net_change(milestone("2027-03-15T10:00"), milestone("2027-03-15"),
                                now, PARIS)
    assert change is not None and (change.date, change.time, change.place) == (
        False, True, False)
    change = notices.net_change(milestone("2027-03-15", "A"), milestone("2027-04", "A"),
                                now, PARIS)
    assert change is not None and (change.date, change.time, change.place) == (
        True, False, False)
    assert notices.net_change(milestone("2027-03-15", "A"), milestone("2027-03-15", "A"),
                              now, PARIS) is None
    assert notices.net_change(milestone("2026-03-15"), None, now, PARIS) is None


async def test_a_notice_resends_only_its_file_when_the_file_fails_once(db, notifier, clock):
    """Issue #18.3c: a notice too long for the file's caption goes as a message, then the
    file; the file failing once made the retry send the message again."""
    milestone_id = add_milestone(db, "conseil", "2027-03-15T10:00", location="Salle A")
    add_subscriber(db, 1)
    notifier.max_caption = 40  # the notice is longer: its text goes first, alone
    failed_file = notifier.fail_file_once(1, TransientError("connexion perdue"))
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    try:
        edit(db, service, milestone_id, lieu="Salle des fêtes")
        assert await run_by_hand(service, milestone_id) == 1
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)
    assert failed_file.is_set()
    text, caption = notifier.texts(1)
    assert text.startswith("⚠️ Changement de lieu") and "Salle des fêtes" in text
    assert caption == "" and len(notifier.attachments[1]) == 1
    assert [row.status for row in deliveries(db)] == ["sent"]
