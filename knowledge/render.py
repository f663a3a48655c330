"""A read-only snapshot of the knowledge base, and how each kind of entry is told in French.

Rendering here is plain text (no markup): the bot escapes it for HTML at its boundary.
Over 500 lines because each kind of entry, and each list of them, is told here, in one voice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlmodel import Session, select

from knowledge import models
from knowledge.answers import EntryKind, More
from knowledge.grammar import counted, of, quantity
from knowledge.models import Precision
from knowledge.text import fold, french_number
from knowledge.tuning import MAX_ANSWER_CHARS

SEMINAR = "séminaire des élus 2021"


@dataclass
class Rendered:
    headline: str
    body: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    milestone_ids: list[int] = field(default_factory=list)
    missing: bool = False  # the entry exists but the asked value does not
    more: More | None = None  # told in part: where the whole is

    def extend(self, other: Rendered) -> Rendered:
        return Rendered(
            self.headline,
            [*self.body, other.headline, *other.body],
            list(dict.fromkeys([*self.sources, *other.sources])),
            [*self.milestone_ids, *other.milestone_ids],
            self.missing or other.missing,
            self.more or other.more,
        )


@dataclass
class Project:
    """Milestones grouped by project (a project's phases are told together)."""

    name: str
    milestones: list[models.Milestone]

    @property
    def keywords(self) -> list[str]:
        return sorted({k for m in self.milestones for k in m.keywords})



def short(text: object, limit: int = 40) -> str:
    """A value on one line, cut at `limit` characters with an ellipsis (for messages)."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"

def source_of(entry: models.Sourced) -> str:
    if entry.source_slide:
        title = f" « {entry.source_title} »" if entry.source_title else ""
        return f"{SEMINAR}, diapositive {entry.source_slide}{title}"
    return entry.source_title or "base du mandat, mise à jour par un administrateur"


def short_source(entry: models.Sourced) -> str:
    """The source without the slide's title (list answers need the room)."""
    if entry.source_slide:
        return f"{SEMINAR}, diapositive {entry.source_slide}"
    return source_of(entry)


def french_date(moment: datetime, tz: ZoneInfo) -> str:
    """'mardi 15 mars 2027', 'mardi 1er juin 2027'."""
    local = moment.astimezone(tz)
    return (f"{format_date(local, 'EEEE', locale='fr_FR')} {french_day(local.day)} "
            f"{format_date(local, 'MMMM y', locale='fr_FR')}")


def french_day(day: int) -> str:
    """The day of the month as French writes it: '1er', '2', … '31'."""
    return "1er" if day == 1 else str(day)


def french_when(start: datetime, precision: Precision, tz: ZoneInfo) -> str:
    """When a milestone happens, as precisely as it is known, in French."""
    local = start.astimezone(tz)
    if precision is Precision.MONTH:
        return format_date(local, "MMMM y", locale="fr_FR")
    if precision is Precision.DAY:
        return french_date(local, tz)
    minutes = f"{local.minute:02d}" if local.minute else ""
    return f"{french_date(local, tz)} à {local.hour} h {minutes}".rstrip()


def _short(text: str, words: int = 7) -> str:
    """The first words of an item ('Un plan voirie : faciliter…')."""
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def _fit_lines(lines: list[str], budget: int,
               keywords: list[list[str]] | None = None, whole: int = 0) -> list[str]:
    """All the lines, each cut to as many words as lets them fit within `budget`: first
    their opening words, then their gist (articles dropped, a late keyword kept). The
    first `whole` lines (what the question asked about) are kept whole if they can be."""
    words_of = keywords or [[] for _ in lines]
    head = lines[:whole]
    if sum(map(len, head)) + len(head) > budget:
        head, whole = [], 0
    cut: list[str] = []
    for cut in _cuts(lines[whole:], words_of[whole:]):  # shortest last, built when needed
        if sum(map(len, head + cut)) + len(head + cut) <= budget:
            return head + cut
    kept: list[str] = list(head)
    for line in cut:  # a long line dropped does not drop the shorter ones after it
        if sum(map(len, kept)) + len(kept) + len(line) + 1 <= budget:
            kept.append(line)
    return kept


def _cuts(lines: list[str], words_of: list[list[str]]) -> Iterator[list[str]]:
    for words in (60, 20, 14):
        yield [_short(line, words) for line in lines]
    for words in (9, 7, 5):
        yield [f"• {gist(line.removeprefix('• '), words, k)}"
               for line, k in zip(lines, words_of, strict=True)]


def _distinct(items: list[str]) -> list[str]:
    """Items without the words they all start with ('Faciliter l'accès à l'emploi par…')."""
    if len(items) < 2:
        return items
    split = [item.split() for item in items]
    common = 0
    while all(len(words) > common + 1 for words in split) and len(
            {words[common].lower() for words in split}) == 1:
        common += 1
    return [" ".join(words[common:]) for words in split] if common >= 2 else items


_LEADING = {"un", "une", "le", "la", "les", "l", "des", "du", "de", "d", "par", "pour", "en",
            "au", "aux", "a"}


_QUOTES = "«»\"' "


def _keyword_start(parts: list[str], keywords: list[str]) -> int:
    """Where the first of `keywords` starts among `parts` (the item's words), or -1."""
    lowered = [k.lower() for k in keywords if k]
    if not lowered:
        return -1
    words = [part.lower() for part in parts]
    text = " ".join(words)
    end = len(text.rstrip(_QUOTES))
    position = 0
    for index, word in enumerate(words):
        start = position
        while start < end and text[start] in _QUOTES:
            start += 1
        if any(text.startswith(k, start, end) for k in lowered):
            return index
        position += len(word) + 1
    return -1


def _keyword_length(parts: list[str], keywords: list[str]) -> int:
    """How many of `parts` the longest keyword they start with spans (at least 1)."""
    text = " ".join(parts).lower().lstrip(_QUOTES)
    return max((len(k.split()) for k in keywords if k and text.startswith(k.lower())),
               default=1)


def gist(text: str, words: int, keywords: list[str] | None = None) -> str:
    """The first `words` meaningful words of an item, leading articles dropped:
    'Une réservation du foncier de l'activité…' → 'réservation du foncier…'. When
    those words hold none of the entry's `keywords` and one comes a few words later, the
    gist goes on to it. Never '…manifeste…': a gist starts where its item starts."""
    parts = text.replace("’", "'").split()
    while parts and (parts[0].lower() in _LEADING or parts[0].lower().startswith("l'")
                     and len(parts[0]) <= 2):
        parts = parts[1:]
    kept, count = [], 0
    for part in parts:
        kept.append(part)
        if part.lower().strip("«»\"'") not in _LEADING:
            count += 1
        if count == words:
            break
    rest = parts[len(kept):]
    if rest and keywords and _keyword_start(kept, keywords) < 0:
        start = _keyword_start(rest, keywords)
        if 0 <= start < 2 * words:  # a keyword soon after: told up to it, from the start
            end = start + _keyword_length(rest[start:], keywords)
            kept, rest = kept + rest[:end], rest[end:]
    if len(rest) <= 2 and len(kept) > 2:  # no item cut a word or two before its end
        kept, rest = kept + rest, []
    told = " ".join(kept)
    return told.rstrip(" ,;:—-«(") + "…" if rest else told  # 'déchets…', not 'déchets :…'


def _round_robin(groups: list[list[str]]) -> list[tuple[int, str]]:
    """Items of several groups, first of each, then second of each…, with their group."""
    out = []
    for depth in range(max((len(g) for g in groups), default=0)):
        out += [(i, g[depth]) for i, g in enumerate(groups) if depth < len(g)]
    return out


def _fill(body: list[str], items: list[tuple[int, str]], budget: int) -> list[str]:
    """Append items to their group's line while the whole stays within `budget`."""
    lines = list(body)
    for group, item in items:
        sep = " : " if lines[group] == body[group] else " ; "
        candidate = lines[group] + sep + item
        if sum(map(len, lines)) + len(candidate) - len(lines[group]) + len(lines) > budget:
            continue
        lines[group] = candidate
    return lines


_FEMININE_ENDINGS = ("ente", "ère", "ée", "trice", "euse", "ointe")  # présidente, conseillère…


def agree(word: str, title: str) -> str:
    """`word` (masculine singular) agreed with the person a title describes:
    agree('rattaché', 'vice-présidente déléguée…') → 'rattachée'."""
    first = title.split()[0].lower() if title.split() else ""
    return word + "e" if first.endswith(_FEMININE_ENDINGS) else word


def _in_sentence(title: str) -> str:
    """A title after a comma: 'Président' → 'président' (acronyms kept)."""
    first = title.split()[0] if title.split() else ""
    return title[:1].lower() + title[1:] if first[1:2].islower() else title


def _role_mark(person: models.Person) -> str:
    if person.role is models.Role.PRESIDENT:
        return " (président)"
    if person.role is models.Role.DELEGATE:
        return f" ({person.title.split(' aux ')[0].split(' au ')[0]})"
    return ""


@dataclass
class KnowledgeView:
    tz: ZoneInfo
    axes: dict[int, models.Axis]
    people: dict[int, models.Person]
    priorities: dict[int, models.Priority]
    figures: dict[int, models.Figure]
    communes: dict[int, models.Commune]
    facts: dict[int, models.Fact]
    projects: list[Project]

    @classmethod
    def load(cls, session: Session, tz: ZoneInfo) -> KnowledgeView:
        def rows(model: type) -> dict[int, object]:
            return {row.id: row for row in session.exec(select(model).order_by(model.id))}

        milestones = list(session.exec(
            select(models.Milestone).order_by(models.Milestone.start, models.Milestone.id)))
        grouped: dict[str, list[models.Milestone]] = {}
        for milestone in milestones:
            grouped.setdefault(milestone.project, []).append(milestone)
        return cls(
            tz=tz, axes=rows(models.Axis), people=rows(models.Person),
            priorities=rows(models.Priority), figures=rows(models.Figure),
            communes=rows(models.Commune), facts=rows(models.Fact),
            projects=[Project(name, items) for name, items in grouped.items()],
        )

    @cached_property  # the view is a read-only snapshot: build each lookup once
    def axes_by_number(self) -> dict[int, models.Axis]:
        return {axis.number: axis for axis in self.axes.values()}

    @cached_property
    def people_by_key(self) -> dict[str, models.Person]:
        return {person.key: person for person in self.people.values()}

    def all_texts(self) -> list[str]:
        """Every title and text of the base (to derive its own vocabulary from)."""
        texts = [a.title for a in self.axes.values()]
        texts += [p.theme for p in self.priorities.values()]
        texts += [f"{f.title} {f.text}" for f in self.facts.values()]
        texts += [f"{f.label} {f.context}" for f in self.figures.values()]
        return texts

    def has(self, kind: str, entry_id: int) -> bool:
        if kind == "project":
            return 0 <= entry_id < len(self.projects)
        table = {"person": self.people, "priority": self.priorities, "figure": self.figures,
                 "commune": self.communes, "fact": self.facts, "axis": self.axes}.get(kind)
        return table is not None and entry_id in table

    # ------------------------------------------------------------------ labels
    def title(self, kind: str, entry_id: int) -> str:
        if kind == "person":
            person = self.people[entry_id]
            return f"{person.name} ({person.delegation or person.title})"
        if kind == "priority":
            return self.priorities[entry_id].theme
        if kind == "figure":
            figure = self.figures[entry_id]
            return f"{quantity(figure.value, figure.unit)} — {figure.label}"
        if kind == "commune":
            return self.communes[entry_id].name if entry_id in self.communes else ""
        if kind == "project":
            return f"Calendrier : {self.projects[entry_id].name}"
        if kind == "fact":
            return self.facts[entry_id].title
        if kind == "axis":
            axis = self.axes[entry_id]
            return f"Axe {axis.number} : {axis.short_title}"
        return ""

    def source(self, kind: str, entry_id: int) -> str:
        if kind == "project":
            return source_of(self.projects[entry_id].milestones[0])
        table = {"person": self.people, "priority": self.priorities, "figure": self.figures,
                 "commune": self.communes, "fact": self.facts, "axis": self.axes}[kind]
        return source_of(table[entry_id])

    def query_for(self, kind: str, entry_id: int) -> str:
        """A question that leads straight back to this entry (for suggestion buttons)."""
        if kind == "person":
            return self.people[entry_id].name
        if kind == "priority":
            return self.priorities[entry_id].theme
        if kind == "figure":
            return f"chiffre : {self.figures[entry_id].label}"
        if kind == "commune":
            return f"{self.communes[entry_id].name} bénéficiaires"
        if kind == "project":
            return f"calendrier {self.projects[entry_id].name}"
        if kind == "fact":
            return f"c'est quoi {self.facts[entry_id].title}"
        return f"axe {self.axes[entry_id].number}"

    def axis_of(self, kind: str, entry_id: int) -> int | None:
        if kind == "person":
            return self.people[entry_id].axis_number
        if kind == "priority":
            return self.priorities[entry_id].axis_number
        if kind == "axis":
            return self.axes[entry_id].number
        entry = self.facts.get(entry_id) if kind == "fact" else (
            self.figures.get(entry_id) if kind == "figure" else None)
        slide = entry.source_slide if entry else None
        return next((number for number, (first, last) in self.axis_slides.items()
                     if slide and first <= slide <= last), None)

    @cached_property
    def axis_slides(self) -> dict[int, tuple[int, int]]:
        """Each axis's run of slides, from its own to its last priority's: a fact or a
        figure shown there belongs to that axis (the FEDER credits, to axis 4)."""
        runs = {}
        for axis in self.axes.values():
            slides = [p.source_slide for p in self.priorities.values()
                      if p.axis_number == axis.number and p.source_slide]
            if axis.source_slide and slides:
                runs[axis.number] = (axis.source_slide, max(slides))
        return runs

    def _axis_label(self, number: int | None) -> str:
        axis = self.axes_by_number.get(number) if number else None
        return f"axe {axis.number} « {axis.title} »" if axis else ""

    # ------------------------------------------------------------------ people
    def render_person(self, person_id: int, via_priority: int | None = None,
                      with_axis: bool = True) -> Rendered:
        person = self.people[person_id]
        body = []
        axis = self._axis_label(person.axis_number) if with_axis else ""
        attached = f", {agree('rattaché', person.title)} à l'{axis}" if axis else ""
        if via_priority is not None and via_priority in self.priorities:
            body.append(f"Priorité concernée : « {self.priorities[via_priority].theme} ».")
        return Rendered(f"{person.name}, {_in_sentence(person.title)}{attached}.", body,
                        [source_of(person)])

    def render_person_short(self, person_id: int, prefix: str = "") -> Rendered:
        person = self.people[person_id]
        return Rendered(f"{prefix}{person.name}, {_in_sentence(person.title)}.", [],
                        [source_of(person)])

    def render_people(self, person_ids: list[int]) -> Rendered:
        rendered = self.render_person(person_ids[0])
        for person_id in person_ids[1:4]:
            rendered = rendered.extend(self.render_person(person_id))
        return rendered

    def render_axis_people(self, priority_id: int) -> Rendered | None:
        """Who to ask about a priority no delegation names: its axis's officials."""
        priority = self.priorities[priority_id]
        axis = self.axes_by_number.get(priority.axis_number) if priority.axis_number else None
        people = [p for p in self.people.values() if axis and p.axis_number == axis.number]
        if axis is None or not people:
            return None
        names = " ; ".join(f"{p.name} ({p.delegation or p.title})" for p in people)
        return Rendered(
            f"Je n'ai pas trouvé d'élu délégué nommément à « {priority.theme} » dans le "
            "séminaire.",
            [f"Cette priorité relève de l'axe {axis.number} « {axis.title} », porté par : "
             f"{names}."],
            [source_of(priority), source_of(axis)],
        )

    # ------------------------------------------------------------------ priorities, axes
    def render_priorities(self, priority_ids: list[int], budget: int,
                          matched: list[tuple[float, int, int]] | None = None,
                          best_whole: bool = False) -> Rendered:
        """One or more priorities told whole (a list question): the items that matched
        the question first (`matched`: score, priority id, part), then the other items,
        then constats, as many as fit; `best_whole`: the best match is never cut (else only
        when that drops no other line: a list question wants every item told)."""
        first = self.priorities[priority_ids[0]]
        snippets: dict[str, list[str]] = {}  # item → its priority's keywords
        for _, priority_id, part in sorted(matched or [], reverse=True):
            priority = self.priorities[priority_id]
            pieces = [*priority.items, *priority.findings,  # as indexed (engine._docs)
                      *([priority.highlight] if priority.highlight else [])]
            if 0 <= part < len(pieces):
                snippets.setdefault(pieces[part], priority.keywords)
        for priority_id in priority_ids:
            priority = self.priorities[priority_id]
            for item in priority.items:
                snippets.setdefault(item, priority.keywords)
        for priority_id in priority_ids:
            priority = self.priorities[priority_id]
            extra = [priority.highlight] if priority.highlight else []
            for item in [*extra, *priority.findings]:
                snippets.setdefault(item, priority.keywords)
        headline = f"{first.theme} :"
        room = budget - len(headline) - len("Source : " + self._sources_of(priority_ids)) - 2
        lines = [f"• {s}" for s in snippets]
        body = _fit_lines(lines, room, list(snippets.values()), whole=1 if matched else 0)
        if len(body) < len(lines) and not best_whole:
            body = _fit_lines(lines, room, list(snippets.values()))
        return Rendered(headline, body, [self._sources_of(priority_ids)],
                        more=None if body == lines else self._whole(priority_ids))

    def _whole(self, priority_ids: list[int]) -> More:
        """Where priorities cut to fit are told whole: the priority (with the others of its
        theme: one theme may run over several slides), or their axis."""
        first = self.priorities[priority_ids[0]]
        themes = {self.priorities[p].theme for p in priority_ids}
        if len(themes) > 1 and first.axis_number in self.axes_by_number:
            return More(EntryKind.AXIS, first.axis_number)
        return More(EntryKind.PRIORITY, priority_ids[0])

    def _sources_of(self, priority_ids: list[int]) -> str:
        """One source for a theme told over several slides ('diapositives 27 et 28')."""
        rows = [self.priorities[p] for p in dict.fromkeys(priority_ids)]
        slides = sorted({r.source_slide for r in rows if r.source_slide})
        if len(rows) < 2 or len(slides) != len(rows):
            return " ; ".join(dict.fromkeys(source_of(r) for r in rows))
        numbers = ", ".join(map(str, slides[:-1])) + f" et {slides[-1]}"
        return f"{SEMINAR}, diapositives {numbers}"

    def render_priority(self, priority_id: int, parts: list[int]) -> Rendered:
        priority = self.priorities[priority_id]
        snippets = [*priority.items, *priority.findings]
        if priority.highlight:
            snippets.append(priority.highlight)
        chosen = [snippets[p] for p in parts if 0 <= p < len(snippets)] or snippets[:2]
        axis = self._axis_label(priority.axis_number)
        headline = f"{priority.theme}" + (f" ({axis})" if axis else "") + " :"
        return Rendered(headline, [f"• {s}" for s in chosen], [source_of(priority)])

    def render_axis(self, axis_id: int, budget: int = MAX_ANSWER_CHARS) -> Rendered:
        """An axis at a glance: its officials, then each of its themes (once, though told
        over several slides) with what it is about (its keywords), as many as fit."""
        axis = self.axes[axis_id]
        people = [p.name for p in self.people.values() if p.axis_number == axis.number]
        about: dict[str, list[str]] = {}
        for priority in self.priorities.values():
            if priority.axis_number == axis.number:
                about.setdefault(priority.theme, []).extend(priority.keywords)
        headline = f"Axe {axis.number} : {axis.title}."
        top = ["Élus : " + ", ".join(people) + "."] if people else []
        room = budget - len(headline) - len("Source : " + short_source(axis)) - 2
        room -= sum(len(line) + 1 for line in top)
        for size, most in ((5, 6), (5, 4), (5, 3), (4, 3), (4, 2), (3, 2), (3, 1), (3, 0)):
            lines: list[str] = []
            left = room
            for theme, keywords in about.items():  # as many as fit, not every theme first
                line = f"• {gist(theme, size)}" + (" : " + ", ".join(
                    list(dict.fromkeys(keywords))[:most]) if most and keywords else "")
                left -= len(line) + 1
                if left < 0:
                    break
                lines.append(line)
            if len(lines) == len(about):
                break
        more = None if len(lines) == len(about) else More(EntryKind.AXIS, axis.number)
        return Rendered(headline, [*top, *lines], [short_source(axis)], more=more)

    def render_axes(self) -> Rendered:
        """The mandate's axes, one line each."""
        axes = sorted(self.axes.values(), key=lambda a: a.number)
        body = [f"• Axe {a.number} : {a.title}" for a in axes]
        return Rendered(f"Le mandat s'organise en {len(axes)} axes :", body,
                        [source_of(axes[0])] if axes else [])

    def render_mandate(self, budget: int) -> Rendered:
        """The mandate at a glance: each axis with what its priorities are about (each
        priority's first keyword), so the overview says what is planned, not only titles."""
        axes = sorted(self.axes.values(), key=lambda a: a.number)
        if not axes:
            return Rendered("", [], [])
        about = {a.number: list(dict.fromkeys(
            p.keywords[0] if p.keywords else gist(p.theme, 3)
            for p in self.priorities.values() if p.axis_number == a.number)) for a in axes}
        count = len([p for p in self.priorities.values() if p.axis_number in about])
        headline = f"Les priorités du mandat ({count}), en {len(axes)} axes :"
        slides = sorted({a.source_slide for a in axes if a.source_slide})
        source = (f"{SEMINAR}, diapositives " + ", ".join(map(str, slides[:-1]))
                  + f" et {slides[-1]}" if len(slides) == len(axes) > 1 else short_source(axes[0]))
        room = budget - len("Source : " + source) - len(headline) - len(axes) - 1
        for most in (8, 5, 4, 3, 2, 1):
            body = [f"• Axe {a.number} « {a.short_title} » : " + ", ".join(about[a.number][:most])
                    + ("…" if len(about[a.number]) > most else "") for a in axes]
            if sum(map(len, body)) <= room:
                break
        return Rendered(headline, body, [source])

    def render_axis_people_list(self, axis_id: int) -> Rendered:
        """The officials an axis slide places under it."""
        axis = self.axes[axis_id]
        people = [p for p in self.people.values() if p.axis_number == axis.number]
        body = [f"• {p.name}, {p.title}" for p in people] or ["Aucun élu n'y est rattaché."]
        return Rendered(f"Axe {axis.number} « {axis.title} », ses élus :", body,
                        [source_of(axis)])

    def render_axis_priorities(self, axis_id: int, budget: int) -> Rendered:
        """An axis's priorities: each theme with its items, cut short enough for all."""
        axis = self.axes[axis_id]
        themes: dict[str, list[str]] = {}
        keywords: dict[str, list[str]] = {}
        for priority in self.priorities.values():
            if priority.axis_number == axis.number:
                themes.setdefault(priority.theme, []).extend(priority.items)
                keywords.setdefault(priority.theme, []).extend(priority.keywords)
        headline = f"Axe {axis.number} « {axis.short_title} », ses priorités :"
        room = budget - len("Source : " + short_source(axis)) - 1
        for words, most in ((10, 9), (7, 9), (5, 9), (4, 9), (5, 4), (4, 4), (5, 3), (4, 3),
                            (3, 3), (4, 2), (3, 2), (3, 1), (3, 0)):
            body = [f"• {gist(theme, 4)}" + (" : " + " ; ".join(
                gist(i, words, keywords[theme]) for i in _distinct(items)[:most])
                if items[:most] else "")
                for theme, items in themes.items()]
            if sum(map(len, body)) + len(body) + len(headline) <= room:
                break
        whole = (words, most) == (10, 9) and "…" not in "".join(body) and all(
            len(items) <= most for items in themes.values())
        return Rendered(headline, body, [short_source(axis)],
                        more=None if whole else More(EntryKind.AXIS, axis.number))

    def render_officials(self) -> Rendered:
        """Every official, by axis, the president and delegates marked."""
        body = []
        for axis in sorted(self.axes.values(), key=lambda a: a.number):
            people = [p for p in self.people.values() if p.axis_number == axis.number]
            if people:
                body.append(f"• Axe {axis.number} : " + ", ".join(
                    p.name + _role_mark(p) for p in people))
        others = [p for p in self.people.values() if p.axis_number not in self.axes_by_number]
        if others:
            body.append("• Autres : " + ", ".join(p.name + _role_mark(p) for p in others))
        vps = sum(p.role is models.Role.VICE_PRESIDENT for p in self.people.values())
        first = next(iter(self.people.values()), None)
        return Rendered(f"L'exécutif par axe ({vps} vice-présidents) :", body,
                        [source_of(first)] if first else [])

    def render_axis_by_officials(self, which: str) -> Rendered | None:
        """'Quel axe compte le plus d'élus ?': the axis (or axes) with the most (`which`
        'max') or fewest officials, then every axis's officials to compare."""
        counts = {a.number: sum(p.axis_number == a.number for p in self.people.values())
                  for a in self.axes.values()}
        if not counts or not any(counts.values()):
            return None
        extreme = (max if which == "max" else min)(counts.values())
        axes = sorted(n for n, count in counts.items() if count == extreme)
        most = "le plus" if which == "max" else "le moins"
        if len(axes) == 1:
            axis = self.axes_by_number[axes[0]]
            headline = (f"L'axe {axis.number} « {axis.title} » compte {most} d'élus "
                        f"référents ({extreme}).")
        else:
            named = ", ".join(str(n) for n in axes[:-1]) + f" et {axes[-1]}"
            headline = f"Les axes {named} comptent {most} d'élus référents ({extreme} chacun)."
        officials = self.render_officials()
        return Rendered(headline, officials.body, officials.sources)

    def render_axis_of(self, kind: str, entry_id: int, axis_number: int) -> Rendered:
        axis = self.axes_by_number[axis_number]
        subject = self.title(kind, entry_id)
        if kind == "priority":
            subject = f"La priorité « {subject} »"
        elif kind == "figure":  # its label first: '12 conservatoires — …' is no subject
            figure = self.figures[entry_id]
            subject = f"Le chiffre « {figure.label} » ({quantity(figure.value, figure.unit)})"
        elif kind == "fact":
            subject = f"« {subject} »"
        return Rendered(
            f"{subject} relève de l'axe {axis.number} : {axis.title}.", [],
            [source_of(self.priorities[entry_id] if kind == "priority" else axis)],
        )

    # ------------------------------------------------------------------ figures, communes
    def render_figures(self, figure_ids: list[int], context: bool = True) -> Rendered:
        """The first figure (with its context, unless several are listed) and two more."""
        first, *others = [self.figures[f] for f in dict.fromkeys(figure_ids)]
        rendered = Rendered(self._figure_line(first),
                            [first.context] if first.context and context else [],
                            [source_of(first)])
        for figure in others[:2]:
            rendered = rendered.extend(Rendered(self._figure_line(figure), [],
                                                [source_of(figure)]))
        return rendered

    @staticmethod
    def _figure_line(figure: models.Figure) -> str:
        return f"{quantity(figure.value, figure.unit)} : {figure.label}."

    def render_commune(self, commune_id: int, lines: list[str]) -> Rendered:
        commune = self.communes[commune_id]
        figures = commune.figures
        if lines:
            figures = [f for f in figures if any(f"ligne {n}" in f["label"].lower()
                                                 for n in lines)]
        known = [f for f in figures if f.get("value") is not None]
        asked = f" sur la ligne {' et '.join(lines)}" if lines else ""
        if not known:
            why = next((f["note"] for f in figures if f.get("note")), None)
            headline = f"Je n'ai pas trouvé de chiffre pour {commune.name}{asked}"
            headline += f" : {why[0].lower()}{why[1:]}" if why else " dans la base du mandat."
            return Rendered(headline, [], [source_of(commune)], missing=True)
        parts = [f"{f['label']} : {french_number(f['value'])} "
                 f"{counted(f['value'], f.get('unit') or '')}".strip() for f in known]
        body = [f"• {p}" for p in parts]
        missing = [f for f in figures if f.get("value") is None]
        body += [f"• {f['label']} : non lisible dans la source." for f in missing]
        return Rendered(f"{commune.name} :", body, [source_of(commune)])

    def render_commune_extreme(self, which: str, lines: list[str]) -> Rendered | None:
        values = self._commune_values(lines)
        if not values:
            return None
        body, sources = [], []
        for label, rows in list(values.items())[:2]:
            target = (min if which == "min" else max)(v for v, _ in rows)
            names = [commune.name for v, commune in rows if v == target]
            word = "le moins" if which == "min" else "le plus"
            body.append(f"• {label} : {', '.join(names)} ({french_number(target)}) en a {word}.")
            sources.append(source_of(rows[0][1]))
        return Rendered("D'après les chiffres par commune :", body, sources[:1])

    def render_commune_rank(self, rank: int, lines: list[str],
                            after: int | None = None) -> Rendered | None:
        """The communes at a rank of each figure (1 the highest, -1 the lowest), or, with
        `after`, those right behind that commune; equal values share their rank."""
        values = self._commune_values(lines)
        body, sources = [], []
        for label, rows in list(values.items())[:2]:
            levels = sorted({v for v, _ in rows}, reverse=True)
            if after is not None:
                own = next((v for v, c in rows if c.id == after), None)
                if own is None or own == levels[-1]:
                    continue
                place = levels.index(own) + 1
            else:
                place = rank - 1 if rank > 0 else len(levels) + rank
            if not 0 <= place < len(levels):
                continue
            names = ", ".join(c.name for v, c in rows if v == levels[place])
            behind = ", ".join(c.name for v, c in rows if place and v == levels[place - 1])
            told = f" derrière {behind} ({french_number(levels[place - 1])})" if behind else ""
            ahead = len([v for v, _ in rows if v > levels[place]])  # ties share a rank
            body.append(f"• {label} : {names} ({french_number(levels[place])}), "
                        f"{ahead + 1}{'er' if ahead == 0 else 'e'} rang{told}.")
            sources.append(source_of(rows[0][1]))
        if not body:
            return None
        return Rendered("D'après les chiffres par commune :", body, sources[:1])

    def render_commune_equals(self, commune_id: int, lines: list[str]) -> Rendered | None:
        """The other communes whose figure equals that commune's, figure by figure."""
        body, sources = [], []
        for label, rows in list(self._commune_values(lines).items())[:2]:
            own = next((v for v, c in rows if c.id == commune_id), None)
            if own is None:
                continue
            same = [c.name for v, c in rows if v == own and c.id != commune_id]
            body.append(f"• {label} : " + (f"{', '.join(same)} ({french_number(own)})" if same
                                           else f"aucune autre ({french_number(own)})") + ".")
            sources.append(source_of(rows[0][1]))
        if not body:
            return None
        name = self.communes[commune_id].name
        that = "qu'" if fold(name[0]) in "aeiouyh" else "que "
        return Rendered(f"Le même chiffre {that}{name} :", body, sources[:1])

    # ------------------------------------------------------------------ calendar, facts
    def render_project(self, project_id: int, now: datetime) -> Rendered:
        """A project's dates, upcoming ones first (soonest first), then past ones (latest
        first, marked); all past, they read as a timeline (in order). Each cites its own
        source (a date an admin added cites the admin)."""
        project = self.projects[project_id]
        coming = [m for m in project.milestones if m.start >= now]
        past = [m for m in project.milestones if m.start < now]
        past = past if not coming else past[::-1]
        shown = [*coming, *past][:6]
        steps = []
        for milestone in shown:
            when = french_when(milestone.start, milestone.precision, self.tz)
            flags = []
            if milestone.approximate:
                flags.append("date approximative")
            if milestone.start < now:
                flags.append("passé")
            where = f", {milestone.location}" if milestone.location else ""
            label = milestone.phase or milestone.title
            steps.append(f"• {label} : {when}{where}" + (f" ({', '.join(flags)})" if flags
                                                        else ""))
        return Rendered(
            f"Calendrier — {project.name} :", steps,
            list(dict.fromkeys(source_of(m) for m in shown)),
            milestone_ids=[m.id for m in [*coming, *past] if m.id is not None],
        )

    def render_projects(self, project_ids: list[int]) -> Rendered:
        """Several projects' steps, one line each (a list question on the calendar)."""
        body = []
        for project_id in project_ids:
            project = self.projects[project_id]
            steps = ", ".join(
                f"{m.phase or m.title} ({french_when(m.start, m.precision, self.tz)})"
                for m in project.milestones[:4])
            body.append(f"• {project.name} : {steps}")
        ids = [m.id for p in project_ids for m in self.projects[p].milestones if m.id]
        return Rendered("Au calendrier :", body, [source_of(self.projects[project_ids[0]]
                                                            .milestones[0])], milestone_ids=ids)

    def render_project_order(self, project_ids: list[int]) -> Rendered:
        """Projects in the order of their last step (what each leads to), then their steps."""
        def last_step(project_id: int) -> datetime:
            return self.projects[project_id].milestones[-1].start

        ordered = sorted(project_ids, key=last_step)
        steps: dict[datetime, list[str]] = {}  # projects ending together are told together
        for project_id in ordered:
            steps.setdefault(last_step(project_id), []).append(
                f"« {self.projects[project_id].name} »")
        told = ", puis ".join(" et ".join(names) + (" (en même temps)" if len(names) > 1 else "")
                              for names in steps.values())
        return replace(self.render_projects(ordered),
                       headline=f"Dans l'ordre du calendrier (par leur dernière étape) : {told}.")

    def render_calendar(self, now: datetime, shown: int = 5) -> Rendered:
        """The calendar at a glance: the next dates, soonest first, each with its project;
        when none is to come, it says so, then names the projects by their last date."""
        dated = sorted(((m, p) for p in self.projects for m in p.milestones),
                       key=lambda pair: pair[0].start)
        coming = [pair for pair in dated if pair[0].start >= now][:shown]
        if not coming:
            names = list(dict.fromkeys(p.name for _, p in reversed(dated)))[::-1]
            source = [source_of(dated[0][0])] if dated else []
            return Rendered(f"Aucune date à venir n'est enregistrée. Au calendrier "
                            f"({len(names)} projets, dates passées) :", [", ".join(names)],
                            source)
        body = [f"• {french_when(m.start, m.precision, self.tz)} — {p.name} : "
                f"{m.phase or m.title}" + (" (date approximative)" if m.approximate else "")
                for m, p in coming]
        return Rendered("Prochains rendez-vous :", body,
                        list(dict.fromkeys(source_of(m) for m, _ in coming)),
                        milestone_ids=[m.id for m, _ in coming if m.id is not None])

    def render_calendar_in(self, year: int, month: int = 0,
                           budget: int = MAX_ANSWER_CHARS) -> Rendered:
        """The calendar's dates in a year (or one month of it), in order, as many as fit
        (then how many more); no body (and a headline saying so) when it has none then."""
        when = format_date(datetime(year, month or 1, 1), "MMMM y" if month else "y",
                           locale="fr_FR")
        told = sorted(((m, p) for p in self.projects for m in p.milestones
                       if (local := m.start.astimezone(self.tz)).year == year
                       and month in (0, local.month)), key=lambda pair: pair[0].start)
        if not told:
            named = [i for i, p in enumerate(self.projects)  # 'Éclairage public 2023'
                     if not month and str(year) in p.name.split()]
            if named:
                listed = self.render_projects(named)
                which = ("ce projet porte {} dans son nom" if len(named) == 1
                         else "ces projets portent {} dans leur nom").format(year)
                return replace(listed, headline=f"Aucune date en {when} au calendrier ; "
                                                f"{which} :")
            return Rendered(f"Je n'ai pas trouvé de rendez-vous en {when} au calendrier.", [], [])
        rough = all(m.approximate for m, _ in told)  # said once, not on every line
        body = [f"• {french_when(m.start, m.precision, self.tz)} — {p.name} : "
                f"{m.phase or m.title}" + ("" if rough or not m.approximate
                                           else " (date approximative)") for m, p in told]
        note = ", dates approximatives" if rough else ""
        headline = f"Au calendrier en {when} ({len(told)} rendez-vous{note}) :"
        sources = list(dict.fromkeys(short_source(m) for m, _ in told))[:2]
        left = budget - len(headline) - len("Source : " + " ; ".join(sources)) - 2
        if sum(len(line) + 1 for line in body) > left:  # room kept to say how many more
            left -= len("• … et 99 autres.") + 1
        shown = 0
        while shown < len(body) and len(body[shown]) + 1 <= left:
            left -= len(body[shown]) + 1
            shown += 1
        more = len(body) - shown
        rest = [f"• … et {more} autre{'s' if more > 1 else ''}."] if more else []
        return Rendered(headline, body[:shown] + rest, sources,
                        milestone_ids=[m.id for m, _ in told if m.id is not None])

    def render_calendar_span(self) -> Rendered | None:
        """The period the calendar covers: its first and last dates."""
        dated = sorted((m for p in self.projects for m in p.milestones), key=lambda m: m.start)
        if not dated:
            return None
        first, last = (french_when(m.start, m.precision, self.tz) for m in (dated[0], dated[-1]))
        return Rendered(f"Le calendrier va {of(first)} à {last} ({len(self.projects)} projets, "
                        f"{len(dated)} rendez-vous).", [], [source_of(dated[0])])

    def render_commune_filter(self, op: str, value: float, lines: list[str]) -> Rendered | None:
        """Communes whose figure (on the lines asked) is over, under or equal to a value."""
        keep = {"gt": lambda v: v > value, "ge": lambda v: v >= value,
                "lt": lambda v: v < value, "eq": lambda v: v == value}[op]
        body, sources = [], []
        for label, rows in self._commune_values(lines).items():
            names = [f"{c.name} ({french_number(v)})" for v, c in sorted(rows, key=lambda r: -r[0])
                     if keep(v)]
            body.append(f"• {label} : " + (", ".join(names) if names else "aucune"))
            sources.append(source_of(rows[0][1]))
        if not body:
            return None
        said = {"gt": "plus de", "ge": "au moins", "lt": "moins de", "eq": "exactement"}[op]
        headline = ("Communes concernées :" if (op, value) == ("gt", 0)
                    else f"Communes avec {said} {french_number(value)} :")
        return Rendered(headline, body[:2], sources[:1])

    def _commune_values(self, lines: list[str]) -> dict[str, list[tuple[int, models.Commune]]]:
        values: dict[str, list[tuple[int, models.Commune]]] = {}
        for commune in self.communes.values():
            for fig in commune.figures:
                if fig.get("value") is None:
                    continue
                if lines and not any(f"ligne {n}" in fig["label"].lower() for n in lines):
                    continue
                values.setdefault(fig["label"], []).append((fig["value"], commune))
        return values

    def render_communes(self, commune_ids: list[int], lines: list[str], which: str | None,
                        total: bool) -> Rendered:
        """Several communes (or one commune's lines) side by side; a sum when asked,
        labelled as computed; the highest or lowest when asked."""
        rows: list[tuple[str, str, int]] = []
        for commune_id in commune_ids:
            commune = self.communes[commune_id]
            for fig in commune.figures:
                if lines and not any(f"ligne {n}" in fig["label"].lower() for n in lines):
                    continue
                if fig.get("value") is not None:
                    rows.append((commune.name, fig["label"], fig["value"]))
        body = [f"• {name} — {label} : {french_number(v)}" for name, label, v in rows]
        if total and len(rows) > 1:
            body.append(f"Total (calculé, pas sur les diapositives) : "
                        f"{french_number(sum(v for _, _, v in rows))}")
        if which and len(rows) > 1:
            pick = (max if which == "max" else min)(rows, key=lambda r: r[2])
            word = "le plus" if which == "max" else "le moins"
            body.insert(0, f"{pick[0]} en a {word} ({french_number(pick[2])}).")
        sources = [source_of(self.communes[commune_ids[0]])]
        given = {name for name, _, _ in rows}
        unread = [self.communes[c].name for c in commune_ids
                  if self.communes[c].name not in given]
        if unread:  # 'X a-t-il plus que Y sur la 14 ?' with no figure of X there: not compared
            asked = f" sur la ligne {' et '.join(lines)}" if lines else ""
            headline = (f"Je n'ai pas trouvé de chiffre pour {' ni '.join(unread)}{asked} "
                        "dans la base du mandat.")
            lines_given = [line for line in body if line.startswith("• ")]  # no sum, no winner
            return Rendered(headline + (" Ce qu'elle donne :" if lines_given else ""),
                            lines_given, sources, missing=True)
        return Rendered("D'après les chiffres par commune :", body, sources)

    def render_fact(self, fact_id: int) -> Rendered:
        fact = self.facts[fact_id]
        return Rendered(f"{fact.title} : {fact.text}", [], [source_of(fact)])
