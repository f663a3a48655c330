"""The words of a question as people type them: without accents or apostrophes, or a
number alone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

TITLE = "Assemblée des maires 2024"
PAGES = [
    "Assemblée des maires 2024\n\nUne journée de travail à la halle aux grains.",
    "PARTICIPATION\n\n64 élus présents et 9 secrétaires généraux ont signé la charte.",
    "FINANCES\n\nUne enveloppe de 4 730 000 euros est réservée aux écoles.",
]


def words_engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    read = read_document(pdf_file(PAGES), "assemblee.pdf", TITLE)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    return AnswerEngine(db, tz)


def test_a_word_typed_without_its_accent_or_apostrophe_is_found(empty_db: Engine,
                                                                tz: ZoneInfo) -> None:
    engine = words_engine(empty_db, tz)
    for question in ("combien delus presents ?", "nombre d elus presents"):
        answer = engine.ask(question)
        assert answer.sources == [f"{TITLE}, page 2"], question
        assert "64 élus" in answer.headline


def test_a_number_alone_finds_what_it_counts(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = words_engine(empty_db, tz)
    answer = engine.ask("4 730 000 ?")
    assert answer.sources == [f"{TITLE}, page 3"]
    assert "réservée aux écoles" in answer.headline
    assert engine.ask("5 100 ?").kind is AnswerKind.UNKNOWN  # a number no page says


def test_the_wording_weighs_less_than_an_unknown_term(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = words_engine(empty_db, tz)
    # « leviers », « entend », « consacrer »: dictionary words the document does not use
    answer = engine.ask("Par quels leviers l'assemblée entend-elle consacrer une enveloppe "
                        "aux écoles ?")
    assert answer.sources == [f"{TITLE}, page 3"]


def test_an_acronym_stands_for_the_words_with_its_initials(empty_db: Engine,
                                                          tz: ZoneInfo) -> None:
    pages = [*PAGES, "VOIRIE\n\nLe plan de mobilité employeur des agents sera signé en juin."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    engine = AnswerEngine(empty_db, tz)
    answer = engine.ask("le PMEA c'est quoi ?")  # « plan de mobilité employeur des agents »
    assert answer.sources == [f"{TITLE}, page 4"]
    assert engine.ask("le pmea, signé quand ?").sources == [f"{TITLE}, page 4"]
    assert engine.ask("le XQZ c'est quoi ?").kind is AnswerKind.UNKNOWN  # no such initials


def test_a_number_counts_only_the_noun_it_goes_with(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*PAGES, "ÉQUIPEMENTS\n\nLe réseau des 14 gymnases et des stades est rénové."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    engine = AnswerEngine(empty_db, tz)
    assert "14 gymnases" in engine.ask("Combien de gymnases dans le réseau ?").headline
    assert engine.ask("Combien de stades dans le réseau ?").kind is AnswerKind.UNKNOWN


def test_what_is_counted_is_asked(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*PAGES, "CHARTE\n\nLa participation à la charte est ouverte aux communes."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    # « élus » is what is counted: the page with a number of them, not the one on the charter
    answer = AnswerEngine(empty_db, tz).ask(
        "combien d'élus peuvent adhérer à la charte des communes ?")
    assert answer.sources == [f"{TITLE}, page 2"]
    assert "64 élus" in answer.headline


def test_a_word_with_a_hyphen_is_read_whole_too(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*PAGES, "MÉDIAS\n\nL'assemblée a publié 7 web-séries sur les écoles."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    answer = AnswerEngine(empty_db, tz).ask("Combien de webséries ont été publiées ?")
    assert "7 web-séries" in answer.headline


def test_a_word_cut_short_or_of_the_same_family_is_found(empty_db: Engine,
                                                         tz: ZoneInfo) -> None:
    pages = [*PAGES, "CANTINES\n\nLa lutte contre le gaspillage alimentaire se poursuit.",
             "TRAVAUX\n\nLa poursuite des travaux de voirie est votée."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    engine = AnswerEngine(empty_db, tz)
    assert engine.ask("et le gaspi ?").sources == [f"{TITLE}, page 4"]
    # « poursuivre »: not a word of the documents, « poursuite » is
    assert engine.ask("les travaux, on va les poursuivre ?").sources == [f"{TITLE}, page 5"]


def test_a_long_number_asked_is_a_subject(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*PAGES, "ÉCOLES\n\nLes écoles reçoivent des écoles numériques pour les écoles."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    answer = AnswerEngine(empty_db, tz).ask("Les 4 730 000 des écoles, c'est quoi ?")
    assert answer.sources == [f"{TITLE}, page 3"]


def test_a_percentage_is_its_number(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*PAGES, "ÉCOLES\n\n37% des écoles ont une cantine bio."]
    read = read_document(pdf_file(pages), "assemblee.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    assert AnswerEngine(empty_db, tz).ask("37% ?").sources == [f"{TITLE}, page 4"]
