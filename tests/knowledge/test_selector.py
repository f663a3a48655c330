"""The learned answer engine (ANSWER_ENGINE=learned): its trees as JSON evaluate as
scikit-learn does, its model knows every feature the engine computes, what admins add is
answered without retraining, and it stays a drop-in for the rules engine."""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bench.judge import MAX_CHARS, contains, is_dont_know, load_questions
from bench.train import export
from bot.settings import Settings
from knowledge import models
from knowledge.answers import AnswerKind
from knowledge.selector import MODEL_PATH, Forest, LearnedEngine, choose, lemma, with_gaps

OWN = Path(__file__).resolve().parents[2] / "bench" / "questions" / "own.yaml"


@pytest.fixture(scope="module")
def learned(shared_db: Engine, tz: ZoneInfo) -> LearnedEngine:
    return LearnedEngine(shared_db, tz)


def test_the_exported_trees_give_scikit_learns_probabilities(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    x = rng.random((400, 4))
    y = ((x[:, 0] > 0.5) ^ (x[:, 2] > 0.7)).astype(int)  # needs more than one split
    model = HistGradientBoostingClassifier(max_iter=40, max_leaf_nodes=7,
                                           random_state=0, early_stopping=False).fit(x, y)
    names = ["a", "b", "c", "d"]
    forest = Forest(json.loads(json.dumps(export(model, names, 0.1))))
    rows = [dict(zip(names, row, strict=True)) for row in rng.random((50, 4))]
    expected = model.predict_proba(np.array([list(r.values()) for r in rows]))[:, 1]
    assert np.allclose(forest.probabilities(rows), expected, atol=1e-5)
    assert forest.bias == 0.1


def test_abstention_is_the_last_candidate_favoured_by_the_bias() -> None:
    probabilities = np.array([0.5, 0.2, 0.4])
    assert choose(probabilities, 0.0) == 0
    assert choose(probabilities, 0.15) == 2  # 0.4 + 0.15 beats 0.5


def test_the_shipped_model_knows_every_feature_the_engine_computes(
        learned: LearnedEngine) -> None:
    """A feature added without running bench/train.py again would be ignored silently."""
    model = learned.model
    assert model is not None and MODEL_PATH.exists()
    known = set(model.names)
    for item in load_questions(OWN)[:60]:
        query = learned.parse(item["question"])
        rules, candidates, ranked = learned.candidates(query)
        rows = with_gaps([learned.features(query, c, ranked, rules) for c in candidates])
        unknown = {name for row in rows for name in row} - known
        assert not unknown, f"{item['question']!r}: {sorted(unknown)}"


def test_lemmas_come_from_the_library() -> None:
    assert lemma("mediatheques") == lemma("médiathèque") == lemma("Médiathèques")
    assert lemma("gèrent") == lemma("gérer") == lemma("gerer")


@pytest.mark.parametrize(("question", "needle"), [
    ("le président de l'EPT c'est qui déjà", "LEPRÊTRE"),
    ("donne moi les axes du mandat vite fait", "axe 2"),
    ("combien de beneficiaires a vitry sur la ligne 15", "28"),
])
def test_it_answers_like_an_engine(learned: LearnedEngine, question: str, needle: str) -> None:
    answer = learned.ask(question)
    assert answer.kind is AnswerKind.ANSWER, answer.text()
    assert contains(answer.text(), needle), answer.text()
    assert len(answer.text()) <= MAX_CHARS and answer.sources


def test_it_says_it_does_not_know_what_no_entry_records(learned: LearnedEngine) -> None:
    answer = learned.ask("quel est le numéro de portable du président ?")
    assert is_dont_know(answer.kind is AnswerKind.UNKNOWN, answer.text()), answer.text()


def test_what_an_admin_adds_is_answered_without_retraining(db: Engine, tz: ZoneInfo) -> None:
    question = "c'est quoi le plan baignade estivale ?"
    engine = LearnedEngine(db, tz)
    assert not contains(engine.ask(question).text(), "bassins nordiques")
    with Session(db) as session:
        session.add(models.Fact(key="plan-baignade", title="Plan baignade estivale",
                                text="Ouverture de 3 bassins nordiques l'été dans les parcs."))
        session.commit()
    engine.reload()
    answer = engine.ask(question)
    assert answer.kind is AnswerKind.ANSWER and contains(answer.text(), "bassins nordiques")


def test_the_setting_chooses_the_engine_and_refuses_others_in_french() -> None:
    assert Settings(answer_engine="learned").answer_engine == "learned"
    assert Settings().answer_engine == "rules"
    with pytest.raises(ValueError, match="moteur de réponses inconnu"):
        Settings(answer_engine="magique")


def test_an_unreachable_precision_target_takes_the_closest_bias() -> None:
    """When no abstention bias reaches the out-of-scope target, the one that comes closest
    is kept, not the one that answers most (it would answer every out-of-scope question)."""
    from bench.train import Question, choose_bias

    def question(abstain_ok: bool) -> Question:
        return Question(item={"category": "x"}, rows=[{}, {}],
                        labels=[0, 1] if abstain_ok else [1, 0], abstain_ok=abstain_ok,
                        rules_ok=False)

    questions = [question(True), question(True), question(False)]
    decided = [np.array([p, 0.0]) for p in (0.95, 0.55, 0.5)]
    bias, table = choose_bias(questions, decided)
    assert bias == pytest.approx(0.6), table
    assert "out of reach" in table[-1]
