"""Reminder fan-out benchmark: one milestone, N subscribers, through real HTTP.

The reminders go through the production path as the running bot builds it:
`bot.app.build_application` → its `ReminderService` (claim in SQLite → the `Deliverer`, the
one rate limiter on that path) → its `BotNotifier` on a `Bot` without PTB's rate limiter →
the loopback Bot API stand-in `botapi_standin.LocalBotApi`, which enforces Telegram's ~30
messages/s with 429s. Reports throughput, lost and duplicate messages, 429s received and
peak memory; then the same notifier without any rate limit (the pipeline's own speed,
server and client sharing one CPU and event loop), and the pipeline without HTTP.

    .venv/bin/python bench/fanout.py [--subscribers 5000] [--api-rate 30] [--postgres URL]

`--api-rate 20` (slower than the sender's 30/s) shows the 429 handling at work. The
databases are temporary SQLite files, or with `--postgres` new databases on that server
(dropped at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.app import build_application  # noqa: E402
from bot.context import Services  # noqa: E402
from bot.settings import Settings  # noqa: E402
from botapi_standin import LocalBotApi  # noqa: E402
from knowledge.engine import AnswerEngine  # noqa: E402
from knowledge.models import Delivery, Milestone, Precision, Subscriber, Subscription  # noqa: E402
from knowledge.store import create_tables, make_engine, transaction  # noqa: E402
from scheduler.delivery import Deliverer, DeliveryStats  # noqa: E402
from scheduler.notifier import Buttons  # noqa: E402
from scheduler.service import ReminderService  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
OFFSET = 86_400
FIRST_CHAT = 100_000_001


class Databases:
    """The bench's databases: SQLite files in `workdir`, or new databases on a PostgreSQL
    server (`server`: its URL), dropped by `close()`."""

    def __init__(self, workdir: Path, server: str | None) -> None:
        self.workdir, self.server = workdir, make_url(server) if server else None
        self.engines: list[Engine] = []
        self.created: list[str] = []

    @property
    def backend(self) -> str:
        return "PostgreSQL" if self.server else "SQLite"

    def engine(self, name: str) -> Engine:
        if self.server is None:
            url = f"sqlite:///{self.workdir / name}.db"
        else:
            database = f"bench_fanout_{os.getpid()}_{name}"
            self._admin(f'CREATE DATABASE "{database}"')
            self.created.append(database)
            url = self.server.set(database=database).render_as_string(hide_password=False)
        self.engines.append(make_engine(url))
        return self.engines[-1]

    def close(self) -> None:
        for engine in self.engines:
            engine.dispose()
        for database in self.created:
            self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

    def _admin(self, statement: str) -> None:
        admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(statement))
        finally:
            admin.dispose()


class NullNotifier:
    """Accepts everything instantly: measures the pipeline without any HTTP."""

    max_length = 4096

    def __init__(self) -> None:
        self.count = 0

    async def send(self, chat_id: int, text: str, *, buttons: Buttons | None = None) -> None:
        self.count += 1


def populate(db: Engine, subscribers: int, start: datetime) -> None:
    """One exact-time milestone and `subscribers` followers of everything."""
    create_tables(db)
    with transaction(db) as session:
        session.add(
            Milestone(
                key="conseil-territorial",
                project="Conseil territorial",
                title="Conseil territorial",
                start=start,
                precision=Precision.EXACT,
                location="Vitry-sur-Seine",
                source_slide=51,
                source_title="Prochains rendez-vous",
            )
        )
        people = [Subscriber(chat_id=FIRST_CHAT + i, name=f"Élu {i}") for i in range(subscribers)]
        session.add_all(people)
        session.flush()
        session.add_all(Subscription(subscriber_id=p.id, topic=None) for p in people)


def delivery_statuses(db: Engine) -> Counter[str]:
    with Session(db) as session:
        rows = session.exec(select(Delivery.status, func.count()).group_by(Delivery.status))
        return Counter(dict(rows.all()))


async def fan_out(
    db: Engine, notifier: object, start: datetime, rate: float, concurrency: int
) -> tuple[DeliveryStats, float]:
    """The pipeline with a notifier of our choice (the null one: no HTTP at all)."""
    deliverer = Deliverer(notifier, rate=rate, concurrency=concurrency)  # type: ignore[arg-type]
    service = ReminderService(
        db,
        notifier,  # type: ignore[arg-type]
        tz=TZ,
        default_offsets=[OFFSET],
        grace_seconds=6 * 3600,
        clock=lambda: start - timedelta(seconds=OFFSET),
        deliverer=deliverer,
    )
    return await timed(service)


async def timed(service: ReminderService) -> tuple[DeliveryStats, float]:
    began = time.perf_counter()
    stats = await service.run_due()
    return stats, time.perf_counter() - began


async def over_http(
    databases: Databases, name: str, subscribers: int, api_rate: float | None, *,
    limited: bool
) -> tuple[DeliveryStats, float, LocalBotApi, Engine]:
    """Through the reminder service and notifier `build_application` makes; `limited=False`
    swaps its Deliverer for one without a rate limit (same notifier)."""
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    db = databases.engine(name)
    populate(db, subscribers, start)
    settings = Settings(_env_file=None, timezone=TZ.key, reminder_offsets=f"{OFFSET}s",
                        reminder_grace="6h")
    services = Services(settings=settings, db=db, engine=AnswerEngine(db, TZ))
    api = LocalBotApi(global_rate=api_rate)
    await api.start()
    for i in range(subscribers):
        api.add_chat(FIRST_CHAT + i)
    build_application(services, api.token, base_url=api.base_url,
                      base_file_url=api.base_file_url)
    service, notifier = services.reminders, services.notifier
    assert service is not None and notifier is not None
    service.clock = lambda: start - timedelta(seconds=OFFSET)
    if not limited:
        service.deliverer = Deliverer(notifier, rate=0.0)
    await notifier.start()
    try:
        stats, elapsed = await timed(service)
    finally:
        await notifier.stop()
        await api.stop()
    return stats, elapsed, api, db


def check(api: LocalBotApi, subscribers: int) -> tuple[int, int]:
    """(lost, duplicates) from what the stand-in actually received."""
    counts = [len(api.messages(FIRST_CHAT + i)) for i in range(subscribers)]
    return sum(1 for c in counts if c == 0), sum(c - 1 for c in counts if c > 1)


async def main_async(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="fanout-") as tmp:
        databases = Databases(Path(tmp), args.postgres)
        try:
            return await run_all(args, databases)
        finally:
            databases.close()


async def run_all(args: argparse.Namespace, databases: Databases) -> int:
    n = args.subscribers
    print(
        f"Fan-out: 1 milestone, {n} subscribers, Telegram stand-in limited to "
        f"{args.api_rate:g} msg/s, production notifier and sender "
        f"(bot.app.build_application), {databases.backend}"
    )
    stats, elapsed, api, db = await over_http(databases, "limited", n, args.api_rate,
                                              limited=True)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lost, duplicates = check(api, n)
    ok = lost == 0 and duplicates == 0
    print(f"  delivered            {stats.sent} / {n} in {elapsed:.1f} s")
    print(f"  throughput           {stats.sent / elapsed:.1f} messages/s (target >= 27)")
    print(f"  lost                 {lost} (target 0)")
    print(f"  duplicates           {duplicates} (target 0)")
    print(
        f"  429s received        {stats.rate_limited} (stand-in counted "
        f"{api.rate_limited_count})"
    )
    print(f"  failed / deactivated {stats.failed} / {stats.deactivated}")
    print(f"  delivery rows        {dict(delivery_statuses(db))}")
    print(f"  peak memory          {peak_rss:.0f} MB max RSS (bot side and stand-in together)")

    print("Without the limit (the pipeline's own speed):")
    stats, elapsed, api, _ = await over_http(databases, "unlimited", n, None,
                                             limited=False)
    lost, duplicates = check(api, n)
    ok = ok and lost == 0 and duplicates == 0
    print(
        f"  over loopback HTTP   {stats.sent / elapsed:.0f} messages/s "
        f"({stats.sent} in {elapsed:.1f} s, lost {lost}, duplicates {duplicates})"
    )
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(days=3)
    db = databases.engine("null")
    populate(db, n, start)
    null = NullNotifier()
    stats, elapsed = await fan_out(db, null, start, 0.0, args.concurrency)
    print(
        f"  no HTTP (null)       {stats.sent / elapsed:.0f} messages/s "
        f"(claim + send + record, {stats.sent} in {elapsed:.2f} s)"
    )
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument(
        "--api-rate",
        type=float,
        default=30.0,
        help="the stand-in's flood limit (messages/s, as Telegram)",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="of the null pipeline")
    parser.add_argument("--postgres", help="a PostgreSQL server URL (databases are created)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
