"""The audit trail: a before → after snapshot per change, told in French."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from knowledge import models
from knowledge.admin_store.specs import ENTITIES, KIND_NAMES, ROLE_WORDS, attr_display
from knowledge.models import MAX_USER_NAME, Precision
from knowledge.render import french_when
from knowledge.store import mark_knowledge_changed
from knowledge.text import storable


def snapshot(row: Any) -> dict[str, Any]:
    return row.model_dump(mode="json")


def clean_name(name: str) -> str:
    """A person's name as Telegram gave it, fit to store: one line, bounded."""
    return " ".join(storable(name).split())[:MAX_USER_NAME]


def audit(session: Session, user_id: int, action: str, entity: str, entry_id: int | None,
          before: dict[str, Any] | None, after: dict[str, Any] | None,
          by: str = "") -> models.AuditEntry:
    """Record a change (every admin change is audited) made by `user_id`, named `by`, and bump
    the knowledge revision in the same transaction, so every replica reloads
    (knowledge.store.mark_knowledge_changed)."""
    mark_knowledge_changed(session)
    entry = models.AuditEntry(user_id=user_id, user_name=clean_name(by), action=action,
                              entity=entity, entry_id=entry_id, before=before, after=after)
    session.add(entry)
    return entry


def recent_changes(session: Session, limit: int = 15, offset: int = 0,
                   newest: int | None = None) -> list[models.AuditEntry]:
    """The audit rows, newest first; `newest`: the id of the newest one to include (pages
    stay put while changes are made)."""
    stmt = select(models.AuditEntry).order_by(col(models.AuditEntry.id).desc())
    if newest is not None:
        stmt = stmt.where(col(models.AuditEntry.id) <= newest)
    return list(session.exec(stmt.offset(offset).limit(limit)))


def count_changes(session: Session, newest: int | None = None) -> int:
    stmt = select(func.count()).select_from(models.AuditEntry)
    if newest is not None:
        stmt = stmt.where(col(models.AuditEntry.id) <= newest)
    return session.exec(stmt).one()


def known_names(session: Session, user_ids: set[int]) -> dict[int, str]:
    """The latest name recorded for each of `user_ids` that has one (a row written before
    names were recorded is named after a later row of the same person)."""
    row = models.AuditEntry
    latest = (select(func.max(row.id)).where(col(row.user_id).in_(user_ids), row.user_name != "")
              .group_by(row.user_id))
    stmt = select(row.user_id, row.user_name).where(col(row.id).in_(latest))
    return dict(session.exec(stmt).all())


_HIDDEN = {"id", "created_at", "updated_at", "precision"}


def changes_between(entity: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
                    tz: ZoneInfo) -> list[tuple[str, str, str]]:
    """(field, before, after) texts for an audit row (only what differs), the fields admins
    type first, in /champs order."""
    before, after = before or {}, after or {}
    rows = []
    for attr in _in_form_order(entity, dict.fromkeys([*before, *after])):
        if attr in _HIDDEN or attr.startswith("_") or _same(attr, before, after):
            continue
        old, new = _audit_value(attr, before, tz), _audit_value(attr, after, tz)
        if old != new:
            rows.append((attr_display(entity, attr), old, new))
    return rows


def _in_form_order(entity: str, attrs: Iterable[str]) -> list[str]:
    spec = ENTITIES.get(entity)
    typed = list(dict.fromkeys(f.attr for f in spec.fields)) if spec else []
    return sorted(attrs, key=lambda attr: typed.index(attr) if attr in typed else len(typed))


def _same(attr: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    if attr == "start":  # a start is told with its precision
        return all(before.get(a) == after.get(a) for a in ("start", "precision"))
    return before.get(attr) == after.get(attr)


EMPTY = "(vide)"
_WORD_LISTS = {"keywords", "variants"}  # written "a, b" (other lists "a | b", as typed)


def _audit_value(attr: str, data: dict[str, Any], tz: ZoneInfo) -> str:
    """A field's value in an audited snapshot, told in French as admins type it."""
    value = data.get(attr)
    if value is None or value == "" or value == []:
        return EMPTY
    if attr == "start":
        start = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        return french_when(start, Precision(data.get("precision", "exact")), tz)
    if attr == "role":
        return ROLE_WORDS.get(value, str(value))
    if attr == "entity":  # the kind of entry a synonym leads to
        return KIND_NAMES.get(value, str(value))
    if isinstance(value, list):
        return (", " if attr in _WORD_LISTS else " | ").join(_item_text(v) for v in value)
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _item_text(item: Any) -> str:
    """A list item: a commune's figure ({label, value, unit, note}) as a phrase."""
    if not isinstance(item, dict):
        return str(item)
    amount = " ".join(str(item[k]) for k in ("value", "unit") if item.get(k) not in (None, ""))
    return f"{item.get('label', '')} : {amount or EMPTY}"
