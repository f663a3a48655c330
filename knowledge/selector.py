"""The learned answer engine: every way of answering proposes a candidate, one model picks.

The rules engine (knowledge/engine.py) tries its ways of answering in a fixed order and
returns the first that applies. Here each way — the commune card, the lists, two asks, the
people named, the best-ranked entry, each of the next entries told directly — proposes its
answer, every candidate is described by the same features (fuzzy score, lemma overlap
with the question, entities named, kind of entry against kind of question, what the
question asks that no entry records), and a logistic model fitted on labelled questions
(`bench/train.py`, coefficients in knowledge/data/selector.json) says how likely each is
right. The likeliest is told if it clears the abstention threshold chosen by
cross-validation; otherwise the bot says it does not know.

What admins add is a new entry, hence a new candidate described by the same features:
it is found from the next question, without retraining.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from sqlalchemy.engine import Engine
from stop_words import get_stop_words

from knowledge.answers import Answer, AnswerKind, EntryKind, Intent, fit
from knowledge.engine import AnswerEngine, Clock
from knowledge.models import utcnow
from knowledge.query import Query
from knowledge.ranking import Hit
from knowledge.render import Rendered
from knowledge.text import fold, normalize
from knowledge.text import stem as lemma  # one word-family key for both engines
from knowledge.tuning import MAX_ANSWER_CHARS

MODEL_PATH = Path(__file__).parent / "data" / "selector.json"
DIRECT_ENTRIES = 6  # the best-ranked entries each proposed as a direct answer
WHOLE_BASE = frozenset({"axes", "officials", "calendar"})  # views that list everything

KINDS = tuple(str(k) for k in EntryKind) + ("none",)
INTENTS = tuple(str(i) for i in Intent) + ("none",)
QUERY_FLAGS = ("details", "unknown_subject", "unheard_counted", "wants_cost", "wants_rate",
               "where", "listing", "superlative", "total", "counted", "people", "communes",
               "lines", "numbers", "future")


_WORD = re.compile(r"\w+")


def lemmas(text: str) -> list[str]:
    """The lemmas of a text's words (as typed: accents help the dictionary), stop words out."""
    return [lemma(word) for word in _WORD.findall(text.lower())
            if len(word) > 1 and fold(word) not in STOP]


@lru_cache(maxsize=4096)
def told_lemmas(text: str) -> frozenset[str]:
    """The lemmas of an answer's text (the same entries are told again and again)."""
    return frozenset(lemmas(text))


STOP = frozenset(fold(w) for w in get_stop_words("fr"))  # the stop-words package's list


@dataclass
class Candidate:
    answer: Answer
    ways: set[str] = field(default_factory=set)
    hit: Hit | None = None
    rank: int = -1  # the entry's place among the ranked hits (-1: not a ranked entry)


class LemmaIdf:
    """Document frequencies of lemmas over the base's entries (their indexed text)."""

    def __init__(self, texts: list[str]) -> None:
        self.df: Counter[str] = Counter()
        for text in texts:
            self.df.update(set(lemmas(text)))
        self.n = max(len(texts), 1)
        self.max_idf = math.log(1 + self.n)

    def idf(self, word: str) -> float:
        count = self.df.get(word, 0)
        return math.log(1 + self.n / count) if count else self.max_idf

    def known(self, word: str) -> bool:
        return word in self.df


class Forest:
    """Gradient-boosted trees over named features, as exported to selector.json.

    All trees are walked at once, level by level, with numpy: a few array operations per
    level instead of a Python loop per tree and candidate.
    """

    def __init__(self, data: dict) -> None:
        self.names: list[str] = data["features"]
        self.column = {name: i for i, name in enumerate(self.names)}
        self.baseline: float = data["baseline"]
        self.bias: float = data["bias"]
        nodes = data["nodes"]  # one [feature, threshold, left, right, value] per node
        self.feature = np.array([n[0] for n in nodes], dtype=np.intp)
        self.split = np.array([n[1] for n in nodes], dtype=float)
        self.left = np.array([n[2] for n in nodes], dtype=np.intp)
        self.right = np.array([n[3] for n in nodes], dtype=np.intp)
        self.value = np.array([n[4] for n in nodes], dtype=float)
        self.leaf = self.left < 0
        self.roots = np.array(data["roots"], dtype=np.intp)
        self.depth: int = data["depth"]

    def probabilities(self, rows: list[dict[str, float]]) -> np.ndarray:
        x = np.zeros((len(rows), len(self.names)))
        for i, row in enumerate(rows):
            for name, value in row.items():
                column = self.column.get(name)
                if column is not None:
                    x[i, column] = value
        node = np.tile(self.roots, (len(rows), 1))
        at = np.arange(len(rows))[:, None]
        for _ in range(self.depth):
            below = np.where(x[at, self.feature[node]] <= self.split[node],
                             self.left[node], self.right[node])
            node = np.where(self.leaf[node], node, below)
        return 1 / (1 + np.exp(-(self.baseline + self.value[node].sum(axis=1))))

    def choice(self, rows: list[dict[str, float]]) -> int:
        """The candidate to tell: the likeliest, the last (« je ne sais pas ») favoured by
        the abstention bias."""
        return choose(self.probabilities(rows), self.bias)


def choose(probabilities: np.ndarray, bias: float) -> int:
    return int(np.argmax(probabilities + bias * (np.arange(len(probabilities))
                                                 == len(probabilities) - 1)))


@lru_cache(maxsize=2)
def load_model(path: Path) -> Forest | None:
    """The fitted model (read once per process); None before the first training."""
    return Forest(json.loads(path.read_text("utf-8"))) if path.exists() else None


GAPS = ("score", "lemma_cover", "lemma_cover_headline", "rank_inverse", "length", "missed_idf")


def with_gaps(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    """Each candidate's features plus how far it is from the best of its question on a
    few of them: the model compares candidates of one question, not across questions."""
    best = {name: max((row.get(name, 0.0) for row in rows), default=0.0) for name in GAPS}
    return [{**row, **{f"{name}_gap": row.get(name, 0.0) - best[name] for name in GAPS}}
            for row in rows]


class LearnedEngine(AnswerEngine):
    """The answer engine whose choice among candidates is learned (see module docstring)."""

    def __init__(self, db: Engine, tz: ZoneInfo | str = "Europe/Paris", clock: Clock = utcnow,
                 model_path: Path | None = MODEL_PATH) -> None:
        self.model = load_model(model_path) if model_path else None  # None: candidates only
        super().__init__(db, tz, clock)

    def _read(self) -> None:
        super()._read()
        texts = [" ".join(text for text, _ in doc.fields) for doc in self.index.docs]
        self.idf = LemmaIdf(texts)
        self._built: dict[tuple[str, int], Rendered] = {}

    # ------------------------------------------------------------------ candidates
    def candidates(self, query: Query) -> tuple[Answer, list[Candidate], list[Hit]]:
        """The rules' answer, then every candidate (deduplicated by text)."""
        ranked = self.ranker.ranked(query)
        rules = self._respond(query, ranked)
        found: dict[str, Candidate] = {}

        def add(way: str, answer: Answer | None, hit: Hit | None = None, rank: int = -1):
            if answer is None or answer.kind is AnswerKind.UNKNOWN:
                return
            key = answer.text()
            candidate = found.setdefault(key, Candidate(answer, hit=hit, rank=rank))
            candidate.ways.add(way)
            if candidate.hit is None and hit is not None:
                candidate.hit, candidate.rank = hit, rank

        add("rules", rules)
        if (rules.small_talk or not query.normalized.strip() or query.future_year
                or query.elsewhere or query.request):
            return rules, [], ranked  # nothing to choose: the rules' reply stands
        for way, method in (("comparator", self._answer_comparator),
                            ("commune_and_more", self._answer_commune_and_more),
                            ("commune", self._answer_commune),
                            ("superlative", self._answer_superlative),
                            ("people", self._answer_people), ("lists", self._answer_lists),
                            ("two_asks", self._answer_two_asks)):
            add(way, method(query))
        add("ranked", self._answer_ranked(query, ranked), ranked[0] if ranked else None, 0)
        for rank, hit in enumerate(ranked[:DIRECT_ENTRIES]):
            order = [hit, *[h for h in ranked if h is not hit]]
            add("entry", self._build(AnswerKind.ANSWER, query,
                                     self._render(hit, query, order),
                                     self._matches(order), []), hit, rank)
        for way, rendered, entries in self._views(query, ranked):
            add(way, self._listed(query, rendered, entries))
        unknown = rules if rules.kind is AnswerKind.UNKNOWN else self._unknown(query, ranked=ranked)
        return rules, [*found.values(), Candidate(unknown, {"unknown"})], ranked

    def _views(self, query: Query, ranked: list[Hit]):
        """Whole views the cascade reaches only in its fixed order: the best axis (its card,
        priorities, officials), the communes named or ranked, the calendar, the officials."""
        view = self.view
        axes = [h for h in ranked if h.kind == "axis"][:1]
        axis_ids = [view.axes_by_number[query.axis_number].id] if (
            query.axis_number in view.axes_by_number) else [h.entry_id for h in axes]
        for axis_id in axis_ids:
            entry = [("axis", axis_id)]
            yield "axis_card", self._static("axis_card", axis_id, view.render_axis), entry
            yield "axis_priorities", self._static(
                "axis_priorities", axis_id,
                lambda a: view.render_axis_priorities(a, MAX_ANSWER_CHARS)), entry
            yield "axis_people", self._static(
                "axis_people", axis_id, view.render_axis_people_list), entry
        yield "axes", self._static("axes", 0, lambda _: view.render_axes()), [
            ("axis", a) for a in view.axes]
        if query.commune_ids or query.lines:
            communes = query.commune_ids
            for commune_id in communes[:3]:
                yield "commune_card", view.render_commune(commune_id, query.lines), [
                    ("commune", commune_id)]
            if len(communes) > 1:
                yield "communes", view.render_communes(
                    communes, query.lines, query.superlative, query.total), [
                    ("commune", c) for c in communes]
            for which in ("max", "min") if not communes else ():
                extreme = view.render_commune_extreme(which, query.lines)
                if extreme is not None:
                    yield f"commune_{which}", extreme, [("commune", 0)]
        priorities = [h for h in ranked[:DIRECT_ENTRIES] if h.kind == "priority"][:2]
        if priorities:
            yield "priorities", view.render_priorities(
                [h.entry_id for h in priorities], MAX_ANSWER_CHARS, []), [
                ("priority", h.entry_id) for h in priorities]
        if query.intent == Intent.WHEN or any(h.kind == "project" for h in ranked[:3]):
            minute = int(self.now().timestamp() // 60)  # what is past changes by the minute
            yield "calendar", self._static("calendar", minute, lambda _: view.render_calendar(
                self.now())), [
                ("project", p) for p in range(len(view.projects))]
        if query.intent == Intent.WHO:
            yield "officials", self._static("officials", 0, lambda _: view.render_officials()), [
                ("person", p) for p in view.people]

    def _static(self, name: str, key: int, build: Callable[[int], Rendered]) -> Rendered:
        """A view that depends on the data only, built and cut to fit once per reload (a
        copy each time: callers may extend it)."""
        if (name, key) not in self._built:
            built = build(key)
            told = fit(Answer(AnswerKind.ANSWER, "", built.headline, list(built.body),
                              list(built.sources), more=built.more))
            self._built[name, key] = replace(built, headline=told.headline, body=told.body,
                                             sources=told.sources, more=told.more)
        built = self._built[name, key]
        return replace(built, body=list(built.body), sources=list(built.sources))

    def decide(self, query: Query) -> Answer:
        """The likeliest candidate; « je ne sais pas » (the last candidate) is favoured by
        the model's abstention bias, chosen for out-of-scope precision (bench/train.py)."""
        rules, candidates, ranked = self.candidates(query)
        if self.model is None or not candidates:
            return rules
        rows = with_gaps([self.features(query, c, ranked, rules) for c in candidates])
        return candidates[self.model.choice(rows)].answer

    # ------------------------------------------------------------------ features
    def query_features(self, query: Query, ranked: list[Hit]) -> dict[str, float]:
        """What the question alone says: its kind, what it names, what the base lacks."""
        words = lemmas(query.text)
        total = sum(self.idf.idf(w) for w in words) or 1.0
        unknown = sum(self.idf.idf(w) for w in words if not self.idf.known(w))
        flags = {
            "details": bool(query.details), "unknown_subject": bool(query.unknown_subject),
            "unheard_counted": query.unheard_counted, "wants_cost": query.wants_cost,
            "wants_rate": query.wants_rate, "where": query.where, "listing": query.listing,
            "superlative": bool(query.superlative), "total": query.total,
            "counted": bool(query.counted), "people": bool(query.person_ids),
            "communes": bool(query.commune_ids), "lines": bool(query.lines),
            "numbers": bool(query.numbers), "future": bool(query.future_year)}
        features = {f"q_{name}": float(value) for name, value in flags.items()}
        features["q_unknown_share"] = unknown / total
        features["q_top_score"] = ranked[0].score if ranked else 0.0
        features["q_words"] = min(len(words), 30) / 10
        features[f"q_intent_{query.intent or 'none'}"] = 1.0
        return features

    def features(self, query: Query, candidate: Candidate, ranked: list[Hit],
                 rules: Answer) -> dict[str, float]:
        answer = candidate.answer
        features = self.query_features(query, ranked)
        features["q_rules_unknown"] = float(rules.kind is AnswerKind.UNKNOWN)
        features["q_rules_ambiguous"] = float(rules.kind is AnswerKind.AMBIGUOUS)
        for way in candidate.ways:
            features[f"way_{way}"] = 1.0
        features[f"answer_{answer.kind}"] = 1.0
        kind = answer.matches[0].kind if answer.matches else "none"
        features[f"kind_{kind}"] = 1.0
        features[f"x_{query.intent or 'none'}_{kind}"] = 1.0
        top = ranked[0].score if ranked else 0.0
        score = candidate.hit.score if candidate.hit else answer.score
        features["score"] = score
        features["score_share"] = score / top if top else 0.0
        features["rank_inverse"] = 1 / (1 + candidate.rank) if candidate.rank >= 0 else 0.0
        told = " ".join([answer.headline, *answer.body])
        said, said_lemmas = normalize(told), told_lemmas(told)
        words = lemmas(query.text)
        total = sum(self.idf.idf(w) for w in words) or 1.0
        features["lemma_cover"] = sum(self.idf.idf(w) for w in words if w in said_lemmas) / total
        known = [w for w in words if self.idf.known(w)]
        rarest = max(known, key=self.idf.idf, default=None)  # the question's subject, likely
        features["rarest_told"] = float(rarest is not None and rarest in said_lemmas)
        missed = [self.idf.idf(w) for w in words if w not in said_lemmas]
        features["missed_idf"] = max(missed, default=0.0) / self.idf.max_idf
        features["missed_share"] = sum(missed) / total
        headline = told_lemmas(answer.headline)
        features["lemma_cover_headline"] = sum(
            self.idf.idf(w) for w in words if w in headline) / total
        features.update(self._entities(query, said))
        features["length"] = len(answer.text()) / 600
        features["lines"] = min(len(answer.body), 8) / 4
        features["suggestions"] = float(bool(answer.alternatives))
        return features

    def _entities(self, query: Query, said: str) -> dict[str, float]:
        """Whether the people, communes, lines and numbers the question names are told."""
        view = self.view
        padded = f" {said} "
        out: dict[str, float] = {}
        checks = {
            "person": [normalize(view.people[p].name).split()[-1] for p in query.person_ids],
            "commune": [normalize(view.communes[c].name).split()[0] for c in query.commune_ids],
            "line": [f"ligne {n}" for n in query.lines],
            "number": [f"{n:g}" for n in query.numbers],
        }
        for name, needles in checks.items():
            if needles:
                told = sum(f" {n}" in padded for n in needles) / len(needles)
                out[f"told_{name}"] = told
                out[f"untold_{name}"] = 1 - told
        return out



ENGINES: dict[str, type[AnswerEngine]] = {"rules": AnswerEngine, "learned": LearnedEngine}
