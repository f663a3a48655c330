"""The browsable menus: each screen is (HTML text, keyboard), built from the knowledge view.

Pure functions of the data, so they are easy to test; handlers send or edit them.
"""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardMarkup

from bot import texts
from bot.callbacks import SUBSCRIBE_MILESTONE, Menu, Prefix
from bot.formatting import button, esc, keyboard
from knowledge.models import Role
from knowledge.render import KnowledgeView, french_when, source_of

Screen = tuple[str, InlineKeyboardMarkup | None]
AGENDA_PAGE = 8
ROLE_ORDER = {Role.PRESIDENT: 0, Role.VICE_PRESIDENT: 1, Role.DELEGATE: 2}


def main_menu() -> InlineKeyboardMarkup | None:
    return keyboard([
        [button(texts.MENU_PRIORITIES, Prefix.MENU, Menu.PRIORITIES),
         button(texts.MENU_PEOPLE, Prefix.MENU, Menu.PEOPLE)],
        [button(texts.MENU_FIGURES, Prefix.MENU, Menu.FIGURES),
         button(texts.MENU_AGENDA, Prefix.AGENDA, 0)],
        [button(texts.MENU_HELP, Prefix.MENU, Menu.HELP)],
    ])


def _back(prefix: Prefix, *args: object) -> list:
    return [button(texts.BACK, prefix, *args)]


def axes_screen(view: KnowledgeView) -> Screen:
    axes = sorted(view.axes.values(), key=lambda a: a.number)
    if not axes:
        return texts.PRIORITIES_EMPTY, None
    rows = [[button(f"{a.number}. {a.short_title}", Prefix.AXIS, a.number)] for a in axes]
    return texts.PRIORITIES_TITLE, keyboard([*rows, _back(Prefix.MENU, Menu.MAIN)])


def axis_screen(view: KnowledgeView, number: int) -> Screen | None:
    axis = view.axes_by_number.get(number)
    if axis is None:
        return None
    people = [p.name for p in view.people.values() if p.axis_number == number]
    lines = [texts.AXIS_TITLE.format(number=axis.number, title=esc(axis.title))]
    if people:
        lines.append(texts.AXIS_PEOPLE.format(names=esc(", ".join(people))))
    priorities = [p for p in view.priorities.values() if p.axis_number == number]
    if priorities:
        lines.append(texts.AXIS_CHOOSE)
    rows = [[button(p.theme, Prefix.PRIORITY, p.id)] for p in priorities]
    return "\n".join(lines), keyboard([*rows, _back(Prefix.MENU, Menu.PRIORITIES)])


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
        lines.append(texts.PRIORITY_LEADS.format(names=esc(", ".join(p.name for p in leads))))
    lines.append(f"<i>{esc(texts.SOURCE.format(source=source_of(priority)))}</i>")
    back = (_back(Prefix.AXIS, priority.axis_number) if priority.axis_number
            else _back(Prefix.MENU, Menu.PRIORITIES))
    rows = [[button(p.name, Prefix.PERSON, p.id)] for p in leads]
    return "\n".join(lines), keyboard([*rows, back])


def people_screen(view: KnowledgeView) -> Screen:
    people = sorted(view.people.values(), key=lambda p: (ROLE_ORDER.get(p.role, 9), p.id))
    lines = [texts.PEOPLE_TITLE]
    for person in people:
        lines.append(f"• <b>{esc(person.name)}</b>, {esc(person.title)}")
    lines.append(texts.PEOPLE_CHOOSE)
    rows = [[button(p.name, Prefix.PERSON, p.id)] for p in people]
    return "\n".join(lines), keyboard([*_pairs(rows), _back(Prefix.MENU, Menu.MAIN)])


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
    rows = [[button(p.theme, Prefix.PRIORITY, p.id)] for p in led[:4]]
    return "\n".join(lines), keyboard([*rows, _back(Prefix.MENU, Menu.PEOPLE)])


def figures_screen(view: KnowledgeView) -> Screen:
    lines = [texts.FIGURES_TITLE]
    for figure in view.figures.values():
        value = f"{figure.value} {figure.unit}".strip()
        lines.append(f"• <b>{esc(value)}</b> — {esc(figure.label)}")
    rows = [[button(texts.FIGURES_BY_COMMUNE, Prefix.MENU, Menu.COMMUNES)],
            _back(Prefix.MENU, Menu.MAIN)]
    return "\n".join(lines), keyboard(rows)


def communes_screen(view: KnowledgeView) -> Screen:
    communes = sorted(view.communes.values(), key=lambda c: c.name)
    buttons = [button(c.name, Prefix.COMMUNE, c.id) for c in communes]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return texts.COMMUNES_TITLE, keyboard([*rows, _back(Prefix.MENU, Menu.FIGURES)])


def commune_screen(view: KnowledgeView, commune_id: int) -> Screen | None:
    if commune_id not in view.communes:
        return None
    rendered = view.render_commune(commune_id, [])
    lines = [f"<b>{esc(rendered.headline)}</b>", *(esc(b) for b in rendered.body)]
    lines.append(f"<i>{esc(texts.SOURCE.format(source=' ; '.join(rendered.sources)))}</i>")
    return "\n".join(lines), keyboard([_back(Prefix.MENU, Menu.COMMUNES)])


def agenda_screen(view: KnowledgeView, page: int, now: datetime) -> Screen:
    """Upcoming milestones first (soonest first), then past ones, clearly marked."""
    milestones = [m for project in view.projects for m in project.milestones]
    upcoming = sorted((m for m in milestones if m.start >= now), key=lambda m: m.start)
    past = sorted((m for m in milestones if m.start < now), key=lambda m: m.start, reverse=True)
    if not milestones:
        return texts.AGENDA_EMPTY, keyboard([_back(Prefix.MENU, Menu.MAIN)])
    ordered = [(m, False) for m in upcoming] + [(m, True) for m in past]
    pages = max(1, -(-len(ordered) // AGENDA_PAGE))
    page = min(max(page, 0), pages - 1)
    chunk = ordered[page * AGENDA_PAGE : (page + 1) * AGENDA_PAGE]
    lines = [f"{texts.AGENDA_TITLE} ({page + 1}/{pages})"]
    if page == 0 and not upcoming:
        lines.append(texts.AGENDA_NONE_UPCOMING)
    heading = None
    rows = []
    for milestone, is_past in chunk:
        section = texts.AGENDA_PAST if is_past else texts.AGENDA_UPCOMING
        if section != heading:
            lines.append(section)
            heading = section
        lines.append(_agenda_line(view, milestone, is_past))
        if not is_past:
            rows.append([button(f"🔔 {milestone.title}", Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE,
                                milestone.id)])
    nav = []
    if page > 0:
        nav.append(button(texts.PREVIOUS, Prefix.AGENDA, page - 1))
    if page < pages - 1:
        nav.append(button(texts.MORE, Prefix.AGENDA, page + 1))
    return "\n".join(lines), keyboard([*rows, nav, _back(Prefix.MENU, Menu.MAIN)])


def _agenda_line(view: KnowledgeView, milestone, is_past: bool) -> str:  # noqa: ANN001
    when = french_when(milestone.start, milestone.precision, view.tz)
    flags = []
    if milestone.approximate:
        flags.append(texts.APPROXIMATE_MARK)
    if is_past:
        flags.append(texts.PAST_MARK)
    where = f" — {esc(milestone.location)}" if milestone.location else ""
    suffix = f" <i>({', '.join(flags)})</i>" if flags else ""
    prefix = "<s>" if is_past else "<b>"
    close = "</s>" if is_past else "</b>"
    return f"• {prefix}{esc(when)}{close} : {esc(milestone.title)}{where}{suffix}"


def _pairs(rows: list[list]) -> list[list]:
    flat = [b for row in rows for b in row]
    return [flat[i : i + 2] for i in range(0, len(flat), 2)]
