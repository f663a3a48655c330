"""ReminderService: exactly once, restarts and crashes, grace, Telegram errors, admin changes."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta

import pytest
from scheduler_helpers import (
    DAY,
    HOUR,
    PARIS,
    add_milestone,
    add_subscriber,
    deliveries,
    make_service,
    paris,
    paused_scheduler,
)
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from knowledge.models import Milestone, Subscriber, utcnow
from knowledge.store import transaction
from scheduler import reminders
from scheduler.notifier import Blocked, PermanentError, RetryLater, TransientError


async def test_exactly_once_across_a_restart(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    for chat in (1, 2, 3):
        add_subscriber(db, chat)
    first = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    assert (await first.run_due()).sent == 3
    assert (await first.run_due()).sent == 0  # a second trigger finds nothing

    clock.now += timedelta(minutes=30)  # "restart": a new service on the same database
    scheduler = paused_scheduler()
    second = make_service(db, notifier, clock, scheduler=scheduler)
    second.start()  # recovery, then the jobs (which never fire here)
    try:
        assert (await second.run_due()).sent == 0
    finally:
        second.shutdown()
        scheduler.shutdown(wait=False)
    assert sorted(notifier.chats()) == [1, 2, 3]
    assert {d.status for d in deliveries(db)} == {reminders.SENT}


async def test_crash_mid_fanout_duplicates_at_most_the_in_flight(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    chats = list(range(1, 21))
    for chat in chats:
        add_subscriber(db, chat)
    concurrency = 4
    service = make_service(db, notifier, clock, concurrency=concurrency)
    clock.set("2027-03-09T10:00")
    notifier.hang_after = 8  # 8 confirmed, then requests hang: the process "dies" here
    task = asyncio.create_task(service.run_due())
    await notifier.wait_for_calls(8 + concurrency)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    statuses = Counter(d.status for d in deliveries(db))
    assert statuses == {reminders.SENT: 8, reminders.SENDING: 12}
    # Worst case: every in-flight request had reached Telegram before the crash.
    possibly_delivered = Counter(chat for chat, *_ in notifier.calls)

    notifier.hang_after = None
    scheduler = paused_scheduler()
    restarted = make_service(db, notifier, clock, concurrency=concurrency, scheduler=scheduler)
    restarted.start()  # recovery: "sending" → retried
    try:
        assert (await restarted.run_due()).sent == 12
    finally:
        restarted.shutdown()
        scheduler.shutdown(wait=False)
    received = possibly_delivered + Counter(c for c in notifier.chats()[8:])
    assert set(received) == set(chats)  # nothing lost
    duplicates = sum(n - 1 for n in received.values())
    assert duplicates <= concurrency  # the documented bound
    assert {d.status for d in deliveries(db)} == {reminders.SENT}


async def test_grace_window(db, notifier, clock):
    add_milestone(db, "late", "2027-03-10T10:00")  # 1-day reminder due 9 March 10:00
    add_milestone(db, "too-late", "2027-03-12T10:00")  # 7-day reminder was due 5 March
    add_milestone(db, "past", "2027-03-09T11:00")  # 2-hour reminder due at 09:00, starts 11:00
    add_subscriber(db, 1, offsets=[DAY])
    add_subscriber(db, 2, offsets=[7 * DAY])
    add_subscriber(db, 3, offsets=[2 * HOUR])
    service = make_service(db, notifier, clock, offsets=[DAY], grace=6 * HOUR)
    clock.set("2027-03-09T12:00")  # down since 2h before the first; "past" began an hour ago
    await service.run_due()
    assert notifier.chats() == [1]
    assert "late" in notifier.texts(1)[0]
    clock.now += timedelta(days=1)
    await service.run_due()
    assert notifier.chats() == [1]  # the 2-days-late and the past ones never come


async def test_429_is_honoured_then_delivered_once(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    add_subscriber(db, 2)
    notifier.script[1] = [RetryLater(0.2)]
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    stats = await service.run_due()
    assert stats.rate_limited == 1 and stats.sent == 2
    assert Counter(notifier.chats()) == {1: 1, 2: 1}
    attempts = [at for chat, _, _, at in notifier.calls if chat == 1]
    assert len(attempts) == 2 and attempts[1] - attempts[0] >= 0.19


async def test_403_deactivates_and_the_others_still_get_theirs(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    for chat in (1, 2, 3):
        add_subscriber(db, chat)
    notifier.always[2] = Blocked("Forbidden: bot was blocked by the user")
    service = make_service(db, notifier, clock, offsets=[DAY, 2 * HOUR])
    clock.set("2027-03-09T10:00")
    stats = await service.run_due()
    assert (stats.sent, stats.deactivated) == (2, 1)
    assert sorted(notifier.chats()) == [1, 3]
    with Session(db) as session:
        blocked = reminders.subscriber_of(session, 2)
        assert blocked is not None and not blocked.active and blocked.deactivated_at is not None
    clock.set("2027-03-10T08:00")  # the 2-hour reminder: not for the deactivated one
    await service.run_due()
    assert sorted(notifier.chats()) == [1, 1, 3, 3]
    with transaction(db) as session:  # writing again reactivates
        reminders.subscribe(session, 2, "Élu 2", None)
        assert reminders.subscriber_of(session, 2).active


async def test_network_errors_retry_then_fail_then_retry_later(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    add_subscriber(db, 2)
    notifier.script[1] = [TransientError("timeout")]  # one retry suffices
    notifier.always[2] = TransientError("network down")
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    stats = await service.run_due()
    assert (stats.sent, stats.failed, stats.retries) == (1, 1, 3)
    assert notifier.chats() == [1]
    failed = [d for d in deliveries(db) if d.status == reminders.FAILED]
    assert [d.subscriber_id for d in failed] == [2]  # marked, not lost

    del notifier.always[2]
    clock.now += timedelta(minutes=5)  # next reconcile, still within grace
    assert (await service.run_due()).sent == 1
    assert sorted(notifier.chats()) == [1, 2]


async def test_permanent_error_is_not_retried(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    notifier.always[1] = PermanentError("Bad Request: chat not found")
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    assert (await service.run_due()).rejected == 1
    clock.now += timedelta(minutes=5)
    await service.run_due()
    assert len(notifier.calls) == 1
    assert [d.status for d in deliveries(db)] == [reminders.SKIPPED]


def _move(db, key: str, local: str) -> None:
    with transaction(db) as session:
        row = session.exec(select(Milestone).where(Milestone.key == key)).one()
        row.start = paris(local)
        row.updated_at = utcnow()
        session.add(row)


async def test_moved_milestone_is_reminded_at_its_new_time_only(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    service = make_service(db, notifier, clock)
    _move(db, "conseil", "2027-03-13T10:00")
    service.reschedule_all()
    clock.set("2027-03-09T10:00")  # the old reminder time
    await service.run_due()
    assert notifier.delivered == []
    clock.set("2027-03-12T10:00")
    await service.run_due()
    assert notifier.chats() == [1]
    assert "samedi 13 mars 2027 à 10 h" in notifier.texts(1)[0]
    [row] = deliveries(db)
    assert row.milestone_start == paris("2027-03-13T10:00")


async def test_milestone_moved_after_its_reminder_gets_a_new_one(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    await service.run_due()
    _move(db, "conseil", "2027-03-20T10:00")  # postponed after the reminder went out
    service.reschedule_all()
    clock.set("2027-03-19T10:00")
    await service.run_due()
    await service.run_due()
    assert len(notifier.texts(1)) == 2
    assert "samedi 20 mars 2027" in notifier.texts(1)[1]


async def test_deleted_milestone_is_never_reminded(db, notifier, clock):
    conseil = add_milestone(db, "conseil", "2027-03-10T10:00")
    add_milestone(db, "bureau", "2027-03-10T10:00")
    add_subscriber(db, 1, offsets=[2 * DAY, DAY])
    service = make_service(db, notifier, clock)
    clock.set("2027-03-08T10:00")
    await service.run_due()
    assert len(deliveries(db)) == 2
    with transaction(db) as session:
        session.delete(session.get(Milestone, conseil))
    service.reschedule_all()
    assert conseil not in {d.milestone_id for d in deliveries(db)}  # its rows went with it
    clock.set("2027-03-09T10:00")
    await service.run_due()
    texts = notifier.texts(1)
    assert len(texts) == 3 and "bureau" in texts[2]


async def test_inactive_and_unsubscribed_get_nothing(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    add_subscriber(db, 2)
    with transaction(db) as session:
        assert reminders.unsubscribe(session, 2, None).topics == [None]
    with transaction(db) as session:
        inactive = session.get(Subscriber, 1)
        inactive.active = False
        session.add(inactive)
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    await service.run_due()
    assert notifier.delivered == []


async def test_what_falls_due_during_a_long_fanout_is_not_left_for_later(db, notifier, clock):
    add_milestone(db, "a", "2027-03-10T10:00")
    add_milestone(db, "b", "2027-03-10T10:01")
    add_subscriber(db, 1)
    scheduler = paused_scheduler()
    service = make_service(db, notifier, clock, scheduler=scheduler)
    service.start()
    original = notifier.send

    async def slow_send(chat_id, text, *, buttons=None):
        clock.now += timedelta(minutes=2)  # the fan-out outlasts b's due time
        await original(chat_id, text, buttons=buttons)

    notifier.send = slow_send
    try:
        clock.set("2027-03-09T10:00")
        await service.run_due()
        assert len(notifier.delivered) == 1
        assert service.next_wakeup() == paris("2027-03-09T10:01")  # in the past: runs at once
        await service.run_due()
        assert len(notifier.delivered) == 2
    finally:
        service.shutdown()
        scheduler.shutdown(wait=False)


def test_a_concurrent_claim_of_the_same_reminder_fails(db):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    now = paris("2027-03-09T10:00")

    def compute(session):
        return reminders.due_reminders(session, now, [DAY], 6 * HOUR, PARIS)

    with Session(db) as session:
        stale = compute(session)  # read before the other process claimed
    with transaction(db) as session:
        assert len(reminders.claim(session, compute(session))) == 1
    with pytest.raises(IntegrityError), transaction(db) as session:
        reminders.claim(session, stale)
    with transaction(db) as session:
        assert compute(session) == []  # recomputing finds nothing left to claim
    assert [d.status for d in deliveries(db)] == [reminders.SENDING]


async def test_a_failed_reminder_reclaimed_only_once(db, notifier, clock):
    add_milestone(db, "conseil", "2027-03-10T10:00")
    add_subscriber(db, 1)
    notifier.always[1] = TransientError("down")
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    await service.run_due()
    with Session(db) as session:
        [due] = reminders.due_reminders(session, clock(), [DAY], 6 * HOUR, PARIS)
    with transaction(db) as session:
        assert len(reminders.claim(session, [due])) == 1
    with transaction(db) as session:  # same stale read: the conditional UPDATE refuses it
        assert reminders.claim(session, [due]) == []


async def test_a_long_reminder_retried_later_sends_only_the_parts_not_delivered(db, notifier,
                                                                              clock):
    agenda = "\n\n".join(f"Point {n} : délibération sur le budget de la commune" for n in
                          range(12))
    add_milestone(db, "conseil", "2027-03-10T10:00", description=agenda)
    add_subscriber(db, 1)
    notifier.max_length = 60  # the reminder goes in several messages, a point in each
    notifier.fails = lambda chat, text, attachment: (  # the network drops at one part
        TransientError("réseau coupé") if "Point 7 " in text else None)
    service = make_service(db, notifier, clock)
    clock.set("2027-03-09T10:00")
    assert (await service.run_due()).failed == 1
    first_round = notifier.texts(1)
    assert any("Point 6 " in p for p in first_round)  # the parts before it went
    assert not any("Point 7 " in p for p in first_round)

    notifier.fails = None
    clock.now += timedelta(minutes=5)  # the next round, within grace
    assert (await service.run_due()).sent == 1
    parts = notifier.texts(1)
    assert [sum(f"Point {n} " in p for p in parts) for n in range(12)] == [1] * 12
    assert sum(p.startswith("🔔 Rappel") for p in parts) == 1  # nothing went twice
    assert "Source" in parts[-1]
