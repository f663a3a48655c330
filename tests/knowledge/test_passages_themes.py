"""A theme's slides: a list asked of a heading is drawn from all the pages under it."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

TITLE = "Feuille de route des transports"
ROADMAP = [
    "Feuille de route des transports\n\nUn document pour les conseillers communautaires.",
    "DES DÉPLACEMENTS PLUS SÛRS ET PLUS DOUX\n\nPriorités 2025-2028 :\n\n"
    "- un schéma cyclable reliant les gares\n\n- des rues scolaires apaisées",
    "DES DÉPLACEMENTS PLUS SÛRS ET PLUS DOUX\n\nUne navette électrique gratuite entre les "
    "hameaux, le samedi.",
    "ÉCLAIRAGE\n\nLes lampadaires passent en LED d'ici 2027.",
]


def test_the_priorities_of_a_theme_come_from_its_pages(empty_db: Engine,
                                                       tz: ZoneInfo) -> None:
    read = read_document(pdf_file(ROADMAP), "route.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    answer = AnswerEngine(empty_db, tz).ask("priorités déplacements doux ?")
    assert "schéma cyclable" in answer.headline and "navette électrique" in answer.headline
    assert answer.sources == [f"{TITLE}, page 2 ; page 3"]
    assert "lampadaires" not in answer.text()  # another heading's page


def test_what_is_planned_tells_the_whole_list_of_the_item_found(empty_db: Engine,
                                                                tz: ZoneInfo) -> None:
    pages = ["Plan vert\n\nUn plan pour les parcs.",
             "PARCS ET JARDINS\n\nActions 2025 :\n\n- planter 300 arbres\n\n"
             "- ouvrir deux jardins partagés\n\n- des nichoirs pour les oiseaux de la ville",
             "CANTINES\n\nDes repas bio deux fois par semaine."]
    read = read_document(pdf_file(pages), "vert.pdf", "Plan vert")
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    answer = AnswerEngine(empty_db, tz).ask("Qu'est-ce qui est prévu pour les oiseaux ?")
    assert answer.headline == ("Actions 2025 : - planter 300 arbres - ouvrir deux jardins "
                               "partagés - des nichoirs pour les oiseaux de la ville")


def test_the_words_that_ask_may_be_a_headings_subject(empty_db: Engine,
                                                      tz: ZoneInfo) -> None:
    pages = [*ROADMAP, "PROCHAINS RENDEZ-VOUS\n\nConcertation en mai 2026, vote en octobre 2026."]
    read = read_document(pdf_file(pages), "route.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    # « prochains rendez-vous » ask « when », and title the page that answers
    answer = AnswerEngine(empty_db, tz).ask("Quels sont les prochains rendez-vous ?")
    assert answer.sources == [f"{TITLE}, page 5"]
