"""Imports diffed by natural key (ids stay stable), applied with one audit row per entry."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

import knowledge.admin_store.documents as docs
from knowledge import models, seed
from knowledge.admin_store.audit import audit, snapshot
from knowledge.admin_store.entries import admin_source
from knowledge.admin_store.specs import KIND_NAMES, AdminError, attr_label
from knowledge.models import utcnow
from knowledge.render import short
from knowledge.seed import Document, SeedError
from knowledge.store import knowledge_version


def parse_import(data: bytes, max_bytes: int = seed.MAX_BACKUP_BYTES) -> Document:
    """Validate an uploaded document (a backup: documents included, hence `max_bytes`);
    SeedError (French, with line numbers) otherwise.

    An import replaces the base section by section, so a section missing from the document
    is refused rather than read as "delete every entry of it": an export writes every
    section, and one that is missing means a cut-short or hand-made file.
    """
    try:
        document = seed.parse_document(data, max_bytes)
    except RecursionError:
        raise SeedError("document trop imbriqué pour être lu") from None
    if missing := seed.missing_sections(document):
        raise SeedError(f"section(s) absente(s) du document : {', '.join(missing)}. Un import "
                        "remplace toute la base, section par section : un document coupé ou "
                        "incomplet supprimerait leurs entrées. Partez d'un export complet ; "
                        f"pour vider une section, écrivez-la vide (« {missing[0]}: [] »).")
    return document


_COMPARED_SKIP = {"id", "created_at", "updated_at"}


def _compared(model: Any) -> list[str]:
    return [name for name in model.model_fields if name not in _COMPARED_SKIP]


@dataclass
class EntityDiff:
    entity: str  # French name
    added: list[str] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # key, fields
    removed: list[str] = field(default_factory=list)
    total: int = 0  # entries of this kind in the base before the import

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    @property
    def loses_most(self) -> bool:
        """The import would delete more than half of this kind's entries."""
        return len(self.removed) * 2 > self.total


@dataclass
class ImportPlan:
    diffs: list[EntityDiff]
    version: str  # the knowledge tables' fingerprint, as text: kept with a pending /import

    @property
    def empty(self) -> bool:
        return all(diff.count == 0 for diff in self.diffs)

    @property
    def removed(self) -> int:
        return sum(len(diff.removed) for diff in self.diffs)

    @property
    def mass_deletions(self) -> list[EntityDiff]:
        """The kinds that would lose most of their entries: an import that empties a
        section is refused unless explicitly allowed (a wrong file must not wipe the base)."""
        return [diff for diff in self.diffs if diff.removed and diff.loses_most]


def mass_deletion_warning(plan: ImportPlan) -> str:
    """What a mass deletion would remove, in French: the whole base, or which sections."""
    sections = ", ".join(f"{diff.entity} {len(diff.removed)} sur {diff.total}"
                         for diff in plan.mass_deletions)
    total = sum(diff.total for diff in plan.diffs)
    if plan.removed * 2 > total:
        return (f"cet import supprimerait la plus grande partie de la base : {plan.removed} "
                f"entrées sur {total} ({sections})")
    return (f"cet import supprimerait la plupart des entrées de : {sections} (en tout "
            f"{plan.removed} entrées sur {total})")


@dataclass
class _Ops:
    """What applying a document does, per kind: rows to add, (row, new) pairs, rows to drop."""

    add: list[Any] = field(default_factory=list)
    change: list[tuple[Any, Any, list[str]]] = field(default_factory=list)
    remove: list[Any] = field(default_factory=list)
    total: int = 0  # rows of this kind before the import


def plan_import(session: Session, document: Document, tz: ZoneInfo) -> ImportPlan:
    """What importing `document` would add, change and remove, per entity (nothing written)."""
    ops, synonyms = _diff(session, document, tz)
    return _summary(session, ops, synonyms, _diff_documents(session, document))


def apply_import(session: Session, document: Document, tz: ZoneInfo, user_id: int,
                 expected_version: str | None = None, *,
                 allow_deletions: bool = False, by: str = "") -> ImportPlan:
    """Apply a document in the caller's transaction, one audit row per entry touched (by
    `user_id`, named `by`).

    With `expected_version` (the plan's), refuses if the base changed since the preview;
    without `allow_deletions`, refuses to delete most entries of a kind (`mass_deletions`).
    """
    ops, synonyms = _diff(session, document, tz)
    documents = _diff_documents(session, document)
    plan = _summary(session, ops, synonyms, documents)
    if expected_version is not None and plan.version != expected_version:
        raise AdminError("la base a changé depuis l'aperçu de l'import : rien n'a été "
                         "appliqué. Renvoyez le fichier pour voir le nouvel aperçu.")
    if plan.mass_deletions and not allow_deletions:
        raise AdminError(f"{mass_deletion_warning(plan)} : rien n'a été appliqué.")
    now = utcnow()
    for kind, op in ops.items():
        _apply_ops(session, kind, op, user_id, by, now)
    session.flush()
    _apply_synonyms(session, synonyms, user_id, by, now)
    if documents is not None:
        docs.apply_documents(session, documents, user_id)
    session.flush()
    return plan


def _diff_documents(session: Session, document: Document) -> docs.DocumentOps | None:
    """The documents' changes, when the file writes the section (a backup made before
    documents existed leaves them as they are)."""
    if "documents" not in document.model_fields_set:
        return None
    return docs.diff_documents(session, document.documents)


def _summary(session: Session, ops: dict[str, _Ops], synonyms: _Ops,
             documents: docs.DocumentOps | None) -> ImportPlan:
    diffs = [
        EntityDiff(KIND_NAMES[kind], [seed.natural_key(kind, r) for r in op.add],
                   [(seed.natural_key(kind, row), _labels(KIND_NAMES[kind], changed))
                    for row, _, changed in op.change],
                   [seed.natural_key(kind, r) for r in op.remove], op.total)
        for kind, op in ops.items()
    ]
    diffs.append(EntityDiff("synonyme", [item.term for item in synonyms.add],
                            [(row.term, ["expansion"]) for row, _, _ in synonyms.change],
                            [row.term for row in synonyms.remove], synonyms.total))
    if documents is not None and (documents.total or documents.add):  # none, none to add
        diffs.append(EntityDiff(docs.ENTITY, [item.title for item in documents.add], [],
                                [row.title for row in documents.remove], documents.total))
    return ImportPlan(diffs, repr(knowledge_version(session)))


def _apply_ops(session: Session, kind: str, op: _Ops, user_id: int, by: str,
               now: datetime) -> None:
    entity = KIND_NAMES[kind]
    for row in op.remove:
        audit(session, user_id, "import", entity, row.id, snapshot(row), None, by)
        session.delete(row)
    for row, new, changed in op.change:
        before = snapshot(row)
        for attr in changed:
            setattr(row, attr, getattr(new, attr))
        row.updated_at = now
        session.add(row)
        session.flush()
        audit(session, user_id, "import", entity, row.id, before, snapshot(row), by)
    for row in op.add:
        session.add(row)
        session.flush()
        audit(session, user_id, "import", entity, row.id, None, snapshot(row), by)


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
        _cite_sources(new, current, tz)
        op = _Ops(add=[row for key, row in new.items() if key not in current],
                  remove=[row for key, row in current.items() if key not in new],
                  total=len(current))
        for key, row in current.items():
            if key in new:
                changed = [a for a in _compared(model) if getattr(row, a) != getattr(new[key], a)]
                if changed:
                    op.change.append((row, new[key], changed))
        ops[kind] = op
    return ops, _diff_synonyms(session, document, ops)


def _cite_sources(new: dict[str, Any], current: dict[str, Any], tz: ZoneInfo) -> None:
    """An imported entry naming no source keeps its own, or cites the admin who imported it
    (every answer cites a source, whoever wrote the entry)."""
    for key, row in new.items():
        if row.source_slide is None and not row.source_title:
            old = current.get(key)
            row.source_slide = old.source_slide if old else None
            row.source_title = old.source_title if old else admin_source(tz, "importé")


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
            raise SeedError(f"synonyme « {short(item.term)} » : entrée {item.entity} "
                            f"« {short(item.key or '')} » inconnue")
        new[(item.term, item.entity, item.key if item.entity else None)] = item
    op = _Ops(add=[item for key, item in new.items() if key not in current],
              remove=[row for key, row in current.items() if key not in new],
              total=len(current))
    op.change = [(row, new[key], ["expansion"]) for key, row in current.items()
                 if key in new and row.expansion != new[key].expansion]
    return op


def _apply_synonyms(session: Session, op: _Ops, user_id: int, by: str,
                    now: datetime) -> None:
    ids = {kind: {seed.natural_key(kind, row): row.id for row in session.exec(select(model))}
           for kind, model in models.KNOWLEDGE_MODELS.items()}
    for row in op.remove:
        audit(session, user_id, "import", "synonyme", row.id, snapshot(row), None, by)
        session.delete(row)
    for row, item, _ in op.change:
        before = snapshot(row)
        row.expansion, row.updated_at = item.expansion, now
        session.add(row)
        session.flush()
        audit(session, user_id, "import", "synonyme", row.id, before, snapshot(row), by)
    for item in op.add:
        entry_id = ids[item.entity].get(item.key or "") if item.entity else None
        row = models.Synonym(term=item.term, expansion=item.expansion, entity=item.entity,
                             entry_id=entry_id)
        session.add(row)
        session.flush()
        audit(session, user_id, "import", "synonyme", row.id, None, snapshot(row), by)


def export_document(session: Session, tz: ZoneInfo) -> str:
    """The whole knowledge base as YAML, in the seed's format."""
    return seed.dump_yaml(seed.dump_document(session, tz))
