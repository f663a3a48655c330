"""A fuzzy inverted index over knowledge entries (rapidfuzz over normalised French).

Each indexed `Doc` is a piece of an entry (a person, a priority item, a figure…) with
weighted fields. A query is a list of positions (a word and its synonyms); a document's
score is the share of the query's information (IDF mass) it covers, so words the base
has never seen ("horoscope", "Marseille") pull the score down: that is how the engine
knows when it does not know.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge.text import normalize, stem, tokens
from knowledge.tuning import (
    DERIVED_SIMILARITY,
    FUZZY_CUTOFF,
    MAX_FIELD_WEIGHT,
    OTHER_FIELDS_SHARE,
    PREFIX_SIMILARITY,
    UNKNOWN_WORD_SHARE,
)


@dataclass(slots=True)
class Doc:
    kind: str  # an EntryKind: person | priority | figure | commune | project | fact | axis
    entry_id: int
    part: int = 0  # which piece of the entry (a priority's item…)
    fields: list[tuple[str, float]] = field(default_factory=list)  # (text, weight)


@dataclass(slots=True)
class Position:
    """One query word (or its synonym expansion): any candidate may match."""

    candidates: tuple[str, ...]
    weight: float = 1.0


class FuzzyIndex:
    def __init__(self, docs: list[Doc]) -> None:
        self.docs = docs
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        self.entry_terms: dict[tuple[str, int], set[str]] = defaultdict(set)
        for doc_idx, doc in enumerate(docs):
            terms = _term_weights(doc)
            self.entry_terms[(doc.kind, doc.entry_id)].update(terms)
            for term, weights in terms.items():
                # the best field counts fully, a term repeated in other fields a little more
                best = max(weights)
                postings[term][doc_idx] = best + OTHER_FIELDS_SHARE * (sum(weights) - best)
        self.postings = dict(postings)
        self.vocab = sorted(self.postings)
        n_docs = max(len(docs), 1)
        self.idf = {
            term: math.log(1 + n_docs / len(docs_)) for term, docs_ in self.postings.items()
        }
        self.unknown_idf = UNKNOWN_WORD_SHARE * math.log(1 + n_docs)
        self._match_cache: dict[str, list[tuple[str, float]]] = {}

    def term_matches(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary terms close to `token`, with a similarity in [0, 1]."""
        cached = self._match_cache.get(token)
        if cached is not None:
            return cached
        term = stem(token)
        found: dict[str, float] = {}
        if term in self.postings:
            found[term] = 1.0
        if len(term) >= 5 and not term.isdigit():
            start = bisect.bisect_left(self.vocab, term)
            for candidate in self.vocab[start : start + 50]:
                if not candidate.startswith(term):
                    break
                if candidate != term and len(candidate) - len(term) <= 5:
                    found.setdefault(candidate, PREFIX_SIMILARITY)
            if term not in self.postings:  # 'chercher' ~ 'recherches': the re- derivative
                again = "re" + term
                start = bisect.bisect_left(self.vocab, again)
                for candidate in self.vocab[start : start + 20]:
                    if not candidate.startswith(again):
                        break
                    if len(candidate) - len(again) <= 5:
                        found.setdefault(candidate, DERIVED_SIMILARITY)
                for cut in range(len(again) - 1, max(len(again) - 5, 6), -1):  # 'recherch'
                    if again[:cut] in self.postings:
                        found.setdefault(again[:cut], DERIVED_SIMILARITY)
                        break
            for cut in range(len(term) - 1, 4, -1):  # the vocab term is a prefix of ours
                prefix = term[:cut]
                if prefix in self.postings and len(term) - cut <= 4:
                    found.setdefault(prefix, PREFIX_SIMILARITY)
                    break
        if len(term) >= 5 and not term.isdigit():
            for candidate, ratio, _ in process.extract(
                term, self.vocab, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                if candidate[0] != term[0]:  # typos spare the first letter; re-emploi ≠ emploi
                    continue
                similarity = 0.9 * ratio / 100
                if found.get(candidate, 0.0) < similarity:
                    found[candidate] = similarity
        result = sorted(found.items(), key=lambda item: -item[1])
        if len(self._match_cache) > 20_000:
            self._match_cache.clear()
        self._match_cache[token] = result
        return result

    def holds(self, kind: str, entry_id: int, token: str, exact: bool = False) -> bool:
        """Whether an entry's own text has this word (or, unless `exact`, a close form)."""
        terms = self.entry_terms.get((kind, entry_id), set())
        if exact:
            return stem(token) in terms
        return any(term in terms for term, _ in self.term_matches(token))

    def position_idf(self, position: Position) -> float:
        best = 0.0
        for candidate in position.candidates:
            for term, similarity in self.term_matches(candidate):
                best = max(best, self.idf[term] * similarity)
        return best or self.unknown_idf

    def score(self, positions: list[Position]) -> tuple[dict[int, float], float]:
        """Per-document covered IDF mass, and the query's total mass."""
        totals: dict[int, float] = defaultdict(float)
        mass = 0.0
        for position in positions:
            idf = self.position_idf(position) * position.weight
            mass += idf
            best: dict[int, float] = {}
            for candidate in position.candidates:
                for term, similarity in self.term_matches(candidate):
                    for doc_idx, weight in self.postings[term].items():
                        strength = similarity * weight / MAX_FIELD_WEIGHT
                        if best.get(doc_idx, 0.0) < strength:
                            best[doc_idx] = strength
            for doc_idx, strength in best.items():
                totals[doc_idx] += idf * strength
        return totals, mass


def _term_weights(doc: Doc) -> dict[str, list[float]]:
    """Each term of a document with the weight of every field it appears in (once per field)."""
    weights: dict[str, set[float]] = defaultdict(set)
    for text, weight in doc.fields:
        for token in tokens(normalize(text)):
            weights[stem(token)].add(weight)
    return {term: sorted(values) for term, values in weights.items()}
