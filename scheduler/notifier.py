"""How the scheduler talks to users: a small protocol the bot implements with PTB's `Bot`.

The scheduler never imports Telegram. The bot maps PTB's errors onto the exceptions below:
`telegram.error.RetryAfter` → `RetryLater`, `Forbidden` → `Blocked`, `NetworkError`/`TimedOut`
→ `TransientError`, `BadRequest` (and other 4xx) → `PermanentError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class CalendarButton:
    """"Add this milestone to my calendar": the bot turns it into its own callback data."""

    label: str
    milestone_id: int


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with the message (the text becomes its caption), e.g. an updated .ics."""

    filename: str
    data: bytes


Buttons = list[CalendarButton]
"""The inline buttons a message may carry (the scheduler knows no callback data)."""


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
    max_length: int
    """The longest text one message may carry (Telegram: 4096 characters); the deliverer
    sends a longer one as several messages."""
    max_caption: int
    """The longest caption a file may carry (Telegram: 1024 characters); the deliverer sends
    a longer text before the file (notifiers that never get attachments may leave it out)."""

    async def send(self, chat_id: int, text: str, *, buttons: Buttons | None = None,
                   attachment: Attachment | None = None) -> None:
        """Send plain `text` (the bot escapes/renders it) with optional inline buttons;
        with an `attachment`, the file goes with `text` as its caption (none if empty).
        (Notifiers that never get attachments may leave the parameter out: it is passed only
        when set.)"""
        ...

