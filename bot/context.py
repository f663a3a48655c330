"""The services every handler needs, kept in `application.bot_data` (no module globals)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from telegram.ext import ContextTypes

from bot.offload import ImportParser
from bot.settings import Settings
from knowledge.engine import AnswerEngine
from knowledge.models import utcnow

if TYPE_CHECKING:
    from bot.subscriptions import BotNotifier
    from scheduler.service import ReminderService

SERVICES_KEY = "services"


@dataclass
class Services:
    settings: Settings
    db: Engine
    engine: AnswerEngine
    reminders: ReminderService | None = None
    notifier: BotNotifier | None = None  # what reminders are sent through
    clock: Callable[[], datetime] = utcnow  # "now" for screens (tests pass their own)
    parser: ImportParser = field(default_factory=ImportParser)  # /import, off the loop
    _changing: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def knowledge_changed(self) -> None:
        """After any admin change: the engine answers from the new data, reminders follow.

        Handlers call it in a worker thread (it reads the database and rebuilds the index):
        the new engine is built aside and swapped in whole, so a question answered meanwhile
        meets the old engine or the new one, never half of each. One change at a time: the
        last one built has read the latest data.
        """
        with self._changing:
            engine = self.engine
            self.engine = AnswerEngine(self.db, engine.tz, engine.clock)
            if self.reminders is not None:
                self.reminders.reschedule_all()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]
