"""Typed fields: `champ=valeur` words read into values, and values written back."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from knowledge import models
from knowledge.admin_store.dates import (
    milestone_parts,
    parse_date,
    parse_time,
    split_date_time,
    typed_time,
)
from knowledge.admin_store.specs import (
    ROLE_WORDS,
    AdminError,
    EntitySpec,
    FieldSpec,
    field_error,
)
from knowledge.models import Role
from knowledge.render import short
from knowledge.text import fold, french_number, storable

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"',
                         "\u00a0": " ", "\u202f": " "})
_ASSIGNMENT = re.compile(r"^([^\W\d][\w-]*)=(.*)$", re.DOTALL)


def _field_token(name: str) -> str:
    return re.sub(r"[\s_-]", "", fold(name)).rstrip("s")


def resolve_field(spec: EntitySpec, name: str) -> FieldSpec:
    wanted = _field_token(name)
    for candidate in spec.fields:
        if _field_token(candidate.name) == wanted:
            return candidate
    raise AdminError(f"champ « {short(name)} » inconnu pour {spec.label}. Champs possibles : "
                     f"{', '.join(f.name for f in spec.fields)} (détails : /champs {spec.name}).")


def split_words(text: str) -> list[str]:
    """Split like a shell, with double (or typographic) quotes; apostrophes stay literal."""
    lexer = shlex.shlex(text.translate(_QUOTES), posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escapedquotes = '"'
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError as exc:
        raise AdminError("guillemets non refermés : chaque valeur entre guillemets doit se "
                         'terminer par un guillemet, par exemple titre="Approbation du PCAET".'
                         ) from exc


def parse_assignments(spec: EntitySpec, words: Iterable[str]) -> dict[str, str]:
    """['titre=Approbation', 'du', 'PCAET', 'date=15/03/2027'] → {'titre': 'Approbation du
    PCAET', 'date': '15/03/2027'}: a word without '=' continues the previous value."""
    values: dict[str, str] = {}
    current: str | None = None
    for word in words:
        match = _ASSIGNMENT.match(word)
        if match is None:
            if current is None:
                raise AdminError(f"« {short(word)} » : écrivez champ=valeur, par exemple "
                                 f'{spec.fields[0].name}="{spec.fields[0].example}".')
            values[current] += " " + word
            continue
        current = resolve_field(spec, match.group(1)).name
        if current in values:
            raise AdminError(f"le champ « {current} » est donné deux fois.")
        values[current] = match.group(2)
    values = _time_apart(spec, {name: storable(value) for name, value in values.items()})
    for name, value in values.items():
        check_length(spec.field(name), value)
    return values


def _time_apart(spec: EntitySpec, values: dict[str, str]) -> dict[str, str]:
    """'date=15/01/2027 18h30' with no 'heure=': the time typed with the date is the time."""
    date = next((f.name for f in spec.fields if f.kind == "date"), None)
    time = next((f.name for f in spec.fields if f.kind == "time"), None)
    both = split_date_time(values[date]) if date in values and time not in values else None
    return {**values, date: both[0], time: both[1]} if both and date and time else values


def check_length(spec: FieldSpec, value: str) -> None:
    if len(value) > spec.max_len:
        raise AdminError(f"« {spec.name} » est trop long : {french_number(len(value))} caractères, "
                         f"{french_number(spec.max_len)} au maximum.")


_YES = {"oui", "o", "vrai", "true", "yes", "1", "approximatif", "approximative"}
_NO = {"non", "n", "faux", "false", "no", "0", "exact", "exacte"}
_ROLES = {
    "president": Role.PRESIDENT, "presidente": Role.PRESIDENT,
    "vice_president": Role.VICE_PRESIDENT, "vice_presidente": Role.VICE_PRESIDENT,
    "vicepresident": Role.VICE_PRESIDENT, "vicepresidente": Role.VICE_PRESIDENT,
    "vp": Role.VICE_PRESIDENT, "delegue": Role.DELEGATE, "deleguee": Role.DELEGATE,
    "conseiller_delegue": Role.DELEGATE, "conseillere_deleguee": Role.DELEGATE,
    "delegate": Role.DELEGATE,
}


def convert(session: Session, spec: FieldSpec, raw: str) -> Any:
    """One typed value → the model value (dates and times: see `milestone_start`)."""
    check_length(spec, raw)
    text = raw.strip()
    if spec.required and not text:
        raise field_error(spec, "ce champ est obligatoire")
    converter = _CONVERTERS.get(spec.kind)
    return converter(session, spec, text) if converter else text


def _convert_bool(session: Session, spec: FieldSpec, text: str) -> bool:
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO or not folded:
        return False
    raise field_error(spec, "répondez oui ou non")


def _convert_role(session: Session, spec: FieldSpec, text: str) -> Role:
    role = _ROLES.get(re.sub(r"[\s-]+", "_", fold(text)))
    if role is None:
        raise field_error(spec, "valeur attendue : president, vice-president ou delegue")
    return role


def _split(separator: str) -> Callable[[Session, FieldSpec, str], list[str]]:
    return lambda session, spec, text: [p.strip() for p in text.split(separator) if p.strip()]


def _convert_axis(session: Session, spec: FieldSpec, text: str) -> int | None:
    if not text:
        return None
    digits = re.sub(r"^axe\s*", "", fold(text))
    numbers = sorted(session.exec(select(models.Axis.number)))
    if not re.fullmatch(r"[0-9]{1,3}", digits) or int(digits) not in numbers:
        known = ", ".join(str(n) for n in numbers) or "aucun"
        raise field_error(spec, f"axe inconnu (axes existants : {known})")
    return int(digits)


_CONVERTERS: dict[str, Callable[[Session, FieldSpec, str], Any]] = {
    "optional": lambda session, spec, text: text or None,
    "bool": _convert_bool,
    "role": _convert_role,
    "axis": _convert_axis,
    "words": _split(","),
    "items": _split("|"),
    "date": lambda session, spec, text: parse_date(text),
    "time": lambda session, spec, text: parse_time(text) if text else None,
}


def field_text(spec: EntitySpec, name: str, row: Any, tz: ZoneInfo) -> str:
    """A field of an entry as an admin would type it (plain text)."""
    field_spec = spec.field(name)
    if field_spec.kind in ("date", "time"):
        day, at = milestone_parts(row, tz)
        if field_spec.kind == "time":
            return typed_time(at) if at else ""
        return f"{day[1]:02d}/{day[0]}" if day[2] is None else f"{day[2]:02d}/{day[1]:02d}/{day[0]}"
    value = getattr(row, field_spec.attr)
    if field_spec.kind == "bool":
        return "oui" if value else "non"
    if field_spec.kind == "role":
        return ROLE_WORDS.get(value, str(value))
    if field_spec.kind in ("words", "items"):
        return (", " if field_spec.kind == "words" else " | ").join(value or [])
    return "" if value is None else str(value)
