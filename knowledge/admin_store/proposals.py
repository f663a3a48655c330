"""Dates found in a document (knowledge.document_dates) made milestones.

A proposal is read again from the stored passages each time (its index in
`find_dates`' list names it), written as the fields /ajouter jalon takes, and added through
the same `create_entry`: validated, audited, undone by /annuler, reminded like any other.
Its source cites the document's page; an admin's corrections (`edits`, typed fields) go
over the fields found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from knowledge import models
from knowledge.admin_store.dates import milestone_start, typed_time
from knowledge.admin_store.documents import get_document
from knowledge.admin_store.entries import create_entry, preview_entry
from knowledge.admin_store.fields import check_length, parse_assignments, split_words
from knowledge.admin_store.specs import ENTITIES, AdminError
from knowledge.document_dates import Proposal, find_dates, upcoming
from knowledge.render import french_when, short
from knowledge.text import storable

JALON = ENTITIES["jalon"]
DESCRIPTION_CHARS = 300


@dataclass
class Found:
    """A document and the dates its passages announce (`find_dates`' list)."""

    document: models.Document
    proposals: list[Proposal]

    def proposal(self, index: int) -> Proposal:
        if not 0 <= index < len(self.proposals):
            raise AdminError("cette date n'est plus dans le document : rien n'a été ajouté.")
        return self.proposals[index]

    def source(self, index: int) -> str:
        """« <titre du document>, page N », within a source's 300 characters."""
        page = f", page {self.proposal(index).page}"
        return short(self.document.title, 300 - len(page)) + page


def document_dates(session: Session, document_id: int) -> Found:
    document = get_document(session, document_id)
    passages = session.exec(select(models.Passage.page, models.Passage.text)
                            .where(models.Passage.document_id == document_id)
                            .order_by(col(models.Passage.position)))  # rows, not objects
    return Found(document, find_dates(passages))


def proposal_form(found: Found, index: int, edits: dict[str, str] | None = None
                  ) -> dict[str, str]:
    """The fields of /ajouter jalon for a proposal, the admin's `edits` over them; its
    project is the document."""
    proposal = found.proposal(index)
    year, month, day = proposal.day
    form = {"titre": proposal.title, "projet": short(found.document.title, 200),
            "date": f"{day:02d}/{month:02d}/{year}",
            "description": short(proposal.sentence, DESCRIPTION_CHARS)}
    if proposal.at is not None:
        form["heure"] = typed_time(proposal.at)
    if proposal.place:
        form["lieu"] = proposal.place
    return form | (edits or {})


def preview_proposal(session: Session, found: Found, index: int,
                     edits: dict[str, str] | None, tz: ZoneInfo) -> models.Milestone:
    """The milestone a proposal would be (validated, not saved)."""
    return preview_entry(session, JALON, proposal_form(found, index, edits), tz)


def typed_edits(text: str) -> dict[str, str]:
    """An admin's correction: fields as /modifier takes them (titre="…" date=… heure=…
    lieu="…"), or, without any « = », a new title."""
    words = split_words(text)
    if words and "=" not in words[0]:
        title = storable(" ".join(text.split()))
        check_length(JALON.field("titre"), title)
        return {"titre": title}
    if not words:
        raise AdminError('rien à modifier : tapez par exemple titre="Conseil de territoire" '
                         "heure=18h30.")
    return parse_assignments(JALON, words)


def add_proposal(session: Session, document_id: int, index: int,
                 edits: dict[str, str] | None, user_id: int, tz: ZoneInfo,
                 by: str = "") -> models.Milestone:
    """Add a proposal as a milestone (audited), its source the document's page; refused if
    the calendar already has it (same title, same start)."""
    found = document_dates(session, document_id)
    form = proposal_form(found, index, edits)
    row = preview_entry(session, JALON, form, tz)
    same = session.exec(select(models.Milestone).where(
        models.Milestone.title == row.title, models.Milestone.start == row.start)).first()
    if same is not None:
        raise AdminError(f"déjà au calendrier : jalon #{same.id} « {same.title} », "
                         f"{french_when(same.start, same.precision, tz)}.")
    return create_entry(session, JALON, form, user_id, tz, by=by, source=found.source(index))


def add_upcoming(session: Session, document_id: int, user_id: int, tz: ZoneInfo,
                 now: datetime, by: str = "") -> tuple[list[models.Milestone], int]:
    """Every upcoming date of a document added as a milestone (`mandat-bot ingest
    --jalons`); the ones the calendar already has are left out, and counted."""
    found = document_dates(session, document_id)
    added, already = [], 0
    for index in upcoming(found.proposals, now.astimezone(tz))[0]:
        try:
            added.append(add_proposal(session, document_id, index, None, user_id, tz, by))
        except AdminError:
            already += 1
    return added, already


def proposal_line(proposal: Proposal, tz: ZoneInfo) -> str:
    """« jeudi 12 mars 2027 à 18 h 30 — Conseil de territoire — Salle du conseil (page 2) »."""
    try:
        start, precision = milestone_start(proposal.day, proposal.at, tz)
    except AdminError:  # a time the clocks skip: the day only
        start, precision = milestone_start(proposal.day, None, tz)
    parts = [french_when(start, precision, tz), proposal.title, proposal.place]
    return " — ".join(part for part in parts if part) + f" (page {proposal.page})"
