"""Bot API methods and the user side: updates, privacy, commands, inline queries, files."""

from __future__ import annotations

import asyncio

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from botapi_standin import LocalBotApi

USER = 1001


# ----------------------------------------------------------------------------- updates


@pytest.mark.asyncio
async def test_get_updates_offset_long_poll_and_entities(api: LocalBotApi, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await api.wait_for_poll(timeout=2)  # the request has reached the stand-in, which holds it
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
async def test_commands_are_stored_per_scope(api: LocalBotApi, bot: Bot, known_user: int) -> None:
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
async def test_document_roundtrip(api: LocalBotApi, bot: Bot, known_user: int) -> None:
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


@pytest.mark.asyncio
async def test_get_file_refuses_a_file_over_20_mb_as_telegram_does(
    api: LocalBotApi, bot: Bot
) -> None:
    big = 20 * 1024 * 1024 + 1
    await api.user_sends_document("gros.pdf", b"0" * big)
    await api.user_sends_document("sans-taille.txt", b"ok", with_size=False)
    first, second = await bot.get_updates(timeout=1)
    assert first.message.document.file_size == big
    assert second.message.document.file_size is None  # optional, as on Telegram
    with pytest.raises(BadRequest, match="(?i)file is too big"):
        await bot.get_file(first.message.document.file_id)
    small = await bot.get_file(second.message.document.file_id)
    assert bytes(await small.download_as_bytearray()) == b"ok"




@pytest.mark.asyncio
async def test_forged_callback_on_a_message_or_without_one(
    api: LocalBotApi, bot: Bot, known_user: int
) -> None:
    sent = await bot.send_message(USER, "Sans boutons")
    on_message = await api.user_forges_callback(USER, "x:1", message_id=sent.message_id)
    no_message = await api.user_forges_callback(USER, "y", user_id=2002)
    updates = await bot.get_updates(timeout=1)
    first, second = (u.callback_query for u in updates)
    assert (first.id, first.data, first.message.message_id) == (on_message, "x:1",
                                                                 sent.message_id)
    assert first.from_user.id == USER and first.message.reply_markup is None
    assert (second.id, second.data, second.message) == (no_message, "y", None)
    assert second.inline_message_id and second.from_user.id == 2002
    assert sorted(api.unanswered_callbacks()) == sorted([on_message, no_message])
    await bot.answer_callback_query(no_message, "Bouton périmé", show_alert=True)
    assert api.callback_answer(no_message)["text"] == "Bouton périmé"
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await bot.answer_callback_query(no_message)
    assert api.unanswered_callbacks() == [on_message]
