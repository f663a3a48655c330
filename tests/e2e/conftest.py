"""End-to-end harness: the REAL bot Application long-polling the loopback Bot API stand-in.

`bot_env` starts `LocalBotApi` and the production `Application` (`build_application` over
`open_services`, with its AIORateLimiter, error handler and command menus) against a seeded
database of the test's own (SQLite, or PostgreSQL with TEST_DATABASE_URL: see
tests/conftest.py), and stops both cleanly. Simulated users act through
`env.api` (`user_sends`, `user_presses`, ...); `env.send` / `env.press` send and wait for the
bot's reaction. No fixed sleeps: "nothing came" is proved with `env.barrier()` (a later
message the bot answers), never with a pause.

Group privacy is OFF in the stand-in, so every group message reaches the bot and its own
filtering (mentions, replies, `/cmd@otherbot`) is what gets tested.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest
import pytest_asyncio
from telegram import Update
from telegram.ext import Application

from bot.app import build_application, open_services
from bot.context import Services
from bot.lines import ChatLines
from bot.settings import Settings
from botapi_standin import ApiCall, LocalBotApi

if TYPE_CHECKING:  # the root conftest, whose fixtures these are
    from conftest import Databases

USER = 1001  # the default private chat of BotEnv.send (test modules use the same ids)
ADMIN = 4242
BOT_USERNAME = "mandat_bot"
TIMEOUT = 5.0
BARRIER = "/aide"  # what barriers send: the bot always answers it at once

JsonDict = dict[str, Any]


@dataclass
class BotEnv:
    """The running stand-in and bot, plus helpers for simulated users."""

    api: LocalBotApi
    app: Application
    services: Services
    allowed_failures: list[Callable[[ApiCall], bool]] = field(default_factory=list)

    # ------------------------------------------------------------------ acting
    async def send(
        self,
        text: str,
        *,
        chat_id: int = USER,
        count: int = 1,
        timeout: float = TIMEOUT,
        **who: Any,
    ) -> list[JsonDict]:
        """A user sends `text`; return the `count` bot messages sent after it (in order)."""
        since = self.last_message_id(chat_id)
        if chat_id < 0:
            who.setdefault("chat_type", "group")
        else:
            who.setdefault("user_id", chat_id)
        await self.api.user_sends(text, chat_id=chat_id, **who)
        return await self.replies(chat_id, since, count=count, timeout=timeout)

    async def replies(
        self, chat_id: int, since: int, *, count: int = 1, timeout: float = TIMEOUT
    ) -> list[JsonDict]:
        """Wait for `count` bot messages newer than message id `since`."""
        found = await self.api.wait_for_messages(chat_id, count, timeout=timeout, since=since)
        return found[:count]

    async def send_nothing_back(self, text: str, *, chat_id: int = USER, **who: Any) -> None:
        """A user sends `text` and the bot must stay silent (checked with a barrier)."""
        before = len(self.api.messages(chat_id))
        calls = len(self.api.sent)
        if chat_id < 0:
            who.setdefault("chat_type", "group")
        else:
            who.setdefault("user_id", chat_id)
        await self.api.user_sends(text, chat_id=chat_id, **who)
        barrier_chat = (await self.barrier())["chat"]["id"]
        assert len(self.api.messages(chat_id)) == before, self.api.messages(chat_id)[before:]
        assert [c.method for c in self.api.sent[calls:] if c.chat_id != barrier_chat] == []

    async def press(
        self, chat_id: int, message_id: int, callback_data: str, *, timeout: float = TIMEOUT
    ) -> JsonDict:
        """Press a button; return the callback answer once the bot has answered it."""
        query_id = await self.api.user_presses(chat_id, message_id, callback_data)
        return await self.api.wait_for_callback_answer(query_id, timeout=timeout)

    async def barrier(self) -> JsonDict:
        """Wait until the bot has handled what was sent so far: it has taken it
        (`LocalBotApi.barrier`), and no chat has an update left in line (`ChatLines.idle`)."""
        reply = await self.api.barrier(BARRIER, timeout=TIMEOUT)
        lines = self.app.update_processor
        assert isinstance(lines, ChatLines)
        await asyncio.wait_for(lines.idle(), TIMEOUT)
        return reply

    # ------------------------------------------------------------------ observing
    def last_message_id(self, chat_id: int) -> int:
        """Highest message id in the chat so far (user's or bot's), 0 for a new chat."""
        history = self.api.history(chat_id)
        return max((m["message_id"] for m in history), default=0)

    def message(self, chat_id: int, message_id: int) -> JsonDict:
        """The bot's message in its current state (after edits)."""
        return next(m for m in self.api.messages(chat_id) if m["message_id"] == message_id)

    def allow_failure(self, predicate: Callable[[ApiCall], bool]) -> None:
        """Declare an expected failed Bot API call (e.g. one injected with fail_next)."""
        self.allowed_failures.append(predicate)

    def unexpected_failures(self) -> list[ApiCall]:
        return [
            call
            for call in self.api.sent
            if not call.ok and not any(allowed(call) for allowed in self.allowed_failures)
        ]


# ---------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def e2e_seed_template(databases: Databases) -> str:
    """Seeded once per session by the bot's own `open_services`; copied for every test."""

    def build(url: str) -> None:
        open_services(Settings(database_url=url, _env_file=None)).db.dispose()

    return databases.template("e2e", build)


@pytest.fixture
def bot_settings(databases: Databases, e2e_seed_template: str) -> Iterator[Settings]:
    """Settings of a test bot: its own copy of the seeded database, one admin."""
    url = databases.copy(e2e_seed_template)
    yield Settings(database_url=url, admin_ids=[ADMIN], _env_file=None)
    databases.drop(url)


@pytest_asyncio.fixture
async def bot_env(bot_settings: Settings) -> AsyncIterator[BotEnv]:
    """LocalBotApi + the real Application polling it; torn down cleanly after the test."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise
    async with LocalBotApi(bot_username=BOT_USERNAME, group_privacy=False) as api:
        api.add_chat(ADMIN)  # the admin has opened the bot: their menu can be set
        services = open_services(bot_settings)
        app = build_application(
            services, api.token, base_url=api.base_url, base_file_url=api.base_file_url
        )
        # The same sequence as Application.run_polling (which also runs the post_* hooks:
        # post_init sets the command menus).
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            await app.updater.start_polling(
                poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES
            )
            await app.start()
            yield BotEnv(api=api, app=app, services=services)
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
            await app.shutdown()
            if app.post_shutdown is not None:
                await app.post_shutdown(app)
            services.db.dispose()
