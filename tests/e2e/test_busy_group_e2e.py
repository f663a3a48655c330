"""A group over Telegram's rate limit slows only itself (issue #18): its updates wait for the
group's turn without holding the slots every chat's updates are handled in."""

from __future__ import annotations

import asyncio

from telegram.constants import ChatType

from bot.lines import ChatLines
from tests.e2e.conftest import TIMEOUT, BotEnv

GROUP = -5005
MEMBERS = range(7001, 7008)
SENDS_EACH = 16  # under the per-user flood guard (20 a minute): 112 /aide in all
OTHER = 1002
# AIORateLimiter sends a group's first 20 replies at once, then one every 3 s: its 24th
# reply comes some 12 s after the flood, long after an unhindered private reply.
THROTTLED_REPLY = 24


async def test_a_group_over_its_rate_limit_holds_up_no_other_chat(bot_env: BotEnv) -> None:
    api = bot_env.api
    for _ in range(SENDS_EACH):
        for member in MEMBERS:
            await api.user_sends("/aide", chat_id=GROUP, chat_type=ChatType.GROUP,
                                 user_id=member)
    await api.wait_until_consumed(timeout=TIMEOUT)  # the bot has taken the whole flood

    private = asyncio.create_task(bot_env.send("/aide", chat_id=OTHER, timeout=60))
    throttled = asyncio.create_task(api.wait_for_messages(GROUP, THROTTLED_REPLY, timeout=60))
    done, waiting = await asyncio.wait({private, throttled},
                                       return_when=asyncio.FIRST_COMPLETED)
    for task in waiting:
        task.cancel()
    assert private in done, "the private /aide waited behind the group's throttled replies"
    [helped] = private.result()
    assert helped["text"].startswith("Ce que je sais faire")
    assert 1 <= len(api.messages(GROUP)) < THROTTLED_REPLY

    # What the group still has in line would go out at one reply every 3 s, each waiting
    # less than STALE_AFTER: dropped at its turn instead, so that the bot stops at once.
    lines = bot_env.app.update_processor
    assert isinstance(lines, ChatLines)
    lines.stale_after = 0.0
