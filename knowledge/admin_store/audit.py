"""The audit trail: a before → after snapshot per change, told in French."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from knowledge import models
from knowledge.admin_store.specs import attr_label
from knowledge.models import Precision
from knowledge.render import french_when
from knowledge.store import mark_knowledge_changed


def snapshot(row: Any) -> dict[str, Any]:
    return row.model_dump(mode="json")


def audit(session: Session, user_id: int, action: str, entity: str, entry_id: int | None,
          before: dict[str, Any] | None, after: dict[str, Any] | None) -> models.AuditEntry:
    """Record a change (every admin change is audited) and bump the knowledge revision in the
    same transaction, so every replica reloads (knowledge.store.mark_knowledge_changed)."""
    mark_knowledge_changed(session)
    entry = models.AuditEntry(user_id=user_id, action=action, entity=entity,
                              entry_id=entry_id, before=before, after=after)
    session.add(entry)
    return entry


def recent_changes(session: Session, limit: int = 15) -> list[models.AuditEntry]:
    stmt = select(models.AuditEntry).order_by(col(models.AuditEntry.id).desc()).limit(limit)
    return list(session.exec(stmt))


_HIDDEN = {"id", "created_at", "updated_at", "precision"}


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
