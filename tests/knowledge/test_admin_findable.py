"""What an admin adds is found by its own words from the very next question.

Entries are added through the admin path (knowledge.admin_store, as /ajouter does), the
engine is reloaded as the bot does after every change, then asked in words of the entry.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine

from bench.judge import contains
from knowledge import admin_store as store
from knowledge.engine import AnswerEngine, AnswerKind
from knowledge.store import transaction

ADMIN = 1001


def add(db: Engine, tz: ZoneInfo, entity: str, command: str) -> None:
    spec = store.ENTITIES[entity]
    with transaction(db) as session:
        store.create_entry(session, spec, store.parse_assignments(
            spec, store.split_words(command)), ADMIN, tz)


@pytest.mark.parametrize(("entity", "command", "question", "expected"), [
    ("jalon", 'titre="Réunion publique Bellevue" projet=Quartiers date=12/05/2031 heure=18h',
     "quand se tient la réunion publique de Bellevue ?", "Bellevue"),
    ("jalon", 'titre="Réunion publique Bellevue" projet=Quartiers date=12/05/2031 heure=18h',
     "reunion bellevue", "mai 2031"),
    ("jalon", 'titre="Visite de chantier" projet="Gymnase Delaune" date=03/2031 '
              'lieu="Salle Marcel Cachin"', "la visite à la salle Marcel Cachin c'est quand",
     "mars 2031"),
    ("elu", 'nom="Marie DUPONT" fonction="Conseillère déléguée aux mobilités actives" '
            "role=delegue delegation=\"mobilités actives\" axe=1",
     "qui suit les mobilités actives ?", "DUPONT"),
    ("elu", 'nom="Marie DUPONT" fonction="Conseillère déléguée aux mobilités actives" '
            "role=delegue delegation=\"mobilités actives\" axe=1",
     "Marie Dupont elle fait quoi", "mobilités actives"),
    ("priorite", 'theme="Un territoire cyclable" axe=1 '
                 'elements="Relier les gares par des pistes protégées | Ouvrir des ateliers"',
     "pistes protégées entre les gares ?", "cyclable"),
    ("chiffre", 'libelle="arbres plantés dans les cours d\'école" valeur="1 250" unite=arbres',
     "combien d'arbres plantés dans les cours ?", "1 250"),
    ("fait", 'titre=OFB texte="Office français de la biodiversité, partenaire des atlas"',
     "c'est quoi l'OFB", "biodiversité"),
])
def test_an_added_entry_is_found_by_its_own_words(
        db: Engine, tz: ZoneInfo, entity: str, command: str, question: str,
        expected: str) -> None:
    engine = AnswerEngine(db, tz)
    add(db, tz, entity, command)
    engine.reload()
    answer = engine.ask(question)
    assert answer.kind is AnswerKind.ANSWER, answer.text()
    assert contains(answer.text(), expected), answer.text()


def test_an_added_synonym_leads_to_its_expansion(db: Engine, tz: ZoneInfo) -> None:
    engine = AnswerEngine(db, tz)
    before = engine.ask("qui s'occupe des bibliothèques ?")
    add(db, tz, "synonyme", 'terme=bibliotheques expansion="équipements culturels"')
    engine.reload()
    answer = engine.ask("qui s'occupe des bibliothèques ?")
    assert answer.kind is AnswerKind.ANSWER and contains(answer.text(), "LAURENT"), (
        before.text(), answer.text())
