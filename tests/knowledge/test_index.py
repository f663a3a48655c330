"""The fuzzy inverted index on its own: matching terms, IDF coverage, entry terms."""

from __future__ import annotations

import pytest

from knowledge.index import Doc, FuzzyIndex, Position
from knowledge.text import normalize, stem


@pytest.fixture
def index() -> FuzzyIndex:
    return FuzzyIndex([
        Doc("priority", 1, 0, [("équipements sportifs transférés", 3.0)]),
        Doc("priority", 1, 1, [("natation scolaire", 3.0), ("sport", 1.5)]),
        Doc("fact", 2, 0, [("conservatoires de musique", 3.0), ("réseau culturel", 1.0)]),
        Doc("figure", 3, 0, [("heures d'insertion", 3.0)]),
    ])


def _covered(index: FuzzyIndex, *words: str) -> dict[tuple[str, int], float]:
    totals, mass = index.score([Position((w,)) for w in words])
    shares: dict[tuple[str, int], float] = {}
    for doc_idx, covered in totals.items():
        doc = index.docs[doc_idx]
        shares[(doc.kind, doc.entry_id)] = max(shares.get((doc.kind, doc.entry_id), 0.0),
                                               covered / mass)
    return shares


def test_an_exact_word_matches_fully(index: FuzzyIndex) -> None:
    assert index.term_matches("natation")[0] == (stem("natation"), 1.0)


@pytest.mark.parametrize(("word", "indexed"), [("sport", "sportifs"), ("culture", "culturel"),
                                               ("deleguee", "delegue"), ("logemnt", "logement")])
def test_derivations_feminines_and_typos_meet_the_word_as_written(word: str,
                                                                   indexed: str) -> None:
    """The library's stems are short ('logement' → 'log'): prefixes and typos are judged on
    the words as written."""
    index = FuzzyIndex([Doc("fact", 1, 0, [(indexed, 3.0)])])
    assert stem(indexed) in dict(index.term_matches(word))


def test_plural_and_prefix_forms_match(index: FuzzyIndex) -> None:
    terms = dict(index.term_matches("conservatoire"))
    assert terms  # singular of an indexed plural
    assert any(term.startswith("sport") for term in dict(index.term_matches("sportifs")))


def test_a_typo_matches_but_not_a_different_first_letter(index: FuzzyIndex) -> None:
    assert dict(index.term_matches("natatoin"))
    assert not index.term_matches("matation")


@pytest.mark.parametrize(("typed", "indexed"), [("konservatoir", "conservatoires"),
                                                ("logeman", "logement"),
                                                ("kolekte", "collecte"),
                                                ("prezidan", "président")])
def test_a_word_typed_as_it_sounds_meets_the_word_as_spelt(typed: str, indexed: str) -> None:
    """Someone who writes as he speaks ('k' for 'c', 'an' for 'ent', no mute ending) is
    still understood, when no closer spelling is found."""
    index = FuzzyIndex([Doc("fact", 1, 0, [(indexed, 3.0)])])
    assert stem(normalize(indexed)) in dict(index.term_matches(typed))


def test_a_real_word_is_not_read_as_another_that_sounds_alike() -> None:
    """A word of the dictionary is what it says: 'cygne' is no spelling of 'signe', though
    both sound the same; only words no dictionary knows are read by their sound."""
    index = FuzzyIndex([Doc("fact", 1, 0, [("des signes encourageants", 3.0)])])
    assert not index.term_matches("cygne")
    assert index.term_matches("sygne")


def test_unknown_words_lower_the_coverage(index: FuzzyIndex) -> None:
    alone = _covered(index, "natation")[("priority", 1)]
    diluted = _covered(index, "natation", "horoscope")[("priority", 1)]
    assert alone == pytest.approx(1.0)
    assert diluted < 0.6


def test_the_field_weight_counts(index: FuzzyIndex) -> None:
    shares = _covered(index, "culturel")
    assert shares[("fact", 2)] < 0.5  # found only in a light field


def test_holds_reads_the_entry_own_words(index: FuzzyIndex) -> None:
    assert index.holds("priority", 1, "natation")
    assert index.holds("fact", 2, "conservatoire")
    assert not index.holds("fact", 2, "natation")
    assert not index.holds("figure", 99, "heures")


def test_an_empty_index_scores_nothing() -> None:
    totals, mass = FuzzyIndex([]).score([Position(("rien",))])
    assert not totals and mass > 0


def test_a_verb_finds_its_re_derivative() -> None:
    index = FuzzyIndex([Doc("priority", 1, 0, [("recherches de mécènes", 3.0)])])
    assert [term for term, _ in index.term_matches("chercher")] == ["recherch"]
    assert index.term_matches("chercher")[0][1] < 1.0  # a derivative, not the word itself


def test_one_word_of_a_phrase_is_not_the_phrase() -> None:
    """A synonym's phrase ('agriculture urbaine') counts in the share of it an entry holds:
    'renouvellement urbain' must not match it as much as 'agriculture urbaine' does."""
    index = FuzzyIndex([
        Doc("priority", 1, 0, [("le renforcement de l'agriculture urbaine", 3.0)]),
        Doc("person", 2, 0, [("renouvellement urbain et politique de la ville", 3.0)]),
    ])
    phrase = ("agriculture", "urbaine")
    totals, mass = index.score([Position((w,), 0.5, phrase) for w in phrase])
    assert totals[0] == pytest.approx(mass)
    assert totals[1] <= 0.25 * mass  # half of its half
