"""How updates are processed: many chats at once, one update at a time within a chat.

PTB's concurrent processing gives every update one of its slots for all of its handling,
waits included. A group over Telegram's 20 messages a minute kept its updates asleep in the
rate limiter (AIORateLimiter) before their reply, each holding a slot: seven members sending
/aide filled the 64 slots, and a private /aide waited 85 s. Here an update first waits for
its chat's turn, holding no slot: a chat holds one slot at most, so a throttled group slows
only itself, and a chat's updates are handled in the order sent (a follow-up after the
question it follows). An update that waited over STALE_AFTER for its turn is dropped: its
reply would come too late to help, and ahead of the chat's new questions.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

STALE_AFTER = 30.0  # seconds an update may wait for its turn (a throttled group: 10 replies)
# PTB's own semaphore, taken before an update reaches its line, only bounds the updates held
# (handled or waiting in a line): far above the slots, so that it is never what waits.
HELD_PER_SLOT = 64


class ChatLines(BaseUpdateProcessor):
    """`slots` updates handled at once, at most one per chat (or per user, for updates
    without a chat: inline queries); `on_handled(seconds)` after each, waits included."""

    def __init__(self, slots: int, *, stale_after: float = STALE_AFTER,
                 on_handled: Callable[[float], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(slots * HELD_PER_SLOT)
        self.stale_after = stale_after
        self.on_handled = on_handled
        self.clock = clock
        self._slots = asyncio.Semaphore(slots)
        self._turns: dict[int, asyncio.Lock] = {}  # FIFO: updates get their turn in order
        self._held: Counter[int] = Counter()  # updates of each line, handled or waiting
        self._busy = 0  # updates held, in a line or not
        self._idle = asyncio.Event()
        self._idle.set()

    async def idle(self) -> None:
        """Returns once every update taken so far is handled or dropped (the tests' barrier:
        a chat's updates may still be in line after another chat is answered)."""
        await self._idle.wait()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self._busy += 1
        self._idle.clear()
        try:
            await self._in_line(update, coroutine)
        finally:
            self._busy -= 1
            if not self._busy:
                self._idle.set()

    async def _in_line(self, update: object, coroutine: Awaitable[Any]) -> None:
        arrived = self.clock()
        line = line_of(update)
        if line is None:
            await self._handle(coroutine, arrived)
            return
        turn = self._turns.setdefault(line, asyncio.Lock())
        self._held[line] += 1
        try:
            async with turn:
                waited = self.clock() - arrived
                if waited > self.stale_after:
                    _drop(update, coroutine, line, waited)
                    return
                await self._handle(coroutine, arrived)
        finally:
            self._held[line] -= 1
            if not self._held[line]:
                del self._held[line], self._turns[line]

    async def _handle(self, coroutine: Awaitable[Any], arrived: float) -> None:
        async with self._slots:
            try:
                await coroutine
            finally:
                if self.on_handled is not None:
                    self.on_handled(self.clock() - arrived)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


def line_of(update: object) -> int | None:
    """The chat whose line an update waits in; the user's for an update without a chat."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def _drop(update: object, coroutine: Awaitable[Any], line: int, waited: float) -> None:
    if isinstance(coroutine, Coroutine):
        coroutine.close()  # never started: closed, so that nothing warns it was not awaited
    update_id = update.update_id if isinstance(update, Update) else None
    log.warning("update %s dropped: it waited %.0f s for its turn in chat %s", update_id,
                waited, line)
