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


def agenda_pages(view: KnowledgeView, size: int = screens.AGENDA_PAGE) -> int:
    count = sum(len(p.milestones) for p in view.projects)
    return max(1, -(-count // size))


def every_screen(view: KnowledgeView) -> list[tuple[str, screens.Screen | None]]:
    now = datetime.now(UTC)
    found: list[tuple[str, screens.Screen | None]] = [
        ("main", (texts.WELCOME.format(name=" Alice"), screens.main_menu())),
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
        found += [
            (f"past {page} @ {moment:%Y}", screens.past_agenda_screen(view, page, moment))
            for page in range(agenda_pages(view, screens.PAST_PAGE))
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
    assert data == ["menu:prio", "menu:elus", "menu:fig", "ag:n:0", "menu:help"]


def test_axes_screen_lists_the_four_axes(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.axes_screen(view))
    assert "axes du mandat" in shown
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
    assert len(people) == min(len(view.people), screens.PEOPLE_PAGE)
    assert "LEPRÊTRE" in people[0].text
    assert "séminaire des élus 2021" in shown  # says who these officials are
    assert "exécutif" not in shown
    assert found[-1].callback_data == "menu:main"


def test_person_screen(view: KnowledgeView) -> None:
    person = next(p for p in view.people.values() if "BENSARSA" in p.name)
    shown, found = check_screen(screens.person_screen(view, person.id))
    assert shown.startswith(person.name)
    assert "Source" in shown
    assert found[-1].callback_data == "menu:elus:1"  # back to the page that lists her


def test_figures_and_communes_screens(view: KnowledgeView) -> None:
    _, found = check_screen(screens.figures_screen(view))
    assert found[0].callback_data == "menu:com:0"
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
def bullets(shown: str) -> list[str]:
    return [line for line in shown.splitlines() if line.startswith("•")]


def test_agenda_opens_on_what_is_next_with_reminder_buttons(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.agenda_screen(view, 0, PAST))
    items = bullets(shown)
    assert len(items) == screens.AGENDA_PAGE
    assert "passé" not in shown
    reminders = [b for b in found if b.callback_data.startswith("sub:m:")]
    assert len(reminders) == len(items)
    assert not any(b.callback_data.startswith("ag:p:") for b in found)  # nothing is past yet


def test_agenda_all_past_says_so_plainly_and_offers_the_past(view: KnowledgeView) -> None:
    shown, found = check_screen(screens.agenda_screen(view, 0, FUTURE))
    assert bullets(shown) == []
    assert "Aucun rendez-vous à venir" in shown and "/ajouter jalon" in shown
    assert not any(b.callback_data.startswith("sub:") for b in found)
    total = sum(len(p.milestones) for p in view.projects)
    past = [b for b in found if b.callback_data == "ag:p:0"]
    assert len(past) == 1 and f"({total})" in past[0].text


def test_past_agenda_is_compact_newest_first_without_reminders(view: KnowledgeView) -> None:
    starts = sorted((m.start for p in view.projects for m in p.milestones), reverse=True)
    seen = []
    for page in range(agenda_pages(view, screens.PAST_PAGE)):
        text = screens.past_agenda_screen(view, page, FUTURE)[0]
        shown, found = check_screen(screens.past_agenda_screen(view, page, FUTURE))
        assert not any(b.callback_data.startswith("sub:") for b in found)
        assert "<s>" not in text and "passé)" not in text
        seen += bullets(shown)
        assert any(b.callback_data == "ag:n:0" for b in found)
    assert len(seen) == len(starts)
    newest = [m.title for p in view.projects for m in p.milestones if m.start == starts[0]]
    assert any(title in seen[0] for title in newest), seen[0]


def test_agenda_splits_at_now(view: KnowledgeView) -> None:
    starts = sorted(m.start for p in view.projects for m in p.milestones)
    middle = starts[len(starts) // 2] + timedelta(seconds=1)
    upcoming = sum(1 for s in starts if s >= middle)
    past = len(starts) - upcoming
    shown, found = check_screen(screens.agenda_screen(view, 0, middle))
    assert len(bullets(shown)) == min(upcoming, screens.AGENDA_PAGE)
    assert any(b.text.endswith(f"({past})") for b in found)


def test_agenda_page_buttons_are_stable_and_clamped(view: KnowledgeView) -> None:
    pages = agenda_pages(view)
    assert pages > 2
    rows = []
    for page in range(pages):
        text, markup = screens.agenda_screen(view, page, PAST)
        assert f"(page {page + 1}/{pages})" in text
        nav = next(row for row in markup.inline_keyboard
                   if row[0].text == texts.PREVIOUS)
        rows.append(nav)
        assert [b.text for b in nav] == [texts.PREVIOUS, f"page {page + 1}/{pages}", texts.NEXT]
        assert nav[0].callback_data == f"ag:n:{(page - 1) % pages}"
        assert nav[2].callback_data == f"ag:n:{(page + 1) % pages}"
    assert screens.agenda_screen(view, 999, PAST) == screens.agenda_screen(view, pages - 1, PAST)
    assert screens.agenda_screen(view, -5, PAST) == screens.agenda_screen(view, 0, PAST)


def test_agenda_covers_every_upcoming_milestone_once(view: KnowledgeView) -> None:
    total = sum(len(p.milestones) for p in view.projects)
    lines = []
    for page in range(agenda_pages(view)):
        shown, _ = screens.agenda_screen(view, page, PAST)
        lines += bullets(parse_html(shown)[0])
    assert len(lines) == total


# ---------------------------------------------------------------------- wording
def test_no_doubled_unit_and_no_templates(view: KnowledgeView) -> None:
    for name, screen in every_screen(view):
        shown, found = check_screen(screen)
        assert "% %" not in shown, name
        for template in ("(e)", "(s)", "(ent)"):
            assert template not in shown, (name, template)


def test_duplicate_themes_are_told_apart_on_one_keyboard(view: KnowledgeView) -> None:
    for axis in view.axes.values():
        _, found = check_screen(screens.axis_screen(view, axis.number))
        labels = [b.text for b in found]
        assert len(labels) == len(set(labels)), labels
    _, found = check_screen(screens.axis_screen(view, 1))
    assert any("(PLUi)" in b.text for b in found)


def test_leads_agree_in_gender_and_number(view: KnowledgeView) -> None:
    for priority in view.priorities.values():
        leads = [view.people_by_key[k] for k in priority.leads if k in view.people_by_key]
        if not leads:
            continue
        shown, _ = check_screen(screens.priority_screen(view, priority.id))
        women = all(p.title.lower().startswith(("vice-présidente", "présidente", "conseillère"))
                    for p in leads)
        expected = {(1, True): "Élue référente", (1, False): "Élu référent"}.get(
            (len(leads), women), "Élues référentes" if women else "Élus référents")
        assert f"{expected} :" in shown, (priority.theme, shown)


def pages_of(build, view: KnowledgeView) -> list[str]:  # noqa: ANN001 - a screen builder
    """The displayed text of every page of a paged screen."""
    first = check_screen(build(view, 0))[0]
    count = int(first.split("(page 1/", 1)[1].split(")", 1)[0]) if "(page 1/" in first else 1
    return [check_screen(build(view, page))[0] for page in range(count)]


@pytest.mark.parametrize("build", [screens.figures_screen, screens.people_screen])
def test_figures_and_people_pages_read_on_a_phone_and_cite_their_slides(
        view: KnowledgeView, build) -> None:  # noqa: ANN001 - a screen builder
    pages = pages_of(build, view)
    assert len(pages) > 1
    for shown in pages:
        assert len(shown) <= 900, shown
        source = [line for line in shown.splitlines() if line.startswith("Source : ")]
        assert len(source) == 1 and "séminaire des élus 2021, diapositive" in source[0], shown
    listed = sum(shown.count("• ") for shown in pages)
    assert listed == len(view.figures if build is screens.figures_screen else view.people)


def test_a_page_cites_the_slides_of_its_entries_once_each(view: KnowledgeView) -> None:
    from knowledge.models import Figure

    figures = [Figure(key="a", label="a", value="1", source_slide=12),
               Figure(key="b", label="b", value="2", source_slide=4),
               Figure(key="c", label="c", value="3", source_slide=12),
               Figure(key="d", label="d", value="4", source_title="Ajout de Marie")]
    assert screens.sources_line(figures) == (
        "<i>Source : séminaire des élus 2021, diapositives 4 et 12 ; Ajout de Marie</i>")
    assert screens.sources_line(figures[:1]) == (
        "<i>Source : séminaire des élus 2021, diapositive 12</i>")


def test_figures_say_each_unit_once_and_explain_themselves(view: KnowledgeView) -> None:
    shown = "\n".join(pages_of(screens.figures_screen, view))
    assert "56 % —" in shown and "% %" not in shown
    assert "11 NPRU — Projets du nouveau programme de renouvellement urbain" in shown
    assert "83 grands projets urbains pour aménager un territoire durable" in shown
    gares = [line for line in shown.splitlines() if "gares" in line]
    assert any("10 gares" in line and "diapositive 32" in line for line in gares), gares
    assert any("13 nouvelles gares" in line and "diapositive 45" in line for line in gares)


def test_pages_of_long_entries_stay_under_the_limit(view: KnowledgeView) -> None:
    """500 figures and people with the longest labels the models allow: every page fits."""
    from dataclasses import replace

    from knowledge.models import Figure, Person, Role

    figures = {i: Figure(id=i, key=f"f{i}", label="é" * 300, value="9" * 60, unit="u" * 60)
               for i in range(500)}
    people = {i: Person(id=i, key=f"p{i}", name=f"N{i} " + "x" * 100, role=Role.DELEGATE,
                        title="conseillère " + "y" * 288) for i in range(500)}
    big = replace(view, figures=figures, people=people)
    for build in (screens.figures_screen, screens.people_screen):
        first = build(big, 0)[0]
        pages = int(first.split("(page 1/", 1)[1].split(")", 1)[0])
        listed = sum(check_screen(build(big, page))[0].count("• ") for page in range(pages))
        assert listed == 500, build


@pytest.mark.parametrize("kind", ["axis", "priority"])
def test_the_rest_of_an_answer_tells_every_item_in_full_page_by_page(
        view: KnowledgeView, kind: str) -> None:
    key = 2 if kind == "axis" else next(p.id for p in view.priorities.values()
                                        if p.source_title.endswith("(suite)"))
    first = check_screen(screens.more_screen(view, kind, key))[0]
    pages = int(first.split("(page 1/", 1)[1].split(")", 1)[0]) if "(page 1/" in first else 1
    shown = [check_screen(screens.more_screen(view, kind, key, page))[0]
             for page in range(pages)]
    told = [p for p in view.priorities.values() if (
        p.axis_number == 2 if kind == "axis" else p.theme == view.priorities[key].theme)]
    assert len({p.source_slide for p in told}) > 1  # a theme over two slides, or an axis
    for priority in told:
        for item in [*priority.items, *priority.findings]:
            assert any(item in page for page in shown), item
    for page in shown:
        assert len(page) <= 900 and page.count("Source : ") == 1, page
        assert page.splitlines()[-2].startswith(("• ", "➜ ")), page  # no page ends on a theme
    assert screens.more_screen(view, kind, 10_000) is None
    assert screens.more_screen(view, "person", key) is None
