"""bot.lines.ChatLines: many chats at once, one update at a time within a chat, and an
update that waited too long for its chat's turn dropped (updates built directly)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable
from datetime import UTC, datetime

from telegram import Chat, InlineQuery, Message, Update, User

from bot.lines import ChatLines, line_of

NOW = datetime(2025, 1, 1, tzinfo=UTC)
GROUP = -5001
TIMEOUT = 5.0


def message_in(chat_id: int, number: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE if chat_id > 0 else Chat.GROUP)
    return Update(number, message=Message(number, NOW, chat))


class Log:
    """What the handlers did, in order; `started(tag)` is set when a handler begins."""

    def __init__(self) -> None:
        self.events: list[str] = []
        self.began: dict[str, asyncio.Event] = {}

    def started(self, tag: str) -> asyncio.Event:
        return self.began.setdefault(tag, asyncio.Event())

    async def handle(self, tag: str, until: asyncio.Event | None = None) -> None:
        self.events.append(f"{tag} begins")
        self.started(tag).set()
        if until is not None:
            await until.wait()
        self.events.append(f"{tag} ends")


def process(lines: ChatLines, update: Update, handler: Awaitable[None]) -> asyncio.Task:
    return asyncio.create_task(lines.process_update(update, handler))


async def test_a_slow_chat_holds_one_slot_and_its_updates_wait_in_order() -> None:
    lines, log, release = ChatLines(2), Log(), asyncio.Event()
    group = [process(lines, message_in(GROUP, n), log.handle(f"group {n}", release))
             for n in range(5)]  # more than the slots: before, they took both
    await asyncio.wait_for(log.started("group 0").wait(), TIMEOUT)
    await asyncio.wait_for(process(lines, message_in(1001, 9), log.handle("private")), TIMEOUT)
    assert log.events == ["group 0 begins", "private begins", "private ends"]

    release.set()
    await asyncio.wait_for(asyncio.gather(*group), TIMEOUT)
    assert log.events[3:] == [event for n in range(5)
                              for event in (f"group {n} begins", f"group {n} ends")][1:]


async def test_an_update_that_waited_past_its_time_is_dropped_unstarted() -> None:
    now = 0.0
    lines, log, release = ChatLines(4, stale_after=30.0, clock=lambda: now), Log(), asyncio.Event()
    first = process(lines, message_in(GROUP, 1), log.handle("first", release))
    await asyncio.wait_for(log.started("first").wait(), TIMEOUT)
    stale = log.handle("stale")
    late = process(lines, message_in(GROUP, 2), stale)
    await asyncio.sleep(0)  # one loop turn: it has come in, and waits for its turn
    now = 31.0
    release.set()
    await asyncio.wait_for(asyncio.gather(first, late), TIMEOUT)
    assert log.events == ["first begins", "first ends"]
    assert inspect.getcoroutinestate(stale) == inspect.CORO_CLOSED  # nothing warns

    await asyncio.wait_for(process(lines, message_in(GROUP, 3), log.handle("fresh")), TIMEOUT)
    assert log.events[-1] == "fresh ends"


async def test_the_time_an_update_took_counts_its_wait() -> None:
    now, seen = 0.0, []
    lines = ChatLines(1, clock=lambda: now, on_handled=seen.append)
    release = asyncio.Event()

    async def slow() -> None:
        nonlocal now
        await release.wait()
        now = 2.0

    first = process(lines, message_in(GROUP, 1), slow())
    second = process(lines, message_in(GROUP, 2), Log().handle("second"))
    await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(asyncio.gather(first, second), TIMEOUT)
    assert seen == [2.0, 2.0]


def test_an_update_without_a_chat_waits_in_its_sender_s_line() -> None:
    user = User(1001, "Alice", is_bot=False)
    inline = Update(1, inline_query=InlineQuery("q1", user, "logement", ""))
    assert line_of(inline) == 1001 == line_of(message_in(1001, 2))
    assert line_of(message_in(GROUP, 3)) == GROUP
    assert line_of(object()) is None


async def test_idle_once_every_update_taken_is_handled() -> None:
    lines, log, release = ChatLines(4), Log(), asyncio.Event()
    await asyncio.wait_for(lines.idle(), TIMEOUT)  # nothing taken yet
    first = process(lines, message_in(GROUP, 1), log.handle("first", release))
    second = process(lines, message_in(GROUP, 2), log.handle("second"))
    await asyncio.wait_for(log.started("first").wait(), TIMEOUT)
    idle = asyncio.create_task(lines.idle())
    await asyncio.wait_for(process(lines, message_in(1001, 3), log.handle("other")), TIMEOUT)
    assert not idle.done()  # another chat answered; this one still has an update in line
    release.set()
    await asyncio.wait_for(idle, TIMEOUT)
    assert first.done() and second.done() and log.events[-1] == "second ends"
