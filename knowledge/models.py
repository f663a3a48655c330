"""The knowledge base schema (SQLModel).

Each kind of knowledge entry is declared once, as in the FastAPI full-stack template:
`XBase` holds its fields and their constraints; `X(XBase, Sourced, table=True)` is the
table; `XIn(XBase, ImportItem)` is the entry as the seed/import document writes it. The
seed conversion (`knowledge.seed`), the admin forms (`knowledge.admin_store`) and the
validation of both read these declarations, so adding a field is one edit.

Every knowledge entry records where it comes from (`source_slide`, `source_title`) and
when it was created and last updated. Datetimes are stored as UTC and read back aware.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AliasChoices,
    AliasGenerator,
    ConfigDict,
    StringConstraints,
    field_validator,
    model_validator,
)
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Enum,
    TypeDecorator,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out (SQLite drops the offset otherwise)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: store aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _ts(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


def _enum(enum: type[StrEnum], **kwargs: Any) -> Any:
    """Stored as its member names in a VARCHAR, the same on SQLite and PostgreSQL (a native
    PostgreSQL enum needs a migration for every new member)."""
    return Field(sa_type=Enum(enum, native_enum=False), **kwargs)  # type: ignore[call-overload]


def _json_list() -> Any:
    """A JSON list column, empty by default."""
    return Field(default_factory=list, sa_type=JSON)


class Role(StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    DELEGATE = "delegate"


class Precision(StrEnum):
    """How precisely a milestone's start is known."""

    EXACT = "exact"  # date and time
    DAY = "day"  # reminded at 9:00 local time
    MONTH = "month"  # reminded on the 1st at 9:00 local time


# ---------------------------------------------------------------------------- constraints
# Declared once: the table models, the seed/import models and the admin forms all read them.

YEARS = range(2000, 2101)  # a milestone's year, typed by an admin or imported
YEAR_PROBLEM = f"l'année doit être comprise entre {YEARS.start} et {YEARS.stop - 1}"
MAX_LIST = 50  # items in any list field


class InvalidValue(ValueError):
    """A value refused with a French message, shown to admins as it is (`seed.french_error`
    tells any other ValueError met while validating as "valeur invalide": Python's are
    English)."""


def _known_kind(value: str) -> str:
    if value not in KNOWLEDGE_MODELS:
        expected = ", ".join(f"'{kind}'" for kind in KNOWLEDGE_MODELS)
        raise InvalidValue(f"valeur non autorisée (attendu : {expected})")
    return value


# C0 and C1 control characters but tab, line feed and carriage return: PostgreSQL refuses NUL
# in text, and none of them is ever meant in an entry (a YAML "\0" or "\a" writes them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """`text` with each control character written as its code ("U+001B"): safe to echo."""
    return _CONTROL.sub(lambda found: f"U+{ord(found[0]):04X}", text)


def _printable(value: Any) -> Any:
    """`value` (a text, or a list of texts) if it holds no control character."""
    for text in value if isinstance(value, list) else [value]:
        if isinstance(text, str) and (found := _CONTROL.search(text)):
            raise InvalidValue(f"caractère de contrôle interdit (U+{ord(found[0]):04X})")
    return value


Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,79}$", max_length=80)]
Kind = Annotated[str, AfterValidator(_known_kind)]
AxisNumber = Annotated[int, Field(ge=1, le=20)]
Slide = Annotated[int, Field(ge=1, le=1000)]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]
SourceTitle = Annotated[str, StringConstraints(max_length=300)]
Word = Annotated[str, StringConstraints(max_length=100)]  # a keyword, a commune variant
Paragraph = Annotated[str, StringConstraints(max_length=1000)]  # a finding, a priority item
Words = Annotated[list[Word], Field(max_length=MAX_LIST)]
Paragraphs = Annotated[list[Paragraph], Field(max_length=MAX_LIST)]
Keys = Annotated[list[Key], Field(max_length=MAX_LIST)]


class Sourced(SQLModel):
    """Fields shared by every knowledge entry."""

    source_slide: Slide | None = None
    source_title: SourceTitle = ""
    created_at: datetime = _ts(default_factory=utcnow)
    updated_at: datetime = _ts(default_factory=utcnow)


# ---------------------------------------------------------------------------- knowledge


# The names documents (/export, /import, backups) give the fields: in French, the words admins
# type in /modifier (`champ=valeur`, see knowledge.admin_store.specs), unaccented like them.
# The former English names (the seed's, exports made before) are still read.
_SHARED_NAMES = {"key": "cle", "keywords": "mots_cles", "axis_number": "axe"}


def _former_name(attr: str) -> str:
    return "axis" if attr == "axis_number" else attr


def document_names(**names: str) -> ConfigDict:
    """The config of a document model whose fields are written under their French names
    (`names`: attribute → name, plus the shared ones) and read under either name."""
    french = _SHARED_NAMES | names

    def read_as(attr: str) -> AliasChoices:
        return AliasChoices(*dict.fromkeys([french.get(attr, attr), _former_name(attr)]))

    return ConfigDict(alias_generator=AliasGenerator(
        validation_alias=read_as, serialization_alias=lambda attr: french.get(attr, attr)))


def names_of(model: type[SQLModel], attr: str) -> list[str]:
    """The names a document may give a field: its French one first, then its former one."""
    alias = model.model_fields[attr].validation_alias
    return [str(c) for c in alias.choices] if isinstance(alias, AliasChoices) else [attr]


class ImportItem(SQLModel):
    """An entry as the seed/import document writes it: unknown keys refused."""

    model_config = ConfigDict(  # type: ignore[assignment]
        extra="forbid", str_strip_whitespace=True, **document_names())

    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Every text field of every entry (imports and admin entries both validate here)."""
        return _printable(value)


class SourceRef(ImportItem):
    """Where a document entry comes from (`Sourced.source_slide`, `source_title`)."""

    model_config = document_names(slide="diapositive", title="titre")

    slide: Slide | None = None
    title: SourceTitle = ""


class AxisBase(SQLModel):
    number: AxisNumber = Field(unique=True)
    title: str = Field(min_length=1, max_length=300)
    short_title: str = Field(min_length=1, max_length=300)
    keywords: Words = _json_list()


class Axis(AxisBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)


class AxisIn(AxisBase, ImportItem):
    model_config = document_names(number="numero", title="titre", short_title="titre_court")
    source: SourceRef = SourceRef()


class PersonBase(SQLModel):
    key: Key = Field(unique=True, index=True)
    name: str = Field(min_length=2, max_length=120)
    role: Role = _enum(Role)
    title: str = Field(min_length=1, max_length=300)
    delegation: str = Field(default="", max_length=300)
    axis_number: AxisNumber | None = None
    keywords: Words = _json_list()


class Person(PersonBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)


class PersonIn(PersonBase, ImportItem):
    model_config = document_names(name="nom", title="fonction")
    source: SourceRef = SourceRef()


class PriorityBase(SQLModel):
    key: Key = Field(unique=True, index=True)
    axis_number: AxisNumber | None = None
    theme: str = Field(min_length=1, max_length=300)
    findings: Paragraphs = _json_list()
    items: Paragraphs = _json_list()
    highlight: Paragraph | None = None
    leads: Keys = _json_list()  # Person.key of the officials whose delegation covers it
    keywords: Words = _json_list()


class Priority(PriorityBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)


class PriorityIn(PriorityBase, ImportItem):
    model_config = document_names(findings="constats", items="elements",
                                  highlight="a_retenir", leads="referents")
    source: SourceRef = SourceRef()


class FigureBase(SQLModel):
    key: Key = Field(unique=True, index=True)
    label: str = Field(min_length=1, max_length=300)
    value: str = Field(min_length=1, max_length=60)  # as displayed ("593 434", "8,9")
    unit: str = Field(default="", max_length=60)
    context: str = Field(default="", max_length=600)
    keywords: Words = _json_list()

    @field_validator("value", mode="before")
    @classmethod
    def _value_as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int | float) else value


class Figure(FigureBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)


class FigureIn(FigureBase, ImportItem):
    model_config = document_names(label="libelle", value="valeur", unit="unite",
                                  context="contexte")
    source: SourceRef = SourceRef()


class CommuneFigure(ImportItem):
    """One figure of a commune (stored as a plain dict in `Commune.figures`)."""

    model_config = document_names(label="libelle", value="valeur", unit="unite")

    label: str = Field(min_length=1, max_length=200)
    value: Count | None = None
    unit: str = Field(default="", max_length=60)
    note: str | None = Field(default=None, max_length=300)


class CommuneBase(SQLModel):
    name: str = Field(unique=True, index=True, min_length=1, max_length=100)
    variants: Words = _json_list()


class Commune(CommuneBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    figures: list[dict[str, Any]] = _json_list()  # each a CommuneFigure, dumped


class CommuneIn(CommuneBase, ImportItem):
    model_config = document_names(name="nom", variants="variantes", figures="chiffres")
    figures: list[CommuneFigure] = Field(default=[], max_length=MAX_LIST)
    source: SourceRef = SourceRef()


# A milestone's start as documents write it, in local time.

_START = re.compile(r"^([0-9]{4})-([0-9]{2})(?:-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2}))?)?$")


def parse_start(text: str, tz: tzinfo) -> tuple[datetime, Precision]:
    """'2027-03' / '2027-03-15' / '2027-03-15T10:00' (local time) → aware UTC start, precision.

    A month is anchored on the 1st at 9:00 and a day at 9:00 local time (the reminder time).
    Problems are InvalidValue, in French (not strptime's English).
    """
    match = _START.match(text)
    if match is None:
        raise InvalidValue(f"date de début « {text} » à écrire AAAA-MM, AAAA-MM-JJ ou "
                           "AAAA-MM-JJTHH:MM")
    year, month, day, hour, minute = (int(part) if part else None for part in match.groups())
    if year not in YEARS:
        raise InvalidValue(YEAR_PROBLEM)
    precision = (Precision.MONTH if day is None else Precision.DAY if hour is None
                 else Precision.EXACT)
    try:
        naive = datetime(year, month, day or 1, 9 if hour is None else hour, minute or 0)
    except ValueError:
        raise InvalidValue(f"date de début « {text} » : cette date ou cette heure n'existe "
                           "pas") from None
    return local_to_utc(naive, tz), precision


class SkippedTime(InvalidValue):
    """A local time the clocks jump over when summer time begins: it never happens."""

    def __init__(self, naive: datetime, jump_from: datetime, jump_to: datetime) -> None:
        self.jump_to = jump_to
        super().__init__(
            f"{french_hour(naive)} n'existe pas le {naive:%d/%m/%Y} : cette nuit-là, on passe "
            f"à l'heure d'été et les montres sautent de {french_hour(jump_from)} à "
            f"{french_hour(jump_to)}")


def local_to_utc(naive: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time in `tz` → aware UTC. A time that happens twice (the clocks go back
    over it) is its first occurrence, in summer time, as RFC 5545 reads a local time (so the
    .ics files agree); one that never happens raises SkippedTime, rather than being moved."""
    if not _exists(naive, tz):
        minute = timedelta(minutes=1)
        jump_to = naive
        while not _exists(jump_to, tz):
            jump_to += minute
        gap = naive.replace(tzinfo=tz, fold=1).utcoffset() - naive.replace(
            tzinfo=tz, fold=0).utcoffset()
        raise SkippedTime(naive, jump_to - gap, jump_to)
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def _exists(naive: datetime, tz: tzinfo) -> bool:
    """Whether the wall clock in `tz` ever shows `naive` (not inside a jump forward)."""
    there = naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
    return there.replace(tzinfo=None) == naive


def repeated_time(start: datetime, tz: tzinfo) -> bool:
    """Whether the local time of `start` happens twice that night (the clocks go back)."""
    local = start.astimezone(tz)
    return local.utcoffset() != local.replace(fold=1 - local.fold).utcoffset()


def french_hour(moment: datetime) -> str:
    """'2 h 30', '3 h' (the wall-clock time of `moment` as it is)."""
    return f"{moment.hour} h {moment.minute:02d}" if moment.minute else f"{moment.hour} h"


def format_start(start: datetime, precision: Precision, tz: tzinfo) -> str:
    local = start.astimezone(tz)
    if precision is Precision.MONTH:
        return local.strftime("%Y-%m")
    if precision is Precision.DAY:
        return local.strftime("%Y-%m-%d")
    return local.strftime("%Y-%m-%dT%H:%M")


class MilestoneBase(SQLModel):
    key: Key = Field(unique=True, index=True)
    project: str = Field(min_length=1, max_length=200)
    phase: str = Field(default="", max_length=200)
    title: str = Field(min_length=1, max_length=300)
    approximate: bool = False
    location: str | None = Field(default=None, max_length=300)
    description: str = Field(default="", max_length=1000)
    keywords: Words = _json_list()


class Milestone(MilestoneBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    start: datetime = _ts()
    precision: Precision = _enum(Precision, default=Precision.MONTH)


def _text_of(value: Any) -> str:
    """A date or a time as a document wrote it: YAML reads an unquoted 10:00 as 600 (minutes,
    in base 60) and 2027-03-15 as a date."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    return str(value)


class MilestoneIn(MilestoneBase, ImportItem):
    """Its start is written as /modifier types it: `date` ("2027-03" or "2027-03-15") and,
    when known, `heure` ("10:00"); former documents wrote both as `start`."""

    model_config = document_names(project="projet", phase="etape", title="titre",
                                  approximate="approximatif", location="lieu", start="date")
    start: str  # local time: "2027-03", "2027-03-15" or "2027-03-15T10:00"
    source: SourceRef = SourceRef()

    @model_validator(mode="before")
    @classmethod
    def _date_and_time(cls, data: Any) -> Any:
        """`date` and `heure` → the one start ("2027-03-15T10:00"), read as before."""
        if not isinstance(data, dict) or "date" not in data or "heure" not in data:
            return data  # a lone `heure` is refused as an unknown key
        data = dict(data)
        time, day = data.pop("heure"), data["date"]
        if time not in (None, ""):
            data["date"] = f"{_text_of(day)}T{_text_of(time)}"
        return data

    @field_validator("start", mode="before")
    @classmethod
    def _start_as_text(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            return value.isoformat(timespec="minutes")
        return str(value) if value is not None else value

    @field_validator("start")
    @classmethod
    def _start_format(cls, value: str) -> str:
        parse_start(value, UTC)  # raises on a bad format or year
        return value


class FactBase(SQLModel):
    """General knowledge: acronyms, the seminar itself, quotes."""

    key: Key = Field(unique=True, index=True)
    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=1000)
    keywords: Words = _json_list()


class Fact(FactBase, Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)


class FactIn(FactBase, ImportItem):
    model_config = document_names(title="titre", text="texte")
    source: SourceRef = SourceRef()


class SynonymBase(SQLModel):
    """A word users type, expanded into knowledge-base words, or pinned to one entry."""

    term: str = Field(index=True, min_length=1, max_length=100)
    expansion: str = Field(default="", max_length=300)
    entity: Kind | None = None  # pinned entry kind ("person", "priority", ...)


class Synonym(SynonymBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    entry_id: int | None = None
    created_at: datetime = _ts(default_factory=utcnow)
    updated_at: datetime = _ts(default_factory=utcnow)


class SynonymIn(SynonymBase, ImportItem):
    model_config = document_names(term="terme", entity="entite")
    key: str | None = Field(default=None, max_length=100)  # the pinned entry's natural key


MAX_PASSAGES = 20_000  # passages of one document (a 1,000-page one has about 8,000)
MAX_PASSAGE_CHARS = 2000


class DocumentBase(SQLModel):
    """A document an admin loaded (PDF, Word, Markdown, text): answers quote its passages.
    A new version of the same document (same title or file name) replaces the old one:
    `version` counts them."""

    title: str = Field(index=True, min_length=1, max_length=300)
    filename: str = Field(default="", max_length=300)
    sha256: str = Field(min_length=64, max_length=64)
    pages: int = Field(default=0, ge=0, le=100_000)
    added_by: str = Field(default="", max_length=200)  # the admin's display name
    added_by_id: int | None = Field(default=None, sa_type=BigInteger)
    version: int = Field(default=1, ge=1)


class Document(DocumentBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    added_at: datetime = _ts(default_factory=utcnow)
    replaces: int | None = None  # the id of the version it replaced


class PassageBase(SQLModel):
    """A quotable piece of a document: a few sentences of one page, in reading order."""

    page: int = Field(ge=1, le=100_000)
    text: str = Field(min_length=1, max_length=MAX_PASSAGE_CHARS)
    heading: str = Field(default="", max_length=300)


class Passage(PassageBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    position: int  # order within the document


class PassageIn(PassageBase, ImportItem):
    pass


class DocumentIn(DocumentBase, ImportItem):
    """A document as the export writes it, with its passages in order."""

    added_at: datetime
    passages: list[PassageIn] = Field(default=[], max_length=MAX_PASSAGES)


class Subscriber(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(unique=True, index=True, sa_type=BigInteger)  # groups: -100…
    name: str = ""
    active: bool = True
    offsets: list[int] | None = Field(default=None, sa_column=Column(JSON))  # seconds
    digest: bool = False
    created_at: datetime = _ts(default_factory=utcnow)
    deactivated_at: datetime | None = _ts(default=None)


class Subscription(SQLModel, table=True):
    """What a subscriber follows: everything (topic None) or one project/theme."""

    __table_args__ = (UniqueConstraint("subscriber_id", "topic"),)
    id: int | None = Field(default=None, primary_key=True)
    subscriber_id: int = Field(foreign_key="subscriber.id", index=True)
    topic: str | None = None
    created_at: datetime = _ts(default_factory=utcnow)


class Delivery(SQLModel, table=True):
    """One reminder for (milestone, subscriber, offset): the unique key keeps it single."""

    __table_args__ = (UniqueConstraint("milestone_id", "subscriber_id", "offset_seconds"),)
    id: int | None = Field(default=None, primary_key=True)
    milestone_id: int = Field(index=True)
    subscriber_id: int = Field(index=True)
    offset_seconds: int
    milestone_start: datetime = _ts()  # the start it was computed for
    status: str = "sent"  # sending | sent | failed | skipped
    attempts: int = 0
    sent_at: datetime | None = _ts(default=None)
    owner: str | None = Field(default=None, max_length=100)  # the replica sending it
    parts_sent: int = 0  # leading parts of a long message delivered (scheduler.delivery)
    parts_digest: str = Field(default="", max_length=16)  # their texts' fingerprint


class Replica(SQLModel, table=True):
    """A bot process sharing the database, alive while it refreshes `last_seen`
    (scheduler.replicas: the "sending" deliveries of a silent one are taken over)."""

    id: str = Field(primary_key=True, max_length=100)
    started_at: datetime = _ts(default_factory=utcnow)
    last_seen: datetime = _ts(default_factory=utcnow)


class KnowledgeRevision(SQLModel, table=True):
    """One row, its counter bumped in the transaction of every knowledge change (admin
    change, import, seed): every replica polls it and reloads when it moves."""

    id: int = Field(default=1, primary_key=True)
    revision: int = 0


class UserState(SQLModel, table=True):
    """What a user's conversation with the bot must keep across restarts and replicas
    (bot.persistence: the guided /ajouter draft), as JSON; `revision` orders the writes."""

    user_id: int = Field(primary_key=True, sa_type=BigInteger)
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    revision: int = 0
    updated_at: datetime = _ts(default_factory=utcnow)


class AdminUser(SQLModel, table=True):
    user_id: int = Field(primary_key=True, sa_type=BigInteger)
    added_by: int = Field(sa_type=BigInteger)
    created_at: datetime = _ts(default_factory=utcnow)


MAX_USER_NAME = 130  # Telegram's first and last names (64 each) and a space


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(default_factory=utcnow)
    user_id: int = Field(sa_type=BigInteger)
    user_name: str = Field(default="", max_length=MAX_USER_NAME)  # as Telegram gave it then
    action: str  # create | update | delete | import | undo | admin_add | admin_remove
    entity: str
    entry_id: int | None = Field(default=None, sa_type=BigInteger)  # an admin's: a user id
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    undone: bool = False


class UnansweredQuestion(SQLModel, table=True):
    """Questions the engine could not answer (or barely): the admins' to-do list."""

    id: int | None = Field(default=None, primary_key=True)
    normalized: str = Field(unique=True, index=True)
    text: str
    count: int = 1
    best_score: float = 0.0
    kind: str = "unknown"
    first_asked: datetime = _ts(default_factory=utcnow)
    last_asked: datetime = _ts(default_factory=utcnow)
    resolved: bool = False


KNOWLEDGE_MODELS: dict[str, type[Sourced]] = {
    "axis": Axis,
    "person": Person,
    "priority": Priority,
    "figure": Figure,
    "commune": Commune,
    "milestone": Milestone,
    "fact": Fact,
}

IMPORT_MODELS: dict[str, type[ImportItem]] = {
    "axis": AxisIn,
    "person": PersonIn,
    "priority": PriorityIn,
    "figure": FigureIn,
    "commune": CommuneIn,
    "milestone": MilestoneIn,
    "fact": FactIn,
    "synonym": SynonymIn,
}
