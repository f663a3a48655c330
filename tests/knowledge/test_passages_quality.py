"""Answers from documents alone, as an official asks: a question worded unlike the page
finds it, the quote keeps the line that answers (its number, its name), a look-alike of
what the document says is refused, and a base of documents only answers from them."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge import models
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

ROADMAP = [
    "Bilan 2024 : 4 gymnases rénovés, 38 clubs soutenus\n"
    "Le conseil remercie les associations sportives du territoire.",
    "ÉQUIPEMENTS SPORTIFS\nPOUR TOUS LES ENFANTS\nPriorités 2025-2027 :\n\n"
    "- un plan de rénovation des bassins de Thiais\n\n"
    "- un créneau de natation pour chaque école élémentaire\n\n"
    "- une carte unique pour les clubs",
    "Élus délégués\n\n- Claire DUMONT, vice-présidente déléguée aux équipements sportifs\n\n"
    "- Marc LEROY, vice-président délégué à la culture",
    "Calendrier\n\nLe marché de rénovation des bassins sera attribué en mars 2026.",
]
TITLE = "Feuille de route des sports"


def load(db: Engine, pages: list[str] = ROADMAP, title: str = TITLE) -> None:
    read = read_document(pdf_file(pages), "route.pdf", title)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)


def documents_engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    load(db)
    return AnswerEngine(db, tz)


def test_slides_are_cut_by_their_lines_and_keep_their_first_sentence() -> None:
    from knowledge.documents import units  # what a quote is cut by

    read = read_document(pdf_file(ROADMAP), "route.pdf", TITLE)
    first = [p for p in read.passages if p.page == 1]
    assert "4 gymnases rénovés" in first[0].text  # a title that says a figure stays quotable
    [bassins] = [p for p in read.passages if p.page == 2]
    assert bassins.heading == "ÉQUIPEMENTS SPORTIFS POUR TOUS LES ENFANTS"  # wrapped, whole
    assert "- un créneau de natation pour chaque école élémentaire" in units(bassins.text)


def test_a_question_worded_unlike_the_page_finds_it(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = documents_engine(empty_db, tz)
    answer = engine.ask("Bonjour, je suis adjointe à Orly et je prépare une réunion : "
                        "pourriez-vous me dire ce qui est prévu pour la natation à l'école ?")
    assert answer.kind is AnswerKind.ANSWER
    assert answer.sources == [f"{TITLE}, page 2"]
    assert "un créneau de natation pour chaque école élémentaire" in answer.headline
    assert len(answer.text()) <= 600


def test_the_quote_keeps_the_line_with_the_number_asked(empty_db: Engine,
                                                        tz: ZoneInfo) -> None:
    answer = documents_engine(empty_db, tz).ask("combien de gymnases ont été rénovés ?")
    assert answer.sources == [f"{TITLE}, page 1"]
    assert "4 gymnases rénovés" in answer.headline


def test_who_is_answered_by_the_page_naming_someone(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = documents_engine(empty_db, tz)
    answer = engine.ask("qui s'occupe des équipements sportifs ?")
    assert answer.sources == [f"{TITLE}, page 3"]
    assert "Claire DUMONT" in answer.headline and "LEROY" not in answer.headline
    # the page on the pools names no one: the one naming who is in charge of its heading
    assert "Claire DUMONT" in engine.ask("qui suit la natation des écoles ?").headline


def test_look_alikes_of_what_the_document_says_are_refused(empty_db: Engine,
                                                           tz: ZoneInfo) -> None:
    engine = documents_engine(empty_db, tz)
    for question in ("combien de bassins compte Thiais ?",  # named, never counted
                     "quel est le numéro de téléphone de Claire Dumont ?",  # a detail
                     "qui est délégué aux équipements sportifs à Créteil ?",  # another town
                     "combien coûte la carte unique pour les clubs ?",  # no sum said
                     "qui est délégué à la police municipale ?"):  # no such delegation
        assert engine.ask(question).kind is AnswerKind.UNKNOWN, question


def test_two_asks_are_answered_from_their_two_pages(empty_db: Engine, tz: ZoneInfo) -> None:
    answer = documents_engine(empty_db, tz).ask(
        "Qui est délégué aux équipements sportifs, et quand le marché des bassins sera-t-il "
        "attribué ?")
    assert "Claire DUMONT" in answer.text() and "mars 2026" in answer.text()
    assert answer.source_line() == f"Source : {TITLE}, page 3 ; page 4"
    assert len(answer.text()) <= 600


def test_the_admins_synonyms_apply_to_documents(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = documents_engine(empty_db, tz)
    question = "que prévoit-on pour les piscines ?"
    assert engine.ask(question).kind is AnswerKind.UNKNOWN
    with transaction(empty_db) as session:
        session.add(models.Synonym(term="piscine", expansion="bassins natation"))
    engine.reload()
    answer = engine.ask(question)
    assert answer.sources == [f"{TITLE}, page 2"]
    assert "rénovation des bassins de Thiais" in answer.headline


def test_a_base_of_documents_only_answers_lists_from_them(empty_db: Engine,
                                                         tz: ZoneInfo) -> None:
    answer = documents_engine(empty_db, tz).ask("quels sont les élus délégués ?")
    assert answer.sources == [f"{TITLE}, page 3"]  # not the entries' empty list of officials
    assert "Claire DUMONT" in answer.headline and "Marc LEROY" in answer.headline
