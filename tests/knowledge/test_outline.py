"""A document's outline: a heading that opens several pages divides the document into
sections, named by its plural word (« volets ») and numbered in order; a question on the
whole is answered from the sections, not from one passage."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bench.files import pdf_file
from knowledge.admin_store.documents import add_document
from knowledge.answers import AnswerKind
from knowledge.documents import read_document
from knowledge.engine import AnswerEngine
from knowledge.store import transaction

TITLE = "Plan culturel 2026-2030"
DECK = [
    "Plan culturel 2026-2030\n\nUne ambition partagée par les neuf villes de l'agglomération.",
    "Les volets du plan\n\nLecture et patrimoine\n\n"
    "- Hélène MARTIN, vice-présidente déléguée aux bibliothèques\n\n"
    "- Paul ROCHE, conseiller délégué aux archives",
    "BIBLIOTHÈQUES OUVERTES LE DIMANCHE\n\n- une ouverture dominicale dans chaque ville\n\n"
    "- un catalogue commun en ligne",
    "ARCHIVES NUMÉRISÉES\n\n- les registres paroissiaux numérisés d'ici 2028",
    "Les volets du plan\n\nSpectacle vivant\n\n"
    "- Inès FABRE, vice-présidente déléguée aux théâtres, aux marionnettes et à la culture "
    "de rue",
    "SPECTACLES DE RUE, CIRQUE ET MARIONNETTES\n\n- douze représentations par an dans les "
    "quartiers",
    "FESTIVALS CULTURELS D'ÉTÉ\n\n- un festival chaque juillet\n\n- des concerts gratuits",
]


def deck_engine(db: Engine, tz: ZoneInfo) -> AnswerEngine:
    read = read_document(pdf_file(DECK), "plan.pdf", TITLE)
    with transaction(db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    return AnswerEngine(db, tz)


def test_the_sections_are_listed_when_their_plural_is_asked(empty_db: Engine,
                                                           tz: ZoneInfo) -> None:
    answer = deck_engine(empty_db, tz).ask("Quels sont les différents volets ?")
    assert answer.kind is AnswerKind.ANSWER
    lines = answer.text().split("\n")
    assert lines[0].startswith("2 parties sous « Les volets du plan »")
    assert lines[1:3] == ["1. Lecture et patrimoine", "2. Spectacle vivant"]
    assert answer.sources == [f"{TITLE}, page 2", "page 5"]


def test_a_numbered_section_tells_its_people_and_the_headings_of_its_pages(
        empty_db: Engine, tz: ZoneInfo) -> None:
    engine = deck_engine(empty_db, tz)
    text = engine.ask("que prévoit le second volet ?").text()
    assert text.startswith("Spectacle vivant (2e partie")
    assert "Inès FABRE" in text
    assert "Spectacles de rue, cirque et marionnettes ; Festivals culturels d'été" in text
    assert "Bibliothèques" not in text  # the other section's pages
    who = engine.ask("qui porte le volet 1 ?").text()
    assert "• Hélène MARTIN, vice-présidente déléguée aux bibliothèques" in who
    assert "• Paul ROCHE, conseiller délégué aux archives" in who
    assert "Inès" not in who


def test_the_section_of_a_subject_is_found_from_its_page(empty_db: Engine,
                                                         tz: ZoneInfo) -> None:
    answer = deck_engine(empty_db, tz).ask("les archives numérisées, c'est dans quel volet ?")
    assert answer.text().startswith("Lecture et patrimoine (1re partie")
    assert answer.sources == [f"{TITLE}, page 2"]


def test_a_heading_opening_one_page_divides_nothing(empty_db: Engine, tz: ZoneInfo) -> None:
    pages = [page.replace("Les volets du plan\n\n", "") if index == 4 else page
             for index, page in enumerate(DECK)]
    read = read_document(pdf_file(pages), "plan.pdf", TITLE)
    with transaction(empty_db) as session:
        add_document(session, read, 1001, "Alice Martin", None)
    answer = AnswerEngine(empty_db, tz).ask("que prévoit le second volet ?")
    assert "2e partie" not in answer.text()


def test_everyone_holding_an_office_is_listed_across_pages(empty_db: Engine,
                                                           tz: ZoneInfo) -> None:
    engine = deck_engine(empty_db, tz)
    answer = engine.ask("Pouvez-vous lister toutes les vice-présidentes ?")
    assert answer.headline == "2 personnes citées : Hélène MARTIN, Inès FABRE"
    assert answer.sources == [f"{TITLE}, page 2 ; page 5"]
    everyone = engine.ask("la liste des élus svp").headline
    assert everyone.endswith("Hélène MARTIN, Paul ROCHE, Inès FABRE")
    # a narrower ask is answered by the page, not the list
    assert "Paul ROCHE" not in engine.ask("quels vice-présidents suivent les théâtres ?").text()


def test_who_is_in_charge_of_a_page_is_found_among_its_section_people(
        empty_db: Engine, tz: ZoneInfo) -> None:
    # the page names no one, and its heading is barely in anyone's line: the person of
    # its section whose line holds some of it
    answer = deck_engine(empty_db, tz).ask("qui suit les représentations dans les quartiers ?")
    assert "Inès FABRE" in answer.headline and "Hélène" not in answer.headline
    assert answer.sources == [f"{TITLE}, page 5"]


def test_a_section_named_by_its_title_amid_the_askers_context(empty_db: Engine,
                                                              tz: ZoneInfo) -> None:
    text = deck_engine(empty_db, tz).ask(
        "Pour préparer la commission de jeudi avec mes collègues adjoints, j'ai besoin de "
        "savoir qui porte le volet spectacle vivant.").text()
    assert text.startswith("Spectacle vivant (2e partie")
    assert "Inès FABRE" in text


def test_the_person_in_charge_is_found_by_a_word_of_the_same_family(
        empty_db: Engine, tz: ZoneInfo) -> None:
    # « culturels » (the page's heading), « culture » (her line): one family, two stems
    answer = deck_engine(empty_db, tz).ask("qui pilote les concerts gratuits ?")
    assert "Inès FABRE" in answer.headline


def test_which_sections_in_the_plural_lists_them(empty_db: Engine, tz: ZoneInfo) -> None:
    answer = deck_engine(empty_db, tz).ask("Quels sont les volets retenus pour le plan ?")
    assert answer.headline.startswith("2 parties sous « Les volets du plan »")


def test_does_someone_hold_a_subject_tells_who_does(empty_db: Engine, tz: ZoneInfo) -> None:
    engine = deck_engine(empty_db, tz)
    answer = engine.ask("Hélène Martin s'occupe-t-elle aussi des archives ?")
    assert answer.headline == "- Hélène MARTIN, vice-présidente déléguée aux bibliothèques"
    assert answer.body == ["- Paul ROCHE, conseiller délégué aux archives"]
    assert answer.sources == [f"{TITLE}, page 2"]
