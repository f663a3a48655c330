"""What an official sees when asking when a project happens (issue 19, item 7): upcoming
dates first, past ones after and marked, an admin's date citing that admin, and no reminder
button for a project that has nothing left to come."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.typography import french_spaces

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

ADMIN, OFFICIAL = 4242, 1001  # the fixture's one admin, and an official


def buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


async def test_upcoming_dates_come_first_and_cite_the_admin_who_added_them(
    bot_env: BotEnv,
) -> None:
    tz = bot_env.services.settings.tz
    day = datetime.now(tz) + timedelta(days=40)
    [added] = await bot_env.send(
        f'/ajouter jalon titre="Vote du PCAET" projet=PCAET etape="Vote final" '
        f'date={day:%d/%m/%Y} heure=10h', chat_id=ADMIN, first_name="Claire",
        last_name="<Durand>")
    assert "ajouté" in added["text"], added["text"]

    [reply] = await bot_env.send("pcaet c quand", chat_id=OFFICIAL)
    lines = reply["text"].splitlines()
    steps = [line for line in lines if line.startswith("• ")]
    assert steps[0].startswith(french_spaces("• Vote final :")) and "passé" not in steps[0], lines
    assert len(steps) > 1 and all("passé" in step for step in steps[1:]), lines
    source = next(line for line in lines if line.startswith("Source"))
    today = datetime.now(tz)
    assert f"ajouté par Claire <Durand> le {today:%d/%m/%Y}" in source, source
    assert [b["text"] for b in buttons(reply) if "🔔" in b["text"]] == ["🔔 Me rappeler"]


async def test_no_reminder_button_for_a_project_whose_dates_are_all_past(
    bot_env: BotEnv,
) -> None:
    [reply] = await bot_env.send("plan velo c quand")  # the seminar's dates: all past
    assert "Calendrier — Plan vélo" in reply["text"], reply["text"]
    assert all("passé" in line for line in reply["text"].splitlines() if line.startswith("• "))
    assert [b for b in buttons(reply) if "🔔" in b["text"]] == []
