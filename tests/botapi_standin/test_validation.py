"""Telegram's rules the stand-in enforces: HTML parse mode, lengths, buttons, chats, edits."""

from __future__ import annotations

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden

from botapi_standin import LocalBotApi, parse_html

USER = 1001
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Priorités", callback_data="prio"),
            InlineKeyboardButton("Élus", callback_data="elus"),
        ]
    ]
)


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
async def test_bad_html_is_rejected(
    api: LocalBotApi, bot: Bot, text: str, expected: str, known_user: int
) -> None:
    with pytest.raises(BadRequest) as info:
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    assert expected.lower() in info.value.message.lower()
    assert api.messages(USER) == []
    assert api.calls("sendMessage")[-1].error_code == 400


@pytest.mark.asyncio
async def test_valid_html_gives_plain_text_and_entities(
    api: LocalBotApi, bot: Bot, known_user: int
) -> None:
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
async def test_length_is_checked_after_entity_parsing(
    api: LocalBotApi, bot: Bot, known_user: int
) -> None:
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "a" * 4097)
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode=ParseMode.HTML)
    await bot.send_message(USER, "&amp;" * 4096, parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="(?i)message is too long"):
        await bot.send_message(USER, "&amp;" * 4097, parse_mode=ParseMode.HTML)
    assert [len(m["text"]) for m in api.messages(USER)] == [4096, 4096]


@pytest.mark.asyncio
async def test_callback_data_is_limited_to_64_bytes(
    api: LocalBotApi, bot: Bot, known_user: int
) -> None:

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
async def test_edit_rules(api: LocalBotApi, bot: Bot, known_user: int) -> None:
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


