"""Sending HTML to users: replies split under Telegram's limit, menu screens shown in place.

Shared by every command module (handlers, subscriptions, admin).
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot import screens, texts
from bot.formatting import MAX_MESSAGE, plain, split_html
from bot.typography import french_spaces, french_value


async def send_html(message: Message, text: str, reply_markup=None) -> None:  # noqa: ANN001
    """Reply with HTML, split under Telegram's limit; buttons go on the last part."""
    parts = split_html(text)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await message.reply_html(part, reply_markup=reply_markup if last else None,
                                 do_quote=False)


async def show(update: Update, screen: screens.Screen | None) -> None:
    """Show a menu screen: edit the pressed message in place, or send a new one."""
    if screen is None:
        if update.callback_query:
            await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)
        elif update.effective_message is not None:
            await send_html(update.effective_message, texts.STALE_LINK, screens.main_menu())
        return
    await show_html(update, *screen)


async def show_html(update: Update, text: str, markup=None) -> None:  # noqa: ANN001
    """A button's result replaces the pressed message (a new message when that one is gone,
    too old or the text too long), then the press is answered; other updates get a message.

    The press is answered last, so that a failure can still be told in the alert.
    """
    query = update.callback_query
    if query is None:
        if update.effective_message is not None:
            await send_html(update.effective_message, text, markup)
        return
    if not isinstance(query.message, Message):  # inline, too old or forged: nowhere to show
        await query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    if not await _edit_in_place(query.message, text, markup):
        await send_html(query.message, text, markup)
    await query.answer()


async def _edit_in_place(message: Message, text: str, markup=None) -> bool:  # noqa: ANN001
    """Edit `message` to show `text`; False when a new message must be sent instead."""
    if len(text) > MAX_MESSAGE:
        return False
    if _shown(message, text, markup):
        return True  # already shown: Telegram would refuse the edit ("not modified")
    try:
        await message.edit_text(text, reply_markup=markup, parse_mode=ParseMode.HTML)
    except BadRequest as exc:
        reason = str(exc).lower()
        if "not modified" in reason:
            return True
        if "not found" in reason or "can't be edited" in reason:
            return False
        raise
    return True


def _shown(message: Message, text: str, markup=None) -> bool:  # noqa: ANN001
    """Whether `message` shows `text` and `markup` as they are sent (French spaces)."""
    shown = message.reply_markup.to_dict() if message.reply_markup else None
    wanted = french_value(markup.to_dict()) if markup else None
    return message.text == plain(french_spaces(text)).strip() and shown == wanted
