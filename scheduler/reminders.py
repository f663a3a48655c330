"""What is due and for whom: functions over a Session (no network, no clock).

Over 500 lines: the delivery rows' whole protocol (due, claim, settle, recover) in one place.
What the messages say is in `scheduler.texts`.

Delivery rows are the memory of the reminders, one per (milestone, subscriber, offset):

- ``sending``: claimed (inserted) *before* the message leaves; the unique key makes a second
  claim fail, so a reminder is handed to the sender at most once;
- ``sent``: confirmed by Telegram;
- ``failed``: not delivered (network, flood control): retried while within the grace window,
  at most `MAX_ROUNDS` claims;
- ``skipped``: never to be retried (the subscriber blocked the bot, Telegram refused it).

A message sent in several parts records, while "sending", the parts delivered so far
(`parts_sent`, `parts_digest`): a failed row claimed again resumes after them.

A row records the start it was for (`milestone_start`): when a milestone moves, its rows
become stale and the reminders of the new date re-claim them (conditional UPDATE).
The weekly digest uses the same table with `milestone_id = DIGEST_ID` and, as "offset", the
ordinal of the digest's Monday: one digest per subscriber per week. The notices of a
moved or cancelled milestone (`scheduler.notices`) use it too, with a negative "offset":
minus the id of the burst's last audit row (one notice per burst and subscriber).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process
from sqlalchemy import Select, bindparam, delete, insert, or_, update
from sqlmodel import Session, col, select

from knowledge.models import Delivery, Milestone, Subscriber, Subscription
from knowledge.text import normalize, stem, storable, tokens
from scheduler import texts
from scheduler.delivery import Progress

SENDING, SENT, FAILED, SKIPPED = "sending", "sent", "failed", "skipped"
MAX_ROUNDS = 5  # claims of one delivery (each round has its own network retries)
DIGEST_DAYS = 14
DIGEST_ID = 0  # Delivery.milestone_id of digest rows (no milestone has id 0)
DIGEST_WEEKDAY, DIGEST_TIME = 0, time(8, 30)  # Monday 8:30 local time
MAX_TOPIC_CHARS = 100
MAX_OFFSET_SECONDS = 366 * 86_400
FUZZY_THRESHOLD = 90
NEAREST_PROJECT_SCORE = 70  # WRatio: "pcaett" offers PCAET, "piscines" offers nothing
DAY = 86_400


# --------------------------------------------------------------------------- time


def due_time(start: datetime, offset_seconds: int, tz: ZoneInfo) -> datetime:
    """When the reminder `offset_seconds` before `start` is due (aware UTC).

    Whole days are counted on the local wall clock, so "1 day before 10:00" is 10:00 the day
    before even across a DST change; the rest (hours, minutes) is elapsed time.
    """
    days, rest = divmod(offset_seconds, DAY)
    local = start.astimezone(tz).replace(tzinfo=None) - timedelta(days=days)
    return local.replace(tzinfo=tz).astimezone(UTC) - timedelta(seconds=rest)


def last_digest_instant(now: datetime, tz: ZoneInfo) -> datetime:
    """The latest Monday 8:30 local time at or before `now` (aware UTC)."""
    local = now.astimezone(tz)
    monday = local.date() - timedelta(days=(local.weekday() - DIGEST_WEEKDAY) % 7)
    if datetime.combine(monday, DIGEST_TIME, tzinfo=tz) > local:
        monday -= timedelta(days=7)
    return datetime.combine(monday, DIGEST_TIME, tzinfo=tz).astimezone(UTC)


# --------------------------------------------------------------------------- topics


def clean_topic(topic: str | None) -> str | None:
    """A topic as stored: trimmed, single spaces; None (or blank) means everything."""
    if topic is None or not storable(topic).strip():
        return None
    text = " ".join(storable(topic).split())
    if len(text) > MAX_TOPIC_CHARS:
        raise ValueError(texts.TOPIC_TOO_LONG.format(limit=MAX_TOPIC_CHARS))
    return text


def _milestone_fields(milestone: Milestone) -> list[str]:
    texts = [milestone.project, milestone.phase, milestone.title, *milestone.keywords]
    return [normalize(t) for t in texts if t]


def topic_matches(topic: str | None, milestone: Milestone) -> bool:
    """Does a subscription's topic cover this milestone? None covers everything.

    Matches when every content word of the topic is (up to plural/ending) a word of the
    milestone's project, phase, title or keywords, or when the whole topic is a fuzzy
    (partial_ratio >= 90) match of one of them starting on a word boundary — so "pcaet"
    matches "Ateliers PLUi-PCAET" but "sport" does not match "transport".
    """
    if topic is None:
        return True
    wanted = normalize(topic)
    if not wanted:
        return True
    fields = _milestone_fields(milestone)
    words = {stem(w) for text in fields for w in text.split()}
    topic_words = {stem(w) for w in (tokens(wanted) or wanted.split())}
    if topic_words <= words:
        return True
    return len(wanted) >= 3 and any(_fuzzy_word_match(wanted, text) for text in fields)


def _fuzzy_word_match(wanted: str, text: str) -> bool:
    """`wanted` is (nearly) found inside `text`, starting at the beginning of a word."""
    if not text or len(wanted) > len(text):
        return False
    found = fuzz.partial_ratio_alignment(wanted, text, score_cutoff=FUZZY_THRESHOLD)
    return found is not None and (found.dest_start == 0 or text[found.dest_start - 1] == " ")


# --------------------------------------------------------------------------- subscribers


def subscriber_of(session: Session, chat_id: int) -> Subscriber | None:
    return session.exec(select(Subscriber).where(Subscriber.chat_id == chat_id)).first()


def _subscriber(session: Session, chat_id: int, name: str = "") -> Subscriber:
    """The chat's subscriber, created if needed and reactivated (the user talks to us)."""
    subscriber = subscriber_of(session, chat_id)
    if subscriber is None:
        subscriber = Subscriber(chat_id=chat_id, name=storable(name))
    elif name:
        subscriber.name = storable(name)
    subscriber.active, subscriber.deactivated_at = True, None
    session.add(subscriber)
    session.flush()
    return subscriber


def subscribe(
    session: Session, chat_id: int, name: str, topic: str | None
) -> tuple[Subscription, bool]:
    """Follow everything (topic None) or one project/theme; returns (subscription, created).

    Subscribing again to the same topic (same normalised text) changes nothing. Raises
    ValueError (French message) for a topic over 100 characters.
    """
    topic = clean_topic(topic)
    subscriber = _subscriber(session, chat_id, name)
    for existing in _subscriptions(session, subscriber.id):
        if _same_topic(existing.topic, topic):
            return existing, False
    subscription = Subscription(subscriber_id=subscriber.id, topic=topic)
    session.add(subscription)
    session.flush()
    return subscription, True


@dataclass(frozen=True)
class Unsubscribed:
    """What an unsubscription removed: the topics (None: everything), and the digest."""

    topics: list[str | None]
    digest_stopped: bool = False


def unsubscribe(session: Session, chat_id: int, topic: str | None) -> Unsubscribed:
    """Stop following `topic`, or everything (None: all subscriptions and the digest)."""
    subscriber = subscriber_of(session, chat_id)
    if subscriber is None:
        return Unsubscribed([])
    topic = clean_topic(topic)
    removed = [
        s
        for s in _subscriptions(session, subscriber.id)
        if topic is None or _same_topic(s.topic, topic)
    ]
    for subscription in removed:
        session.delete(subscription)
    digest_stopped = topic is None and subscriber.digest
    if digest_stopped:
        subscriber.digest = False
        session.add(subscriber)
    session.flush()
    return Unsubscribed([s.topic for s in removed], digest_stopped)


def owned_subscription(
    session: Session, chat_id: int, subscription_id: int
) -> Subscription | None:
    """The subscription `subscription_id` if it belongs to the chat `chat_id`, else None
    (missing and someone else's look the same: ids are sequential)."""
    return session.exec(
        select(Subscription)
        .join(Subscriber, col(Subscriber.id) == col(Subscription.subscriber_id))
        .where(Subscription.id == subscription_id, Subscriber.chat_id == chat_id)
    ).first()


def subscriptions_of(session: Session, chat_id: int) -> list[Subscription]:
    """The chat's subscriptions, "everything" first."""
    subscriber = subscriber_of(session, chat_id)
    return _subscriptions(session, subscriber.id) if subscriber else []


def set_offsets(session: Session, chat_id: int, seconds: Sequence[int] | None) -> list[int] | None:
    """Personal reminder offsets (seconds, largest first); None or empty → the defaults."""
    subscriber = _subscriber(session, chat_id)
    values = sorted({int(s) for s in seconds or ()}, reverse=True)
    if any(not 0 < s <= MAX_OFFSET_SECONDS for s in values):
        raise ValueError(texts.BAD_OFFSET)
    subscriber.offsets = values or None
    session.add(subscriber)
    session.flush()
    return subscriber.offsets


def set_digest(session: Session, chat_id: int, enabled: bool) -> bool:
    """Receive the weekly digest every Monday, or stop; returns the new state."""
    subscriber = _subscriber(session, chat_id)
    subscriber.digest = enabled
    session.add(subscriber)
    session.flush()
    return subscriber.digest


def digest_now(session: Session, chat_id: int, now: datetime,
               days: int = DIGEST_DAYS) -> tuple[list[Milestone], bool]:
    """What the chat's Monday digest would list now, and whether it gets it every Monday.

    Someone who follows nothing (or is not known yet) sees every upcoming milestone.
    """
    subscriber = subscriber_of(session, chat_id)
    if subscriber is None:
        return _upcoming(session, now, days), False
    return digest_milestones(session, subscriber, now, days), subscriber.digest


def matching_milestones(session: Session, topic: str | None, after: datetime) -> list[Milestone]:
    """Upcoming milestones a topic covers (to tell a new subscriber what they will get)."""
    stmt = select(Milestone).where(Milestone.start > after).order_by(col(Milestone.start))
    return [m for m in session.exec(stmt) if topic_matches(clean_topic(topic), m)]


def known_topic(session: Session, topic: str | None) -> bool:
    """Does any milestone, past or upcoming, fall under `topic`? (None: everything does.)"""
    wanted = clean_topic(topic)
    return wanted is None or any(topic_matches(wanted, m) for m in session.exec(select(Milestone)))


def nearest_projects(session: Session, topic: str, now: datetime,
                     limit: int = 3) -> list[tuple[str, int]]:
    """The calendar's projects whose names are closest to `topic`, best first, each with
    one of its milestones (the next one if any): what to offer for a topic nothing matches."""
    by_project: dict[str, Milestone] = {}
    for milestone in session.exec(select(Milestone).order_by(col(Milestone.start))):
        shown = by_project.get(milestone.project)
        if milestone.project and (shown is None or shown.start < now):
            by_project[milestone.project] = milestone  # a later one: the next if any
    names = {name: normalize(name) for name in by_project}
    found = process.extract(normalize(topic), names, scorer=fuzz.WRatio, limit=limit,
                            score_cutoff=NEAREST_PROJECT_SCORE)
    return [(name, by_project[name].id) for _, _, name in found]


def _subscriptions(session: Session, subscriber_id: int | None) -> list[Subscription]:
    stmt = select(Subscription).where(Subscription.subscriber_id == subscriber_id)
    rows = list(session.exec(stmt.order_by(col(Subscription.id))))
    return sorted(rows, key=lambda s: s.topic is not None)


def _same_topic(a: str | None, b: str | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and normalize(a) == normalize(b)
    )


# --------------------------------------------------------------------------- audience


@dataclass
class Follower:
    """An active subscriber, what they follow, and their offsets (seconds)."""

    subscriber: Subscriber
    topics: list[str | None]
    offsets: list[int]

    def follows(self, milestone: Milestone, matcher: TopicMatcher) -> bool:
        return any(matcher.matches(topic, milestone) for topic in self.topics)


class TopicMatcher:
    """topic_matches with a cache: thousands of subscribers share a handful of topics."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str | None, int | None], bool] = {}

    def matches(self, topic: str | None, milestone: Milestone) -> bool:
        key = (None if topic is None else normalize(topic), milestone.id)
        if key not in self._cache:
            self._cache[key] = topic_matches(topic, milestone)
        return self._cache[key]


def followers(session: Session, default_offsets: Sequence[int]) -> list[Follower]:
    """Active subscribers with at least one subscription."""
    stmt = (
        select(Subscriber, Subscription)
        .join(Subscription, col(Subscription.subscriber_id) == col(Subscriber.id))
        .where(col(Subscriber.active).is_(True))
        .order_by(col(Subscriber.id))
    )
    by_id: dict[int, Follower] = {}
    for subscriber, subscription in session.exec(stmt):
        follower = by_id.get(subscriber.id)
        if follower is None:
            offsets = list(subscriber.offsets or default_offsets)
            follower = by_id[subscriber.id] = Follower(subscriber, [], offsets)
        follower.topics.append(subscription.topic)
    return list(by_id.values())


# --------------------------------------------------------------------------- due work


@dataclass(frozen=True)
class Due:
    """One message to claim: a reminder (milestone set) or a digest (milestone None)."""

    subscriber: Subscriber
    milestone_id: int
    offset_seconds: int
    start: datetime  # the milestone's start (reminder) or the digest instant
    existing: Delivery | None = None  # a row to re-claim (failed, or for an older start)
    milestone: Milestone | None = None


def due_reminders(
    session: Session,
    now: datetime,
    default_offsets: Sequence[int],
    grace_seconds: int,
    tz: ZoneInfo,
) -> list[Due]:
    """Reminders due at `now`: milestones × followers × offsets − deliveries, within grace.

    A reminder is due when its time has come but not more than `grace_seconds` ago, and the
    milestone is still in the future. Already claimed/sent/skipped ones are left out; failed
    ones (fewer than MAX_ROUNDS claims) and ones computed for an older start come back.
    """
    audience = followers(session, default_offsets)
    if not audience:
        return []
    horizon = now + timedelta(seconds=max(max(f.offsets) for f in audience) + DAY)
    milestones = session.exec(
        select(Milestone)
        .where(Milestone.start > now, Milestone.start <= horizon)
        .order_by(col(Milestone.start), col(Milestone.id))
    ).all()
    existing = _deliveries(session, [m.id for m in milestones if m.id is not None])
    oldest = now - timedelta(seconds=grace_seconds)
    matcher = TopicMatcher()
    dues: list[Due] = []
    all_offsets = {o for f in audience for o in f.offsets}
    for milestone in milestones:
        due_at = {o: due_time(milestone.start, o, tz) for o in all_offsets}
        for follower in audience:
            offsets = [o for o in follower.offsets if oldest <= due_at[o] <= now]
            if not offsets or not follower.follows(milestone, matcher):
                continue
            for offset in offsets:
                row = existing.get((milestone.id, follower.subscriber.id, offset))
                if row is None or _reclaimable(row, milestone.start):
                    dues.append(
                        Due(
                            follower.subscriber,
                            milestone.id,
                            offset,
                            milestone.start,
                            row,
                            milestone,
                        )  # type: ignore[arg-type]
                    )
    return dues


def _reclaimable(row: Delivery, start: datetime) -> bool:
    if row.status == SENDING:
        return False
    if row.milestone_start != start:  # the milestone moved: a new reminder
        return True
    return row.status == FAILED and row.attempts < MAX_ROUNDS


def _deliveries(session: Session, milestone_ids: list[int]) -> dict[tuple, Delivery]:
    if not milestone_ids:
        return {}
    rows = session.exec(select(Delivery).where(col(Delivery.milestone_id).in_(milestone_ids)))
    return {(r.milestone_id, r.subscriber_id, r.offset_seconds): r for r in rows}


def due_digests(
    session: Session, now: datetime, grace_seconds: int, tz: ZoneInfo
) -> tuple[datetime, list[Due]]:
    """This week's digest for digest subscribers who have not had it (within grace)."""
    instant = last_digest_instant(now, tz)
    if now - instant > timedelta(seconds=grace_seconds):
        return instant, []
    week = instant.astimezone(tz).date().toordinal()
    stmt = select(Subscriber).where(
        col(Subscriber.active).is_(True), col(Subscriber.digest).is_(True)
    )
    rows = session.exec(
        select(Delivery).where(Delivery.milestone_id == DIGEST_ID, Delivery.offset_seconds == week)
    )
    existing = {r.subscriber_id: r for r in rows}
    dues = []
    for subscriber in session.exec(stmt.order_by(col(Subscriber.id))):
        row = existing.get(subscriber.id)
        if row is None or (row.status == FAILED and row.attempts < MAX_ROUNDS):
            dues.append(Due(subscriber, DIGEST_ID, week, instant, row))
    return instant, dues


def digest_milestones(
    session: Session, subscriber: Subscriber, now: datetime, days: int = DIGEST_DAYS
) -> list[Milestone]:
    """The milestones of the next `days` days the subscriber follows (all if no topic)."""
    return digest_contents(session, [subscriber.id], now, days)[subscriber.id]  # type: ignore[index]


def _upcoming(session: Session, now: datetime, days: int) -> list[Milestone]:
    return list(session.exec(
        select(Milestone)
        .where(Milestone.start > now, Milestone.start <= now + timedelta(days=days))
        .order_by(col(Milestone.start), col(Milestone.id))
    ))


def digest_contents(
    session: Session, subscriber_ids: Iterable[int], now: datetime, days: int = DIGEST_DAYS
) -> dict[int, list[Milestone]]:
    """digest_milestones for many subscribers at once (two queries, however many)."""
    milestones = _upcoming(session, now, days)
    wanted = set(subscriber_ids)
    topics: dict[int, list[str | None]] = {i: [] for i in wanted}
    for subscriber_id, topic in session.exec(
        select(Subscription.subscriber_id, Subscription.topic)
    ):
        if subscriber_id in wanted:
            topics[subscriber_id].append(topic)
    matcher = TopicMatcher()
    return {
        i: [m for m in milestones if any(matcher.matches(t, m) for t in topics[i] or [None])]
        for i in wanted
    }


# --------------------------------------------------------------------------- claims


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    due: Due
    owner: str | None = None  # the replica that claimed it (scheduler.replicas)

    @property
    def progress(self) -> Progress:
        """The parts an earlier round delivered (none for a new row, nor for a milestone
        that moved since: that is a new reminder)."""
        row = self.due.existing
        if row is None or row.milestone_start != self.due.start:
            return Progress()
        return Progress(row.parts_sent, row.parts_digest)


_DELIVERY = Delivery.__table__  # Core statements: the per-message path stays cheap
_SUBSCRIBER = Subscriber.__table__
_INSERT_CLAIMS = insert(_DELIVERY).returning(_DELIVERY.c.id, sort_by_parameter_order=True)
_SETTLE = (
    update(_DELIVERY)
    .where(_DELIVERY.c.id == bindparam("b_id"), _DELIVERY.c.status == SENDING)
    .values(status=bindparam("b_status"), sent_at=bindparam("b_sent_at"))
)
_SETTLE_OWNED = _SETTLE.where(_DELIVERY.c.owner == bindparam("b_owner"))
_PROGRESS = (
    update(_DELIVERY)
    .where(_DELIVERY.c.id == bindparam("b_id"), _DELIVERY.c.status == SENDING)
    .values(parts_sent=bindparam("b_parts"), parts_digest=bindparam("b_digest"))
)
_PROGRESS_OWNED = _PROGRESS.where(_DELIVERY.c.owner == bindparam("b_owner"))
_DEACTIVATE = (
    update(_SUBSCRIBER)
    .where(_SUBSCRIBER.c.id == bindparam("b_id"), _SUBSCRIBER.c.active.is_(True))
    .values(active=False, deactivated_at=bindparam("b_at"))
)


def claim(session: Session, dues: Iterable[Due], owner: str | None = None) -> list[Claim]:
    """Mark the dues "sending" by `owner` before anything is sent; returns those this
    session won.

    New rows are INSERTed (a concurrent claim makes it raise IntegrityError: the caller
    rolls back and recomputes); existing ones are taken with a conditional UPDATE that
    only succeeds if nobody changed the row since it was read.
    """
    fresh: list[Due] = []
    claims: list[Claim] = []
    for due in dues:
        if due.existing is None:
            fresh.append(due)
        elif _reclaim(session, due.existing, due.start, owner):
            claims.append(Claim(due.existing.id, due, owner))  # type: ignore[arg-type]
    if fresh:
        rows = [
            {
                "milestone_id": due.milestone_id,
                "subscriber_id": due.subscriber.id,
                "offset_seconds": due.offset_seconds,
                "milestone_start": due.start,
                "status": SENDING,
                "attempts": 1,
                "sent_at": None,
                "owner": owner,
                "parts_sent": 0,
                "parts_digest": "",
            }
            for due in fresh
        ]
        ids = session.connection().execute(_INSERT_CLAIMS, rows).scalars().all()
        claims += [Claim(delivery_id, due, owner)
                   for delivery_id, due in zip(ids, fresh, strict=True)]
    return claims


def _reclaim(session: Session, row: Delivery, start: datetime, owner: str | None) -> bool:
    moved = row.milestone_start != start
    restart = {"parts_sent": 0, "parts_digest": ""} if moved else {}  # a new message
    result = session.connection().execute(
        update(_DELIVERY)
        .where(
            _DELIVERY.c.id == row.id,
            _DELIVERY.c.status == row.status,
            _DELIVERY.c.milestone_start == row.milestone_start,
            _DELIVERY.c.attempts == row.attempts,
        )
        .values(
            status=SENDING,
            milestone_start=start,
            sent_at=None,
            attempts=1 if moved else row.attempts + 1,
            owner=owner,
            **restart,
        )
    )
    return result.rowcount == 1


def record(session: Session, delivery_id: int, status: str, now: datetime,
           owner: str | None = None) -> bool:
    """Settle a claimed delivery (sent/failed/skipped); False if it was no longer ours
    (settled already, or taken over from `owner` by another replica)."""
    values = {"b_id": delivery_id, "b_status": status,
              "b_sent_at": now if status == SENT else None}
    if owner is None:
        return session.connection().execute(_SETTLE, values).rowcount == 1
    return session.connection().execute(_SETTLE_OWNED, values | {"b_owner": owner}).rowcount == 1


def record_progress(session: Session, delivery_id: int, progress: Progress,
                    owner: str | None = None) -> bool:
    """Keep how many parts of a claimed message were delivered; False if it was no longer
    ours (as `record`)."""
    values = {"b_id": delivery_id, "b_parts": progress.parts, "b_digest": progress.digest}
    if owner is None:
        return session.connection().execute(_PROGRESS, values).rowcount == 1
    statement = _PROGRESS_OWNED
    return session.connection().execute(statement, values | {"b_owner": owner}).rowcount == 1


def deactivate(session: Session, subscriber_id: int, now: datetime) -> None:
    """The subscriber blocked the bot: no more messages until they come back."""
    session.connection().execute(_DEACTIVATE, {"b_id": subscriber_id, "b_at": now})


def release_abandoned(session: Session, live_owners: Select[tuple[str]]) -> int:
    """Rows still "sending" whose owner is not among `live_owners` (the live replicas' ids,
    see scheduler.replicas) were cut short by a crash or a stop.

    They become "failed", so they are sent again if still within grace. Only the ones whose
    request was in flight at the crash may have reached the user: at most the sender's
    concurrency can be duplicated; the others were never sent and are not lost.
    """
    result = session.connection().execute(
        update(_DELIVERY)
        .where(_DELIVERY.c.status == SENDING)
        .where(or_(_DELIVERY.c.owner.is_(None),
                   _DELIVERY.c.owner.not_in(live_owners)))
        .values(status=FAILED)
    )
    return result.rowcount


def drop_orphans(session: Session) -> int:
    """Forget the deliveries of deleted milestones (their pending work vanishes with them)."""
    existing = select(Milestone.id)
    result = session.exec(
        delete(Delivery)
        .where(col(Delivery.milestone_id) != DIGEST_ID)
        .where(col(Delivery.offset_seconds) >= 0)  # notices of a cancellation are kept
        .where(col(Delivery.milestone_id).not_in(existing))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


# --------------------------------------------------------------------------- next wake-up


def next_due_at(
    session: Session,
    now: datetime,
    default_offsets: Sequence[int],
    tz: ZoneInfo,
) -> datetime | None:
    """The earliest future instant a reminder may fall due (an over-approximation is fine).

    Uses the distinct offsets of active followers, not every subscriber: cheap enough to
    call after every run.
    """
    offsets = {o for f in followers(session, default_offsets) for o in f.offsets}
    if not offsets:
        return None
    starts = list(
        session.exec(
            select(Milestone.start).where(Milestone.start > now).order_by(col(Milestone.start))
        )
    )
    best: datetime | None = None
    for offset in offsets:
        # due_time is monotonic in start: scan from just before the first candidate.
        low = bisect.bisect_left(starts, now + timedelta(seconds=offset - DAY))
        for start in starts[low:]:
            due = due_time(start, offset, tz)
            if due > now:
                best = due if best is None else min(best, due)
                break
    return best


def next_retry_needed(session: Session, now: datetime, grace_seconds: int, tz: ZoneInfo) -> bool:
    """Are there failed reminders that may still be retried (within grace, in the future)?"""
    rows = session.exec(
        select(Delivery).where(
            Delivery.status == FAILED,
            col(Delivery.attempts) < MAX_ROUNDS,
            col(Delivery.milestone_id) != DIGEST_ID,
            col(Delivery.offset_seconds) >= 0,  # notices are not retried
            Delivery.milestone_start > now,
        )
    )
    oldest = now - timedelta(seconds=grace_seconds)
    return any(due_time(r.milestone_start, r.offset_seconds, tz) >= oldest for r in rows)
