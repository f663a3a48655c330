"""A moved milestone's notice end to end: admin commands in, one document out per follower.

The pending notice job is brought forward in the real scheduler instead of waiting a minute.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.texts import NOTICE_NOBODY
from bot.typography import french_spaces
from knowledge.models import Milestone, Precision, utcnow
from knowledge.store import transaction

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

ADMIN, USER, OTHER = 4242, 1001, 3003
PARIS = ZoneInfo("Europe/Paris")


def _day(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y")


async def test_moving_then_cancelling_a_milestone_tells_its_followers_once(
    bot_env: BotEnv,
) -> None:
    first = (utcnow() + timedelta(days=20)).astimezone(PARIS).replace(
        hour=10, minute=0, second=0, microsecond=0)
    moved = first + timedelta(days=7)
    with transaction(bot_env.services.db) as session:  # in the base for a while already
        milestone = Milestone(key="copil-velo", project="Plan vélo", title="Copil vélo",
                              start=first, precision=Precision.EXACT, location="Salle A")
        session.add(milestone)
        session.flush()
        milestone_id = milestone.id
    await bot_env.send("/abonner", chat_id=USER)  # everything
    await bot_env.send("/abonner voirie", chat_id=OTHER)  # not this milestone
    await bot_env.send(f"/modifier jalon {milestone_id} date={_day(first + timedelta(days=1))}",
                       chat_id=ADMIN)
    await bot_env.send(f"/modifier jalon {milestone_id} date={_day(moved)}", chat_id=ADMIN)
    notices = bot_env.services.reminders.notices
    notices.pending(milestone_id).modify(next_run_time=datetime.now(UTC))
    await bot_env.api.wait_for_calls("sendDocument")
    await bot_env.barrier()
    [document] = bot_env.api.documents(USER)
    assert document["caption"].startswith(french_spaces("⚠️ Reporté : Copil vélo du "))
    assert "→" in document["caption"] and "(lieu inchangé)" in document["caption"]
    [event] = Calendar.from_ical(document["content"]).walk("VEVENT")
    assert event.decoded("DTSTART") == moved
    assert bot_env.api.documents(OTHER) == []

    [confirm] = await bot_env.send(f"/supprimer jalon {milestone_id}", chat_id=ADMIN)
    yes = confirm["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await bot_env.press(ADMIN, confirm["message_id"], yes)
    notices.pending(milestone_id).modify(next_run_time=datetime.now(UTC))
    await bot_env.api.wait_for_calls("sendDocument", count=2)
    await bot_env.barrier()
    cancelled = bot_env.api.documents(USER)[-1]
    assert cancelled["caption"].startswith(french_spaces("⚠️ Annulé : Copil vélo du "))
    assert Calendar.from_ical(cancelled["content"])["METHOD"] == "CANCEL"
    assert len(bot_env.api.documents(USER)) == 2 and bot_env.api.documents(OTHER) == []
    assert bot_env.unexpected_failures() == []


async def test_a_notice_whose_file_fails_once_sends_its_text_once(bot_env: BotEnv) -> None:
    """Issue #18.3c: a notice too long for a caption goes as a message, then the .ics; when
    the file failed (a 500) the retry sent the message again. Now the file alone goes again."""
    start = (utcnow() + timedelta(days=20)).astimezone(PARIS).replace(
        hour=10, minute=0, second=0, microsecond=0)
    with transaction(bot_env.services.db) as session:
        milestone = Milestone(key="copil", project="Plan vélo", title="Copil " + "v" * 290,
                              start=start, precision=Precision.EXACT, location="A" * 300)
        session.add(milestone)
        session.flush()
        milestone_id = milestone.id
    await bot_env.send("/abonner", chat_id=USER)
    await bot_env.send(f"/modifier jalon {milestone_id} lieu={'B' * 300}", chat_id=ADMIN)
    bot_env.api.fail_next("sendDocument", chat_id=USER)
    bot_env.allow_failure(lambda call: call.method == "sendDocument" and call.error_code == 500)
    before = len(bot_env.api.messages(USER))
    notices = bot_env.services.reminders.notices
    notices.pending(milestone_id).modify(next_run_time=datetime.now(UTC))
    await bot_env.api.wait_for_calls("sendDocument", ok=True)
    await bot_env.barrier()
    text, document = bot_env.api.messages(USER)[before:]
    assert text["text"].startswith(french_spaces("⚠️ Changement de lieu : Copil vvv"))
    assert len(text["text"]) > 1024 and "B" * 300 in text["text"]
    assert "caption" not in document and document["document"]["file_name"].endswith(".ics")
    assert len(bot_env.api.calls("sendDocument")) == 2  # the failed one, then the file alone
    assert bot_env.unexpected_failures() == []


async def test_a_milestone_change_says_how_many_followers_will_be_told_and_when(
    bot_env: BotEnv,
) -> None:
    """Issue #19.5: the admin's confirmation says who will hear of a change, and when (the
    notice waits for a quiet minute); a change no one hears of says so, or nothing."""
    first = (utcnow() + timedelta(days=20)).astimezone(PARIS).replace(
        hour=10, minute=0, second=0, microsecond=0)
    with transaction(bot_env.services.db) as session:  # in the base for a while already
        milestone = Milestone(key="copil-velo", project="Plan vélo", title="Copil vélo",
                              start=first, precision=Precision.EXACT)
        alone = Milestone(key="atelier", project="Plan lumière", title="Atelier",
                          start=first, precision=Precision.EXACT)
        session.add_all([milestone, alone])
        session.flush()
        milestone_id, alone_id = milestone.id, alone.id
    await bot_env.send("/abonner Plan vélo", chat_id=USER)
    await bot_env.send("/abonner Plan vélo", chat_id=OTHER)
    sent_at = utcnow()
    [moved] = await bot_env.send(f"/modifier jalon {milestone_id} date="
                                 f"{_day(first + timedelta(days=1))}", chat_id=ADMIN)
    times = {_hour(moment + timedelta(minutes=1)) for moment in (sent_at, utcnow())}
    assert any(french_spaces(f"📣 2 abonnés recevront l'avis à {time} : une minute après "
                             "votre dernière modification") in moved["text"]
               for time in times), moved["text"]
    [renamed] = await bot_env.send(f'/modifier jalon {milestone_id} titre="Copil"',
                                   chat_id=ADMIN)
    assert "📣 2 abonnés recevront l'avis" in renamed["text"]  # the move is still pending
    [nobody] = await bot_env.send(f"/modifier jalon {alone_id} heure=11h", chat_id=ADMIN)
    assert french_spaces(NOTICE_NOBODY) in nobody["text"]


def _hour(moment: datetime) -> str:
    local = moment.astimezone(PARIS)
    return f"{local.hour} h {local.minute:02d}" if local.minute else f"{local.hour} h"
