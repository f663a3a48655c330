"""Does anything block the event loop? Other users' reply latency while the bot is busy.

    .venv/bin/python bench/blocking.py [--postgres URL] [--users 4] [--lock-seconds 5]

The REAL Application long-polls the loopback Bot API stand-in over a fresh seeded database
(a temporary SQLite file, or with --postgres a new database on that server, dropped at the
end). Simulated officials keep chatting (/aide, answered questions, and questions the bot
cannot answer, which it logs for the admins: a database write) in three phases:

  quiet    nothing else happens
  import   an admin sends a ~2 MB /import document, invalid at its very end (parsed in full)
  lock     another process holds a write lock for --lock-seconds (SQLite: BEGIN EXCLUSIVE;
           PostgreSQL: LOCK TABLE unansweredquestion IN ACCESS EXCLUSIVE MODE)

and the bench prints the reply latency (user_sends → the bot's message at the stand-in) per
phase: "other" (/aide and answered questions: no database write) and "logged" (unknown
questions, whose reply waits for the log row). Target: other users' p99 under 300 ms.

It also prints the event loop's own stalls per phase ("loop lag": how late a 5 ms timer
fires): work that blocks the loop shows there as stalls, whichever reply it delays. A busy
machine inflates it too (a process without the CPU runs its timers late), so compare it with
the quiet phase of the same run. The stand-in runs on the same loop as the bot: its work
counts too.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402
from telegram import Update  # noqa: E402

from bot.app import build_application, open_services  # noqa: E402
from bot.handlers import FloodGuard  # noqa: E402
from bot.settings import Settings  # noqa: E402
from botapi_standin import LocalBotApi  # noqa: E402
from knowledge.admin_store import export_document  # noqa: E402
from knowledge.seed import MAX_DOCUMENT_BYTES  # noqa: E402

ADMIN = 4242
USER_BASE = 200_000
OTHER = ["/aide", "qui s'occupe du logement ?", "PCAET c'est quand ?", "les 4 axes du mandat"]
LOCK_SQLITE = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("COMMIT")
"""
LOCK_POSTGRES = """
import sys, time, psycopg
with psycopg.connect(sys.argv[1]) as connection:
    connection.execute("LOCK TABLE unansweredquestion IN ACCESS EXCLUSIVE MODE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
"""


class LagProbe:
    """How late the event loop runs a 5 ms timer, until `stop` is set."""

    TICK = 0.005

    def __init__(self) -> None:
        self.lags: list[float] = []

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(self.TICK)
            self.lags.append(time.perf_counter() - start - self.TICK)


class Chat:
    """Users chatting in a loop; latencies recorded per kind until `stop` is set."""

    def __init__(self, api: LocalBotApi, users: int) -> None:
        self.api, self.users = api, users
        self.samples: dict[str, list[float]] = {"other": [], "logged": []}
        self.unknown = itertools.count()

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.gather(*(self._user(USER_BASE + i, stop) for i in range(self.users)))

    async def _user(self, user_id: int, stop: asyncio.Event) -> None:
        for turn in itertools.count():
            if stop.is_set():
                return
            logged = turn % 3 == 2
            question = (f"horoscope du jour {_letters(next(self.unknown))}" if logged
                        else OTHER[turn % len(OTHER)])
            since = max((m["message_id"] for m in self.api.history(user_id)), default=0)
            start = time.perf_counter()
            await self.api.user_sends(question, user_id=user_id)
            await self.api.wait_for_messages(user_id, 1, timeout=120, since=since)
            self.samples["logged" if logged else "other"].append(time.perf_counter() - start)


def _letters(number: int) -> str:
    """0 → 'a', 27 → 'bb': a new word each time (digits would make it a figure question)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word += chr(ord("a") + digit)
        if number == 0:
            return word


def big_invalid_import(services_db, tz) -> bytes:  # noqa: ANN001 - engine, zone
    """The base's own export grown to ~2 MB with facts; the very last one is invalid."""
    with Session(services_db) as session:
        document = yaml.safe_load(export_document(session, tz))
    filler = "Texte de remplissage pour un gros import. " * 20
    facts = document.setdefault("faits", [])
    for number in itertools.count():
        facts.append({"cle": f"bench-{number}", "titre": f"Fait {number}", "texte": filler})
        if number % 200 == 0 and len(yaml.safe_dump(document, allow_unicode=True)) > (
                MAX_DOCUMENT_BYTES - 60_000):
            break
    facts.append({"cle": "INVALIDE !", "titre": "x", "texte": "x"})
    data = yaml.safe_dump(document, allow_unicode=True).encode()
    assert len(data) <= MAX_DOCUMENT_BYTES, len(data)
    return data


async def phase(name: str, api: LocalBotApi, users: int, work) -> dict[str, list[float]]:  # noqa: ANN001
    chat, probe, stop = Chat(api, users), LagProbe(), asyncio.Event()
    chatting = asyncio.gather(chat.run(stop), probe.run(stop))
    await work()
    stop.set()
    await chatting
    return {**chat.samples, "lag": probe.lags}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def report(name: str, samples: dict[str, list[float]]) -> None:
    for kind, values in samples.items():
        if values and kind == "lag":
            print(f"  {name:7} loop lag  p99={percentile(values, 0.99) * 1000:8.1f} ms  "
                  f"max={max(values) * 1000:8.1f} ms  stalls > 100 ms: "
                  f"{sum(value > 0.1 for value in values)}")
        elif values:
            p50, p99 = statistics.median(values) * 1000, percentile(values, 0.99) * 1000
            print(f"  {name:7} {kind:6} n={len(values):4}  p50={p50:8.1f} ms  "
                  f"p99={p99:8.1f} ms  max={max(values) * 1000:8.1f} ms")


async def main_async(args: argparse.Namespace, url: str) -> None:
    services = open_services(Settings(database_url=url, admin_ids=[ADMIN], _env_file=None))
    document = big_invalid_import(services.db, services.settings.tz)
    async with LocalBotApi() as api:
        api.add_chat(ADMIN)
        app = build_application(services, api.token, base_url=api.base_url,
                                base_file_url=api.base_file_url)
        app.bot_data["flood_guard"] = FloodGuard(limit=10**6)
        async with app:
            await app.post_init(app)
            await app.updater.start_polling(poll_interval=0, timeout=1,
                                            allowed_updates=Update.ALL_TYPES)
            await app.start()
            try:
                await run_phases(args, api, url, document)
            finally:
                await app.updater.stop()
                await app.stop()
                await app.post_shutdown(app)
    services.db.dispose()


async def run_phases(args: argparse.Namespace, api: LocalBotApi, url: str,
                     document: bytes) -> None:
    async def quiet() -> None:
        await asyncio.sleep(args.lock_seconds)

    async def importing() -> None:
        since = max((m["message_id"] for m in api.history(ADMIN)), default=0)
        start = time.perf_counter()
        await api.user_sends_document("gros.yaml", document, caption="/import", user_id=ADMIN)
        [reply] = await api.wait_for_messages(ADMIN, 1, timeout=300, since=since)
        print(f"  import of {len(document):,} bytes answered in "
              f"{time.perf_counter() - start:.1f} s: {reply['text'][:70]!r}")

    async def locked() -> None:
        await asyncio.to_thread(hold_lock, url, args.lock_seconds)

    print(f"database: {make_url(url).get_backend_name()}, {args.users} users chatting")
    for name, work in (("quiet", quiet), ("import", importing), ("lock", locked)):
        report(name, await phase(name, api, args.users, work))


def hold_lock(url: str, seconds: float) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        argv = [sys.executable, "-c", LOCK_SQLITE, parsed.database, str(seconds)]
    else:
        plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        argv = [sys.executable, "-c", LOCK_POSTGRES, plain, str(seconds)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", help="a PostgreSQL server URL (a database is created)")
    parser.add_argument("--users", type=int, default=4)  # ~10 msg/s: under the 30/s limiter
    parser.add_argument("--lock-seconds", type=float, default=5.0)
    args = parser.parse_args()
    if args.postgres is None:
        with tempfile.TemporaryDirectory(prefix="mandat-blocking-") as tmp:
            asyncio.run(main_async(args, f"sqlite:///{tmp}/bench.db"))
        return
    server = make_url(args.postgres)
    name = f"bench_blocking_{os.getpid()}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        asyncio.run(main_async(args, server.set(database=name).render_as_string(
            hide_password=False)))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
