"""knowledge.admin_store.documents: documents deleted with their passages, in the backup."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from admin_helpers import ADMIN, as_bytes, audits, exported, state
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError
from knowledge.admin_store import documents as docs
from knowledge.store import transaction

SHA = "a" * 64


def add(db: Engine, title: str = "Compte rendu du conseil", sha: str = SHA,
        texts: tuple[str, ...] = ("Le conseil a voté le budget.", "La séance est levée.")
        ) -> int:
    with transaction(db) as session:
        row = models.Document(title=title, filename="cr.pdf", sha256=sha, pages=2,
                              added_by="Alice", added_by_id=ADMIN)
        session.add(row)
        session.flush()
        docs.write_passages(session, row.id, [
            models.PassageIn(page=number + 1, text=text) for number, text in enumerate(texts)])
        return row.id


def passages(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(select(func.count()).select_from(models.Passage)).one()


def test_deleting_a_document_removes_its_passages_and_is_audited(db: Engine) -> None:
    kept = add(db, "Autre document", "b" * 64, ("Rien à voir.",))
    gone = add(db)
    assert passages(db) == 3
    with transaction(db) as session:
        docs.delete_document(session, gone, ADMIN)
    assert passages(db) == 1
    with Session(db) as session:
        assert [row.document.id for row in docs.list_documents(session)] == [kept]
    last = audits(db)[-1]
    assert (last.action, last.entity, last.entry_id) == ("delete", "document", gone)
    assert last.before["title"] == "Compte rendu du conseil"


def test_deleting_an_unknown_document_changes_nothing(db: Engine, tz: ZoneInfo) -> None:
    add(db)
    before = state(db, tz)
    with pytest.raises(AdminError, match="aucun document n°999"), transaction(db) as session:
        docs.delete_document(session, 999, ADMIN)
    assert state(db, tz) == before


def test_documents_and_passages_go_through_export_and_import(db: Engine, tz: ZoneInfo) -> None:
    add(db)
    data = exported(db, tz)
    [document] = data["documents"]
    assert document["title"] == "Compte rendu du conseil"
    assert [p["page"] for p in document["passages"]] == [1, 2]
    before = state(db, tz)
    parsed = store.parse_import(as_bytes(data))
    with transaction(db) as session:
        assert store.apply_import(session, parsed, tz, ADMIN).empty  # nothing to change
    assert state(db, tz) == before

    with transaction(db) as session:  # the base loses it; the backup brings it back
        docs.delete_document(session, document_id(db), ADMIN)
    with transaction(db) as session:
        plan = store.apply_import(session, parsed, tz, ADMIN)
    assert [d.added for d in plan.diffs if d.entity == "document"] == [
        ["Compte rendu du conseil"]]
    assert passages(db) == 2


def test_a_backup_without_documents_leaves_them(db: Engine, tz: ZoneInfo) -> None:
    add(db)
    data = exported(db, tz)
    del data["documents"]  # a backup made before documents existed
    with transaction(db) as session:
        plan = store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    assert plan.empty and passages(db) == 2


def test_a_backup_emptying_the_documents_needs_allow_deletions(db: Engine, tz: ZoneInfo) -> None:
    add(db)
    data = exported(db, tz)
    data["documents"] = []
    parsed = store.parse_import(as_bytes(data))
    with pytest.raises(AdminError, match="document 1 sur 1"), transaction(db) as session:
        store.apply_import(session, parsed, tz, ADMIN)
    assert passages(db) == 2
    with transaction(db) as session:
        store.apply_import(session, parsed, tz, ADMIN, allow_deletions=True)
    assert passages(db) == 0


def document_id(db: Engine) -> int:
    with Session(db) as session:
        return session.exec(select(models.Document.id)).one()
