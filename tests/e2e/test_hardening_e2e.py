"""Issue #10, end to end: what a forger, a flooder or a vanished message may not break.

Forged buttons (someone else's subscription, no message at all), presses on a message that
was deleted meanwhile, presses on the screen already shown, presses while flooding: each is
answered, nothing the Bot API refuses is sent, and nobody learns or changes what is not theirs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot import texts
from bot.admin.journal import JOURNAL_VALUE
from bot.callbacks import Prefix, build
from bot.formatting import shorten
from bot.typography import french_spaces
from knowledge.models import Subscriber, Subscription, utcnow

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

USER = 1001
MALLORY = 6666


def assert_clean(env: BotEnv) -> None:
    assert env.unexpected_failures() == []
    assert env.api.unanswered_callbacks() == []


def buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def subscriptions_of(env: BotEnv, chat_id: int) -> list[str | None]:
    with Session(env.services.db) as session:
        return [s.topic for s in session.exec(
            select(Subscription).join(Subscriber).where(Subscriber.chat_id == chat_id))]


def subscription_id(env: BotEnv, chat_id: int) -> int:
    with Session(env.services.db) as session:
        return session.exec(select(Subscription.id).join(Subscriber)
                            .where(Subscriber.chat_id == chat_id)).one()


async def forge(env: BotEnv, chat_id: int, data: str, message_id: int | None) -> dict:
    query = await env.api.user_forges_callback(chat_id, data, message_id=message_id)
    return await env.api.wait_for_callback_answer(query)


async def test_someone_elses_unsubscribe_button_is_refused_without_naming_it(
    bot_env: BotEnv,
) -> None:
    await bot_env.send("/abonner plan velo")
    await bot_env.send("/abonner", chat_id=MALLORY, first_name="Mallory")  # everything
    victim = subscription_id(bot_env, USER)
    [own] = await bot_env.send("/aide", chat_id=MALLORY)
    since = bot_env.last_message_id(MALLORY)
    answer = await forge(bot_env, MALLORY, build(Prefix.UNSUBSCRIBE, victim), own["message_id"])
    assert (answer["text"], answer["show_alert"]) == (texts.SUB_STALE, True)
    await bot_env.barrier()
    assert [m for m in bot_env.api.messages(MALLORY) if m["message_id"] > since] == []
    assert subscriptions_of(bot_env, USER) == ["Plan vélo"]
    assert subscriptions_of(bot_env, MALLORY) == [None]  # not unsubscribed from everything
    assert_clean(bot_env)


async def test_forged_buttons_without_a_message_are_answered(bot_env: BotEnv) -> None:
    await bot_env.send("/abonner")
    own = subscription_id(bot_env, USER)
    for data in ["menu:prio", "ax:1", "ag:0", "e:person:1", "sub:m:1", "ics:1",
                 f"unsub:{own}", "adm:ls:1:0", "zz"]:
        answer = await forge(bot_env, USER, data, None)
        assert answer["show_alert"] is True, (data, answer)
    assert subscriptions_of(bot_env, USER) == [None]
    assert_clean(bot_env)


async def test_a_button_on_a_deleted_message_sends_a_new_one(bot_env: BotEnv) -> None:
    [menu] = await bot_env.send("/start")
    data = next(b["callback_data"] for b in buttons(menu) if b["callback_data"] == "menu:prio")
    await bot_env.app.bot.delete_message(USER, menu["message_id"])
    since = bot_env.last_message_id(USER)
    answer = await forge(bot_env, USER, data, menu["message_id"])
    assert answer["show_alert"] is False
    [screen] = await bot_env.replies(USER, since)
    assert screen["text"].startswith("Les axes du mandat")
    bot_env.allow_failure(lambda call: call.method == "editMessageText"
                          and "message to edit not found" in call.description)
    assert_clean(bot_env)


async def test_pressing_the_screen_already_shown_sends_no_refused_edit(bot_env: BotEnv) -> None:
    [menu] = await bot_env.send("/priorites")
    await bot_env.press(USER, menu["message_id"], buttons(menu)[0]["callback_data"])
    shown = bot_env.message(USER, menu["message_id"])
    back = next(b["callback_data"] for b in buttons(shown) if b["callback_data"] == "menu:prio")
    await bot_env.press(USER, menu["message_id"], back)
    answer = await forge(bot_env, USER, back, menu["message_id"])  # what it shows already
    assert answer["show_alert"] is False
    assert bot_env.api.calls("editMessageText", ok=False) == []
    assert_clean(bot_env)


async def test_every_press_of_a_flooding_user_is_answered(bot_env: BotEnv) -> None:
    [menu] = await bot_env.send("/start")
    queries = [await bot_env.api.user_presses(USER, menu["message_id"], "menu:help")
               for _ in range(30)]
    answers = [await bot_env.api.wait_for_callback_answer(q) for q in queries]
    # Taps that raced the first edit carry the old menu: Telegram refuses their edit as "not
    # modified" and the bot ignores it (nothing lost). Flood control is what is tested here.
    bot_env.allow_failure(lambda call: "not modified" in call.description)
    assert [a["text"] for a in answers].count(french_spaces(texts.SLOW_DOWN)) >= 10
    slow_down = french_spaces(texts.SLOW_DOWN)
    assert sum(a["show_alert"] and a["text"] == slow_down for a in answers) == 1
    assert_clean(bot_env)


HOSTILE = "Zorglub <b>X</b> <a href='http://evil.example/'>clic</a> 3 < 4 & co"


def shows_literally(message: dict) -> bool:
    """The hostile title appears as typed, with no formatting Telegram made of it."""
    text = message.get("text") or message.get("caption") or ""
    entities = message.get("entities") or message.get("caption_entities") or []
    return HOSTILE in text and not any(e["type"] == "text_link" for e in entities)


async def test_hostile_titles_are_shown_literally_in_every_view(bot_env: BotEnv) -> None:
    """Issue #10.1: answers, menus, agenda, search, reminder, digest, .ics caption and the
    admin previews, with a milestone whose title and place are HTML."""
    from scheduler.reminders import last_digest_instant
    from tests.e2e.test_subscriptions_e2e import add_milestone

    env, admin = bot_env, 4242
    monday = last_digest_instant(utcnow() + timedelta(days=7), env.services.settings.tz)
    start = monday + timedelta(days=1)
    milestone_id = add_milestone(env, start - utcnow(), key="zorglub", title=HOSTILE,
                                 project="Zorglub", location=HOSTILE)
    await env.send("/abonner")
    [digest_now] = await env.send("/resume")  # this week's digest, and a button for Mondays
    views = [dict(digest_now)]  # the press below edits that message
    await env.press(USER, digest_now["message_id"], buttons(digest_now)[0]["callback_data"])
    await env.api.wait_for_messages(  # the confirmation, before the next question's replies
        USER, predicate=lambda m: "activé" in (m.get("text") or ""))
    views += [*await env.send("Zorglub c'est quand ?"), *await env.send("/chercher zorglub"),
             *await env.send("/agenda")]

    since = env.last_message_id(USER)
    env.services.reminders.clock = lambda: start - timedelta(days=1) + timedelta(minutes=1)
    await env.services.reminders.run_due()
    [reminder] = await env.replies(USER, since)
    views.append(reminder)
    ics = next(b["callback_data"] for b in buttons(reminder) if b["callback_data"]
               == build(Prefix.ICS, milestone_id))
    await env.press(USER, reminder["message_id"], ics)
    await env.api.wait_for_calls("sendDocument")
    views.append(env.api.messages(USER)[-1])

    since = env.last_message_id(USER)
    env.services.reminders.clock = lambda: monday + timedelta(minutes=1)
    await env.services.reminders.send_digest()
    views += await env.replies(USER, since)

    views += await env.send("/liste jalon zorglub", chat_id=admin)
    views += await env.send(f"/supprimer jalon {milestone_id}", chat_id=admin)
    views += await env.send(f'/modifier jalon {milestone_id} description="{HOSTILE}"',
                            chat_id=admin)
    missing = [v.get("text") or v.get("caption") for v in views if not shows_literally(v)]
    assert missing == []
    # /journal tells each value in at most JOURNAL_VALUE characters: literally, cut at its end
    [journal] = await env.send("/journal", chat_id=admin)  # the description, before → after
    assert f"(vide) → {shorten(HOSTILE, JOURNAL_VALUE)}" in journal["text"]
    assert not any(e["type"] == "text_link" for e in journal.get("entities") or [])
    assert_clean(env)
