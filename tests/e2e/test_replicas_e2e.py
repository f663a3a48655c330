"""The two-replica drill (issue #9.4), end to end.

Two real OS processes of `mandat-bot webhook` on one database (a SQLite file, or PostgreSQL
with TEST_DATABASE_URL), the loopback Bot API stand-in over real HTTP playing Telegram. The
test plays the HTTPS reverse proxy: it forwards each update Telegram would push to a live
replica. Processes are killed with SIGKILL by their own PID, mid-work; every wait is bounded
and waits on an event (a message received, a log line, a row settled).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.webhook import SECRET_HEADER
from botapi_standin import LocalBotApi
from knowledge.models import Delivery, Milestone, Person
from knowledge.store import make_engine, mark_knowledge_changed, transaction
from scheduler import reminders
from scheduler.delivery import CONCURRENCY

pytestmark = pytest.mark.timeout(240)

ADMIN = 4242
OFFICIAL = 7001
SECRET = "drill_Secret-42"
PATH = "/telegram"
LEASE = "3s"  # a killed replica's claims are taken over after this
FAN_OUT = 300  # subscribers: 10 s of sending at 30 messages/s
KILL_AFTER = 40  # reminders received before the kill
DIGEST_CHATS = (6001, 6002, 6003)
TIMEOUT = 20.0
JsonDict = dict[str, Any]
SERVING = r"webhook: serving \S+ on 127\.0\.0\.1:(\d+)"  # its log line, with the port bound


@dataclass
class ReplicaProcess:
    """One `mandat-bot webhook` process: its PID, port and log lines (stderr, drained)."""

    name: str
    process: asyncio.subprocess.Process
    lines: list[str] = field(default_factory=list)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0  # the one it bound (it listens on port 0), read from its log

    @property
    def pid(self) -> int:
        return self.process.pid

    async def drain(self) -> None:
        assert self.process.stderr is not None
        async for raw in self.process.stderr:
            self.lines.append(raw.decode(errors="replace").rstrip())
            self.changed.set()
        self.changed.set()

    async def wait_for_line(self, pattern: str, count: int = 1,
                            timeout: float = TIMEOUT) -> list[str]:
        """Wait until `count` log lines match `pattern`; fail with the log otherwise."""
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(timeout):
                while len(found := [line for line in self.lines if regex.search(line)]) < count:
                    if self.process.returncode is not None:
                        raise AssertionError(f"replica {self.name} exited")
                    self.changed.clear()
                    await self.changed.wait()
        except (TimeoutError, AssertionError):
            log = "\n".join(self.lines[-40:])
            raise AssertionError(f"{self.name}: no {count} line(s) /{pattern}/:\n{log}") from None
        return found

    def matching(self, pattern: str) -> list[str]:
        return [line for line in self.lines if re.search(pattern, line)]

    async def kill(self) -> None:
        """kill -9, this PID only."""
        os.kill(self.pid, signal.SIGKILL)
        await self.process.wait()


@dataclass
class Drill:
    api: LocalBotApi
    db: Engine
    url: str
    folder: Path
    http: httpx.AsyncClient
    replicas: list[ReplicaProcess] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    logged: asyncio.Event = field(default_factory=asyncio.Event)  # a line from any replica

    async def start(self, name: str) -> ReplicaProcess:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": self.api.token,
               "TELEGRAM_API_BASE_URL": self.api.base_url,
               "TELEGRAM_FILE_BASE_URL": self.api.base_file_url,
               "DATABASE_URL": self.url, "ADMIN_IDS": str(ADMIN),
               "WEBHOOK_URL": f"https://bot.example.org{PATH}", "WEBHOOK_SECRET": SECRET,
               "WEBHOOK_LISTEN": "127.0.0.1:0", "REMINDER_OFFSETS": "1j",
               "REMINDER_GRACE": "8j",  # this week's digest is always due
               "REPLICA_LEASE": LEASE, "LOG_LEVEL": "INFO", "TIMEZONE": "Europe/Paris"}
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", "webhook", cwd=self.folder, env=env,
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        replica = ReplicaProcess(name, process, changed=self.logged)
        self.replicas.append(replica)
        self.tasks.append(asyncio.create_task(replica.drain()))
        [serving] = await replica.wait_for_line(SERVING, timeout=60)
        replica.port = int(re.search(SERVING, serving)[1])
        return replica

    async def wait_for_logs(self, check: Callable[[], Any], what: str,
                            timeout: float = TIMEOUT) -> Any:
        """Wait until `check()` is truthy: it is read again at each line a replica logs
        (cleared before the check, so a line logged meanwhile is not missed)."""
        try:
            async with asyncio.timeout(timeout):
                while True:
                    self.logged.clear()
                    if found := check():
                        break
                    await self.logged.wait()
        except TimeoutError:
            raise AssertionError(f"timed out waiting for {what} in the logs") from None
        return found

    # ------------------------------------------------------------------ Telegram + proxy
    async def forward(self, replica: ReplicaProcess) -> None:
        """Push the queued updates to `replica`, as Telegram through the proxy would."""
        for update in self.api.take_updates():
            response = await self.http.post(
                f"http://127.0.0.1:{replica.port}{PATH}", json=update,
                headers={SECRET_HEADER: SECRET})
            assert response.status_code == 200, response.text

    async def say(self, replica: ReplicaProcess, text: str, user: int = ADMIN,
                  count: int = 1) -> list[JsonDict]:
        sent = await self.api.user_sends(text, user_id=user)
        await self.forward(replica)
        try:
            return await self.api.wait_for_messages(user, count, since=sent["message_id"],
                                                    timeout=TIMEOUT)
        except TimeoutError:
            log = "\n".join(replica.lines[-30:])
            raise AssertionError(f"{replica.name} did not answer {text!r}:\n{log}") from None

    async def press(self, replica: ReplicaProcess, message: JsonDict, label: str) -> None:
        query = await self.api.user_presses(message["chat"]["id"], message["message_id"],
                                            None, button_text=label, user_id=ADMIN)
        await self.forward(replica)
        await self.api.wait_for_callback_answer(query, timeout=TIMEOUT)

    # ------------------------------------------------------------------ observing
    def received(self, chat: int, prefix: str) -> list[JsonDict]:
        return [m for m in self.api.messages(chat) if m.get("text", "").startswith(prefix)]

    def deliveries(self) -> list[Delivery]:
        with Session(self.db) as session:
            return list(session.exec(select(Delivery)))


@pytest_asyncio.fixture
async def drill(databases: Any, e2e_seed_template: str, tmp_path: Path,
                ) -> AsyncIterator[Drill]:
    url = databases.copy(e2e_seed_template)
    db = make_engine(url)
    try:
        async with LocalBotApi(bot_username="mandat_bot") as api, \
                httpx.AsyncClient(timeout=10) as http:
            api.add_chat(ADMIN)
            found = Drill(api, db, url, tmp_path, http)
            try:
                yield found
            finally:
                for replica in found.replicas:
                    if replica.process.returncode is None:
                        await replica.kill()
                for task in found.tasks:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
    finally:
        db.dispose()
        databases.drop(url)


def add_milestone(db: Engine, title: str, start: datetime) -> int:
    with transaction(db) as session:
        milestone = Milestone(key=title.lower().replace(" ", "-"), project="Exercice",
                              title=title, start=start)
        session.add(milestone)
        mark_knowledge_changed(session)
        session.flush()
        return milestone.id  # type: ignore[return-value]


def subscribe(db: Engine, api: LocalBotApi, chats: range | tuple[int, ...],
              digest: bool = False) -> None:
    with transaction(db) as session:
        for chat in chats:
            reminders.subscribe(session, chat, f"Élu {chat}", None)
            if digest:
                reminders.set_digest(session, chat, True)
    for chat in chats:
        api.add_chat(chat, first_name=f"Élu {chat}")


def pid_of(owner: str | None) -> int:
    assert owner is not None
    return int(owner.split(":")[-2])  # host:pid:random (scheduler.replicas)


async def test_a_replica_killed_mid_fan_out_loses_nothing(drill: Drill) -> None:
    chats = range(5001, 5001 + FAN_OUT)
    subscribe(drill.db, drill.api, chats)
    first, second = await asyncio.gather(drill.start("A"), drill.start("B"))
    # Both up, a milestone arrives (as an import would bring it: the knowledge revision
    # moves), its 1-day reminder due a minute ago: both replicas race to claim the fan-out.
    milestone = add_milestone(drill.db, "Conseil de territoire",
                              datetime.now(UTC) + timedelta(days=1, minutes=-1))
    await drill.api.wait_until(
        lambda: sum(len(drill.received(c, "🔔 Rappel")) for c in chats) >= KILL_AFTER,
        timeout=60, what=f"{KILL_AFTER} reminders")
    [owner] = {d.owner for d in drill.deliveries() if d.milestone_id == milestone}
    sender = first if pid_of(owner) == first.pid else second
    survivor = second if sender is first else first
    assert pid_of(owner) == sender.pid
    await sender.kill()  # both were up: the other one never took its live claims
    before_kill = sum(len(drill.received(c, "🔔 Rappel")) for c in chats)
    assert before_kill < FAN_OUT, "the fan-out ended before the kill: nothing was proved"

    await drill.api.wait_until(lambda: all(drill.received(c, "🔔 Rappel") for c in chats),
                               timeout=90, what="a reminder in every chat")
    # the survivor logs its fan-out once every message of it is settled
    await drill.wait_for_logs(
        lambda: all(d.status == reminders.SENT for d in drill.deliveries()),
        "every reminder settled")

    counts = {c: len(drill.received(c, "🔔 Rappel")) for c in chats}
    assert min(counts.values()) == 1  # none lost
    duplicates = sum(n - 1 for n in counts.values())
    assert duplicates <= CONCURRENCY, counts  # at most the requests in flight at the kill
    owners = {d.owner for d in drill.deliveries()}
    assert owners == {owner, *({o for o in owners if pid_of(o) == survivor.pid})}
    assert any(pid_of(o) == survivor.pid for o in owners), "the survivor sent nothing"
    assert survivor.matching(r"taken for dead")
    print(f"\ndrill: {FAN_OUT} reminders, kill -9 after {before_kill} received, "
          f"{duplicates} duplicate(s) (bound {CONCURRENCY})")


async def test_two_replicas_share_digest_admin_changes_and_a_guided_conversation(
        drill: Drill) -> None:
    add_milestone(drill.db, "Atelier vélo", datetime.now(UTC) + timedelta(days=5))
    subscribe(drill.db, drill.api, DIGEST_CHATS, digest=True)
    a, b = await asyncio.gather(drill.start("A"), drill.start("B"))

    # The digest: both replicas run a catch-up at start (it was due), one claims each.
    await drill.api.wait_until(lambda: all(drill.received(c, "🗓️") for c in DIGEST_CHATS),
                               what="the digests")

    def claims() -> list[int]:
        return [int(n) for r in (a, b) for line in r.matching(r"digest: \d+ claimed")
                for n in re.findall(r"digest: (\d+) claimed", line)]

    await drill.wait_for_logs(lambda: sum(claims()) >= len(DIGEST_CHATS), "the digest claims")
    assert sum(claims()) == len(DIGEST_CHATS), claims()

    # An admin change through A is answered by B within 5 s.
    [before] = await drill.say(b, "qui s'occupe du logement ?", user=OFFICIAL)
    with Session(drill.db) as session:
        person = next(p for p in session.exec(select(Person))
                      if p.name.split()[-1] in before["text"])
    [done] = await drill.say(a, f'/modifier elu {person.id} nom="Zoé NOUVELLE-ÉLUE"')
    assert "modifié" in done["text"], done["text"]
    changed_at = time.monotonic()
    await b.wait_for_line(r"knowledge: revision \d+ loaded", timeout=5.0)
    [after] = await drill.say(b, "qui s'occupe du logement ?", user=OFFICIAL)
    assert "NOUVELLE-ÉLUE" in after["text"], after["text"]
    delay = time.monotonic() - changed_at
    assert delay < 5.0
    print(f"\ndrill: B answered A's change {delay:.1f} s after A confirmed it")

    # A guided /ajouter started on A continues on B after A is killed.
    start, first = await drill.say(a, "/ajouter jalon", count=2)
    assert first["text"].startswith("Titre (obligatoire)")
    await drill.say(a, "Visite du chantier de la ligne 15")
    [asked] = await drill.say(a, "Grand Paris Express")
    assert asked["text"].startswith("Étape")
    await a.kill()
    [asked] = await drill.say(b, "-")  # the next step, on the other replica
    assert asked["text"].startswith("Date (obligatoire)"), asked["text"]
    day = datetime.now(UTC) + timedelta(days=40)
    for answer in (day.strftime("%d/%m/%Y"), "10h", "Vitry-sur-Seine", "-", "non", "-"):
        replies = await drill.say(b, answer)
    summary = replies[-1]
    assert "Visite du chantier de la ligne 15" in summary["text"]
    await drill.press(b, summary, "✅ Enregistrer")
    with Session(drill.db) as session:
        saved = session.exec(select(Milestone).where(
            Milestone.title == "Visite du chantier de la ligne 15")).one()
    assert (saved.project, saved.location) == ("Grand Paris Express", "Vitry-sur-Seine")

    assert [len(drill.received(c, "🗓️")) for c in DIGEST_CHATS] == [1, 1, 1]  # still once
    # B reloaded once for A's change, never while nothing changed.
    assert len(b.matching(r"knowledge: revision \d+ loaded")) == 1
