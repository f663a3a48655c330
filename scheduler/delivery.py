"""The rate-limited sender: Telegram's limits, its error codes, and nobody waits for a stranger.

- Global pace: at most `rate` messages a second, evenly spaced (no bursts), for the whole bot.
- Per chat: at least `per_chat_interval` seconds between two messages to the same chat.
- At most `concurrency` requests in flight: this is also the bound on duplicates after a
  crash (see `scheduler.service`).
- 429 → everything pauses for `retry_after` (flood control is per bot token), then the same
  message is retried; 403 → outcome BLOCKED; network errors → bounded retries with
  exponential backoff and jitter, then FAILED; 400 → REJECTED at once.

A failing chat only ever holds the one worker that serves it, so the others go on.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import Any

from knowledge.text import split_text
from scheduler.notifier import (
    Attachment,
    Blocked,
    Buttons,
    Notifier,
    PermanentError,
    RetryLater,
    TransientError,
)

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[Any]]
CONCURRENCY = 16  # requests in flight: the notifier's HTTP pool is sized from it


class Outcome(StrEnum):
    SENT = "sent"
    FAILED = "failed"  # transient trouble outlasted the retries: try again later
    BLOCKED = "blocked"  # 403: the subscriber is gone
    REJECTED = "rejected"  # 400 and the like: the same message will never go through


@dataclass(frozen=True, slots=True)
class Message:
    chat_id: int
    text: str
    buttons: Buttons | None = None
    attachment: Attachment | None = None
    ref: Any = None  # the caller's handle (e.g. a Delivery id), passed back to on_result


@dataclass
class DeliveryStats:
    sent: int = 0
    failed: int = 0
    deactivated: int = 0
    rejected: int = 0
    rate_limited: int = 0  # 429 responses received
    retries: int = 0  # network retries
    elapsed: float = 0.0

    def count(self, outcome: Outcome) -> None:
        name = {Outcome.BLOCKED: "deactivated"}.get(outcome, outcome.value)
        setattr(self, name, getattr(self, name) + 1)

    def __add__(self, other: DeliveryStats) -> DeliveryStats:
        return DeliveryStats(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


ResultCallback = Callable[[Message, Outcome], None]


class RateLimiter:
    """Global spacing between actual departures, per-chat spacing, a global pause after 429.

    Spacing is measured from the moment the previous message really left (a gate that one
    sender passes at a time), not from an ideal timetable: a late wake-up never lets the
    next messages catch up in a burst, so any one-second window holds at most `rate`.
    """

    def __init__(
        self,
        rate: float = 30.0,
        per_chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_chat_interval = per_chat_interval
        self._clock, self._sleep = clock, sleep
        self._gate = asyncio.Lock()
        self._last = -float("inf")
        self._paused_until = 0.0
        self._chat_next: dict[int, float] = {}

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to `chat_id` may leave now."""
        while True:
            ready = max(self._paused_until, self._chat_next.get(chat_id, 0.0))
            if ready > self._clock():
                await self._sleep(ready - self._clock())
                continue
            async with self._gate:
                wait = max(self._last + self.interval, self._paused_until) - self._clock()
                if wait > 0:
                    await self._sleep(wait)
                now = self._clock()
                if self._paused_until > now or self._chat_next.get(chat_id, 0.0) > now:
                    continue  # a 429 arrived, or this chat was served meanwhile
                self._last = now
                self._chat_next[chat_id] = now + self.per_chat_interval
                self._forget_idle_chats(now)
                return

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends for `seconds`."""
        self._paused_until = max(self._paused_until, self._clock() + max(seconds, 0.0))

    def _forget_idle_chats(self, now: float) -> None:
        if len(self._chat_next) > 10_000:
            self._chat_next = {c: t for c, t in self._chat_next.items() if t > now}


class Deliverer:
    """Sends batches of messages within the limits; one instance per bot (it holds the pace).

    `rate` <= 0 disables the global limit (benchmarks); `concurrency` bounds the requests
    in flight across all concurrent `deliver()` calls.
    """

    def __init__(
        self,
        notifier: Notifier,
        *,
        rate: float = 30.0,
        per_chat_interval: float = 1.0,
        concurrency: int = CONCURRENCY,
        max_attempts: int = 4,
        max_rate_limited: int = 10,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.notifier = notifier
        self.limiter = RateLimiter(rate, per_chat_interval, clock=clock, sleep=sleep)
        self.concurrency = max(1, concurrency)
        self.max_attempts = max(1, max_attempts)
        self.max_rate_limited = max_rate_limited
        self.backoff, self.max_backoff = backoff, max_backoff
        self._sleep, self._clock = sleep, clock
        # Shared by concurrent deliver() calls: the in-flight bound holds bot-wide.
        self._in_flight = asyncio.Semaphore(self.concurrency)

    async def deliver(
        self, messages: Iterable[Message], on_result: ResultCallback | None = None
    ) -> DeliveryStats:
        """Send every message; `on_result` is called as soon as each one's fate is known."""
        stats = DeliveryStats()
        started = self._clock()
        queue = iter(messages)  # shared by the workers: each message is taken exactly once
        async with asyncio.TaskGroup() as group:
            for _ in range(self.concurrency):
                group.create_task(self._worker(queue, stats, on_result))
        stats.elapsed = self._clock() - started
        return stats

    async def _worker(
        self, queue: Iterable[Message], stats: DeliveryStats, on_result: ResultCallback | None
    ) -> None:
        for message in queue:
            outcome = await self.send_one(message, stats)
            stats.count(outcome)
            if on_result is not None:
                try:  # it records to the database: in a worker thread, off the event loop
                    await asyncio.to_thread(on_result, message, outcome)
                except Exception:  # recording failed: log it, keep the others going
                    log.exception(
                        "delivery: recording %s for chat %s failed", outcome, message.chat_id
                    )

    async def send_one(self, message: Message, stats: DeliveryStats) -> Outcome:
        """Send the message as its requests (`requests`); a retry resumes at the request
        that failed, so none goes twice."""
        parts = self.requests(message)
        attempts = limited = 0
        while parts:
            try:
                async with self._in_flight:
                    await self.limiter.acquire(message.chat_id)
                    part = parts[0]
                    extra = {"attachment": part.attachment} if part.attachment else {}
                    await self.notifier.send(part.chat_id, part.text, buttons=part.buttons,
                                             **extra)
                parts.pop(0)
            except RetryLater as exc:
                stats.rate_limited += 1
                limited += 1
                self.limiter.pause(exc.retry_after)
                log.warning(
                    "delivery: 429 for chat %s, pausing %.1f s", message.chat_id, exc.retry_after
                )
                if limited > self.max_rate_limited:
                    return Outcome.FAILED
            except Blocked:
                log.info("delivery: chat %s blocked the bot", message.chat_id)
                return Outcome.BLOCKED
            except PermanentError as exc:
                log.error("delivery: message to chat %s refused: %s", message.chat_id, exc)
                return Outcome.REJECTED
            except Exception as exc:  # TransientError, or a bug in the notifier
                attempts += 1
                if not isinstance(exc, TransientError):
                    log.exception("delivery: unexpected error for chat %s", message.chat_id)
                if attempts >= self.max_attempts:
                    log.warning(
                        "delivery: giving up on chat %s after %d attempts: %s",
                        message.chat_id,
                        attempts,
                        exc,
                    )
                    return Outcome.FAILED
                stats.retries += 1
                await self._sleep(self._backoff_delay(attempts))
        return Outcome.SENT

    def requests(self, message: Message) -> list[Message]:
        """What goes out, in order: the text in messages the notifier can carry, buttons and
        any attachment on the last; a text too long for the file's caption goes just before
        the file, alone (each is sent, and retried, on its own)."""
        texts = split_text(message.text, self.notifier.max_length) or [""]
        parts = [Message(message.chat_id, text) for text in texts[:-1]]
        last = texts[-1]
        if message.attachment is not None and len(last) > self.notifier.max_caption_length:
            parts.append(Message(message.chat_id, last))
            last = ""
        return [*parts, replace(message, text=last)]

    def _backoff_delay(self, attempt: int) -> float:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0)
