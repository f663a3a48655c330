"""The seed format: a readable YAML document an admin could edit.

`parse_document` validates a whole document (used for the seed and for admin imports),
`load_document` writes it into the database in one transaction, `dump_document` exports
the database back into the same format, so export → import changes nothing.
"""

from __future__ import annotations

import re
from datetime import datetime
from importlib import resources
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy.engine import Engine
from sqlmodel import Session, delete, select

from knowledge import models
from knowledge.models import Precision
from knowledge.store import create_tables, transaction

SEED_RESOURCE = "seminaire-2021.yaml"
MAX_DOCUMENT_BYTES = 2_000_000


class SeedError(ValueError):
    """A seed/import document that cannot be used; the message is French, for admins."""


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


EntityName = Literal["axis", "person", "priority", "figure", "commune", "milestone", "fact"]


class SourceRef(_Item):
    slide: int | None = None
    title: str = ""


class AxisIn(_Item):
    number: int = Field(ge=1, le=20)
    title: str = Field(min_length=1, max_length=300)
    short_title: str = Field(min_length=1, max_length=300)
    keywords: list[str] = []
    source: SourceRef = SourceRef()


class PersonIn(_Item):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")
    name: str = Field(min_length=2, max_length=120)
    role: models.Role
    title: str = Field(min_length=1, max_length=300)
    delegation: str = Field(default="", max_length=300)
    axis: int | None = None
    keywords: list[str] = []
    source: SourceRef = SourceRef()


class PriorityIn(_Item):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    axis: int | None = None
    theme: str = Field(min_length=1, max_length=300)
    findings: list[str] = []
    items: list[str] = []
    highlight: str | None = None
    leads: list[str] = []
    keywords: list[str] = []
    source: SourceRef = SourceRef()


class FigureIn(_Item):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    label: str = Field(min_length=1, max_length=300)
    value: str = Field(min_length=1, max_length=60)
    unit: str = Field(default="", max_length=60)
    context: str = Field(default="", max_length=600)
    keywords: list[str] = []
    source: SourceRef = SourceRef()

    @field_validator("value", mode="before")
    @classmethod
    def _value_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class CommuneFigureIn(_Item):
    label: str = Field(min_length=1, max_length=200)
    value: int | None = None
    unit: str = ""
    note: str | None = None


class CommuneIn(_Item):
    name: str = Field(min_length=1, max_length=100)
    variants: list[str] = []
    figures: list[CommuneFigureIn] = []
    source: SourceRef = SourceRef()


class MilestoneIn(_Item):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    project: str = Field(min_length=1, max_length=200)
    phase: str = Field(default="", max_length=200)
    title: str = Field(min_length=1, max_length=300)
    start: str
    approximate: bool = False
    location: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", max_length=1000)
    keywords: list[str] = []
    source: SourceRef = SourceRef()

    @field_validator("start", mode="before")
    @classmethod
    def _start_as_text(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        return str(value) if value is not None else value

    @field_validator("start")
    @classmethod
    def _start_format(cls, value: str) -> str:
        parse_start(value, ZoneInfo("UTC"))  # raises on a bad format
        return value


class SynonymIn(_Item):
    term: str = Field(min_length=1, max_length=100)
    expansion: str = Field(default="", max_length=300)
    entity: EntityName | None = None
    key: str | None = None  # the pinned entry's key (name for a commune, number for an axis)


class FactIn(_Item):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=1000)
    keywords: list[str] = []
    source: SourceRef = SourceRef()


class Document(_Item):
    version: int = 1
    source_document: str = ""
    axes: list[AxisIn] = []
    people: list[PersonIn] = []
    priorities: list[PriorityIn] = []
    figures: list[FigureIn] = []
    communes: list[CommuneIn] = []
    milestones: list[MilestoneIn] = []
    synonyms: list[SynonymIn] = []
    facts: list[FactIn] = []


_START_FORMATS = (
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m", Precision.MONTH),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", Precision.DAY),
    (re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$"), None, Precision.EXACT),
)


def parse_start(text: str, tz: ZoneInfo) -> tuple[datetime, Precision]:
    """'2027-03' / '2027-03-15' / '2027-03-15T10:00' (local time) → aware UTC start, precision.

    A month is anchored on the 1st at 9:00 and a day at 9:00 local time (the reminder time).
    """
    for pattern, fmt, precision in _START_FORMATS:
        if pattern.match(text):
            naive = datetime.strptime(text.replace(" ", "T"), fmt or "%Y-%m-%dT%H:%M")
            if precision is not Precision.EXACT:
                naive = naive.replace(hour=9)
            return naive.replace(tzinfo=tz).astimezone(ZoneInfo("UTC")), precision
    raise ValueError(f"date de début « {text} » à écrire AAAA-MM, AAAA-MM-JJ ou AAAA-MM-JJTHH:MM")


def format_start(start: datetime, precision: Precision, tz: ZoneInfo) -> str:
    local = start.astimezone(tz)
    if precision is Precision.MONTH:
        return local.strftime("%Y-%m")
    if precision is Precision.DAY:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%dT%H:%M")


class _NoAliasLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors/aliases (no 'billion laughs') and duplicate keys."""

    def construct_mapping(self, node, deep=False):  # noqa: ANN001, ANN201 - PyYAML API
        seen: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, list | dict):
                raise SeedError(f"ligne {key_node.start_mark.line + 1} : clé YAML invalide")
            if key in seen:
                raise SeedError(f"ligne {key_node.start_mark.line + 1} : clé « {key} » "
                                "en double")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML signature
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise SeedError(
                f"ligne {event.start_mark.line + 1} : les alias YAML (*{event.anchor}) "
                "ne sont pas acceptés"
            )
        return super().compose_node(parent, index)


def parse_document(text: str | bytes) -> Document:
    """Validate a whole YAML document; any problem → SeedError with a French message."""
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    if size > MAX_DOCUMENT_BYTES:
        raise SeedError(f"document trop volumineux ({size} octets, maximum {MAX_DOCUMENT_BYTES})")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SeedError("le document n'est pas en UTF-8") from exc
    try:
        data = yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else "?"
        column = exc.problem_mark.column + 1 if exc.problem_mark else "?"
        raise SeedError(f"ligne {line}, colonne {column} : syntaxe YAML incorrecte") from exc
    except yaml.YAMLError as exc:
        raise SeedError("syntaxe YAML incorrecte") from exc
    if not isinstance(data, dict):
        raise SeedError("le document doit être un dictionnaire YAML (axes:, people:, …)")
    try:
        document = Document.model_validate(data)
    except ValidationError as exc:
        raise SeedError(_describe_validation_error(exc, text)) from exc
    _check_references(document)
    return document


_FRENCH_ERRORS = {
    "extra_forbidden": "clé inconnue",
    "missing": "champ obligatoire manquant",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_parsing": "oui/non attendu (true ou false)",
    "bool_type": "oui/non attendu (true ou false)",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu (champ: valeur)",
    "model_type": "dictionnaire attendu (champ: valeur)",
    "model_attributes_type": "dictionnaire attendu (champ: valeur)",
    "string_too_short": "texte trop court ou vide",
    "string_too_long": "texte trop long (au plus {max_length} caractères)",
    "string_pattern_mismatch": "format incorrect (minuscules, chiffres et tirets)",
    "greater_than_equal": "valeur trop petite (au moins {ge})",
    "less_than_equal": "valeur trop grande (au plus {le})",
    "literal_error": "valeur non autorisée (attendu : {expected})",
    "enum": "valeur non autorisée (attendu : {expected})",
}


def french_error(error: dict) -> str:
    """A pydantic validation error, told in French."""
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", "valeur invalide"))
    template = _FRENCH_ERRORS.get(error["type"], "valeur invalide")
    ctx = {k: str(v).replace(" or ", " ou ") for k, v in error.get("ctx", {}).items()}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split(" (")[0]


def _line_of(text: str, loc: tuple) -> int | None:
    """The YAML line of a validation error's location, for a message an admin can use."""
    try:
        node = yaml.compose(text, Loader=_NoAliasLoader)  # noqa: S506 - safe loader subclass
    except (yaml.YAMLError, SeedError):
        return None
    line = node.start_mark.line if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                key = next((k for k, _ in node.value if k.value == part), None)
                return (key.start_mark.line + 1) if key is not None else line + 1
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
        else:
            break
        line = node.start_mark.line
    return None if line is None else line + 1


def _describe_validation_error(exc: ValidationError, text: str) -> str:
    lines = []
    for error in exc.errors()[:5]:
        path = ".".join(str(part) for part in error["loc"])
        line = _line_of(text, error["loc"])
        where = f"ligne {line} ({path})" if line else path
        lines.append(f"{where} : {french_error(error)}")
    more = len(exc.errors()) - 5
    if more > 0:
        lines.append(f"… et {more} autre(s) erreur(s)")
    return "document invalide :\n" + "\n".join(lines)


def _check_references(document: Document) -> None:
    problems: list[str] = []
    for section in ("people", "priorities", "figures", "milestones", "facts"):
        keys = [item.key for item in getattr(document, section)]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            problems.append(f"{section} : clés en double {', '.join(duplicates)}")
    names = [commune.name for commune in document.communes]
    if len(set(names)) != len(names):
        problems.append("communes : nom en double")
    axes = {axis.number for axis in document.axes}
    people = {person.key for person in document.people}
    for person in document.people:
        if person.axis is not None and person.axis not in axes:
            problems.append(f"people.{person.key} : axe {person.axis} inconnu")
    for priority in document.priorities:
        if priority.axis is not None and priority.axis not in axes:
            problems.append(f"priorities.{priority.key} : axe {priority.axis} inconnu")
        for lead in priority.leads:
            if lead not in people:
                problems.append(f"priorities.{priority.key} : élu {lead!r} inconnu")
    if problems:
        raise SeedError("document incohérent :\n" + "\n".join(problems[:10]))


def read_seed_text() -> str:
    return resources.files("knowledge.data").joinpath(SEED_RESOURCE).read_text("utf-8")


def _source(ref: SourceRef) -> dict[str, Any]:
    return {"source_slide": ref.slide, "source_title": ref.title}


def document_rows(document: Document, tz: ZoneInfo) -> dict[str, list[models.SQLModel]]:
    """The database rows a document describes (synonyms resolved after, by key)."""
    milestones = []
    for item in document.milestones:
        start, precision = parse_start(item.start, tz)
        milestones.append(
            models.Milestone(
                key=item.key, project=item.project, phase=item.phase, title=item.title,
                start=start, precision=precision, approximate=item.approximate,
                location=item.location, description=item.description,
                keywords=item.keywords, **_source(item.source),
            )
        )
    return {
        "axis": [
            models.Axis(
                number=a.number, title=a.title, short_title=a.short_title,
                keywords=a.keywords, **_source(a.source),
            )
            for a in document.axes
        ],
        "person": [
            models.Person(
                key=p.key, name=p.name, role=p.role, title=p.title, delegation=p.delegation,
                axis_number=p.axis, keywords=p.keywords, **_source(p.source),
            )
            for p in document.people
        ],
        "priority": [
            models.Priority(
                key=p.key, axis_number=p.axis, theme=p.theme, findings=p.findings,
                items=p.items, highlight=p.highlight, leads=p.leads, keywords=p.keywords,
                **_source(p.source),
            )
            for p in document.priorities
        ],
        "figure": [
            models.Figure(
                key=f.key, label=f.label, value=f.value, unit=f.unit, context=f.context,
                keywords=f.keywords, **_source(f.source),
            )
            for f in document.figures
        ],
        "commune": [
            models.Commune(
                name=c.name, variants=c.variants,
                figures=[fig.model_dump() for fig in c.figures], **_source(c.source),
            )
            for c in document.communes
        ],
        "milestone": milestones,
        "fact": [
            models.Fact(
                key=f.key, title=f.title, text=f.text, keywords=f.keywords, **_source(f.source)
            )
            for f in document.facts
        ],
    }


def natural_key(entity: str, row: Any) -> str:
    """The key an entry keeps across export and import (its id may change)."""
    if entity == "axis":
        return str(row.number)
    if entity == "commune":
        return row.name
    return row.key


def write_document(session: Session, document: Document, tz: ZoneInfo) -> None:
    """Replace every knowledge entry with the document's (inside the caller's transaction)."""
    session.exec(delete(models.Synonym))  # type: ignore[call-overload]
    for model in models.KNOWLEDGE_MODELS.values():
        session.exec(delete(model))  # type: ignore[call-overload]
    rows = document_rows(document, tz)
    for entity_rows in rows.values():
        session.add_all(entity_rows)
    session.flush()
    ids = {
        entity: {natural_key(entity, row): row.id for row in entity_rows}
        for entity, entity_rows in rows.items()
    }
    for syn in document.synonyms:
        entry_id = ids.get(syn.entity or "", {}).get(syn.key or "")
        if syn.entity and entry_id is None:
            raise SeedError(f"synonyme {syn.term!r} : entrée {syn.entity} {syn.key!r} inconnue")
        session.add(
            models.Synonym(term=syn.term, expansion=syn.expansion, entity=syn.entity,
                           entry_id=entry_id)
        )


def ensure_seeded(engine: Engine, tz: ZoneInfo, *, reset: bool = False) -> bool:
    """Create the tables and load the seed if the knowledge base is empty (or on reset).

    Subscribers, admins and the audit trail survive a reset; deliveries of milestones
    that no longer exist are dropped by the scheduler when it next reconciles.
    """
    create_tables(engine)
    with Session(engine) as session:
        empty = session.exec(select(models.Axis).limit(1)).first() is None
    if not (empty or reset):
        return False
    document = parse_document(read_seed_text())
    with transaction(engine) as session:
        write_document(session, document, tz)
    return True


def dump_document(session: Session, tz: ZoneInfo) -> dict[str, Any]:
    """The whole knowledge base in the seed's format (plain data, ready for yaml.dump)."""

    def src(row: Any) -> dict[str, Any]:
        return {"slide": row.source_slide, "title": row.source_title}

    keys_by_id: dict[str, dict[int, str]] = {}
    for entity, model in models.KNOWLEDGE_MODELS.items():
        rows = session.exec(select(model))
        keys_by_id[entity] = {row.id: natural_key(entity, row) for row in rows}

    def ordered(model: Any) -> list[Any]:
        return list(session.exec(select(model).order_by(model.id)))

    return {
        "version": 1,
        "source_document": "Séminaire des élus 2021 — Grand-Orly Seine Bièvre, priorités 2021-2026",
        "axes": [
            {"number": a.number, "title": a.title, "short_title": a.short_title,
             "keywords": a.keywords, "source": src(a)}
            for a in ordered(models.Axis)
        ],
        "people": [
            {"key": p.key, "name": p.name, "role": str(p.role), "title": p.title,
             "delegation": p.delegation, "axis": p.axis_number, "keywords": p.keywords,
             "source": src(p)}
            for p in ordered(models.Person)
        ],
        "priorities": [
            {"key": p.key, "axis": p.axis_number, "theme": p.theme, "findings": p.findings,
             "items": p.items, "highlight": p.highlight, "leads": p.leads,
             "keywords": p.keywords, "source": src(p)}
            for p in ordered(models.Priority)
        ],
        "figures": [
            {"key": f.key, "label": f.label, "value": f.value, "unit": f.unit,
             "context": f.context, "keywords": f.keywords, "source": src(f)}
            for f in ordered(models.Figure)
        ],
        "communes": [
            {"name": c.name, "variants": c.variants, "figures": c.figures, "source": src(c)}
            for c in ordered(models.Commune)
        ],
        "milestones": [
            {"key": m.key, "project": m.project, "phase": m.phase, "title": m.title,
             "start": format_start(m.start, m.precision, tz), "approximate": m.approximate,
             "location": m.location, "description": m.description, "keywords": m.keywords,
             "source": src(m)}
            for m in ordered(models.Milestone)
        ],
        "synonyms": [
            {"term": s.term, "expansion": s.expansion, "entity": s.entity,
             "key": keys_by_id.get(s.entity or "", {}).get(s.entry_id or -1)}
            for s in ordered(models.Synonym)
        ],
        "facts": [
            {"key": f.key, "title": f.title, "text": f.text, "keywords": f.keywords,
             "source": src(f)}
            for f in ordered(models.Fact)
        ],
    }


def dump_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
