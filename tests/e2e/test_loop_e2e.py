"""Nothing waits on the database on the event loop: while another connection holds a lock,
the update that needs it waits, and every other user is answered meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from telegram.constants import ChatType

from bot import texts
from bot.settings import Settings
from knowledge.store import make_engine
from tests.e2e.conftest import USER, BotEnv

OTHER = 1002
LOCK_TIMEOUT = 20.0  # the bot's own wait on the lock lasts 30 s (SQLite's busy timeout)


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
        assert listed["text"] == texts.SUBS_NONE
        assert bot_env.api.messages(USER) == [], "the subscription went through a lock?"
    [subscribed] = await bot_env.replies(USER, since, timeout=LOCK_TIMEOUT)
    assert subscribed["text"].startswith(texts.SUB_DONE.format(what=texts.SUB_EVERYTHING))
