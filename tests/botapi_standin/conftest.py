"""Fixtures for the stand-in's own tests: a running `LocalBotApi` and a PTB `Bot` client on it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from telegram import Bot

from botapi_standin import LocalBotApi

USER = 1001  # the private chat the tests talk in (test modules use the same id)


@pytest_asyncio.fixture
async def api() -> AsyncIterator[LocalBotApi]:
    async with LocalBotApi() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api: LocalBotApi) -> AsyncIterator[Bot]:
    client = Bot(api.token, base_url=api.base_url, base_file_url=api.base_file_url)
    async with client:
        yield client


@pytest_asyncio.fixture
async def known_user(api: LocalBotApi, bot: Bot) -> int:
    """The user talks first, so the private chat exists; the bot consumes that update."""
    await api.user_sends("salut", user_id=USER)
    updates = await bot.get_updates(timeout=1)
    await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return USER
