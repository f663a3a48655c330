"""The services every handler needs, kept in `application.bot_data` (no module globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import ContextTypes

from bot.settings import Settings
from knowledge.engine import AnswerEngine
from knowledge.models import utcnow
from knowledge.store import knowledge_revision

if TYPE_CHECKING:
    from bot.replicas import KnowledgeWatcher
    from bot.subscriptions import BotNotifier
    from scheduler.service import ReminderService

SERVICES_KEY = "services"


def read_knowledge_revision(db: Engine) -> int:
    with Session(db) as session:
        return knowledge_revision(session)


@dataclass
class Services:
    settings: Settings
    db: Engine
    engine: AnswerEngine
    reminders: ReminderService | None = None
    notifier: BotNotifier | None = None  # what reminders are sent through
    watcher: KnowledgeWatcher | None = None  # reloads after another replica's changes
    clock: Callable[[], datetime] = utcnow  # "now" for screens (tests pass their own)
    knowledge_revision: int | None = None  # what the engine was loaded at (bot.replicas)

    def knowledge_changed(self) -> None:
        """After any admin change: the engine answers from the new data, reminders follow.
        The revision is read first: a change committed meanwhile (another replica's) moves
        it again, and `bot.replicas.KnowledgeWatcher` reloads for that one too."""
        self.knowledge_revision = read_knowledge_revision(self.db)
        self.engine.reload()
        if self.reminders is not None:
            self.reminders.reschedule_all()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]
