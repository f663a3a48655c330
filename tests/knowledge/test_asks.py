"""knowledge.asks and knowledge.answers.shorten: cutting a question into two asks, and
telling several answers in 600 characters without dropping anything silently."""

from __future__ import annotations

import itertools

import pytest

from knowledge.answers import Answer, AnswerKind, fit, shorten
from knowledge.asks import MAX_CUTS, combine, two_asks
from knowledge.engine import AnswerEngine
from knowledge.tuning import MAX_ANSWER_CHARS, MIN_LINE_CHARS


def test_a_second_ask_after_a_verb_of_asking_is_cut() -> None:
    """', et savoir quand …' / 'et à quoi …' start a second ask like ', et quand …'."""
    cuts = two_asks("Je voudrais le nom de l'élue aux finances et savoir quand le pacte "
                    "sera prêt")
    assert ("Je voudrais le nom de l'élue aux finances", "quand le pacte sera prêt",
            False) in cuts
    assert two_asks("qui suit l'ESS, et à quoi servent ses appels à projets")[0][1] == (
        "à quoi servent ses appels à projets")


def test_a_second_ask_starting_with_c_est_is_cut() -> None:
    """« c'est » keeps its apostrophe after folding: ', et c'est quoi …' is a second ask."""
    assert two_asks("qui gère la voirie et c'est quoi le projet des berges ?")[0][1] == (
        "c'est quoi le projet des berges ?")
    assert two_asks("le tramway et c’est prévu pour quand")[0][1] == "c’est prévu pour quand"


def test_shorten_cuts_long_lines_before_dropping_any() -> None:
    lines = ["Titre :", *[f"• élément {i} " + "mot " * 40 for i in range(4)]]
    short = shorten(lines, 400)
    assert len("\n".join(short)) <= 400
    assert len(short) == len(lines)  # every line kept, each cut at a word
    assert all(line.endswith("…") and len(line) >= MIN_LINE_CHARS // 2 for line in short[1:])


def test_shorten_says_how_many_lines_it_dropped() -> None:
    lines = ["Titre :", *[f"• élément numéro {i} " + "mot " * 20 for i in range(12)]]
    short = shorten(lines, 300)
    assert len("\n".join(short)) <= 300
    assert short[-1].startswith("(et ") and short[-1].endswith(" de plus : voir la source)")
    assert "…" not in short[-1]  # a count, not a cut
    dropped = int(short[-1].split()[1])
    assert len(short) - 2 + dropped == len(lines) - 1


def test_fit_never_drops_silently() -> None:
    answer = Answer(AnswerKind.ANSWER, "q", "Titre :",
                    [f"• point {i} " + "texte " * 15 for i in range(10)], ["Source : x"])
    fitted = fit(answer)
    assert len(fitted.text()) <= MAX_ANSWER_CHARS
    assert "voir la source" in fitted.body[-1]


def test_two_answers_combined_keep_both_sources() -> None:
    first = Answer(AnswerKind.ANSWER, "a", "Première réponse.", [], ["doc, diapositive 3 « A »"])
    second = Answer(AnswerKind.ANSWER, "b", "Seconde réponse :",
                    [f"• point {i} " + "texte " * 12 for i in range(8)],
                    ["doc, diapositive 9 « B »"])
    combined = combine("a et b", "a et b", [first, second])
    text = combined.text()
    assert len(text) <= MAX_ANSWER_CHARS
    assert "Première réponse." in text and "Seconde réponse" in text
    assert "diapositive 3" in text and "diapositive 9" in text


def test_a_gist_goes_on_to_its_keyword_from_the_start_of_its_item() -> None:
    """Never '…7 ludothèques…': a quote starts where its item starts, and ends with '…'
    only where it is cut, never a word or two before the item's own end."""
    from knowledge.render import gist
    item = "Une mise à niveau des locaux pour accueillir les 7 ludothèques du réseau"
    told = gist(item, 4, ["ludothèques"])
    assert told == "mise à niveau des locaux pour accueillir les 7 ludothèques du réseau", told
    assert gist(item, 2, ["ludothèques"]) == "mise à…"  # too far on: the item's start only
    told = gist("Une réservation du foncier pour l'activité productive dans le PLUi et un "
                "rééquilibrage habitat et emploi sur le territoire", 3, ["PLUi"])
    assert told == "réservation du foncier pour l'activité productive dans le PLUi…", told
    assert gist("Relier les communes entre elles par des pistes sûres", 3, ["vélo"]) == (
        "Relier les communes entre…")


def test_the_detail_not_recorded_is_named_as_typed(shared_engine: AnswerEngine) -> None:
    answer = shared_engine.ask("Clément Decrouy a quel âge ?")
    assert "(âge)" in answer.text(), answer.text()


# ------------------------------------------------------------------ bounded work (issue #18)
# the whole question, both halves of each cut tried, once the rest's own two halves
# (three asks in one message), and once each half alone when both name one entry
MOST_ANSWERS = 1 + 2 * MAX_CUTS + 2 + 2


@pytest.fixture
def counted(shared_engine: AnswerEngine, monkeypatch: pytest.MonkeyPatch) -> itertools.count:
    """The engine's answers to one question are counted; past MOST_ANSWERS the test fails
    at once (cutting the halves again made it 3^11 answers for 12 '?', minutes of work)."""
    answers = itertools.count(1)
    respond = shared_engine._respond

    def counting(*args: object, **kwargs: object) -> Answer:
        number = next(answers)
        assert number <= MOST_ANSWERS, f"{number} answers computed for one question"
        return respond(*args, **kwargs)

    monkeypatch.setattr(shared_engine, "_respond", counting)
    return answers


@pytest.mark.parametrize("times", [12, 18])
def test_a_question_repeated_with_question_marks_is_a_few_answers_of_work(
        shared_engine: AnswerEngine, counted: itertools.count, times: int) -> None:
    question = "qui s'occupe du logement ? " * times
    assert 300 <= len(question) <= 500
    answer = shared_engine.ask(question)
    assert answer.kind is AnswerKind.ANSWER
    assert "BENSARSA-REDA" in answer.text()


@pytest.mark.parametrize("question", [
    "qui s'occupe du logement ? et quand le PCAET sera-t-il approuvé ?",
    "quand le PCAET sera-t-il approuvé ? et qui s'occupe du logement ?",
])
def test_a_genuine_two_part_question_still_gets_both_answers(
        shared_engine: AnswerEngine, counted: itertools.count, question: str) -> None:
    text = shared_engine.ask(question).text()
    assert "BENSARSA-REDA" in text and "Calendrier — PCAET" in text
