"""knowledge.admin_store.fields and specs: `champ=valeur` words, entity names."""

from __future__ import annotations

import pytest
from admin_helpers import (
    ELU,
    JALON,
    MILESTONE,
    raw,
)

from knowledge import admin_store as store
from knowledge.admin_store import AdminError


def test_assignments_accept_quotes_typographic_quotes_apostrophes_and_bare_words() -> None:
    assert raw(JALON, MILESTONE) == {
        "titre": "Approbation du PCAET", "projet": "PCAET", "date": "15/03/2027",
        "heure": "10h", "lieu": "Conseil territorial, Vitry-sur-Seine"}
    assert raw(JALON, "titre=«Vote du budget» lieu=“Salle d'honneur”") == {
        "titre": "Vote du budget", "lieu": "Salle d'honneur"}
    assert raw(JALON, "titre=Vote de l'EPT projet=Budget") == {
        "titre": "Vote de l'EPT", "projet": "Budget"}
    assert raw(JALON, "Étape=Vote mots-clés=a,b") == {"etape": "Vote", "mots_cles": "a,b"}


@pytest.mark.parametrize(("command", "message"), [
    ('titre="Approbation du PCAET', "guillemets non refermés"),
    ("lieux=Vitry", "champ « lieux » inconnu pour un jalon"),
    ("titre=a titre=b", "donné deux fois"),
    ("Approbation", "écrivez champ=valeur"),
])
def test_assignment_mistakes_are_told_in_french(command: str, message: str) -> None:
    with pytest.raises(AdminError, match=message):
        raw(JALON, command)


def test_a_huge_value_is_refused_naming_the_field() -> None:
    with pytest.raises(AdminError) as caught:
        raw(JALON, "description=" + "x" * 100_000)
    assert "« description » est trop long" in str(caught.value)
    assert "100\u202f000 caractères, 1\u202f000 au maximum" in str(caught.value)


def test_entity_names_are_forgiving_but_unknown_ones_are_refused() -> None:
    assert store.entity_spec("Élus") is ELU
    assert store.entity_spec("priorités").name == "priorite"
    with pytest.raises(AdminError, match="entité « commune » inconnue"):
        store.entity_spec("commune")


def test_a_date_typed_with_its_time_fills_the_time_field() -> None:
    assert raw(JALON, "titre=Copil date=15/01/2027 à 18h30") == {
        "titre": "Copil", "date": "15/01/2027", "heure": "18h30"}
    assert raw(JALON, "date=15/01/2027 heure=9h") == {"date": "15/01/2027", "heure": "9h"}
