"""Test helpers for the scheduler: fake clock, fake Notifier, a fast sender, data builders."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge.models import Delivery, Milestone
from knowledge.seed import parse_start
from knowledge.store import transaction
from scheduler import reminders
from scheduler.delivery import Deliverer
from scheduler.notifier import Attachment, Buttons, PermanentError
from scheduler.replicas import Replica
from scheduler.service import ReminderService

PARIS = ZoneInfo("Europe/Paris")
DAY, HOUR = 86_400, 3_600


def paris(text: str) -> datetime:
    """'2027-03-28T10:00' Paris wall-clock time → aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=PARIS).astimezone(UTC)


class FakeClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, local: str) -> None:
        self.now = paris(local)


class FakeNotifier:
    """Records every call; `script[chat_id]` lists exceptions raised before a success;
    `fails(chat_id, text, attachment)` may return an exception to raise (selective trouble);
    `fail_file_once` makes the next file fail once. A caption longer than `max_caption` is
    refused, as Telegram does."""

    max_length = 4096
    max_caption = 1024

    def __init__(self) -> None:
        self.calls: list[tuple[int, str, Buttons | None, float]] = []
        self.delivered: list[tuple[int, str, Buttons | None]] = []
        self.script: dict[int, list[Exception]] = defaultdict(list)
        self.always: dict[int, Exception] = {}
        self.hang_after: int | None = None  # calls beyond this hang (crash simulation)
        self.attachments: dict[int, list[Attachment]] = defaultdict(list)  # delivered ones
        self.fails: Callable[[int, str, Attachment | None], Exception | None] | None = None
        self.file_script: dict[int, list[tuple[Exception, asyncio.Event]]] = defaultdict(list)
        self._called = asyncio.Event()

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        buttons: Buttons | None = None,
        attachment: Attachment | None = None,
    ) -> None:
        self.calls.append((chat_id, text, buttons, time.monotonic()))
        self._called.set()
        if self.hang_after is not None and len(self.calls) > self.hang_after:
            await asyncio.Event().wait()  # "in flight" when the process dies
        if chat_id in self.always:
            raise self.always[chat_id]
        if self.fails is not None and (error := self.fails(chat_id, text, attachment)):
            raise error
        if attachment is not None and len(text) > self.max_caption:
            raise PermanentError("Bad Request: message caption is too long")
        if self.script[chat_id]:
            raise self.script[chat_id].pop(0)
        if attachment is not None and self.file_script[chat_id]:
            error, raised = self.file_script[chat_id].pop(0)
            raised.set()
            raise error
        self.delivered.append((chat_id, text, buttons))
        if attachment is not None:
            self.attachments[chat_id].append(attachment)
        await asyncio.sleep(0)  # a yield, as a network call: concurrent sends interleave

    def fail_file_once(self, chat_id: int, error: Exception) -> asyncio.Event:
        """The next call to `chat_id` that carries a file raises `error`; the event tells
        that it did."""
        raised = asyncio.Event()
        self.file_script[chat_id].append((error, raised))
        return raised

    async def wait_for_calls(self, count: int, timeout: float = 5.0) -> None:
        """Wait until `send` was called `count` times; fail clearly after `timeout` s."""
        try:
            async with asyncio.timeout(timeout):
                while len(self.calls) < count:
                    self._called.clear()
                    await self._called.wait()
        except TimeoutError:
            raise AssertionError(
                f"{len(self.calls)} notifier call(s) after {timeout} s, expected {count}"
            ) from None

    def texts(self, chat_id: int) -> list[str]:
        return [text for chat, text, _ in self.delivered if chat == chat_id]

    def chats(self) -> list[int]:
        return [chat for chat, _, _ in self.delivered]


def fast_deliverer(notifier: FakeNotifier, concurrency: int = 4) -> Deliverer:
    return Deliverer(
        notifier,
        rate=1000.0,
        per_chat_interval=0.0,
        concurrency=concurrency,
        max_attempts=3,
        backoff=0.001,
        max_backoff=0.002,
    )


def make_service(
    db: Engine,
    notifier: FakeNotifier,
    clock: FakeClock,
    *,
    offsets: Sequence[int] = (DAY,),
    grace: int = 6 * HOUR,
    concurrency: int = 4,
    scheduler: AsyncIOScheduler | None = None,
    replica: Replica | None = None,
) -> ReminderService:
    return ReminderService(
        db,
        notifier,
        tz=PARIS,
        default_offsets=list(offsets),
        grace_seconds=grace,
        scheduler=scheduler,
        clock=clock,
        deliverer=fast_deliverer(notifier, concurrency),
        replica=replica,
    )


def paused_scheduler() -> AsyncIOScheduler:
    """A running but paused scheduler: `start()` recovers and plans, jobs never fire."""
    scheduler = AsyncIOScheduler(timezone=PARIS)
    scheduler.start(paused=True)
    return scheduler


def add_milestone(
    db: Engine,
    key: str,
    start: str,
    *,
    project: str = "Conseil",
    title: str | None = None,
    keywords: Sequence[str] = (),
    location: str | None = None,
    approximate: bool = False,
    description: str = "",
) -> int:
    moment, precision = parse_start(start, PARIS)
    with transaction(db) as session:
        milestone = Milestone(
            key=key,
            project=project,
            title=title or key,
            start=moment,
            precision=precision,
            approximate=approximate,
            location=location,
            keywords=list(keywords),
            description=description,
        )
        session.add(milestone)
        session.flush()
        return milestone.id  # type: ignore[return-value]


def add_subscriber(
    db: Engine,
    chat_id: int,
    topic: str | None = None,
    *,
    offsets: Sequence[int] | None = None,
    digest: bool = False,
) -> None:
    with transaction(db) as session:
        reminders.subscribe(session, chat_id, f"Élu {chat_id}", topic)
        if offsets is not None:
            reminders.set_offsets(session, chat_id, offsets)
        if digest:
            reminders.set_digest(session, chat_id, True)


def deliveries(db: Engine) -> list[Delivery]:
    with Session(db) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)))
