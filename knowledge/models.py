"""The knowledge base schema (SQLModel).

Every knowledge entry records where it comes from (`source_slide`, `source_title`) and
when it was created and last updated. Datetimes are stored as UTC and read back aware.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Enum, TypeDecorator, UniqueConstraint
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
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class Role(StrEnum):
    PRESIDENT = "president"
    VICE_PRESIDENT = "vice_president"
    DELEGATE = "delegate"


class Precision(StrEnum):
    """How precisely a milestone's start is known."""

    EXACT = "exact"  # date and time
    DAY = "day"  # reminded at 9:00 local time
    MONTH = "month"  # reminded on the 1st at 9:00 local time


class Sourced(SQLModel):
    """Fields shared by every knowledge entry."""

    source_slide: int | None = None
    source_title: str = ""
    created_at: datetime = _ts(default_factory=utcnow)
    updated_at: datetime = _ts(default_factory=utcnow)


class Axis(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    title: str
    short_title: str
    keywords: list[str] = _json_list()


class Person(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    role: Role = _enum(Role)
    title: str
    delegation: str = ""
    axis_number: int | None = None
    keywords: list[str] = _json_list()


class Priority(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    axis_number: int | None = None
    theme: str
    findings: list[str] = _json_list()
    items: list[str] = _json_list()
    highlight: str | None = None
    leads: list[str] = _json_list()  # Person.key of the officials whose delegation covers it
    keywords: list[str] = _json_list()


class Figure(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    label: str
    value: str  # as displayed, French format ("593 434", "8,9")
    unit: str = ""
    context: str = ""
    keywords: list[str] = _json_list()


class Commune(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    variants: list[str] = _json_list()
    figures: list[dict[str, Any]] = _json_list()  # {label, value (int|None), unit, note}


class Milestone(Sourced, table=True):
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    project: str
    phase: str = ""
    title: str
    start: datetime = _ts()
    precision: Precision = _enum(Precision, default=Precision.MONTH)
    approximate: bool = False
    location: str | None = None
    description: str = ""
    keywords: list[str] = _json_list()


class Fact(Sourced, table=True):
    """General knowledge: acronyms, the seminar itself, quotes."""

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    title: str
    text: str
    keywords: list[str] = _json_list()


class Synonym(SQLModel, table=True):
    """A word users type, expanded into knowledge-base words, or pinned to one entry."""

    id: int | None = Field(default=None, primary_key=True)
    term: str = Field(index=True)
    expansion: str = ""
    entity: str | None = None  # pinned entry kind ("person", "priority", ...)
    entry_id: int | None = None
    created_at: datetime = _ts(default_factory=utcnow)
    updated_at: datetime = _ts(default_factory=utcnow)


class Subscriber(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(unique=True, index=True)
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


class AdminUser(SQLModel, table=True):
    user_id: int = Field(primary_key=True)
    added_by: int
    created_at: datetime = _ts(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _ts(default_factory=utcnow)
    user_id: int
    action: str  # create | update | delete | import | undo | admin_add | admin_remove
    entity: str
    entry_id: int | None = None
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
