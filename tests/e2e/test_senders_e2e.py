"""Issue #18: senders without a name, end to end.

Telegram lets a user have no first name, last name or username, and lets a group message be
sent on behalf of a chat (an anonymous admin: `sender_chat` is the group, `from` is
GroupAnonymousBot; a channel: `from` is Channel_Bot, or absent). Each of them can subscribe,
ask a question and try an admin command: answered normally, nothing crashes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from sqlmodel import Session, select

from bot import texts
from bot.handlers import FLOOD_LIMIT
from bot.typography import french_spaces
from knowledge.models import Subscriber
from tests.e2e.conftest import ADMIN, BOT_USERNAME

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

NAMELESS = 5005
GROUP, CHANNEL = -1_000_000_000_777, -1_000_000_000_555
OTHER_GROUP = -1_000_000_000_888
NO_NAME: dict[str, Any] = {"first_name": "", "last_name": None, "username": None}
QUESTION = "qui s'occupe du logement ?"


def subscriber_name(env: BotEnv, chat_id: int) -> str:
    with Session(env.services.db) as session:
        return session.exec(select(Subscriber.name).where(Subscriber.chat_id == chat_id)).one()


def assert_no_error(env: BotEnv, caplog: pytest.LogCaptureFixture) -> None:
    assert [r.getMessage() for r in caplog.records if r.levelname == "ERROR"] == []
    assert env.unexpected_failures() == []


async def test_a_user_without_any_name_subscribes_asks_and_is_greeted(
    bot_env: BotEnv, caplog: pytest.LogCaptureFixture
) -> None:
    [welcome] = await bot_env.send("/start", chat_id=NAMELESS, **NO_NAME)
    assert welcome["text"].startswith("Bonjour 👋"), welcome["text"]
    [done] = await bot_env.send("/abonner", chat_id=NAMELESS, **NO_NAME)
    assert done["text"].startswith("🔔 C'est noté"), done["text"]
    assert subscriber_name(bot_env, NAMELESS) == ""
    [answer] = await bot_env.send(QUESTION, chat_id=NAMELESS, **NO_NAME)
    assert "logement" in answer["text"].lower() and texts.ERROR not in answer["text"]
    assert_no_error(bot_env, caplog)


async def test_an_admin_without_any_name_runs_admin_commands(
    bot_env: BotEnv, caplog: pytest.LogCaptureFixture
) -> None:
    [fields] = await bot_env.send("/champs jalon", chat_id=ADMIN, **NO_NAME)
    assert "titre" in fields["text"], fields["text"]
    [done] = await bot_env.send("/abonner", chat_id=ADMIN, **NO_NAME)
    assert done["text"].startswith("🔔 C'est noté"), done["text"]
    assert_no_error(bot_env, caplog)


@pytest.mark.parametrize(("sender_chat", "from_account"), [
    (GROUP, True),  # an anonymous admin: from GroupAnonymousBot
    (GROUP, False),  # the same, from left out
    (CHANNEL, True),  # on behalf of a channel: from Channel_Bot
    (CHANNEL, False),
], ids=["anonymous-admin", "anonymous-admin-no-from", "channel", "channel-no-from"])
async def test_a_group_message_sent_as_a_chat_is_answered(
    bot_env: BotEnv, caplog: pytest.LogCaptureFixture, sender_chat: int, from_account: bool
) -> None:
    bot_env.api.add_chat(GROUP, chat_type="supergroup", title="Conseil <municipal>")
    bot_env.api.add_chat(CHANNEL, chat_type="channel", title="Canal & co")
    who = {"chat_type": "supergroup", "sender_chat": sender_chat, "from_account": from_account}
    [done] = await bot_env.send("/abonner", chat_id=GROUP, **who)
    assert done["text"].startswith("🔔 C'est noté"), done["text"]
    title = "Conseil <municipal>" if sender_chat == GROUP else "Canal & co"
    assert subscriber_name(bot_env, GROUP) == title
    [answer] = await bot_env.send(f"@{BOT_USERNAME} {QUESTION}", chat_id=GROUP, **who)
    assert "logement" in answer["text"].lower() and texts.ERROR not in answer["text"]
    [refused] = await bot_env.send("/champs jalon", chat_id=GROUP, **who)
    assert refused["text"] == texts.REFUSED, refused["text"]
    assert_no_error(bot_env, caplog)


async def test_anonymous_admins_of_two_groups_have_an_allowance_each(bot_env: BotEnv) -> None:
    """Flood control counts per sender: an anonymous admin is their group (`sender_chat`),
    not GroupAnonymousBot, whose one id every group's anonymous admins share."""
    api = bot_env.api
    for group in (GROUP, OTHER_GROUP):
        api.add_chat(group, chat_type="supergroup", title=f"Groupe {group}")
    for _ in range(FLOOD_LIMIT):
        await api.user_sends("/aide", chat_id=GROUP, chat_type="supergroup", sender_chat=GROUP)
    helps = await api.wait_for_messages(GROUP, FLOOD_LIMIT, timeout=30)
    assert all(m["text"].startswith("Ce que je sais faire") for m in helps)
    [other] = await bot_env.send("/aide", chat_id=OTHER_GROUP, chat_type="supergroup",
                                 sender_chat=OTHER_GROUP)
    assert other["text"].startswith("Ce que je sais faire"), other["text"]
    assert bot_env.unexpected_failures() == []


async def test_a_chat_sending_without_from_is_flood_controlled(bot_env: BotEnv) -> None:
    """A group message on behalf of a chat whose `from` is left out was never counted."""
    api = bot_env.api
    api.add_chat(GROUP, chat_type="supergroup", title="Conseil")
    api.add_chat(CHANNEL, chat_type="channel", title="Canal")
    for _ in range(FLOOD_LIMIT + 1):
        await api.user_sends("/aide", chat_id=GROUP, chat_type="supergroup",
                             sender_chat=CHANNEL, from_account=False)
    replies = await api.wait_for_messages(GROUP, FLOOD_LIMIT + 1, timeout=30)
    await bot_env.barrier()
    sent = [m["text"] for m in api.messages(GROUP)]
    slow_down = french_spaces(texts.SLOW_DOWN)
    assert sent.count(slow_down) == 1 and replies[-1]["text"] == slow_down
    assert len(sent) == FLOOD_LIMIT + 1  # the answers, then one warning
    assert bot_env.unexpected_failures() == []
