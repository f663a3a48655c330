"""The real python-telegram-bot Application long-polling the stand-in, and the terminal chat
(bot/terminal_chat.py, the stand-in's user side in a terminal) driven through it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.terminal_chat import run_terminal_chat
from botapi_standin import LocalBotApi

USER = 1001
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Priorités", callback_data="prio"),
            InlineKeyboardButton("Élus", callback_data="elus"),
        ]
    ]
)


# ----------------------------------------------------------------------------- real Application


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(
        "Bonjour <b>Alice</b> !", parse_mode=ParseMode.HTML, reply_markup=KEYBOARD
    )


async def on_press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer(f"Choix : {query.data}")
    await query.edit_message_text(
        f"Vous avez choisi <b>{query.data}</b>", parse_mode=ParseMode.HTML
    )


async def on_doc(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_document(b"BEGIN:VCALENDAR", filename="seance.ics")


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.effective_message.reply_text(f"Écho : {update.effective_message.text}")


@asynccontextmanager
async def running_app(api: LocalBotApi) -> AsyncIterator[Application]:
    app = (
        Application.builder()
        .token(api.token)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", on_start))
    app.add_handler(CommandHandler("doc", on_doc))
    app.add_handler(CallbackQueryHandler(on_press))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=5)
        try:
            yield app
        finally:
            await app.updater.stop()
            await app.stop()


@pytest.mark.asyncio
async def test_real_application_long_polls_the_stand_in(api: LocalBotApi) -> None:
    async with running_app(api):
        sent = await api.user_sends("/start")
        [reply] = await api.wait_for_messages(USER, since=sent["message_id"])
        assert reply["text"] == "Bonjour Alice !"
        assert reply["entities"] == [{"type": "bold", "offset": 8, "length": 5}]
        query_id = await api.user_presses(USER, reply["message_id"], "elus")
        assert (await api.wait_for_callback_answer(query_id))["text"] == "Choix : elus"
        [edited] = await api.wait_for_messages(
            USER, predicate=lambda m: m["text"] == "Vous avez choisi elus"
        )
        assert "reply_markup" not in edited  # the edit dropped the keyboard
        with pytest.raises(AssertionError, match="no button"):
            await api.user_presses(USER, reply["message_id"], "elus")
        assert api.unanswered_callbacks() == []
        assert not api.calls(ok=False)


@pytest.mark.asyncio
async def test_terminal_chat_with_the_real_application(api: LocalBotApi, tmp_path) -> None:
    lines = iter(["/start", "2", "7", "²", "/doc", "\\3", "/quit"])
    printed: list[str] = []
    async with running_app(api):
        await asyncio.wait_for(
            run_terminal_chat(
                api,
                input_func=lambda prompt: next(lines),
                output=printed.append,
                download_dir=tmp_path,
                reply_wait=3.0,
                quiet=0.05,
            ),
            timeout=20,
        )
    transcript = "\n".join(printed)
    assert "🤖 Bonjour Alice !\n   [1] Priorités  [2] Élus" in transcript
    assert "💬 Choix : elus" in transcript
    assert "✏️  Vous avez choisi elus" in transcript
    assert "🤖 Écho : 7" in transcript  # no buttons left: a number is plain text
    assert "🤖 Écho : ²" in transcript  # "²".isdigit() is True, but it is no button number
    assert "📎 seance.ics (15 octets)" in transcript
    assert (tmp_path / "seance.ics").read_bytes() == b"BEGIN:VCALENDAR"
    assert "🤖 Écho : 3" in transcript
    assert printed[-1] == "Au revoir."
