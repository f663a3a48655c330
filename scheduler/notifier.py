"""How the scheduler talks to users: a small protocol the bot implements with PTB's `Bot`.

The scheduler never imports Telegram. The bot maps PTB's errors onto the exceptions below:
`telegram.error.RetryAfter` → `RetryLater`, `Forbidden` → `Blocked`, `NetworkError`/`TimedOut`
→ `TransientError`, `BadRequest` (and other 4xx) → `PermanentError`.
"""

from __future__ import annotations

from typing import Protocol

ICS_CALLBACK_PREFIX = "ics:"
MAX_CALLBACK_BYTES = 64

Buttons = list[tuple[str, str]]
"""Inline buttons as (label, callback_data); callback_data is at most 64 bytes."""


class NotifierError(Exception):
    """Base class of the errors a Notifier raises."""


class RetryLater(NotifierError):
    """Flood control (HTTP 429): nothing was delivered; try again after `retry_after` s."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = float(retry_after)


class Blocked(NotifierError):
    """The user blocked the bot or left the chat (HTTP 403): stop writing to them."""


class TransientError(NotifierError):
    """Network trouble or a server error: the message may or may not have gone through."""


class PermanentError(NotifierError):
    """Telegram refused the message (HTTP 400 ...): retrying the same request won't help."""


class Notifier(Protocol):
    async def send(self, chat_id: int, text: str, *, buttons: Buttons | None = None) -> None:
        """Send plain `text` (the bot escapes/renders it) with optional inline buttons."""
        ...


def ics_callback(milestone_id: int) -> str:
    """The callback data of the "📅 Ajouter à mon agenda" button."""
    return f"{ICS_CALLBACK_PREFIX}{milestone_id}"


def parse_ics_callback(data: str) -> int | None:
    """The milestone id of an "ics:<id>" callback, or None if `data` is something else."""
    if not data.startswith(ICS_CALLBACK_PREFIX):
        return None
    rest = data[len(ICS_CALLBACK_PREFIX) :]
    return int(rest) if rest.isdigit() else None
