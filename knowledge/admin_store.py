"""Editing the knowledge base for the admins: French fields, audited changes, undo, imports.

No Telegram here: the bot parses a command, calls one of these functions inside
`knowledge.store.transaction` and renders the result. Every change writes an `AuditEntry`
(before → after snapshots) in the same transaction. Problems raise `AdminError` with a
French message naming the field and giving an example; nothing is written then.

Concurrency (two admins editing the same entry): field-level last-writer-wins, every write
audited with its before → after, so nothing is lost silently. The operations an admin
confirms after looking at a preview are optimistic: a deletion carries the entry's
`updated_at` stamp, an import the knowledge-base fingerprint, an undo the audited "after"
state; if the entry (or the base) changed in between, the operation is refused.

Imports are diffed by natural key (axis number, `key`, commune name, synonym
(term, entity, key)): entries are added, changed or removed in place, so ids stay stable
(reminder deliveries reference `Milestone.id`), and export → import changes nothing.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, SQLModel, col, select

from knowledge import models, seed
from knowledge.models import Precision, Role, utcnow
from knowledge.render import french_when
from knowledge.seed import Document, SeedError
from knowledge.store import frequent_unanswered, knowledge_version
from knowledge.text import fold

MAX_VALUE = 1000
MAX_LIST_LINES = 10


class AdminError(ValueError):
    """A refused admin input or operation; the message is French, plain text (not HTML)."""


# --------------------------------------------------------------------------- entities


@dataclass(frozen=True)
class FieldSpec:
    name: str  # as admins type it: "titre"
    attr: str  # the model attribute ("start" for both date and heure)
    help: str
    example: str
    kind: str = "text"  # text | optional | date | time | bool | role | axis | words | items
    required: bool = False
    max_len: int = MAX_VALUE


@dataclass(frozen=True)
class EntitySpec:
    name: str  # "jalon"
    label: str  # "un jalon", for sentences
    kind: str  # the knowledge kind: "milestone"
    model: type[SQLModel]
    fields: tuple[FieldSpec, ...]
    title_attr: str
    code: str  # in callback data

    def field(self, name: str) -> FieldSpec:
        return next(f for f in self.fields if f.name == name)

    @property
    def required(self) -> list[FieldSpec]:
        return [f for f in self.fields if f.required]


_KEYWORDS = FieldSpec("mots_cles", "keywords", "mots-clés pour la recherche, séparés par des "
                      "virgules", "climat, énergie", "words")

ENTITIES: dict[str, EntitySpec] = {
    spec.name: spec
    for spec in (
        EntitySpec("jalon", "un jalon", "milestone", models.Milestone, (
            FieldSpec("titre", "title", "l'intitulé du rendez-vous", "Approbation du PCAET",
                      required=True, max_len=300),
            FieldSpec("projet", "project", "le projet auquel il appartient", "PCAET",
                      required=True, max_len=200),
            FieldSpec("etape", "phase", "l'étape du projet", "Approbation", max_len=200),
            FieldSpec("date", "start", "le jour (ou le mois seul)",
                      "15/03/2027, 2027-03-15, 15 mars 2027 ou mars 2027", "date",
                      required=True, max_len=40),
            FieldSpec("heure", "start", "l'heure, si elle est connue", "10h, 10h30 ou 10:00",
                      "time", max_len=20),
            FieldSpec("lieu", "location", "où il a lieu", "Conseil territorial, Vitry-sur-Seine",
                      "optional", max_len=300),
            FieldSpec("description", "description", "quelques mots d'explication",
                      "Vote du plan climat-air-énergie territorial"),
            FieldSpec("approximatif", "approximate", "la date est-elle estimée ?", "oui ou non",
                      "bool", max_len=10),
            _KEYWORDS,
        ), "title", "j"),
        EntitySpec("elu", "un élu", "person", models.Person, (
            FieldSpec("nom", "name", "prénom et nom", "Marie DUPONT", required=True,
                      max_len=120),
            FieldSpec("fonction", "title", "la fonction, telle qu'affichée",
                      "Vice-présidente chargée du logement", required=True, max_len=300),
            FieldSpec("delegation", "delegation", "le domaine de la délégation", "Logement",
                      max_len=300),
            FieldSpec("role", "role", "president, vice-president ou delegue", "vice-president",
                      "role", required=True, max_len=40),
            FieldSpec("axe", "axis_number", "le numéro de l'axe du mandat", "2", "axis",
                      max_len=10),
            _KEYWORDS,
        ), "name", "e"),
        EntitySpec("priorite", "une priorité", "priority", models.Priority, (
            FieldSpec("theme", "theme", "l'intitulé de la priorité",
                      "Un territoire plus solidaire", required=True, max_len=300),
            FieldSpec("axe", "axis_number", "le numéro de l'axe du mandat", "2", "axis",
                      max_len=10),
            FieldSpec("elements", "items", "les priorités, séparées par « | »",
                      "Rénover les logements | Lutter contre l'habitat indigne", "items"),
            FieldSpec("constats", "findings", "les constats, séparés par « | »",
                      "Les inégalités restent fortes", "items"),
            _KEYWORDS,
        ), "theme", "p"),
        EntitySpec("chiffre", "un chiffre", "figure", models.Figure, (
            FieldSpec("libelle", "label", "ce que mesure le chiffre", "habitants du territoire",
                      required=True, max_len=300),
            FieldSpec("valeur", "value", "la valeur, telle qu'affichée", "593 434",
                      required=True, max_len=60),
            FieldSpec("unite", "unit", "l'unité", "habitants", max_len=60),
            FieldSpec("contexte", "context", "la source ou la précision utile",
                      "recensement 2018", max_len=600),
            _KEYWORDS,
        ), "label", "c"),
        EntitySpec("fait", "un fait", "fact", models.Fact, (
            FieldSpec("titre", "title", "le sigle ou l'intitulé", "ANRU", required=True,
                      max_len=200),
            FieldSpec("texte", "text", "ce qu'il faut en savoir",
                      "Agence nationale pour la rénovation urbaine", required=True, max_len=1000),
            _KEYWORDS,
        ), "title", "f"),
        EntitySpec("synonyme", "un synonyme", "synonym", models.Synonym, (
            FieldSpec("terme", "term", "le mot que tapent les élus", "logt", required=True,
                      max_len=100),
            FieldSpec("expansion", "expansion", "les mots de la base qu'il désigne", "logement",
                      required=True, max_len=300),
        ), "term", "s"),
    )
}
ENTITY_BY_CODE = {spec.code: spec for spec in ENTITIES.values()}
ENTITY_BY_KIND = {spec.kind: spec for spec in ENTITIES.values()}
_ENTITY_ALIASES = {"elus": "elu", "jalons": "jalon", "priorites": "priorite",
                   "chiffres": "chiffre", "synonymes": "synonyme", "faits": "fait",
                   "rendez-vous": "jalon", "rdv": "jalon"}
# Every knowledge kind's French name (the audit trail uses these).
KIND_NAMES = {"axis": "axe", "person": "elu", "priority": "priorite", "figure": "chiffre",
              "commune": "commune", "milestone": "jalon", "fact": "fait",
              "synonym": "synonyme"}
NAME_KINDS = {name: kind for kind, name in KIND_NAMES.items()}


def entity_spec(word: str) -> EntitySpec:
    """'jalon', 'Élus', 'priorités' → its EntitySpec; AdminError otherwise."""
    name = fold(word).strip()
    name = _ENTITY_ALIASES.get(name, name)
    if name not in ENTITIES:
        raise AdminError(f"entité « {_short(word)} » inconnue. Entités possibles : "
                         f"{', '.join(ENTITIES)}.")
    return ENTITIES[name]


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")


# --------------------------------------------------------------------------- parsing input

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
    raise AdminError(f"champ « {_short(name)} » inconnu pour {spec.label}. Champs possibles : "
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
                raise AdminError(f"« {_short(word)} » : écrivez champ=valeur, par exemple "
                                 f'{spec.fields[0].name}="{spec.fields[0].example}".')
            values[current] += " " + word
            continue
        current = resolve_field(spec, match.group(1)).name
        if current in values:
            raise AdminError(f"le champ « {current} » est donné deux fois.")
        values[current] = match.group(2)
    for name, value in values.items():
        check_length(spec.field(name), value)
    return values


def check_length(spec: FieldSpec, value: str) -> None:
    if len(value) > spec.max_len:
        raise AdminError(f"« {spec.name} » est trop long : {_thousands(len(value))} caractères, "
                         f"{_thousands(spec.max_len)} au maximum.")


def _field_error(spec: FieldSpec, problem: str) -> AdminError:
    return AdminError(f"« {spec.name} » : {problem} (exemple : {spec.name}={spec.example}).")


_MONTHS = {
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
    elif (match := _WORDS_DATE.match(text)) and match[2] in _MONTHS:
        parts = (int(match[3]), _MONTHS[match[2]], int(match[1]) if match[1] else None)
    if parts is None:
        raise _field_error(spec, f"« {_short(raw)} » n'est pas une date reconnue")
    year, month, day = parts
    try:
        datetime(year, month, day or 1)
    except ValueError:
        raise _field_error(spec, f"« {_short(raw)} » n'existe pas au calendrier") from None
    if not 2000 <= year <= 2100:
        raise _field_error(spec, "l'année doit être comprise entre 2000 et 2100")
    return parts


def parse_time(raw: str) -> tuple[int, int]:
    """'10h', '10 h 30', '10h30', '10:00' → (hour, minute)."""
    spec = ENTITIES["jalon"].field("heure")
    match = _TIME.match(fold(raw).replace("heures", "h").replace("heure", "h"))
    if match is None:
        raise _field_error(spec, f"« {_short(raw)} » n'est pas une heure reconnue")
    hour, minute = int(match[1]), int(match[2] or 0)
    if hour > 23 or minute > 59:
        raise _field_error(spec, f"« {_short(raw)} » n'est pas une heure valide")
    return hour, minute


def milestone_start(day: DayOrMonth, at: tuple[int, int] | None,
                    tz: ZoneInfo) -> tuple[datetime, Precision]:
    """A date (and time) typed in local time → aware UTC start and precision (seed rules)."""
    year, month, day_number = day
    if day_number is None:
        if at is not None:
            raise _field_error(ENTITIES["jalon"].field("heure"),
                               "une heure demande un jour précis, pas seulement un mois")
        return seed.parse_start(f"{year:04d}-{month:02d}", tz)
    text = f"{year:04d}-{month:02d}-{day_number:02d}"
    if at is not None:
        text += f"T{at[0]:02d}:{at[1]:02d}"
    return seed.parse_start(text, tz)


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
        raise _field_error(spec, "ce champ est obligatoire")
    converter = _CONVERTERS.get(spec.kind)
    return converter(session, spec, text) if converter else text


def _convert_bool(session: Session, spec: FieldSpec, text: str) -> bool:
    folded = fold(text)
    if folded in _YES:
        return True
    if folded in _NO or not folded:
        return False
    raise _field_error(spec, "répondez oui ou non")


def _convert_role(session: Session, spec: FieldSpec, text: str) -> Role:
    role = _ROLES.get(re.sub(r"[\s-]+", "_", fold(text)))
    if role is None:
        raise _field_error(spec, "valeur attendue : president, vice-president ou delegue")
    return role


def _split(separator: str) -> Callable[[Session, FieldSpec, str], list[str]]:
    return lambda session, spec, text: [p.strip() for p in text.split(separator) if p.strip()]


def _convert_axis(session: Session, spec: FieldSpec, text: str) -> int | None:
    if not text:
        return None
    digits = re.sub(r"^axe\s*", "", fold(text))
    numbers = sorted(session.exec(select(models.Axis.number)))
    if not digits.isdigit() or int(digits) not in numbers:
        known = ", ".join(str(n) for n in numbers) or "aucun"
        raise _field_error(spec, f"axe inconnu (axes existants : {known})")
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


# --------------------------------------------------------------------------- values


def values_for_create(session: Session, spec: EntitySpec, raw: dict[str, str],
                      tz: ZoneInfo) -> dict[str, Any]:
    """All the model attributes of a new entry (validated), from typed French fields."""
    for required in spec.required:
        if not raw.get(required.name, "").strip():
            raise _field_error(required, "ce champ est obligatoire")
    converted = {name: convert(session, spec.field(name), value) for name, value in raw.items()}
    values = _attrs(spec, converted)
    if spec.kind == "milestone":
        values["start"], values["precision"] = milestone_start(
            converted["date"], converted.get("heure"), tz)
    return values


def check_field(session: Session, spec: EntitySpec, name: str, raw: str,
                form: dict[str, str], tz: ZoneInfo) -> None:
    """Validate one answer of the guided conversation (`form`: the answers so far)."""
    field_spec = spec.field(name)
    value = convert(session, field_spec, raw)
    if field_spec.kind == "time" and value is not None and form.get("date"):
        milestone_start(parse_date(form["date"]), value, tz)


def preview_entry(session: Session, spec: EntitySpec, raw: dict[str, str],
                  tz: ZoneInfo) -> Any:
    """The entry `raw` describes, fully validated but not saved (for a summary)."""
    values = values_for_create(session, spec, raw, tz)
    if spec.kind == "synonym":
        _refuse_duplicate_synonym(session, values["term"], None, None)
    else:
        values["key"] = slugify(str(values[spec.title_attr]))
    row = spec.model(**values)
    check_exportable(spec, row, tz)
    return row


def values_for_update(session: Session, spec: EntitySpec, row: Any, raw: dict[str, str],
                      tz: ZoneInfo) -> dict[str, Any]:
    """The attributes `raw` changes on `row` (only those whose value really changes)."""
    if not raw:
        raise AdminError(f"rien à modifier : indiquez au moins un champ, par exemple "
                         f'{spec.fields[0].name}="{spec.fields[0].example}".')
    converted = {name: convert(session, spec.field(name), value) for name, value in raw.items()}
    values = _attrs(spec, converted)
    if spec.kind == "milestone" and ("date" in converted or "heure" in converted):
        day, at = _milestone_parts(row, tz)
        if "heure" not in converted and "date" in converted and converted["date"][2] is None:
            at = None  # moved to a month only: the old time no longer applies
        values["start"], values["precision"] = milestone_start(
            converted.get("date", day), converted.get("heure", at), tz)
    return {attr: value for attr, value in values.items() if getattr(row, attr) != value}


def _attrs(spec: EntitySpec, converted: dict[str, Any]) -> dict[str, Any]:
    return {spec.field(name).attr: value for name, value in converted.items()
            if spec.field(name).attr != "start"}


def _milestone_parts(row: models.Milestone, tz: ZoneInfo) -> tuple[DayOrMonth,
                                                                     tuple[int, int] | None]:
    local = row.start.astimezone(tz)
    if row.precision is Precision.MONTH:
        return (local.year, local.month, None), None
    at = (local.hour, local.minute) if row.precision is Precision.EXACT else None
    return (local.year, local.month, local.day), at


# --------------------------------------------------------------------------- display


def field_text(spec: EntitySpec, name: str, row: Any, tz: ZoneInfo) -> str:
    """A field of an entry as an admin would type it (plain text)."""
    field_spec = spec.field(name)
    if field_spec.kind in ("date", "time"):
        day, at = _milestone_parts(row, tz)
        if field_spec.kind == "time":
            return (f"{at[0]}h{at[1]:02d}" if at[1] else f"{at[0]}h") if at else ""
        return f"{day[1]:02d}/{day[0]}" if day[2] is None else f"{day[2]:02d}/{day[1]:02d}/{day[0]}"
    value = getattr(row, field_spec.attr)
    if field_spec.kind == "bool":
        return "oui" if value else "non"
    if field_spec.kind == "role":
        return {Role.PRESIDENT: "president", Role.VICE_PRESIDENT: "vice-president",
                Role.DELEGATE: "delegue"}.get(value, str(value))
    if field_spec.kind in ("words", "items"):
        return (", " if field_spec.kind == "words" else " | ").join(value or [])
    return "" if value is None else str(value)


def describe(spec: EntitySpec, row: Any, tz: ZoneInfo) -> list[tuple[str, str]]:
    """(field, value) of every non-empty field of an entry."""
    pairs = [(f.name, field_text(spec, f.name, row, tz)) for f in spec.fields]
    return [(name, text) for name, text in pairs if text]


def entry_title(spec: EntitySpec, row: Any, tz: ZoneInfo) -> str:
    """One line that tells an entry apart (plain text)."""
    if spec.kind == "milestone":
        when = french_when(row.start, row.precision, tz)
        return f"{row.title} — {row.project} — {when}"
    if spec.kind == "person":
        return f"{row.name} — {row.title}"
    if spec.kind == "figure":
        return f"{row.value} {row.unit}".strip() + f" — {row.label}"
    if spec.kind == "synonym":
        target = row.expansion or f"{KIND_NAMES.get(row.entity or '', row.entity)} #{row.entry_id}"
        return f"{row.term} → {target}"
    return str(getattr(row, spec.title_attr))


def list_entries(session: Session, spec: EntitySpec, query: str,
                 tz: ZoneInfo) -> list[tuple[int, str]]:
    """(id, title) of the entries whose title contains `query` (accents and case ignored)."""
    model: Any = spec.model
    order = model.start if spec.kind == "milestone" else model.id
    rows = session.exec(select(model).order_by(order, model.id))
    wanted = fold(query)
    found = [(row.id, entry_title(spec, row, tz)) for row in rows]
    return [(entry_id, title) for entry_id, title in found if wanted in fold(title)]


def get_entry(session: Session, spec: EntitySpec, entry_id: int) -> Any:
    row = session.get(spec.model, entry_id)
    if row is None:
        raise AdminError(f"aucun {spec.name} n'a l'identifiant {entry_id} "
                         f"(voir /liste {spec.name}).")
    return row


def stamp(row: Any) -> str:
    """A compact version stamp of an entry (its updated_at), for optimistic checks."""
    return str(int(row.updated_at.timestamp() * 1_000_000))


# --------------------------------------------------------------------------- audit


def snapshot(row: Any) -> dict[str, Any]:
    return row.model_dump(mode="json")


def audit(session: Session, user_id: int, action: str, entity: str, entry_id: int | None,
          before: dict[str, Any] | None, after: dict[str, Any] | None) -> models.AuditEntry:
    entry = models.AuditEntry(user_id=user_id, action=action, entity=entity,
                              entry_id=entry_id, before=before, after=after)
    session.add(entry)
    return entry


def recent_changes(session: Session, limit: int = 15) -> list[models.AuditEntry]:
    stmt = select(models.AuditEntry).order_by(col(models.AuditEntry.id).desc()).limit(limit)
    return list(session.exec(stmt))


_HIDDEN = {"id", "created_at", "updated_at", "precision"}
_ATTR_NAMES = {"number": "numéro", "precision": "précision", "axis_number": "axe",
               "name": "nom", "title": "titre", "keywords": "mots_cles",
               "short_title": "titre court", "key": "clé",
               "variants": "variantes", "figures": "chiffres", "text": "texte",
               "highlight": "à retenir", "leads": "référents", "source_slide": "diapositive",
               "source_title": "source", "entity": "entrée", "entry_id": "n° d'entrée"}


def changes_between(entity: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                    tz: ZoneInfo) -> list[tuple[str, str, str]]:
    """(field, before, after) texts for an audit row (only what differs)."""
    before, after = before or {}, after or {}
    rows = []
    for attr in dict.fromkeys([*before, *after]):
        if attr in _HIDDEN or attr.startswith("_") or _same(attr, before, after):
            continue
        old, new = _audit_value(attr, before, tz), _audit_value(attr, after, tz)
        if old != new:
            rows.append((attr_label(entity, attr), old, new))
    return rows


def attr_label(entity: str, attr: str) -> str:
    """The French name of a model attribute ('start' → 'date', 'location' → 'lieu')."""
    if attr == "start":
        return "date"
    spec = ENTITIES.get(entity)
    names = {f.attr: f.name for f in spec.fields} if spec else {}
    return names.get(attr, _ATTR_NAMES.get(attr, attr))


def _same(attr: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    if attr == "start":  # a start is told with its precision
        return all(before.get(a) == after.get(a) for a in ("start", "precision"))
    return before.get(attr) == after.get(attr)


def _audit_value(attr: str, data: dict[str, Any], tz: ZoneInfo) -> str:
    value = data.get(attr)
    if value is None or value == "" or value == []:
        return "∅"
    if attr == "start":
        start = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return french_when(start, Precision(data.get("precision", "exact")), tz)
    if isinstance(value, list):
        return " | ".join(str(item) for item in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


# --------------------------------------------------------------------------- changes


def slugify(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:limit].strip("-") or "entree"


def unique_key(session: Session, model: Any, text: str) -> str:
    base = slugify(text)
    key, number = base, 2
    while session.exec(select(model.id).where(model.key == key)).first() is not None:
        key, number = f"{base}-{number}", number + 1
    return key


def admin_source(tz: ZoneInfo) -> str:
    return f"ajouté par un administrateur le {utcnow().astimezone(tz):%d/%m/%Y}"


def create_entry(session: Session, spec: EntitySpec, raw: dict[str, str], user_id: int,
                 tz: ZoneInfo) -> Any:
    """Add an entry from typed fields; audited. Returns the new row (with its id)."""
    values = values_for_create(session, spec, raw, tz)
    if spec.kind == "synonym":
        _refuse_duplicate_synonym(session, values["term"], None, None)
    else:
        values["key"] = unique_key(session, spec.model, values[spec.title_attr])
        values.update(source_slide=None, source_title=admin_source(tz))
    row = spec.model(**values)
    check_exportable(spec, row, tz)
    session.add(row)
    session.flush()
    audit(session, user_id, "create", spec.name, row.id, None, snapshot(row))
    return row


def update_entry(session: Session, spec: EntitySpec, entry_id: int, raw: dict[str, str],
                 user_id: int, tz: ZoneInfo) -> tuple[Any, dict[str, Any]]:
    """Change the given fields only (field-level last-writer-wins); audited.

    Returns (row, before snapshot); when nothing actually changes, nothing is written.
    """
    row = get_entry(session, spec, entry_id)
    before = snapshot(row)
    changes = values_for_update(session, spec, row, raw, tz)
    if not changes:
        return row, before
    for attr, value in changes.items():
        setattr(row, attr, value)
    if spec.kind == "synonym":
        _refuse_duplicate_synonym(session, row.term, row.entity, row.entry_id, row.id)
    check_exportable(spec, row, tz)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit(session, user_id, "update", spec.name, row.id, before, snapshot(row))
    return row, before


def delete_entry(session: Session, spec: EntitySpec, entry_id: int, user_id: int,
                 expected_stamp: str | None = None) -> dict[str, Any]:
    """Delete an entry, the synonyms pinned to it and its mentions as a referent; audited.

    With `expected_stamp`, refuses if the entry changed since it was shown.
    """
    row = get_entry(session, spec, entry_id)
    if expected_stamp is not None and stamp(row) != expected_stamp:
        raise AdminError(f"ce {spec.name} a été modifié entre-temps (voir /journal) : "
                         "rien n'a été supprimé, relancez /supprimer si besoin.")
    before = snapshot(row) | {"_cascade": _detach(session, spec, row)}
    session.delete(row)
    session.flush()
    audit(session, user_id, "delete", spec.name, entry_id, before, None)
    return before


def _detach(session: Session, spec: EntitySpec, row: Any) -> dict[str, Any]:
    """Remove what points at an entry about to go (pinned synonyms, priority leads)."""
    pinned = list(session.exec(select(models.Synonym).where(
        models.Synonym.entity == spec.kind, models.Synonym.entry_id == row.id)))
    for synonym in pinned:
        session.delete(synonym)
    led: list[list[int]] = []  # [priority id, position in its leads]
    if spec.kind == "person":
        for priority in session.exec(select(models.Priority)):
            if row.key in priority.leads:
                led.append([priority.id, priority.leads.index(row.key)])
                priority.leads = [key for key in priority.leads if key != row.key]
                priority.updated_at = utcnow()
                session.add(priority)
    return {"synonyms": [snapshot(s) for s in pinned], "leads": led}


def _refuse_duplicate_synonym(session: Session, term: str, entity: str | None,
                              entry_id: int | None, own_id: int | None = None) -> None:
    stmt = select(models.Synonym).where(models.Synonym.term == term,
                                        models.Synonym.entity == entity,
                                        models.Synonym.entry_id == entry_id)
    for existing in session.exec(stmt):
        if existing.id != own_id:
            raise AdminError(f"le synonyme « {_short(term)} » existe déjà (#{existing.id}) : "
                             f"modifiez-le avec /modifier synonyme {existing.id} expansion=…")


_SEED_MODELS: dict[str, tuple[type[BaseModel], dict[str, str]]] = {
    "milestone": (seed.MilestoneIn, {"title": "titre", "project": "projet", "phase": "etape",
                                     "start": "date", "location": "lieu",
                                     "description": "description", "keywords": "mots_cles"}),
    "person": (seed.PersonIn, {"name": "nom", "title": "fonction", "delegation": "delegation",
                               "role": "role", "axis": "axe", "keywords": "mots_cles"}),
    "priority": (seed.PriorityIn, {"theme": "theme", "axis": "axe", "items": "elements",
                                   "findings": "constats", "keywords": "mots_cles"}),
    "figure": (seed.FigureIn, {"label": "libelle", "value": "valeur", "unit": "unite",
                               "context": "contexte", "keywords": "mots_cles"}),
    "fact": (seed.FactIn, {"title": "titre", "text": "texte", "keywords": "mots_cles"}),
    "synonym": (seed.SynonymIn, {"term": "terme", "expansion": "expansion"}),
}


def check_exportable(spec: EntitySpec, row: Any, tz: ZoneInfo) -> None:
    """The entry must pass the seed's own validation, so that export → import keeps working."""
    model, names = _SEED_MODELS[spec.kind]
    data = {name: getattr(row, attr, None) for name, attr in _seed_fields(spec.kind).items()}
    if spec.kind == "milestone":
        data["start"] = seed.format_start(row.start, row.precision, tz)
    try:
        model.model_validate({k: v for k, v in data.items() if v is not None or k == "location"})
    except ValidationError as exc:
        error = exc.errors()[0]
        name = names.get(str(error["loc"][0]), str(error["loc"][0]))
        raise AdminError(f"« {name} » : {seed.french_error(error)}.") from None


def _seed_fields(kind: str) -> dict[str, str]:
    """Seed field name → model attribute, for the admin-editable kinds."""
    common = {"keywords": "keywords"}
    return {
        "milestone": {"key": "key", "project": "project", "phase": "phase", "title": "title",
                      "approximate": "approximate", "location": "location",
                      "description": "description", **common},
        "person": {"key": "key", "name": "name", "role": "role", "title": "title",
                   "delegation": "delegation", "axis": "axis_number", **common},
        "priority": {"key": "key", "axis": "axis_number", "theme": "theme",
                     "findings": "findings", "items": "items", "leads": "leads", **common},
        "figure": {"key": "key", "label": "label", "value": "value", "unit": "unit",
                   "context": "context", **common},
        "fact": {"key": "key", "title": "title", "text": "text", **common},
        "synonym": {"term": "term", "expansion": "expansion"},
    }[kind]


# --------------------------------------------------------------------------- undo


@dataclass
class Undone:
    entity: str
    entry_id: int | None
    action: str  # the action that was undone


def undo_last(session: Session, user_id: int, tz: ZoneInfo) -> Undone:
    """Undo this admin's own latest change, if nobody changed the entry since; audited."""
    last = session.exec(
        select(models.AuditEntry)
        .where(models.AuditEntry.user_id == user_id,
               col(models.AuditEntry.action).in_(["create", "update", "delete", "import"]),
               models.AuditEntry.undone == False)  # noqa: E712 - SQL expression
        .order_by(col(models.AuditEntry.id).desc())
    ).first()
    if last is None:
        raise AdminError("vous n'avez aucune modification à annuler.")
    if last.action == "import":
        raise AdminError("votre dernière opération est un import : il ne s'annule pas avec "
                         "/annuler. Réimportez l'export fait avant l'import.")
    spec = ENTITIES[last.entity]
    before, after = _undo_entry(session, spec, last)
    last.undone = True
    session.add(last)
    audit(session, user_id, "undo", spec.name, last.entry_id, before, after)
    return Undone(spec.name, last.entry_id, last.action)


def _undo_entry(session: Session, spec: EntitySpec, last: models.AuditEntry
                ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    row = session.get(spec.model, last.entry_id) if last.entry_id is not None else None
    if last.action == "delete":
        restored = _restore(session, spec, last.before or {}, keep_id=row is None)
        return None, snapshot(restored)
    if row is None or _content(snapshot(row)) != _content(last.after):
        raise AdminError(f"ce {spec.name} a été modifié depuis par quelqu'un d'autre (voir "
                         "/journal) : rien n'a été annulé.")
    before = snapshot(row)
    if last.action == "create":
        before |= {"_cascade": _detach(session, spec, row)}
        session.delete(row)
        return before, None
    typed = spec.model.model_validate(last.before)
    for attr in last.before or {}:
        if attr not in {"id", "created_at", "updated_at"} and not attr.startswith("_"):
            setattr(row, attr, getattr(typed, attr))
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    return before, snapshot(row)


def _content(data: dict[str, Any] | None) -> dict[str, Any]:
    """A snapshot without its timestamp: what an admin sees of an entry."""
    return {k: v for k, v in (data or {}).items() if k != "updated_at"}


def _restore(session: Session, spec: EntitySpec, data: dict[str, Any], keep_id: bool) -> Any:
    """Re-create a deleted entry (same id when still free) and what pointed at it."""
    cascade = data.get("_cascade") or {}
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    if not keep_id:
        clean.pop("id", None)
    key_attr = "term" if spec.kind == "synonym" else "key"
    if spec.kind != "synonym" and session.exec(select(spec.model).where(
            getattr(spec.model, key_attr) == clean[key_attr])).first() is not None:
        raise AdminError("une autre entrée porte désormais la même clé : rien n'a été rétabli.")
    row = spec.model.model_validate(clean)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    for synonym in cascade.get("synonyms", []):
        restored = models.Synonym.model_validate({**synonym, "entry_id": row.id})
        if session.get(models.Synonym, synonym["id"]) is not None:
            restored.id = None
        session.add(restored)
    for priority_id, position in cascade.get("leads", []):
        priority = session.get(models.Priority, priority_id)
        if priority is not None and row.key not in priority.leads:
            leads = list(priority.leads)
            leads.insert(position, row.key)
            priority.leads = leads
            priority.updated_at = utcnow()
            session.add(priority)
    session.flush()
    return row


# --------------------------------------------------------------------------- admins


def admin_ids(session: Session, configured: Iterable[int]) -> set[int]:
    return set(configured) | set(session.exec(select(models.AdminUser.user_id)))


def is_admin(session: Session, configured: Iterable[int], user_id: int) -> bool:
    return user_id in set(configured) or session.get(models.AdminUser, user_id) is not None


def add_admin(session: Session, configured: Iterable[int], user_id: int, by: int) -> bool:
    """Promote `user_id`; False if already an admin."""
    if is_admin(session, configured, user_id):
        return False
    row = models.AdminUser(user_id=user_id, added_by=by)
    session.add(row)
    audit(session, by, "admin_add", "admin", user_id, None, {"user_id": user_id})
    return True


def remove_admin(session: Session, configured: Iterable[int], user_id: int, by: int) -> None:
    if user_id in set(configured):
        raise AdminError(f"{user_id} est administrateur par la configuration (ADMIN_IDS) : "
                         "il ne peut être retiré que là.")
    if user_id == by:
        raise AdminError("vous ne pouvez pas vous retirer vous-même : demandez à un autre "
                         "administrateur.")
    row = session.get(models.AdminUser, user_id)
    if row is None:
        raise AdminError(f"{user_id} n'est pas administrateur.")
    session.delete(row)
    audit(session, by, "admin_remove", "admin", user_id, {"user_id": user_id}, None)


# --------------------------------------------------------------------------- questions

MAX_TERM = 100


def unanswered(session: Session, limit: int = 10) -> list[models.UnansweredQuestion]:
    return frequent_unanswered(session, limit)


def get_question(session: Session, question_id: int) -> models.UnansweredQuestion:
    question = session.get(models.UnansweredQuestion, question_id)
    if question is None or question.resolved:
        raise AdminError("cette question n'est plus en attente (voir /questions).")
    return question


def question_term(question: models.UnansweredQuestion) -> str:
    """The synonym term for a question: its text, or its normalised start if too long."""
    text = " ".join(question.text.split())
    if len(text) <= MAX_TERM:
        return text
    return question.normalized[:MAX_TERM].rsplit(" ", 1)[0] or question.normalized[:MAX_TERM]


def attach_question(session: Session, question_id: int, kind: str, entry_id: int,
                    user_id: int) -> models.Synonym:
    """Teach the engine: this question means this entry (a pinned synonym); audited.

    A milestone is attached through its project's name (the engine answers by project).
    """
    question = get_question(session, question_id)
    term = question_term(question)
    if kind == "milestone":
        milestone = get_entry(session, ENTITIES["jalon"], entry_id)
        synonym = models.Synonym(term=term, expansion=milestone.project[:300])
        _refuse_duplicate_synonym(session, term, None, None)
    else:
        model = models.KNOWLEDGE_MODELS.get(kind)
        if model is None or session.get(model, entry_id) is None:
            raise AdminError("cette entrée n'existe plus (voir /liste).")
        _refuse_duplicate_synonym(session, term, kind, entry_id)
        synonym = models.Synonym(term=term, entity=kind, entry_id=entry_id)
    session.add(synonym)
    question.resolved = True
    session.add(question)
    session.flush()
    audit(session, user_id, "create", "synonyme", synonym.id, None, snapshot(synonym))
    return synonym


def question_text(session: Session, question_id: int) -> str:
    question = session.get(models.UnansweredQuestion, question_id)
    return question.text if question else ""


def dismiss_question(session: Session, question_id: int) -> None:
    question = get_question(session, question_id)
    question.resolved = True
    session.add(question)


# --------------------------------------------------------------------------- import


def parse_import(data: bytes) -> Document:
    """Validate an uploaded document; SeedError (French, with line numbers) otherwise."""
    try:
        return seed.parse_document(data)
    except RecursionError:
        raise SeedError("document trop imbriqué pour être lu") from None


_COMPARED_SKIP = {"id", "created_at", "updated_at"}


def _compared(model: Any) -> list[str]:
    return [name for name in model.model_fields if name not in _COMPARED_SKIP]


@dataclass
class EntityDiff:
    entity: str  # French name
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # key, fields
    removed: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)


@dataclass
class ImportPlan:
    diffs: list[EntityDiff]
    version: tuple

    @property
    def empty(self) -> bool:
        return all(diff.count == 0 for diff in self.diffs)

    @property
    def removed(self) -> int:
        return sum(len(diff.removed) for diff in self.diffs)


@dataclass
class _Ops:
    """What applying a document does, per kind: rows to add, (row, new) pairs, rows to drop."""

    add: list[Any] = field(default_factory=list)
    change: list[tuple[Any, Any, list[str]]] = field(default_factory=list)
    remove: list[Any] = field(default_factory=list)


def plan_import(session: Session, document: Document, tz: ZoneInfo) -> ImportPlan:
    """What importing `document` would add, change and remove, per entity (nothing written)."""
    ops, synonyms = _diff(session, document, tz)
    return _summary(session, ops, synonyms)


def apply_import(session: Session, document: Document, tz: ZoneInfo, user_id: int,
                 expected_version: tuple | None = None) -> ImportPlan:
    """Apply a document in the caller's transaction, one audit row per entry touched.

    With `expected_version` (the plan's), refuses if the base changed since the preview.
    """
    ops, synonyms = _diff(session, document, tz)
    plan = _summary(session, ops, synonyms)
    if expected_version is not None and plan.version != expected_version:
        raise AdminError("la base a changé depuis l'aperçu de l'import : rien n'a été "
                         "appliqué. Renvoyez le fichier pour voir le nouvel aperçu.")
    now = utcnow()
    for kind, op in ops.items():
        _apply_ops(session, kind, op, user_id, now)
    session.flush()
    _apply_synonyms(session, synonyms, user_id, now)
    session.flush()
    return plan


def _summary(session: Session, ops: dict[str, _Ops], synonyms: _Ops) -> ImportPlan:
    diffs = [
        EntityDiff(KIND_NAMES[kind], [seed.natural_key(kind, r) for r in op.add],
                   [(seed.natural_key(kind, row), _labels(KIND_NAMES[kind], changed))
                    for row, _, changed in op.change],
                   [seed.natural_key(kind, r) for r in op.remove])
        for kind, op in ops.items()
    ]
    diffs.append(EntityDiff("synonyme", [item.term for item in synonyms.add],
                            [(row.term, ["expansion"]) for row, _, _ in synonyms.change],
                            [row.term for row in synonyms.remove]))
    return ImportPlan(diffs, knowledge_version(session))


def _apply_ops(session: Session, kind: str, op: _Ops, user_id: int, now: datetime) -> None:
    entity = KIND_NAMES[kind]
    for row in op.remove:
        audit(session, user_id, "import", entity, row.id, snapshot(row), None)
        session.delete(row)
    for row, new, changed in op.change:
        before = snapshot(row)
        for attr in changed:
            setattr(row, attr, getattr(new, attr))
        row.updated_at = now
        session.add(row)
        session.flush()
        audit(session, user_id, "import", entity, row.id, before, snapshot(row))
    for row in op.add:
        session.add(row)
        session.flush()
        audit(session, user_id, "import", entity, row.id, None, snapshot(row))


SynonymKey = tuple[str, str | None, str | None]


def _labels(entity: str, attrs: list[str]) -> list[str]:
    return list(dict.fromkeys(attr_label(entity, attr) for attr in attrs))


def _diff(session: Session, document: Document, tz: ZoneInfo
          ) -> tuple[dict[str, _Ops], _Ops]:
    incoming = seed.document_rows(document, tz)
    ops: dict[str, _Ops] = {}
    for kind, model in models.KNOWLEDGE_MODELS.items():
        current = {seed.natural_key(kind, row): row for row in session.exec(select(model))}
        new = {seed.natural_key(kind, row): row for row in incoming[kind]}
        op = _Ops(add=[row for key, row in new.items() if key not in current],
                  remove=[row for key, row in current.items() if key not in new])
        for key, row in current.items():
            if key in new:
                changed = [a for a in _compared(model) if getattr(row, a) != getattr(new[key], a)]
                if changed:
                    op.change.append((row, new[key], changed))
        ops[kind] = op
    return ops, _diff_synonyms(session, document, ops)


def _diff_synonyms(session: Session, document: Document, ops: dict[str, _Ops]) -> _Ops:
    keys_by_id = {kind: {row.id: seed.natural_key(kind, row) for row in session.exec(select(model))}
                  for kind, model in models.KNOWLEDGE_MODELS.items()}
    current: dict[SynonymKey, models.Synonym] = {}
    for synonym in session.exec(select(models.Synonym).order_by(models.Synonym.id)):
        key = keys_by_id.get(synonym.entity or "", {}).get(synonym.entry_id or -1)
        current[(synonym.term, synonym.entity, key)] = synonym
    kept = {kind: {seed.natural_key(kind, r) for r in session.exec(select(model))}
            - {seed.natural_key(kind, r) for r in ops[kind].remove}
            | {seed.natural_key(kind, r) for r in ops[kind].add}
            for kind, model in models.KNOWLEDGE_MODELS.items()}
    new: dict[SynonymKey, seed.SynonymIn] = {}
    for item in document.synonyms:
        if item.entity and (item.key or "") not in kept[item.entity]:
            raise SeedError(f"synonyme « {_short(item.term)} » : entrée {item.entity} "
                            f"« {_short(item.key or '')} » inconnue")
        new[(item.term, item.entity, item.key if item.entity else None)] = item
    op = _Ops(add=[item for key, item in new.items() if key not in current],
              remove=[row for key, row in current.items() if key not in new])
    op.change = [(row, new[key], ["expansion"]) for key, row in current.items()
                 if key in new and row.expansion != new[key].expansion]
    return op


def _apply_synonyms(session: Session, op: _Ops, user_id: int, now: datetime) -> None:
    ids = {kind: {seed.natural_key(kind, row): row.id for row in session.exec(select(model))}
           for kind, model in models.KNOWLEDGE_MODELS.items()}
    for row in op.remove:
        audit(session, user_id, "import", "synonyme", row.id, snapshot(row), None)
        session.delete(row)
    for row, item, _ in op.change:
        before = snapshot(row)
        row.expansion, row.updated_at = item.expansion, now
        session.add(row)
        session.flush()
        audit(session, user_id, "import", "synonyme", row.id, before, snapshot(row))
    for item in op.add:
        entry_id = ids[item.entity].get(item.key or "") if item.entity else None
        row = models.Synonym(term=item.term, expansion=item.expansion, entity=item.entity,
                             entry_id=entry_id)
        session.add(row)
        session.flush()
        audit(session, user_id, "import", "synonyme", row.id, None, snapshot(row))


def export_document(session: Session, tz: ZoneInfo) -> str:
    """The whole knowledge base as YAML, in the seed's format."""
    return seed.dump_yaml(seed.dump_document(session, tz))
