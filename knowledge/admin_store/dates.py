"""French dates and times as admins type them, and a milestone's start from them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from knowledge import models, seed
from knowledge.admin_store.specs import ENTITIES, field_error
from knowledge.models import Precision, SkippedTime
from knowledge.render import short
from knowledge.text import fold

MONTHS = {
    "janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
    "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8,
    "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11,
    "decembre": 12, "dec": 12,
}
_WEEKDAYS = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\s+"
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$|^(\d{4})-(\d{1,2})$")
_WORDS_DATE = re.compile(rf"^(?:{_WEEKDAYS})?(?:(\d{{1,2}})(?:er)?\s+)?([a-z]+)\.?\s+(\d{{4}})$")
_TIME = re.compile(r"^(\d{1,2})\s*(?:h|:)\s*(\d{2})?$")

# '15/01/2027 18h30', '15 janvier 2027, à 9 h': a date typed with its time
_DATE_THEN_TIME = re.compile(r"^(.*\d{4}(?:-\d{1,2}-\d{1,2})?)\s*,?\s*(?:à|a)?"
                             r"\s+(\d{1,2}\s*(?:h|:)\s*(?:\d{2})?)$", re.IGNORECASE)

DayOrMonth = tuple[int, int, int | None]  # year, month, day (None: the month only)


def parse_date(raw: str) -> DayOrMonth:
    """'15/03/2027', '2027-03-15', '15 mars 2027', 'mardi 15 mars 2027', 'mars 2027'."""
    spec = ENTITIES["jalon"].field("date")
    text = fold(raw)
    parts: DayOrMonth | None = None
    if match := _DMY.match(text):
        parts = (int(match[3]), int(match[2]), int(match[1]))
    elif match := _YMD.match(text):
        parts = (int(match[1]), int(match[2]), int(match[3]))
    elif match := _MY.match(text):
        parts = (int(match[2] or match[3]), int(match[1] or match[4]), None)
    elif (match := _WORDS_DATE.match(text)) and match[2] in MONTHS:
        parts = (int(match[3]), MONTHS[match[2]], int(match[1]) if match[1] else None)
    if parts is None:
        raise field_error(spec, f"« {short(raw)} » n'est pas une date reconnue")
    year, month, day = parts
    try:
        datetime(year, month, day or 1)
    except ValueError:
        raise field_error(spec, f"« {short(raw)} » n'existe pas au calendrier") from None
    if year not in models.YEARS:
        raise field_error(spec, models.YEAR_PROBLEM)
    return parts


def split_date_time(raw: str) -> tuple[str, str] | None:
    """The date and the time of '15/01/2027 18h30' (None when no time follows a year)."""
    match = _DATE_THEN_TIME.match(raw.strip())
    return (match[1].strip(), match[2].strip()) if match else None


def parse_time(raw: str) -> tuple[int, int]:
    """'10h', '10 h 30', '10h30', '10:00' → (hour, minute)."""
    spec = ENTITIES["jalon"].field("heure")
    match = _TIME.match(fold(raw).replace("heures", "h").replace("heure", "h"))
    if match is None:
        raise field_error(spec, f"« {short(raw)} » n'est pas une heure reconnue")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        raise field_error(spec, f"« {short(raw)} » n'est pas une heure valide")
    return hour, minute


def milestone_start(day: DayOrMonth, at: tuple[int, int] | None,
                    tz: ZoneInfo) -> tuple[datetime, Precision]:
    """A date (and time) typed in local time → aware UTC start and precision (seed rules)."""
    year, month, day_number = day
    if day_number is None:
        if at is not None:
            raise field_error(ENTITIES["jalon"].field("heure"),
                               "une heure demande un jour précis, pas seulement un mois")
        return seed.parse_start(f"{year:04d}-{month:02d}", tz)
    text = f"{year:04d}-{month:02d}-{day_number:02d}"
    if at is not None:
        text += f"T{at[0]:02d}:{at[1]:02d}"
    try:
        return seed.parse_start(text, tz)
    except SkippedTime as exc:
        example = typed_time((exc.jump_to.hour, exc.jump_to.minute))
        raise field_error(replace(ENTITIES["jalon"].field("heure"), example=example),
                          str(exc)) from None


def typed_time(at: tuple[int, int]) -> str:
    """'10h', '14h30': a time as admins type it."""
    return f"{at[0]}h{at[1]:02d}" if at[1] else f"{at[0]}h"


def milestone_parts(row: models.Milestone, tz: ZoneInfo) -> tuple[DayOrMonth,
                                                                     tuple[int, int] | None]:
    local = row.start.astimezone(tz)
    if row.precision is Precision.MONTH:
        return (local.year, local.month, None), None
    at = (local.hour, local.minute) if row.precision is Precision.EXACT else None
    return (local.year, local.month, local.day), at
