"""knowledge.document_dates: the dates a document announces, read from tricky French text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from knowledge.document_dates import Proposal, find_dates, upcoming

PARIS = ZoneInfo("Europe/Paris")


def one(text: str, page: int = 1) -> Proposal:
    [found] = find_dates([(page, text)])
    return found


@pytest.mark.parametrize(("text", "title", "day", "at", "place"), [
    ("Le conseil de territoire se réunira le 12 mars 2027 à 18 h 30 en salle du conseil.",
     "Conseil de territoire", (2027, 3, 12), (18, 30), "Salle du conseil"),
    ("Réunion publique le 03/04/2027 à 18 h à la salle des fêtes de Vitry-sur-Seine.",
     "Réunion publique", (2027, 4, 3), (18, 0), "Salle des fêtes de Vitry-sur-Seine"),
    ("Le comité de pilotage du PCAET aura lieu jeudi 4 février 2027 à 9h30 en mairie de "
     "Vitry.", "Comité de pilotage du PCAET", (2027, 2, 4), (9, 30), "Mairie de Vitry"),
    ("Les candidatures sont à déposer avant le 30 juin 2027.",
     "Date limite : candidatures", (2027, 6, 30), None, ""),
    ("Le budget primitif sera voté le 1er avril 2027.",
     "Vote du budget primitif", (2027, 4, 1), None, ""),
    ("La charte sera signée le 2027-05-17 à 11:00.",
     "Signature de la charte", (2027, 5, 17), (11, 0), ""),
    ("Les dossiers doivent être déposés au plus tard le 20 mai 2027 à 12h.",
     "Date limite : dépôt des dossiers", (2027, 5, 20), (12, 0), ""),
    ("Date limite de dépôt des dossiers : 31 mai 2027.",
     "Date limite de dépôt des dossiers", (2027, 5, 31), None, ""),
    ("Le festival se tiendra du 3 au 5 mars 2027 au parc des Lilas.",
     "Festival", (2027, 3, 3), None, "Parc des Lilas"),
    ("Les assises auront lieu du 28 février au 2 mars 2027 à Ivry-sur-Seine.",
     "Assises", (2027, 2, 28), None, "Ivry-sur-Seine"),
    ("Le 12 mars 2027, le conseil municipal votera le budget.",
     "Conseil municipal", (2027, 3, 12), None, ""),
    ("Une réunion d'information se tiendra le mardi 15 juin 2027 de 18h à 20h à l'espace "
     "Jean Vilar.", "Réunion d'information", (2027, 6, 15), (18, 0), "Espace Jean Vilar"),
    ("Séance du conseil : 1er juin 2027, 19 h.", "Séance du conseil", (2027, 6, 1), (19, 0),
     ""),
    ("CONSEIL DE TERRITOIRE - 14 MARS 2027 A 18H", "Conseil de territoire", (2027, 3, 14),
     (18, 0), ""),
    ("- 20 avril 2027 : atelier participatif en visioconférence",
     "Atelier participatif", (2027, 4, 20), None, "Visioconférence"),
    ("Le jury se réunira le 9 sept. 2027 à 14 heures, en mairie.",
     "Jury", (2027, 9, 9), (14, 0), "Mairie"),
])
def test_a_date_becomes_a_titled_dated_placed_proposal(
        text: str, title: str, day: tuple[int, int, int], at: tuple[int, int] | None,
        place: str) -> None:
    found = one(text, page=4)
    assert (found.title, found.day, found.at, found.place, found.page) == (
        title, day, at, place, 4)
    assert found.sentence == " ".join(text.split())


@pytest.mark.parametrize("text", [
    "Conformément à la loi du 7 août 2015, le territoire exerce la compétence.",
    "Le rapport annuel a été rédigé le 12 mars 2027.",  # a date, but no event
    "Le conseil se réunira le 31 février 2027.",  # no such day
    "La séance commence à 18 h.",  # a time without a date
    "Le conseil se réunira le 12 mars.",  # no year, and none in the document
    "Le conseil s'est réuni en 1870.",
])
def test_what_is_not_an_event_date_is_not_proposed(text: str) -> None:
    assert find_dates([(1, text)]) == []


def test_a_date_without_its_year_takes_the_year_of_the_document() -> None:
    found = find_dates([
        (1, "Programme 2027 : le conseil se réunira le 12 janvier 2027 puis le 14 avril 2027."),
        (2, "Les ateliers auront lieu le 3 mai et le 10 mai à la médiathèque."),
        (3, "Rappel : la loi du 7 août 2015 est appliquée."),
    ])
    assert [(p.day, p.title, p.place) for p in found if p.page == 2] == [
        ((2027, 5, 3), "Ateliers", "Médiathèque"), ((2027, 5, 10), "Ateliers", "Médiathèque")]


def test_an_event_told_twice_is_proposed_once_with_its_time_and_first_page() -> None:
    found = find_dates([
        (2, "Le conseil de territoire se réunira le 12 mars 2027 à 18 h 30."),
        (5, "Calendrier\n\n12 mars 2027 : conseil territorial en salle du conseil"),
        (6, "Le conseil de territoire se réunira le 12 mars 2027 à 18 h 30."),
        (7, "Une réunion publique aura lieu le 12 mars 2027 à 10 h."),  # another event
    ])
    assert [(p.title, p.at, p.page, p.place) for p in found] == [
        ("Réunion publique", (10, 0), 7, ""),
        ("Conseil de territoire", (18, 30), 2, "Salle du conseil")]


def test_proposals_are_sorted_by_date_and_the_past_ones_counted() -> None:
    found = find_dates([
        (1, "Le conseil s'est réuni le 3 février 2021 en séance publique."),
        (2, "Réunion publique le 15 juin 2027."),
        (3, "Réunion publique le 10 avril 2027 à 9 h."),
        (4, "Atelier le 1er avril 2027."),
    ])
    assert [p.day for p in found] == [(2021, 2, 3), (2027, 4, 1), (2027, 4, 10), (2027, 6, 15)]
    now = datetime(2027, 4, 1, 15, 0, tzinfo=PARIS)  # the day of the workshop, afternoon
    assert upcoming(found, now) == ([1, 2, 3], 1)
    later = datetime(2027, 4, 10, 9, 1, tzinfo=PARIS)  # a minute after the meeting began
    assert upcoming(found, later) == ([3], 3)


def test_each_line_of_a_calendar_is_its_own_event() -> None:
    found = find_dates([(3, "Calendrier 2027\n12 mars 2027 : conseil territorial\n"
                            "15 avril 2027 : réunion publique à la médiathèque • 20 mai 2027 : "
                            "atelier participatif")])
    assert [(p.day, p.title, p.place) for p in found] == [
        ((2027, 3, 12), "Conseil territorial", ""),
        ((2027, 4, 15), "Réunion publique", "Médiathèque"),
        ((2027, 5, 20), "Atelier participatif", "")]
