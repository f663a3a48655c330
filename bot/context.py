"""The services every handler needs, kept in `application.bot_data` (no module globals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import ContextTypes

from bot.offload import AnswerThread, ImportParser
from bot.settings import Settings
from knowledge.admin_store import admin_ids
from knowledge.engine import AnswerEngine
from knowledge.models import utcnow
from knowledge.store import knowledge_revision

if TYPE_CHECKING:
    from bot.notifier import BotNotifier
    from scheduler.service import ReminderService

SERVICES_KEY = "services"
T = TypeVar("T")


def read_shared_state(db: Engine, settings: Settings) -> tuple[int, frozenset[int]]:
    """The knowledge revision, and the admins (promoting or removing one is audited, so it
    moves the revision too)."""
    with Session(db) as session:
        return knowledge_revision(session), frozenset(
            admin_ids(session, settings.admin_ids))


@dataclass
class Services:
    settings: Settings
    db: Engine
    engine: AnswerEngine
    reminders: ReminderService | None = None
    notifier: BotNotifier | None = None  # what reminders are sent through
    clock: Callable[[], datetime] = utcnow  # "now" for screens (tests pass their own)
    knowledge_revision: int | None = None  # what the engine was loaded at (bot.replicas)
    admins: frozenset[int] = frozenset()  # read with the revision: who may have a draft
    parser: ImportParser = field(default_factory=ImportParser)  # /import, off the loop
    answers: AnswerThread = field(default_factory=AnswerThread)  # the engine, off the loop
    _changing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    async def answering(self, work: Callable[[AnswerEngine], T]) -> T:
        """`work(engine)` in the answer thread (`bot.offload`), on the engine in use then."""
        return await self.answers.run(lambda: work(self.engine))

    def knowledge_changed(self) -> None:
        """After any knowledge change, ours or another replica's (`bot.replicas`): the engine
        answers from the new data, reminders follow.

        Runs in a worker thread (it reads the database and rebuilds the index): the new
        engine is built aside and swapped in whole, so a question answered meanwhile meets
        the old engine or the new one, never half of each. One change at a time. The
        revision is read first: a change committed meanwhile moves it again, and the
        watcher reloads for that one too.
        """
        with self._changing:
            revision, admins = read_shared_state(self.db, self.settings)
            engine = self.engine
            self.engine = type(engine)(self.db, engine.tz, engine.clock)  # rules or learned
            self.knowledge_revision, self.admins = revision, admins
            if self.reminders is not None:
                self.reminders.reschedule_all()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]
