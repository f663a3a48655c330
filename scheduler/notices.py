"""Telling subscribers when a milestone moves or is cancelled ("notices").

The audit trail is the source: every admin change of a milestone (/modifier, /import,
/supprimer, /annuler) writes an `AuditEntry` with its before → after snapshots. After each
change, `Notices.watch()` reads the new audit rows and (re)places one APScheduler job per
milestone, `DEBOUNCE` seconds after its latest edit, carrying the state *before the first
edit of the burst*: five edits within a minute make one job, hence one message, comparing
the state before the burst with the state when the job runs (no net change: nothing sent).
A milestone brought back by /annuler after its cancellation was told is told too
("Rétabli", with a calendar file that puts it back).

Sent once: each message is claimed in the `delivery` table before it leaves, as reminders
are, with `offset_seconds = -<id of the burst's last audit row>` (negative offsets are
notices; no schema change). A restart or a second replica finds the claim and stays quiet.

Not lost at a stop: at start-up the audit rows of the last `grace_seconds` not yet covered
by a notice are planned again (the claims keep what already went from going twice).
Not lost on a failure: a notice that did not reach some followers (transient trouble that
outlasted the retries, or a replica that died with it in flight) is planned again for those
followers only, at start-up, after a dead replica's sends are taken over and at every sweep
(`retry_failed`), as long as it is still about the milestone's latest edit; once the
milestone is edited again, the newer notice goes instead.

Each follower hears what changed since what *they* know (`heard_up_to`): the state the last
notice they received told, or for one who missed every notice due to them, the state before
the first they missed. So a follower who missed a move hears "15 → 22 mars" at the next
edit while the others hear "20 → 22 mars", even when that next edit changes nothing the
others need hearing of; one who missed a cancellation hears nothing of its undoing.
Followers never due a notice of the milestone hear the burst's change (and nothing, at a
retry for others of a notice that went out before they began following).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from knowledge.admin_store import KIND_NAMES
from knowledge.models import AuditEntry, Delivery, Milestone, Precision
from scheduler import ics, reminders, texts
from scheduler.change import Change
from scheduler.delivery import (
    Deliverer,
    DeliveryStats,
    Message,
    ProgressCallback,
    ResultCallback,
)
from scheduler.notifier import Attachment

log = logging.getLogger(__name__)

DEBOUNCE = 60  # seconds of quiet after an edit before subscribers are told
JOB_PREFIX = "notice-"
ENTITY = KIND_NAMES["milestone"]  # how the audit trail names milestones

Claimer = Callable[[Callable[[Session], list[reminders.Due]]], list[reminders.Claim]]


# --------------------------------------------------------------------------- what changed


def state(snapshot: dict[str, Any]) -> Milestone:
    """An audited snapshot back into a (detached) Milestone."""
    clean = {k: v for k, v in snapshot.items() if not k.startswith("_")}
    return Milestone.model_validate(clean)


def net_change(before: Milestone, after: Milestone | None, now: datetime,
               tz: ZoneInfo) -> Change | None:
    """What subscribers should hear about, or None (nothing notable, or all in the past)."""
    if before.start <= now and (after is None or after.start <= now):
        return None  # a past milestone edited or deleted, and not moved into the future
    if after is None:
        return Change(before, None)
    date = _day(before, tz) != _day(after, tz)
    hour = _hour(before, tz) != _hour(after, tz)
    place = (before.location or "") != (after.location or "")
    if not (date or hour or place):
        return None
    return Change(before, after, date, hour, place)


def restored_change(cancelled: Milestone | None, after: Milestone | None,
                    now: datetime) -> Change | None:
    """A milestone whose cancellation was told, back again (an admin's /annuler)."""
    if cancelled is None or after is None or after.start <= now:
        return None
    return Change(cancelled, after, restored=True)


def change_since(before: dict[str, Any] | None, cancelled: Milestone | None,
                 after: Milestone | None, now: datetime, tz: ZoneInfo) -> Change | None:
    """What to tell someone who knew the milestone as `before` (a snapshot; None: created
    since, or back after the cancellation of `cancelled` they were told)."""
    if before is None:
        return restored_change(cancelled, after, now)
    return net_change(state(before), after, now, tz)


def _day(milestone: Milestone, tz: ZoneInfo) -> tuple[int, ...]:
    local = milestone.start.astimezone(tz)
    if milestone.precision is Precision.MONTH:
        return (local.year, local.month)
    return (local.year, local.month, local.day)


def _hour(milestone: Milestone, tz: ZoneInfo) -> tuple[int, int] | None:
    if milestone.precision is not Precision.EXACT:
        return None
    local = milestone.start.astimezone(tz)
    return (local.hour, local.minute)


# --------------------------------------------------------------------------- the trail


@dataclass(frozen=True)
class Burst:
    """The edits of one milestone not told yet: the state before them, the last edit."""

    milestone_id: int
    before: dict[str, Any] | None  # None: created within the burst (nothing to tell)
    last_audit_id: int
    last_at: datetime


def audit_rows(session: Session, after_id: int = 0,
               since: datetime | None = None) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.entity == ENTITY, col(AuditEntry.id) > after_id,
                                    col(AuditEntry.entry_id).is_not(None))
    if since is not None:
        stmt = stmt.where(col(AuditEntry.at) >= since)
    return list(session.exec(stmt.order_by(col(AuditEntry.id))))


def last_audit_id(session: Session) -> int:
    return session.exec(select(func.max(AuditEntry.id))).one() or 0


def notified_up_to(session: Session, milestone_id: int) -> int:
    """The last audit id whose notice was claimed for this milestone (0 if none)."""
    lowest = session.exec(select(func.min(Delivery.offset_seconds)).where(
        Delivery.milestone_id == milestone_id, col(Delivery.offset_seconds) < 0)).one()
    return -lowest if lowest is not None else 0


def told_cancellation(session: Session, milestone_id: int) -> Milestone | None:
    """The milestone as it was when deleted, if the last notice told its cancellation."""
    told = notified_up_to(session, milestone_id)
    row = session.get(AuditEntry, told) if told else None
    if row is None or row.after is not None or not row.before:
        return None
    return state(row.before)


def untold_bursts(session: Session, since: datetime) -> list[Burst]:
    """At start-up: per milestone, the audited edits since `since` not yet notified."""
    by_milestone: dict[int, list[AuditEntry]] = {}
    for row in audit_rows(session, since=since):
        by_milestone.setdefault(row.entry_id, []).append(row)  # type: ignore[arg-type]
    bursts = []
    for milestone_id, rows in by_milestone.items():
        told = notified_up_to(session, milestone_id)
        rows = [r for r in rows if r.id > told]  # type: ignore[operator]
        if rows:
            bursts.append(Burst(milestone_id, rows[0].before, rows[-1].id, rows[-1].at))  # type: ignore[arg-type]
    return bursts


def milestone_edits(session: Session, milestone_id: int, up_to: int) -> list[AuditEntry]:
    """The milestone's audit rows up to the id `up_to`, oldest first."""
    return list(session.exec(select(AuditEntry).where(
        AuditEntry.entity == ENTITY, AuditEntry.entry_id == milestone_id,
        col(AuditEntry.id) <= up_to).order_by(col(AuditEntry.id))))


def latest_edit(session: Session, milestone_id: int) -> AuditEntry | None:
    return session.exec(select(AuditEntry).where(
        AuditEntry.entity == ENTITY, AuditEntry.entry_id == milestone_id,
    ).order_by(col(AuditEntry.id).desc())).first()


Known = tuple[dict[str, Any] | None, Milestone | None]  # change_since's (before, cancelled)


def state_after(edits: list[AuditEntry], audit_id: int) -> Known | None:
    """The milestone as it stood after its audit row `audit_id` (0: before its first edit),
    or None if the trail does not say."""
    if audit_id:
        row = next((e for e in edits if e.id == audit_id), None)
        if row is None:
            return None
        if row.after is None:  # its cancellation
            return None, state(row.before) if row.before else None
        return row.after, None
    first = next((e for e in edits if e.before is not None), None)
    return None if first is None else (first.before, None)


def heard_up_to(notices: dict[int, str], keys: list[int], key: int) -> int | None:
    """The audit id after which a follower knows the milestone, for the notice `key`.

    `notices`: their claims of the milestone's notices up to `key` (key → status); `keys`:
    the notice keys claimed for anyone. The last notice they received, or, if they missed
    every one due to them, the one before the first they missed (0: the state before every
    edit). A follower never due one knows the burst's start (None), or, if this notice went
    out before they began following (a retry for others), the milestone as it is (`key`).
    """
    if not notices:
        return key if key in keys else None
    received = [k for k, status in notices.items() if status == reminders.SENT and k < key]
    if received:
        return max(received)
    first = min(notices)
    return max((k for k in keys if k < first), default=0)


def audience(session: Session, milestone_id: int, key: int, burst: Change | None,
             tell: Callable[[dict[str, Any] | None, Milestone | None], Change | None],
             default_offsets: list[int]) -> list[tuple[reminders.Due, Change]]:
    """Active subscribers following the milestone (as they knew it, or as it is), each with
    their change (`tell` it from what they know, see `heard_up_to`; `burst` for those never
    due a notice): those not yet claimed for this notice (`key`: the burst's last audit
    id), or whose claim failed and may be tried again, and who have something to hear."""
    rows = session.exec(select(Delivery).where(
        Delivery.milestone_id == milestone_id, col(Delivery.offset_seconds) < 0,
        col(Delivery.offset_seconds) >= -key))
    history: dict[int, dict[int, str]] = {}
    claimed: dict[int, Delivery] = {}
    for row in rows:
        history.setdefault(row.subscriber_id, {})[-row.offset_seconds] = row.status
        if row.offset_seconds == -key:
            claimed[row.subscriber_id] = row
    keys = sorted({k for notices in history.values() for k in notices})
    edits = milestone_edits(session, milestone_id, key)
    changes: dict[int, Change | None] = {}  # by the audit id the follower knows the state at
    dues = []
    for follower in reminders.followers(session, default_offsets):
        subscriber_id: int = follower.subscriber.id  # type: ignore[assignment]
        existing = claimed.get(subscriber_id)
        if existing is not None and not _retryable(existing):
            continue
        heard = heard_up_to(history.get(subscriber_id, {}), keys, key)
        if heard is None:
            change = burst
        else:
            if heard not in changes:
                known = state_after(edits, heard)
                changes[heard] = burst if known is None else tell(*known)
            change = changes[heard]
        if change is not None and _follows(follower, change):
            start = existing.milestone_start if existing else change.current.start
            dues.append((reminders.Due(follower.subscriber, milestone_id, -key, start,
                                       existing, change.current), change))
    return dues


def _follows(follower: reminders.Follower, change: Change) -> bool:
    """Does the follower follow the milestone, as they knew it or as it is?"""
    states = [m for m in (change.before, change.after) if m is not None]
    return any(reminders.topic_matches(t, m) for t in follower.topics for m in states)


def _retryable(row: Delivery) -> bool:
    return row.status == reminders.FAILED and row.attempts < reminders.MAX_ROUNDS


def failed_bursts(session: Session) -> list[Burst]:
    """Notices some followers did not get (transient trouble outlasted the retries, or a
    replica died with them in flight), still about the milestone's latest edit: their
    burst again, to be sent to those followers only."""
    rows = session.exec(select(Delivery.milestone_id, Delivery.offset_seconds).where(
        col(Delivery.offset_seconds) < 0, Delivery.status == reminders.FAILED,
        col(Delivery.attempts) < reminders.MAX_ROUNDS).distinct())
    bursts = []
    for milestone_id, offset in rows:
        key, latest = -offset, latest_edit(session, milestone_id)
        if latest is None or latest.id != key:
            continue  # edited since: the newer notice goes instead (it catches them up)
        earlier = session.exec(select(func.max(Delivery.offset_seconds)).where(
            Delivery.milestone_id == milestone_id, col(Delivery.offset_seconds) < 0,
            col(Delivery.offset_seconds) > offset)).one()
        edits = [r for r in audit_rows(session, after_id=-earlier if earlier else 0)
                 if r.entry_id == milestone_id and (r.id or 0) <= key]
        if edits:
            bursts.append(Burst(milestone_id, edits[0].before, key, edits[-1].at))  # type: ignore[arg-type]
    return bursts


# --------------------------------------------------------------------------- the jobs


class Notices:
    """Watches the audit trail, debounces per milestone, sends through the Deliverer."""

    def __init__(self, db: Engine, deliverer: Deliverer, *, tz: ZoneInfo,
                 default_offsets: list[int], grace_seconds: int,
                 clock: Callable[[], datetime], claim: Claimer, record: ResultCallback,
                 progress: ProgressCallback, debounce: int = DEBOUNCE) -> None:
        self.db, self.deliverer, self.tz = db, deliverer, tz
        self.default_offsets, self.grace_seconds = default_offsets, grace_seconds
        self.clock, self._claim, self._record = clock, claim, record
        self._progress = progress
        self.debounce = debounce
        self._scheduler: AsyncIOScheduler | None = None
        self._seen = 0  # the last audit id looked at

    def start(self, scheduler: AsyncIOScheduler) -> None:
        """Plan what was edited but not told before the last stop, then watch."""
        self._scheduler = scheduler
        since = self.clock() - timedelta(seconds=self.grace_seconds)
        with Session(self.db) as session:
            self._seen = last_audit_id(session)
            bursts = untold_bursts(session, since)
        for burst in bursts:
            log.info("notices: milestone #%s edited before the restart, planned again",
                     burst.milestone_id)
            self._plan(burst.milestone_id, burst.before, burst.last_at)
        self.retry_failed()

    def retry_failed(self) -> None:
        """Plan again, for the followers it failed to reach, each notice that failed (at
        start-up, after a dead replica's sends are taken over, and at every sweep)."""
        if self._scheduler is None:
            return
        with Session(self.db) as session:
            bursts = failed_bursts(session)
        for burst in bursts:
            if self.pending(burst.milestone_id) is None:
                log.info("notices: milestone #%s, failed notices planned again",
                         burst.milestone_id)
                self._plan(burst.milestone_id, burst.before, burst.last_at)

    def shutdown(self) -> None:
        """Remove pending jobs (the next start plans them again from the audit trail)."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is None:
            return
        for job in scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX):
                job.remove()

    def watch(self) -> None:
        """After an admin change: one pending job per milestone edited since last time."""
        if self._scheduler is None:
            return
        with Session(self.db) as session:
            rows = audit_rows(session, after_id=self._seen)
        for row in rows:
            self._seen = max(self._seen, row.id or 0)
            job = self._scheduler.get_job(job_id(row.entry_id))  # type: ignore[arg-type]
            before = job.kwargs["before"] if job is not None else row.before
            self._plan(row.entry_id, before, self.clock())  # type: ignore[arg-type]

    def pending(self, milestone_id: int) -> Any:
        """The pending job of a milestone (None if nothing is waiting)."""
        return self._scheduler.get_job(job_id(milestone_id)) if self._scheduler else None

    def outlook(self, milestone_id: int) -> tuple[int, datetime] | None:
        """(followers to tell, when) for the notice pending for a milestone, as if it left
        now; None when nothing is pending or there is nothing to tell anyone. Reads the
        database: call it in a worker thread."""
        job = self.pending(milestone_id)
        if job is None:
            return None
        now = self.clock()
        after, last, cancelled = self._current(milestone_id)
        if last is None:
            return None

        def tell(known: dict[str, Any] | None, known_cancelled: Milestone | None
                 ) -> Change | None:
            return change_since(known, known_cancelled, after, now, self.tz)

        burst = tell(job.kwargs["before"], cancelled)
        with Session(self.db) as session:
            told = audience(session, milestone_id, last.id or 0, burst, tell,
                            self.default_offsets)
        if burst is None and not told:
            return None
        return len(told), job.next_run_time

    def _plan(self, milestone_id: int, before: dict[str, Any] | None, edited: datetime) -> None:
        if self._scheduler is None:
            return
        at = max(edited + timedelta(seconds=self.debounce), self.clock())
        self._scheduler.add_job(
            self.send, DateTrigger(run_date=at, timezone=self.tz), id=job_id(milestone_id),
            replace_existing=True, misfire_grace_time=None, coalesce=True,
            kwargs={"milestone_id": milestone_id, "before": before})

    async def send(self, milestone_id: int, before: dict[str, Any] | None) -> DeliveryStats:
        """Tell the followers of a milestone its net change since `before` (None: created
        within the burst, or restored after a told cancellation), or since what they know
        if they missed a notice; once."""
        now = self.clock()
        after, last, cancelled = await asyncio.to_thread(self._current, milestone_id)
        if last is None:
            return DeliveryStats()

        def tell(known: dict[str, Any] | None, known_cancelled: Milestone | None
                 ) -> Change | None:
            return change_since(known, known_cancelled, after, now, self.tz)

        burst, told = tell(before, cancelled), {}

        def claimed(session: Session) -> list[reminders.Due]:
            pairs = audience(session, milestone_id, last.id or 0, burst, tell,
                             self.default_offsets)
            told.clear()
            told.update((due.subscriber.id, change) for due, change in pairs)
            return [due for due, _ in pairs]

        claims = await asyncio.to_thread(self._claim, claimed)
        if not claims:
            log.info("notices: milestone #%s edited, nothing to tell", milestone_id)
            return DeliveryStats()
        bodies: dict[int, tuple[str, Attachment]] = {}  # by id(change): a few distinct ones
        messages = []
        for claim in claims:
            change = told[claim.due.subscriber.id]
            if id(change) not in bodies:
                bodies[id(change)] = self._body(change, last.at, now)
            text, attachment = bodies[id(change)]
            messages.append(Message(claim.due.subscriber.chat_id, text, attachment=attachment,
                                    ref=claim, done=claim.progress))
        stats = await self.deliverer.deliver(messages, self._record, self._progress)
        log.info("notices: milestone #%s, %d follower(s) told, %s", milestone_id,
                 len(claims), stats)
        return stats

    def _body(self, change: Change, changed_at: datetime, now: datetime
              ) -> tuple[str, Attachment]:
        """A notice's text and its calendar file."""
        calendar = ics.change_ics(change.current, self.tz, changed_at, change.cancelled)
        return (texts.notice_text(change, self.tz, now),
                Attachment(ics.ics_filename(change.current), calendar))

    def _current(self, milestone_id: int
                 ) -> tuple[Milestone | None, AuditEntry | None, Milestone | None]:
        """The milestone as it is now (None: deleted), its latest audited edit, and its
        state when deleted if the last notice told that cancellation."""
        with Session(self.db) as session:
            return (session.get(Milestone, milestone_id), latest_edit(session, milestone_id),
                    told_cancellation(session, milestone_id))


def job_id(milestone_id: int) -> str:
    return f"{JOB_PREFIX}{milestone_id}"
