"""Documents in the base: listed, added (a new version replaces the old one), deleted with
their passages, exported and imported; every change audited (entity "document")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, delete, func, or_, select

from knowledge import models
from knowledge.admin_store.audit import audit, snapshot
from knowledge.admin_store.specs import AdminError
from knowledge.models import Document, DocumentIn, Passage, PassageIn

ENTITY = "document"


@dataclass
class Listed:
    """A document as /documents lists it."""

    document: Document
    passages: int


def list_documents(session: Session) -> list[Listed]:
    """Every document, the newest first, with its count of passages."""
    counts = dict(session.exec(select(Passage.document_id, func.count())
                               .group_by(Passage.document_id)).all())
    rows = session.exec(select(Document).order_by(col(Document.added_at).desc(),
                                                  col(Document.id).desc()))
    return [Listed(row, counts.get(row.id, 0)) for row in rows]


def get_document(session: Session, document_id: int) -> Document:
    document = session.get(Document, document_id)
    if document is None:
        raise AdminError(f"aucun document n°{document_id} : il a peut-être déjà été supprimé "
                         "(voir /documents).")
    return document


def passages_of(session: Session, document_id: int) -> list[Passage]:
    return list(session.exec(select(Passage).where(Passage.document_id == document_id)
                             .order_by(col(Passage.position))))


def same_document(session: Session, title: str, filename: str) -> Document | None:
    """The document a new upload is a new version of: same title, or same file name."""
    same = [Document.title == title]
    if filename:
        same.append(Document.filename == filename)
    return session.exec(select(Document).where(or_(*same))
                        .order_by(col(Document.id).desc())).first()


def remove_document(session: Session, document: Document) -> None:
    """Delete a document and its passages (the foreign key cascades too; this does not
    depend on it)."""
    session.exec(delete(Passage).where(col(Passage.document_id) == document.id))  # type: ignore[call-overload]
    session.delete(document)
    session.flush()


def delete_document(session: Session, document_id: int, user_id: int) -> Document:
    """Delete a document and its passages, audited."""
    document = get_document(session, document_id)
    audit(session, user_id, "delete", ENTITY, document.id, snapshot(document), None)
    remove_document(session, document)
    return document


def write_passages(session: Session, document_id: int, passages: list[Any]) -> None:
    """Store passages (anything with page, text, heading) in order."""
    session.add_all(Passage(document_id=document_id, position=position, page=p.page,
                            text=p.text, heading=p.heading)
                    for position, p in enumerate(passages))
    session.flush()


# ---------------------------------------------------------------------------- export/import


def export_documents(session: Session) -> list[dict[str, Any]]:
    """Every document with its passages, as the export writes them (oldest first)."""
    rows = session.exec(select(Document).order_by(col(Document.id)))
    return [DocumentIn(**row.model_dump(exclude={"id", "replaces"}), passages=[
        PassageIn(page=p.page, text=p.text, heading=p.heading)
        for p in passages_of(session, row.id)]).model_dump(mode="json") for row in rows]


def _identity(document: Document | DocumentIn) -> tuple[str, str]:
    return document.title, document.sha256


@dataclass
class DocumentOps:
    add: list[DocumentIn]
    remove: list[Document]
    total: int


def diff_documents(session: Session, incoming: list[DocumentIn]) -> DocumentOps:
    """What importing `incoming` does to the documents: same title and content are kept."""
    current = {_identity(row): row for row in session.exec(select(Document))}
    new = {_identity(item): item for item in incoming}
    return DocumentOps(add=[item for key, item in new.items() if key not in current],
                       remove=[row for key, row in current.items() if key not in new],
                       total=len(current))


def apply_documents(session: Session, ops: DocumentOps, user_id: int) -> None:
    """Apply `diff_documents`' result in the caller's transaction, one audit row each."""
    for row in ops.remove:
        audit(session, user_id, "import", ENTITY, row.id, snapshot(row), None)
        remove_document(session, row)
    for item in ops.add:
        row = Document(**item.model_dump(exclude={"passages"}))
        session.add(row)
        session.flush()
        write_passages(session, row.id, item.passages)
        audit(session, user_id, "import", ENTITY, row.id, None, snapshot(row))


def document_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(models.Document)).one()
