"""The reminder service: APScheduler wakes it up, the database remembers what went out.

Exactly once, and where it cannot be
------------------------------------
Every message is claimed in the database ("sending", unique per milestone × subscriber ×
offset, with this replica's id as owner) *before* it is sent and settled ("sent", "failed",
"skipped") right after, so neither a restart, a second trigger nor another replica can send
it twice: the unique row (and a conditional UPDATE for a re-claim) lets one claimer win.

Several bot processes ("replicas") may share the database, e.g. during a deploy that
starts the new process before stopping the old one (see `scheduler.replicas`). Each one
refreshes a heartbeat row every `lease / 3` seconds. Rows still "sending" whose owner is
dead (heartbeat older than the lease, or gone after a clean stop, `shutdown()`, which
abandons a fan-out in progress) are released to "failed" by a live replica, at its start
and at each heartbeat, and sent again if still within the grace window: a fan-out cut short
by a kill -9 is finished by the survivor within lease + heartbeat. A live replica's
in-flight rows are never taken. Of the released rows, only the requests in flight at the
crash can have reached Telegram, so **a crash duplicates at most `Deliverer.concurrency`
messages (16 by default)**; claimed-but-unsent ones are sent once, nothing is lost. A
replica frozen beyond the lease is fenced (it stops handing out its messages, its late
settlements are refused): again only its requests in flight can go twice. The other
unavoidable duplicate is a request that timed out after Telegram had processed it (the Bot
API has no idempotency key): it is retried like any network error (at most
`max_attempts - 1` extra copies of that message).

Scheduling
----------
A single "next wake-up" DateTrigger job (coalesced, never dropped as misfired) at the
earliest instant a reminder may fall due, recomputed after each run and after any admin
change (`reschedule_all`, which also plans the notices of moved or cancelled milestones,
see `scheduler.notices`); a weekly CronTrigger for the digest (Monday 8:30 local time; every
replica runs it, the claims send it once); a sweep every 10 minutes as a safety net (failed
retries, database edited behind our back); and the replica heartbeat.
All "now" comes from the injected clock, so tests drive time by calling `run_due()`.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from knowledge.models import utcnow
from knowledge.store import transaction
from scheduler import reminders, texts
from scheduler.delivery import Deliverer, DeliveryStats, Message, Outcome, Progress
from scheduler.notices import Notices
from scheduler.notifier import Buttons, Notifier
from scheduler.replicas import Replica

log = logging.getLogger(__name__)

WAKE_JOB, DIGEST_JOB, SWEEP_JOB, DIGEST_CATCHUP_JOB, HEARTBEAT_JOB = (
    "reminders-next",
    "reminders-digest",
    "reminders-sweep",
    "reminders-digest-catchup",
    "reminders-heartbeat",
)
SWEEP_MINUTES = 10
CLAIM_ATTEMPTS = 3
_STATUS = {
    Outcome.SENT: reminders.SENT,
    Outcome.FAILED: reminders.FAILED,
    Outcome.BLOCKED: reminders.SKIPPED,
    Outcome.REJECTED: reminders.SKIPPED,
}


class ReminderService:
    def __init__(
        self,
        db: Engine,
        notifier: Notifier,
        *,
        tz: ZoneInfo,
        default_offsets: Sequence[int],
        grace_seconds: int,
        scheduler: AsyncIOScheduler | None = None,
        clock: Callable[[], datetime] = utcnow,
        deliverer: Deliverer | None = None,
        retry_seconds: int = 300,
        replica: Replica | None = None,
    ) -> None:
        self.db = db
        self.replica = replica or Replica(db)
        self.tz = tz
        self.default_offsets = list(default_offsets)
        self.grace_seconds = grace_seconds
        self.clock = clock
        self.deliverer = deliverer or Deliverer(notifier)
        self.retry_seconds = retry_seconds
        self._scheduler = scheduler
        self._owns_scheduler = scheduler is None
        self._started = False
        self._one_run = asyncio.Lock()
        self.notices = Notices(
            db, self.deliverer, tz=tz, default_offsets=self.default_offsets,
            grace_seconds=grace_seconds, clock=lambda: self.clock(), claim=self._claim,
            record=self._record, progress=self._progress,
        )

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        """Recover interrupted deliveries, then schedule everything (call inside the loop).

        The catch-up (what fell due while the bot was down, within grace) runs as soon as
        the event loop gets control, through the scheduler.
        """
        self.replica.register()
        self._log_taken_over(self.replica.take_over())
        with transaction(self.db) as session:
            reminders.drop_orphans(session)
        if self._scheduler is None:
            self._scheduler = AsyncIOScheduler(timezone=self.tz)
        scheduler = self._scheduler
        scheduler.add_job(
            self.send_digest,
            CronTrigger(day_of_week="mon", hour=8, minute=30, timezone=self.tz),
            id=DIGEST_JOB,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
        )
        scheduler.add_job(
            self._sweep,
            IntervalTrigger(minutes=SWEEP_MINUTES, timezone=self.tz),
            id=SWEEP_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        scheduler.add_job(
            self.heartbeat,
            IntervalTrigger(seconds=self.replica.heartbeat_seconds, timezone=self.tz),
            id=HEARTBEAT_JOB,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
        )
        scheduler.add_job(self.send_digest, id=DIGEST_CATCHUP_JOB, replace_existing=True)
        self._started = True
        self.notices.start(scheduler)
        self._wake_at(None)
        if not scheduler.running:
            scheduler.start()

    @property
    def running(self) -> bool:
        """Started, and its scheduler running (reported by the webhook's /healthz)."""
        return self._started and self._scheduler is not None and self._scheduler.running

    def shutdown(self) -> None:
        """Remove our jobs (and stop the scheduler if we created it); leave the replicas, so
        that another one takes over our interrupted deliveries at once."""
        if self._started:
            try:
                self.replica.unregister()
            except Exception:  # noqa: BLE001 - the lease expires anyway
                log.warning("reminders: could not unregister replica %s", self.replica.id,
                            exc_info=True)
        self._started = False
        self.notices.shutdown()
        scheduler = self._scheduler
        if scheduler is None:
            return
        for job_id in (WAKE_JOB, DIGEST_JOB, SWEEP_JOB, DIGEST_CATCHUP_JOB, HEARTBEAT_JOB):
            if scheduler.get_job(job_id) is not None:
                scheduler.remove_job(job_id)
        if self._owns_scheduler and scheduler.running:
            scheduler.shutdown(wait=False)

    def reschedule_all(self) -> None:
        """After an admin change (milestones, subscriptions): recompute the pending work.

        Deleted milestones lose their deliveries; moved ones are reminded at their new
        time (their rows record the old start), and their followers are told (debounced,
        see `scheduler.notices`). It reads the database: handlers call it in a worker
        thread (APScheduler's job store is thread-safe).
        """
        self.notices.watch()
        with transaction(self.db) as session:
            dropped = reminders.drop_orphans(session)
        if dropped:
            log.info("reminders: %d delivery row(s) of deleted milestones dropped", dropped)
        self._wake_at(None)

    # ------------------------------------------------------------------ work

    async def run_due(self) -> DeliveryStats:
        """Send every reminder due now (within grace), then plan the next wake-up.

        The database work (claims, records, planning) runs in worker threads, the sending
        on the event loop: a slow database never stalls the bot's replies. One run at a
        time: a wake-up during a fan-out waits for it, then finds only what is left (the
        fan-outs share one rate limit anyway).
        """
        async with self._one_run:
            return await self._run_due()

    async def _run_due(self) -> DeliveryStats:
        now = self.clock()
        try:
            claims = await asyncio.to_thread(
                self._claim,
                lambda s: reminders.due_reminders(
                    s, now, self.default_offsets, self.grace_seconds, self.tz
                ),
            )
            if not claims:
                return DeliveryStats()
            bodies: dict[int, tuple[str, Buttons]] = {}
            for claim in claims:
                milestone = claim.due.milestone
                if milestone is not None and milestone.id not in bodies:
                    bodies[milestone.id] = (  # type: ignore[index]
                        texts.reminder_text(milestone, now, self.tz),
                        texts.reminder_buttons(milestone),
                    )
            messages = [
                Message(c.due.subscriber.chat_id, *bodies[c.due.milestone_id], ref=c,
                        done=c.progress)
                for c in claims
            ]
            stats = await self.deliverer.deliver(self._while_owner(messages), self._record,
                                                 self._progress)
            log.info("reminders: %d claimed, %s", len(claims), stats)
            return stats
        finally:
            await asyncio.to_thread(self._schedule_next, now)

    async def send_digest(self) -> DeliveryStats:
        """This week's digest to the digest subscribers who have not had it (within grace).

        Nothing is sent (nor recorded) to someone with nothing in the next 14 days.
        """
        now = self.clock()
        bodies = await asyncio.to_thread(self._digest_bodies, now)
        if not bodies:
            return DeliveryStats()
        claims = await asyncio.to_thread(
            self._claim,
            lambda s: [
                d
                for d in reminders.due_digests(s, now, self.grace_seconds, self.tz)[1]
                if d.subscriber.id in bodies
            ],
        )
        messages = [
            Message(c.due.subscriber.chat_id, bodies[c.due.subscriber.id], ref=c,
                    done=c.progress)
            for c in claims
        ]
        stats = await self.deliverer.deliver(self._while_owner(messages), self._record,
                                             self._progress)
        log.info("digest: %d claimed, %s", len(claims), stats)
        return stats

    def _digest_bodies(self, now: datetime) -> dict[int, str]:
        """The digest text of each subscriber due one with something in it, by id."""
        with Session(self.db) as session:
            _, dues = reminders.due_digests(session, now, self.grace_seconds, self.tz)
            contents = reminders.digest_contents(session, [d.subscriber.id for d in dues], now)
        return {
            subscriber_id: texts.digest_text(milestones, now, self.tz, reminders.DIGEST_DAYS)
            for subscriber_id, milestones in contents.items()
            if milestones
        }

    async def _sweep(self) -> None:
        await self.run_due()
        await self.send_digest()
        await asyncio.to_thread(self.notices.retry_failed)

    async def heartbeat(self) -> None:
        """Keep our lease; release what dead replicas left "sending" and send it again
        (a job every `replica.heartbeat_seconds`)."""

        def beat_and_take_over() -> int:
            self.replica.beat()
            return self.replica.take_over()

        if self._log_taken_over(await asyncio.to_thread(beat_and_take_over)):
            self._wake_at(None)
            await asyncio.to_thread(self.notices.retry_failed)
            if self._scheduler is not None:
                self._scheduler.add_job(self.send_digest, id=DIGEST_CATCHUP_JOB,
                                        replace_existing=True)

    def _log_taken_over(self, released: int) -> int:
        if released:
            log.warning(
                "reminders: %d delivery(ies) interrupted by a stop or crash will be retried "
                "(at most %d of them may already have reached the user)",
                released, min(released, self.deliverer.concurrency))
        return released

    def _while_owner(self, messages: list[Message]) -> Iterator[Message]:
        """The messages, as long as their claims are still ours: a replica declared dead
        (stalled beyond the lease, see scheduler.replicas) stops handing them out."""
        return itertools.takewhile(lambda m: m.ref.owner == self.replica.id, messages)

    def _claim(self, compute: Callable[[Session], list[reminders.Due]]) -> list[reminders.Claim]:
        """Compute and claim in one transaction; a concurrent claimer makes us recompute."""
        for _ in range(CLAIM_ATTEMPTS):
            try:
                with transaction(self.db) as session:
                    return reminders.claim(session, compute(session), self.replica.id)
            except IntegrityError:
                log.info("reminders: another process claimed first, recomputing")
        return []

    def _record(self, message: Message, outcome: Outcome) -> None:
        claim: reminders.Claim = message.ref
        now = self.clock()
        with transaction(self.db) as session:
            reminders.record(session, claim.delivery_id, _STATUS[outcome], now, claim.owner)
            if outcome is Outcome.BLOCKED:
                reminders.deactivate(session, claim.due.subscriber.id, now)  # type: ignore[arg-type]
        if outcome is Outcome.BLOCKED:
            log.warning(
                "reminders: chat %s blocked the bot, subscriber deactivated", message.chat_id
            )

    def _progress(self, message: Message, progress: Progress) -> None:
        claim: reminders.Claim = message.ref
        with transaction(self.db) as session:
            reminders.record_progress(session, claim.delivery_id, progress, claim.owner)

    # ------------------------------------------------------------------ scheduling

    def _schedule_next(self, handled_until: datetime) -> None:
        """Plan the wake-up for the first reminder due after `handled_until`.

        Counting from the start of the run, not from its end: whatever fell due while it
        was sending gets a wake-up in the past, which APScheduler runs at once.
        """
        if not self._started:
            return
        with Session(self.db) as session:
            at = reminders.next_due_at(session, handled_until, self.default_offsets, self.tz)
            now = self.clock()
            if reminders.next_retry_needed(session, now, self.grace_seconds, self.tz):
                retry = now + timedelta(seconds=self.retry_seconds)
                at = retry if at is None else min(at, retry)
        if at is None:
            self._remove(WAKE_JOB)
        else:
            self._wake_at(at)

    def _wake_at(self, at: datetime | None) -> None:
        """(Re)place the single wake-up job; None = as soon as the loop gets control."""
        if not self._started or self._scheduler is None:
            return
        trigger = DateTrigger(run_date=at, timezone=self.tz) if at else DateTrigger()
        self._scheduler.add_job(
            self.run_due,
            trigger,
            id=WAKE_JOB,
            replace_existing=True,
            coalesce=True,
            misfire_grace_time=None,
            max_instances=4,
        )

    def _remove(self, job_id: str) -> None:
        if self._scheduler is not None and self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    # ------------------------------------------------------------------ introspection

    def next_wakeup(self) -> datetime | None:
        """When the wake-up job will next run (None if none is planned)."""
        job = self._scheduler.get_job(WAKE_JOB) if self._scheduler else None
        return job.next_run_time if job else None
