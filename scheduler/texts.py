"""What reminders and digests say, in French: the scheduler's only words for users.

The bot's own texts are in `bot/texts.py`; these live here because the scheduler composes
its messages itself and may not import `bot` (the dependency runs bot → scheduler). Plain
text: the bot escapes it when sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date

from knowledge.models import Milestone, Precision, french_hour
from knowledge.render import french_day, french_when, source_of
from knowledge.text import normalize
from scheduler.change import Change
from scheduler.notifier import Buttons, CalendarButton

ADD_TO_CALENDAR = "📅 Ajouter à mon agenda"
REMINDER = "🔔 Rappel : {title}, {countdown}.\n\nQuoi : {what}\nQuand : {when}\nOù : {where}"
NO_LOCATION = "lieu non précisé"
NO_TIME = "heure non précisée"
SOURCE = "Source : {source}"
APPROXIMATE = "date approximative"
APPROXIMATE_DAY = "date approximative, heure non précisée"
TODAY, TOMORROW, IN_DAYS = "aujourd'hui", "demain", "dans {days} jours"
IN_MONTH = "en {month}"
DIGEST_HEADER = "🗓️ Vos rendez-vous des {days} prochains jours"
DIGEST_EMPTY = "{header} : aucun rendez-vous prévu."
TOPIC_TOO_LONG = "sujet trop long ({limit} caractères au plus)"
BAD_OFFSET = "délai invalide (entre une seconde et un an)"
NOTICE_LATER, NOTICE_EARLIER = "Reporté", "Avancé"
NOTICE_MOVED = "⚠️ {verb} : {title} du {before} → {after}{place}"
NOTICE_RETIMED = "⚠️ {verb} : {title} le {day} : {before} → {after}{place}"
NOTICE_PLACE = "⚠️ Changement de lieu : {title} du {when} : {after} (au lieu de : {before})"
NOTICE_CANCELLED = "⚠️ Annulé : {title} du {when}{place}"
NOTICE_RESTORED = "✅ Rétabli : {title} du {when}{place} (l'annulation est levée)"
NOTICE_PLACE_SAME = " (lieu inchangé)"
NOTICE_PLACE_NEW = " ; nouveau lieu : {after} (au lieu de : {before})"
NOTICE_PLACE_AT = ", {where}"
NOTICE_WHAT = "Ce qui change : {fields}."
NOTICE_FIELDS = {"date": "la date", "time": "l'heure", "place": "le lieu"}
NOTICE_ICS_UPDATE = "Ouvrez le fichier joint : votre agenda se met à jour."
NOTICE_ICS_CANCEL = "Ouvrez le fichier joint : le rendez-vous est retiré de votre agenda."


def when_text(milestone: Milestone, tz: ZoneInfo) -> str:
    """'mardi 15 mars 2027 à 10 h', with '(date approximative …)' when it is one."""
    when = french_when(milestone.start, milestone.precision, tz)
    if milestone.precision is Precision.DAY:
        return f"{when} ({APPROXIMATE_DAY})"
    if milestone.precision is Precision.MONTH or milestone.approximate:
        return f"{when} ({APPROXIMATE})"
    return when


def countdown(milestone: Milestone, now: datetime, tz: ZoneInfo) -> str:
    """'aujourd'hui', 'demain', 'dans 7 jours' (local calendar days); 'en mars 2027'."""
    if milestone.precision is Precision.MONTH:
        return IN_MONTH.format(month=french_when(milestone.start, Precision.MONTH, tz))
    days = (milestone.start.astimezone(tz).date() - now.astimezone(tz).date()).days
    if days <= 0:
        return TODAY
    return TOMORROW if days == 1 else IN_DAYS.format(days=days)


def what_text(milestone: Milestone) -> str:
    """The title, with the project and phase when the title does not already say them."""
    title = normalize(milestone.title)
    extra = [p for p in (milestone.project, milestone.phase) if p and normalize(p) not in title]
    return f"{milestone.title} ({' — '.join(extra)})" if extra else milestone.title


def reminder_text(milestone: Milestone, now: datetime, tz: ZoneInfo) -> str:
    """The reminder's plain text (the bot escapes it)."""
    text = REMINDER.format(
        title=milestone.title,
        countdown=countdown(milestone, now, tz),
        what=what_text(milestone),
        when=when_text(milestone, tz),
        where=milestone.location or NO_LOCATION,
    )
    if milestone.description:
        text += f"\n\n{milestone.description}"
    return text + "\n\n" + SOURCE.format(source=source_of(milestone))


def reminder_buttons(milestone: Milestone) -> Buttons:
    return [CalendarButton(ADD_TO_CALENDAR, milestone.id or 0)]


def digest_text(
    milestones: Sequence[Milestone], now: datetime, tz: ZoneInfo, days: int
) -> str:
    """The weekly digest's plain text: one line per milestone of the next `days` days."""
    header = DIGEST_HEADER.format(days=days)
    if not milestones:
        return DIGEST_EMPTY.format(header=header)
    lines = [f"{header} :", ""]
    for milestone in milestones:
        where = f", {milestone.location}" if milestone.location else ""
        lines.append(f"• {when_text(milestone, tz)} — {what_text(milestone)}{where}")
    return "\n".join(lines)


def _short_day(milestone: Milestone, tz: ZoneInfo, now: datetime) -> str:
    """'15 mars' (this year), '1er mars 2028', 'mars 2028' (a month only)."""
    local = milestone.start.astimezone(tz)
    if milestone.precision is Precision.MONTH:
        return format_date(local, "MMMM y", locale="fr_FR")
    pattern = "MMMM" if local.year == now.astimezone(tz).year else "MMMM y"
    return f"{french_day(local.day)} {format_date(local, pattern, locale='fr_FR')}"


def _short_hour(milestone: Milestone, tz: ZoneInfo) -> str:
    """'10 h', '10 h 30'; empty when the time is not known."""
    if milestone.precision is not Precision.EXACT:
        return ""
    return french_hour(milestone.start.astimezone(tz))


def _short_when(milestone: Milestone, tz: ZoneInfo, now: datetime, hour: bool = True) -> str:
    at = _short_hour(milestone, tz) if hour else ""
    return f"{_short_day(milestone, tz, now)} à {at}" if at else _short_day(milestone, tz, now)


def notice_text(change: Change, tz: ZoneInfo, now: datetime) -> str:
    """'⚠️ Reporté : Conseil du 15 mars → 22 mars à 10 h (lieu inchangé)', and what changed."""
    before, current = change.before, change.current
    if change.after is None:
        where = NOTICE_PLACE_AT.format(where=before.location) if before.location else ""
        head = NOTICE_CANCELLED.format(title=before.title, when=_short_when(before, tz, now),
                                       place=where)
        return f"{head}\n\n{NOTICE_ICS_CANCEL}"
    if change.restored:
        where = NOTICE_PLACE_AT.format(where=current.location) if current.location else ""
        head = NOTICE_RESTORED.format(title=current.title, when=_short_when(current, tz, now),
                                      place=where)
        return f"{head}\n\n{NOTICE_ICS_UPDATE}"
    place = ""
    if change.place:
        place = NOTICE_PLACE_NEW.format(after=current.location or NO_LOCATION,
                                        before=before.location or NO_LOCATION)
    elif current.location:
        place = NOTICE_PLACE_SAME
    verb = NOTICE_LATER if current.start >= before.start else NOTICE_EARLIER
    if change.date:
        head = NOTICE_MOVED.format(
            verb=verb, title=current.title, place=place,
            before=_short_when(before, tz, now, hour=change.time),
            after=_short_when(current, tz, now))
    elif change.time:
        head = NOTICE_RETIMED.format(
            verb=verb, title=current.title, day=_short_day(current, tz, now), place=place,
            before=_short_hour(before, tz) or NO_TIME, after=_short_hour(current, tz) or NO_TIME)
    else:
        head = NOTICE_PLACE.format(title=current.title, when=_short_when(current, tz, now),
                                   after=current.location or NO_LOCATION,
                                   before=before.location or NO_LOCATION)
    fields = [label for name, label in NOTICE_FIELDS.items() if getattr(change, name)]
    what = NOTICE_WHAT.format(fields=", ".join(fields))
    return f"{head}\n{what}\n\n{NOTICE_ICS_UPDATE}"
