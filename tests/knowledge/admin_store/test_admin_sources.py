"""Every answer cites its source, whoever wrote the entry: set when an admin creates or
imports it (knowledge.admin_store), not patched in rendering."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from admin_helpers import ADMIN, as_bytes, create, exported
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

TYPED = {
    "elu": 'nom="Marie Zorglub" fonction="Conseillère déléguée aux quokkas" role=delegue',
    "priorite": 'theme="Des jardins partagés" elements="Plus de jardins partagés"',
    "chiffre": 'libelle="bornes de recharge électrique" valeur=42 unite=bornes',
    "jalon": 'titre="Inauguration du téléphérique" projet="Câble A" date=15/03/2027',
}


@pytest.mark.parametrize("entity", sorted(TYPED))
def test_an_entry_an_admin_adds_cites_the_admin(db: Engine, tz: ZoneInfo, entity: str) -> None:
    spec = store.ENTITIES[entity]
    entry_id = create(db, tz, spec, TYPED[entity])
    with Session(db) as session:
        row = session.get(spec.model, entry_id)
    engine = AnswerEngine(db, tz)
    if spec.kind == "milestone":  # answered as its project's calendar
        project = next(i for i, p in enumerate(engine.view.projects) if p.name == "Câble A")
        sources = [engine.view.source("project", project)]
    else:
        sources = engine.describe(spec.kind, entry_id).sources
    assert row.source_slide is None
    assert any(s.startswith("ajouté par un administrateur le ") for s in sources), sources


def test_an_imported_entry_without_source_cites_the_import_and_others_keep_theirs(
    db: Engine, tz: ZoneInfo
) -> None:
    data = exported(db, tz)
    data["faits"].append({"cle": "quokka", "titre": "Quokka", "texte": "Un petit marsupial."})
    kept = data["elus"][0]
    seminar_source = dict(kept["source"])
    del kept["source"]  # an edited export that lost a source: the entry keeps its own
    with transaction(db) as session:
        store.apply_import(session, store.parse_import(as_bytes(data)), tz, ADMIN)
    with Session(db) as session:
        fact = session.exec(select(models.Fact).where(models.Fact.key == "quokka")).one()
        person = session.exec(select(models.Person).where(models.Person.key == kept["cle"])
                              ).one()
    assert fact.source_title.startswith("importé par un administrateur le ")
    assert (person.source_slide, person.source_title) == (
        seminar_source.get("diapositive"), seminar_source.get("titre", ""))
    answer = AnswerEngine(db, tz).describe("fact", fact.id)
    assert answer is not None and answer.sources == [fact.source_title]
