"""Tables counted: the rows of a page (« Label [figure] ») compared, filtered, looked up
and summed under the header the question chooses."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction
from knowledge.tallies import rows

TITLE = "Rapport des sports 2025"
REPORT = [
    "Rapport des sports 2025\n\nLe rapport présente les licences sportives du territoire.",
    "LICENCES PAR VILLE\n\nFootball saison 2025\n\nBrévannes [40] Montval [12]\nPorte-"
    "Neuve [7]\nSaint-Aubin [55]\nLavergne [3]\n\nNatation saison 2025\n\n"
    "Brévannes [9]\nMontval [31]\nPorte-Neuve [2]\nSaint-Aubin [18]\nLavergne [2]",
    "CALENDRIER\n\nLes inscriptions ouvrent en septembre.",
]


def report_engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    read = read_document(pdf_file(REPORT), "sports.pdf", TITLE)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    return AnswerEngine(db, tz)


def test_rows_follow_the_header_above_them() -> None:
    text = ("Football saison 2025\nBrévannes [40] Montval [12]\nPorte-Neuve [7]\n"
            "Natation saison 2025\nBrévannes [9]\nMontval [31]")
    table = rows(text)
    assert [(r.label, r.value) for r in table] == [
        ("Brévannes", 40), ("Montval", 12), ("Porte-Neuve", 7), ("Brévannes", 9),
        ("Montval", 31)]
    assert {r.header for r in table[:3]} == {"Football saison 2025"}
    assert table[4].header == "Natation saison 2025"
    assert rows("Une seule ligne [3] et [4]") == []  # too few rows for a table


def test_the_largest_and_the_smallest_under_the_header_asked(empty_db: Engine,
                                                            tz: ZoneInfo) -> None:
    engine = report_engine(empty_db, tz)
    most = engine.ask("En natation, quelle ville a le plus de licences ?").text()
    assert "le plus : Montval (31)" in most and "Saint-Aubin (55)" not in most
    least = engine.ask("la ville avec le moins de licences de football").text()
    assert "le moins : Lavergne (3)" in least
    assert least.endswith(f"Source : {TITLE}, page 2")


def test_rows_above_a_figure_and_two_named_compared(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = report_engine(empty_db, tz)
    above = engine.ask("Au football, quelles villes ont plus de 10 licences ?").text()
    assert "3 sur 5 : Brévannes (40), Montval (12), Saint-Aubin (55)" in above
    duel = engine.ask("Montval ou Brévannes, laquelle a le plus de licences en natation ?")
    assert "le plus : Montval (31) ; face à : Brévannes (9)" in duel.text()


def test_a_row_looked_up_in_both_tables_is_summed(empty_db: Engine, tz: ZoneInfo) -> None:
    text = report_engine(empty_db, tz).ask(
        "Combien de licences à Saint-Aubin, football et natation en tout ?").text()
    assert "Saint-Aubin (55)" in text and "Saint-Aubin (18)" in text
    assert "Total : 73" in text


def test_a_row_without_its_figure_under_the_header_asked_is_refused(empty_db: Engine,
                                                                     tz: ZoneInfo) -> None:
    pages = [REPORT[0], REPORT[1].replace("Saint-Aubin [18]", "Saint-Aubin …"), REPORT[2]]
    read = read_document(pdf_file(pages), "sports.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    engine = AnswerEngine(empty_db, tz)
    assert engine.ask("Saint-Aubin, combien de licences en natation ?"
                      ).kind is AnswerKind.UNKNOWN  # its figure is cut off there
    assert "Saint-Aubin (55)" in engine.ask(
        "Saint-Aubin, combien de licences au football ?").text()


def test_a_rank_and_a_figure_shared_are_read_from_the_table(empty_db: Engine,
                                                            tz: ZoneInfo) -> None:
    engine = report_engine(empty_db, tz)
    assert "en tête : Saint-Aubin (55)" in engine.ask(
        "Au football, quelle ville arrive en tête ?").text()
    assert "2e : Brévannes (40)" in engine.ask(
        "Au football, quelle ville est juste derrière Saint-Aubin ?").text()
    assert "3e : Brévannes (9)" in engine.ask(
        "En natation, quelle ville est troisième ?").text()
    same = engine.ask("En natation, quelle ville a le même chiffre que Lavergne ?").text()
    assert "Lavergne (2), comme : Porte-Neuve (2)" in same


def test_two_rows_named_are_both_told(empty_db: Engine, tz: ZoneInfo) -> None:
    text = report_engine(empty_db, tz).ask(
        "Au football, combien de licences pour Saint-Aubin comparé à Montval ?").text()
    assert "Saint-Aubin (55)" in text and "Montval (12)" in text
    assert "Porte-Neuve" not in text


def test_the_figures_of_the_headers_are_summed(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [REPORT[0], REPORT[1].replace("Football saison 2025", "Football 1 250 heures")
             .replace("Natation saison 2025", "Natation 2 400 heures"), REPORT[2]]
    read = read_document(pdf_file(pages), "sports.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    text = AnswerEngine(empty_db, tz).ask(
        "Les heures de football et de natation, combien au total ?").text()
    assert "total : 3\u202f650 heures" in text  # French digit groups
