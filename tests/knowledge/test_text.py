"""French normalisation for matching: what officials type must meet what the slides say."""

from __future__ import annotations

import pytest

from knowledge.text import (
    MAX_QUESTION_CHARS,
    digits_for_words,
    fold,
    is_french,
    normalize,
    numbers_in,
    stem,
    stop_form,
    tokens,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ÉCLAIRAGE PUBLIC", "eclairage public"),
        ("Équipements Sportifs", "equipements sportifs"),
        ("Mise en œuvre", "mise en oeuvre"),
        ("CŒUR DE VILLE", "coeur de ville"),
        ("ex æquo", "ex aequo"),
        ("L'Haÿ", "hay"),
        ("Viry-Châtillon", "viry chatillon"),
        ("  plusieurs   espaces\tet\nlignes  ", "plusieurs espaces et lignes"),
    ],
)
def test_accents_case_ligatures_and_spaces(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("l'habitat indigne", "habitat indigne"),
        ("L’habitat indigne", "habitat indigne"),  # typographic apostrophe
        ("l‘habitat", "habitat"),
        ("d'insertion", "insertion"),
        ("D’INSERTION", "insertion"),
        ("qu'il", "il"),
        ("qu’elle", "elle"),
        ("l'ESS", "ess"),
        ("s'occupe", "occupe"),
        ("jusqu'en 2022", "en 2022"),
    ],
)
def test_elisions_are_removed(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_fold_keeps_elisions_but_unifies_apostrophes() -> None:
    assert fold("L’Habitat") == "l'habitat"
    assert fold("L‘habitat") == fold("l'habitat")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jean-Luc", "jean luc"),
        ("BENSARSA-REDA", "bensarsa reda"),
        ("Villeneuve-Saint-Georges", "villeneuve saint georges"),
        ("bio-déchets", "bio dechets"),
        ("2021-2026", "2021 2026"),
    ],
)
def test_hyphens_become_spaces(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("quest ce qui change", "est ce qui change"),  # as "qu'est-ce qui change"
        ("keskon fait", "est ce on fait"),
        ("ce nest pas a vitry", "ce est pas a vitry"),  # as "ce n'est pas à Vitry"
        ("c ki", "c est qui"),
        ("c ki le vp", "c est qui le vp"),
        ("qd", "quand"),
        ("c qd le copil", "c est quand le copil"),
        ("cb", "combien"),
        ("cb de gares", "combien de gares"),
        ("KI gère", "qui gere"),
        ("koi", "quoi"),
        ("nb de vp", "nombre de vp"),
        ("y a til des gares", "y a t il des gares"),
    ],
)
def test_sms_shorthand(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_sms_words_inside_real_words_are_left_alone() -> None:
    # "c", "ki"… are whole tokens only: "kiosque" or "cb" inside a word stay as they are
    assert normalize("kiosque") == "kiosque"
    assert normalize("cbien") == "combien"
    assert "qui" not in normalize("ski").split()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("593 434", "593434"),
        ("593\u00a0434", "593434"),  # no-break space
        ("593\u202f434", "593434"),  # narrow no-break space
        ("308 770 heures", "308770 heures"),
        ("1 234 567", "1234567"),
        ("593434", "593434"),
    ],
)
def test_grouped_numbers_are_joined(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8,9", "8.9"),
        ("8,9 M€", "8.9 m€"),
        ("0,9 M€", "0.9 m€"),
        ("1,4", "1.4"),
        ("56 %", "56 %"),
        ("56%", "56%"),
    ],
)
def test_decimals_and_units(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_numbers_in_reads_normalised_numbers() -> None:
    assert numbers_in(normalize("les 593 434 heures et 8,9 M€")) == [593434.0, 8.9]
    assert numbers_in(normalize("891 ?")) == [891.0]
    assert numbers_in(normalize("aucun chiffre")) == []


@pytest.mark.parametrize(
    "raw",
    ["l14", "L14", "L 14", "l 14", "ligne14", "ligne 14", "Ligne 14", "m14", "M 14", "métro 14",
     "metro14", "lignes 14"],
)
def test_metro_line_14_spellings(raw: str) -> None:
    assert normalize(raw) == "ligne 14"


@pytest.mark.parametrize("raw", ["l15", "L 15", "ligne15", "m15", "LIGNE 15"])
def test_metro_line_15_spellings(raw: str) -> None:
    assert normalize(raw) == "ligne 15"


def test_lines_inside_a_question() -> None:
    assert normalize("vitry l14 ?") == "vitry ligne 14"
    assert normalize("Villejuif, L 15 : combien ?") == "villejuif ligne 15 combien"


def test_a_word_ending_in_l_or_m_is_not_a_metro_line() -> None:
    assert "ligne" not in normalize("appel 14 fois")
    assert "ligne" not in normalize("programme 15")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("sportif", "sportive"),
        ("sportive", "sportives"),
        ("equipement", "equipements"),
        ("culturel", "culturels"),
        ("culturel", "culturelle"),
        ("culturelle", "culturelles"),
        ("piscine", "piscines"),
        ("conservatoire", "conservatoires"),
        ("logement", "logements"),
        ("local", "locaux"),
        ("delegue", "delegues"),
        ("productif", "productive"),
        ("productive", "productives"),
        ("finance", "finances"),
    ],
)
def test_stem_merges_plural_and_feminine(a: str, b: str) -> None:
    """Inflections share a key (the library's lemma, then Snowball); derivations such as
    sport/sportifs are met by the index's prefix matching instead (test_index)."""
    assert stem(a) == stem(b)


def test_stem_reads_verb_forms_through_their_lemma() -> None:
    assert stem("gèrent") == stem("gérer") and stem("fera") == stem("font")


@pytest.mark.parametrize(("a", "b"), [("sport", "logement"), ("culture", "cuisine"),
                                      ("piscine", "police")])
def test_stem_keeps_different_words_apart(a: str, b: str) -> None:
    assert stem(a) != stem(b)


@pytest.mark.parametrize("token", ["bus", "vp", "ess", "t9", "2021", "593434", "14", "a"])
def test_stem_leaves_short_words_and_numbers_alone(token: str) -> None:
    assert stem(token) == token


def test_stem_of_empty_token() -> None:
    assert stem("") == ""


@pytest.mark.parametrize("raw", ["", " ", "   \n\t  ", "\u00a0\u202f", "😀", "🚇🚲🏊", "?!…",
                                 "« »", "\u200b\u200d", "\x00\x01\x1f"])
def test_empty_whitespace_emoji_and_punctuation_give_nothing(raw: str) -> None:
    assert normalize(raw) == ""
    assert tokens(normalize(raw)) == []


def test_emoji_next_to_words_is_dropped() -> None:
    assert normalize("🚇 ligne 14 😀") == "ligne 14"
    assert normalize("piscine🏊") == "piscine"


def test_long_input_is_cut() -> None:
    assert len(normalize("logement " * 2000)) <= MAX_QUESTION_CHARS


def test_normalize_is_idempotent_on_typical_questions() -> None:
    for raw in ["Qui s'occupe de l'habitat indigne ?", "vitry l14", "8,9 M€ c quoi",
                "593 434 heures", "Pass-Piscine", "Mise en œuvre du PCAET"]:
        once = normalize(raw)
        assert normalize(once) == once


def test_tokens_drop_stop_words() -> None:
    assert tokens(normalize("Qui s'occupe du logement dans le territoire ?")) == [
        "logement", "territoire"]


def test_storable_text_has_no_nul() -> None:
    """PostgreSQL refuses NUL in text columns: whatever a user typed is stored without it."""
    from knowledge.text import storable

    assert storable("quand\x00 le pcaet\x00") == "quand le pcaet"


@pytest.mark.parametrize(("raw", "expected"), [
    ("trois cent douze habitants", "312 habitants"),
    ("vers la ligne dix-huit", "vers la ligne 18"),
    ("cinq virgule deux millions d'euros", "5,2 millions d'euros"),  # one number, said so
    ("six millions de m²", "six millions de m²"),  # ten and under, alone: a word
    ("les deux vice-présidents", "les deux vice-présidents"),
    ("quatre-vingt-dix-sept ateliers", "97 ateliers"),
    ("trente pour cent", "30 %"),  # a unit, not a hundred
])
def test_numbers_typed_in_words_become_digits(raw: str, expected: str) -> None:
    assert digits_for_words(raw) == expected


def test_forms_of_a_stop_words_verb_are_stop_forms() -> None:
    """'peut' is a stop word: 'peux' and 'pourrions' are forms of its verb; a topic is not."""
    assert stop_form("peux") and stop_form("pourrions")
    assert not stop_form("piscines")


@pytest.mark.parametrize(("word", "french"), [("année", True), ("annee", True),
                                               ("renouveles", True), ("priortes", False),
                                               ("calendrer", False)])
def test_a_french_word_is_known_with_or_without_its_accents(word: str, french: bool) -> None:
    assert is_french(word) is french
