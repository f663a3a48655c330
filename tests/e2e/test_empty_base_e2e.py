"""A base of documents only (`mandat-bot init --empty`, then one document loaded): every
menu and command an official tries says plainly what the base does not hold and points to
the document; none shows an empty list or « 0 axes »."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from test_admin_e2e import (
    OFFICIAL,
    Bot,
    buttons,
    import_parser,  # noqa: F401 - the admin tests' fixture
    running_bot,
    text_of,
)

from bench.files import pdf_file
from bot.handlers import FloodGuard
from bot.offload import ImportParser
from bot.typography import french_spaces
from knowledge.seed import ensure_empty

TITLE = "Compte rendu du conseil"
POOL = ["Piscines\n\nLa piscine municipale de Choisy-le-Roi rouvrira ses bassins en septembre "
        "2027 après dix-huit mois de travaux."]
EMPTY_LIST = re.compile(r"\b0 (axes|élus|priorités|chiffres|communes)\b|s'organise en 0")


@pytest.fixture
async def documents_only(empty_db: Engine, tz: ZoneInfo,
                         import_parser: ImportParser) -> AsyncIterator[Bot]:  # noqa: F811
    """A base started as `mandat-bot init --empty` does, and one PDF loaded by an admin."""
    ensure_empty(empty_db)
    async with running_bot(empty_db, tz, import_parser) as bot:
        bot.app.bot_data["flood_guard"] = FloodGuard(limit=10**6)  # one official tries it all
        [preview] = await bot.send_file("cr.pdf", pdf_file(POOL), caption=TITLE)
        await bot.press(preview, "✅ Confirmer")
        yield bot


def says_plainly(message: dict) -> str:
    """The text, checked: no empty list, no « 0 axes »."""
    text = text_of(message)
    assert not EMPTY_LIST.search(text), text
    assert text.strip() not in ("Chiffres clés", "Chiffres par commune"), text
    return text


async def test_every_menu_of_a_documents_only_base_says_what_it_holds(
        documents_only: Bot) -> None:
    bot = documents_only
    pointer = french_spaces(f"je réponds à partir des documents chargés (« {TITLE} »)")
    [welcome] = await bot.send("/start", user=OFFICIAL)
    assert french_spaces(f"Je réponds à partir des documents chargés : « {TITLE} »") in (
        says_plainly(welcome))
    assert "qui s'occupe du logement" not in text_of(welcome)  # no example it cannot answer
    assert [label for label, _ in buttons(welcome)] == ["📅 Agenda", "❓ Aide"]

    for command, missing in [("/priorites", "les axes ni les priorités du mandat"),
                             ("/elus", "la liste des élus"), ("/chiffres", "de chiffres clés")]:
        [screen] = await bot.send(command, user=OFFICIAL)
        shown = says_plainly(screen)
        assert f"Cette base ne contient pas {missing}." in shown and pointer in shown, command
        assert [label for label, _ in buttons(screen)] == ["⬅️ Retour"]
        await bot.press(screen, "⬅️ Retour", user=OFFICIAL)
        assert buttons(bot.current(screen)) == buttons(welcome)

    [help_] = await bot.send("/aide", user=OFFICIAL)
    shown = says_plainly(help_)
    assert french_spaces(f"Répondre à partir des documents chargés (« {TITLE} »)") in shown
    assert "/priorites" not in shown and "/elus" not in shown and "/chiffres" not in shown
    assert "/agenda" in shown and "/chercher" in shown

    [agenda] = await bot.send("/agenda", user=OFFICIAL)
    assert "Aucun rendez-vous à venir" in says_plainly(agenda)

    source = french_spaces(f"Source : {TITLE}, page 1")
    for asked in ["/chercher piscine", "quand rouvre la piscine de Choisy ?"]:
        [answer] = await bot.send(asked, user=OFFICIAL)
        assert "rouvrira ses bassins en septembre 2027" in says_plainly(answer), asked
        assert source in text_of(answer), asked
    for asked in ["les axes du mandat", "qui s'occupe du logement ?", "menu"]:
        [reply] = await bot.send(asked, user=OFFICIAL)
        assert "qui s'occupe du logement ? »" not in says_plainly(reply), asked
    assert says_plainly(reply).startswith("Bonjour")  # « menu »: the welcome
