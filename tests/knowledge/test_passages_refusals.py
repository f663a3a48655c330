"""What the documents do not say is refused, though a page holds most of the question's
words: a place or a person the page does not name."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

TITLE = "Bilan des piscines 2025"
POOLS = [
    "Bilan des piscines 2025\n\nLe réseau compte 9 piscines intercommunales ouvertes toute "
    "l'année.",
    "FRÉQUENTATION\n\nLa piscine de Montbrison a accueilli 120 000 baigneurs, un record.",
    "TRAVAUX\n\nLa Maison des sports de Vernay sera rénovée en 2026 par l'agglomération.",
]


def pools_engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    read = read_document(pdf_file(POOLS), "piscines.pdf", TITLE)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    return AnswerEngine(db, tz)


def test_a_place_the_page_does_not_name_is_refused(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = pools_engine(empty_db, tz)
    assert engine.ask("combien de baigneurs à Montbrison ?").sources == [f"{TITLE}, page 2"]
    # the document names Vernay, but not on the page on the pools' opening
    for question in ("Les piscines intercommunales de Vernay sont-elles ouvertes toute "
                     "l'année ?", "piscines intercommunales ouvertes toute l'annee a vernay"):
        assert engine.ask(question).kind is AnswerKind.UNKNOWN, question
    assert engine.ask("Les piscines intercommunales sont-elles ouvertes toute l'année ?"
                      ).sources == [f"{TITLE}, page 1"]


def test_a_capitalised_common_word_is_not_a_name(empty_db: Engine, tz: ZoneInfo) -> None:
    # « Maison » is capitalised in the document, and a word: a page may say it otherwise
    answer = pools_engine(empty_db, tz).ask("Quand la maison des sports sera-t-elle rénovée ?")
    assert answer.sources == [f"{TITLE}, page 3"]


def test_a_year_after_every_year_the_documents_name_is_refused(empty_db: Engine,
                                                                tz: ZoneInfo) -> None:
    engine = pools_engine(empty_db, tz)
    assert engine.ask("La Maison des sports de Vernay, rénovée quand ?").sources == [
        f"{TITLE}, page 3"]
    for question in ("Qui rénovera la Maison des sports de Vernay après 2026 ?",
                     "La Maison des sports de Vernay sera-t-elle rénovée en 2031 ?"):
        assert engine.ask(question).kind is AnswerKind.UNKNOWN, question
    assert engine.ask("La Maison des sports de Vernay sera-t-elle rénovée en 2026 ?"
                      ).kind is AnswerKind.ANSWER


def test_a_when_or_an_office_is_not_answered_by_a_page_without_one(
        empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [*POOLS, "ÉLUS\n\nLa piscine est suivie par Marc DURAND, vice-président délégué "
             "aux sports."]
    read = read_document(pdf_file(pages), "piscines.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    engine = AnswerEngine(empty_db, tz)
    # the page on attendance gives no date but the year asked
    assert engine.ask("Quand la piscine de Montbrison a-t-elle battu son record en 2025 ?"
                      ).kind is AnswerKind.UNKNOWN
    assert "2026" in engine.ask("Quand la Maison des sports de Vernay sera-t-elle rénovée ?"
                                ).headline
    # a vice-president for the pools' attendance: the page names no one
    assert engine.ask("Quel vice-président est délégué aux baigneurs ?"
                      ).kind is AnswerKind.UNKNOWN
    assert "Marc DURAND" in engine.ask("Quel vice-président suit la piscine ?").headline


def test_a_place_opening_the_question_that_no_document_names_is_refused(
        empty_db: Engine, tz: ZoneInfo) -> None:
    engine = pools_engine(empty_db, tz)
    assert engine.ask("Firminy, combien de baigneurs ?").kind is AnswerKind.UNKNOWN
    assert engine.ask("Montbrison, combien de baigneurs ?").sources == [f"{TITLE}, page 2"]
    # a word opening the question is not a name
    assert engine.ask("Combien de baigneurs à Montbrison ?").sources == [f"{TITLE}, page 2"]


def test_the_askers_context_weighs_less_in_what_must_be_held(empty_db: Engine,
                                                             tz: ZoneInfo) -> None:
    answer = pools_engine(empty_db, tz).ask(
        "Je suis adjoint aux piscines intercommunales, aux baigneurs, à l'accueil toute l'année "
        "et à la fréquentation record : quand la Maison des sports sera-t-elle rénovée ?")
    assert answer.sources == [f"{TITLE}, page 3"]
