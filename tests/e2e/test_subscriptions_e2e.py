"""Subscriptions and reminders end to end: the real bot, the loopback Bot API, real HTTP.

Time is controlled through the reminder service's clock; nothing waits for real days.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from icalendar import Calendar
from sqlmodel import Session, select

from bot.typography import french_spaces
from knowledge.models import Milestone, Precision, Subscriber, Subscription, utcnow
from knowledge.store import transaction

if TYPE_CHECKING:
    from tests.e2e.conftest import BotEnv

USER = 1001
OTHER = 3003


def buttons(message: dict) -> list[dict]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def add_milestone(env: BotEnv, start_in: timedelta, **fields: object) -> int:
    values = {"key": "test-copil", "project": "Plan vélo", "phase": "Copil",
              "title": "Copil du plan vélo", "precision": Precision.EXACT,
              "location": "Salle du conseil, Vitry-sur-Seine", **fields}
    with transaction(env.services.db) as session:
        milestone = Milestone(start=utcnow() + start_in, **values)
        session.add(milestone)
        session.flush()
        milestone_id = milestone.id
    env.services.knowledge_changed()
    return milestone_id


async def run_reminders_at(env: BotEnv, moment_offset: timedelta) -> None:
    """Let the reminder service believe it is now + offset, then run what is due."""
    reminders = env.services.reminders
    reminders.clock = lambda: utcnow() + moment_offset
    await reminders.run_due()


async def test_subscribe_to_a_project_list_and_remove_it_with_its_button(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/abonner plan velo")
    assert "Plan vélo" in reply["text"] and "🔔" in reply["text"], reply["text"]
    assert "Aucun rendez-vous à venir pour l'instant" in reply["text"]  # its dates are past
    [listing] = await bot_env.send("/abonnements")
    assert "Plan vélo" in listing["text"]
    remove = next(b for b in buttons(listing) if b["text"].startswith("❌"))
    await bot_env.press(USER, listing["message_id"], remove["callback_data"])
    [done] = await bot_env.replies(USER, listing["message_id"])
    assert "Désabonné" in done["text"]
    [empty] = await bot_env.send("/abonnements")
    assert "aucun abonnement" in empty["text"].lower()


async def test_an_ambiguous_topic_offers_buttons_and_a_press_subscribes(bot_env: BotEnv) -> None:
    [reply] = await bot_env.send("/abonner pcaet")  # PCAET and the PLUi-PCAET workshops
    offered = buttons(reply)
    if offered:  # several calendars match: choose one
        assert all(len(b["callback_data"].encode()) <= 64 for b in offered)
        await bot_env.press(USER, reply["message_id"], offered[0]["callback_data"])
        [reply] = await bot_env.replies(USER, reply["message_id"])
    assert "C'est noté" in reply["text"]
    with Session(bot_env.services.db) as session:
        topics = [s.topic for s in session.exec(select(Subscription))]
    assert len(topics) == 1 and "PCAET" in (topics[0] or "")


async def test_reminder_arrives_once_with_its_calendar_button(bot_env: BotEnv) -> None:
    milestone_id = add_milestone(bot_env, timedelta(days=1, minutes=5))
    [subscribed] = await bot_env.send("/abonner")
    assert "1 rendez-vous à venir pour l'instant" in subscribed["text"]
    since = bot_env.last_message_id(USER)
    await run_reminders_at(bot_env, timedelta(minutes=10))  # the "1 day before" is due
    [reminder] = await bot_env.replies(USER, since)
    assert "Copil du plan vélo" in reminder["text"] and "Salle du conseil" in reminder["text"]
    assert "Quand" in reminder["text"]
    await run_reminders_at(bot_env, timedelta(minutes=11))  # again: nothing new
    await bot_env.barrier()
    assert [m for m in bot_env.api.messages(USER) if m["message_id"] > since] == [reminder]

    [ics_button] = [b for b in buttons(reminder) if b["callback_data"].startswith("ics:")]
    assert ics_button["callback_data"] == f"ics:{milestone_id}"
    await bot_env.press(USER, reminder["message_id"], ics_button["callback_data"])
    await bot_env.api.wait_for_calls("sendDocument")
    [document] = bot_env.api.documents(USER)
    calendar = Calendar.from_ical(document["content"])
    [event] = list(calendar.walk("VEVENT"))
    assert "Copil du plan vélo" in str(event["SUMMARY"])


async def test_a_moved_milestone_is_reminded_at_its_new_time_only(bot_env: BotEnv) -> None:
    await bot_env.send("/abonner")
    milestone_id = add_milestone(bot_env, timedelta(days=1, minutes=5))
    with transaction(bot_env.services.db) as session:  # moved one week later
        milestone = session.get(Milestone, milestone_id)
        milestone.start = milestone.start + timedelta(days=7)
        milestone.updated_at = utcnow()
        session.add(milestone)
    bot_env.services.knowledge_changed()
    since = bot_env.last_message_id(USER)
    await run_reminders_at(bot_env, timedelta(minutes=10))  # the old "1 day before"
    await bot_env.barrier()
    assert [m for m in bot_env.api.messages(USER) if m["message_id"] > since] == []
    await run_reminders_at(bot_env, timedelta(days=7, minutes=10))
    [reminder] = await bot_env.replies(USER, since)
    assert "Copil du plan vélo" in reminder["text"]


async def test_a_subscriber_who_blocked_the_bot_is_deactivated_others_still_reminded(
    bot_env: BotEnv,
) -> None:
    await bot_env.send("/abonner")
    await bot_env.send("/abonner", chat_id=OTHER)
    add_milestone(bot_env, timedelta(days=1, minutes=5))
    bot_env.api.block(OTHER)
    bot_env.allow_failure(lambda call: call.chat_id == OTHER and call.error_code == 403)
    since = bot_env.last_message_id(USER)
    first_call = len(bot_env.api.sent)
    await run_reminders_at(bot_env, timedelta(minutes=10))
    [reminder] = await bot_env.replies(USER, since)
    assert "Copil" in reminder["text"]
    with Session(bot_env.services.db) as session:
        blocked = session.exec(select(Subscriber).where(Subscriber.chat_id == OTHER)).one()
    assert blocked.active is False
    tried = [c for c in bot_env.api.sent[first_call:] if c.chat_id == OTHER]
    assert [(c.method, c.error_code) for c in tried] == [("sendMessage", 403)]  # no retry


async def test_a_429_on_a_reminder_is_waited_out_once_by_the_scheduler(bot_env: BotEnv) -> None:
    """The production notifier has no PTB rate limiter: Telegram's 429 reaches the scheduler,
    which waits `retry_after` once and sends the reminder again (PTB does not retry it)."""
    await bot_env.send("/abonner")
    add_milestone(bot_env, timedelta(days=1, minutes=5))
    bot_env.api.fail_next("sendMessage", chat_id=USER, error_code=429,
                          description="Too Many Requests: retry after 1", retry_after=1)
    bot_env.allow_failure(lambda call: call.chat_id == USER and call.error_code == 429)
    first_call = len(bot_env.api.sent)
    sent_before = len([c for c in bot_env.api.sent if c.method == "sendMessage"])
    reminders = bot_env.services.reminders
    reminders.clock = lambda: utcnow() + timedelta(minutes=10)
    # this run sends it, or the wake-up the change planned does (one run at a time): the
    # reminder's two calls are awaited, whichever run makes them
    await reminders.run_due()
    await bot_env.api.wait_for_calls("sendMessage", count=sent_before + 2, timeout=10)
    await reminders.run_due()  # nothing left: sent once
    await bot_env.barrier()
    calls = [c for c in bot_env.api.sent[first_call:]
             if c.method == "sendMessage" and c.chat_id == USER]
    assert [c.error_code for c in calls] == [429, None]
    assert 1.0 <= calls[1].at - calls[0].at < 2.0  # retry_after waited, and only once
    [reminder] = [m for m in bot_env.api.messages(USER) if "Copil" in m["text"]]
    assert reminder["text"].startswith("🔔 Rappel")


async def test_reminder_offsets_are_validated_and_saved(bot_env: BotEnv) -> None:
    [refused] = await bot_env.send("/rappels demain matin")
    assert "non compris" in refused["text"] and "Rien n'a changé" in refused["text"]
    with Session(bot_env.services.db) as session:
        assert session.exec(select(Subscriber)).all() == []
    [saved] = await bot_env.send("/rappels 2h 30m")
    assert "2 h" in saved["text"] and "30 min" in saved["text"]
    with Session(bot_env.services.db) as session:
        subscriber = session.exec(select(Subscriber)).one()
    assert subscriber.offsets == [7200, 1800]


async def test_resume_shows_this_weeks_digest_with_a_button_for_every_monday(
    bot_env: BotEnv,
) -> None:
    [empty] = await bot_env.send("/resume")  # the seminar's milestones are all past
    assert empty["text"].startswith(
        french_spaces("🗓️ Vos rendez-vous des 14 prochains jours : aucun"))
    add_milestone(bot_env, timedelta(days=3))
    add_milestone(bot_env, timedelta(days=30), key="later", title="Bilan annuel")
    [digest] = await bot_env.send("/resume")
    lines = digest["text"].splitlines()
    assert lines[0] == french_spaces("🗓️ Vos rendez-vous des 14 prochains jours :")
    assert "Copil du plan vélo" in lines[2] and "Bilan annuel" not in digest["text"]
    with Session(bot_env.services.db) as session:
        assert not session.exec(select(Subscriber)).all()  # showing it subscribes nobody
    [weekly] = buttons(digest)
    assert weekly["text"] == "📬 Le recevoir chaque lundi"
    await bot_env.press(USER, digest["message_id"], weekly["callback_data"])
    [on] = await bot_env.replies(USER, digest["message_id"])
    assert "activé" in on["text"]
    [stop] = buttons(on)
    assert stop["text"] == "🔕 Ne plus le recevoir"
    [again] = await bot_env.send("/resume")
    assert [b["text"] for b in buttons(again)] == ["🔕 Ne plus le recevoir"]
    await bot_env.press(USER, again["message_id"], stop["callback_data"])
    [off] = await bot_env.replies(USER, again["message_id"])
    assert "désactivé" in off["text"]
    with Session(bot_env.services.db) as session:
        assert session.exec(select(Subscriber)).one().digest is False


async def test_calendar_export_sends_upcoming_milestones(bot_env: BotEnv) -> None:
    [none] = await bot_env.send("/agenda_ics")  # the seminar's calendar is all in the past
    assert "Aucun rendez-vous à venir" in none["text"]
    add_milestone(bot_env, timedelta(days=3))
    await bot_env.api.user_sends("/agenda_ics", user_id=USER)
    await bot_env.api.wait_for_calls("sendDocument")
    [document] = bot_env.api.documents(USER)
    assert document["file_name"].endswith(".ics")
    events = list(Calendar.from_ical(document["content"]).walk("VEVENT"))
    assert [str(e["SUMMARY"]) for e in events] == ["Copil du plan vélo"]


async def test_remind_me_button_on_the_agenda_subscribes_to_the_project(bot_env: BotEnv) -> None:
    add_milestone(bot_env, timedelta(days=3))
    [agenda] = await bot_env.send("/agenda")
    remind = next(b for b in buttons(agenda) if b["callback_data"].startswith("sub:m:"))
    await bot_env.press(USER, agenda["message_id"], remind["callback_data"])
    [reply] = await bot_env.replies(USER, agenda["message_id"])
    assert "Plan vélo" in reply["text"]


async def test_a_digest_longer_than_a_message_arrives_in_several(bot_env: BotEnv) -> None:
    """~44 seed-length milestones, 4 with every field at its maximum (issue #10.2): the
    digest used to be refused by Telegram and marked skipped; now it comes in parts."""
    from scheduler.reminders import last_digest_instant, set_digest

    tz = bot_env.services.settings.tz
    monday = last_digest_instant(utcnow() + timedelta(days=7), tz) + timedelta(minutes=1)
    long = {"title": "T" * 299 + "é", "project": "P" * 200, "phase": "F" * 200,
            "location": "L" * 300}
    for n in range(44):
        fields = long if n % 11 == 0 else {
            "title": f"Comité de pilotage n° {n} du plan vélo", "phase": f"Étape {n}"}
        add_milestone(bot_env, monday - utcnow() + timedelta(hours=6 * n + 1),
                      key=f"copil-{n}", **fields)
    bot_env.api.add_chat(USER)  # the official has opened the bot
    with transaction(bot_env.services.db) as session:  # as /resume's button does
        set_digest(session, USER, True)
    since = bot_env.last_message_id(USER)
    reminders = bot_env.services.reminders
    reminders.clock = lambda: monday
    stats = await reminders.send_digest()
    assert (stats.sent, stats.rejected) == (1, 0)
    parts = [m["text"] for m in bot_env.api.messages(USER) if m["message_id"] > since]
    assert len(parts) > 1 and all(len(p) <= 4096 for p in parts)
    lines = "\n".join(parts).splitlines()
    assert sum(line.startswith("• ") for line in lines) == 44
    assert bot_env.unexpected_failures() == []
