"""The services every handler needs, kept in `application.bot_data` (no module globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from telegram.ext import ContextTypes

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

    def knowledge_changed(self) -> None:
        """After any admin change: the engine answers from the new data, reminders follow."""
        self.engine.reload()
        if self.reminders is not None:
            self.reminders.reschedule_all()


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.application.bot_data[SERVICES_KEY]
