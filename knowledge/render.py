"""A read-only snapshot of the knowledge base, and how each kind of entry is told in French.

Rendering here is plain text (no markup): the bot escapes it for HTML at its boundary.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlmodel import Session, select

from knowledge import models
from knowledge.models import Precision

SEMINAR = "séminaire des élus 2021"


@dataclass
class Rendered:
    headline: str
    body: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    milestone_ids: list[int] = field(default_factory=list)
    missing: bool = False  # the entry exists but the asked value does not

    def extend(self, other: Rendered) -> Rendered:
        return Rendered(
            self.headline,
            [*self.body, other.headline, *other.body],
            list(dict.fromkeys([*self.sources, *other.sources])),
            [*self.milestone_ids, *other.milestone_ids],
            self.missing or other.missing,
        )


@dataclass
class Project:
    """Milestones grouped by project (a project's phases are told together)."""

    name: str
    milestones: list[models.Milestone]

    @property
    def keywords(self) -> list[str]:
        return sorted({k for m in self.milestones for k in m.keywords})


def source_of(entry: models.Sourced) -> str:
    if entry.source_slide:
        title = f" « {entry.source_title} »" if entry.source_title else ""
        return f"{SEMINAR}, diapositive {entry.source_slide}{title}"
    return entry.source_title or "base du mandat, mise à jour par un administrateur"


def french_date(moment: datetime, tz: ZoneInfo) -> str:
    """'mardi 15 mars 2027'."""
    return format_date(moment.astimezone(tz), "EEEE d MMMM y", locale="fr_FR")


def french_when(start: datetime, precision: Precision, tz: ZoneInfo) -> str:
    """When a milestone happens, as precisely as it is known, in French."""
    local = start.astimezone(tz)
    if precision is Precision.MONTH:
        return format_date(local, "MMMM y", locale="fr_FR")
    if precision is Precision.DAY:
        return french_date(local, tz)
    minutes = f"{local.minute:02d}" if local.minute else ""
    return f"{french_date(local, tz)} à {local.hour} h {minutes}".rstrip()


def _fr_number(value: int | float) -> str:
    return f"{value:,}".replace(",", "\u202f")


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
            return f"{figure.value} {figure.unit} — {figure.label}".replace("  ", " ")
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
        return None

    def _axis_label(self, number: int | None) -> str:
        axis = self.axes_by_number.get(number) if number else None
        return f"axe {axis.number} « {axis.title} »" if axis else ""

    # ------------------------------------------------------------------ people
    def render_person(self, person_id: int, via_priority: int | None = None) -> Rendered:
        person = self.people[person_id]
        body = []
        axis = self._axis_label(person.axis_number)
        if axis:
            body.append(f"Rattaché(e) à l'{axis}.")
        if via_priority is not None and via_priority in self.priorities:
            body.append(f"Priorité concernée : « {self.priorities[via_priority].theme} ».")
        return Rendered(f"{person.name}, {person.title}.", body, [source_of(person)])

    def render_person_short(self, person_id: int, prefix: str = "") -> Rendered:
        person = self.people[person_id]
        return Rendered(f"{prefix}{person.name}, {person.title}.", [], [source_of(person)])

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
            f"Aucun élu n'a de délégation nommément sur « {priority.theme} » dans le séminaire.",
            [f"Cette priorité relève de l'axe {axis.number} « {axis.title} », porté par : "
             f"{names}."],
            [source_of(priority), source_of(axis)],
        )

    # ------------------------------------------------------------------ priorities, axes
    def render_priority(self, priority_id: int, parts: list[int]) -> Rendered:
        priority = self.priorities[priority_id]
        snippets = [*priority.items, *priority.findings]
        if priority.highlight:
            snippets.append(priority.highlight)
        chosen = [snippets[p] for p in parts if 0 <= p < len(snippets)] or snippets[:2]
        axis = self._axis_label(priority.axis_number)
        headline = f"{priority.theme}" + (f" ({axis})" if axis else "") + " :"
        return Rendered(headline, [f"• {s}" for s in chosen], [source_of(priority)])

    def render_axis(self, axis_id: int) -> Rendered:
        axis = self.axes[axis_id]
        people = [p.name for p in self.people.values() if p.axis_number == axis.number]
        themes = [p.theme for p in self.priorities.values() if p.axis_number == axis.number]
        body = []
        if people:
            body.append("Élus : " + ", ".join(people) + ".")
        if themes:
            body.append("Priorités : " + " ; ".join(themes) + ".")
        return Rendered(f"Axe {axis.number} : {axis.title}.", body, [source_of(axis)])

    def render_axis_of(self, kind: str, entry_id: int, axis_number: int) -> Rendered:
        axis = self.axes_by_number[axis_number]
        subject = self.title(kind, entry_id)
        if kind == "priority":
            subject = f"La priorité « {subject} »"
        return Rendered(
            f"{subject} relève de l'axe {axis.number} : {axis.title}.", [],
            [source_of(self.priorities[entry_id] if kind == "priority" else axis)],
        )

    # ------------------------------------------------------------------ figures, communes
    def render_figures(self, figure_ids: list[int]) -> Rendered:
        first, *others = [self.figures[f] for f in dict.fromkeys(figure_ids)]
        rendered = Rendered(self._figure_line(first), [first.context] if first.context else [],
                            [source_of(first)])
        for figure in others[:2]:
            rendered = rendered.extend(Rendered(self._figure_line(figure), [],
                                                [source_of(figure)]))
        return rendered

    @staticmethod
    def _figure_line(figure: models.Figure) -> str:
        unit = "" if figure.unit and figure.value.endswith(figure.unit) else figure.unit
        return f"{figure.value} {unit}".strip() + f" : {figure.label}."

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
        parts = [f"{f['label']} : {_fr_number(f['value'])} {f.get('unit') or ''}".strip()
                 for f in known]
        body = [f"• {p}" for p in parts]
        missing = [f for f in figures if f.get("value") is None]
        body += [f"• {f['label']} : non lisible dans la source." for f in missing]
        return Rendered(f"{commune.name} :", body, [source_of(commune)])

    def render_commune_extreme(self, which: str, lines: list[str]) -> Rendered | None:
        values: dict[str, list[tuple[int, str, models.Commune]]] = {}
        for commune in self.communes.values():
            for fig in commune.figures:
                if fig.get("value") is None:
                    continue
                if lines and not any(f"ligne {n}" in fig["label"].lower() for n in lines):
                    continue
                values.setdefault(fig["label"], []).append((fig["value"], commune.name, commune))
        if not values:
            return None
        body, sources = [], []
        for label, rows in list(values.items())[:2]:
            target = (min if which == "min" else max)(v for v, _, _ in rows)
            names = [name for v, name, _ in rows if v == target]
            word = "le moins" if which == "min" else "le plus"
            body.append(f"• {label} : {', '.join(names)} ({_fr_number(target)}) en a {word}.")
            sources.append(source_of(rows[0][2]))
        return Rendered("D'après les chiffres par commune :", body, sources[:1])

    # ------------------------------------------------------------------ calendar, facts
    def render_project(self, project_id: int, now: datetime) -> Rendered:
        project = self.projects[project_id]
        steps = []
        for milestone in project.milestones[:6]:
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
            f"Calendrier — {project.name} :", steps, [source_of(project.milestones[0])],
            milestone_ids=[m.id for m in project.milestones if m.id is not None],
        )

    def render_fact(self, fact_id: int) -> Rendered:
        fact = self.facts[fact_id]
        return Rendered(f"{fact.title} : {fact.text}", [], [source_of(fact)])
