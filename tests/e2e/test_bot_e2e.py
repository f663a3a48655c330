"""The real bot, end to end: python-telegram-bot's Application long-polls the loopback Bot API
stand-in over HTTP while simulated officials use it (see conftest.py for the harness).

The stand-in rejects what Telegram rejects (malformed HTML, >4096 characters, callback data
over 64 bytes, ...), so every sent message here is one Telegram would accept. Each test ends
with no failed Bot API call except the ones it injected, and every pressed button answered.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message
from telegram.ext import Application

from bot import texts
from bot.typography import french_spaces
from botapi_standin import parse_html
from knowledge.engine import AnswerKind
from knowledge.models import Person, UnansweredQuestion

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

USER = 1001  # BotEnv.send's default private chat
OTHER_USER = 2002
GROUP = -5001
BOT_USERNAME = "mandat_bot"
LOGEMENT_VP = "BENSARSA-REDA"


def buttons(message: dict) -> list[dict]:
    """Every inline button of a bot message, row by row."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def button_data(message: dict, text: str | None = None, prefix: str | None = None) -> str:
    """The callback_data of the first button whose label contains `text` / data has `prefix`."""
    for button in buttons(message):
        data = button.get("callback_data", "")
        if (text is None or text in button["text"]) and (prefix is None or data.startswith(prefix)):
            return data
    labels = [b["text"] for b in buttons(message)]
    raise AssertionError(f"no button {text or prefix!r} in {labels}")


def button_datas(message: dict) -> list[str]:
    return [b.get("callback_data", "") for b in buttons(message)]


def assert_clean(env: BotEnv) -> None:
    assert env.unexpected_failures() == []
    assert env.api.unanswered_callbacks() == []
    assert env.api.unknown_methods == []


async def press_and_edit(env: BotEnv, chat_id: int, message_id: int, data: str) -> dict:
    """Press a menu button: the bot answers the query and edits the SAME message."""
    edits = len(env.api.calls("editMessageText", ok=True))
    answer = await env.press(chat_id, message_id, data)
    assert answer["show_alert"] is False, answer
    await env.api.wait_for_calls("editMessageText", edits + 1, ok=True)
    return env.message(chat_id, message_id)


# ---------------------------------------------------------------------- start, help, menus


async def test_start_greets_by_name_with_the_menu(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/start", first_name="Camille")
    assert reply["text"].startswith("Bonjour Camille")
    assert "Grand-Orly Seine Bièvre" in reply["text"]
    assert [b["callback_data"] for b in buttons(reply)] == [
        "menu:prio",
        "menu:elus",
        "menu:fig",
        "ag:n:0",
        "menu:help",
    ]
    assert "reply_to_message" not in reply  # a private answer needs no quote
    assert_clean(bot_env)


async def test_start_escapes_the_users_name(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/start", first_name="<b>Eve & Cie</b>")
    assert reply["text"].startswith("Bonjour <b>Eve & Cie</b>")  # shown literally, not bold
    assert_clean(bot_env)


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("logement", LOGEMENT_VP),
        ("agenda", "Agenda : les prochains rendez-vous"),
        ("priorites", "Les axes du mandat"),
        ("elus", "Les élus qui portent les axes du mandat"),
        ("chiffres", "Chiffres clés"),
        ("axe_2", "Axe 2 :"),
    ],
)
async def test_start_deep_links_open_a_topic(bot_env: BotEnv, payload: str, expected: str) -> None:
    [reply] = await bot_env.send(f"/start {payload}")
    assert french_spaces(expected) in reply["text"]
    assert not reply["text"].startswith("Bonjour")
    assert_clean(bot_env)


@pytest.mark.parametrize("payload", ["axe_9", "axe_0"])
async def test_start_deep_link_to_a_missing_axis_still_replies(
    bot_env: BotEnv, payload: str
) -> None:
    """An old or mistyped link (t.me/mandat_bot?start=axe_9) must not be met with silence."""
    try:
        [reply] = await bot_env.send(f"/start {payload}", timeout=3)
    except TimeoutError:
        pytest.fail(f"/start {payload}: the bot never replied")
    assert reply["text"]
    assert_clean(bot_env)


@pytest.mark.parametrize("command", ["/aide", "/help"])
async def test_help(bot_env: BotEnv, command: str) -> None:
    [reply] = await bot_env.send(command)
    assert reply["text"].startswith("Ce que je sais faire")
    assert f"@{BOT_USERNAME} logement" in reply["text"]
    assert "/chercher" in reply["text"]
    assert buttons(reply)
    assert_clean(bot_env)


async def test_main_menu_buttons_edit_in_place(bot_env: BotEnv) -> None:
    [welcome] = await bot_env.send("/start")
    mid = welcome["message_id"]
    shown = await press_and_edit(bot_env, USER, mid, "menu:help")
    assert shown["text"].startswith("Ce que je sais faire")
    shown = await press_and_edit(bot_env, USER, mid, "menu:prio")
    assert shown["text"].startswith("Les axes du mandat")
    shown = await press_and_edit(bot_env, USER, mid, "menu:main")
    assert shown["text"].startswith("Bonjour Alice")
    assert len(bot_env.api.messages(USER)) == 1
    assert_clean(bot_env)


async def test_priorities_axis_priority_back_edits_the_same_message(bot_env: BotEnv) -> None:
    [menu] = await bot_env.send("/priorites")
    mid = menu["message_id"]
    assert menu["text"].startswith("Les axes du mandat")
    count = len(bot_env.api.messages(USER))

    axis = await press_and_edit(bot_env, USER, mid, "ax:1")
    assert axis["text"].startswith(french_spaces("Axe 1 :"))
    assert "Choisissez une priorité" in axis["text"]

    priority_data = button_data(axis, prefix="pr:")
    priority = await press_and_edit(bot_env, USER, mid, priority_data)
    assert french_spaces("Source : séminaire des élus 2021") in priority["text"]
    assert button_data(priority, text=texts.BACK) == "ax:1"

    back = await press_and_edit(bot_env, USER, mid, "ax:1")
    assert back["text"] == axis["text"]
    back = await press_and_edit(bot_env, USER, mid, "menu:prio")
    assert back["text"] == menu["text"]

    assert len(bot_env.api.messages(USER)) == count  # edited in place, nothing new
    assert len(bot_env.api.calls("sendMessage")) == 1
    assert_clean(bot_env)


async def test_people_then_a_person(bot_env: BotEnv) -> None:
    [people] = await bot_env.send("/elus")
    assert people["text"].startswith("Les élus qui portent les axes du mandat")
    assert "LEPRÊTRE" in people["text"]
    data = button_data(people, text="VIELHESCAZE")
    person = await press_and_edit(bot_env, USER, people["message_id"], data)
    assert person["text"].startswith("Camille VIELHESCAZE")
    assert "Source" in person["text"]
    assert button_data(person, text=texts.BACK) == "menu:elus:0"
    assert_clean(bot_env)


async def test_figures_by_commune(bot_env: BotEnv) -> None:
    [figures] = await bot_env.send("/chiffres")
    assert figures["text"].startswith("Chiffres clés")
    mid = figures["message_id"]
    communes = await press_and_edit(bot_env, USER, mid, button_data(figures, "Par commune"))
    assert communes["text"].startswith("Chiffres par commune")
    commune = await press_and_edit(bot_env, USER, mid, button_data(communes, "Vitry"))
    assert "Vitry" in commune["text"] and "Source" in commune["text"]
    assert len(bot_env.api.messages(USER)) == 1
    assert_clean(bot_env)


async def test_agenda_opens_on_what_is_next_and_keeps_the_past_one_button_away(
    bot_env: BotEnv,
) -> None:
    # the seminar's milestones (2021-2023) are all behind us
    [agenda] = await bot_env.send("/agenda")
    text = agenda["text"]
    assert text.startswith(french_spaces("Agenda : les prochains rendez-vous"))
    assert "Aucun rendez-vous à venir" in text and "/ajouter jalon" in text
    assert not [line for line in text.splitlines() if line.startswith("•")]
    assert not any(b.startswith("sub:") for b in button_datas(agenda))
    past = await press_and_edit(bot_env, USER, agenda["message_id"],
                                button_data(agenda, "Rendez-vous passés"))
    assert past["text"].startswith(french_spaces("Agenda : les rendez-vous passés"))
    assert "passé)" not in past["text"]
    assert not any(b.startswith("sub:") for b in button_datas(past))
    pages = int(past["text"].split("(page 1/", 1)[1].split(")", 1)[0])
    assert pages > 1
    second = await press_and_edit(bot_env, USER, past["message_id"],
                                  button_data(past, texts.NEXT))
    assert f"(page 2/{pages})" in second["text"]
    assert button_data(second, texts.PREVIOUS) == "ag:p:0"
    assert button_data(second, f"page 2/{pages}") == "ag:p:1"
    assert_clean(bot_env)


async def test_agenda_follows_the_clock_it_is_given(bot_env: BotEnv) -> None:
    bot_env.services.clock = lambda: datetime(2021, 1, 1, tzinfo=UTC)
    [agenda] = await bot_env.send("/agenda")
    items = [line for line in agenda["text"].splitlines() if line.startswith("•")]
    assert items and "Aucun rendez-vous à venir" not in agenda["text"]
    reminders = [b for b in button_datas(agenda) if b.startswith("sub:m:")]
    assert len(reminders) == len(items)
    assert_clean(bot_env)


# ---------------------------------------------------------------------- search


async def test_search_finds_the_housing_vice_president(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/chercher logement")
    assert reply["text"].startswith(french_spaces("Résultats pour « logement »"))
    assert LOGEMENT_VP in reply["text"]
    assert all(b["callback_data"].startswith("e:") for b in buttons(reply))
    assert_clean(bot_env)


async def test_search_without_words_explains_usage(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/chercher")
    assert reply["text"] == french_spaces("Que faut-il chercher ? Par exemple : /chercher logement")
    assert_clean(bot_env)


async def test_search_result_button_describes_the_entry(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/chercher logement")
    button = next(b for b in buttons(reply) if b["callback_data"].startswith("e:"))
    since = bot_env.last_message_id(USER)
    answer = await bot_env.press(USER, reply["message_id"], button["callback_data"])
    assert answer["text"] == ""
    [described] = await bot_env.replies(USER, since)
    assert button["text"].rstrip("…").split(" (")[0][:30] in described["text"]
    assert "Source" in described["text"]
    assert_clean(bot_env)


# ---------------------------------------------------------------------- free-text questions


async def test_question_in_private_is_answered_with_its_source(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("qui s'occupe du logement ?")
    assert LOGEMENT_VP in reply["text"]
    assert french_spaces("Source : séminaire des élus 2021") in reply["text"]
    assert len(reply["text"]) <= 700
    with Session(bot_env.services.db) as session:  # a confident answer is not logged
        assert session.exec(select(UnansweredQuestion)).all() == []
    assert_clean(bot_env)


async def test_question_in_private_starting_with_the_bots_mention(bot_env: BotEnv) -> None:
    """Officials used to groups also write « @mandat_bot … » in private: same answer."""
    [reply] = await bot_env.send(f"@{BOT_USERNAME} qui s'occupe du logement ?")
    assert LOGEMENT_VP in reply["text"], reply["text"]
    assert_clean(bot_env)


async def test_a_command_named_in_words_is_pointed_to(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("mes abonnements")
    assert "/abonnements" in reply["text"], reply["text"]
    assert_clean(bot_env)


async def test_a_greeting_is_greeted_and_not_logged(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("Bonjour !")
    assert reply["text"].startswith("Bonjour"), reply["text"]
    assert texts.UNKNOWN_LOGGED not in reply["text"]
    with Session(bot_env.services.db) as session:
        assert session.exec(select(UnansweredQuestion)).all() == []
    assert_clean(bot_env)


async def test_unknown_question_is_honest_and_logged_for_admins(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("Quel est l'horoscope du jour ?")
    assert reply["text"].startswith("Je n'ai pas trouvé")
    assert texts.UNKNOWN_LOGGED in reply["text"]
    await bot_env.send("Quel est l'horoscope du jour ?")
    with Session(bot_env.services.db) as session:
        rows = session.exec(select(UnansweredQuestion)).all()
    assert [(r.text, r.kind, r.count) for r in rows] == [
        ("Quel est l'horoscope du jour ?", "unknown", 2)
    ]
    assert_clean(bot_env)


# Questions the engine could not answer confidently at the time of writing; the test uses the
# first one that still gets suggestions (the engine keeps improving).
UNSURE_QUESTIONS = [
    "Le futur PLUi part-il d'une page blanche ?",
    "Combien coûte un ticket de métro ?",
    "Quel est le taux de chômage dans le territoire ?",
    "transport",
]


def label_core(label: str) -> str:
    """The part of a suggestion label that the described entry repeats."""
    return label.split(" — ")[0].split(" (")[0].rstrip("…")[:20]


async def test_unsure_question_offers_suggestions_and_one_is_described(bot_env: BotEnv) -> None:
    engine = bot_env.services.engine
    question = next(
        (
            q
            for q in UNSURE_QUESTIONS
            if engine.ask(q).kind is not AnswerKind.ANSWER and engine.ask(q).alternatives
        ),
        None,
    )
    assert question is not None, "no question left that the engine answers with suggestions"
    [reply] = await bot_env.send(question)
    assert french_spaces(texts.DID_YOU_MEAN) in reply["text"]
    suggestions = [b for b in buttons(reply) if b["callback_data"].startswith("e:")]
    assert suggestions and len(suggestions) == len(buttons(reply))

    chosen = suggestions[0]
    since = bot_env.last_message_id(USER)
    answer = await bot_env.press(USER, reply["message_id"], chosen["callback_data"])
    assert answer["text"] == ""
    [described] = await bot_env.replies(USER, since)
    assert label_core(chosen["text"]) in described["text"], (chosen["text"], described["text"])
    assert "Source" in described["text"]
    assert bot_env.message(USER, reply["message_id"]) == reply  # the question stays as it was
    assert_clean(bot_env)


async def test_every_button_of_a_calendar_answer_is_answered(bot_env: BotEnv) -> None:
    """Whatever the bot shows, pressing it gets an answer (no endless spinner)."""
    [reply] = await bot_env.send("PCAET c'est quand ?")
    assert reply["text"].startswith("Calendrier — PCAET")
    for button in buttons(reply):
        query_id = await bot_env.api.user_presses(
            USER, reply["message_id"], button["callback_data"]
        )
        try:
            await bot_env.api.wait_for_callback_answer(query_id, timeout=3)
        except TimeoutError:
            pytest.fail(
                f"button {button['text']!r} ({button['callback_data']}) is never "
                "answered: no handler matches its callback data"
            )
    assert_clean(bot_env)


async def forged_button(app: Application, chat_id: int, data: str) -> Message:
    """A message with one button carrying `data`, as a forger (or an older version) would."""
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("?", callback_data=data)]])
    return await app.bot.send_message(chat_id, "?", reply_markup=markup)


@pytest.mark.parametrize(
    "data",
    ["zz:1", "x", "menux:1", "ax:²", "pr:²", "e:person:²", "unsub:²", "sub:m:²",
     "ics:²", "ics:", "sub:", "unsub:" + "9" * 40],
)
async def test_forged_callback_data_is_answered(bot_env: BotEnv, data: str) -> None:
    """Data no handler routes, or with an identifier int() refuses: an alert, no spinner."""
    await bot_env.send("/start")  # the chat exists
    forged = await forged_button(bot_env.app, USER, data)
    answer = await bot_env.press(USER, forged.message_id, data)
    assert (answer["text"], answer["show_alert"]) in {
        (french_spaces(texts.STALE_BUTTON), True), ("Ce bouton n'est plus valable.", True)}, answer
    assert bot_env.message(USER, forged.message_id)["text"] == "?"  # nothing edited
    assert_clean(bot_env)


async def test_start_deep_link_with_a_superscript_digit_still_replies(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/start axe_²")  # "²".isdigit() is True, int("²") fails
    assert reply["text"] and texts.ERROR not in reply["text"]
    assert_clean(bot_env)


async def test_button_of_a_deleted_entry_gets_a_polite_alert(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/elus")
    data = button_data(reply, text="LABROUSSE")
    # an admin removes that official after the menu was sent; the engine reloads
    with Session(bot_env.services.db) as session:
        session.delete(session.get(Person, int(data.split(":")[1])))
        session.commit()
    bot_env.services.knowledge_changed()
    answer = await bot_env.press(USER, reply["message_id"], data)
    assert (answer["text"], answer["show_alert"]) == (french_spaces(texts.STALE_BUTTON), True)
    assert bot_env.message(USER, reply["message_id"]) == reply  # nothing edited
    assert_clean(bot_env)


async def test_html_in_a_question_never_breaks_a_message(bot_env: BotEnv) -> None:
    question = "<script>alert(1)</script> logement & co"
    [reply] = await bot_env.send(question)
    assert reply["text"]
    [search] = await bot_env.send("/chercher " + question)
    # shown literally
    assert french_spaces("« <script>alert(1)</script> logement & co »") in search["text"]
    [start] = await bot_env.send("/start <b>x</b>&amp;")
    assert start["text"]
    assert bot_env.api.calls("sendMessage", ok=False) == []
    assert_clean(bot_env)


# ---------------------------------------------------------------------- groups


async def test_group_plain_message_is_ignored(bot_env: BotEnv) -> None:
    await bot_env.send_nothing_back("qui s'occupe du logement ?", chat_id=GROUP)
    assert_clean(bot_env)


async def test_group_mention_is_answered(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send(f"@{BOT_USERNAME} qui s'occupe du logement ?", chat_id=GROUP)
    assert LOGEMENT_VP in reply["text"]
    assert_clean(bot_env)


async def test_group_mention_followed_by_a_comma_is_answered(bot_env: BotEnv) -> None:
    """« @mandat_bot, qui s'occupe du logement ? » is the natural way to write it."""
    [reply] = await bot_env.send(f"@{BOT_USERNAME}, qui s'occupe du logement ?", chat_id=GROUP)
    assert LOGEMENT_VP in reply["text"], reply["text"]
    assert_clean(bot_env)


async def test_group_bare_mention_gets_help(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send(f"@{BOT_USERNAME}", chat_id=GROUP)
    assert reply["text"].startswith("Ce que je sais faire")
    assert_clean(bot_env)


async def test_group_reply_to_the_bot_is_answered(bot_env: BotEnv) -> None:
    [first] = await bot_env.send(f"@{BOT_USERNAME} PCAET c'est quand ?", chat_id=GROUP)
    [reply] = await bot_env.send(
        "et qui s'occupe du logement ?", chat_id=GROUP, reply_to_message_id=first["message_id"]
    )
    assert LOGEMENT_VP in reply["text"]
    assert_clean(bot_env)


async def test_group_reply_to_a_human_is_ignored(bot_env: BotEnv) -> None:
    human = await bot_env.api.user_sends(
        "on en parle jeudi", chat_id=GROUP, chat_type="group", user_id=OTHER_USER, first_name="Bob"
    )
    await bot_env.barrier()
    await bot_env.send_nothing_back(
        "d'accord, et le logement ?", chat_id=GROUP, reply_to_message_id=human["message_id"]
    )
    assert_clean(bot_env)


async def test_group_command_for_this_bot_works(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send(f"/elus@{BOT_USERNAME}", chat_id=GROUP)
    assert reply["text"].startswith("Les élus qui portent les axes du mandat")
    [plain] = await bot_env.send("/agenda", chat_id=GROUP)
    assert plain["text"].startswith("Agenda")
    assert_clean(bot_env)


async def test_group_command_for_another_bot_is_ignored(bot_env: BotEnv) -> None:
    await bot_env.send_nothing_back("/elus@otherbot", chat_id=GROUP)
    await bot_env.send_nothing_back("/start@otherbot logement", chat_id=GROUP)
    assert_clean(bot_env)


async def test_group_unsupported_content_is_silent(bot_env: BotEnv) -> None:
    before = len(bot_env.api.messages(GROUP))
    await bot_env.api.user_sends_sticker(chat_id=GROUP, chat_type="group")
    await bot_env.api.user_sends_photo(chat_id=GROUP, chat_type="group")
    await bot_env.barrier()
    assert len(bot_env.api.messages(GROUP)) == before
    assert_clean(bot_env)


# ---------------------------------------------------------------------- inline mode


async def test_inline_query_gives_ten_valid_results_at_most(bot_env: BotEnv) -> None:
    query_id = await bot_env.api.user_inline_query("logement")
    answer = await bot_env.api.wait_for_inline_answer(query_id)
    results = answer["results"]
    assert 1 <= len(results) <= 10
    assert len({r["id"] for r in results}) == len(results)
    for result in results:
        assert result["type"] == "article" and result["title"].strip()
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert len(content["message_text"]) <= 4096
        parse_html(content["message_text"])  # Telegram would accept it
    assert LOGEMENT_VP in parse_html(results[0]["input_message_content"]["message_text"])[0]
    assert_clean(bot_env)


async def test_inline_query_empty_and_nonsense(bot_env: BotEnv) -> None:
    empty = await bot_env.api.wait_for_inline_answer(await bot_env.api.user_inline_query(""))
    assert empty["results"] == []
    html = await bot_env.api.wait_for_inline_answer(
        await bot_env.api.user_inline_query("<b>&amp; zzz")
    )
    for result in html["results"]:
        parse_html(result["input_message_content"]["message_text"])
    assert_clean(bot_env)


async def test_inline_queries_are_not_flood_controlled(bot_env: BotEnv) -> None:
    ids = [await bot_env.api.user_inline_query(f"logement {i}") for i in range(25)]
    for query_id in ids:
        answer = await bot_env.api.wait_for_inline_answer(query_id)
        assert answer["results"]
    assert_clean(bot_env)


# ---------------------------------------------------------------------- robustness


async def test_odd_updates_never_crash_the_bot(
    bot_env: BotEnv, caplog: pytest.LogCaptureFixture
) -> None:
    api = bot_env.api
    caplog.set_level(logging.WARNING)
    question = await api.user_sends("qui s'occupe du logement ?")
    await bot_env.replies(USER, question["message_id"] - 1)
    await api.user_edits(USER, question["message_id"], "qui s'occupe du sport ?")
    await api.user_sends_sticker()
    await api.user_sends_photo(caption="une photo")
    await api.user_sends_voice()
    await api.channel_post(-1_000_000_000_777, "Nouvelle publication du canal")
    await api.service_message(GROUP, new_chat_members=[OTHER_USER, api.bot_id])
    await api.service_message(GROUP, left_chat_member=OTHER_USER)
    await bot_env.barrier()

    hints = [m for m in api.messages(USER) if m["text"] == french_spaces(texts.UNSUPPORTED)]
    assert len(hints) == 3  # sticker, photo and voice: a gentle hint each, in private
    assert api.messages(GROUP) == []  # joining members get no unsolicited message
    assert api.messages(-1_000_000_000_777) == []

    [after] = await bot_env.send("/aide")  # still answering
    assert after["text"].startswith("Ce que je sais faire")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]
    assert not any(texts.ERROR in m["text"] for m in api.messages(USER))
    assert_clean(bot_env)


async def test_flood_gets_one_warning_and_others_are_unaffected(bot_env: BotEnv) -> None:
    api = bot_env.api
    for i in range(25):
        await api.user_sends(f"/aide {i}")
    await api.wait_for_messages(USER, 21, timeout=10)
    await bot_env.barrier()
    texts_sent = [m["text"] for m in api.messages(USER)]
    assert texts_sent.count(french_spaces(texts.SLOW_DOWN)) == 1
    assert len(texts_sent) == 21  # 20 answers, one warning, the last 4 dropped
    [other] = await bot_env.send("/aide", chat_id=OTHER_USER, first_name="Bob")
    assert other["text"].startswith("Ce que je sais faire")
    assert_clean(bot_env)


async def test_telegram_error_is_logged_and_the_bot_keeps_working(
    bot_env: BotEnv, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="bot.handlers")
    api = bot_env.api
    api.fail_next(
        "sendMessage",
        chat_id=USER,
        error_code=400,
        description="Bad Request: can't parse entities: injected",
    )
    bot_env.allow_failure(lambda c: c.error_code == 400 and "injected" in (c.description or ""))
    [apology] = await bot_env.send("/aide")
    assert apology["text"] == texts.ERROR  # the user is told, in French
    logged = [r for r in caplog.records if r.name == "bot.handlers" and r.levelno == logging.ERROR]
    assert len(logged) == 1 and "error while handling update" in logged[0].getMessage()
    assert api.token not in caplog.text
    [reply] = await bot_env.send("qui s'occupe du logement ?")
    assert LOGEMENT_VP in reply["text"]
    assert len(api.calls(ok=False)) == 1
    assert_clean(bot_env)


async def test_error_while_answering_a_button_is_reported_to_the_user(bot_env: BotEnv) -> None:
    """A failure behind a button must not fail silently: the user is told (alert or message)."""
    api = bot_env.api
    [menu] = await bot_env.send("/priorites")
    api.fail_next(
        "editMessageText",
        chat_id=USER,
        error_code=400,
        description="Bad Request: injected edit failure",
    )
    bot_env.allow_failure(lambda c: "injected edit failure" in (c.description or ""))
    query_id = await api.user_presses(USER, menu["message_id"], "ax:2")
    await api.wait_for_calls("editMessageText", 1, ok=False)
    await bot_env.barrier()
    assert bot_env.message(USER, menu["message_id"])["text"] == menu["text"]  # unchanged
    alert = api.callback_answer(query_id) or {}
    told = alert.get("text") == texts.ERROR or any(
        m["text"] == texts.ERROR for m in api.messages(USER)
    )
    assert told, (
        f"the error was never shown to the user: the query was answered with {alert!r} "
        f"and the error handler's own answer failed: {api.calls('answerCallbackQuery', ok=False)}"
    )
    shown = await press_and_edit(bot_env, USER, menu["message_id"], "ax:2")  # works again
    assert shown["text"].startswith(french_spaces("Axe 2 :"))
    assert_clean(bot_env)


async def test_rate_limit_429_is_retried(bot_env: BotEnv) -> None:
    api = bot_env.api
    api.fail_next(
        "sendMessage",
        chat_id=USER,
        error_code=429,
        description="Too Many Requests: retry after 1",
        retry_after=1,
    )
    bot_env.allow_failure(lambda c: c.error_code == 429)
    [reply] = await bot_env.send("qui s'occupe du logement ?", timeout=8)
    assert LOGEMENT_VP in reply["text"]
    failed = api.calls("sendMessage", ok=False)
    assert [(c.error_code, c.retry_after) for c in failed] == [(429, 1)]
    assert failed[0].params["text"] == api.calls("sendMessage", ok=True)[-1].params["text"]
    assert texts.ERROR not in [m["text"] for m in api.messages(USER)]
    assert_clean(bot_env)


async def test_command_menus_are_set_in_french_for_private_and_groups(bot_env: BotEnv) -> None:
    expected = [{"command": c, "description": d} for c, d in texts.COMMANDS_PUBLIC]
    private = bot_env.api.commands("all_private_chats")
    groups = bot_env.api.commands("all_group_chats")
    assert private == expected and groups == expected
    descriptions = {c["command"]: c["description"] for c in private}
    assert descriptions["start"] == "Accueil et menus"
    assert descriptions["aide"] == "Ce que je sais faire"
    assert {"start", "aide", "priorites", "elus", "chiffres", "agenda", "chercher"} <= set(
        descriptions
    )
    public_scopes = [c for c in bot_env.api.calls("setMyCommands", ok=True)
                     if "all_" in str(c.params.get("scope"))]
    assert len(public_scopes) == 2
    assert_clean(bot_env)


async def test_every_advertised_command_answers(bot_env: BotEnv) -> None:
    """Each command of the menu, and each one /aide mentions, gets a reply in private."""
    [help_reply] = await bot_env.send("/aide")
    advertised = {word.strip("—,.").split()[0] for word in help_reply["text"].split("• /")[1:]}
    menu = {c for c, _ in texts.COMMANDS_PUBLIC}
    missing = []
    for command in sorted(advertised | menu):
        since = bot_env.last_message_id(USER)
        await bot_env.api.user_sends(f"/{command}")
        try:
            await bot_env.replies(USER, since, timeout=2)
        except TimeoutError:
            missing.append(command)
    assert missing == [], f"commands advertised but never answered: {missing}"
    assert_clean(bot_env)


async def test_concurrent_users_each_get_their_own_answer(bot_env: BotEnv) -> None:
    users = range(3001, 3021)

    async def ask(user_id: int) -> str:
        [reply] = await bot_env.send(
            "qui s'occupe du logement ?", chat_id=user_id, first_name=f"Élu {user_id}"
        )
        return reply["text"]

    answers = await asyncio.gather(*(ask(u) for u in users))
    assert all(LOGEMENT_VP in a for a in answers)
    assert_clean(bot_env)


async def test_a_user_without_a_first_name_is_greeted_without_one(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/start", first_name="")
    assert reply["text"].startswith("Bonjour 👋")
    assert "Vous" not in reply["text"].splitlines()[0]


# ---------------------------------------------------------------------- lists told in part
async def test_a_list_cut_to_fit_offers_the_rest(bot_env: BotEnv) -> None:
    """An axis's priorities do not fit 600 characters: the answer ends on "Voir la suite",
    which tells them whole below it, page after page."""
    [reply] = await bot_env.send("axe 3 : la liste de ses priorités, s'il te plaît")
    assert len(reply["text"]) <= 600 and "…" in reply["text"], reply["text"]
    since = bot_env.last_message_id(USER)
    await bot_env.press(USER, reply["message_id"], button_data(reply, "Voir la suite"))
    [rest] = await bot_env.replies(USER, since)
    pages = [rest["text"]]
    while len(pages) < 10:  # "Suivant" until the first page comes back
        rest = await press_and_edit(bot_env, USER, rest["message_id"],
                                    button_data(rest, "Suivant"))
        if rest["text"] == pages[0]:
            break
        pages.append(rest["text"])
    title = french_spaces("Axe 3 « L'économie productive et l'emploi »")
    assert all(page.startswith(title) for page in pages), pages
    assert any("dans le PLUi et un rééquilibrage" in page for page in pages), pages
    assert_clean(bot_env)


async def test_a_list_told_whole_has_no_more_button(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("rappelle les quatre axes, stp")
    assert "Axe 4" in reply["text"], reply["text"]
    assert not any("Voir la suite" in b["text"] for b in buttons(reply)), buttons(reply)
    assert_clean(bot_env)
