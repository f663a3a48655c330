"""Fit what the answer engines learn from labelled questions: the words officials use that
the base lacks (knowledge/lexicon.py), and the learned engine's candidate selector.

Every labelled question (bench/questions/own*.yaml, the retired holdout.yaml, the shared
dev.yaml and dev2.yaml) is asked; each candidate answer is labelled right or wrong by
bench/judge.py. Gradient-boosted trees (scikit-learn) learn how likely a candidate is
right from its features; the abstention threshold is the lowest whose cross-validated
out-of-scope precision reaches TARGET_PRECISION. Prints 5-fold cross-validated accuracy
per category and per set, and the threshold's trade-off, then writes
knowledge/data/selector.json (the trees as plain JSON: no pickle). The learned words go to
knowledge/data/lexicon.json, their purity chosen by leave-one-set-out cross-validation.
Deterministic: same questions, same files. The bot itself needs neither scikit-learn nor
this script.

    .venv/bin/python bench/train.py [--questions FILE]... [--no-write]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

from bench.judge import judge, load_questions  # noqa: E402
from knowledge.answers import AnswerKind  # noqa: E402
from knowledge.engine import AnswerEngine  # noqa: E402
from knowledge.lexicon import LEXICON_PATH, learn  # noqa: E402
from knowledge.seed import ensure_seeded  # noqa: E402
from knowledge.selector import (  # noqa: E402
    MODEL_PATH,
    WHOLE_BASE,
    Candidate,
    LearnedEngine,
    choose,
    with_gaps,
)
from knowledge.store import make_engine  # noqa: E402

TZ = ZoneInfo("Europe/Paris")
SHARED = ROOT.parent / "shared" / "questions"
QUESTIONS = ROOT / "bench" / "questions"
TRAINING_SETS = [*sorted(QUESTIONS.glob("own*.yaml"),  # own, own2 … own16: never a holdoutN
                         key=lambda p: int(p.stem[3:] or 1)),
                 QUESTIONS / "holdout.yaml", SHARED / "dev.yaml", SHARED / "dev2.yaml"]
# tried: questions a learned word is seen in with one answer, and that answer's share
LOSS_WEIGHT = 2  # a right answer turned wrong costs more than a wrong one left as it was
LEXICON_GRID = [(2, 0.6), (2, 0.4), (2, 0.3), (2, 0.2), (3, 0.3)]
TARGET_PRECISION = 0.95  # out-of-scope questions answered « je ne sais pas »
FOLDS = 5
# Small trees, many rounds, slow learning: fits ~5,000 candidates without memorising them.
TREES = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 7, "min_samples_leaf": 20,
         "early_stopping": False, "random_state": 0}


@dataclass
class Question:
    item: dict
    rows: list[dict[str, float]]  # one feature dict per candidate
    labels: list[int]
    abstain_ok: bool  # whether « je ne sais pas » is right for it
    rules_ok: bool  # whether the rules engine answers it right
    source: str = ""  # the file it comes from


def collect(engine: LearnedEngine, paths: list[Path]) -> list[Question]:
    questions = []
    for path in paths:
        for item in load_questions(path):
            query = engine.parse(item["question"])
            rules, candidates, ranked = engine.candidates(query)
            rows = with_gaps([engine.features(query, c, ranked, rules) for c in candidates])
            labels = label(item, candidates)
            questions.append(Question(
                item, rows, labels, abstain_ok=bool(item.get("expect_none")),
                rules_ok=judge(item, rules.kind is AnswerKind.UNKNOWN, rules.text()),
                source=path.name))
    return questions


def label(item: dict, candidates: list[Candidate]) -> list[int]:
    """Right (1) or wrong (0) by the judge, except that a list of the whole base (every
    official, every axis, the whole calendar) names what many questions expect: it counts
    as right only when no answer about the question's own subject is."""
    right = [judge(item, c.answer.kind is AnswerKind.UNKNOWN, c.answer.text())
             for c in candidates]
    whole = [bool(c.ways) and c.ways <= WHOLE_BASE for c in candidates]
    if any(r and not w for r, w in zip(right, whole, strict=True)):
        right = [r and not w for r, w in zip(right, whole, strict=True)]
    return [int(r) for r in right]


def vectors(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    return np.array([[row.get(n, 0.0) for n in names] for row in rows], dtype=float)


def fit(questions: list[Question], names: list[str]) -> HistGradientBoostingClassifier:
    """How likely each candidate is right, from its features (out of scope: none is)."""
    x = vectors([row for q in questions for row in q.rows], names)
    y = np.array([label for q in questions for label in q.labels])
    return HistGradientBoostingClassifier(**TREES).fit(x, y)


def decisions(questions: list[Question], model: HistGradientBoostingClassifier,
              names: list[str]) -> list[np.ndarray]:
    """Each question's candidate probabilities."""
    return [model.predict_proba(vectors(q.rows, names))[:, 1] if q.rows else np.zeros(0)
            for q in questions]


def decide(question: Question, probabilities: np.ndarray, bias: float) -> bool:
    """Whether the selector's decision on this question is right."""
    if not question.rows:  # the rules' reply stands
        return question.rules_ok
    return bool(question.labels[choose(probabilities, bias)])


def cross_validate(questions: list[Question], names: list[str]) -> list[np.ndarray]:
    """Each question's probabilities from a model that never saw it."""
    out: list[np.ndarray] = [np.zeros(0)] * len(questions)
    index = np.arange(len(questions))
    for train, test in GroupKFold(n_splits=FOLDS).split(index, groups=index):
        model = fit([questions[i] for i in train], names)
        for i, decision in zip(test, decisions([questions[i] for i in test], model, names),
                               strict=True):
            out[i] = decision
    return out


def export(model: HistGradientBoostingClassifier, names: list[str], bias: float) -> dict:
    """The trees as plain JSON (no pickle): one [feature, threshold, left, right, value]
    per node, children indexed across all trees, -1 for a leaf's children."""
    nodes, roots, depth = [], [], 0
    for (tree,) in model._predictors:  # one tree per boosting round (binary task)
        offset = len(nodes)
        roots.append(offset)
        for node in tree.nodes:
            leaf = bool(node["is_leaf"])
            nodes.append([int(node["feature_idx"]), round(float(node["num_threshold"]), 6),
                          -1 if leaf else offset + int(node["left"]),
                          -1 if leaf else offset + int(node["right"]),
                          round(float(node["value"]), 6) if leaf else 0.0])
            depth = max(depth, int(node["depth"]))
    return {"features": names, "baseline": round(float(model._baseline_prediction[0][0]), 6),
            "bias": bias, "roots": roots, "depth": depth, "nodes": nodes}


def choose_bias(questions: list[Question], decided: list[np.ndarray]
                ) -> tuple[float, list[str]]:
    """The smallest abstention bias whose out-of-scope precision reaches the target."""
    table, chosen, overall, reached = [], None, {}, {}
    out_of_scope = [i for i, q in enumerate(questions) if q.abstain_ok]
    biases = [round(b, 2) for b in np.arange(-0.3, 0.61, 0.05)]
    for bias in biases:
        right = [decide(q, d, bias) for q, d in zip(questions, decided, strict=True)]
        precision = sum(right[i] for i in out_of_scope) / max(len(out_of_scope), 1)
        overall[bias], reached[bias] = sum(right) / len(right), precision
        in_scope = [r for r, q in zip(right, questions, strict=True) if not q.abstain_ok]
        table.append(f"  bias {bias:+.2f}: out-of-scope precision {precision:6.1%}, "
                     f"in-scope {sum(in_scope) / len(in_scope):6.1%}, "
                     f"all {sum(right) / len(right):6.1%}")
        if chosen is None and precision >= TARGET_PRECISION:
            chosen = bias
    if chosen is None:  # out of reach: the closest to it (then the best overall), said so
        chosen = max(biases, key=lambda b: (round(reached[b], 3), overall[b], -b))
        table.append(f"  out-of-scope precision {TARGET_PRECISION:.0%} is out of reach: "
                     f"bias {chosen:+.2f} comes closest")
    return chosen, table


def report(questions: list[Question], decided: list[np.ndarray], bias: float) -> None:
    per_category: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    per_set: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    for q, d in zip(questions, decided, strict=True):
        per_category[q.item["category"]].append((decide(q, d, bias), q.rules_ok))
        per_set[q.source].append(per_category[q.item["category"]][-1])
    print(f"{FOLDS}-fold cross-validated strict accuracy (learned | rules engine):")
    everything = []
    for category, results in sorted(per_category.items()):
        everything += results
        learned, rules = (sum(r[i] for r in results) for i in (0, 1))
        print(f"  {category:<16} {learned:>3}/{len(results):<3} {learned / len(results):6.1%}"
              f"  | {rules / len(results):6.1%}")
    for name, results in per_set.items():
        learned, rules = (sum(r[i] for r in results) for i in (0, 1))
        print(f"  {name:<16} {learned:>3}/{len(results):<3} {learned / len(results):6.1%}"
              f"  | {rules / len(results):6.1%}")
    learned, rules = (sum(r[i] for r in everything) for i in (0, 1))
    oracle = sum(q.abstain_ok or any(q.labels) for q in questions)
    print(f"  {'all':<16} {learned:>3}/{len(everything):<3} {learned / len(everything):6.1%}"
          f"  | {rules / len(everything):6.1%}   (best candidate available: "
          f"{oracle / len(everything):.1%})")


def learn_lexicon(engine: AnswerEngine, paths: list[Path]) -> dict:
    """The learned words (knowledge/lexicon.py), their support and purity chosen by
    leave-one-set-out cross-validation: words learned from the other sets, the set left
    out answered with them, against its answers without any; a question lost counts
    LOSS_WEIGHT times a question gained."""
    engine.use_lexicon({})
    sets = {path.name: load_questions(path) for path in paths}
    alone = {name: [right(engine, item) for item in items] for name, items in sets.items()}
    print(f"Learned words, leave-one-set-out cross-validation ({len(sets)} sets, "
          f"{sum(map(sum, alone.values()))}/{sum(map(len, alone.values()))} right without):")
    scores = {}
    for support, purity in LEXICON_GRID:
        gained = lost = 0
        for name, items in sets.items():
            others = [item for other, its in sets.items() if other != name for item in its]
            engine.use_lexicon(learn(engine.vocabulary, others, purity, support))
            for item, before in zip(items, alone[name], strict=True):
                now = right(engine, item)
                gained += now and not before
                lost += before and not now
            engine.use_lexicon({})
        scores[support, purity] = gained - LOSS_WEIGHT * lost
        print(f"  support {support}, purity {purity:.2f}: {gained} questions gained, "
              f"{lost} lost, score {scores[support, purity]:+d} (gained - {LOSS_WEIGHT} x lost)")
    support, purity = max(LEXICON_GRID, key=lambda key: (scores[key], key))
    everything = [item for items in sets.values() for item in items]
    words = learn(engine.vocabulary, everything, purity, support)
    print(f"Chosen: support {support}, purity {purity:.2f}: {len(words)} words learned from "
          f"{len(everything)} questions")
    return {"support": support, "purity": purity,
            "trained_on": [p.name for p in paths], "words": words}


def right(engine: AnswerEngine, item: dict) -> bool:
    answer = engine.ask(item["question"])
    return judge(item, answer.kind is AnswerKind.UNKNOWN, answer.text())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", action="append", type=Path, default=[],
                        help="labelled sets to train on (default: own*, holdout, dev, dev2)")
    parser.add_argument("--no-write", action="store_true", help="print, write no model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = make_engine(f"sqlite:///{tmp}/train.db")
        ensure_seeded(db, TZ)
        lexicon = learn_lexicon(AnswerEngine(db, TZ, lexicon={}),
                                args.questions or TRAINING_SETS)
        engine = LearnedEngine(db, TZ, model_path=None)  # candidates only
        questions = collect(engine, args.questions or TRAINING_SETS)
    names = sorted({name for q in questions for row in q.rows for name in row})
    print(f"{len(questions)} questions, {sum(len(q.rows) for q in questions)} candidates, "
          f"{len(names)} features")
    decided = cross_validate(questions, names)
    bias, table = choose_bias(questions, decided)
    print(f"Abstention bias (cross-validated, out-of-scope precision ≥ "
          f"{TARGET_PRECISION:.0%}): {bias:+.2f}")
    print("\n".join(table))
    report(questions, decided, bias)
    model = fit(questions, names)
    data = {**export(model, names, bias),
            "trained_on": [p.name for p in (args.questions or TRAINING_SETS)]}
    if not args.no_write:
        LEXICON_PATH.write_text(json.dumps(lexicon, ensure_ascii=False, indent=0,
                                           sort_keys=True) + "\n", "utf-8")
        print(f"Learned words written to {LEXICON_PATH.relative_to(ROOT)}")
        MODEL_PATH.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
        print(f"Model written to {MODEL_PATH.relative_to(ROOT)} "
              f"({MODEL_PATH.stat().st_size // 1024} KiB, {len(data['roots'])} trees)")


if __name__ == "__main__":
    main()
