"""bot.screens over the seeded knowledge base: every menu fits Telegram's limits.

Each screen is checked the way Telegram would: text ≤ 4096 characters and valid HTML (the
stand-in's strict parser), every button with a label and callback data of at most 64 bytes,
at most 100 buttons. The seeded data is read-only here (`shared_engine`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from telegram import InlineKeyboardMarkup

from bot import screens, texts
from bot.callbacks import MAX_CALLBACK_BYTES, MENU_PREFIXES, Prefix, parse
from bot.formatting import MAX_MESSAGE
from botapi_standin import parse_html
from knowledge.engine import AnswerEngine
from knowledge.render import KnowledgeView

PAST = datetime(2000, 1, 1, tzinfo=UTC)  # every milestone is upcoming
FUTURE = datetime(2100, 1, 1, tzinfo=UTC)  # every milestone is past
# The callback prefixes bot.app routes to handlers.on_button (plus the reminder buttons).
ROUTED = {*MENU_PREFIXES, Prefix.SUBSCRIBE}


@pytest.fixture(scope="module")
def view(shared_engine: AnswerEngine) -> KnowledgeView:
    return shared_engine.view


def all_buttons(markup: InlineKeyboardMarkup | None) -> list:
    return [b for row in (markup.inline_keyboard if markup else ()) for b in row]


def check_screen(screen: screens.Screen | None) -> tuple[str, list]:
    """Assert the screen is sendable as is; return (displayed text, buttons)."""
    assert screen is not None
    text, markup = screen
    assert 0 < len(text) <= MAX_MESSAGE, len(text)
    shown, _ = parse_html(text)
    assert shown.strip()
    found = all_buttons(markup)
    assert len(found) <= 100
    for made in found:
        assert made.text.strip()
        assert made.callback_data, made
        assert len(made.callback_data.encode()) <= MAX_CALLBACK_BYTES, made.callback_data
        parsed = parse(made.callback_data)
        assert parsed is not None and parsed.prefix in ROUTED, made.callback_data
    return shown, found


def agenda_pages(view: KnowledgeView) -> int:
    count = sum(len(p.milestones) for p in view.projects)
    return max(1, -(-count // screens.AGENDA_PAGE))


def every_screen(view: KnowledgeView) -> list[tuple[str, screens.Screen | None]]:
    now = datetime.now(UTC)
    found: list[tuple[str, screens.Screen | None]] = [
        ("main", (texts.WELCOME.format(name="Alice"), screens.main_menu())),
        ("axes", screens.axes_screen(view)),
        ("people", screens.people_screen(view)),
        ("figures", screens.figures_screen(view)),
        ("communes", screens.communes_screen(view)),
    ]
    found += [(f"axis {a.number}", screens.axis_screen(view, a.number)) for a in view.axes.values()]
    found += [(f"priority {pid}", screens.priority_screen(view, pid)) for pid in view.priorities]
    found += [(f"person {pid}", screens.person_screen(view, pid)) for pid in view.people]
    found += [(f"commune {cid}", screens.commune_screen(view, cid)) for cid in view.communes]
    for moment in (PAST, now, FUTURE):
        found += [
            (f"agenda {page} @ {moment:%Y}", screens.agenda_screen(view, page, moment))
            for page in range(agenda_pages(view))
        ]
    return found


def test_the_seed_has_something_to_browse(view: KnowledgeView) -> None:
    assert len(view.axes) == 4
    assert view.priorities and view.people and view.communes and view.figures
    assert sum(len(p.milestones) for p in view.projects) > screens.AGENDA_PAGE


def test_every_screen_fits_telegram_limits(view: KnowledgeView) -> None:
    screens_seen = every_screen(view)
    assert len(screens_seen) > 50
    for name, screen in screens_seen:
        try:
            check_screen(screen)
        except AssertionError as exc:
            raise AssertionError(f"screen {name}: {exc}") from exc


def test_main_menu_buttons() -> None:
    data = [b.callback_data for b in all_buttons(screens.main_menu())]
    assert data == ["menu:prio", "menu:elus", "menu:fig", "ag:0", "menu:help"]


def test_axes_screen_lists_the_four_axes(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.axes_screen(view))
    assert "quatre axes" in shown
    assert [b.callback_data for b in found] == ["ax:1", "ax:2", "ax:3", "ax:4", "menu:main"]


def test_axis_screen_lists_its_priorities_and_goes_back(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.axis_screen(view, 1))
    assert shown.startswith("Axe 1 : ")
    priorities = [p.id for p in view.priorities.values() if p.axis_number == 1]
    assert [b.callback_data for b in found] == [f"pr:{p}" for p in priorities] + ["menu:prio"]


def test_priority_screen_cites_its_source_and_leads(view: KnowledgeView) -> None:
    priority = next(p for p in view.priorities.values() if p.leads and p.axis_number)
    shown, found = check_screen(screens.priority_screen(view, priority.id))
    assert priority.theme in shown
    assert "Source : séminaire des élus 2021" in shown
    assert found[-1].callback_data == f"ax:{priority.axis_number}"  # back to its axis
    assert any(b.callback_data.startswith("p:") for b in found)


def test_people_screen_starts_with_the_president(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.people_screen(view))
    people = [b for b in found if b.callback_data.startswith("p:")]
    assert len(people) == len(view.people)
    assert "LEPRÊTRE" in people[0].text
    assert found[-1].callback_data == "menu:main"


def test_person_screen(view: KnowledgeView) -> None:
    person = next(p for p in view.people.values() if "BENSARSA" in p.name)
    shown, found = check_screen(screens.person_screen(view, person.id))
    assert shown.startswith(person.name)
    assert "Source" in shown
    assert found[-1].callback_data == "menu:elus"


def test_figures_and_communes_screens(view: KnowledgeView) -> None:
    _, found = check_screen(screens.figures_screen(view))
    assert found[0].callback_data == "menu:com"
    _, communes = check_screen(screens.communes_screen(view))
    names = [b.text for b in communes if b.callback_data.startswith("c:")]
    assert len(names) == len(view.communes) and names == sorted(names)
    vitry = next(c for c in view.communes.values() if c.name.startswith("Vitry"))
    shown, back = check_screen(screens.commune_screen(view, vitry.id))
    assert vitry.name in shown and "Source" in shown
    assert [b.callback_data for b in back] == ["menu:com"]


def test_unknown_ids_give_no_screen(view: KnowledgeView) -> None:
    assert screens.axis_screen(view, 99) is None
    assert screens.priority_screen(view, 10_000) is None
    assert screens.person_screen(view, 10_000) is None
    assert screens.commune_screen(view, 10_000) is None


# ---------------------------------------------------------------------- agenda


def test_agenda_marks_past_milestones(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.agenda_screen(view, 0, FUTURE))
    items = [line for line in shown.splitlines() if line.startswith("•")]
    assert len(items) == screens.AGENDA_PAGE
    assert all(f"{texts.PAST_MARK})" in line for line in items), items
    assert "Passés" in shown and "À venir" not in shown
    assert texts.AGENDA_NONE_UPCOMING in shown
    text, _ = screens.agenda_screen(view, 0, FUTURE)
    assert text.count("<s>") == screens.AGENDA_PAGE  # struck through
    assert not any(b.callback_data.startswith("sub:") for b in found)  # no reminder for the past


def test_agenda_upcoming_first_with_reminder_buttons(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.agenda_screen(view, 0, PAST))
    items = [line for line in shown.splitlines() if line.startswith("•")]
    assert not any(texts.PAST_MARK + ")" in line for line in items)
    assert "À venir" in shown
    reminders = [b for b in found if b.callback_data.startswith("sub:m:")]
    assert len(reminders) == len(items)


def test_agenda_mixes_upcoming_then_past(view: KnowledgeView) -> None:
    starts = sorted(m.start for p in view.projects for m in p.milestones)
    middle = starts[len(starts) // 2] + timedelta(seconds=1)
    seen_past = False
    for page in range(agenda_pages(view)):
        shown, _ = check_screen(screens.agenda_screen(view, page, middle))
        for line in shown.splitlines():
            if not line.startswith("•"):
                continue
            is_past = f"{texts.PAST_MARK})" in line
            assert is_past or not seen_past, "an upcoming item after past ones"
            seen_past = seen_past or is_past
    assert seen_past


def test_agenda_pages_navigate_and_clamp(view: KnowledgeView) -> None:
    pages = agenda_pages(view)
    assert pages > 1
    first_text, first = check_screen(screens.agenda_screen(view, 0, FUTURE))
    assert f"(1/{pages})" in first_text
    assert [b.callback_data for b in first] == ["ag:1", "menu:main"]
    last_text, last = check_screen(screens.agenda_screen(view, pages - 1, FUTURE))
    assert f"({pages}/{pages})" in last_text
    assert [b.callback_data for b in last] == [f"ag:{pages - 2}", "menu:main"]
    middle = check_screen(screens.agenda_screen(view, 1, FUTURE))[1]
    assert [b.text for b in middle][:2] == [texts.PREVIOUS, texts.MORE]
    assert screens.agenda_screen(view, 999, FUTURE) == screens.agenda_screen(
        view, pages - 1, FUTURE
    )
    assert screens.agenda_screen(view, -5, FUTURE) == screens.agenda_screen(view, 0, FUTURE)


def test_agenda_covers_every_milestone_once(view: KnowledgeView) -> None:
    total = sum(len(p.milestones) for p in view.projects)
    lines = []
    for page in range(agenda_pages(view)):
        shown, _ = screens.agenda_screen(view, page, datetime.now(UTC))
        lines += [line for line in parse_html(shown)[0].splitlines() if line.startswith("•")]
    assert len(lines) == total
