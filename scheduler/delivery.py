"""The rate-limited sender: Telegram's limits, its error codes, and nobody waits for a stranger.

- Global pace: at most `rate` messages a second, evenly spaced (no bursts), for the whole bot.
- Per chat: at least `per_chat_interval` seconds between two messages to the same chat.
- At most `concurrency` requests in flight: this is also the bound on duplicates after a
  crash (see `scheduler.service`).
- 429 → everything pauses for `retry_after` (flood control is per bot token), then the same
  message is retried; 403 → outcome BLOCKED; network errors → bounded retries with
  exponential backoff and jitter, then FAILED; 400 → REJECTED at once.

A failing chat only ever holds the one worker that serves it, so the others go on.

A message goes as parts (`Deliverer.parts`): a text too long for one message goes in several,
and a file whose text is too long to be its caption goes after that text, alone. Each part
delivered before the last is reported (`on_progress`, recorded with the claim), so a later
round resumes after the parts the user has (`Message.done`) instead of sending them again.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, fields
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
class Progress:
    """How many leading parts of a message were delivered, and a fingerprint of their texts:
    a later round skips them only if the message still begins with those very parts."""

    parts: int = 0
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    chat_id: int
    text: str
    buttons: Buttons | None = None
    attachment: Attachment | None = None
    ref: Any = None  # the caller's handle (e.g. a Delivery id), passed back to on_result
    done: Progress = Progress()  # the parts an earlier round delivered


@dataclass(frozen=True, slots=True)
class Part:
    """One request: a text, or a file with the text as its caption."""

    text: str
    buttons: Buttons | None = None
    attachment: Attachment | None = None


def fingerprint(parts: Sequence[Part]) -> str:
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(part.text.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def resume_at(parts: Sequence[Part], done: Progress) -> int:
    """The first part to send: after those an earlier round delivered, if they are still
    the message's first parts (its text may have changed since)."""
    if 0 < done.parts < len(parts) and fingerprint(parts[:done.parts]) == done.digest:
        return done.parts
    return 0


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
ProgressCallback = Callable[[Message, Progress], None]


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
        self, messages: Iterable[Message], on_result: ResultCallback | None = None,
        on_progress: ProgressCallback | None = None,
    ) -> DeliveryStats:
        """Send every message; `on_result` is called as soon as each one's fate is known,
        `on_progress` after each part delivered before a message's last."""
        stats = DeliveryStats()
        started = self._clock()
        queue = iter(messages)  # shared by the workers: each message is taken exactly once
        async with asyncio.TaskGroup() as group:
            for _ in range(self.concurrency):
                group.create_task(self._worker(queue, stats, on_result, on_progress))
        stats.elapsed = self._clock() - started
        return stats

    async def _worker(
        self, queue: Iterable[Message], stats: DeliveryStats, on_result: ResultCallback | None,
        on_progress: ProgressCallback | None,
    ) -> None:
        for message in queue:
            outcome = await self.send_one(message, stats, on_progress)
            stats.count(outcome)
            if on_result is not None:
                await _record(on_result, message, outcome)

    def parts(self, message: Message) -> list[Part]:
        """The message's requests: its text in parts of at most `max_length` characters,
        buttons and attachment on the last; the attachment alone after the text when that
        text is too long to be its caption."""
        texts = split_text(message.text, self.notifier.max_length) or [""]
        parts = [Part(text) for text in texts[:-1]]
        last, attachment = texts[-1], message.attachment
        if attachment is not None and len(last) > self.notifier.max_caption:
            return [*parts, Part(last), Part("", message.buttons, attachment)]
        return [*parts, Part(last, message.buttons, attachment)]

    async def send_one(self, message: Message, stats: DeliveryStats,
                       on_progress: ProgressCallback | None = None) -> Outcome:
        """Send the message's parts, from the first an earlier round did not deliver; a retry
        resumes at the part that failed, so none goes twice."""
        parts = self.parts(message)
        position = resume_at(parts, message.done)
        attempts = limited = 0
        while position < len(parts):
            part = parts[position]
            try:
                async with self._in_flight:
                    await self.limiter.acquire(message.chat_id)
                    extra = {"attachment": part.attachment} if part.attachment else {}
                    await self.notifier.send(message.chat_id, part.text, buttons=part.buttons,
                                             **extra)
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
            else:
                position += 1
                if on_progress is not None and position < len(parts):
                    done = Progress(position, fingerprint(parts[:position]))
                    await _record(on_progress, message, done)
        return Outcome.SENT

    def _backoff_delay(self, attempt: int) -> float:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0)


async def _record(callback: Callable[[Message, Any], None], message: Message, what: Any) -> None:
    """Run a recording callback in a worker thread (it writes to the database: off the event
    loop); a failure is logged, and the sending goes on."""
    try:
        await asyncio.to_thread(callback, message, what)
    except Exception:
        log.exception("delivery: recording %s for chat %s failed", what, message.chat_id)
