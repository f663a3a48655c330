"""What reminders and digests say, in French: the scheduler's only words for users.

The bot's own texts are in `bot/texts.py`; these live here because the scheduler composes
its messages itself and may not import `bot` (the dependency runs bot → scheduler). Plain
text: the bot escapes it when sending.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge.models import Milestone, Precision
from knowledge.render import french_when, source_of
from knowledge.text import normalize
from scheduler.notifier import Buttons, CalendarButton

ADD_TO_CALENDAR = "📅 Ajouter à mon agenda"
REMINDER = "🔔 Rappel : {title}, {countdown}.\n\nQuoi : {what}\nQuand : {when}\nOù : {where}"
NO_LOCATION = "lieu non précisé"
SOURCE = "Source : {source}"
APPROXIMATE = "date approximative"
APPROXIMATE_DAY = "date approximative, heure non précisée"
TODAY, TOMORROW, IN_DAYS = "aujourd'hui", "demain", "dans {days} jours"
IN_MONTH = "en {month}"
DIGEST_HEADER = "🗓️ Vos rendez-vous des {days} prochains jours"
DIGEST_EMPTY = "{header} : aucun rendez-vous prévu."
TOPIC_TOO_LONG = "sujet trop long ({limit} caractères au plus)"
BAD_OFFSET = "délai invalide (entre une seconde et un an)"


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
