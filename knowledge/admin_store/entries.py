"""Adding, changing and deleting entries from typed fields; each change audited."""

from __future__ import annotations

import re
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlmodel import Session, select

from knowledge import models, seed
from knowledge.admin_store.audit import audit, clean_name, snapshot
from knowledge.admin_store.dates import milestone_parts, milestone_start, parse_date
from knowledge.admin_store.fields import convert, field_text
from knowledge.admin_store.specs import (
    KIND_NAMES,
    AdminError,
    EntitySpec,
    attr_label,
    field_error,
)
from knowledge.models import utcnow
from knowledge.render import french_when, short
from knowledge.text import fold


def values_for_create(session: Session, spec: EntitySpec, raw: dict[str, str],
                      tz: ZoneInfo) -> dict[str, Any]:
    """All the model attributes of a new entry (validated), from typed French fields."""
    for required in spec.required:
        if not raw.get(required.name, "").strip():
            raise field_error(required, "ce champ est obligatoire")
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
        refuse_duplicate_synonym(session, values["term"], None, None)
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
        day, at = milestone_parts(row, tz)
        if "heure" not in converted and "date" in converted and converted["date"][2] is None:
            at = None  # moved to a month only: the old time no longer applies
        values["start"], values["precision"] = milestone_start(
            converted.get("date", day), converted.get("heure", at), tz)
    return {attr: value for attr, value in values.items() if getattr(row, attr) != value}


def _attrs(spec: EntitySpec, converted: dict[str, Any]) -> dict[str, Any]:
    return {spec.field(name).attr: value for name, value in converted.items()
            if spec.field(name).attr != "start"}


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


def snapshot_title(spec: EntitySpec, data: dict[str, Any] | None, tz: ZoneInfo) -> str:
    """`entry_title` of an audited snapshot ("" if it cannot be read back: an older shape)."""
    clean = {k: v for k, v in (data or {}).items() if not k.startswith("_")}
    try:
        return entry_title(spec, spec.model.model_validate(clean), tz) if clean else ""
    except (ValidationError, ValueError, TypeError, AttributeError):
        return ""


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


def slugify(text: str, limit: int = 50) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:limit].strip("-") or "entree"


def unique_key(session: Session, model: Any, text: str) -> str:
    base = slugify(text)
    key, number = base, 2
    while session.exec(select(model.id).where(model.key == key)).first() is not None:
        key, number = f"{base}-{number}", number + 1
    return key


def admin_source(tz: ZoneInfo, action: str = "ajouté", by: str = "") -> str:
    """The source an entry an admin wrote cites: 'ajouté par Alice Martin le 15/03/2027'
    ('par un administrateur' when the admin's name is not known)."""
    who = clean_name(by) or "un administrateur"
    return f"{action} par {who} le {utcnow().astimezone(tz):%d/%m/%Y}"


def create_entry(session: Session, spec: EntitySpec, raw: dict[str, str], user_id: int,
                 tz: ZoneInfo, by: str = "", source: str = "") -> Any:
    """Add an entry from typed fields; audited; its source is `source` (a document's page),
    else cites `by`, the admin's name. Returns the new row (with its id)."""
    values = values_for_create(session, spec, raw, tz)
    if spec.kind == "synonym":
        refuse_duplicate_synonym(session, values["term"], None, None)
    else:
        values["key"] = unique_key(session, spec.model, values[spec.title_attr])
        values.update(source_slide=None, source_title=source or admin_source(tz, by=by))
    row = spec.model(**values)
    check_exportable(spec, row, tz)
    session.add(row)
    session.flush()
    audit(session, user_id, "create", spec.name, row.id, None, snapshot(row), by)
    return row


def update_entry(session: Session, spec: EntitySpec, entry_id: int, raw: dict[str, str],
                 user_id: int, tz: ZoneInfo, by: str = "") -> tuple[Any, dict[str, Any]]:
    """Change the given fields only (field-level last-writer-wins); audited (`by`: the
    admin's name).

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
        refuse_duplicate_synonym(session, row.term, row.entity, row.entry_id, row.id)
    check_exportable(spec, row, tz)
    row.updated_at = utcnow()
    session.add(row)
    session.flush()
    audit(session, user_id, "update", spec.name, row.id, before, snapshot(row), by)
    return row, before


def delete_entry(session: Session, spec: EntitySpec, entry_id: int, user_id: int,
                 expected_stamp: str | None = None, by: str = "") -> dict[str, Any]:
    """Delete an entry, the synonyms pinned to it and its mentions as a referent; audited.

    With `expected_stamp`, refuses if the entry changed since it was shown.
    """
    row = get_entry(session, spec, entry_id)
    if expected_stamp is not None and stamp(row) != expected_stamp:
        raise AdminError(f"ce {spec.name} a été modifié entre-temps (voir /journal) : "
                         "rien n'a été supprimé, relancez /supprimer si besoin.")
    before = snapshot(row) | {"_cascade": detach(session, spec, row)}
    session.delete(row)
    session.flush()
    audit(session, user_id, "delete", spec.name, entry_id, before, None, by)
    return before


def detach(session: Session, spec: EntitySpec, row: Any) -> dict[str, Any]:
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


def refuse_duplicate_synonym(session: Session, term: str, entity: str | None,
                              entry_id: int | None, own_id: int | None = None) -> None:
    stmt = select(models.Synonym).where(models.Synonym.term == term,
                                        models.Synonym.entity == entity,
                                        models.Synonym.entry_id == entry_id)
    for existing in session.exec(stmt):
        if existing.id != own_id:
            raise AdminError(f"le synonyme « {short(term)} » existe déjà (#{existing.id}) : "
                             f"modifiez-le avec /modifier synonyme {existing.id} expansion=…")


def check_exportable(spec: EntitySpec, row: Any, tz: ZoneInfo) -> None:
    """Validate the entry as an import would read its export: one validation for both paths."""
    try:
        models.IMPORT_MODELS[spec.kind].model_validate(seed.item_data(spec.kind, row, tz))
    except ValidationError as exc:
        error = exc.errors()[0]
        raise AdminError(f"« {_document_field(spec, error['loc'])} » : "
                         f"{seed.french_error(error)}.") from None


def _document_field(spec: EntitySpec, loc: tuple) -> str:
    """The admin's name for the field a document error is about ('axis' → 'axe')."""
    model = models.IMPORT_MODELS[spec.kind]
    attr = next((name for name in model.model_fields if loc[0] in models.names_of(model, name)),
                loc[0])
    return attr_label(spec.name, str(attr))
