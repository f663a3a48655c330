"""Query parsing: a French question → a `Query` (intent, entities, weighted words).

The `Vocabulary` is everything parsing needs to know about the knowledge base: communes
and their spellings, people's surnames, entry names, synonyms, and the word lists that
depend on the data (which words ask for a commune's figures, which years name the
mandate's period). It is rebuilt from the database on every reload, so an admin's
additions are parsed like the seed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from knowledge import models
from knowledge.answers import Intent
from knowledge.index import FuzzyIndex, Position
from knowledge.render import KnowledgeView
from knowledge.text import (
    COST_WORDS,
    GENERIC_WORDS,
    INTENT_WORDS,
    RATE_WORDS,
    STOP_WORDS,
    SUPERLATIVE_MAX,
    SUPERLATIVE_MIN,
    fold,
    normalize,
    number_key,
    numbers_in,
    stem,
    tokens,
)
from knowledge.tuning import (
    COMMUNE_FUZZY,
    GENERIC_WEIGHT,
    PERSON_FUZZY,
    POSSESSIVE_WEIGHT,
    SYNONYM_FUZZY,
)

INTENT_PHRASES = sorted((w for w in INTENT_WORDS if " " in w), key=len, reverse=True)
POSSESSIVES = {"mon", "ma", "mes", "notre", "nos"}
# Words that ask for figures in general, whatever the base holds.
FIGURE_WORDS = {stem(w) for w in ("chiffres", "chiffre", "nombre", "combien")}
COMMUNE_WORDS = {stem(w) for w in ("commune", "communes", "ville", "villes")}
_PERIOD = re.compile(r"\b((?:19|20)\d\d)\s*[-–—à]\s*((?:19|20)\d\d)\b")

_ORDINALS = {"un": 1, "premier": 1, "deux": 2, "deuxieme": 2, "second": 2, "trois": 3,
             "troisieme": 3, "quatre": 4, "quatrieme": 4}
_AXIS = re.compile(r"\baxe (?:n )?(\d|un|deux|trois|quatre)\b"
                   r"|\b(\d(?:e|eme|er)?|premier|deuxieme|second|troisieme|quatrieme) axe\b")
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][\wÀ-ÿ'-]+)")


@dataclass
class Query:
    text: str
    normalized: str
    intents: set[str]
    positions: list[Position]
    content: list[str]
    numbers: list[float]
    lines: list[str]
    axis_number: int | None
    commune_ids: list[int]
    person_ids: list[int]
    wants_cost: bool
    wants_rate: bool
    superlative: str | None
    expansions: list[str] = field(default_factory=list)  # synonyms the question used
    intent: Intent | None = None  # the kind of answer wanted (see main_intent)


def axis_number(match: re.Match | None) -> int | None:
    """'axe 2', 'axe deux', '2e axe', 'deuxième axe' → 2."""
    if match is None:
        return None
    word = next(g for g in match.groups() if g)
    return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def main_intent(intents: set[str], normalized: str, numbers: list[float]) -> Intent | None:
    """The kind of answer wanted; an explicit 'quand' beats a 'qui'."""
    words = set(normalized.split())
    if Intent.WHO in intents and Intent.WHEN in intents:
        return Intent.WHEN if words & {"quand", "when", "date"} else Intent.WHO
    if Intent.WHO in intents and Intent.FIGURE in intents and not words & {"qui", "who"}:
        return Intent.FIGURE  # "combien d'élus…" counts officials, it doesn't name one
    for intent in (Intent.DEFINE, Intent.WHO, Intent.WHEN, Intent.FIGURE, Intent.AXIS,
                   Intent.HOW):
        if intent in intents:
            return intent
    return Intent.FIGURE if numbers else None


def proper_nouns(text: str) -> list[str]:
    """Capitalised words not starting a sentence: names of people, places, organisations."""
    return [w for w in _CAPITALISED.findall(text.strip()) if not w.isupper() or len(w) > 1]


def close_to_any(word: str, names: set[str]) -> bool:
    return any(fuzz.ratio(word, name) >= COMMUNE_FUZZY for name in names)


class Vocabulary:
    """What the parser knows of the knowledge base (rebuilt on each reload)."""

    def __init__(self, view: KnowledgeView, synonyms: list[models.Synonym],
                 index: FuzzyIndex) -> None:
        self.view = view
        self.index = index
        self._build_synonyms(synonyms)
        self._build_entities()
        self._build_domain_words()

    def _build_synonyms(self, synonyms: list[models.Synonym]) -> None:
        self.synonyms: dict[str, list[str]] = defaultdict(list)
        self.pinned: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for syn in synonyms:
            term = normalize(syn.term)
            if not term:
                continue
            if syn.expansion:
                self.synonyms[term].append(normalize(syn.expansion))
                if " " not in term and stem(term) != term:
                    self.synonyms[stem(term)].append(normalize(syn.expansion))
            if syn.entity and syn.entry_id is not None:
                self.pinned[term].append((syn.entity, syn.entry_id))
        self.single_synonyms = [t for t in self.synonyms if " " not in t]
        self.phrase_terms = sorted(
            (t for t in {*self.synonyms, *self.pinned} if " " in t), key=len, reverse=True
        )

    def _build_entities(self) -> None:
        view = self.view
        self.commune_names: list[tuple[str, int]] = []
        for commune in view.communes.values():
            for name in {commune.name, *commune.variants}:
                folded = normalize(name)
                if folded:
                    self.commune_names.append((folded, commune.id))
        self.commune_names.sort(key=lambda item: -len(item[0]))
        names = [(f.title, ("fact", f.id)) for f in view.facts.values()]
        names += [(p.name, ("project", i)) for i, p in enumerate(view.projects)]
        names += [(p.title, ("person", p.id)) for p in view.people.values()]
        names += [(a.short_title, ("axis", a.id)) for a in view.axes.values()]
        self.entry_names = [(normalize(name), key) for name, key in names
                            if len(normalize(name)) >= 2]
        self.numbers_own: dict[str, list[int]] = defaultdict(list)
        self.numbers_around: dict[str, list[int]] = defaultdict(list)
        for figure in view.figures.values():
            for n in numbers_in(normalize(figure.value)):
                self.numbers_own[number_key(n)].append(figure.id)
            for n in numbers_in(normalize(f"{figure.label} {figure.context}")):
                self.numbers_around[number_key(n)].append(figure.id)
        self.surnames: list[tuple[str, int]] = []
        for person in view.people.values():
            for part in normalize(person.name).split():
                if len(part) >= 4 and part not in STOP_WORDS:
                    self.surnames.append((part, person.id))

    def _build_domain_words(self) -> None:
        """Word lists that depend on this base, derived from its entries."""
        view = self.view
        labels = {fig["label"] for c in view.communes.values() for fig in c.figures}
        # words that ask for a commune's own figures: those of their labels ("bénéficiaires")
        self.commune_figure_stems = {stem(t) for label in labels
                                     for t in tokens(normalize(label)) if not t.isdigit()}
        self.commune_figure_stems |= FIGURE_WORDS
        # what a "which commune has the most …" question may rank communes by
        self.ranking_stems = (self.commune_figure_stems - FIGURE_WORDS) | COMMUNE_WORDS
        # years that name a period the base speaks of ("priorités 2021-2026"): not figures
        self.period_years: set[int] = set()
        for text in view.all_texts():
            for start, end in _PERIOD.findall(fold(text)):
                if int(start) < int(end) <= int(start) + 20:
                    self.period_years.update(range(int(start), int(end) + 1))

    # ------------------------------------------------------------------ parsing
    def parse(self, question: str) -> Query:
        normalized = normalize(question)
        padded = f" {normalized} "
        intents = {Intent(intent) for word, intent in INTENT_WORDS.items()
                   if f" {word} " in padded}
        if normalized.startswith(("est ce que ", "est quoi ")):  # (qu')est-ce que …, c'est quoi
            intents.add(Intent.DEFINE)
        for phrase in INTENT_PHRASES:
            padded = padded.replace(f" {phrase} ", " ")
        lines = re.findall(r"\bligne (\d+)\b", normalized)
        axis_match = _AXIS.search(normalized)
        masked = _AXIS.sub(" ", re.sub(r"\bligne \d+\b", " ", padded.strip()))
        numbers = [n for n in numbers_in(masked) if n not in self.period_years]
        commune_ids, rest = self._find_communes(padded.strip())
        person_ids = self._find_people(rest)
        words = rest.split()
        positions, content = self._positions(words)
        expansions = [e for w in words for e in self.expansions_of(w)]
        return Query(
            intent=main_intent(intents, normalized, numbers),
            text=question, normalized=normalized, intents=intents, positions=positions,
            content=content, numbers=numbers, lines=lines,
            axis_number=axis_number(axis_match),
            commune_ids=commune_ids, person_ids=person_ids, expansions=expansions,
            wants_cost=any(w in COST_WORDS for w in words),
            wants_rate=any(w in RATE_WORDS for w in words),
            superlative="min" if SUPERLATIVE_MIN.search(normalized)
            else "max" if SUPERLATIVE_MAX.search(normalized) else None,
        )

    def _find_communes(self, normalized: str) -> tuple[list[int], str]:
        """Communes named (or misspelt: 'Vitri') in the question, and the rest of it."""
        found: list[int] = []
        padded = f" {normalized} "
        for name, commune_id in self.commune_names:
            if f" {name} " in padded:
                if commune_id not in found:
                    found.append(commune_id)
                padded = padded.replace(f" {name} ", " ")
        if found:
            return found, padded.strip()
        words = normalized.split()
        for name, commune_id in self.commune_names:  # fuzzy on windows of the same length
            size = len(name.split())
            if len(name) < 5:
                continue
            for i in range(len(words) - size + 1):
                window = " ".join(words[i : i + size])
                if (window[0] == name[0] and fuzz.ratio(window, name) >= COMMUNE_FUZZY
                        and commune_id not in found):
                    found.append(commune_id)
                    padded = padded.replace(f" {window} ", " ")
        return found, padded.strip()

    def partial_communes(self, query: Query) -> list[int]:
        """'villeneuve' alone: the communes whose name starts with it (to ask which)."""
        if query.commune_ids:
            return []
        found: list[int] = []
        for word in query.normalized.split():
            if len(word) < 5 or word in STOP_WORDS:
                continue
            for name, commune_id in self.commune_names:
                if name.startswith(f"{word} ") and commune_id not in found:
                    found.append(commune_id)
        return found if len(found) > 1 else []

    def _find_people(self, normalized: str) -> list[int]:
        """People named in the question; a first name shared by two people is not enough."""
        hits: dict[int, int] = defaultdict(int)
        for word in normalized.split():
            if len(word) < 4 or word in STOP_WORDS:
                continue
            owners = {pid for part, pid in self.surnames if word == part
                      or (len(word) >= 5 and fuzz.ratio(word, part) >= PERSON_FUZZY)}
            for pid in owners:
                hits[pid] += 2 if len(owners) == 1 else 1
        if not hits:
            return []
        best = max(hits.values())
        return [pid for pid, count in hits.items() if count == best and count >= 2]

    def _positions(self, words: list[str]) -> tuple[list[Position], list[str]]:
        text = " ".join(words)
        positions: list[Position] = []
        for phrase in self.phrase_terms:
            if f" {phrase} " in f" {text} ":
                text = f" {text} ".replace(f" {phrase} ", " ").strip()
                weight = min(len(phrase.split()), 2)  # it stood for several words
                for expansion in self.synonyms.get(phrase, []):
                    positions.extend(expansion_positions(expansion, weight))
        content: list[str] = []
        previous = ""
        for word in text.split():
            # "mon quartier", "nos chantiers": the asker's situation, not the topic asked
            scale = POSSESSIVE_WEIGHT if previous in POSSESSIVES else 1.0
            previous = word
            if (word in STOP_WORDS or word in INTENT_WORDS or word in COST_WORDS
                    or (len(word) == 1 and not word.isdigit())):
                continue
            content.append(word)
            expansions = self.expansions_of(word)
            if not expansions:
                weight = GENERIC_WEIGHT if word in GENERIC_WORDS else 1.0
                positions.append(Position((word,), weight * scale))
                continue
            # a word the base knows keeps its weight; one it doesn't lends it to its synonyms
            known = bool(self.index.term_matches(word))
            if known:
                positions.append(Position((word,), scale))
            share = (0.5 if known else 1.0) * scale / len(expansions)
            for expansion in expansions:
                positions.extend(expansion_positions(expansion, share))
        return positions, content

    def expansions_of(self, word: str) -> list[str]:
        """Synonym expansions of a word, also of a misspelt synonym ('piscnies')."""
        found = self.synonyms.get(word) or self.synonyms.get(stem(word))
        if found or len(word) < 5:
            return found or []
        close = self.index.term_matches(word)
        if close:  # the typo is close to a base word: that word's synonyms, if any
            return self.synonyms.get(close[0][0], [])
        match = process.extractOne(stem(word), self.single_synonyms, scorer=fuzz.ratio,
                                   score_cutoff=SYNONYM_FUZZY)
        if match and match[0][0] == word[0]:
            return self.synonyms[match[0]]
        return []

    def unheard(self, word: str) -> bool:
        """A word neither the base, its synonyms nor its names know (typos are known)."""
        folded = normalize(word)
        return bool(folded) and not folded.isdigit() and not any(
            self.index.term_matches(part) or part in self.synonyms or part in STOP_WORDS
            for part in folded.split())


def expansion_positions(expansion: str, weight: float) -> list[Position]:
    words = [w for w in expansion.split() if w not in STOP_WORDS]
    return [Position((w,), weight / len(words)) for w in words] if words else []
