"""The scheduler's Notifier on PTB's `Bot` (reminders and notices go out through it)."""

from __future__ import annotations

import io

from telegram import Bot, InputFile
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.callbacks import Prefix
from bot.formatting import MAX_MESSAGE, button, esc, keyboard
from scheduler.notifier import (
    Attachment,
    Blocked,
    Buttons,
    PermanentError,
    RetryLater,
    TransientError,
)


class BotNotifier:
    """The scheduler's Notifier on PTB's Bot: plain text escaped, buttons made callback data,
    errors mapped. Its `bot` has no rate limiter of its own (see `bot.app.reminder_bot`)."""

    max_length = MAX_MESSAGE  # plain text: Telegram counts the text after HTML parsing
    max_caption = MessageLimit.CAPTION_LENGTH  # a longer text goes before the file (Deliverer)

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def start(self) -> None:
        await self.bot.initialize()

    async def stop(self) -> None:
        await self.bot.shutdown()

    async def send(self, chat_id: int, text: str, *, buttons: Buttons | None = None,
                   attachment: Attachment | None = None) -> None:
        markup = keyboard([[button(b.label, Prefix.ICS, b.milestone_id)] for b in buttons or []])
        try:
            if attachment is None:
                await self.bot.send_message(chat_id, esc(text), reply_markup=markup,
                                            parse_mode=ParseMode.HTML)
            else:
                await self._send_file(chat_id, text, markup, attachment)
        except RetryAfter as exc:
            delay = exc.retry_after
            raise RetryLater(delay.total_seconds() if hasattr(delay, "total_seconds")
                             else float(delay)) from exc
        except Forbidden as exc:
            raise Blocked(str(exc)) from exc
        except BadRequest as exc:
            raise PermanentError(str(exc)) from exc
        except NetworkError as exc:
            raise TransientError(str(exc)) from exc
        except TelegramError as exc:
            raise PermanentError(str(exc)) from exc

    async def _send_file(self, chat_id: int, text: str, markup: object,
                         attachment: Attachment) -> None:
        """The file with `text` as its caption (none if empty: the deliverer sent a text too
        long for a caption before, as a part of its own)."""
        await self.bot.send_document(
            chat_id, InputFile(io.BytesIO(attachment.data), filename=attachment.filename),
            caption=esc(text) or None, reply_markup=markup, parse_mode=ParseMode.HTML)
