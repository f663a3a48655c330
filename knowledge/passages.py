"""Answers from the documents admins loaded: the passage that answers, quoted short.

The passages are indexed by lemma (simplemma then Snowball, stop words out: the learned
engine's `lemmas`), scored with BM25, and a word no passage has is matched to the nearest
word they have (rapidfuzz), for typos. The best passage is told shortened to the sentences
around its best one, with its source « <titre>, page N ».

Honest "je ne sais pas": a passage is told only when it holds most of what the question
asks, weighed by how rare each word is (`COVERAGE`), and enough of it (`MIN_SCORE`); a
question about something no document says keeps the engine's "je n'ai pas trouvé".
The index is built with the engine (`AnswerEngine.reload`), so a document loaded is
found from the next question, without training anything.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from knowledge.answers import Answer, AnswerKind, Match, fit
from knowledge.documents import sentences
from knowledge.models import Document, Passage
from knowledge.selector import lemmas

# Tuning: each threshold trades answering more against answering wrong.
K1, B = 1.2, 0.75  # BM25: term-frequency saturation, length normalisation
MIN_CORPUS = 50  # passages the idf assumes at least (fewer: every word looked common)
HEADING_WEIGHT = 2  # a page's heading words count as if written twice in each passage
COVERAGE = 0.55  # share of the question's rarity the passage must hold (lower: bolder)
MIN_SCORE = 2.0  # BM25 floor (lower: answers on one common word)
UNKNOWN_WEIGHT = 0.6  # a word no document has, against the rarest word they have
FUZZY_CUTOFF = 85  # rapidfuzz ratio for a typed word to stand for a known one
FUZZY_MIN_LENGTH = 5  # shorter words are not corrected (too many neighbours)
QUOTE_CHARS = 420  # the quote; with the source and a second document, under 600


@dataclass
class Indexed:
    passage_id: int
    document_id: int
    title: str
    page: int
    text: str
    heading: str
    terms: Counter[str]
    length: int


@dataclass
class Found:
    passage: Indexed
    score: float
    coverage: float
    matched: set[str]


class PassageSearch:
    """The passages of every document, searchable (built once per engine reload)."""

    def __init__(self, rows: list[tuple[Passage, str]]) -> None:
        self.passages = [self._indexed(passage, title) for passage, title in rows]
        self.df: Counter[str] = Counter()
        for passage in self.passages:
            self.df.update(passage.terms.keys())
        self.n = len(self.passages)
        self.average = (sum(p.length for p in self.passages) / self.n) if self.n else 1.0
        self.vocabulary = list(self.df)
        self.postings: dict[str, list[int]] = {}
        for index, passage in enumerate(self.passages):
            for term in passage.terms:
                self.postings.setdefault(term, []).append(index)

    @classmethod
    def load(cls, session: Session) -> PassageSearch:
        rows = session.exec(select(Passage, Document.title).join(
            Document, col(Document.id) == col(Passage.document_id))
            .order_by(col(Passage.document_id), col(Passage.position)))
        return cls(list(rows))

    @staticmethod
    def _indexed(passage: Passage, title: str) -> Indexed:
        terms = Counter(lemmas(passage.text))
        for term in lemmas(passage.heading):
            terms[term] += HEADING_WEIGHT
        return Indexed(passage.id, passage.document_id, title, passage.page, passage.text,
                       passage.heading, terms, sum(terms.values()))

    def idf(self, term: str) -> float:
        """BM25's idf, over at least `MIN_CORPUS` passages: in a one-page document every
        word is in every passage, which does not make it common."""
        count = self.df.get(term, 0)
        return math.log(1 + (max(self.n, MIN_CORPUS) - count + 0.5) / (count + 0.5))

    def _terms(self, question: str) -> list[str]:
        """The question's lemmas, a word no passage has replaced by its nearest known one."""
        terms = []
        for term in dict.fromkeys(lemmas(question)):
            if term not in self.df and len(term) >= FUZZY_MIN_LENGTH and self.vocabulary:
                near = process.extractOne(term, self.vocabulary, scorer=fuzz.ratio,
                                          score_cutoff=FUZZY_CUTOFF)
                term = near[0] if near else term
            terms.append(term)
        return list(dict.fromkeys(terms))

    def ranked(self, question: str, limit: int = 10) -> tuple[list[Found], list[str]]:
        """The best passages for `question` (BM25), and the question's terms."""
        terms = self._terms(question)
        if not terms or not self.n:
            return [], terms
        scores: Counter[int] = Counter()
        for term in terms:
            idf = self.idf(term) if term in self.df else 0.0
            for index in self.postings.get(term, ()):
                passage = self.passages[index]
                tf = passage.terms[term]
                norm = K1 * (1 - B + B * passage.length / self.average)
                scores[index] += idf * tf * (K1 + 1) / (tf + norm)
        weight = {term: self._rarity(term) for term in terms}
        total = sum(weight.values()) or 1.0
        found = []
        for index, score in scores.most_common(limit):
            passage = self.passages[index]
            matched = {term for term in terms if term in passage.terms}
            found.append(Found(passage, score, sum(weight[t] for t in matched) / total, matched))
        return found, terms

    def _rarity(self, term: str) -> float:
        """How much a question word weighs in the coverage: its idf, and a word no document
        has weighs as the rarest (the question asks about something they do not say)."""
        if term in self.df:
            return self.idf(term)
        return UNKNOWN_WEIGHT * self.idf(term)

    def answer(self, question: str, normalized: str = "") -> Answer | None:
        """The answer a document gives, or None when none answers well enough."""
        found, _ = self.ranked(question)
        if not found:
            return None
        best = found[0]
        if best.score < MIN_SCORE or best.coverage < COVERAGE:
            return None
        passage = best.passage
        source = f"{passage.title}, page {passage.page}"
        body = []
        rival = next((f for f in found[1:] if f.passage.document_id != passage.document_id
                      and f.score >= MIN_SCORE and f.coverage >= COVERAGE), None)
        if rival is not None:
            body.append(f"Cité : « {passage.title} ». « {rival.passage.title} » en parle aussi "
                        f"(page {rival.passage.page}).")
        quote = shortened(passage.text, best.matched, QUOTE_CHARS)
        return fit(Answer(kind=AnswerKind.ANSWER, question=question, headline=quote,
                          body=body, sources=[source],
                          matches=[Match("passage", passage.passage_id, source, best.score)],
                          normalized=normalized))


def shortened(text: str, terms: set[str], limit: int) -> str:
    """The sentences of `text` that answer: its best sentence (most question words), then
    the neighbours that hold question words too, while they fit in `limit` characters."""
    parts = sentences(text)
    if len(parts) <= 1:
        return text if len(text) <= limit else _cut(text, limit)
    scores = [len(terms & set(lemmas(part))) for part in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))
    first = last = best
    size = len(parts[best])
    while True:
        grown = False
        for index in (last + 1, first - 1):
            if (0 <= index < len(parts) and scores[index]
                    and size + 1 + len(parts[index]) <= limit):
                size += 1 + len(parts[index])
                first, last = min(first, index), max(last, index)
                grown = True
        if not grown:
            break
    quote = " ".join(parts[first:last + 1])
    return quote if len(quote) <= limit else _cut(quote, limit)


def _cut(text: str, limit: int) -> str:
    """A single sentence longer than the quote: cut at a word, marked."""
    return re.sub(r"\s+\S*$", "", text[:limit - 1]) + "…"
