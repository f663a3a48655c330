"""knowledge.grammar: agreement read from titles, figures that never say their unit twice."""

from __future__ import annotations

import pytest

from knowledge import grammar


@pytest.mark.parametrize(
    ("title", "feminine"),
    [
        ("Président", False),
        ("Présidente", True),
        ("vice-présidente déléguée au logement", True),
        ("vice-président délégué à l'urbanisme", False),
        ("conseillère déléguée au vélo", True),
        ("conseiller délégué aux activités productives", False),
        ("", False),
    ],
)
def test_gender_is_read_from_the_title(title: str, feminine: bool) -> None:
    assert grammar.is_feminine(title) is feminine


def test_referents_agree_in_gender_and_number() -> None:
    assert grammar.referents(["vice-présidente"]) == "Élue référente"
    assert grammar.referents(["vice-président"]) == "Élu référent"
    assert grammar.referents(["vice-présidente", "conseillère"]) == "Élues référentes"
    assert grammar.referents(["vice-présidente", "conseiller"]) == "Élus référents"
    assert grammar.plural(1, "correspond", "correspondent") == "correspond"
    assert grammar.plural(3, "correspond", "correspondent") == "correspondent"


@pytest.mark.parametrize(
    ("value", "unit", "label", "expected"),
    [
        ("56 %", "%", "Déplacements internes", ("56 %", " — Déplacements internes")),
        ("56", "%", "Déplacements internes", ("56 %", " — Déplacements internes")),
        ("11", "NPRU", "NPRU à Grand-Orly Seine Bièvre", ("11 NPRU", " à Grand-Orly Seine Bièvre")),
        ("215", "élus", "Élus mobilisés", ("215 élus", " mobilisés")),
        ("5", "ans", "Durée d'élaboration", ("5 ans", " — Durée d'élaboration")),
        ("12", "conservatoires", "Conservatoires", ("12 conservatoires", "")),
        ("3", "lignes", "Lignes directrices", ("3 lignes", " directrices")),
        ("4", "ans", "Ansérine", ("4 ans", " — Ansérine")),  # a prefix, not the word
        ("deux fois plus vite", "", "Croissance", ("deux fois plus vite", " — Croissance")),
    ],
)
def test_figure_phrase_never_says_the_unit_twice(value: str, unit: str, label: str,
                                                 expected: tuple[str, str]) -> None:
    assert grammar.figure_phrase(value, unit, label) == expected
