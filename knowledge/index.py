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
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import simplemma
from rapidfuzz import fuzz, process

from knowledge.text import is_french, normalize, sound_key, stem, tokens
from knowledge.tuning import (
    DERIVED_SIMILARITY,
    FUZZY_CUTOFF,
    MAX_FIELD_WEIGHT,
    OTHER_FIELDS_SHARE,
    PREFIX_SIMILARITY,
    SOUND_MIN_CHARS,
    SOUND_SIMILARITY,
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
    phrase: tuple[str, ...] = ()  # a synonym's several words, of which this is one


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
        self.word_terms = {token: stem(token) for doc in docs for text, _ in doc.fields
                           for token in tokens(normalize(text))}
        self.words = sorted(self.word_terms)
        self.sounds: dict[str, set[str]] = defaultdict(set)  # a word as it sounds → its terms
        for word, term in self.word_terms.items():
            if len(word) >= SOUND_MIN_CHARS and word.isalpha():  # 'logeman', 'kolekte'
                self.sounds[sound_key(word)].add(term)
        n_docs = max(len(docs), 1)
        self.idf = {
            term: math.log(1 + n_docs / len(docs_)) for term, docs_ in self.postings.items()
        }
        self.unknown_idf = UNKNOWN_WORD_SHARE * math.log(1 + n_docs)
        self._match_cache: dict[str, list[tuple[str, float]]] = {}

    def term_matches(self, token: str) -> list[tuple[str, float]]:
        """Vocabulary terms close to `token`, with a similarity in [0, 1]. Terms are word
        families (`stem`); prefixes and typos are judged on the words as written, which a
        library stemmer cuts too short for that ('logement' → 'log')."""
        cached = self._match_cache.get(token)
        if cached is not None:
            return cached
        term = stem(token)
        found: dict[str, float] = {}
        if term in self.postings:
            found[term] = 1.0
        if len(token) >= 5 and not token.isdigit():
            for word in self._words_starting(token, 50):
                if word != token and len(word) - len(token) <= 5:
                    found.setdefault(self.word_terms[word], PREFIX_SIMILARITY)
            if term not in self.postings:  # 'chercher' ~ 'recherches': the re- derivative
                again = "re" + token
                for word in self._words_starting(again, 20):
                    if len(word) - len(again) <= 5:
                        found.setdefault(self.word_terms[word], DERIVED_SIMILARITY)
                for cut in range(len(again) - 1, max(len(again) - 5, 6), -1):  # 'recherch'
                    if (word := next(iter(self._words_starting(again[:cut], 1)), None)):
                        found.setdefault(self.word_terms[word], DERIVED_SIMILARITY)
                        break
            for cut in range(len(token) - 1, 4, -1):  # a base word is a prefix of ours
                prefix = token[:cut]
                if prefix in self.word_terms and len(token) - cut <= 4:
                    found.setdefault(self.word_terms[prefix], PREFIX_SIMILARITY)
                    break
            for word, ratio, _ in process.extract(
                token, self.words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                if word[0] != token[0]:  # typos spare the first letter; re-emploi ≠ emploi
                    continue
                similarity = 0.9 * ratio / 100
                candidate = self.word_terms[word]
                if found.get(candidate, 0.0) < similarity:
                    found[candidate] = similarity
        if not found and len(token) >= SOUND_MIN_CHARS and token.isalpha() and not (
                is_french(token) or simplemma.is_known(token, lang="en")):
            sound = sound_key(token)
            for candidate in self.sounds.get(sound, ()) if len(sound) >= SOUND_MIN_CHARS else ():
                found[candidate] = SOUND_SIMILARITY
        result = sorted(found.items(), key=lambda item: -item[1])
        if len(self._match_cache) > 20_000:
            self._match_cache.clear()
        self._match_cache[token] = result
        return result

    def _words_starting(self, prefix: str, limit: int) -> list[str]:
        """The base's words (as written) that start with `prefix`, at most `limit`."""
        start = bisect.bisect_left(self.words, prefix)
        out = []
        for word in self.words[start:start + limit]:
            if not word.startswith(prefix):
                break
            out.append(word)
        return out

    def uses(self, token: str) -> bool:
        """Whether some entry has this word itself (its family), not only a close form."""
        return stem(token) in self.postings

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
        """Per-document covered IDF mass, and the query's total mass. A word of a synonym's
        phrase ('agriculture urbaine') counts in the share of the phrase the document
        holds: 'urbain' alone is not 'agriculture urbaine'."""
        totals: dict[int, float] = defaultdict(float)
        phrases: dict[tuple[str, ...], list[tuple[float, dict[int, float]]]] = defaultdict(list)
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
            if len(position.phrase) > 1:
                phrases[position.phrase].append((idf, best))
                continue
            for doc_idx, strength in best.items():
                totals[doc_idx] += idf * strength
        for members in phrases.values():
            held: Counter[int] = Counter(d for _, best in members for d in best)
            for idf, best in members:
                for doc_idx, strength in best.items():
                    totals[doc_idx] += idf * strength * held[doc_idx] / len(members)
        return totals, mass


def _term_weights(doc: Doc) -> dict[str, list[float]]:
    """Each term of a document with the weight of every field it appears in (once per field)."""
    weights: dict[str, set[float]] = defaultdict(set)
    for text, weight in doc.fields:
        for token in tokens(normalize(text)):
            weights[stem(token)].add(weight)
    return {term: sorted(values) for term, values in weights.items()}
