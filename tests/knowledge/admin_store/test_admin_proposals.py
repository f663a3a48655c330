"""knowledge.admin_store.proposals: a document's dates added as ordinary milestones."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from admin_helpers import ADMIN, audits, state
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError, proposals
from knowledge.admin_store import documents as docs
from knowledge.models import Precision
from knowledge.store import transaction

PAGES = ("Le conseil s'est réuni le 3 février 2021 en séance publique.",
         "Le conseil de territoire se réunira le 12 mars 2099 à 18 h 30 en salle du conseil.",
         "Les candidatures sont à déposer avant le 30 juin 2099.")
NOW = datetime(2098, 1, 1, tzinfo=ZoneInfo("Europe/Paris"))


def add_document(db: Engine, title: str = "Conseil du 3 février") -> int:
    with transaction(db) as session:
        row = models.Document(title=title, filename="cr.pdf", sha256="c" * 64, pages=3)
        session.add(row)
        session.flush()
        docs.write_passages(session, row.id, [models.PassageIn(page=page, text=text)
                                              for page, text in enumerate(PAGES, start=1)])
        return row.id


def test_a_date_is_added_as_a_sourced_audited_undoable_milestone(
        db: Engine, tz: ZoneInfo) -> None:
    document_id = add_document(db)
    with transaction(db) as session:
        found = proposals.document_dates(session, document_id)
        assert [p.title for p in found.proposals] == [
            "Conseil", "Conseil de territoire", "Date limite : candidatures"]
        row = proposals.add_proposal(session, document_id, 1, None, ADMIN, tz, by="Alice")
        milestone_id = row.id
    with Session(db) as session:
        row = session.get(models.Milestone, milestone_id)
    assert (row.title, row.project, row.location, row.precision) == (
        "Conseil de territoire", "Conseil du 3 février", "Salle du conseil", Precision.EXACT)
    assert row.start == datetime(2099, 3, 12, 18, 30, tzinfo=tz)
    assert (row.source_slide, row.source_title) == (None, "Conseil du 3 février, page 2")
    assert row.description.startswith("Le conseil de territoire se réunira le 12 mars 2099")
    last = audits(db)[-1]
    assert (last.action, last.entity, last.entry_id, last.user_name) == (
        "create", "jalon", milestone_id, "Alice")
    with transaction(db) as session:
        store.undo_last(session, ADMIN, tz)
    with Session(db) as session:
        assert session.get(models.Milestone, milestone_id) is None


def test_a_day_without_a_time_is_a_day_milestone_and_corrections_go_over_it(
        db: Engine, tz: ZoneInfo) -> None:
    document_id = add_document(db)
    edits = proposals.typed_edits('titre="Clôture des candidatures" heure=12h lieu="En ligne"')
    with transaction(db) as session:
        plain = proposals.preview_proposal(session, proposals.document_dates(
            session, document_id), 2, None, tz)
        row = proposals.add_proposal(session, document_id, 2, edits, ADMIN, tz)
    assert plain.precision is Precision.DAY
    assert (row.title, row.location, row.precision) == (
        "Clôture des candidatures", "En ligne", Precision.EXACT)
    assert row.start == datetime(2099, 6, 30, 12, 0, tzinfo=tz)


@pytest.mark.parametrize(("typed", "expected"), [
    ("Conseil extraordinaire", {"titre": "Conseil extraordinaire"}),
    ("  Conseil   <b>extraordinaire</b> ", {"titre": "Conseil <b>extraordinaire</b>"}),
    ('lieu="Mairie d\'Ivry" date=13/03/2099', {"lieu": "Mairie d'Ivry", "date": "13/03/2099"}),
])
def test_a_typed_correction_is_fields_or_a_title(typed: str, expected: dict) -> None:
    assert proposals.typed_edits(typed) == expected


@pytest.mark.parametrize(("typed", "message"), [
    ("", "rien à modifier"),
    ("couleur=bleu", "couleur"),
    ("x" * 301, "« titre » est trop long"),
])
def test_a_bad_correction_is_refused_in_french(typed: str, message: str) -> None:
    with pytest.raises(AdminError, match=message):
        proposals.typed_edits(typed)


def test_bad_additions_are_refused_and_change_nothing(db: Engine, tz: ZoneInfo) -> None:
    document_id = add_document(db)
    with transaction(db) as session:
        proposals.add_proposal(session, document_id, 1, None, ADMIN, tz)
    before = state(db, tz)
    for index, edits, message in [
        (1, None, "déjà au calendrier : jalon #"),
        (7, None, "cette date n'est plus dans le document"),
        (2, {"date": "31/02/2099"}, "n'existe pas au calendrier"),
    ]:
        with pytest.raises(AdminError, match=message), transaction(db) as session:
            proposals.add_proposal(session, document_id, index, edits, ADMIN, tz)
    with pytest.raises(AdminError, match="aucun document n°999"), transaction(db) as session:
        proposals.add_proposal(session, 999, 0, None, ADMIN, tz)
    assert state(db, tz) == before


def test_add_upcoming_adds_the_dates_to_come_once(db: Engine, tz: ZoneInfo) -> None:
    document_id = add_document(db)
    with transaction(db) as session:
        added, already = proposals.add_upcoming(session, document_id, ADMIN, tz, NOW)
    assert ([row.title for row in added], already) == (
        ["Conseil de territoire", "Date limite : candidatures"], 0)
    with transaction(db) as session:
        added, already = proposals.add_upcoming(session, document_id, ADMIN, tz, NOW)
    assert (added, already) == ([], 2)
    with Session(db) as session:
        sources = session.exec(select(models.Milestone.source_title).where(
            models.Milestone.project == "Conseil du 3 février")).all()
    assert sorted(sources) == ["Conseil du 3 février, page 2", "Conseil du 3 février, page 3"]
