"""A document's outline: the sections its recurring headings open, so that a question on
the whole (« les grands axes », « que prévoit la partie 2 », « qui porte le volet 3 »)
is answered from the section's title, people and sub-headings gathered over its pages,
not from one passage.

A divider is a heading that opens two pages or more (« Axes prioritaires », « Chapitre »,
« Échanges »). Each page where it stands opens a section, up to the next divider; the
section's title is the first other heading on that page. Sections under one divider are
numbered in order, and the divider's plural word (« axes », « parties », « volets ») is
what the question names them by.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from knowledge.answers import Intent
from knowledge.query import Query
from knowledge.selector import STOP, lemma, lemmas
from knowledge.text import fold

# a person named as slides and minutes do: « Anne DUPONT », « Jean-Marie VILAIN »
PERSON_NAME = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:[- ][A-ZÀ-Ý][a-zà-ÿ]+)* [A-ZÀ-Ý]{2,}"
                         r"(?:[- ][A-ZÀ-Ý]{2,})*\b")
_BULLET = re.compile(r"^[•▪◦●○■□➢►✓\-–—*]\s*")
_ORDINALS = {"un": 1, "une": 1, "premier": 1, "premiere": 1, "deux": 2, "deuxieme": 2,
             "second": 2, "seconde": 2, "trois": 3, "troisieme": 3, "quatre": 4,
             "quatrieme": 4, "cinq": 5, "cinquieme": 5, "six": 6, "sixieme": 6}
_NUMBER = r"(\d{1,2}|" + "|".join(_ORDINALS) + r")"
MIN_DIVIDER_PAGES = 2  # pages a heading must open to be a divider
TITLE_CHARS = 160  # a section's title is a heading, not a paragraph
TITLE_SHARE = 0.5  # share of the question's words a section's title must hold to be named


@dataclass
class Page:
    """What the outline needs of a page: its heading (when it opens it) and its lines."""

    number: int
    heading: str  # the page's own heading, '' when it carries the last one on
    lines: list[str]


@dataclass
class Section:
    document_id: int
    document: str  # the document's title
    divider: str
    title: str
    number: int  # its place among the sections under the same divider
    pages: list[int]
    people: list[str] = field(default_factory=list)  # the lines naming someone
    parts: list[str] = field(default_factory=list)  # the sub-headings of its pages

    def source(self) -> str:
        return f"{self.document}, page {self.pages[0]}"


@dataclass
class Group:
    """The sections one divider opens, and the words the question names them by."""

    divider: str
    nouns: set[str]  # lemmas of the divider's plural words: « axes » → axe
    sections: list[Section]


class Outline:
    """The sections of every document, grouped by the divider that opens them."""

    def __init__(self, documents: Iterable[tuple[int, str, list[Page]]]) -> None:
        self.groups: list[Group] = []
        for document_id, title, pages in documents:
            self.groups += _groups(document_id, title, pages)

    def named(self, words: list[str]) -> Group | None:
        """The group a question names by its noun (« axe », « axes »)."""
        lemmas = {lemma(w) for w in words}
        return next((g for g in self.groups if g.nouns & lemmas), None)

    def sections_at(self, document_id: int, page: int) -> list[Section]:
        """The sections a page is in, one per divider."""
        return [s for g in self.groups for s in [self.section_of(document_id, page, g)] if s]

    def section_of(self, document_id: int, page: int, group: Group) -> Section | None:
        return next((s for s in group.sections if s.document_id == document_id
                     and page in s.pages), None)


def numbered(normalized: str, group: Group) -> int | None:
    """The section number a question asks (« axe 2 », « 2e axe », « deuxième axe »)."""
    for noun in group.nouns:
        stem = re.escape(noun[:-1]) + r"\w*"
        found = (re.search(rf"\b{stem} (?:n |no |numero )?{_NUMBER}\b", normalized)
                 or re.search(rf"\b(\d{{1,2}})(?:e|eme|er|ere) {stem}", normalized)
                 or re.search(rf"\b({'|'.join(_ORDINALS)}) {stem}", normalized))
        if found:
            word = found.group(1)
            number = _ORDINALS.get(word) or int(word)
            if 1 <= number <= len(group.sections):
                return number
    return None


Told = tuple[list[str], list[str]]  # the lines of an answer, its sources
Locate = Callable[[Query], tuple[int, int] | None]  # the (document, page) a question is on


def told(outline: Outline, query: Query, locate: Locate) -> Told | None:
    """The answer a question on the outline gets: the sections listed (« les axes »), one
    section told (« l'axe 2 », « l'axe des solidarités »), or the section a subject is
    in (« la voirie relève de quel axe ? »); None when it asks no section."""
    words = query.normalized.split()
    group = outline.named(words)
    if group is None:
        return None
    number = numbered(query.normalized, group)
    if number is not None:
        return _section(group.sections[number - 1], query)
    if query.intent is not Intent.WHO and any(
            lemma(w) in group.nouns and lemma(w) != w and w.endswith(("s", "x")) for w in words):
        return _listed(group)  # « qui, parmi les élus des axes, … »: a person, not the list
    if _asks_which(query.normalized, group):
        place = locate(query)
        section = outline.section_of(*place, group) if place else None
        return _section(section, query) if section else None
    section = _titled(group, query)
    return _section(section, query) if section else None


def _asks_which(normalized: str, group: Group) -> bool:
    """« dans quel axe », « quel est l'axe de … »."""
    stems = "|".join(re.escape(noun[:-1]) + r"\w*" for noun in group.nouns)
    return re.search(rf"\bquel\w* (?:est |sont )?(?:l |le |la |les )?(?:{stems})\b",
                     normalized) is not None


def _titled(group: Group, query: Query) -> Section | None:
    """The section whose title holds most of what the question asks besides the noun:
    the words of its asking clause (the parser's full weight); the asker's context may
    name it too, at its weight, but asks nothing it must hold."""
    weights: dict[str, float] = {}
    for position in query.positions:
        word = lemma(position.candidates[0])
        if not word.isdigit() and word not in group.nouns:
            weights[word] = max(weights.get(word, 0.0), position.weight)
    asked = sum(1 for weight in weights.values() if weight >= 1.0)
    if not asked:
        return None
    share, best = max(((sum(w for t, w in weights.items() if t in set(lemmas(s.title))) / asked,
                        s) for s in group.sections), key=lambda pair: pair[0])
    return best if share >= TITLE_SHARE else None


def _listed(group: Group) -> Told:
    lines = [f"{len(group.sections)} parties sous « {group.divider} » :"]
    lines += [f"{s.number}. {s.title}" for s in group.sections]
    first = group.sections[0]
    return lines, [first.source(), *(f"page {s.pages[0]}" for s in group.sections[1:])]


def _section(section: Section, query: Query) -> Told:
    """A section told: its title, then the people it names (in full for « qui »), then
    the sub-headings of its pages."""
    rank = "1re" if section.number == 1 else f"{section.number}e"
    lines = [f"{section.title} ({rank} partie de « {section.divider} »)"]
    if query.intent is Intent.WHO and section.people:
        lines += [f"• {person}" for person in section.people]
        return lines, [section.source()]
    names = [m.group(0) for p in section.people for m in [PERSON_NAME.search(p)] if m]
    if names:
        lines.append("Porté par : " + ", ".join(names))
    if section.parts:
        lines.append("Au programme : " + " ; ".join(section.parts))
    return lines, [section.source()]


def _groups(document_id: int, title: str, pages: list[Page]) -> list[Group]:
    """The dividers of one document and the sections they open."""
    opened: dict[str, int] = {}
    for page in pages:
        if page.heading:
            opened[page.heading] = opened.get(page.heading, 0) + 1
    dividers = {h for h, count in opened.items() if count >= MIN_DIVIDER_PAGES}
    starts = [(at, next(d for d in [page.heading, *page.lines] if d in dividers))
              for at, page in enumerate(pages) if dividers & {page.heading, *page.lines}]
    groups: dict[str, Group] = {}
    for index, (at, divider) in enumerate(starts):
        page = pages[at]
        within = pages[at:starts[index + 1][0] if index + 1 < len(starts) else len(pages)]
        heading = _title(page, dividers)
        if heading is None:
            continue  # a divider alone on its page (« Échanges »): a pause, not a section
        group = groups.setdefault(divider, Group(divider, _nouns(divider), []))
        group.sections.append(Section(
            document_id, title, divider, heading, len(group.sections) + 1,
            [p.number for p in within],
            [_BULLET.sub("", line) for line in page.lines if PERSON_NAME.search(line)],
            _parts(within, dividers | {heading})))
    return [g for g in groups.values() if g.nouns and len(g.sections) >= 2]


def _title(page: Page, dividers: set[str]) -> str | None:
    """A section's title: the first heading of its page that is not the divider."""
    for line in [page.heading, *page.lines]:
        if (line and line not in dividers and not _BULLET.match(line)
                and len(line) <= TITLE_CHARS and not PERSON_NAME.search(line)):
            return line
    return None


def _parts(pages: list[Page], known: set[str]) -> list[str]:
    """The headings the section's pages open, each once, in ordinary case."""
    return list(dict.fromkeys(_cased(p.heading) for p in pages[1:]
                              if p.heading and p.heading not in known))


def _nouns(divider: str) -> set[str]:
    """The divider's first plural word, by which its sections are named: « axes
    prioritaires » → axe, « les parties » → partie (French puts the noun first)."""
    words = re.findall(r"[^\W\d_]{3,}", divider.lower())
    plural = next((w for w in words if w.endswith(("s", "x")) and fold(w) not in STOP
                   and lemma(w) != fold(w)), None)
    return {lemma(plural)} if plural else set()


def _cased(heading: str) -> str:
    """A heading in capitals, in ordinary case: « POUR DES QUARTIERS » → « Pour des quartiers »."""
    if not heading.isupper():
        return heading
    text = " ".join(heading.lower().split())
    return text[:1].upper() + text[1:]
