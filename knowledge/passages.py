"""Answers from the documents admins loaded: the passage that answers, quoted short.

The passages are indexed by lemma (simplemma then Snowball, stop words out: the learned
engine's `lemmas`), their heading's words counted twice, and scored with BM25 against
what the parsed question asks (`Query.content`: courtesy, the asker's own context and
question words already out). A word no passage has is matched to the nearest word they
have (rapidfuzz), for typos, and the admins' synonyms stand in for a word too. The words
that say what kind of answer is wanted (« qui », « vice-président », « quand ») and the
question's numbers help rank, but are not required.

Honest "je ne sais pas": a passage is told only when it holds most of what the question
asks, weighed by how rare each word is (`COVERAGE`), a word no document has weighing as
the rarest, and a detail asked (« téléphone », « âge ») is in it. The best passage is
told shortened to its sentences and list items that answer, with « <titre>, page N ».
The index is built with the engine (`AnswerEngine.reload`), so a document loaded is
found from the next question, without training anything.

Beyond one passage: a question on the document's sections is answered from its outline
(knowledge/outline.py), one counting or comparing a table's rows from the table
(knowledge/tallies.py), « tous les vice-présidents » from every line naming someone.
Refused besides: a name or a year the page told does not hold, a « quand » without a
date, a « quel vice-président » without a person.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import simplemma
from rapidfuzz import fuzz, process
from sqlmodel import Session, col, select

from knowledge.answers import Answer, AnswerKind, Intent, Match, fit
from knowledge.asks import combine, two_asks
from knowledge.documents import units
from knowledge.models import Document, Passage
from knowledge.outline import PERSON_NAME, Outline, told
from knowledge.outline import Page as OutlinePage
from knowledge.query import Query, Vocabulary, proper_nouns
from knowledge.selector import STOP, lemma, lemmas
from knowledge.tallies import asks_tally, operators, tally
from knowledge.text import (
    ADDRESS_WORDS,
    AMOUNT_WORDS,
    COST_WORDS,
    DETAIL_WORDS,
    ENGLISH_GRAMMAR,
    INTENT_WORDS,
    MAX_QUESTION_CHARS,
    ROLE_WORDS,
    fold,
    normalize,
)
from knowledge.tuning import MAX_ANSWER_CHARS

# Tuning: each threshold trades answering more against answering wrong.
K1, B = 1.2, 0.3  # BM25: term-frequency saturation, length normalisation
MIN_CORPUS = 50  # passages the idf assumes at least (fewer: every word looked common)
HEADING_WEIGHT = 2  # a passage's heading words count as if written twice more
SOFT_WEIGHT = 0.5  # answer-kind words and numbers: they rank, they are not required
KIND_BONUS = 1.5  # a passage holding the kind of answer wanted (a name for « qui »)
ACRONYM_CHARS = 6  # longer unknown words are words, not acronyms
COMMON_SHARE = 0.1  # a word in this share of the passages narrows nothing (« territoire »)
FIGURE_DIGITS = 3  # a number this long (not a year) the documents say is a subject
KIN_KNOWN = 7  # first letters a word unknown to the documents shares with its family's
KIN_LETTERS = 6  # first letters two words of one family share (« financ »)
HOP_COVERAGE = 0.4  # share of a topic's heading the passage naming someone must hold
LIST_INTENTS = {Intent.PRIORITY, Intent.HOW}  # « que prévoit … »: the list is the answer
KIND_HOPS = {Intent.WHO}  # the kinds of answer looked for beyond the topic's passage
COVERAGE = 0.45  # share of the question's rarity the passage must hold (lower: bolder)
MIN_SCORE = 2.0  # BM25 floor (lower: answers on one common word)
CONTEXT_FLOOR = 0.5  # share of what must be held a known word of the asker's context weighs
UNKNOWN_WEIGHT = 0.6  # a word no document has, against the rarest word they have
PLAIN_WEIGHT = 0.4  # the same for a dictionary word (« leviers »): more often the wording
FUZZY_CUTOFF = 85  # rapidfuzz ratio for a typed word to stand for a known one
FUZZY_MIN_LENGTH = 5  # shorter words are not corrected (too many neighbours)
COUNT_REACH = 4  # words from a number to what it counts ('891 habitants du territoire')
TABLE_PAGES = 3  # pages looked at for a table to count
THEME_PAGES = 3  # pages under one heading a list is drawn from
QUOTE_MARGIN = 20  # characters kept free under the 600 for the line breaks

ACRONYM_GAPS = frozenset("a au aux d de des du en et l la le les".split())  # not initials
PLURAL_OFFICES = frozenset({"elus", "elues"})  # « la liste des élus »: any office
ANY_OFFICE = "*"
_PLURAL_VP = re.compile(r"\b(?:les|des|tous les|toutes les|liste des) vps?\b")
_HYPHENED = re.compile(r"\b([^\W\d_]{2,})-([^\W\d_]{2,})\b")  # « pod-cast », « bio-déchets »
_COUNT_BREAK = re.compile(r"[,;(]|\b(?:et|ou)\b")  # a number counts no further
_LINE = re.compile(r"\bligne (\d{1,2})\b")
_DIGITS = re.compile(r"\d")
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")
_ASKED_YEAR = re.compile(r"\b(apres |au dela de |post )?((?:19|20)\d\d)\b")
_BULLET = re.compile(r"^[•▪◦●○■□➢►✓\-–—*]\s")
_VICE = re.compile(r"\bvi[cs]e[- ](?=pr[ée]sid)", re.IGNORECASE)  # one office, one word
_DATE = re.compile(r"\b(?:19|20)\d\d\b|\b(?:janv|fev|mars|avr|mai|juin|juil|aout|sept|oct|nov"
                   r"|dec)\w*", re.IGNORECASE)
_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)* [A-ZÀ-Ý]{2,}\b")  # Anne DUPONT
_PLACE = re.compile(r"\b(?:à|au|aux|en)\s+(?:la |le |l')?[A-ZÀ-Ý]")  # « à Gentilly »
_FULL_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)? [A-ZÀ-Ý][a-zà-ÿ]{2,}\b")
# what names a person in a passage, for « qui »: the offices, and the delegated titles
ROLE_TERMS = ROLE_WORDS | {"delegue", "deleguee", "elu", "elue"}
# what a spoken question says on the way (« euh, du coup, genre »): not what it asks
ORAL_FILLERS = frozenset("euh heu bah ben bon beh genre voila hein bref ok okay".split())
_ORAL_PHRASES = re.compile(r"\b(?:du coup|en fait|tu vois|vous voyez|tout ca|je veux dire)\b")
# capitalised as titles, not names: « note au Maire », « Madame »
TITLE_WORDS = ROLE_WORDS | DETAIL_WORDS | ADDRESS_WORDS
ROLE_LEMMAS = frozenset(lemma(word) for word in ROLE_WORDS)  # an office next to a name
OFFICE_LEMMAS = frozenset(lemma(word) for word in ROLE_TERMS)  # offices and delegations


def _base(word: str) -> str:
    """A word's dictionary form, folded ('pu' → 'pouvoir', 'tonnes' → 'tonne')."""
    return fold(simplemma.lemmatize(word, lang="fr"))


STOP_BASES = frozenset(_base(word) for word in STOP)  # a stop word's other forms
_MONEY = re.compile(r"€|\beuros?\b", re.IGNORECASE)  # « 8,9 M€ », « quinze euros »
_PERCENT = re.compile(r"\d\s*(?:%|pour ?cent)")


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
    parts: list[str] = field(default_factory=list)  # its units, read once
    kinds: dict[tuple[bool, Intent | None], bool] = field(default_factory=dict)  # cache

    def holds_kind(self, asked: Asked) -> bool:
        """Whether it says the kind of answer wanted (« qui » : a name), read once."""
        key = (asked.where, asked.intent)
        if key not in self.kinds:
            self.kinds[key] = any(_has_kind(part, asked) for part in self.parts)
        return self.kinds[key]


@dataclass
class Slot:
    """One thing the question asks: a word, or the words that may stand for it."""

    terms: list[str]  # the word's lemma first, then its synonyms' (known ones only)
    weight: float  # its part of the coverage: the rarest of its known terms, by its share
    share: float = 1.0  # the parser's weight of the word (less in the asker's context)


@dataclass
class Asked:
    """What a question asks of the passages."""

    slots: list[Slot]
    soft: list[str] = field(default_factory=list)  # rank, not required
    details: list[str] = field(default_factory=list)  # must be in the passage told
    intent: Intent | None = None
    whole: bool = False  # a list asked (« quels sont », « le plus »): its items are told
    cost: list[str] = field(default_factory=list)  # « combien coûte »: a sum answers, or
    # a line that speaks of the cost of what is asked (« la maîtrise des coûts des projets »)
    rate: bool = False  # « quel taux »: only a percentage answers
    strangers: list[str] = field(default_factory=list)  # names no document has: refused
    counted: str | None = None  # « combien de X »: a number of X must be said
    where: bool = False  # « où »: a place answers
    names: list[str] = field(default_factory=list)  # the documents' names asked (« Orly »):
    # the page told must hold them


@dataclass
class Person:
    """A line naming someone: the name, its passage, the line and its terms."""

    name: str
    passage: Indexed
    line: str
    terms: set[str]


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
        self.vocabulary = [t for t in self.df if not t.isdigit() and " " not in t]
        self.spelled: dict[str, str] = {}  # each word as the documents spell it → its term
        for passage in self.passages:
            for word in re.findall(r"[^\W\d_]{3,}", f"{passage.heading} {passage.text}"):
                if fold(word) not in self.spelled and lemma(word) in self.df:
                    self.spelled[fold(word)] = lemma(word)
        years = [int(y) for p in self.passages for y in _YEAR.findall(p.text)]
        self.last_year = max(years, default=None)  # what a question beyond it is refused by
        self.initials = _initials(f"{p.heading}\n{p.text}" for p in self.passages)
        self.names = _names(f"{p.heading}\n{p.text}" for p in self.passages)
        self.postings: dict[str, list[int]] = {}
        for index, passage in enumerate(self.passages):
            for term in passage.terms:
                self.postings.setdefault(term, []).append(index)
        self.max_idf = self.idf("")
        self.pages: dict[tuple[int, int], list[Indexed]] = {}
        for passage in self.passages:
            self.pages.setdefault((passage.document_id, passage.page), []).append(passage)
        self.outline = Outline(self._outlined())
        self.headed = {t for h in {p.heading for p in self.passages} for t in text_terms(h)}

    def _outlined(self) -> list[tuple[int, str, list[OutlinePage]]]:
        """Each document's pages as the outline reads them: a heading counts on the page
        that opens it, not on the pages that carry it on."""
        documents: dict[int, tuple[str, list[OutlinePage]]] = {}
        last: dict[int, str] = {}
        for (document_id, page), passages in self.pages.items():
            heading = passages[0].heading
            opened = heading if heading != last.get(document_id) else ""
            last[document_id] = heading
            lines = [line.strip() for p in passages for line in p.text.split("\n")]
            documents.setdefault(document_id, (passages[0].title, []))[1].append(
                OutlinePage(page, opened, [line for line in lines if line]))
        return [(document_id, title, pages) for document_id, (title, pages) in documents.items()]

    @classmethod
    def load(cls, session: Session) -> PassageSearch:
        rows = session.exec(select(Passage, Document.title).join(
            Document, col(Document.id) == col(Passage.document_id))
            .order_by(col(Passage.document_id), col(Passage.position)))
        return cls(list(rows))

    @staticmethod
    def _indexed(passage: Passage, title: str) -> Indexed:
        terms = text_terms(passage.text)
        for term in text_terms(passage.heading):
            terms[term] += HEADING_WEIGHT
        return Indexed(passage.id, passage.document_id, title, passage.page, passage.text,
                       passage.heading, terms, sum(terms.values()), units(passage.text))

    def idf(self, term: str) -> float:
        """BM25's idf, over at least `MIN_CORPUS` passages: in a one-page document every
        word is in every passage, which does not make it common."""
        count = self.df.get(term, 0)
        return math.log(1 + (max(self.n, MIN_CORPUS) - count + 0.5) / (count + 0.5))

    # ------------------------------------------------------------------ the question
    def asked(self, query: Query, synonyms: Callable[[str], list[str]] = lambda _: []) -> Asked:
        """The question's content words as slots (a word, its synonyms), weighed as the
        parser weighs them (the asking clause over its context), the words that say what
        kind of answer is wanted, its numbers and the details it asks."""
        typed = {fold(w): w for w in re.findall(r"\w+", query.text.lower())}
        share: dict[str, float] = {}
        for position in query.positions:
            word = position.candidates[0]
            share[word] = max(share.get(word, 0.0), position.weight)
        lines = set(query.lines)
        slots: dict[str, Slot] = {}
        soft: list[str] = []
        fillers = ORAL_FILLERS | {w for phrase in _ORAL_PHRASES.findall(query.normalized)
                                  for w in phrase.split()}
        for word in query.content:
            if word in fillers:
                continue
            if _base(typed.get(word, word)) in STOP_BASES and lemma(word) not in self.df:
                continue  # 'pu', 'aurait': a stop word's other form ('peut', 'a')
            word = word.rstrip("%")  # « 56% c'est quoi »: the number
            if word.isdigit():
                if word not in lines:
                    soft.append(word)
                continue
            if word == "ligne" and lines:
                continue
            own = self.known(typed.get(word, word))
            if own in slots:
                continue
            spelled = self._spelled_out(word) if own not in self.df and _acronym(
                typed.get(word, word)) else []
            if spelled:  # « ESS »: the words it stands for
                slots.update({t: self._slot([t], share.get(word, 1.0)) for t in spelled})
                continue
            others = [self.known(w) for e in synonyms(word) for w in e.split()]
            terms = [own, *dict.fromkeys(t for t in others if t in self.df and t != own)]
            surface = typed.get(word, word)  # '' for a symbol typed alone ('%%')
            plain = bool(surface) and simplemma.is_known(surface, lang="fr")
            slots[own] = self._slot(terms, share.get(word, 1.0),
                                    PLAIN_WEIGHT if plain else UNKNOWN_WEIGHT)
        for line in lines:
            slots[f"ligne {line}"] = self._slot([f"ligne {line}"], 1.0)
        counted = self.known(query.counted) if query.counted else None
        if counted in self.df and counted not in slots:  # « combien d'élus »: élus is asked
            slots[counted] = self._slot([counted], 1.0)
        figures = [n for n in soft if n.isdigit() and n in self.df and (
            not slots or (len(n) >= FIGURE_DIGITS and not _YEAR.fullmatch(n)))]
        slots.update({n: self._slot([n], 1.0) for n in figures})  # « les 891 bénéficiaires »
        asking = {w for w in query.normalized.split() if w in INTENT_WORDS}
        kind_words = asking | (ROLE_TERMS if query.intent is Intent.WHO else set())
        soft += [t for t in (lemma(w) for w in sorted(kind_words)) if t in self.df]
        if not any(t in self.df for slot in slots.values() for t in slot.terms):
            # « les prochains rendez-vous ? »: the words that ask are a heading's, the subject
            slots.update({t: self._slot([t], 1.0) for t in map(lemma, sorted(
                w for w in asking if INTENT_WORDS[w] != Intent.WHO)) if t in self.headed})
        details = [self.known(d) for d in query.details if share.get(d, 1.0) >= 1.0]
        content = set(query.content)
        opening = re.match(r"\s*([A-ZÀ-Ý][a-zà-ÿ]{2,})\b(?![-'’])", query.text)
        named = proper_nouns(query.text) + ([opening.group(1)] if opening and not (
            simplemma.is_known(opening.group(1).lower(), lang="fr")) else [])
        strangers = [n for n in named if fold(n) in content  # « Créteil », not « ESS »
                     and not n.isupper() and fold(n) not in TITLE_WORDS | STOP
                     and self.known(n) not in self.df]
        names = [w for w in query.content if w in self.names and share.get(w, 1.0) >= 1.0]
        return Asked(list(slots.values()), list(dict.fromkeys(soft)), details,
                     query.intent, query.listing or bool(query.superlative),
                     [lemma(w) for w in query.normalized.split() if w in COST_WORDS
                      | AMOUNT_WORDS] if query.wants_cost else [], query.wants_rate, strangers,
                     self.known(query.counted) if query.counted else None, query.where,
                     names)

    def _spelled_out(self, acronym: str) -> list[str]:
        """The words an acronym stands for: the run of words with its initials the
        documents say most often (« économie sociale et solidaire » for « ess »)."""
        runs: Counter[tuple[str, ...]] = Counter()
        for initials, words in self.initials:
            start = initials.find(acronym)
            while start >= 0:
                runs[tuple(words[start:start + len(acronym)])] += 1
                start = initials.find(acronym, start + 1)
        return [lemma(w) for w in runs.most_common(1)[0][0]] if runs else []

    def _slot(self, terms: list[str], share: float, unknown: float = UNKNOWN_WEIGHT) -> Slot:
        """A slot weighs as the rarest of its known terms; one no document has as a share
        of the rarest of all (`unknown`): the question asks what they do not say, unless
        it is the asker's context (`share`, the parser's weight for it)."""
        known = [self.idf(t) for t in terms if t in self.df]
        if known:  # a word the documents use ranks as the subject, wherever it is asked
            return Slot(terms, max(share, CONTEXT_FLOOR) * max(known), 1.0)
        return Slot(terms, share * unknown * self.max_idf, share)

    def known(self, word: str) -> str:
        """The index term for a typed word: its lemma as typed, or without accents, a
        word of the documents it begins ('gaspi' ~ 'gaspillage'), a longer term it
        starts ('sport' ~ 'sportif') or one of its family ('poursuivre' ~ 'poursuite'),
        or the word the documents spell nearest (a typo keeps its first letter), else
        its lemma (unknown)."""
        own = lemma(word)
        for term in (own, lemma(fold(word))):
            if term in self.df:
                return term
        typed = fold(word)
        if typed in self.spelled:  # 'elus': « élus » typed without its accent
            return self.spelled[typed]
        if typed[:1] in "dlnst" and typed[1:2] in "aeiouhy":  # 'delus': « d'élus »
            for term in (lemma(typed[1:]), self.spelled.get(typed[1:])):
                if term in self.df:
                    return term
        if len(typed) >= FUZZY_MIN_LENGTH and typed.isalpha():  # 'gaspi': « gaspillage » cut
            cut = [w for w in self.spelled if w.startswith(typed)]
            if cut:
                return self.spelled[min(cut, key=len)]
        if len(own) < FUZZY_MIN_LENGTH or own.isdigit():
            return own
        longer = [t for t in self.vocabulary if t.startswith(own)]
        if longer:
            return min(longer, key=len)
        family = own[:KIN_KNOWN]
        kin = [t for t in self.vocabulary if len(own) >= KIN_KNOWN and t.startswith(family)]
        if kin:  # 'poursuivre' ~ 'poursuite': one family, two stems
            return min(kin, key=len)
        near = process.extractOne(typed, [w for w in self.spelled if w[0] == typed[0]],
                                  scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return self.spelled[near[0]] if near else own

    # ------------------------------------------------------------------ ranking
    def ranked(self, asked: Asked, limit: int = 10) -> list[Found]:
        """The best passages for what is asked (BM25), with the share of it they hold."""
        if not asked.slots or not self.n:
            return []
        weights = {t: slot.share for slot in asked.slots for t in slot.terms}
        for term in asked.soft:
            weights.setdefault(term, SOFT_WEIGHT)
        scores: Counter[int] = Counter()
        for term, weight in weights.items():
            idf = self.idf(term) * weight
            for index in self.postings.get(term, ()):
                passage = self.passages[index]
                tf = passage.terms[term]
                norm = K1 * (1 - B + B * passage.length / self.average)
                scores[index] += idf * tf * (K1 + 1) / (tf + norm)
        total = sum(slot.weight for slot in asked.slots) or 1.0
        found = []
        for index, score in scores.items():
            passage = self.passages[index]
            held = [s for s in asked.slots if any(t in passage.terms for t in s.terms)]
            matched = {t for s in held for t in s.terms if t in passage.terms}
            matched |= {t for t in asked.soft if t in passage.terms}
            coverage = sum(s.weight for s in held) / total
            found.append(Found(passage, score, coverage, matched))
        found.sort(key=lambda f: -f.score)
        for candidate in found[:limit * 2]:  # the kind of answer wanted, next to the words
            if self._holds_kind(candidate.passage, asked):
                candidate.score *= KIND_BONUS
        found.sort(key=lambda f: -f.score)
        return found[:limit]

    def answer(self, query: Query, vocabulary: Vocabulary | None = None) -> Answer | None:
        """The answer the documents give, or None when none answers well enough. A
        question in two parts (« qui …, et quand … ? ») answered by two pages gets both,
        each with its page (`vocabulary` parses the parts, and holds the synonyms)."""
        synonyms = vocabulary.expansions_of if vocabulary else _no_synonyms
        if vocabulary is not None and query.followed is None:
            both = self._both_asks(query, vocabulary)
            if both is not None:
                return both
        return self._answer(query, synonyms, MAX_ANSWER_CHARS)

    def _both_asks(self, query: Query, vocabulary: Vocabulary) -> Answer | None:
        """The two parts of a question answered from two pages, as the engine cuts them."""
        for first_text, second_text, same in two_asks(query.text, query.intent is Intent.WHO):
            first = vocabulary.parse(first_text)
            second = vocabulary.parse(second_text, first)
            if same:  # 'qui suit le logement et l'urbanisme ?': both ask « qui »
                first, second = replace(first, intent=Intent.WHO), replace(second,
                                                                           intent=Intent.WHO)
            elif second.intent is None:
                second = replace(second, intent=first.intent)
            room = MAX_ANSWER_CHARS // 2
            answers = [self._answer(half, vocabulary.expansions_of, room)
                       for half in (first, second)]
            if all(answers) and answers[0].sources != answers[1].sources:  # type: ignore[union-attr]
                return combine(query.text, query.normalized, answers)  # type: ignore[arg-type]
        return None

    def _answer(self, query: Query, synonyms: Callable[[str], list[str]],
                room: int) -> Answer | None:
        if self._beyond(query):
            return None
        outlined = told(self.outline, query, lambda q: self._locate(q, synonyms))
        if outlined is not None:
            lines, sources = outlined
            return _reply(query, lines, sources)
        asked = self.asked(query, synonyms)
        listed = self._people(query, asked) or self._someone_else(query, asked)
        if listed is not None:
            return listed
        ranked = self.ranked(asked)
        decided, tallied = self._tallied(query, asked, ranked) if asks_tally(query) else (
            False, None)
        if decided:
            return tallied
        found = [f for f in ranked if self._answers(f, asked)]
        if not found:
            return None
        best = found[0]
        if asked.intent in KIND_HOPS and not self._holds_kind(best.passage, asked):
            best, asked = self._hop(best.passage, asked) or (best, asked)
        passage = best.passage
        pages = self._theme(passage) if asked.whole or asked.intent is Intent.PRIORITY else [
            passage.page]
        source = f"{passage.title}, " + " ; ".join(f"page {n}" for n in pages)
        body = []
        rival = next((f for f in found[1:] if f.passage.document_id != passage.document_id),
                     None)
        if rival is not None:
            body.append(f"Cité : « {passage.title} ». « {rival.passage.title} » en parle aussi "
                        f"(page {rival.passage.page}).")
        room -= QUOTE_MARGIN + len(f"Source : {source}") + sum(len(line) for line in body)
        text = "\n".join(self.page_text(self.pages[passage.document_id, n][0]) for n in pages)
        quote = shortened(text, asked, self.idf, room)
        if not self._kind_told(quote, text, query, asked):
            return None
        return fit(Answer(kind=AnswerKind.ANSWER, question=query.text, headline=quote,
                          body=body, sources=[source],
                          matches=[Match("passage", passage.passage_id, source, best.score)],
                          normalized=query.normalized))

    @cached_property
    def people(self) -> list[Person]:
        """Each line naming someone, read once."""
        return [Person(person.group(0), passage, unit, set(text_terms(unit)))
                for passage in self.passages for unit in passage.parts
                for person in [PERSON_NAME.search(unit)] if person]

    def _people(self, query: Query, asked: Asked) -> Answer | None:
        """« Tous les vice-présidents », « la liste des élus »: the people every document
        names with that office (any office for « élus »), when nothing narrower is asked."""
        roles = _offices(query)
        if not roles:
            return None
        typed = {w: self.known(w) for w in re.findall(r"\w+", query.text.lower())}
        said = {t for w, t in typed.items() if t in ROLE_LEMMAS or fold(w) in PLURAL_OFFICES}
        common = self.n * COMMON_SHARE
        if any(all(self.df.get(t, 0) < common for t in slot.terms) and not set(slot.terms) & said
               for slot in asked.slots):
            return None  # « les vice-présidents de la culture »: a narrower ask
        named: dict[str, Indexed] = {}
        for person in self.people:
            if roles & person.terms or ANY_OFFICE in roles and OFFICE_LEMMAS & person.terms:
                named.setdefault(person.name, person.passage)
        if len(named) < 2:
            return None
        first = next(iter(named.values()))
        pages = sorted({p.page for p in named.values() if p.document_id == first.document_id})
        source = f"{first.title}, " + " ; ".join(f"page {n}" for n in pages)
        return _reply(query, [f"{len(named)} personnes citées : " + ", ".join(named)],
                      [source])

    def _someone_else(self, query: Query, asked: Asked) -> Answer | None:
        """« X s'occupe-t-il du logement ? »: when X's line does not hold what is asked
        and another person's does, both lines (X's office, and who holds the subject)."""
        words = set(re.findall(r"\w+", fold(query.text)))
        named = [p for p in self.people if fold(p.name.split()[-1]) in words]
        if len(named) != 1:
            return None
        asked_of = named[0]
        own = set(text_terms(asked_of.name)) | OFFICE_LEMMAS
        topic = [set(slot.terms) for slot in asked.slots if not set(slot.terms) & own]
        if not topic or any(terms & asked_of.terms for terms in topic):
            return None
        other = next((p for p in self.people if p.name != asked_of.name
                      and all(terms & p.terms for terms in topic)), None)
        if other is None:  # no one holds all of it: not a delegation asked
            return None
        sources = [f"{asked_of.passage.title}, page {asked_of.passage.page}", *(
            [f"page {other.passage.page}"] if other.passage.page != asked_of.passage.page
            else [])]
        return _reply(query, [asked_of.line, other.line], sources)

    def _tallied(self, query: Query, asked: Asked, ranked: list[Found]
                 ) -> tuple[bool, Answer | None]:
        """The rows of a table counted or compared (« la ville qui en a le plus »), on the
        first pages found that hold most of what is asked and what is counted (the page's
        words together: a table runs over several passages); a row looked up by its
        label, on the first page only. First: whether the table decides (its answer, or
        None when it says the row asked has no figure)."""
        if asked.strangers or query.unheard_counted:
            return False, None
        how = {self.known(word) for word in operators(query)}
        slots = [slot for slot in asked.slots if slot.terms[0] not in how]
        total = sum(slot.weight for slot in slots) or 1.0
        for rank, found in enumerate(ranked[:TABLE_PAGES]):
            passage = found.passage
            terms = set().union(*(p.terms for p in self.pages[passage.document_id,
                                                              passage.page]))
            held = sum(s.weight for s in slots if any(t in terms for t in s.terms))
            if (held < COVERAGE * total or (asked.counted and asked.counted not in terms)
                    or not self._names_held(passage, asked)):
                continue
            lines = tally(query, self.page_text(passage), lookup=rank == 0)
            if lines == []:
                return True, None  # the row asked has no figure under the header asked
            if lines:
                source = f"{passage.title}, page {passage.page}"
                return True, _reply(query, lines, [source])
        return False, None

    def _locate(self, query: Query, synonyms: Callable[[str], list[str]]
                ) -> tuple[int, int] | None:
        """The page a question's subject is on (« la voirie relève de quel axe ? »)."""
        found = [f for f in self.ranked(self.asked(query, synonyms)) if f.score >= MIN_SCORE]
        return (found[0].passage.document_id, found[0].passage.page) if found else None

    def _holds_kind(self, passage: Indexed, asked: Asked) -> bool:
        """Whether a passage says the kind of answer wanted (« qui » : a name)."""
        return passage.holds_kind(asked)

    def _hop(self, topic: Indexed, asked: Asked) -> tuple[Found, Asked] | None:
        """« Qui s'occupe de la natation scolaire ? »: the passage on the topic names no
        one; the passage that names someone for the topic's heading (« réseaux culturels
        et sportifs ») answers, when it holds enough of it."""
        terms = [t for t in dict.fromkeys(text_terms(topic.heading)) if t in self.df]
        if not terms:
            return None
        heading = Asked([self._slot([t], 1.0) for t in terms], asked.soft, [], asked.intent)
        total = sum(slot.weight for slot in heading.slots)
        for found in self.ranked(heading):
            people = [text_terms(u) for u in found.passage.parts if _has_kind(u, asked)]
            held = sum(slot.weight for slot in heading.slots
                       if any(t in terms for terms in people for t in slot.terms))
            if found.passage is not topic and held >= HOP_COVERAGE * total:
                return found, heading
        return self._section_hop(topic, asked, set(terms))

    def _section_hop(self, topic: Indexed, asked: Asked, heading: set[str]
                     ) -> tuple[Found, Asked] | None:
        """The person of the topic's section (in the document's outline) whose line holds
        most of the topic's heading and question, by rarity: « la gestion prévisionnelle
        des emplois » is on a page of the section whose people include the one « à
        l'emploi »."""
        if asked.names:
            return None  # « Ivry ou Choisy, qui fait mieux ? »: not a person in charge
        wanted = (heading | {t for slot in asked.slots for t in slot.terms}) - OFFICE_LEMMAS
        for section in self.outline.sections_at(topic.document_id, topic.page):
            scored = [(sum(self.idf(t) for t in wanted if _kin(t, text_terms(line))), line)
                      for line in section.people]
            score, line = max(scored, default=(0.0, ""))
            if score <= 0:
                continue
            passage = next((p for page in section.pages[:1]
                            for p in self.pages[topic.document_id, page] if line in p.text), None)
            name = PERSON_NAME.search(line)
            if passage is not None and name is not None:
                slots = [self._slot([t], 1.0) for t in text_terms(name.group(0))]
                return Found(passage, score, 1.0, set()), Asked(slots, [], [], asked.intent)
        return None

    @staticmethod
    def _kind_told(quote: str, page: str, query: Query, asked: Asked) -> bool:
        """Whether the answer says the kind of answer a « quand » or a « qui est le
        vice-président … » wants: its page a date the question did not give (a calendar
        sets its dates apart from its rows), or the one it checks (« … en 2026 ? »), its
        quote a person."""
        if asked.intent is Intent.WHEN:
            dates = set(_DATE.findall(page.lower()))
            said = set(_DATE.findall(query.text.lower()))
            return bool(dates - said) or bool(query.month_asked and dates & said)
        if _asks_office(query):
            return any(_has_kind(unit, asked) for unit in units(quote))
        return True

    def _beyond(self, query: Query) -> bool:
        """Whether the question asks of a year after every year the documents name
        (« après 2026 », « le mandat 2026-2032 »): they cannot say what comes then."""
        if self.last_year is None:
            return False
        asked = [int(y) + bool(after) for after, y in _ASKED_YEAR.findall(query.normalized)]
        return any(year > self.last_year for year in asked)

    def _names_held(self, passage: Indexed, asked: Asked) -> bool:
        """Whether a passage's page names what the question names (« à Orly »): a page
        on the conservatoires says nothing of Orly's."""
        if not asked.names:
            return True
        text = fold(f"{passage.heading} {self.page_text(passage)}")
        words = set(re.findall(r"[^\W\d_]+", text))
        return all(name in words for name in asked.names)

    def _theme(self, passage: Indexed) -> list[int]:
        """The pages under a passage's heading, around its own (a theme's slides): a
        list asked of the theme is drawn from them all."""
        def same(page: int) -> bool:
            on = self.pages.get((passage.document_id, page))
            return bool(on) and on[0].heading == passage.heading  # type: ignore[index]

        first = passage.page
        while first > passage.page - THEME_PAGES + 1 and same(first - 1):
            first -= 1
        last = passage.page
        while last < first + THEME_PAGES - 1 and same(last + 1):
            last += 1
        return list(range(first, last + 1))

    def page_text(self, passage: Indexed) -> str:
        """The text of a passage's page: what its quote is drawn from."""
        return "\n".join(p.text for p in self.pages[passage.document_id, passage.page])

    def _answers(self, found: Found, asked: Asked) -> bool:
        """Whether a passage says enough of what is asked to be told."""
        text = self.page_text(found.passage)
        return (found.score >= MIN_SCORE and found.coverage >= COVERAGE and not asked.strangers
                and self._names_held(found.passage, asked)
                and all(d in found.passage.terms for d in asked.details)
                and (not asked.cost or _MONEY.search(text) is not None
                     or any(set(asked.cost) & set(terms) and _holds_slot(terms, asked)
                            for terms in map(text_terms, units(text))))
                and (not asked.rate or _PERCENT.search(text) is not None)
                and (asked.counted is None or _counts(text, asked.counted)))


def _initials(texts: Iterable[str]) -> list[tuple[str, list[str]]]:
    """Each line's words, small words left out, and their initials: where an acronym of
    the question is looked up."""
    lines = []
    for text in texts:
        for line in text.split("\n"):
            words = [w for w in re.findall(r"[^\W\d_]+", fold(line)) if w not in ACRONYM_GAPS]
            if len(words) >= 2:
                lines.append(("".join(w[0] for w in words), words))
    return lines


def _acronym(word: str) -> bool:
    """Whether a typed word unknown to the documents may be an acronym (« ESS », « gpec »),
    not a word of its own (« the », « is »)."""
    return (3 <= len(word) <= ACRONYM_CHARS and word.lower() not in ENGLISH_GRAMMAR
            and not simplemma.is_known(word.lower(), lang="fr"))


def _names(texts: Iterable[str]) -> frozenset[str]:
    """The words the documents always capitalise and the dictionary does not know
    (« Orly », « Leprêtre », not « Maison de l'environnement »), folded: names. Words in
    capitals (titles) tell nothing either way."""
    words = {word for text in texts for word in re.findall(r"[^\W\d_]{4,}", text)
             if not word.isupper()}
    lower = {fold(word) for word in words if word[0].islower()}
    capitalised = {fold(word) for word in words if word[0].isupper()
                   and not simplemma.is_known(word.lower(), lang="fr")}  # « Maison »: a word
    return frozenset(capitalised - lower - STOP)


def _no_synonyms(_: str) -> list[str]:
    return []


def _offices(query: Query) -> set[str]:
    """The offices a question asks in the plural (« les vice-présidents », « tous les
    vp », « les élus »), as index terms; « élus » stands for any office."""
    if query.intent is not Intent.WHO and not query.listing:
        return set()
    words = query.normalized.split()
    offices = {lemma(w) for w in words if w.endswith("s") and lemma(w) in ROLE_LEMMAS}
    if _PLURAL_VP.search(query.normalized):
        offices.add(lemma("vicepresident"))
    if PLURAL_OFFICES & set(words) and query.listing:
        offices.add(ANY_OFFICE)
    return offices


def _reply(query: Query, lines: list[str], sources: list[str]) -> Answer:
    """An answer of a few lines drawn from the documents, kept short."""
    return fit(Answer(kind=AnswerKind.ANSWER, question=query.text, headline=lines[0],
                      body=lines[1:], sources=sources, normalized=query.normalized))


def _kin(term: str, terms: Iterable[str]) -> bool:
    """Whether a term or one of its family is among `terms` (« financier » and
    « finances » share their first letters, not their stems)."""
    stem = term[:KIN_LETTERS]
    return term in terms or (len(term) >= KIN_LETTERS and any(
        len(t) >= KIN_LETTERS and t[:KIN_LETTERS] == stem for t in terms))


def _asks_office(query: Query) -> bool:
    """« Qui est le vice-président à la santé ? »: a person holding an office is asked."""
    return query.intent is Intent.WHO and bool(ROLE_TERMS & set(query.normalized.split()))


def _holds_slot(terms: Counter[str], asked: Asked) -> bool:
    return any(t in terms for slot in asked.slots for t in slot.terms)


def _counts(text: str, counted: str) -> bool:
    """Whether a text gives a number of `counted` (a term): the number, then the word
    within a few ('13 nouvelles gares', '8,9 M€ de crédits')."""
    for unit in units(text):
        for piece in _COUNT_BREAK.split(unit):  # « 12 conservatoires et des médiathèques »
            words = re.findall(r"[^\W_]+|€", _HYPHENED.sub(r"\1\2", piece))
            for index, word in enumerate(words):
                if word[0].isdigit() and any(lemma(w) == counted or lemma(fold(w)) == counted
                                             for w in words[index + 1:index + 1 + COUNT_REACH]):
                    return True
    return False


def text_terms(text: str) -> Counter[str]:
    """A text's index terms: its lemmas, its numbers as written whole ('308 770' is one),
    and the lines it names ('ligne 14'); a word written with a hyphen is also read
    whole ('pod-cast' is 'podcast' too)."""
    terms = Counter(t for t in lemmas(_VICE.sub("vice", text)) if not t.isdigit())
    terms.update(lemma(f"{a}{b}") for a, b in _HYPHENED.findall(text))
    for unit in units(text):  # one by one: a line's number is not the next line's
        for piece in _pieces(fold(unit)):
            terms.update(f"ligne {n}" for n in _LINE.findall(piece))
            # the line apart: 'Ligne 14 593 434 heures' is line 14 and 593434 hours
            numbers = (t.rstrip("%") for t in normalize(_LINE.sub(" ", piece)).split())
            terms.update(t for t in numbers if t.isdigit())  # « 56% » is 56
    return terms


def _pieces(unit: str) -> list[str]:
    """A unit in pieces `normalize` reads whole (it reads a question's length)."""
    if len(unit) <= MAX_QUESTION_CHARS:
        return [unit]
    pieces, current = [], ""
    for word in unit.split():
        if current and len(current) + 1 + len(word) > MAX_QUESTION_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current} {word}".strip()
    return [*pieces, current] if current else pieces


def shortened(text: str, asked: Asked, idf: Callable[[str], float], limit: int) -> str:
    """The units of `text` (sentences, list items, lines) that answer, in their order,
    while they fit in `limit` characters: the best one, the others that hold a word
    asked, the line that introduces a list item told, the units holding the kind of
    answer wanted when none told does (« qui » : a name), and for a list asked, the
    items that follow. Never cut inside a unit, unless the best alone is longer."""
    parts = units(text)
    if not parts:
        return text
    scores = [_unit_score(part, asked, idf) for part in parts]
    best = max(range(len(parts)), key=lambda i: (scores[i], -i))

    def near(indexes: Iterable[int]) -> list[int]:
        return sorted(indexes, key=lambda i: abs(i - best))

    chosen = [best, *sorted((i for i in range(len(parts)) if scores[i] > 0 and i != best),
                            key=lambda i: (-scores[i], abs(i - best)))]
    if asked.whole or asked.intent in LIST_INTENTS:  # the list the best item is in
        chosen[1:1] = _siblings(parts, best)
    chosen += [_intro(parts, i) for i in chosen if _intro(parts, i) is not None]
    if not any(_has_kind(parts[i], asked) for i in chosen):
        chosen += near(i for i in range(len(parts)) if _has_kind(parts[i], asked))
    if asked.whole or parts[best].endswith(":"):
        chosen += range(best + 1, len(parts))
    told: list[int] = []
    size = -1
    for index in dict.fromkeys(chosen):
        if size + 1 + len(parts[index]) <= limit or not told:
            told.append(index)
            size += 1 + len(parts[index])
    quote = " ".join(parts[i] for i in sorted(told))
    return quote if len(quote) <= limit else _cut(quote, limit)


def _siblings(parts: list[str], index: int) -> list[int]:
    """A list item's list: its introducing line, then its items, in order."""
    intro = _intro(parts, index)
    if intro is None:
        return []
    end = next((i for i in range(intro + 1, len(parts)) if not _BULLET.match(parts[i])),
               len(parts))
    return [intro, *range(intro + 1, end)]


def _intro(parts: list[str], index: int) -> int | None:
    """The line that introduces a list item: the nearest line before it that is not an
    item itself."""
    if not _BULLET.match(parts[index]):
        return None
    return next((i for i in range(index - 1, -1, -1) if not _BULLET.match(parts[i])), None)


def _unit_score(unit: str, asked: Asked, idf: Callable[[str], float]) -> float:
    """How much of the question a unit says: the rarity of the words asked it holds,
    and whether it holds the kind of answer wanted (a name, a number, a date)."""
    terms = text_terms(unit)
    score = sum(slot.share * max(idf(t) for t in slot.terms if t in terms)
                for slot in asked.slots if any(t in terms for t in slot.terms))
    if not score:
        return 0.0
    score += SOFT_WEIGHT * sum(idf(t) for t in asked.soft if t in terms)
    return score * KIND_BONUS if _has_kind(unit, asked) else score


def _has_kind(unit: str, asked: Asked) -> bool:
    """Whether a unit holds the kind of answer wanted: a place for « où », a person for
    « qui » (a name, an office), a number for « combien », a date for « quand »."""
    if asked.where:
        return _PLACE.search(unit) is not None
    if asked.intent is Intent.WHO:
        return bool(_NAME.search(unit)) or bool(
            _FULL_NAME.search(unit) and ROLE_LEMMAS & set(lemmas(_VICE.sub("vice", unit))))
    wanted = {Intent.FIGURE: _DIGITS, Intent.WHEN: _DATE}.get(asked.intent)  # type: ignore[arg-type]
    return wanted is not None and wanted.search(unit) is not None


def _cut(text: str, limit: int) -> str:
    """A single unit longer than the quote: cut at a word, marked."""
    return re.sub(r"\s+\S*$", "", text[:limit - 1]) + "…"
