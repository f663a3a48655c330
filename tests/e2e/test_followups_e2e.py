"""Follow-ups through the loopback Bot API: a fragment after an answer takes what it lacks
from the previous question of the same user in the same chat, for a few minutes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bench.judge import contains
from bot import conversation
from knowledge.answers import Answer, AnswerKind

if TYPE_CHECKING:  # the harness lives in conftest.py (fixture `bot_env`)
    from tests.e2e.conftest import BotEnv

BOT_USERNAME = "mandat_bot"

GROUP = -5002
ALICE, BOB = 3101, 3102
USER = 1001  # the private chat of BotEnv.send


def _text(message: dict) -> str:
    return message.get("text") or ""


async def _asks(bot_env: BotEnv, question: str, **who: object) -> str:
    [reply] = await bot_env.send(question, **who)
    return _text(reply)


async def test_another_commune_keeps_the_line(bot_env: BotEnv) -> None:
    assert contains(await _asks(bot_env, "Gentilly, ligne 15 : combien de bénéficiaires ?"),
                    "4")
    reply = await _asks(bot_env, "et à Valenton ?")
    assert "Valenton" in reply and contains(reply, "2") and "ligne 14" not in reply, reply


async def test_another_line_keeps_the_commune(bot_env: BotEnv) -> None:
    await _asks(bot_env, "bénéficiaires de Cachan sur la 15")
    reply = await _asks(bot_env, "et sur la ligne 14 ?")
    assert "Cachan" in reply and contains(reply, "17"), reply


async def test_its_calendar_after_a_definition(bot_env: BotEnv) -> None:
    await _asks(bot_env, "le plan vélo, c'est quoi ?")
    reply = await _asks(bot_env, "et son calendrier ?")
    assert "Plan vélo" in reply and "Préconisations" in reply, reply


async def test_who_else_names_someone_else(bot_env: BotEnv) -> None:
    first = await _asks(bot_env, "les stades transférés, c'est quel élu ?")
    assert "VILAIN" in first, first
    reply = await _asks(bot_env, "qui d'autre ?")
    assert "VILAIN" not in reply.split("\n")[0] and "LAURENT" in reply, reply


async def test_in_a_group_each_user_has_their_own_context(bot_env: BotEnv) -> None:
    alice = {"chat_id": GROUP, "user_id": ALICE, "first_name": "Alice"}
    bob = {"chat_id": GROUP, "user_id": BOB, "first_name": "Bob"}
    await _asks(bot_env, f"@{BOT_USERNAME} Villejuif sur la ligne 14 ?", **alice)
    bobs = await _asks(bot_env, f"@{BOT_USERNAME} et pour Orly ?", **bob)
    assert "Orly" in bobs and "ligne 15" in bobs, bobs  # Bob had asked nothing: both lines
    alices = await _asks(bot_env, f"@{BOT_USERNAME} et pour Orly ?", **alice)
    assert "Orly" in alices and contains(alices, "13") and "ligne 15" not in alices, alices


def test_the_context_expires() -> None:
    chat_data: dict = {}
    answer = Answer(kind=AnswerKind.ANSWER, question="q", headline="h", query="understood")
    conversation.remember(chat_data, ALICE, answer, now=100.0)
    assert conversation.previous_query(chat_data, ALICE, now=100.0 + 60) == "understood"
    assert conversation.previous_query(chat_data, BOB, now=100.0 + 60) is None
    later = 100.0 + conversation.FOLLOW_UP_SECONDS + 1
    assert conversation.previous_query(chat_data, ALICE, now=later) is None


async def test_a_follow_up_sent_before_the_answer_came_still_follows_it(bot_env: BotEnv) -> None:
    """The answer is computed off the event loop: the follow-up waits for its chat's turn
    (bot.lines), so it reads the context the question left, not the one before it."""
    since = bot_env.last_message_id(USER)
    await bot_env.api.user_sends("bénéficiaires de Cachan sur la 15", user_id=USER)
    await bot_env.api.user_sends("et sur la ligne 14 ?", user_id=USER)
    first, second = await bot_env.replies(USER, since, count=2)
    assert "Cachan" in _text(first) and "ligne 15" in _text(first), _text(first)
    assert "Cachan" in _text(second) and contains(_text(second), "17"), _text(second)


async def test_a_fragment_with_its_own_subject_asks_the_same_of_it(bot_env: BotEnv) -> None:
    """'et pour les stades ?' after a 'who' on housing names the official for the stadiums,
    not the housing one again."""
    assert "BENSARSA" in await _asks(bot_env, "qui s'occupe du logement ?")
    reply = await _asks(bot_env, "et pour les stades ?")
    assert "VILAIN" in reply and "BENSARSA" not in reply, reply
