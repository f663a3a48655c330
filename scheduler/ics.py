"""Calendar export: RFC 5545 files that common calendar apps import (and re-import).

- UID ``milestone-<key>@mandat-bot.grand-orly``: stable, so a re-import updates the event;
- DTSTAMP/LAST-MODIFIED = the milestone's `updated_at`, SEQUENCE = seconds since 2020 of it
  (grows with every change, fits in 32 bits until 2088);
- exact time → DTSTART;TZID=<zone> with its VTIMEZONE, 1 hour long;
- a moved milestone's notice carries the same event (its SEQUENCE grew with `updated_at`); a
  cancelled one's is METHOD:CANCEL with STATUS:CANCELLED, SEQUENCE from the deletion time;
- day precision → all-day event (VALUE=DATE); month precision → all-day on the 1st, marked
  "(date approximative)" in the summary and the description.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from knowledge.models import Milestone, Precision
from knowledge.render import source_of

PRODID = "-//Grand-Orly Seine Bièvre//mandat-bot//FR"
UID_DOMAIN = "mandat-bot.grand-orly"
CALENDAR_NAME = "Rendez-vous du mandat"
DEFAULT_DURATION = timedelta(hours=1)
APPROXIMATE = "date approximative"
_SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


def milestone_uid(milestone: Milestone) -> str:
    return f"milestone-{milestone.key}@{UID_DOMAIN}"


def ics_filename(milestone: Milestone | None = None) -> str:
    """A file name for the export: '<key>.ics' for one milestone, else the whole calendar."""
    return f"{milestone.key}.ics" if milestone is not None else "rendez-vous-mandat.ics"


def milestone_ics(milestone: Milestone, tz: ZoneInfo) -> bytes:
    """One milestone as a calendar file (for the "📅 Ajouter à mon agenda" button)."""
    return milestones_ics([milestone], tz, name=milestone.title)


def change_ics(milestone: Milestone, tz: ZoneInfo, changed_at: datetime,
               cancelled: bool) -> bytes:
    """The calendar file of a notice: the updated event, or its cancellation.

    A cancellation keeps the UID and gets a SEQUENCE above every earlier version's (the
    deletion time, `changed_at`, is later than its last `updated_at`).
    """
    if not cancelled:
        return milestone_ics(milestone, tz)
    return milestones_ics([milestone], tz, name=milestone.title, cancelled_at=changed_at)


def milestones_ics(
    milestones: Iterable[Milestone], tz: ZoneInfo, *, name: str = CALENDAR_NAME,
    cancelled_at: datetime | None = None,
) -> bytes:
    """Several milestones (e.g. the upcoming ones) as one calendar file.

    With `cancelled_at`, the events are cancellations (METHOD:CANCEL, STATUS:CANCELLED).
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH" if cancelled_at is None else "CANCEL")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", tz.key)
    days = []
    for milestone in milestones:
        event = _event(milestone, tz)
        if cancelled_at is not None:
            event.add("status", "CANCELLED")
            for stamp in ("dtstamp", "last-modified", "sequence"):
                event.pop(stamp)
            event.add("dtstamp", cancelled_at.astimezone(UTC))
            event.add("last-modified", cancelled_at.astimezone(UTC))
            event.add("sequence", _sequence(cancelled_at))
        calendar.add_component(event)
        days.append(milestone.start.astimezone(tz).date())
    if days:  # VTIMEZONE covering just the events' years, not 1970-2038
        calendar.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1), last_date=date(max(days).year + 2, 1, 1)
        )
    return calendar.to_ical()


def _is_approximate(milestone: Milestone) -> bool:
    return milestone.approximate or milestone.precision is Precision.MONTH


def _event(milestone: Milestone, tz: ZoneInfo) -> Event:
    event = Event()
    event.add("uid", milestone_uid(milestone))
    event.add("dtstamp", milestone.updated_at.astimezone(UTC))
    event.add("last-modified", milestone.updated_at.astimezone(UTC))
    event.add("created", milestone.created_at.astimezone(UTC))
    event.add("sequence", _sequence(milestone.updated_at))
    summary = milestone.title
    if _is_approximate(milestone):
        summary += f" ({APPROXIMATE})"
    event.add("summary", summary)
    start = milestone.start.astimezone(tz)
    if milestone.precision is Precision.EXACT:
        event.add("dtstart", start)
        event.add("dtend", start + DEFAULT_DURATION)
    else:
        first = start.date().replace(day=1) if milestone.precision is Precision.MONTH else None
        day = first or start.date()
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # an all-day marker, not a busy day
    if milestone.location:
        event.add("location", milestone.location)
    event.add("description", _description(milestone))
    if milestone.project:
        event.add("categories", [milestone.project])
    return event


def _description(milestone: Milestone) -> str:
    parts = []
    if milestone.project and milestone.project != milestone.title:
        phase = f" — {milestone.phase}" if milestone.phase else ""
        parts.append(f"{milestone.project}{phase}")
    if milestone.precision is Precision.MONTH:
        parts.append(f"Jour non connu ({APPROXIMATE}) : placé au 1er du mois.")
    elif milestone.precision is Precision.DAY:
        parts.append("Heure non précisée.")
    if milestone.approximate and milestone.precision is not Precision.MONTH:
        parts.append(f"({APPROXIMATE})")
    if milestone.description:
        parts.append(milestone.description)
    parts.append(f"Source : {source_of(milestone)}")
    return "\n".join(parts)


def _sequence(updated_at: datetime) -> int:
    return max(0, int((updated_at - _SEQUENCE_EPOCH).total_seconds()))
