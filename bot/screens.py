"""The browsable menus: each screen is (HTML text, keyboard), built from the knowledge view.

Pure functions of the data (and of "now", passed in), so they are easy to test; handlers
send or edit them. Every list built from data is paged (`bot.paging`), so a screen stays
under Telegram's limits whatever the size of the base.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from babel.dates import format_date
from telegram import InlineKeyboardMarkup

from bot import texts
from bot.callbacks import SUBSCRIBE_MILESTONE, AgendaView, Menu, Prefix
from bot.formatting import button, distinct_labels, esc, keyboard, shorten
from bot.paging import (
    MENU_PAGE,
    PHONE_BUDGET,
    nav_row,
    page_of,
    page_suffix,
    paginate,
    rows_of,
)
from knowledge import grammar
from knowledge.answers import EntryKind
from knowledge.models import Figure, Milestone, Person, Priority, Role, Sourced
from knowledge.render import SEMINAR, KnowledgeView, french_day, french_when, source_of

Screen = tuple[str, InlineKeyboardMarkup | None]
AGENDA_PAGE = 8  # upcoming milestones per page (each with its reminder button)
PAST_PAGE = 15  # past milestones per page: one compact line each
FIGURES_PAGE = 10  # figures are text lines, no buttons (and at most PHONE_BUDGET of them)
COMMUNES_PAGE = 24  # three per row: the 24 communes of the seed on one page
PEOPLE_PAGE = 6  # people per page (two buttons a row): a phone screen of text and buttons
MORE_PAGE = 12  # lines of a list's rest per page (and at most PHONE_BUDGET of them)
NAMES_SHOWN = 8  # people named in a sentence before "et N autres"
ROLE_ORDER = {Role.PRESIDENT: 0, Role.VICE_PRESIDENT: 1, Role.DELEGATE: 2}


def main_menu(view: KnowledgeView | None = None) -> InlineKeyboardMarkup | None:
    """The main menu: the sections the base holds (all of them when `view` is not known)."""
    sections = [(texts.MENU_PRIORITIES, Menu.PRIORITIES, view is None or bool(view.axes)),
                (texts.MENU_PEOPLE, Menu.PEOPLE, view is None or bool(view.people)),
                (texts.MENU_FIGURES, Menu.FIGURES,
                 view is None or bool(view.figures or view.communes))]
    shown = [button(label, Prefix.MENU, menu) for label, menu, held in sections if held]
    shown.append(button(texts.MENU_AGENDA, Prefix.AGENDA, AgendaView.NEXT, 0))
    return keyboard([*rows_of(shown, 2), [button(texts.MENU_HELP, Prefix.MENU, Menu.HELP)]])


def holds_entries(view: KnowledgeView) -> bool:
    """Whether the base holds structured entries (a seminar's), not only documents."""
    return any((view.axes, view.people, view.priorities, view.figures, view.communes,
                view.facts))


def document_list(titles: Sequence[str]) -> str:
    """« A », « B » et « C » (plain text): the documents answers come from."""
    return names([f"« {shorten(title, 80)} »" for title in titles])


def not_held(what: str, documents: Sequence[str]) -> str:
    """What the base does not hold, said plainly, and where answers come from instead."""
    pointer = (texts.NOT_HELD_ASK.format(documents=esc(document_list(documents)))
               if documents else texts.NOT_HELD_NOTHING)
    return f"{what}\n{pointer}"


def help_html(username: str, view: KnowledgeView, documents: Sequence[str]) -> str:
    """/aide: what the bot answers from, and the commands that show what the base holds."""
    lines = [texts.HELP_TITLE]
    if holds_entries(view):
        lines.append(texts.HELP_ENTRIES)
    if documents:
        lines.append(texts.HELP_DOCUMENTS.format(documents=esc(document_list(documents))))
    if len(lines) == 1:
        lines.append(texts.HELP_EMPTY)
    held = {"priorites": view.axes, "elus": view.people,
            "chiffres": view.figures or view.communes}
    lines += [line for name, line in texts.HELP_SECTIONS.items() if held[name]]
    lines.append(texts.HELP_COMMANDS.format(username=esc(username)))
    return "\n".join(lines)


def _back(prefix: Prefix, *args: object) -> list:
    return [button(texts.BACK, prefix, *args)]


def _buttons(labels: list[str], hints: list[str], prefix: Prefix, ids: list[int]) -> list:
    """One button per entry, labels told apart when two would read the same."""
    shown = distinct_labels(labels, hints)
    return [button(label, prefix, entry_id) for label, entry_id in zip(shown, ids, strict=True)]


def sources_line(entries: list[Sourced]) -> str:
    """The italic source line of a page listing several entries: their slides told once
    ("séminaire des élus 2021, diapositives 4, 12 et 39"), then any other source."""
    slides = sorted({e.source_slide for e in entries if e.source_slide})
    parts = [f"{SEMINAR}, " + grammar.plural(len(slides), "diapositive", "diapositives")
             + " " + names([str(s) for s in slides])] if slides else []
    parts += dict.fromkeys(source_of(e) for e in entries if not e.source_slide)
    return f"<i>{esc(texts.SOURCE.format(source=' ; '.join(parts)))}</i>" if parts else ""


def names(people: list[str]) -> str:
    """"A, B et C", or "A, B, … et 12 autres" past NAMES_SHOWN."""
    if len(people) > NAMES_SHOWN:
        rest = len(people) - NAMES_SHOWN + 1
        return ", ".join(people[: NAMES_SHOWN - 1]) + " " + texts.AND_OTHERS.format(count=rest)
    if len(people) > 1:
        return ", ".join(people[:-1]) + " et " + people[-1]
    return "".join(people)


# ---------------------------------------------------------------------- priorities
def axes_screen(view: KnowledgeView, page: int = 0, documents: Sequence[str] = ()) -> Screen:
    axes = sorted(view.axes.values(), key=lambda a: a.number)
    if not axes:
        return (not_held(texts.PRIORITIES_EMPTY, documents),
                keyboard([_back(Prefix.MENU, Menu.MAIN)]))
    shown = paginate(axes, page)
    labels = [f"{a.number}. {a.short_title}" for a in shown.items]
    rows = [[b] for b in _buttons(labels, [a.title for a in shown.items], Prefix.AXIS,
                                  [a.number for a in shown.items])]
    title = texts.PRIORITIES_TITLE + page_suffix(shown)
    return (f"{title}\n{texts.PRIORITIES_CHOOSE}",
            keyboard([*rows, nav_row(shown, Prefix.MENU, Menu.PRIORITIES),
                      _back(Prefix.MENU, Menu.MAIN)]))


def axis_screen(view: KnowledgeView, number: int, page: int = 0) -> Screen | None:
    axis = view.axes_by_number.get(number)
    if axis is None:
        return None
    people = [p for p in view.people.values() if p.axis_number == number]
    priorities = [p for p in view.priorities.values() if p.axis_number == number]
    shown = paginate(priorities, page)
    lines = [texts.AXIS_TITLE.format(number=axis.number, title=esc(axis.title))
             + page_suffix(shown)]
    if people:
        lines.append(texts.AXIS_PEOPLE.format(
            label=grammar.agree([p.title for p in people], "Élu", "Élue", "Élus", "Élues"),
            names=esc(names([p.name for p in people]))))
    if priorities:
        lines.append(texts.AXIS_CHOOSE)
    buttons = _buttons([p.theme for p in shown.items], [p.source_title or "" for p in shown.items],
                       Prefix.PRIORITY, [p.id for p in shown.items])
    return "\n".join(lines), keyboard([*([b] for b in buttons),
                                       nav_row(shown, Prefix.AXIS, number),
                                       _back(Prefix.MENU, Menu.PRIORITIES)])


def priority_screen(view: KnowledgeView, priority_id: int) -> Screen | None:
    priority = view.priorities.get(priority_id)
    if priority is None:
        return None
    lines = [f"<b>{esc(priority.theme)}</b>"]
    if priority.findings:
        lines.append(texts.PRIORITY_FINDINGS)
        lines += [f"• {esc(f)}" for f in priority.findings]
    if priority.items:
        lines.append(texts.PRIORITY_ITEMS)
        lines += [f"• {esc(i)}" for i in priority.items]
    if priority.highlight:
        lines.append(f"➜ {esc(priority.highlight)}")
    leads = [view.people_by_key[k] for k in priority.leads if k in view.people_by_key]
    if leads:
        lines.append(texts.PRIORITY_LEADS.format(
            label=grammar.referents(p.title for p in leads),
            names=esc(names([p.name for p in leads]))))
    lines.append(f"<i>{esc(texts.SOURCE.format(source=source_of(priority)))}</i>")
    back = (_back(Prefix.AXIS, priority.axis_number) if priority.axis_number
            else _back(Prefix.MENU, Menu.PRIORITIES))
    shown = leads[:MENU_PAGE]
    buttons = _buttons([p.name for p in shown], [p.title for p in shown], Prefix.PERSON,
                       [p.id for p in shown])
    return "\n".join(lines), keyboard([*rows_of(buttons, 2), back])


# ---------------------------------------------------------------------- « Voir la suite »
def more_screen(view: KnowledgeView, kind: str, key: int, page: int = 0) -> Screen | None:
    """The rest of an answer that told a list in part (`Answer.more`): the same priorities,
    every item in full, paged for a phone, each page citing the slides it quotes."""
    subject, priorities = _told_in_part(view, kind, key)
    if not priorities:
        return None
    lines = [(line, priority) for priority in priorities
             for line in _whole_lines(priority, titled=kind == EntryKind.AXIS)]
    shown = paginate(lines, page, MORE_PAGE, weigh=lambda entry: len(entry[0]),
                     budget=PHONE_BUDGET)
    quoted = list({id(p): p for _, p in shown.items}.values())
    text = "\n".join([f"<b>{esc(subject)}</b>{page_suffix(shown)}",
                      *(line for line, _ in shown.items), sources_line(quoted)])
    return text, keyboard([nav_row(shown, Prefix.MORE, kind, key)])


def _told_in_part(view: KnowledgeView, kind: str, key: int) -> tuple[str, list[Priority]]:
    """What the answer was about, and its priorities: an axis's, or one theme's (a theme
    may run over several slides)."""
    if kind == EntryKind.AXIS and key in view.axes_by_number:
        axis = view.axes_by_number[key]
        subject = texts.MORE_AXIS.format(number=axis.number, title=axis.short_title)
        return subject, [p for p in view.priorities.values() if p.axis_number == key]
    priority = view.priorities.get(key) if kind == EntryKind.PRIORITY else None
    if priority is None:
        return "", []
    return priority.theme, [p for p in view.priorities.values() if p.theme == priority.theme]


def _whole_lines(priority: Priority, titled: bool) -> list[str]:
    """A priority's items, findings and highlight in full; if `titled`, its theme heads the
    first of them (so that no page ends on a heading)."""
    lines = [f"• {esc(item)}" for item in [*priority.items, *priority.findings]]
    if priority.highlight:
        lines.append(f"➜ {esc(priority.highlight)}")
    if titled:
        heading = f"<b>{esc(priority.theme)}</b>"
        lines = [f"{heading}\n{lines[0]}", *lines[1:]] if lines else [heading]
    return lines


# ---------------------------------------------------------------------- people
def _people(view: KnowledgeView) -> list[Person]:
    return sorted(view.people.values(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.id))


def _person_weight(person: Person) -> int:
    return len(_person_line(person))


def people_screen(view: KnowledgeView, page: int = 0, documents: Sequence[str] = ()) -> Screen:
    people = _people(view)
    if not people:
        return (not_held(texts.PEOPLE_EMPTY, documents),
                keyboard([_back(Prefix.MENU, Menu.MAIN)]))
    shown = paginate(people, page, PEOPLE_PAGE, weigh=_person_weight, budget=PHONE_BUDGET)
    lines = [texts.PEOPLE_TITLE + page_suffix(shown), texts.PEOPLE_INTRO]
    lines += [_person_line(p) for p in shown.items]
    lines += [sources_line(shown.items), texts.PEOPLE_CHOOSE]
    buttons = _buttons([p.name for p in shown.items], [p.title for p in shown.items],
                       Prefix.PERSON, [p.id for p in shown.items])
    return "\n".join(filter(None, lines)), keyboard([*rows_of(buttons, 2),
                                       nav_row(shown, Prefix.MENU, Menu.PEOPLE),
                                       _back(Prefix.MENU, Menu.MAIN)])


def _person_line(person: Person) -> str:
    return f"• <b>{esc(person.name)}</b>, {esc(person.title)}"


def person_screen(view: KnowledgeView, person_id: int) -> Screen | None:
    person = view.people.get(person_id)
    if person is None:
        return None
    lines = [f"<b>{esc(person.name)}</b>", esc(person.title)]
    axis = view.axes_by_number.get(person.axis_number) if person.axis_number else None
    if axis:
        lines.append(f"Axe {axis.number} : {esc(axis.title)}")
    led = [p for p in view.priorities.values() if person.key in p.leads]
    if led:
        lines.append(texts.PERSON_PRIORITIES.format(themes=esc(" ; ".join(p.theme for p in led))))
    lines.append(f"<i>{esc(texts.SOURCE.format(source=source_of(person)))}</i>")
    shown = led[:4]
    buttons = _buttons([p.theme for p in shown], [p.source_title or "" for p in shown],
                       Prefix.PRIORITY, [p.id for p in shown])
    page = page_of(_people(view), person, PEOPLE_PAGE, _person_weight, PHONE_BUDGET)
    return "\n".join(lines), keyboard([*([b] for b in buttons),
                                       _back(Prefix.MENU, Menu.PEOPLE, page)])


# ---------------------------------------------------------------------- figures
def figures_screen(view: KnowledgeView, page: int = 0, documents: Sequence[str] = ()
                   ) -> Screen:
    figures = list(view.figures.values())
    if not figures and not view.communes:
        return (not_held(texts.FIGURES_EMPTY, documents),
                keyboard([_back(Prefix.MENU, Menu.MAIN)]))
    shown = paginate(figures, page, FIGURES_PAGE, weigh=lambda f: len(_figure_line(f)),
                     budget=PHONE_BUDGET)
    lines = [texts.FIGURES_TITLE + page_suffix(shown), *map(_figure_line, shown.items),
             sources_line(shown.items) if figures else texts.FIGURES_EMPTY]
    by_commune = [button(texts.FIGURES_BY_COMMUNE, Prefix.MENU, Menu.COMMUNES, 0)]
    rows = [by_commune if view.communes else [],
            nav_row(shown, Prefix.MENU, Menu.FIGURES), _back(Prefix.MENU, Menu.MAIN)]
    return "\n".join(filter(None, lines)), keyboard(rows)


def _figure_line(figure: Figure) -> str:
    amount, rest = grammar.figure_phrase(figure.value, figure.unit, figure.label)
    return f"• <b>{esc(amount)}</b>{esc(rest)}"


def communes_screen(view: KnowledgeView, page: int = 0, documents: Sequence[str] = ()
                    ) -> Screen:
    communes = sorted(view.communes.values(), key=lambda c: c.name)
    if not communes:
        return (not_held(texts.COMMUNES_EMPTY, documents),
                keyboard([_back(Prefix.MENU, Menu.FIGURES)]))
    shown = paginate(communes, page, COMMUNES_PAGE)
    buttons = _buttons([c.name for c in shown.items], ["" for _ in shown.items],
                       Prefix.COMMUNE, [c.id for c in shown.items])
    return (texts.COMMUNES_TITLE.format(page=page_suffix(shown)),
            keyboard([*rows_of(buttons, 3), nav_row(shown, Prefix.MENU, Menu.COMMUNES),
                      _back(Prefix.MENU, Menu.FIGURES)]))


def commune_screen(view: KnowledgeView, commune_id: int) -> Screen | None:
    if commune_id not in view.communes:
        return None
    rendered = view.render_commune(commune_id, [])
    lines = [f"<b>{esc(rendered.headline)}</b>", *(esc(b) for b in rendered.body)]
    lines.append(f"<i>{esc(texts.SOURCE.format(source=' ; '.join(rendered.sources)))}</i>")
    return "\n".join(lines), keyboard([_back(Prefix.MENU, Menu.COMMUNES)])


# ---------------------------------------------------------------------- agenda
def _milestones(view: KnowledgeView) -> list[Milestone]:
    return [m for project in view.projects for m in project.milestones]


def agenda_screen(view: KnowledgeView, page: int, now: datetime) -> Screen:
    """What is next, soonest first, each with a reminder button; the past is one button away."""
    milestones = _milestones(view)
    upcoming = sorted((m for m in milestones if m.start >= now), key=lambda m: (m.start, m.id))
    past_count = len(milestones) - len(upcoming)
    past_row = ([button(texts.AGENDA_PAST_BUTTON.format(count=past_count), Prefix.AGENDA,
                        AgendaView.PAST, 0)] if past_count else [])
    if not upcoming:
        return (f"{texts.AGENDA_TITLE}\n{texts.AGENDA_NONE_UPCOMING}",
                keyboard([past_row, _back(Prefix.MENU, Menu.MAIN)]))
    shown = paginate(upcoming, page, AGENDA_PAGE, weigh=lambda m: len(_upcoming_line(view, m)))
    lines = [texts.AGENDA_TITLE + page_suffix(shown)]
    lines += [_upcoming_line(view, m) for m in shown.items]
    labels = distinct_labels([f"🔔 {m.title}" for m in shown.items],
                             [f"🔔 {m.title} {_short_date(view, m)}" for m in shown.items])
    rows = [[button(label, Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE, m.id)]
            for label, m in zip(labels, shown.items, strict=True)]
    return "\n".join(lines), keyboard([*rows, nav_row(shown, Prefix.AGENDA, AgendaView.NEXT),
                                       past_row, _back(Prefix.MENU, Menu.MAIN)])


def past_agenda_screen(view: KnowledgeView, page: int, now: datetime) -> Screen:
    """Past milestones, newest first, one compact line each; no reminder buttons."""
    past = sorted((m for m in _milestones(view) if m.start < now),
                  key=lambda m: (m.start, m.id), reverse=True)
    shown = paginate(past, page, PAST_PAGE, weigh=lambda m: len(_past_line(view, m)))
    lines = [texts.AGENDA_PAST_TITLE + page_suffix(shown)]
    if not past:
        lines.append(texts.AGENDA_PAST_EMPTY)
    lines += [_past_line(view, m) for m in shown.items]
    if any(m.approximate for m in shown.items):
        lines.append(texts.APPROXIMATE_LEGEND)
    return "\n".join(lines), keyboard([
        nav_row(shown, Prefix.AGENDA, AgendaView.PAST),
        [button(texts.AGENDA_NEXT_BUTTON, Prefix.AGENDA, AgendaView.NEXT, 0)],
        _back(Prefix.MENU, Menu.MAIN)])


def _short_date(view: KnowledgeView, milestone: Milestone) -> str:
    local = milestone.start.astimezone(view.tz)
    if milestone.precision == "month":
        return format_date(local, "MMM y", locale="fr_FR")
    return f"{french_day(local.day)} {format_date(local, 'MMM y', locale='fr_FR')}"


def _past_line(view: KnowledgeView, milestone: Milestone) -> str:
    mark = texts.APPROXIMATE_SIGN if milestone.approximate else ""
    return f"• {mark}{esc(_short_date(view, milestone))} — {esc(milestone.title)}"


def _upcoming_line(view: KnowledgeView, milestone: Milestone) -> str:
    when = french_when(milestone.start, milestone.precision, view.tz)
    where = f" — {esc(milestone.location)}" if milestone.location else ""
    suffix = f" <i>({texts.APPROXIMATE_MARK})</i>" if milestone.approximate else ""
    return f"• <b>{esc(when)}</b> : {esc(milestone.title)}{where}{suffix}"
