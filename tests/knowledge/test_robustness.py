"""Whatever is typed into the chat, `ask` answers: never an exception, never an empty or
over-long reply."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from knowledge.engine import Answer, AnswerEngine, AnswerKind

MAX_CHARS = 600

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)


def _check(answer: Answer) -> None:
    assert isinstance(answer, Answer)
    assert isinstance(answer.kind, AnswerKind)
    text = answer.text()
    assert isinstance(text, str)
    assert text.strip(), "réponse vide"
    assert len(text) <= MAX_CHARS, f"{len(text)} caractères"


@SETTINGS
@given(st.text())
def test_any_unicode_text(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=300))
def test_any_utf8_text(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


FRENCHISH = st.sampled_from(
    "qui quand combien c ki qd cb l' d' qu' logement PCAET ligne 14 l15 m14 Vitry 593 434 "
    "8,9 M€ 56 % axe 2 élu VP président piscine culture -  ? ! … « » ’ œ".split(" ")
)


@SETTINGS
@given(st.lists(FRENCHISH, max_size=25).map(" ".join))
def test_word_salad_of_the_domain(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


@SETTINGS
@given(st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"])))
def test_control_and_format_characters(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


@SETTINGS
@given(st.text(alphabet=st.characters(categories=["P", "S"]), max_size=200))
@example("%%")  # a symbol whose typed form is empty once cleaned (crashed the dictionary look-up)
def test_only_punctuation_and_symbols(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


@SETTINGS
@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", " ?", " €", " %"]))
def test_bare_numbers(shared_engine: AnswerEngine, number: int, suffix: str) -> None:
    _check(shared_engine.ask(f"{number}{suffix}"))


@pytest.mark.parametrize(
    "question",
    [
        "",
        " ",
        "\n\n\t  \r\n",
        "\u00a0\u202f\u2009\u200b",
        "?",
        "?!?!…",
        "«»—–-_/\\|*&^%$#@!",
        "😀",
        "🚇🚲🏊‍♀️👍🏽",
        "\x00",
        "\x00\x01\x02\x1b[31mrouge\x1b[0m",
        "\ud7ff\ue000\uffff",
        "ما هو PCAET؟",
        "מי אחראי על הדיור?",
        "\u202equi gère le logement ?\u202c",
        "\u200fligne 14\u200e vitry",
        "Z̷̡̛a̸͖l̶g̵o̴ ̷l̸o̵g̵e̶m̸e̸n̸t̴",
        "ｑｕｉ ｇèｒｅ ｌｅ ｌｏｇｅｍｅｎｔ",
        "ℌ𝔢𝔩𝔩𝔬 𝕡𝕚𝕤𝕔𝕚𝕟𝕖",
        "'" * 500,
        "l'" * 300,
        "-" * 1000,
        "a" * 10_000,
        "logement " * 1_200,
        "qui " * 2_500,
        "é" * 10_000,
        "9" * 10_000,
        "ligne 14 " * 1_000,
        "<b>logement</b> <script>alert(1)</script>",
        "'; DROP TABLE person; --",
        "{{7*7}} ${jndi:ldap://x} %s %n",
        "null",
        "None",
        "axe 99",
        "axe 0",
        "ligne 99 vitry",
        "ligne 0",
    ],
)
def test_edge_inputs(shared_engine: AnswerEngine, question: str) -> None:
    _check(shared_engine.ask(question))


def test_ten_thousand_characters_of_prose(shared_engine: AnswerEngine) -> None:
    sentence = "Bonjour, je voudrais savoir qui s'occupe du logement dans notre commune. "
    question = (sentence * (10_000 // len(sentence) + 1))[:10_000]
    assert len(question) == 10_000
    _check(shared_engine.ask(question))


def test_the_database_is_untouched_by_garbage(shared_engine: AnswerEngine) -> None:
    """Even after the fuzzing above, normal questions still get their usual answer."""
    answer = shared_engine.ask("qui gère le logement ?")
    assert answer.kind is AnswerKind.ANSWER
    assert "BENSARSA" in answer.text()
