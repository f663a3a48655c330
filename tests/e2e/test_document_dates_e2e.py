"""Dates of a loaded document become milestones in one tap, through the loopback Bot API: an
admin sends a real PDF, confirms, and its upcoming dates are proposed (title, date, place,
page); « Ajouter » makes one an ordinary milestone whose reminder goes out, « Modifier »
takes a typed correction, « Ignorer » adds nothing, and nobody else can press them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from babel.dates import format_date
from sqlmodel import Session, func, select
from test_admin_e2e import (
    OFFICIAL,
    TWO_HOURS,
    Bot,
    bot,  # noqa: F401 - the admin tests' fixtures
    buttons,
    import_parser,  # noqa: F401
    text_of,
)

from bench.files import pdf_file
from bot.typography import french_spaces
from knowledge.models import Milestone, Precision


def in_days(bot: Bot, days: int) -> date:  # noqa: F811
    """The local day `days` after the test's controlled now."""
    return (bot.clock.now.astimezone(bot.tz) + timedelta(days=days)).date()


def written(day: date) -> str:
    """« 12 mars 2027 », as a document writes it."""
    return format_date(day, "d MMMM y", locale="fr_FR")


def milestones(bot: Bot, title: str) -> int:  # noqa: F811
    with Session(bot.db) as session:
        return session.exec(select(func.count()).select_from(Milestone).where(
            Milestone.title == title)).one()


def minutes(bot: Bot) -> bytes:  # noqa: F811
    """Page 1 recalls a past meeting; page 2 announces the next one, ten days from now."""
    return pdf_file([
        "Ordre du jour\n\nLe conseil s'est réuni le 3 février 2021 en séance publique.",
        f"Calendrier\n\nLe conseil de territoire se réunira le {written(in_days(bot, 10))} "
        "à 18 h 30 en salle du conseil.",
    ])


async def load(bot: Bot, pdf: bytes, title: str = "Conseil territorial") -> dict:  # noqa: F811
    """Send and confirm a document; the dates message proposed after it."""
    bot.svc.clock = bot.clock  # the screens' now is the test's
    [preview] = await bot.send_file("conseil.pdf", pdf, caption=title)
    await bot.press(preview, "✅ Confirmer")
    assert text_of(bot.current(preview)).startswith("✅ Document chargé")
    dates = bot.last()
    assert dates["message_id"] > preview["message_id"]
    return dates


async def test_a_date_of_a_loaded_pdf_becomes_a_milestone_and_is_reminded(
        bot: Bot) -> None:  # noqa: F811
    await bot.send("/abonner", user=OFFICIAL)
    day = in_days(bot, 10)
    dates = await load(bot, minutes(bot))
    shown = text_of(dates)
    assert french_spaces("Dates de « Conseil territorial » : 1 à venir") in shown
    assert "(1 date passée ignorée)" in shown
    assert "1/1 — Conseil de territoire" in shown
    when = format_date(day, "EEEE d MMMM y", locale="fr_FR")
    assert f"🗓 {when} à 18 h 30" in shown
    assert "📍 Salle du conseil" in shown
    assert french_spaces("📄 Source : Conseil territorial, page 2") in shown
    assert [label for label, _ in buttons(dates)] == ["✅ Ajouter", "✏️ Modifier", "✖️ Ignorer"]
    assert all(len(data.encode()) <= 64 for _, data in buttons(dates))

    await bot.press(dates, "✅ Ajouter")
    milestone = bot.milestone("Conseil de territoire")
    start = datetime(day.year, day.month, day.day, 18, 30, tzinfo=bot.tz)
    assert (milestone.start, milestone.precision) == (start.astimezone(UTC), Precision.EXACT)
    assert milestone.location == "Salle du conseil"
    assert milestone.source_title == "Conseil territorial, page 2"
    done = text_of(bot.current(dates))
    assert f"Jalon #{milestone.id} ajouté" in done
    assert "1 ajoutée au calendrier, 0 ignorée" in done
    assert not buttons(bot.current(dates))

    bot.clock.now = milestone.start - timedelta(seconds=TWO_HOURS) + timedelta(minutes=1)
    await bot.svc.reminders.run_due()
    [reminder] = bot.reminders_received()
    assert "Conseil de territoire" in text_of(reminder)
    assert "Salle du conseil" in text_of(reminder)

    [undo] = await bot.send("/annuler")  # an ordinary milestone: /annuler removes it
    assert "Conseil de territoire" in text_of(undo)
    await bot.press(undo, "↩️ Confirmer")
    assert milestones(bot, "Conseil de territoire") == 0


async def test_ignore_adds_nothing_and_nobody_else_may_press(bot: Bot) -> None:  # noqa: F811
    dates = await load(bot, pdf_file([
        f"Réunion publique le {written(in_days(bot, 5))} à la médiathèque.",
        f"Les candidatures sont à déposer avant le {written(in_days(bot, 20))}.",
    ]))
    assert "1/2 — Réunion publique" in text_of(dates)
    add = next(data for label, data in buttons(dates) if label == "✅ Ajouter")
    before = bot.state()
    answer = await bot.press(dates, data=add, user=OFFICIAL)  # forged: not an admin
    assert answer["show_alert"] and "réservée aux administrateurs" in answer["text"]
    assert bot.state() == before

    await bot.press(dates, "✖️ Ignorer")
    assert bot.state() == before
    shown = text_of(bot.current(dates))
    assert french_spaces("Ignorée : Réunion publique. Rien n'a été ajouté.") in shown
    assert french_spaces("1/1 — Date limite : candidatures") in shown
    await bot.press(dates, "✖️ Ignorer")
    assert "0 ajoutée au calendrier, 2 ignorées" in text_of(bot.current(dates))
    assert bot.state() == before


async def test_a_date_is_corrected_by_a_typed_reply_and_the_correction_survives_a_restart(
        bot: Bot) -> None:  # noqa: F811
    dates = await load(bot, minutes(bot))
    await bot.press(dates, "✏️ Modifier")
    ask = bot.last()
    assert "tapez ce qui change" in text_of(ask)
    before = bot.state()
    [refused] = await bot.send("date=31/02/2027")
    assert "n'existe pas au calendrier" in text_of(refused)
    assert "Rien n'a changé" in text_of(refused)
    assert bot.state() == before
    [shown] = await bot.send('titre="Conseil <extraordinaire> & vote" lieu="Mairie d\'Ivry"')
    assert "Corrigé, pas encore ajouté" in text_of(shown)
    assert "1/1 — Conseil <extraordinaire> & vote" in text_of(shown)  # escaped, shown as typed
    assert "📍 Mairie d'Ivry" in text_of(shown)
    assert bot.state() == before  # nothing added before « Ajouter »

    await bot.restart()
    await bot.press(shown, "✅ Ajouter")
    milestone = bot.milestone("Conseil <extraordinaire> & vote")
    assert milestone.location == "Mairie d'Ivry"
    assert milestone.source_title == "Conseil territorial, page 2"
    assert milestone.start.astimezone(bot.tz).time().isoformat() == "18:30:00"
    after = bot.state()
    answer = await bot.press(dates, "✅ Ajouter")  # the first screen's button, once more
    assert "déjà été ajoutée ou ignorée" in answer["text"]
    assert bot.state() == after


async def test_a_documents_dates_are_offered_again_from_the_list(bot: Bot) -> None:  # noqa: F811
    """Dates left aside at the upload are found later in /documents, the list kept."""
    dates = await load(bot, minutes(bot))
    assert "1/1 — Conseil de territoire" in text_of(dates)
    [listed] = await bot.send("/documents")
    label = french_spaces("📅 Dates de « Conseil territorial »")
    assert label in [label for label, _ in buttons(listed)]
    await bot.press(listed, label)
    again = bot.last()
    assert again["message_id"] > listed["message_id"]
    assert "Conseil territorial" in text_of(bot.current(listed))  # the list is still there
    assert "1/1 — Conseil de territoire" in text_of(again)
    await bot.press(again, "✅ Ajouter")
    assert milestones(bot, "Conseil de territoire") == 1
