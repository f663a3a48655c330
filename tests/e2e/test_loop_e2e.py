"""Nothing waits on the event loop: while another connection holds a lock, the update that
needs it waits, and every other user is answered meanwhile; so while the answer engine
works on one question."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import text
from telegram.constants import ChatType

from bot import texts
from bot.settings import Settings
from bot.typography import french_spaces
from knowledge.store import make_engine
from tests.e2e.conftest import TIMEOUT, USER, BotEnv

OTHER = 1002
LOCK_TIMEOUT = 20.0  # the bot's own wait on the lock lasts 30 s (SQLite's busy timeout)
HOLD_TIMEOUT = 20.0  # a held answer lets go after this: a loop it blocks fails the test, not hangs


@contextmanager
def subscribers_locked(url: str) -> Iterator[None]:
    """Another connection holds what a subscription must write to, until the block ends:
    SQLite's write lock, or the writes to PostgreSQL's subscriber table (reads go on)."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN EXCLUSIVE")
            else:
                connection.begin()
                connection.execute(text("LOCK TABLE subscriber IN EXCLUSIVE MODE"))
            try:
                yield
            finally:
                connection.rollback()
    finally:
        engine.dispose()


async def test_a_locked_database_stalls_only_the_update_that_needs_it(
        bot_env: BotEnv, bot_settings: Settings) -> None:
    since = bot_env.last_message_id(USER)
    with subscribers_locked(bot_settings.database_url):
        await bot_env.api.user_sends("/abonner", user_id=USER)
        await bot_env.api.wait_until_consumed()  # the bot has taken it: its handler waits
        [helped] = await bot_env.send("/aide", chat_id=OTHER, chat_type=ChatType.PRIVATE)
        assert helped["text"].startswith("Ce que je sais faire")
        [listed] = await bot_env.send("/abonnements", chat_id=OTHER)  # a read, not locked
        assert listed["text"].startswith(french_spaces(texts.SUBS_NONE))
        assert bot_env.api.messages(USER) == [], "the subscription went through a lock?"
    [subscribed] = await bot_env.replies(USER, since, timeout=LOCK_TIMEOUT)
    assert subscribed["text"].startswith(
        french_spaces(texts.SUB_DONE.format(what=texts.SUB_EVERYTHING)))


class HeldAnswers:
    """Wraps engine methods so that each call waits, in whatever thread it runs, until the
    test releases it: a slow answer, as long as the test wants and no longer."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.gave_up = False  # a held call waited HOLD_TIMEOUT: nothing released it meanwhile

    def hold(self, work: Callable[..., Any]) -> Callable[..., Any]:
        def held(*args: Any, **kwargs: Any) -> Any:
            self.entered.set()
            if not self.released.wait(HOLD_TIMEOUT):
                self.gave_up = True
            return work(*args, **kwargs)
        return held


@pytest.mark.parametrize("asked", ["question", "inline query"])
async def test_a_slow_answer_holds_up_no_other_chat(
        bot_env: BotEnv, monkeypatch: pytest.MonkeyPatch, asked: str) -> None:
    """Issue #18: a question the engine took seconds over, on the event loop, held every
    other chat's update (an /aide waited 17 s)."""
    engine, held = bot_env.services.engine, HeldAnswers()
    monkeypatch.setattr(engine, "ask", held.hold(engine.ask))
    monkeypatch.setattr(engine, "search", held.hold(engine.search))
    since = bot_env.last_message_id(USER)
    if asked == "question":
        await bot_env.api.user_sends("qui s'occupe du logement ?", user_id=USER)
    else:
        query_id = await bot_env.api.user_inline_query("logement", user_id=USER)
    assert await asyncio.to_thread(held.entered.wait, TIMEOUT)  # the engine is at work

    [helped] = await bot_env.send("/aide", chat_id=OTHER, chat_type=ChatType.PRIVATE)
    assert helped["text"].startswith("Ce que je sais faire")
    assert not held.gave_up, "/aide was answered only once the slow answer was over"

    held.released.set()
    if asked == "question":
        [answered] = await bot_env.replies(USER, since)
        assert "BENSARSA-REDA" in answered["text"]
    else:
        assert (await bot_env.api.wait_for_inline_answer(query_id))["results"]
