"""Two ReminderServices on one database, as two replicas: a live replica's in-flight claims
are never taken, a dead one's are finished by the survivor, a stalled one is fenced, the
digest goes once. (The same across two real processes: tests/e2e/test_replicas_e2e.py.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from scheduler_helpers import (
    FakeClock,
    FakeNotifier,
    add_milestone,
    add_subscriber,
    deliveries,
    make_service,
    paris,
    paused_scheduler,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge.models import Replica as ReplicaRow
from knowledge.store import transaction
from scheduler import reminders
from scheduler.replicas import Replica
from scheduler.service import ReminderService

LEASE = 30.0
CONCURRENCY = 4


@pytest.fixture
def wall() -> FakeClock:
    """The replicas' wall clock (heartbeats), apart from the reminders' clock."""
    return FakeClock(paris("2027-03-09T10:00"))


@pytest.fixture
async def started() -> AsyncIterator[list[ReminderService]]:
    """Services started on paused schedulers (their jobs never fire: the test drives)."""
    services: list[ReminderService] = []
    yield services
    for service in services:
        scheduler = service._scheduler
        service.shutdown()
        if scheduler is not None:
            scheduler.shutdown(wait=False)


def start(started: list[ReminderService], db: Engine, notifier: FakeNotifier,
          clock: FakeClock, wall: FakeClock) -> ReminderService:
    service = make_service(db, notifier, clock, concurrency=CONCURRENCY,
                           scheduler=paused_scheduler(), replica=Replica(db, LEASE, wall))
    service.start()
    started.append(service)
    return service


def subscribers(db: Engine, count: int) -> list[int]:
    add_milestone(db, "conseil", "2027-03-10T10:00")
    for chat in range(1, count + 1):
        add_subscriber(db, chat)
    return list(range(1, count + 1))


async def test_the_survivor_finishes_a_dead_replicas_fan_out_and_never_a_live_ones(
        db, clock, wall, started) -> None:
    chats = subscribers(db, 20)
    clock.set("2027-03-09T10:00")
    to_a, to_b = FakeNotifier(), FakeNotifier()
    a = start(started, db, to_a, clock, wall)
    to_a.hang_after = 8  # 8 confirmed, then A's requests hang: A is killed mid-fan-out
    fan_out = asyncio.create_task(a.run_due())
    await to_a.wait_for_calls(8 + CONCURRENCY)

    b = start(started, db, to_b, clock, wall)  # A is alive: its claims are left alone
    assert (await b.run_due()).sent == 0
    wall.now += timedelta(seconds=LEASE - 1)
    a.replica.beat()
    await b.heartbeat()
    assert (await b.run_due()).sent == 0
    assert to_b.calls == []
    assert Counter(d.status for d in deliveries(db)) == {reminders.SENT: 8, reminders.SENDING: 12}

    fan_out.cancel()  # kill -9: A's heartbeats stop with it
    await asyncio.gather(fan_out, return_exceptions=True)
    wall.now += timedelta(seconds=LEASE + 1)
    await b.heartbeat()  # A is dead: its "sending" rows are released and sent again
    assert (await b.run_due()).sent == 12

    received = Counter(chat for chat, *_ in to_a.calls) + Counter(to_b.chats())
    assert set(received) == set(chats)  # nothing lost
    assert sum(n - 1 for n in received.values()) <= CONCURRENCY  # the documented bound
    assert {d.status for d in deliveries(db)} == {reminders.SENT}
    with Session(db) as session:
        assert session.exec(select(ReplicaRow.id)).all() == [b.replica.id]


async def test_two_survivors_resend_each_abandoned_message_once(
        db, clock, wall, started) -> None:
    chats = subscribers(db, 12)
    clock.set("2027-03-09T10:00")
    dead = Replica(db, LEASE, wall)
    dead.register()
    with transaction(db) as session:  # everything claimed, nothing sent: then killed
        claims = reminders.claim(session, reminders.due_reminders(
            session, clock(), [86_400], 6 * 3_600, clock.now.tzinfo), dead.id)
    assert len(claims) == len(chats)
    to_b, to_c = FakeNotifier(), FakeNotifier()
    b = start(started, db, to_b, clock, wall)
    c = start(started, db, to_c, clock, wall)
    wall.now += timedelta(seconds=LEASE + 1)
    b.replica.beat()
    c.replica.beat()

    await asyncio.gather(b.heartbeat(), c.heartbeat())
    await asyncio.gather(b.run_due(), c.run_due())

    assert sorted(to_b.chats() + to_c.chats()) == chats  # each once, whoever sent it


async def test_a_replica_stalled_beyond_the_lease_is_fenced(db, clock, wall, started) -> None:
    subscribers(db, 3)
    clock.set("2027-03-09T10:00")
    stalled = Replica(db, LEASE, FakeClock(wall.now))
    stalled.register()
    first_id = stalled.id
    with transaction(db) as session:
        [claim, *_] = reminders.claim(session, reminders.due_reminders(
            session, clock(), [86_400], 6 * 3_600, clock.now.tzinfo), stalled.id)
    wall.now += timedelta(seconds=LEASE + 1)
    survivor = start(started, db, FakeNotifier(), clock, wall)  # takes the stalled one over
    assert (await survivor.run_due()).sent == 3

    assert stalled.beat() is False  # it wakes up: its row is gone
    assert stalled.id != first_id
    with transaction(db) as session:  # its late settlement is refused
        assert not reminders.record(session, claim.delivery_id, reminders.FAILED, clock(),
                                    first_id)
    assert {d.status for d in deliveries(db)} == {reminders.SENT}
    assert stalled.beat() is True  # it goes on under its new id


async def test_two_replicas_send_the_digest_once(db, clock, wall, started) -> None:
    add_milestone(db, "conseil", "2027-03-10T10:00")
    for chat in (1, 2, 3):
        add_subscriber(db, chat, digest=True)
    clock.set("2027-03-08T08:31")  # Monday, just after the digest time
    to_a, to_b = FakeNotifier(), FakeNotifier()
    a = start(started, db, to_a, clock, wall)
    b = start(started, db, to_b, clock, wall)

    await asyncio.gather(a.send_digest(), b.send_digest(), a.send_digest())

    assert sorted(to_a.chats() + to_b.chats()) == [1, 2, 3]
