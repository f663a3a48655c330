"""What an official sees (issue #19), through the real Application and the loopback Bot API,
written from the user's side: what they type, what comes back (text and buttons)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session, select

from bot import texts
from bot.typography import french_spaces
from knowledge.models import UnansweredQuestion

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

VITRY_L14 = "54 habitants"  # Vitry's line-14 figure in the seed
VITRY_SOURCE = "diapositive 34"


def assert_clean(env: BotEnv) -> None:
    assert env.unexpected_failures() == []
    assert env.api.unanswered_callbacks() == []


def unanswered(env: BotEnv) -> list[str]:
    """The admins' queue of unanswered questions (/questions)."""
    with Session(env.services.db) as session:
        return [row.text for row in session.exec(select(UnansweredQuestion)).all()]


async def asks(env: BotEnv, text: str) -> str:
    [reply] = await env.send(text)
    return reply.get("text") or ""


# ---------------------------------------------------------------------- 1. follow-ups
async def test_a_new_full_question_does_not_replay_the_previous_answer(bot_env: BotEnv) -> None:
    assert VITRY_L14 in await asks(bot_env, "vitry l14")
    reply = await asks(bot_env, "Quand a lieu la prochaine réunion ?")
    assert VITRY_L14 not in reply and VITRY_SOURCE not in reply, reply
    assert_clean(bot_env)


async def test_thanks_are_not_questions_and_keep_the_context(bot_env: BotEnv) -> None:
    assert VITRY_L14 in await asks(bot_env, "vitry l14")
    for thanks in ("thx", "merci beaucoup pour votre aide !"):
        reply = await asks(bot_env, thanks)
        assert VITRY_L14 not in reply and texts.UNKNOWN_LOGGED not in reply, reply
        assert reply.startswith("Avec plaisir"), reply
    assert unanswered(bot_env) == []  # nothing for the admins to look at
    reply = await asks(bot_env, "et pour Orly ?")  # a real follow-up still follows
    assert "Orly" in reply and "ligne 14" in reply, reply
    assert_clean(bot_env)


# ---------------------------------------------------------------------- 3. "not found"
def buttons(message: dict) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button["text"] for row in rows for button in row]


async def test_suggestions_are_announced_last_right_above_their_buttons(
        bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("Qui préside le conseil de développement ?")
    lines = reply["text"].splitlines()
    assert buttons(reply) and lines[-1] == french_spaces(texts.DID_YOU_MEAN), reply
    assert lines.count(french_spaces(texts.DID_YOU_MEAN)) == 1, reply
    assert texts.UNKNOWN_LOGGED in lines, reply
    [reply] = await bot_env.send("Quel est l'horoscope du jour ?")  # nothing to suggest
    assert not buttons(reply) and french_spaces(texts.DID_YOU_MEAN) not in reply["text"], reply
    assert_clean(bot_env)


async def test_only_related_suggestions_are_offered(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("combien coûte le tram ?")
    assert reply["text"].startswith("Je n'ai pas trouvé"), reply
    assert buttons(reply) == ["T9"], reply  # not the Grand Paris Express stations
    assert_clean(bot_env)


def shown(message: dict) -> tuple[str, list[str]]:
    return message.get("text") or "", buttons(message)


@pytest.mark.parametrize(("typed", "command"), [
    ("menu", "/start"), ("/menu", "/start"), ("Aide", "/aide"), ("agenda", "/agenda"),
    ("les chiffres", "/chiffres"),
    ("élus", "/elus"), ("je voudrais voir l'agenda svp", "/agenda")])
async def test_everyday_words_open_the_screen_they_name(bot_env: BotEnv, typed: str,
                                                        command: str) -> None:
    [by_word] = await bot_env.send(typed)
    [by_command] = await bot_env.send(command)
    assert shown(by_word) == shown(by_command), (typed, by_word)
    assert unanswered(bot_env) == []  # not a question the admins should look at
    assert_clean(bot_env)


async def test_asking_for_reminders_in_words_subscribes_like_the_command(
        bot_env: BotEnv) -> None:
    reply = await asks(bot_env, "je voudrais recevoir les rappels")
    assert reply.startswith("🔔 C'est noté") and "tous les rendez-vous" in reply, reply
    assert (await asks(bot_env, "/abonner")).startswith("Vous suivez déjà"), reply
    assert_clean(bot_env)


async def test_a_question_that_contains_a_screen_word_stays_a_question(bot_env: BotEnv) -> None:
    reply = await asks(bot_env, "quel est l'agenda du PCAET")
    [agenda] = await bot_env.send("/agenda")
    assert "PCAET" in reply.splitlines()[0] and reply != agenda["text"], reply
    assert_clean(bot_env)


@pytest.mark.parametrize(("typed", "known", "unknown"), [
    ("qui s'occupe du logement et qui s'occupe de la police ?", "BENSARSA-REDA",
     "qui s'occupe de la police"),
    ("c'est quand le PCAET ? et qui gère la vidéosurveillance ?", "Calendrier — PCAET",
     "qui gère la vidéosurveillance"),
])
async def test_a_two_part_message_answers_the_known_part_and_names_the_other(
        bot_env: BotEnv, typed: str, known: str, unknown: str) -> None:
    reply = await asks(bot_env, typed)
    assert known in reply and french_spaces("Source :") in reply, reply
    told = french_spaces(f"En revanche, « {unknown} » : le séminaire ne le précise pas.")
    assert told in reply, reply
    assert_clean(bot_env)
