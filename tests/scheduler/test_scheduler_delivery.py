"""The rate-limited sender, and a real AsyncIOScheduler firing a reminder."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from scheduler_helpers import (
    HOUR,
    PARIS,
    FakeNotifier,
    add_subscriber,
    fast_deliverer,
)

from knowledge.models import Milestone
from knowledge.store import transaction
from scheduler.delivery import Deliverer, Message, Outcome
from scheduler.notifier import Blocked, RetryLater, TransientError
from scheduler.service import ReminderService


async def test_global_rate_spaces_messages_evenly():
    notifier = FakeNotifier()
    deliverer = Deliverer(notifier, rate=100.0, per_chat_interval=0.0, concurrency=8)
    started = time.monotonic()
    stats = await deliverer.deliver(Message(chat, "x") for chat in range(21))
    assert stats.sent == 21
    assert time.monotonic() - started >= 0.19  # 20 intervals of 10 ms
    gaps = [b[3] - a[3] for a, b in zip(notifier.calls, notifier.calls[1:], strict=False)]
    assert min(gaps) >= 0.009


async def test_per_chat_spacing():
    notifier = FakeNotifier()
    deliverer = Deliverer(notifier, rate=1000.0, per_chat_interval=0.1, concurrency=4)
    await deliverer.deliver([Message(1, "a"), Message(1, "b"), Message(1, "c"), Message(2, "d")])
    times = [at for chat, _, _, at in notifier.calls if chat == 1]
    assert times[1] - times[0] >= 0.099 and times[2] - times[1] >= 0.099
    assert [chat for chat, *_ in notifier.calls][:2] == [1, 2]  # chat 2 did not wait for 1


async def test_a_failing_chat_does_not_hold_up_the_others():
    notifier = FakeNotifier()
    notifier.always[1] = TransientError("down")
    deliverer = Deliverer(
        notifier,
        rate=1000.0,
        per_chat_interval=0.0,
        concurrency=4,
        max_attempts=4,
        backoff=0.1,
        max_backoff=0.2,
    )
    results: dict[int, tuple[Outcome, float]] = {}
    started = time.monotonic()

    def record(message: Message, outcome: Outcome) -> None:
        results[message.chat_id] = (outcome, time.monotonic() - started)

    stats = await deliverer.deliver((Message(chat, "x") for chat in range(1, 31)), record)
    assert stats.failed == 1 and stats.sent == 29 and stats.retries == 3
    assert results[1][0] is Outcome.FAILED
    assert max(at for chat, (_, at) in results.items() if chat != 1) < results[1][1]


async def test_outcomes_and_stats():
    notifier = FakeNotifier()
    notifier.always[2] = Blocked("blocked")
    notifier.script[3] = [RetryLater(0.01), RetryLater(0.01)]
    stats = await fast_deliverer(notifier).deliver(Message(c, "x") for c in (1, 2, 3))
    assert (stats.sent, stats.deactivated, stats.rate_limited) == (2, 1, 2)


async def test_a_real_scheduler_fires_the_reminder(db):
    """Real AsyncIOScheduler, real clock: a reminder due 0.4 s after start is sent on time."""
    notifier = FakeNotifier()
    sent_at: list[datetime] = []
    original = notifier.send

    async def send(chat_id, text, *, buttons=None):
        sent_at.append(datetime.now(UTC))
        await original(chat_id, text, buttons=buttons)

    notifier.send = send  # type: ignore[method-assign]
    start = datetime.now(UTC) + timedelta(hours=1, seconds=0.4)
    due = start - timedelta(hours=1)
    with transaction(db) as session:
        session.add(Milestone(key="bientot", project="Conseil", title="Bientôt", start=start))
    add_subscriber(db, 1, offsets=[HOUR])
    service = ReminderService(
        db,
        notifier,
        tz=PARIS,
        default_offsets=[HOUR],
        grace_seconds=6 * HOUR,
        deliverer=fast_deliverer(notifier),
    )
    service.start()
    try:
        # The start-up catch-up finds nothing due, plans the wake-up; the scheduler fires it.
        await notifier.wait_for_calls(1)
        assert notifier.chats() == [1]
        assert "Bientôt" in notifier.texts(1)[0]
        assert sent_at[0] >= due  # never early
        assert service.next_wakeup() is None  # nothing else to wait for
    finally:
        service.shutdown()


async def test_a_text_too_long_for_one_message_goes_in_parts_resumed_after_a_429():
    notifier = FakeNotifier()
    notifier.max_length = 100
    text = "\n".join(f"• rendez-vous {n:02d} — salle du conseil" for n in range(10))
    button = [object()]
    original = notifier.send
    sends = 0

    async def send(chat_id, part, *, buttons=None):  # the second part meets a 429 once
        nonlocal sends
        sends += 1
        if sends == 2:
            notifier.calls.append((chat_id, part, buttons, time.monotonic()))
            raise RetryLater(0.01)
        await original(chat_id, part, buttons=buttons)

    notifier.send = send
    stats = await fast_deliverer(notifier).deliver([Message(1, text, buttons=button)])
    assert (stats.sent, stats.rate_limited) == (1, 1)
    parts = notifier.texts(1)
    assert len(parts) > 2 and all(len(p) <= 100 for p in parts)
    assert "\n".join(parts) == text  # each line once, in order: nothing sent twice
    assert [b for _, _, b in notifier.delivered] == [None] * (len(parts) - 1) + [button]
