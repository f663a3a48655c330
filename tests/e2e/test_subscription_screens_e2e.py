"""What an official sees when following the calendar (issue 19, item 4): an unknown topic,
/abonnements' settings, /desabonner's account of what it removed, /rappels in plain French."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlmodel import Session, select

from bot.typography import french_spaces
from knowledge.models import Subscriber, Subscription

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

USER = 1001
DAY, HOUR = 86_400, 3_600


def buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def labelled(message: dict, label: str) -> dict:
    """The button whose label is `label` (ticked or not), or starts with the emoji `label`."""
    emoji = len(label) == 1
    return next(b for b in buttons(message) if b["text"].removeprefix("✅ ") == label
                or (emoji and b["text"].startswith(label)))


def topics(env: BotEnv) -> list[str | None]:
    with Session(env.services.db) as session:
        return [s.topic for s in session.exec(select(Subscription))]


def subscriber(env: BotEnv) -> Subscriber | None:
    with Session(env.services.db) as session:
        return session.exec(select(Subscriber).where(Subscriber.chat_id == USER)).first()


async def test_an_unknown_topic_offers_the_nearest_projects_and_subscribes_nothing(
    bot_env: BotEnv,
) -> None:
    [reply] = await bot_env.send("/abonner conseil territorial")
    assert "rien n'a été enregistré" in reply["text"], reply["text"]
    assert "Vouliez-vous dire" in reply["text"]
    assert [b["text"] for b in buttons(reply)][:1] == ["🔔 Schéma logistique territorial"]
    assert topics(bot_env) == []

    await bot_env.press(USER, reply["message_id"], buttons(reply)[0]["callback_data"])
    [done] = await bot_env.replies(USER, reply["message_id"])
    assert "C'est noté" in done["text"] and "Schéma logistique territorial" in done["text"]
    assert topics(bot_env) == ["Schéma logistique territorial"]


async def test_an_unrelated_topic_offers_no_random_project(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/abonner piscines <b>")
    assert french_spaces("« piscines <b> »") in reply["text"]
    assert "rien n'a été enregistré" in reply["text"]
    assert "Vouliez-vous dire" not in reply["text"] and buttons(reply) == []
    assert topics(bot_env) == []


async def test_subscriptions_show_the_delays_and_monday_summary_with_buttons(
    bot_env: BotEnv,
) -> None:
    [screen] = await bot_env.send("/abonnements")  # nothing followed yet: settings still shown
    assert "aucun abonnement" in screen["text"].lower()
    assert "7 j, 1 j, 2 h avant" in screen["text"] and "Résumé du lundi" in screen["text"]
    assert "désactivé" in screen["text"]
    assert labelled(screen, "1 semaine, la veille, 2 h")["text"].startswith("✅")

    await bot_env.press(USER, screen["message_id"], labelled(screen, "La veille")["callback_data"])
    screen = bot_env.message(USER, screen["message_id"])  # the same message, updated
    assert french_spaces("Rappels : 1 j avant") in screen["text"], screen["text"]
    assert labelled(screen, "La veille")["text"] == "✅ La veille"
    assert subscriber(bot_env).offsets == [DAY]

    await bot_env.press(USER, screen["message_id"], labelled(screen, "📬")["callback_data"])
    screen = bot_env.message(USER, screen["message_id"])
    assert french_spaces("Résumé du lundi (8 h 30) : activé") in screen["text"], screen["text"]
    assert subscriber(bot_env).digest is True
    await bot_env.press(USER, screen["message_id"], labelled(screen, "🔕")["callback_data"])
    assert "désactivé" in bot_env.message(USER, screen["message_id"])["text"]
    assert subscriber(bot_env).digest is False


async def test_unsubscribing_says_what_was_removed_and_what_is_left(bot_env: BotEnv) -> None:
    await bot_env.send("/abonner plan velo")
    await bot_env.send("/abonner")
    [part] = await bot_env.send("/desabonner plan velo")
    assert french_spaces("Désabonné de : « Plan vélo »") in part["text"], part["text"]
    assert french_spaces("Il vous reste : tous les rendez-vous") in part["text"]

    await bot_env.send("/abonner plan velo")
    [screen] = await bot_env.send("/abonnements")
    await bot_env.press(USER, screen["message_id"], labelled(screen, "📬")["callback_data"])
    [everything] = await bot_env.send("/desabonner")
    assert "tous les rendez-vous" in everything["text"]
    assert french_spaces("« Plan vélo »") in everything["text"]
    assert "résumé du lundi est arrêté" in everything["text"]
    assert "reste" not in everything["text"]
    assert topics(bot_env) == [] and subscriber(bot_env).digest is False


async def test_reminder_delays_in_plain_french(bot_env: BotEnv) -> None:
    [shown] = await bot_env.send("/rappels")
    assert french_spaces("Vos rappels : 7 j, 1 j, 2 h avant") in shown["text"], shown["text"]
    [done] = await bot_env.send("/rappels 1 semaine et la veille")
    assert "7 j, 1 j avant" in done["text"], done["text"]
    assert subscriber(bot_env).offsets == [7 * DAY, DAY]
    [done] = await bot_env.send("/rappels 3 heures avant")
    assert subscriber(bot_env).offsets == [3 * HOUR]

    [refused] = await bot_env.send("/rappels dans <2> ans")
    assert "non compris" in refused["text"] and "Rien n'a changé" in refused["text"]
    assert "<2>" in refused["text"]  # shown as typed (escaped), not taken as markup
    assert subscriber(bot_env).offsets == [3 * HOUR]
    [shown] = await bot_env.send("/rappels")
    assert french_spaces("Vos rappels : 3 h avant") in shown["text"]
