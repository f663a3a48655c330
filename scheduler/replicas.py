"""Bot processes ("replicas") sharing one database: heartbeats, and who takes over the dead.

Each process is a `Replica` with an id of its own (host, pid, a random part). It inserts a
row at start, refreshes its `last_seen` every `lease / 3` seconds, and deletes the row at a
clean stop. Every delivery it claims ("sending") carries its id as `owner`.

A replica whose `last_seen` is older than the lease is dead: the first live replica to
notice (at its start, then at each heartbeat) deletes its row and turns its "sending" rows
into "failed" in the same transaction; the usual retry path then re-claims them, and the
conditional UPDATE of `reminders.claim` lets exactly one replica win each. So a fan-out cut
short by a kill -9 is finished by a survivor within lease + heartbeat, and a live replica's
in-flight rows are never taken. Rows without owner (claimed before schema revision 0003)
are taken over the same way.

A replica stalled beyond the lease (alive, only frozen) finds its row gone at its next
heartbeat: it is fenced — its fan-outs in progress stop handing out messages, its pending
settlements are refused (they check the owner) — and it comes back under a new id. Only its
requests in flight can then go twice, as after a crash.

Each replica stamps its own wall clock: the lease must exceed the clocks' skew (NTP keeps it
far below a second) plus the longest pause of a healthy process.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge.models import Replica as ReplicaRow
from knowledge.models import utcnow
from knowledge.store import transaction
from scheduler import reminders

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 30.0
_REPLICA = ReplicaRow.__table__


def new_replica_id() -> str:
    """host:pid:random — readable in the database, unique even across a pid reused."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


class Replica:
    """This process among those sharing the database."""

    def __init__(self, db: Engine, lease_seconds: float = DEFAULT_LEASE_SECONDS,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.lease_seconds = lease_seconds
        self.clock = clock
        self.id = new_replica_id()

    @property
    def heartbeat_seconds(self) -> float:
        return self.lease_seconds / 3

    def register(self) -> None:
        now = self.clock()
        with transaction(self.db) as session:
            session.connection().execute(
                insert(_REPLICA).values(id=self.id, started_at=now, last_seen=now))

    def unregister(self) -> None:
        """At a clean stop: our "sending" rows are anybody's at once."""
        with transaction(self.db) as session:
            session.connection().execute(delete(_REPLICA).where(_REPLICA.c.id == self.id))

    def beat(self) -> bool:
        """Refresh `last_seen`; False when another replica had declared us dead (fenced):
        we then register again under a new id."""
        with transaction(self.db) as session:
            alive = beat(session, self.id, self.clock())
        if not alive:
            old, self.id = self.id, new_replica_id()
            log.error("replica %s was taken for dead (stalled beyond the %.0f s lease): its "
                      "claims were taken over; going on as %s", old, self.lease_seconds, self.id)
            self.register()
        return alive

    def take_over(self) -> int:
        """Declare the silent replicas dead and release their "sending" rows (→ "failed",
        re-claimed by the retry path); returns how many rows were released."""
        with transaction(self.db) as session:
            return take_over(session, self.clock() - timedelta(seconds=self.lease_seconds))


def beat(session: Session, replica_id: str, now: datetime) -> bool:
    result = session.connection().execute(
        update(_REPLICA).where(_REPLICA.c.id == replica_id).values(last_seen=now))
    return result.rowcount == 1


def take_over(session: Session, cutoff: datetime) -> int:
    """One transaction: drop the replicas not seen since `cutoff`, release the rows of any
    owner no longer registered (or of none)."""
    dead = session.connection().execute(
        delete(_REPLICA).where(_REPLICA.c.last_seen < cutoff).returning(_REPLICA.c.id)
    ).scalars().all()
    if dead:
        log.warning("replicas: %s silent for over the lease, taken for dead", ", ".join(dead))
    return reminders.release_abandoned(session, select(_REPLICA.c.id))
