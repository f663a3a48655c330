"""Ranking: score every entry of the knowledge base for a parsed question.

One `Hit` per entry, best first: the index's coverage of the question, plus entries the
question names outright, entries an admin pinned to one of its words, figures whose
numbers it quotes, and the officials who lead a matching priority (for 'qui …'), each
weighed by how well its kind suits the question's intent.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, field

from knowledge.answers import Intent
from knowledge.query import Query, Vocabulary
from knowledge.text import MONEY_UNIT, TIME_UNIT, fold, normalize, number_key
from knowledge.tuning import (
    DIRECT_SHARE,
    FINDING_SHARE,
    INTENT_PRIORS,
    LEAD_FACTOR,
    MAX_CANDIDATES,
    NAMED_BONUS,
    NAMED_IN_PASSING,
    NUMBER_AROUND_BONUS,
    NUMBER_OWN_BONUS,
    PIN_SCORE,
    SCOPE_FACT_SHARE,
    WHERE_PENALTY,
)

# the kinds of quantity a number is said in ('en 2 ans', '5 M€', '12 %'): a figure counted
# in another kind is not the one asked, even of the same value
_UNIT_KINDS = {
    "time": TIME_UNIT.pattern,
    "money": MONEY_UNIT.pattern,
    "share": r"%|pour ?cent",
}
_SAID_IN = {kind: re.compile(rf"\b(\d+(?:\.\d+)?) ?(?:{unit})(?!\w)")
            for kind, unit in _UNIT_KINDS.items()}
_LINE_NAMED = re.compile(r"\bligne (\d+)")  # in a figure's label


@dataclass
class Hit:
    """An entry the question matches, with the pieces of it that matched best."""

    kind: str
    entry_id: int
    score: float
    parts: list[tuple[float, int]] = field(default_factory=list)
    via_priority: int | None = None  # a person found through a priority they lead
    direct: float = 0.0  # ...and how well their own entry matches the question

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.entry_id)

    def best_parts(self, limit: int = 3) -> list[int]:
        if not self.parts:
            return []
        top = self.parts[0][0]
        return [part for value, part in self.parts[:limit] if value >= top * 0.75]


class Ranker:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.index = vocabulary.index
        self.view = vocabulary.view
        self._last: tuple[Query, list[Hit]] | None = None

    def ranked(self, query: Query) -> list[Hit]:
        """One hit per entry, best first, scored for the question's intent (the last
        query's ranking is kept: one answer may look at it more than once)."""
        if self._last is not None and self._last[0] is query:
            return list(self._last[1])
        ranked = self._rank(query)
        self._last = (query, ranked)
        return list(ranked)

    def _rank(self, query: Query) -> list[Hit]:
        totals, mass = self.index.score(query.positions)
        hits: dict[tuple[str, int], Hit] = {}
        best_docs = heapq.nlargest(MAX_CANDIDATES, totals.items(), key=lambda item: item[1])
        plans = query.intent in (Intent.PRIORITY, Intent.HOW)
        for doc_idx, covered in best_docs:
            doc = self.index.docs[doc_idx]
            hit = hits.setdefault((doc.kind, doc.entry_id), Hit(doc.kind, doc.entry_id, 0.0))
            value = covered / mass if mass else 0.0
            if plans and doc.kind == "priority" and self._is_finding(doc.entry_id, doc.part):
                value *= FINDING_SHARE  # 'what is planned': a constat is not a plan
            hit.parts.append((value, doc.part))
            hit.score = max(hit.score, value)
        for kind, entry_id in self._pins(query):
            hit = hits.setdefault((kind, entry_id), Hit(kind, entry_id, 0.0))
            hit.score = max(hit.score, PIN_SCORE)
        define = query.intent == Intent.DEFINE
        for key, share in self._named_entries(query):
            hit = hits.setdefault(key, Hit(*key, 0.0))
            # "que veut dire ANRU": the entry titled ANRU is the definition; an acronym named
            # in passing among other topic words is not the subject
            if key[0] == "fact":
                share *= 2 if define else NAMED_IN_PASSING if len(query.topic) > 2 else 1
            hit.score += NAMED_BONUS * share
        for key, bonus in self._number_bonus(query).items():
            hit = hits.setdefault(key, Hit(*key, 0.0))
            hit.score = min(1.0, hit.score * 0.5 + bonus)
        intent = query.intent
        priors = INTENT_PRIORS[intent]
        raw = {key: hit.score for key, hit in hits.items()}  # before the intent's priors
        ranked = []
        for hit in hits.values():
            hit.parts.sort(reverse=True)
            if hit.kind == "priority" and intent == Intent.WHO:
                ranked.extend(self._leads_of(hit, raw))
            hit.score *= priors.get(hit.kind, priors["default"])
            if plans and hit.kind == "fact" and hit.entry_id in self.vocabulary.scope_facts:
                hit.score *= SCOPE_FACT_SHARE  # 'que propose l'EPT ?': the EPT acts
            ranked.append(hit)
        ranked.sort(key=lambda h: -h.score)
        if query.where:  # "où …": entries that name a place come first
            for hit in ranked[:20]:
                if not self.names_a_place(hit):
                    hit.score *= WHERE_PENALTY
            ranked.sort(key=lambda h: -h.score)
        seen: set[tuple[str, int]] = set()
        unique = []
        for hit in ranked:
            if hit.key not in seen:
                seen.add(hit.key)
                unique.append(hit)
        return unique

    def _is_finding(self, priority_id: int, part: int) -> bool:
        """Whether a piece of a priority is one of its findings (constats), not an item."""
        priority = self.view.priorities[priority_id]
        return len(priority.items) <= part < len(priority.items) + len(priority.findings)

    def names_a_place(self, hit: Hit) -> bool:
        terms = self.index.entry_terms.get(hit.key, set())
        return any(place <= terms for place in self.vocabulary.places if place)

    def _leads_of(self, hit: Hit, raw: dict[tuple[str, int], float]) -> list[Hit]:
        """A 'who' question about a topic: the officials whose delegation covers it.

        When several officials share the topic, their own match breaks the tie
        (gymnases → the sports delegate, not the culture one).
        """
        leads = []
        for key in self.view.priorities[hit.entry_id].leads:
            person = self.view.people_by_key.get(key)
            if person is None or person.id is None:
                continue
            direct_score = raw.get(("person", person.id), 0.0)
            via = raw[hit.key] * LEAD_FACTOR
            score = max(via, direct_score) + DIRECT_SHARE * min(via, direct_score)
            leads.append(Hit("person", person.id, score, via_priority=hit.entry_id,
                             direct=direct_score))
        return leads

    def _named_entries(self, query: Query) -> list[tuple[tuple[str, int], float]]:
        """Entries the question names outright ('ANRU', 'président', 'plan vélo'), with
        a full share when named in its own words, half through a synonym."""
        said = f" {query.normalized} "
        expanded = f" {' '.join(query.expansions)} "
        when = query.intent == Intent.WHEN
        named: dict[tuple[str, int], float] = {}
        delegations = (self.vocabulary.delegations_by_first_word
                       if query.intent == Intent.WHO else {})
        for text, share in ((said, 1.0), (expanded, 0.5)):
            for word in set(text.split()):
                for name, key in [*self.vocabulary.names_by_first_word.get(word, ()),
                                  *delegations.get(word, ())]:
                    if key[0] == "project" and not when:
                        continue
                    if key not in named and f" {name} " in text:
                        named[key] = share
        return list(named.items())

    def _pins(self, query: Query) -> list[tuple[str, int]]:
        """Entries an admin pinned to a word of this question (learned synonyms)."""
        padded = f" {query.normalized} "
        return [pin for term, pins in self.vocabulary.pinned.items() if f" {term} " in padded
                for pin in pins]

    def _number_bonus(self, query: Query) -> dict[tuple[str, int], float]:
        """Figures whose value (or, less surely, whose context) has a number asked about;
        a number said in a unit ('en 2 ans', '5 M€', '12 %') only of figures of its kind."""
        bonus: dict[tuple[str, int], float] = {}
        vocabulary = self.vocabulary
        said_in = {number_key(float(n)): kind for kind, said in _SAID_IN.items()
                   for n in said.findall(query.normalized)}
        for number in dict.fromkeys(number_key(n) for n in query.numbers):  # in the asked order
            kind = said_in.get(number)
            for figure_id in vocabulary.numbers_around.get(number, ()):
                if kind in (None, self._unit_kind(figure_id)) and self.of_line_asked(
                        figure_id, query):
                    bonus.setdefault(("figure", figure_id), NUMBER_AROUND_BONUS)
            for figure_id in vocabulary.numbers_own.get(number, ()):
                if kind in (None, self._unit_kind(figure_id)) and self.of_line_asked(
                        figure_id, query):
                    bonus[("figure", figure_id)] = NUMBER_OWN_BONUS
        return bonus

    def of_line_asked(self, figure_id: int, query: Query) -> bool:
        """Whether a figure is of a line the question names, if it names one: 'la ligne 15,
        593 434 heures ?' quotes the ligne 14's figure for the 15, whose own answers."""
        if not query.lines:
            return True
        lines = _LINE_NAMED.findall(normalize(self.vocabulary.view.figures[figure_id].label))
        return not lines or bool(set(lines) & set(query.lines))

    def _unit_kind(self, figure_id: int) -> str | None:
        """The kind of quantity a figure counts ('M€': money), None for things counted."""
        unit = fold(self.vocabulary.view.figures[figure_id].unit)
        return next((kind for kind, said in _UNIT_KINDS.items()
                     if re.fullmatch(said, unit)), None)
