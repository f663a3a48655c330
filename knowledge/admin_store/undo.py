"""Undoing an admin's own latest change, if nobody changed the entry since."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import Session, col, select

import knowledge.admin_store.documents as documents
from knowledge import models
from knowledge.admin_store.audit import audit, snapshot
from knowledge.admin_store.entries import detach
from knowledge.admin_store.specs import ENTITIES, AdminError, EntitySpec
from knowledge.models import utcnow
from knowledge.seed import french_error


@dataclass
class Undone:
    entity: str
    entry_id: int | None
    action: str  # the action that was undone
    before: dict[str, Any] | None = None  # the entry before the undo (None: it did not exist)
    after: dict[str, Any] | None = None  # and after it (None: it no longer exists)


def last_change(session: Session, user_id: int) -> models.AuditEntry:
    """This admin's own latest change, the one /annuler undoes (AdminError: none, or an
    import, which /annuler does not undo)."""
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
    return last


def undo_problem(session: Session, last: models.AuditEntry) -> str | None:
    """Why `last` cannot be undone now (None: it can): someone changed the entry since, or
    another entry took the key of the deleted one."""
    if last.entity == documents.ENTITY:
        return None  # undo_document says why, when the document changed since
    spec = ENTITIES[last.entity]
    row = session.get(spec.model, last.entry_id) if last.entry_id is not None else None
    if last.action == "delete":
        return _key_taken(session, spec, last.before or {})
    if row is None or _content(snapshot(row)) != _content(last.after):
        return (f"{spec.words['this']} a été modifié{spec.words['e']} depuis par quelqu'un "
                "d'autre (voir /journal) : rien n'a été annulé.")
    return None


def undo_last(session: Session, user_id: int, tz: ZoneInfo, expected: int | None = None,
              by: str = "") -> Undone:
    """Undo this admin's own latest change, if nobody changed the entry since; audited (`by`:
    the admin's name). `expected`: the audit id of the change the admin was shown, refused if
    it is no longer their latest."""
    last = last_change(session, user_id)
    if expected is not None and last.id != expected:
        raise AdminError("ce n'est plus votre dernière modification (vous en avez fait une "
                         "autre depuis) : rien n'a été annulé. Retapez /annuler pour voir "
                         "celle qui le serait.")
    problem = undo_problem(session, last)
    if problem is not None:
        raise AdminError(problem)
    if last.entity == documents.ENTITY:
        name = documents.ENTITY
        before, after = documents.undo_document(session, last)
    else:
        spec = ENTITIES[last.entity]
        name = spec.name
        before, after = _undo_entry(session, spec, last)
    last.undone = True
    session.add(last)
    audit(session, user_id, "undo", name, last.entry_id, before, after, by)
    return Undone(name, last.entry_id, last.action, before, after)


def _undo_entry(session: Session, spec: EntitySpec, last: models.AuditEntry
                ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    row = session.get(spec.model, last.entry_id) if last.entry_id is not None else None
    if last.action == "delete":
        restored = _restore(session, spec, last.before or {}, keep_id=row is None)
        return None, snapshot(restored)
    before = snapshot(row)
    if last.action == "create":
        before |= {"_cascade": detach(session, spec, row)}
        session.delete(row)
        return before, None
    typed = _typed(spec.model, last.before or {})
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


def _key_taken(session: Session, spec: EntitySpec, data: dict[str, Any]) -> str | None:
    """A deleted entry cannot come back when another one now has its key."""
    if spec.kind == "synonym" or session.exec(select(spec.model).where(
            spec.model.key == data.get("key"))).first() is None:
        return None
    return "une autre entrée porte désormais la même clé : rien n'a été rétabli."


def _restore(session: Session, spec: EntitySpec, data: dict[str, Any], keep_id: bool) -> Any:
    """Re-create a deleted entry (same id when still free) and what pointed at it."""
    cascade = data.get("_cascade") or {}
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    if not keep_id:
        clean.pop("id", None)
    row = _typed(spec.model, clean)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    for synonym in cascade.get("synonyms", []):
        restored = _typed(models.Synonym, {**synonym, "entry_id": row.id})
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


def _typed(model: Any, data: dict[str, Any]) -> Any:
    """An audited snapshot back into a row; one that today's rules refuse is not restored."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"])
        raise AdminError(f"l'état enregistré ne respecte plus les règles actuelles ({field} : "
                         f"{french_error(error)}) : rien n'a été annulé.") from None
