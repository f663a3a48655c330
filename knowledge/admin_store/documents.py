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


def document_titles(session: Session) -> list[str]:
    """The titles of the documents loaded, the newest first (what answers may quote)."""
    return list(session.exec(select(Document.title).order_by(col(Document.added_at).desc(),
                                                             col(Document.id).desc())))


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
    """Delete a document and its passages, audited (with them: /annuler restores it)."""
    document = get_document(session, document_id)
    audit(session, user_id, "delete", ENTITY, document.id, _kept(session, document), None)
    remove_document(session, document)
    return document


def _kept(session: Session, document: Document) -> dict[str, Any]:
    """A document's audit snapshot with its passages, so that undoing brings it back."""
    return snapshot(document) | {"_passages": [
        {"page": p.page, "text": p.text, "heading": p.heading}
        for p in passages_of(session, document.id)]}


@dataclass
class Version:
    """What loading a document changes: a new one, or a new version of `old`."""

    old: Document | None
    old_passages: list[str]
    pages: int
    passages: list[str]

    @property
    def added(self) -> int:
        """Passages the old version did not have."""
        return len(set(self.passages) - set(self.old_passages))

    @property
    def removed(self) -> int:
        return len(set(self.old_passages) - set(self.passages))


def plan_document(session: Session, read: Any) -> Version:
    """What loading `read` (knowledge.documents.Read) would change (nothing written); the
    same file already loaded is refused."""
    old = same_document(session, read.title, read.filename)
    if old is not None and old.sha256 == read.sha256 and old.title == read.title:
        raise AdminError(f"ce document est déjà chargé, à l'identique (« {old.title} ») : "
                         "rien à changer.")
    old_passages = [p.text for p in passages_of(session, old.id)] if old else []
    return Version(old, old_passages, len(read.pages), [p.text for p in read.passages])


def add_document(session: Session, read: Any, user_id: int, user_name: str,
                 expected_old: int | None) -> Document:
    """Store `read` with its passages, replacing the version it is a new one of; audited
    (the replaced version kept in the audit row, for /annuler). `expected_old` is the id of
    the version the preview showed replaced (None: a new document): refused if it moved."""
    version = plan_document(session, read)
    old = version.old
    if (old.id if old else None) != expected_old:
        raise AdminError("les documents ont changé depuis l'aperçu : rien n'a été "
                         "appliqué. Renvoyez le fichier pour voir le nouvel aperçu.")
    before = _kept(session, old) if old else None
    if old is not None:
        remove_document(session, old)
    document = Document(title=read.title, filename=read.filename, sha256=read.sha256,
                        pages=len(read.pages), added_by=user_name[:200], added_by_id=user_id,
                        version=old.version + 1 if old else 1,
                        replaces=old.id if old else None)
    session.add(document)
    session.flush()
    write_passages(session, document.id, read.passages)
    audit(session, user_id, "update" if old else "create", ENTITY, document.id, before,
          snapshot(document))
    return document


def undo_document(session: Session, last: models.AuditEntry
                  ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Undo an upload (the new document goes, the version it replaced comes back) or a
    deletion; (before, after) for the undo's audit row."""
    current = session.get(Document, last.entry_id) if last.entry_id is not None else None
    before = None
    if last.action in ("create", "update"):
        if current is None or current.sha256 != (last.after or {}).get("sha256"):
            raise AdminError("ce document a été supprimé ou remplacé depuis (voir "
                             "/documents) : rien n'a été annulé.")
        before = _kept(session, current)
        remove_document(session, current)
    restored = _restore(session, last.before) if last.before else None
    return before, snapshot(restored) if restored else None


def _restore(session: Session, data: dict[str, Any]) -> Document:
    clean = {k: v for k, v in data.items() if not k.startswith("_")}
    if session.get(Document, clean.get("id")) is not None:
        clean.pop("id")
    document = Document.model_validate(clean)
    session.add(document)
    session.flush()
    write_passages(session, document.id, [PassageIn(**p) for p in data.get("_passages", [])])
    return document


def write_passages(session: Session, document_id: int, passages: list[Any]) -> None:
    """Store passages (anything with page, text, heading) in order."""
    session.add_all(Passage(document_id=document_id, position=position, page=p.page,
                            text=p.text, heading=p.heading)
                    for position, p in enumerate(passages))
    session.flush()


# ---------------------------------------------------------------------------- export/import


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


# ---------------------------------------------------------------------------- preview

PREVIEW_TOPICS = 8
SAMPLE_CHARS = 220


def preview_lines(read: Any, version: Version) -> list[str]:
    """What loading `read` does, in French plain text (the chat escapes it): title, pages,
    passages, what changes from the old version, the topics it can answer, a sample."""
    lines = [f"« {read.title} » ({read.filename}) : {len(read.pages)} pages, "
             f"{len(read.passages)} passages à citer."]
    if version.old is not None:
        old = version.old
        lines.append(f"Nouvelle version de « {old.title} » (version {old.version + 1}, "
                     f"remplace celle du {old.added_at:%d/%m/%Y}) : pages {old.pages} → "
                     f"{version.pages}, passages : {version.added} nouveaux, {version.removed} "
                     "retirés.")
    if read.headings:
        shown = " ; ".join(_short(h, 60) for h in read.headings[:PREVIEW_TOPICS])
        more = f" (+{len(read.headings) - PREVIEW_TOPICS})" if len(
            read.headings) > PREVIEW_TOPICS else ""
        lines.append(f"Le bot pourra répondre sur : {shown}{more}.")
    sample = read.passages[0]
    lines.append(f"Exemple (page {sample.page}) : « {_short(sample.text, SAMPLE_CHARS)} »")
    return lines


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1].rsplit(" ", 1)[0] + "…"
