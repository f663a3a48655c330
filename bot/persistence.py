"""PTB persistence in the database: a conversation survives a restart and moves between
replicas (the `userstate` table, JSON; no pickle files).

Only `user_data` is persisted, and only its `keys` (the guided /ajouter draft, the 🔎 entry
search of /questions, an /import awaited or previewed): the rest (chat follow-ups, caches)
is per process and not JSON. How it stays right with two replicas:

- writes are explicit and immediate: a handler that changed a persisted key calls
  `save_user_state(context)` before replying, so a kill -9 right after the reply loses
  nothing (PTB's own flush, every `update_interval`, only writes what was saved already);
- each saved state has a revision, bumped by `save_user_state`; the database keeps the
  highest (conditional UPDATE), so a replica's stale copy never overwrites a newer one;
- PTB calls `refresh_user_data` before the handlers of every update see it (once the first
  handler matched: the bot's group -10 TypeHandler matches every update), so the replica
  that gets the next step reads the newest draft, whichever replica wrote it. Conversation
  states are derived from that draft (`PersistedConversation`), so PTB loading
  conversations only at start-up does not matter. Only users `concerns(user_id)` accepts
  are read (the admins: nobody else has a draft), so the others' updates cost nothing.

Database work runs in threads (`asyncio.to_thread`), never on the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from copy import deepcopy
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import BasePersistence, CallbackContext, ConversationHandler, PersistenceInput

from knowledge.models import UserState, utcnow
from knowledge.store import transaction

REVISION_KEY = "state_revision"  # in user_data: the revision of its persisted part
_STATE = UserState.__table__

Data = dict[str, Any]


class DatabasePersistence(BasePersistence[Data, Data, Data]):
    """`user_data[key]` for `key` in `keys`, kept in the `userstate` table."""

    def __init__(self, db: Engine, keys: Collection[str],
                 concerns: Callable[[int], bool] = lambda user_id: True) -> None:
        super().__init__(store_data=PersistenceInput(
            bot_data=False, chat_data=False, user_data=True, callback_data=False))
        self.db = db
        self.keys = frozenset(keys)
        self.concerns = concerns
        self._written: dict[int, int] = {}  # user id → revision this process wrote or read

    # ------------------------------------------------------------------ user data
    async def get_user_data(self) -> dict[int, Data]:
        rows = await asyncio.to_thread(self._read_all)
        self._written = {user_id: revision for user_id, _, revision in rows}
        return {user_id: {**data, REVISION_KEY: revision} for user_id, data, revision in rows}

    async def update_user_data(self, user_id: int, data: Data) -> None:
        revision = data.get(REVISION_KEY)
        if revision is None or self._written.get(user_id, -1) >= revision:
            return  # nothing saved since: PTB's periodic flush, or a stale copy
        state = {key: data[key] for key in self.keys if key in data}
        await asyncio.to_thread(self._write, user_id, state, revision)
        self._written[user_id] = revision

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        if self.concerns(user_id):
            await self.reload_user_data(user_id, user_data)

    async def reload_user_data(self, user_id: int, user_data: Data) -> None:
        """`refresh_user_data` for any user, even one this persistence no longer concerns
        (an admin just removed, whose state another replica may have saved)."""
        row = await asyncio.to_thread(self._read, user_id)
        if row is None or row[1] <= user_data.get(REVISION_KEY, -1):
            return
        data, revision = row
        for key in self.keys:
            if key in data:
                user_data[key] = data[key]
            else:
                user_data.pop(key, None)
        user_data[REVISION_KEY] = revision
        self._written[user_id] = max(self._written.get(user_id, -1), revision)

    async def drop_user_data(self, user_id: int) -> None:
        await asyncio.to_thread(self._drop, user_id)
        self._written.pop(user_id, None)

    # ------------------------------------------------------------------ database (threads)
    def _read_all(self) -> list[tuple[int, Data, int]]:
        with self.db.connect() as connection:
            rows = connection.execute(select(_STATE.c.user_id, _STATE.c.data, _STATE.c.revision))
            return [(user_id, data, revision) for user_id, data, revision in rows]

    def _read(self, user_id: int) -> tuple[Data, int] | None:
        with self.db.connect() as connection:
            row = connection.execute(select(_STATE.c.data, _STATE.c.revision)
                                     .where(_STATE.c.user_id == user_id)).first()
        return None if row is None else (row.data, row.revision)

    def _write(self, user_id: int, state: Data, revision: int) -> None:
        """Keep the highest revision: a newer state written elsewhere is left alone."""
        values = {"data": state, "revision": revision, "updated_at": utcnow()}
        with transaction(self.db) as session:
            updated = session.connection().execute(
                update(_STATE).where(_STATE.c.user_id == user_id,
                                     _STATE.c.revision < revision).values(values)).rowcount
        if updated:
            return
        try:
            with transaction(self.db) as session:
                session.connection().execute(insert(_STATE).values(user_id=user_id, **values))
        except IntegrityError:
            pass  # the row exists with this revision or a newer one: theirs stands

    def _drop(self, user_id: int) -> None:
        with transaction(self.db) as session:
            session.connection().execute(delete(_STATE).where(_STATE.c.user_id == user_id))

    # ------------------------------------------------------------------ not persisted
    async def get_chat_data(self) -> dict[int, Data]:
        return {}

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> dict:
        return {}  # states are derived from user_data (see the module docstring)

    async def update_conversation(self, name: str, key: tuple[int | str, ...],
                                  new_state: object | None) -> None:
        return None

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        return None

    async def update_bot_data(self, data: Data) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Data) -> None:
        return None

    async def flush(self) -> None:
        return None


class PersistedConversation(ConversationHandler):
    """A ConversationHandler whose state, in a user's private chat, follows their persisted
    `user_data` (`state_of` reads it; None: no conversation).

    That data may have been advanced (or ended) by another replica, or before a restart: PTB
    refreshes `user_data` from the database before this check (see the module docstring),
    and the state is set from it here, so the next step is taken wherever it arrives.
    """

    def __init__(self, user_data: Mapping[int, Mapping[str, Any]],
                 state_of: Callable[[Mapping[str, Any]], object | None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._user_data, self._state_of = user_data, state_of

    def check_update(self, update: object) -> Any:
        if isinstance(update, Update) and update.effective_user is not None \
                and update.effective_chat is not None \
                and update.effective_chat.type == ChatType.PRIVATE:
            self._follow(update, update.effective_user.id)
        return super().check_update(update)

    def _follow(self, update: Update, user_id: int) -> None:
        key = self._get_key(update)
        current = self._conversations.get(key)
        if current is not None and current not in self.states:
            return  # a step still running (non-blocking), or a timeout being handled
        wanted = self._state_of(self._user_data.get(user_id, {}))
        if wanted != current:
            self._update_state(ConversationHandler.END if wanted is None else wanted, key)


async def save_user_state(update: object, context: CallbackContext) -> None:
    """Write the user's persisted keys now, with a new revision (call before replying)."""
    persistence, user_id = _persistence_and_user(update, context)
    user_data = context.user_data
    if persistence is None or user_data is None or user_id is None:
        return
    user_data[REVISION_KEY] = user_data.get(REVISION_KEY, 0) + 1
    kept = {key: user_data[key] for key in (*persistence.keys, REVISION_KEY) if key in user_data}
    await persistence.update_user_data(user_id, deepcopy(kept))


async def forget_user_state(update: object, context: CallbackContext,
                            keys: Collection[str]) -> list[str]:
    """Drop `keys` from the user's data, here and in the database, whichever replica saved
    them last (read first, even for a user no longer concerned); the keys that were set."""
    persistence, user_id = _persistence_and_user(update, context)
    user_data = context.user_data
    if user_data is None:
        return []
    if persistence is not None and user_id is not None:
        await persistence.reload_user_data(user_id, user_data)
    dropped = [key for key in keys if user_data.pop(key, None) is not None]
    if dropped:
        await save_user_state(update, context)
    return dropped


async def refresh_user_state(update: object, context: CallbackContext) -> None:
    """Read the user's persisted keys again (for a job, which PTB does not refresh)."""
    persistence, user_id = _persistence_and_user(update, context)
    if persistence is not None and context.user_data is not None and user_id is not None:
        await persistence.refresh_user_data(user_id, context.user_data)


def _persistence_and_user(update: object, context: CallbackContext
                          ) -> tuple[DatabasePersistence | None, int | None]:
    persistence = context.application.persistence
    user = update.effective_user if isinstance(update, Update) else None
    if not isinstance(persistence, DatabasePersistence):
        return None, None
    return persistence, user.id if user is not None else None
