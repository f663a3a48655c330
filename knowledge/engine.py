"""The answer engine: a question in French (typos, SMS style, paraphrase) → a typed Answer.

Pipeline: normalise → detect intent cues (qui / quand / combien / axe / définition) and
entities (communes, metro lines, axis numbers, numbers, people's names) → expand synonyms
→ score every indexed piece of knowledge (`FuzzyIndex`) → pick the best entry for the
intent → render a short answer with its source, or say honestly that we do not know.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import models
from knowledge.index import Doc, FuzzyIndex, Position
from knowledge.models import utcnow
from knowledge.render import KnowledgeView, Rendered
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
)

MAX_ANSWER_CHARS = 600
MAX_CANDIDATES = 300  # best-covered pieces kept for ranking (a large base has thousands)
ANSWER_THRESHOLD = 0.42  # below: "je ne sais pas"
AMBIGUITY_MARGIN = 0.03  # two different entries this close, both weak → ask
CONFIDENT = 0.6
COMMUNE_FUZZY = 80
SYNONYM_FUZZY = 80  # "vitri" ~ "vitry", first letter kept
# A date is the costliest thing to get wrong: a calendar answer needs a surer match.
THRESHOLDS = {"when": 0.6}
GENERIC_WEIGHT = 0.3
POSSESSIVES = {"mon", "ma", "mes", "notre", "nos"}
POSSESSIVE_WEIGHT = 0.5
AXIS_TOPIC_THRESHOLD = 0.25  # "X relève de quel axe ?": the topic only needs to be found
LEAD_FACTOR = 0.9  # a topic's lead is slightly less certain than the topic itself
DIRECT_SHARE = 0.2
NAMED_BONUS = 0.3  # the question names the entry itself

# How much each kind of entry suits each intent (the rest gets the default).
INTENT_PRIORS: dict[str | None, dict[str, float]] = {
    "who": {"person": 1.0, "axis": 0.5, "default": 0.55},
    "when": {"project": 1.0, "default": 0.65},
    "figure": {"figure": 1.0, "commune": 1.0, "default": 0.7},
    "define": {"fact": 1.0, "priority": 0.85, "default": 0.75},
    "axis": {"axis": 1.0, "default": 0.8},
    "how": {"priority": 1.0, "fact": 0.95, "default": 0.75},
    None: {"fact": 1.0, "priority": 1.0, "figure": 0.95, "project": 0.9, "axis": 0.9,
           "person": 0.85, "commune": 0.8, "default": 0.8},
}
INTENT_PHRASES = sorted((w for w in INTENT_WORDS if " " in w), key=len, reverse=True)
COMMUNE_FIGURE_STEMS = {stem(w) for w in (
    "beneficiaires", "insertion", "habitants", "ligne", "clauses", "chiffres", "nombre")}


# Details the base never records, whatever the subject (opening hours, phone numbers…).
NEVER_RECORDED = {stem(w) for w in (
    "horaires", "horaire", "ouverture", "telephone", "adresse", "email", "courriel",
    "meteo", "salaire", "salaires", "age", "anniversaire")}
_CAPITALISED = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-ZÀ-Ý][\wÀ-ÿ'-]+)")


GREETINGS = {"bonjour", "bonsoir", "salut", "hello", "hi", "coucou", "hey", "bjr", "slt"}
THANKS = {"merci", "thanks", "mrc", "ok", "okay", "super", "parfait", "cool", "top", "bravo",
          "beaucoup", "bien", "tres", "genial", "nickel"}


_ORDINALS = {"un": 1, "premier": 1, "deux": 2, "deuxieme": 2, "second": 2, "trois": 3,
             "troisieme": 3, "quatre": 4, "quatrieme": 4}
_AXIS = re.compile(r"\baxe (?:n )?(\d|un|deux|trois|quatre)\b"
                   r"|\b(\d(?:e|eme|er)?|premier|deuxieme|second|troisieme|quatrieme) axe\b")


def _axis_number(match: re.Match | None) -> int | None:
    """'axe 2', 'axe deux', '2e axe', 'deuxième axe' → 2."""
    if match is None:
        return None
    word = next(g for g in match.groups() if g)
    return _ORDINALS.get(word) or int(re.sub(r"\D", "", word))


def main_intent(intents: set[str], normalized: str, numbers: list[float]) -> str | None:
    """The kind of answer wanted; an explicit 'quand' beats a 'qui'."""
    words = set(normalized.split())
    if "who" in intents and "when" in intents:
        return "when" if words & {"quand", "when", "date"} else "who"
    if "who" in intents and "figure" in intents and not words & {"qui", "who"}:
        return "figure"  # "combien d'élus…" counts officials, it doesn't name one
    for intent in ("define", "who", "when", "figure", "axis", "how"):
        if intent in intents:
            return intent
    return "figure" if numbers else None


def _close_to_any(word: str, names: set[str]) -> bool:
    return any(fuzz.ratio(word, name) >= COMMUNE_FUZZY for name in names)


def _courtesy(text: str) -> str | None:
    """A reply to 'bonjour' or 'merci' alone: not a question, but worth a kind word."""
    words = set(re.findall(r"[a-z]+", fold(text)))
    if not words or not words <= GREETINGS | THANKS:
        return None
    if words & GREETINGS:
        return "Bonjour 👋 Je réponds aux questions sur le mandat 2021-2026."
    return "Avec plaisir ! Une autre question sur le mandat ?"


def _proper_nouns(text: str) -> list[str]:
    """Capitalised words not starting a sentence: names of people, places, organisations."""
    return [w for w in _CAPITALISED.findall(text.strip()) if not w.isupper() or len(w) > 1]


class AnswerKind(StrEnum):
    ANSWER = "answer"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass
class Match:
    kind: str
    entry_id: int
    title: str
    score: float


@dataclass
class Suggestion:
    """An alternative the user may have meant: `query` re-asks the engine precisely, and
    (kind, entry_id) names the entry for a button."""

    label: str
    query: str
    kind: str = ""
    entry_id: int = 0


@dataclass
class Answer:
    kind: AnswerKind
    question: str
    headline: str
    body: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    alternatives: list[Suggestion] = field(default_factory=list)
    milestone_ids: list[int] = field(default_factory=list)
    normalized: str = ""
    small_talk: bool = False  # "bonjour", "merci": nothing to log for the admins

    @property
    def score(self) -> float:
        return self.matches[0].score if self.matches else 0.0

    def source_line(self) -> str:
        return ("Source : " + " ; ".join(self.sources)) if self.sources else ""

    def text(self) -> str:
        """The plain-text reply: what the bot says, without markup."""
        parts = [self.headline, *self.body]
        if self.alternatives and self.kind is not AnswerKind.ANSWER:
            parts.extend(f"• {alt.label}" for alt in self.alternatives)
        if self.sources:
            parts.append(self.source_line())
        return "\n".join(part for part in parts if part)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["kind"] = str(self.kind)
        data["text"] = self.text()
        return data


@dataclass
class Hit:
    """An entry the question matches, with the pieces of it that matched best."""

    kind: str
    entry_id: int
    score: float
    parts: list[tuple[float, int]] = field(default_factory=list)
    via_priority: int | None = None  # a person found through a priority they lead

    def best_parts(self, limit: int = 3) -> list[int]:
        if not self.parts:
            return []
        top = self.parts[0][0]
        return [part for value, part in self.parts[:limit] if value >= top * 0.75]


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
    intent: str | None = None  # the kind of answer wanted (see main_intent)


class AnswerEngine:
    """Answers questions from the knowledge base; `reload()` after the data changes."""

    def __init__(self, db: Engine, tz: ZoneInfo | str = "Europe/Paris") -> None:
        self.db = db
        self.tz = ZoneInfo(tz) if isinstance(tz, str) else tz
        self.reload()

    # ------------------------------------------------------------------ building
    def reload(self) -> None:
        with Session(self.db) as session:
            self.view = KnowledgeView.load(session, self.tz)
            synonyms = list(session.exec(select(models.Synonym)))
        self._build_synonyms(synonyms)
        self.index = FuzzyIndex(self._docs())
        self._build_entities()

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

    def _docs(self) -> list[Doc]:
        view = self.view
        docs: list[Doc] = []
        for person in view.people.values():  # topics they lead reach them via _leads_of
            docs.append(Doc("person", person.id, 0, [
                (person.name, 3.0), (person.delegation, 3.0), (person.title, 2.0),
                (" ".join(person.keywords), 2.5)]))
        for priority in view.priorities.values():
            common = [(priority.theme, 1.5), (" ".join(priority.keywords), 1.5)]
            snippets = [*priority.items, *priority.findings]
            if priority.highlight:
                snippets.append(priority.highlight)
            for part, snippet in enumerate(snippets):
                docs.append(Doc("priority", priority.id, part, [(snippet, 3.0), *common]))
        for figure in view.figures.values():
            docs.append(Doc("figure", figure.id, 0, [
                (figure.label, 3.0), (figure.unit, 1.5), (figure.context, 2.0),
                (" ".join(figure.keywords), 2.5)]))
        for commune in view.communes.values():
            labels = " ".join(fig["label"] for fig in commune.figures)
            docs.append(Doc("commune", commune.id, 0, [
                (commune.name, 3.0), (" ".join(commune.variants), 3.0), (labels, 1.0)]))
        for project_id, project in enumerate(view.projects):
            fields = [(project.name, 3.0), (" ".join(project.keywords), 2.5)]
            for milestone in project.milestones:
                fields += [(milestone.phase, 2.0),  # its title repeats project + phase
                           (milestone.description, 0.8), (milestone.location or "", 1.0)]
            docs.append(Doc("project", project_id, 0, fields))
        for fact in view.facts.values():
            docs.append(Doc("fact", fact.id, 0, [
                (fact.title, 3.0), (" ".join(fact.keywords), 2.5), (fact.text, 2.0)]))
        for axis in view.axes.values():
            themes = " ".join(p.theme for p in view.priorities.values()
                              if p.axis_number == axis.number)
            docs.append(Doc("axis", axis.id, 0, [
                (axis.title, 3.0), (axis.short_title, 3.0), (" ".join(axis.keywords), 2.5),
                (themes, 0.8)]))
        return docs

    def _build_entities(self) -> None:
        self.commune_names: list[tuple[str, int]] = []
        for commune in self.view.communes.values():
            for name in {commune.name, *commune.variants}:
                folded = normalize(name)
                if folded:
                    self.commune_names.append((folded, commune.id))
        self.commune_names.sort(key=lambda item: -len(item[0]))
        view = self.view
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
        for person in self.view.people.values():
            for part in normalize(person.name).split():
                if len(part) >= 4 and part not in STOP_WORDS:
                    self.surnames.append((part, person.id))

    # ------------------------------------------------------------------ parsing
    def parse(self, question: str) -> Query:
        normalized = normalize(question)
        padded = f" {normalized} "
        intents = {intent for word, intent in INTENT_WORDS.items() if f" {word} " in padded}
        if normalized.startswith(("est ce que ", "est quoi ")):  # (qu')est-ce que …, c'est quoi
            intents.add("define")
        for phrase in INTENT_PHRASES:
            padded = padded.replace(f" {phrase} ", " ")
        lines = re.findall(r"\bligne (\d+)\b", normalized)
        axis_match = _AXIS.search(normalized)
        axis_number = _axis_number(axis_match)
        masked = _AXIS.sub(" ", re.sub(r"\bligne \d+\b", " ", padded.strip()))
        # years of the mandate ("priorités 2021-2026") are not figures to look up
        numbers = [n for n in numbers_in(masked) if not 2021 <= n <= 2026]
        commune_ids, rest = self._find_communes(padded.strip())
        person_ids = self._find_people(rest)
        words = rest.split()
        positions, content = self._positions(words)
        expansions = [e for w in words for e in self._expansions_of(w)]
        return Query(
            intent=main_intent(intents, normalized, numbers),
            text=question, normalized=normalized, intents=intents, positions=positions,
            content=content, numbers=numbers, lines=lines, axis_number=axis_number,
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

    def _partial_communes(self, query: Query) -> list[int]:
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
            owners = {pid for part, pid in self.surnames
                      if word == part or (len(word) >= 5 and fuzz.ratio(word, part) >= 86)}
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
                    positions.extend(self._expansion_positions(expansion, weight))
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
            expansions = self._expansions_of(word)
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
                positions.extend(self._expansion_positions(expansion, share))
        return positions, content

    def _expansions_of(self, word: str) -> list[str]:
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

    @staticmethod
    def _expansion_positions(expansion: str, weight: float) -> list[Position]:
        words = [w for w in expansion.split() if w not in STOP_WORDS]
        return [Position((w,), weight / len(words)) for w in words] if words else []

    # ------------------------------------------------------------------ answering
    def ask(self, question: str) -> Answer:
        return self._respond(self.parse(question))

    def _respond(self, query: Query, ranked: list[Hit] | None = None) -> Answer:
        courtesy = _courtesy(query.text)
        if courtesy:
            return replace(self._unknown(query, courtesy), small_talk=True)
        if not query.normalized.strip():
            return self._unknown(query, "Je n'ai pas compris la question : elle est vide.")
        return (
            self._answer_commune(query)
            or self._answer_superlative(query)
            or self._answer_people(query)
            or self._answer_ranked(query, ranked)
        )

    def describe(self, kind: str, entry_id: int) -> Answer | None:
        """The answer for one known entry (a button pressed on a suggestion)."""
        if not self.view.has(kind, entry_id):
            return None
        hit = Hit(kind, entry_id, 1.0)
        query = self.parse(self.view.query_for(kind, entry_id))
        return self._build(AnswerKind.ANSWER, query, self._render(hit, query, [hit]),
                           self._matches([hit]), [])

    def search(self, text: str, limit: int = 10) -> list[Answer]:
        """Several candidate answers, best first (for /chercher and inline mode)."""
        query = self.parse(text)
        if not query.normalized:
            return []
        ranked = self._ranked(query)  # once: the best answer and the others share it
        best = self._respond(query, ranked)
        results = [best] if best.kind is AnswerKind.ANSWER else []
        seen = {(m.kind, m.entry_id) for m in best.matches[:1]} if results else set()
        for hit in ranked:
            if len(results) >= limit or hit.score < ANSWER_THRESHOLD * 0.6:
                break
            if (hit.kind, hit.entry_id) in seen:
                continue
            seen.add((hit.kind, hit.entry_id))
            results.append(self._build(AnswerKind.ANSWER, query, self._render(hit, query, [hit]),
                                       self._matches([hit]), []))
        return results

    def _ranked(self, query: Query) -> list[Hit]:
        """One hit per entry, best first, scored for the question's intent."""
        totals, mass = self.index.score(query.positions)
        hits: dict[tuple[str, int], Hit] = {}
        best_docs = heapq.nlargest(MAX_CANDIDATES, totals.items(), key=lambda item: item[1])
        for doc_idx, covered in best_docs:
            doc = self.index.docs[doc_idx]
            hit = hits.setdefault((doc.kind, doc.entry_id), Hit(doc.kind, doc.entry_id, 0.0))
            value = covered / mass if mass else 0.0
            hit.parts.append((value, doc.part))
            hit.score = max(hit.score, value)
        for kind, entry_id in self._pins(query):
            hit = hits.setdefault((kind, entry_id), Hit(kind, entry_id, 0.0))
            hit.score = max(hit.score, 0.9)
        define = query.intent == "define"
        for key, share in self._named_entries(query):
            hit = hits.setdefault(key, Hit(*key, 0.0))
            # "que veut dire ANRU": the entry titled ANRU is the definition
            hit.score += NAMED_BONUS * share * (2 if define and key[0] == "fact" else 1)
        for key, bonus in self._number_bonus(query).items():
            hit = hits.setdefault(key, Hit(*key, 0.0))
            hit.score = min(1.0, hit.score * 0.5 + bonus)
        intent = query.intent
        priors = INTENT_PRIORS[intent]
        ranked = []
        for hit in hits.values():
            hit.parts.sort(reverse=True)
            ranked.append(replace(hit, score=hit.score * priors.get(hit.kind, priors["default"])))
            if hit.kind == "priority" and intent == "who":
                ranked.extend(self._leads_of(hit, hits))
        ranked.sort(key=lambda h: -h.score)
        seen: set[tuple[str, int]] = set()
        unique = []
        for hit in ranked:
            if (hit.kind, hit.entry_id) not in seen:
                seen.add((hit.kind, hit.entry_id))
                unique.append(hit)
        return unique

    def _leads_of(self, hit: Hit, hits: dict[tuple[str, int], Hit]) -> list[Hit]:
        """A 'who' question about a topic: the officials whose delegation covers it.

        When several officials share the topic, their own match breaks the tie
        (gymnases → the sports delegate, not the culture one).
        """
        leads = []
        for key in self.view.priorities[hit.entry_id].leads:
            person = self.view.people_by_key.get(key)
            if person is None or person.id is None:
                continue
            direct = hits.get(("person", person.id))
            direct_score = direct.score if direct else 0.0
            via = hit.score * LEAD_FACTOR
            score = max(via, direct_score) + DIRECT_SHARE * min(via, direct_score)
            leads.append(Hit("person", person.id, score, via_priority=hit.entry_id))
        return leads

    def _named_entries(self, query: Query) -> list[tuple[tuple[str, int], float]]:
        """Entries the question names outright ('ANRU', 'président', 'plan vélo'), with
        a full share when named in its own words, half through a synonym."""
        said = f" {query.normalized} "
        expanded = f" {' '.join(query.expansions)} "
        when = query.intent == "when"
        named = []
        for name, key in self.entry_names:
            if key[0] == "project" and not when:
                continue
            if f" {name} " in said:
                named.append((key, 1.0))
            elif f" {name} " in expanded:
                named.append((key, 0.5))
        return named

    def _pins(self, query: Query) -> list[tuple[str, int]]:
        """Entries an admin pinned to a word of this question (learned synonyms)."""
        padded = f" {query.normalized} "
        return [pin for term, pins in self.pinned.items() if f" {term} " in padded
                for pin in pins]

    def _number_bonus(self, query: Query) -> dict[tuple[str, int], float]:
        """Figures whose value (or, less surely, whose context) has a number asked about."""
        bonus: dict[tuple[str, int], float] = {}
        for number in {number_key(n) for n in query.numbers}:
            for figure_id in self.numbers_around.get(number, ()):
                bonus.setdefault(("figure", figure_id), 0.55)
            for figure_id in self.numbers_own.get(number, ()):
                bonus[("figure", figure_id)] = 0.75
        return bonus

    def _answer_ranked(self, query: Query, ranked: list[Hit] | None = None) -> Answer:
        ranked = self._ranked(query) if ranked is None else ranked
        intent = query.intent
        if query.axis_number is not None or (intent == "axis" and ranked):
            return self._answer_axis(query, ranked)
        if (not ranked or ranked[0].score < THRESHOLDS.get(intent, ANSWER_THRESHOLD)
                or self._beyond_base(query)):
            return self._unknown(query, ranked=ranked)
        best = ranked[0]
        if (query.wants_cost or query.wants_rate) and not self._is_quantity(best, query):
            return self._unknown(query, ranked=ranked)
        if intent == "who" and best.kind != "person":
            return self._who_from_topic(query, best, ranked)
        second = ranked[1] if len(ranked) > 1 else None
        if (second and best.score < CONFIDENT and best.score - second.score < AMBIGUITY_MARGIN
                and best.kind != "person" and second.kind != best.kind):
            return self._ambiguous(query, ranked)
        rendered = self._render(best, query, ranked)
        return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                           self._alternatives(ranked[1:], exclude=best))

    def _who_from_topic(self, query: Query, best: Hit, ranked: list[Hit]) -> Answer:
        """'Qui …' whose best match is not a person: the people a close entry names, or
        the officials of its axis when no delegation covers the topic — said as such."""
        view = self.view
        for hit in ranked[:5]:
            if hit.score < best.score * 0.8:
                break
            rendered = None
            if hit.kind == "fact":
                fact = view.facts[hit.entry_id]
                text = f" {normalize(fact.title + ' ' + fact.text)} "
                named = [pid for surname, pid in self.surnames if f" {surname} " in text]
                if named:
                    rendered = view.render_people(list(dict.fromkeys(named))).extend(
                        view.render_fact(hit.entry_id))
            elif hit.kind == "priority":
                rendered = view.render_axis_people(hit.entry_id)
            if rendered is not None:
                return self._build(AnswerKind.ANSWER, query, rendered, self._matches(ranked),
                                   self._alternatives(ranked, exclude=hit))
        return self._unknown(query, ranked=ranked)

    def _beyond_base(self, query: Query) -> bool:
        """The question is about something the base cannot hold, whatever else matches:
        a named entity it has never heard of ('Tokyo', 'République') or a kind of detail it
        never records ('horaires', 'téléphone')."""
        communes = {part for cid in query.commune_ids
                    for part in normalize(self.view.communes[cid].name).split()}
        if any(self._unheard(word) for word in _proper_nouns(query.text)
               if not (communes and _close_to_any(normalize(word), communes))):
            return True
        return any(stem(w) in NEVER_RECORDED for w in query.content)

    def _unheard(self, word: str) -> bool:
        """A word neither the base, its synonyms nor its names know (typos are known)."""
        folded = normalize(word)
        return bool(folded) and not folded.isdigit() and not any(
            self.index.term_matches(part) or part in self.synonyms or part in STOP_WORDS
            for part in folded.split())

    def _is_quantity(self, hit: Hit, query: Query) -> bool:
        """A cost or rate question is only answered by a figure of that kind."""
        if hit.kind != "figure":
            return False
        figure = self.view.figures[hit.entry_id]
        unit = f"{figure.value} {figure.unit}"
        return ("€" in unit) if query.wants_cost else ("%" in unit)

    def _render(self, hit: Hit, query: Query, ranked: list[Hit]) -> Rendered:
        view = self.view
        if hit.kind == "person":
            return view.render_person(hit.entry_id, via_priority=hit.via_priority)
        if hit.kind == "priority":
            return view.render_priority(hit.entry_id, hit.best_parts())
        if hit.kind == "figure":
            siblings = [h.entry_id for h in ranked[1:4]
                        if h.kind == "figure" and h.score >= hit.score * 0.92]
            return view.render_figures([hit.entry_id, *siblings])
        if hit.kind == "commune":
            return view.render_commune(hit.entry_id, query.lines)
        if hit.kind == "project":
            return view.render_project(hit.entry_id, utcnow())
        if hit.kind == "fact":
            return view.render_fact(hit.entry_id)
        return view.render_axis(hit.entry_id)

    def _matches(self, ranked: list[Hit], limit: int = 5) -> list[Match]:
        return [Match(h.kind, h.entry_id, self.view.title(h.kind, h.entry_id), round(h.score, 3))
                for h in ranked[:limit]]

    # ------------------------------------------------------------------ special cases
    def _answer_commune(self, query: Query) -> Answer | None:
        if query.superlative:
            return None
        if not query.commune_ids:
            return self._which_commune(query)
        figure_words = [w for w in query.content if stem(w) in COMMUNE_FIGURE_STEMS]
        other_words = [w for w in query.content if w not in figure_words]
        about_figures = bool(query.lines or figure_words) or not other_words
        if not about_figures:
            return None
        commune_id = query.commune_ids[0]
        rendered = self.view.render_commune(commune_id, query.lines)
        matches = [Match("commune", commune_id, self.view.communes[commune_id].name, 1.0)]
        kind = AnswerKind.UNKNOWN if rendered.missing else AnswerKind.ANSWER
        return self._build(kind, query, rendered, matches, [])

    def _which_commune(self, query: Query) -> Answer | None:
        """'villeneuve ligne 15': two communes start so; ask which, with buttons."""
        candidates = self._partial_communes(query)
        if not candidates or not (query.lines or "figure" in query.intents):
            return None
        lines = f" ligne {' et '.join(query.lines)}" if query.lines else ""
        alternatives = [Suggestion(label=self.view.communes[c].name,
                                   query=f"{self.view.communes[c].name}{lines}",
                                   kind="commune", entry_id=c) for c in candidates[:3]]
        rendered = Rendered("Plusieurs communes correspondent. Vouliez-vous dire :", [],
                            [self.view.source("commune", candidates[0])])
        return self._build(AnswerKind.AMBIGUOUS, query, rendered,
                           [Match("commune", c, self.view.communes[c].name, 1.0)
                            for c in candidates[:3]], alternatives)

    def _answer_superlative(self, query: Query) -> Answer | None:
        if not query.superlative or query.commune_ids:
            return None
        if not (query.lines or any(stem(w) in {"beneficiair", "commune"}
                                   for w in query.content)):
            return None
        rendered = self.view.render_commune_extreme(query.superlative, query.lines)
        if rendered is None:
            return None
        return self._build(AnswerKind.ANSWER, query, rendered,
                           [Match("commune", 0, "classement des communes", 1.0)], [])

    def _answer_people(self, query: Query) -> Answer | None:
        if not query.person_ids:
            return None
        view = self.view
        rendered = view.render_people(query.person_ids)
        topic = self._topic_person(query)
        if topic and topic not in query.person_ids:
            rendered = rendered.extend(view.render_person_short(topic, prefix="Sur ce sujet : "))
        matches = [Match("person", pid, view.people[pid].name, 1.0) for pid in query.person_ids]
        return self._build(AnswerKind.ANSWER, query, rendered, matches, [])

    def _topic_person(self, query: Query) -> int | None:
        """For 'X gère-t-il le logement ?': who does hold the topic asked about."""
        names = {part for pid in query.person_ids
                 for part in normalize(self.view.people[pid].name).split()}
        positions = [p for p in query.positions if not (set(p.candidates) & names)
                     and not any(fuzz.ratio(c, n) >= 86 for c in p.candidates for n in names)]
        if not positions:
            return None
        topic = replace(query, positions=positions, person_ids=[], intents={"who"},
                        intent="who")
        ranked = self._ranked(topic)
        if ranked and ranked[0].kind == "person" and ranked[0].score >= CONFIDENT:
            return ranked[0].entry_id
        return None

    def _answer_axis(self, query: Query, ranked: list) -> Answer:
        view = self.view
        if query.axis_number is not None:
            axis = view.axes_by_number.get(query.axis_number)
            if axis is None:
                return self._unknown(query, f"Je n'ai pas trouvé d'axe {query.axis_number} : "
                                            f"le mandat en compte {len(view.axes)}.")
            rendered = view.render_axis(axis.id)
            return self._build(AnswerKind.ANSWER, query, rendered,
                               [Match("axis", axis.id, axis.title, 1.0)], [])
        ranked = [h for h in ranked if h.kind in {"axis", "priority", "person"}]
        if not ranked or ranked[0].score < AXIS_TOPIC_THRESHOLD:
            return self._unknown(query, ranked=ranked)
        kind, entry_id = ranked[0].kind, ranked[0].entry_id
        matches = self._matches(ranked, 1)
        if kind == "axis":
            return self._build(AnswerKind.ANSWER, query, view.render_axis(entry_id), matches, [])
        axis_number = view.axis_of(kind, entry_id)
        if axis_number is None:
            return self._unknown(query, ranked=ranked)
        rendered = view.render_axis_of(kind, entry_id, axis_number)
        return self._build(AnswerKind.ANSWER, query, rendered, matches, [])

    # ------------------------------------------------------------------ outcomes
    def _alternatives(self, ranked: list[Hit], exclude: Hit | None = None) -> list[Suggestion]:
        alternatives: list[Suggestion] = []
        for hit in ranked:
            if hit.score < ANSWER_THRESHOLD * 0.6:
                break
            if exclude and (hit.kind, hit.entry_id) == (exclude.kind, exclude.entry_id):
                continue
            label = self.view.title(hit.kind, hit.entry_id)
            if label and all(alt.label != label for alt in alternatives):
                alternatives.append(Suggestion(
                    label=label, query=self.view.query_for(hit.kind, hit.entry_id),
                    kind=hit.kind, entry_id=hit.entry_id))
            if len(alternatives) == 3:
                break
        return alternatives

    def _ambiguous(self, query: Query, ranked: list[Hit]) -> Answer:
        sources = list(dict.fromkeys(self.view.source(h.kind, h.entry_id) for h in ranked[:2]))
        rendered = Rendered("Vouliez-vous dire :", [], sources)
        return self._build(AnswerKind.AMBIGUOUS, query, rendered, self._matches(ranked),
                           self._alternatives(ranked))

    def _unknown(self, query: Query, headline: str | None = None,
                 ranked: list[Hit] | None = None) -> Answer:
        ranked = ranked or []
        alternatives = self._alternatives(ranked)
        body = ["Vouliez-vous dire :"] if alternatives else [
            "Essayez par exemple : « qui s'occupe du logement ? », « PCAET calendrier », "
            "« bénéficiaires ligne 14 à Vitry »."]
        rendered = Rendered(
            headline or "Je n'ai pas trouvé cette information dans la base du mandat.", body, [])
        return self._build(AnswerKind.UNKNOWN, query, rendered, self._matches(ranked, 3),
                           alternatives)

    def _build(self, kind: AnswerKind, query: Query, rendered: Rendered, matches: list[Match],
               alternatives: list[Suggestion]) -> Answer:
        answer = Answer(
            kind=kind, question=query.text, headline=rendered.headline, body=rendered.body,
            sources=rendered.sources, matches=matches, alternatives=alternatives,
            milestone_ids=rendered.milestone_ids, normalized=query.normalized,
        )
        return _fit(answer)


def _fit(answer: Answer) -> Answer:
    """Trim the body so the whole reply stays short (an answer, not a slide dump)."""
    while len(answer.text()) > MAX_ANSWER_CHARS and len(answer.body) > 1:
        answer.body.pop()
    if len(answer.text()) > MAX_ANSWER_CHARS and answer.body:
        room = MAX_ANSWER_CHARS - (len(answer.text()) - len(answer.body[0])) - 1
        answer.body[0] = answer.body[0][: max(room, 0)].rstrip() + "…"
    if len(answer.text()) > MAX_ANSWER_CHARS:
        answer.headline = answer.headline[:300].rstrip() + "…"
    return answer

