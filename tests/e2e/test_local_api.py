"""Tests of the LocalBotApi stand-in itself, driven by the real python-telegram-bot client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.local_api import LocalBotApi, parse_html
from bot.terminal_chat import run_terminal_chat

USER = 1001
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Priorités", callback_data="prio"),
            InlineKeyboardButton("Élus", callback_data="elus"),
        ]
    ]
)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    client = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    async with client:
        yield client


async def known_user(api: LocalBotApi, bot: Bot) -> None:
    """The user talks first, so the private chat exists; the bot consumes that update."""
    await api.user_sends("salut", user_id=USER)
    updates = await bot.get_updates(timeout=1)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)


# ----------------------------------------------------------------------------- basics


@pytest.mark.asyncio
async def test_get_me_and_urls(api: LocalBotApi, bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "mandat_bot", True)
    assert api.base_url.startswith("http://127.0.0.1:") and api.base_url.endswith("/bot")


@pytest.mark.asyncio
async def test_wrong_token_is_rejected(api: LocalBotApi) -> None:
    intruder = Bot("999999:WRONG-TOKEN", base_url=api.base_url)
    with pytest.raises(InvalidToken):
        await intruder.initialize()


@pytest.mark.asyncio
async def test_raw_http_shapes(api: LocalBotApi) -> None:
    root = api.base_url + api.token
    async with httpx.AsyncClient() as client:
        wrong = await client.post(api.base_url + "1:bad/getMe")
        assert (wrong.status_code, wrong.json()) == (
            401,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
        )
        missing = await client.get(root + "/noSuchMethod")
        assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
        me = await client.get(root + "/GETME")  # method names are case-insensitive
        assert me.json()["ok"] is True and me.json()["result"]["username"] == "mandat_bot"
        api.add_chat(7)
        sent = await client.post(root + "/sendMessage", json={"chat_id": 7, "text": "salut"})
        assert sent.json()["result"]["chat"] == {"id": 7, "type": "private", "first_name": "Alice"}
        form = await client.post(
            root + "/sendMessage", data={"chat_id": "7", "text": "<x>", "parse_mode": "HTML"}
        )
        assert form.status_code == 400 and form.json()["description"].startswith(
            "Bad Request: can't parse entities: Unsupported start tag"
        )


def test_only_loopback_hosts() -> None:
    with pytest.raises(ValueError):
        LocalBotApi(host="0.0.0.0")


# ----------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bonjour <foo> !!", 'unsupported start tag "foo" at byte offset 8'),
        ("Élus <foo>", 'unsupported start tag "foo" at byte offset 6'),  # bytes, not chars
        ("<b>gras</i>", 'unmatched end tag at byte offset 7, expected "</b>", found "</i>"'),
        ("<b>jamais fermé", "can't find end tag corresponding to start tag b"),
        ("2 < 3", 'unsupported start tag "" at byte offset 2'),
        ("fin</b>", "unexpected end tag at byte offset 3"),
        ("<br/>ligne", 'unsupported start tag "br/"'),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
        ("Q&A", "character '&' must be escaped"),
        ("&nbsp;x", "character '&' must be escaped"),
        ("<b></b>", "message text is empty"),
        ("   ", "message text is empty"),
    ],
)
@pytest.mark.asyncio
async def test_bad_html_is_rejected(api: LocalBotApi, bot: Bot, text: str, expected: str) -> None:
    await known_user(api, bot)
    with pytest.raises(BadRequest) as info:
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    assert expected.lower() in info.value.message.lower()
    assert api.messages(USER) == []
    assert api.calls("sendMessage")[-1].error_code == 400


@pytest.mark.asyncio
async def test_valid_html_gives_plain_text_and_entities(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    html = (
        '<b>Gras <i>italique</i></b> &lt;3 &amp; &#233; <a href="https://ex.org/?a=1&amp;b=2">'
        'lien</a> <tg-spoiler>chut</tg-spoiler> <span class="tg-spoiler">s</span>\n'
        '<pre><code class="language-python">x = 1</code></pre><blockquote expandable>cité'
        "</blockquote>"
    )
    message = await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    assert message.text.startswith("Gras italique <3 & é lien chut s\nx = 1cité")
    kinds = {e.type: e for e in message.entities}
    assert kinds["text_link"].url == "https://ex.org/?a=1&b=2"
    assert kinds["pre"].language == "python"
    assert {"bold", "italic", "spoiler", "expandable_blockquote"} <= set(kinds)
    assert message.text_html.startswith("<b>Gras <i>italique</i></b> &lt;3 &amp; é")
    assert parse_html("😀<b>x</b>")[1] == [{"type": "bold", "offset": 2, "length": 1}]


@pytest.mark.asyncio
async def test_length_is_checked_after_entity_parsing(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "a" * 4097)
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(USER, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "&amp;" * 4097, parse_mode=ParseMode.HTML)
    assert [len(m["text"]) for m in api.messages(USER)] == [4096, 4096]


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)

    def keyboard(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("Voir", callback_data=data)]])

    await bot.send_message(USER, "ok", reply_markup=keyboard("x" * 64))
    for data in ("x" * 65, "é" * 33):  # 33 characters but 66 bytes
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(USER, "trop long", reply_markup=keyboard(data))
    text_only = InlineKeyboardMarkup([[InlineKeyboardButton("Rien")]])
    with pytest.raises(BadRequest, match="(?i)text buttons are unallowed"):
        await bot.send_message(USER, "sans action", reply_markup=text_only)
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("Site", url="http://localhost")]])
    with pytest.raises(BadRequest, match="(?i)wrong http url"):
        await bot.send_message(USER, "lien", reply_markup=bad_url)
    assert len(api.messages(USER)) == 1


@pytest.mark.asyncio
async def test_unknown_and_blocked_chats(api: LocalBotApi, bot: Bot) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(424242, "Bonjour")
    api.add_chat(424242)
    await bot.send_message(424242, "Bonjour")
    api.block(424242)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(424242, "Rappel")
    updates = await bot.get_updates(timeout=0)
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    api.unblock(424242)
    await bot.send_message(424242, "Rappel")
    assert [m["text"] for m in api.messages(424242)] == ["Bonjour", "Rappel"]


@pytest.mark.asyncio
async def test_edit_rules(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    sent = await bot.send_message(USER, "Menu", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("Menu", USER, sent.message_id, reply_markup=KEYBOARD)
    await bot.edit_message_text("Menu", USER, sent.message_id)  # no markup: buttons removed
    [current] = api.messages(USER)
    assert "reply_markup" not in current and current["text"] == "Menu"
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", USER, 999)
    await bot.delete_message(USER, sent.message_id)
    assert api.messages(USER) == []
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(USER, sent.message_id)


# ----------------------------------------------------------------------------- flood, faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.asyncio
async def test_flood_control_per_chat_and_global() -> None:
    async with LocalBotApi(per_chat_rate=1, global_rate=3) as api:
        async with Bot(api.token, base_url=api.base_url) as bot:
            for chat in (1, 2, 3, 4):
                api.add_chat(chat)
            await bot.send_message(1, "un")
            with pytest.raises(RetryAfter):
                await bot.send_message(1, "deux")
            await bot.send_message(2, "deux")
            await bot.send_message(3, "trois")
            with pytest.raises(RetryAfter):
                await bot.send_message(4, "quatre")  # 4th message in the same second
            assert api.rate_limited_count == 2
            assert [m["text"] for m in api.messages(1)] == ["un"]  # not delivered
            assert api.messages(4) == []
            error = api.calls("sendMessage", ok=False)[0]
            assert (error.error_code, error.retry_after) == (429, 1)
            assert error.description == "Too Many Requests: retry after 1"


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.asyncio
async def test_fault_injection(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    api.fail_next("sendMessage", chat_id=USER, error_code=400, description="Bad Request: boom")
    with pytest.raises(BadRequest, match="(?i)boom"):
        await bot.send_message(USER, "1")
    api.fail_next(
        "sendMessage", error_code=429, description="Too Many Requests: retry after 7", retry_after=7
    )
    with pytest.raises(RetryAfter):
        await bot.send_message(USER, "2")
    api.drop_next("sendMessage")
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "3")
    api.drop_next("sendMessage", deliver=True)
    with pytest.raises(NetworkError):
        await bot.send_message(USER, "4")
    await bot.send_message(USER, "5")
    assert [m["text"] for m in api.messages(USER)] == ["4", "5"]
    assert api.rate_limited_count == 1


# ----------------------------------------------------------------------------- updates


@pytest.mark.asyncio
async def test_get_updates_offset_long_poll_and_entities(api: LocalBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done()  # long polling: waits for an update
    sent = await api.user_sends("/start@mandat_bot bonjour @alice")
    [update] = await asyncio.wait_for(poll, 2)
    assert update.message.text == sent["text"]
    entities = [(e.type, e.offset, e.length) for e in update.message.entities]
    assert entities == [("bot_command", 0, 17), ("mention", 26, 6)]
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in again] == [update.update_id]  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    await api.wait_until_consumed(timeout=1)


@pytest.mark.asyncio
async def test_group_privacy_and_other_updates(api: LocalBotApi, bot: Bot) -> None:
    await api.user_sends("bavardage", chat_type="group", chat_title="Conseil")
    await api.user_sends("/aide", chat_type="group")
    await api.user_sends("/aide@autre_bot", chat_type="group")
    await api.user_sends("dis @mandat_bot", chat_type="group")
    await api.service_message(-1001, new_chat_members=[2002])
    sent = await api.user_sends("hello")
    await api.user_edits(USER, sent["message_id"], "hello!")
    await api.user_sends_sticker()
    await api.channel_post(-100777, "annonce")
    updates = await bot.get_updates(timeout=0)
    texts = [(u.effective_message.text, u.effective_chat.type) for u in updates]
    assert texts[:2] == [("/aide", "group"), ("dis @mandat_bot", "group")]
    assert updates[2].message.new_chat_members[0].id == 2002
    assert updates[4].edited_message.text == "hello!"
    assert updates[5].message.sticker.emoji == "👍"
    assert updates[6].channel_post.chat.type == "channel"


@pytest.mark.asyncio
async def test_commands_are_stored_per_scope(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    await bot.set_my_commands([BotCommand("start", "Accueil"), BotCommand("aide", "Aide")])
    await bot.set_my_commands(
        [BotCommand("admin", "Réglages")], scope=BotCommandScopeChat(USER), language_code="fr"
    )
    assert [c.command for c in await bot.get_my_commands()] == ["start", "aide"]
    scoped = await bot.get_my_commands(scope=BotCommandScopeChat(USER), language_code="fr")
    assert [c.command for c in scoped] == ["admin"]
    assert api.commands(BotCommandScopeChat(USER), "fr") == [
        {"command": "admin", "description": "Réglages"}
    ]
    assert api.commands() == [
        {"command": "start", "description": "Accueil"},
        {"command": "aide", "description": "Aide"},
    ]
    for bad, message in [
        (BotCommand("Start", "x"), "bot_command_invalid"),
        (BotCommand("a" * 33, "x"), "bot_command_invalid"),
        (BotCommand("ok", ""), "bot_command_description_invalid"),
    ]:
        with pytest.raises(BadRequest, match=f"(?i){message}"):
            await bot.set_my_commands([bad])
    await bot.delete_my_commands()
    assert api.commands() == []


@pytest.mark.asyncio
async def test_inline_query_roundtrip(api: LocalBotApi, bot: Bot) -> None:
    query_id = await api.user_inline_query("budget")
    [update] = await bot.get_updates(timeout=1)
    assert (update.inline_query.id, update.inline_query.query) == (query_id, "budget")

    def article(n: int, text: str = "Budget 2025") -> InlineQueryResultArticle:
        return InlineQueryResultArticle(str(n), f"Résultat {n}", InputTextMessageContent(text))

    with pytest.raises(BadRequest, match="(?i)results_too_much"):
        await bot.answer_inline_query(query_id, [article(n) for n in range(51)])
    with pytest.raises(BadRequest, match="(?i)result_id_duplicate"):
        await bot.answer_inline_query(query_id, [article(1), article(1)])
    with pytest.raises(BadRequest, match="(?i)can't parse entities"):
        await bot.answer_inline_query(
            query_id,
            [
                InlineQueryResultArticle(
                    "1", "HTML", InputTextMessageContent("<b>x", parse_mode=ParseMode.HTML)
                )
            ],
        )
    await bot.answer_inline_query(query_id, [article(1)], cache_time=0)
    answer = await api.wait_for_inline_answer(query_id, timeout=1)
    assert answer["results"][0]["title"] == "Résultat 1"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_inline_query(query_id, [article(2)])


@pytest.mark.asyncio
async def test_document_roundtrip(api: LocalBotApi, bot: Bot) -> None:
    await known_user(api, bot)
    ics = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
    sent = await bot.send_document(
        USER, ics, filename="conseil.ics", caption="Le <b>conseil</b>", parse_mode=ParseMode.HTML
    )
    assert sent.document.file_name == "conseil.ics" and sent.caption == "Le conseil"
    [doc] = api.documents(USER)
    assert (doc["file_name"], doc["content"], doc["mime_type"]) == (
        "conseil.ics",
        ics,
        "text/calendar",
    )
    with pytest.raises(BadRequest, match="(?i)no document in the request"):
        await bot.send_document(USER, "")
    await bot.send_document(USER, sent.document.file_id)  # re-send by file_id

    await api.user_sends_document("notes.txt", b"ordre du jour", caption="pour demain")
    [update] = await bot.get_updates(timeout=1)
    assert update.message.caption == "pour demain"
    telegram_file = await bot.get_file(update.message.document.file_id)
    assert bytes(await telegram_file.download_as_bytearray()) == b"ordre du jour"
    with pytest.raises(BadRequest, match="(?i)invalid file_id"):
        await bot.get_file("nope")


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
