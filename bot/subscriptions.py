"""Subscriptions and reminders on the Telegram side: the commands
/abonner, /desabonner, /abonnements, /rappels, /resume, /agenda_ics and their buttons."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable

from sqlmodel import Session
from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot import texts
from bot.callbacks import (
    NO,
    SETTING_DIGEST,
    SETTING_OFFSETS,
    SUBSCRIBE_MILESTONE,
    SUBSCRIPTION_PREFIXES,
    YES,
    Prefix,
    parse,
    parse_id,
    pattern,
)
from bot.context import Services, services
from bot.formatting import button, display_name, distinct_labels, esc, keyboard
from bot.paging import nav_row, page_suffix, paginate
from bot.screens import Screen
from bot.sending import send_html, show
from bot.settings import parse_offsets
from knowledge import models
from knowledge.engine import AnswerEngine
from knowledge.models import utcnow
from knowledge.store import in_session, in_transaction, upcoming_milestones
from knowledge.text import normalize
from scheduler import ics, reminders
from scheduler import texts as scheduler_texts

log = logging.getLogger(__name__)


async def _changed(svc: Services) -> None:
    if svc.reminders is not None:  # it reads the database: in a worker thread
        await asyncio.to_thread(svc.reminders.reschedule_all)


async def subscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/abonner [projet ou thème]: everything, or the project the text designates."""
    svc = services(context)
    topic = " ".join(context.args or []).strip() or None
    if topic is not None:
        projects = await svc.answering(lambda engine: _matching_projects(engine, topic))
        if len(projects) > 1:
            rows = [[button(f"🔔 {name}", Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE, mid)]
                    for name, mid in projects[:3]]
            await send_html(update.effective_message,
                            texts.SUB_WHICH.format(topic=esc(topic)),
                            keyboard(rows))
            return
        if projects:
            topic = projects[0][0]
        elif not await _offer_nearest_projects(update, svc, topic):
            return
    await _subscribe(update, svc, topic)


async def _offer_nearest_projects(update: Update, svc: Services, topic: str) -> bool:
    """For a topic no milestone falls under, offer the nearest projects instead of a
    subscription to nothing; True when the topic is known (go on and subscribe)."""
    def nearest(session: Session) -> list[tuple[str, int]] | None:
        if reminders.known_topic(session, topic):
            return None
        return reminders.nearest_projects(session, topic, utcnow())

    try:
        offered = await in_session(svc.db, nearest)
    except ValueError as exc:  # a topic too long to be one
        await send_html(update.effective_message, esc(str(exc)))
        return False
    if offered is None:
        return True
    if not offered:
        await send_html(update.effective_message, texts.SUB_UNKNOWN_NONE.format(topic=esc(topic)))
        return False
    rows = [[button(f"🔔 {name}", Prefix.SUBSCRIBE, SUBSCRIBE_MILESTONE, mid)]
            for name, mid in offered]
    await send_html(update.effective_message, texts.SUB_UNKNOWN.format(topic=esc(topic)),
                    keyboard(rows))
    return False


def _matching_projects(engine: AnswerEngine, topic: str) -> list[tuple[str, int]]:
    """Projects of the calendar the words designate (best first), with a milestone id."""
    found: list[tuple[str, int]] = []
    for answer in engine.search(topic, limit=5):
        match = answer.matches[0] if answer.matches else None
        if match and match.kind == "project" and answer.milestone_ids:
            name = engine.view.projects[match.entry_id].name
            if all(name != n for n, _ in found):
                found.append((name, answer.milestone_ids[0]))
    exact = [item for item in found if normalize(item[0]) == normalize(topic)]
    return exact or found


async def _subscribe(update: Update, svc: Services, topic: str | None) -> None:
    chat_id, name = update.effective_chat.id, display_name(update.effective_sender)

    def subscribe(session: Session) -> tuple[bool, int]:
        _, created = reminders.subscribe(session, chat_id, name, topic)
        return created, len(reminders.matching_milestones(session, topic, utcnow()))

    try:
        created, count = await in_transaction(svc.db, subscribe)
    except ValueError as exc:
        await send_html(update.effective_message, esc(str(exc)))
        return
    await _changed(svc)
    what = texts.SUB_TOPIC.format(topic=esc(topic)) if topic else texts.SUB_EVERYTHING
    text = (texts.SUB_DONE if created else texts.SUB_ALREADY).format(what=what)
    text += "\n" + (texts.SUB_COUNT.format(count=count) if count else texts.SUB_NONE_YET)
    text += "\n" + texts.SUB_OFFSETS_HINT
    await send_html(update.effective_message, text)


async def unsubscribe_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/desabonner [projet ou thème]: stop one subscription, or all of them."""
    svc = services(context)
    topic = " ".join(context.args or []).strip() or None
    chat_id = update.effective_chat.id

    def unsubscribe(session: Session) -> tuple[reminders.Unsubscribed, list[str | None]]:
        done = reminders.unsubscribe(session, chat_id, topic)
        return done, [s.topic for s in reminders.subscriptions_of(session, chat_id)]

    try:
        done, left = await in_transaction(svc.db, unsubscribe)
    except ValueError as exc:  # a topic too long to be one
        await send_html(update.effective_message, esc(str(exc)))
        return
    await _changed(svc)
    await send_html(update.effective_message, _unsubscribed_text(done, left))


def _unsubscribed_text(done: reminders.Unsubscribed, left: list[str | None]) -> str:
    """What /desabonner removed (each topic named), and what is still followed."""
    if not done.topics and not done.digest_stopped:
        return texts.UNSUB_NONE
    lines = []
    if done.topics:
        lines.append(texts.UNSUB_DONE.format(topics=_topic_list(done.topics)))
    if done.digest_stopped:
        lines.append(texts.UNSUB_DIGEST)
    if left:
        lines.append(texts.UNSUB_LEFT.format(topics=_topic_list(left)))
    return "\n".join(lines)


def _topic_list(topics: list[str | None]) -> str:
    return ", ".join(texts.SUB_TOPIC.format(topic=esc(t)) if t else texts.SUB_EVERYTHING
                     for t in topics)


async def subscriptions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/abonnements: mine, each with a button to remove it (paged)."""
    screen = await subscriptions_page(services(context), update.effective_chat.id, 0)
    await send_html(update.effective_message, *screen)


async def on_subscriptions_page(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'subs:<page>': another page of /abonnements."""
    parsed = parse(update.callback_query.data)
    page = parse_id(parsed.args[0]) if parsed and parsed.args else None
    if page is None or update.effective_chat is None:
        await update.callback_query.answer(texts.SUB_STALE, show_alert=True)
        return
    await show(update, await subscriptions_page(services(context), update.effective_chat.id,
                                                page))


async def subscriptions_page(svc: Services, chat_id: int, page: int) -> Screen:
    """/abonnements: what the chat follows (each with a remove button), its reminder delays
    and its Monday summary, with buttons to change them."""
    subs, subscriber = await in_session(svc.db, lambda session: (
        reminders.subscriptions_of(session, chat_id), reminders.subscriber_of(session, chat_id)))
    offsets = _offsets_of(svc, subscriber)
    digest = bool(subscriber and subscriber.digest)
    shown = paginate(subs, page)
    if subs:
        lines = [texts.SUBS_TITLE + page_suffix(shown)]
        lines += [f"• {esc(s.topic) if s.topic else texts.SUBS_EVERYTHING}" for s in shown.items]
    else:
        lines = [texts.SUBS_NONE]
    lines += ["", texts.SUBS_OFFSETS.format(offsets=_durations(offsets)),
              texts.SUBS_DIGEST_ON if digest else texts.SUBS_DIGEST_OFF, "", texts.SUBS_CHANGE]
    labels = distinct_labels([texts.SUBS_REMOVE.format(topic=s.topic or texts.SUBS_ALL)
                              for s in shown.items])
    rows = [[button(label, Prefix.UNSUBSCRIBE, s.id)]
            for label, s in zip(labels, shown.items, strict=True)]
    rows.append(nav_row(shown, Prefix.SUBSCRIPTIONS))
    rows += _offset_rows(offsets, page)
    rows.append([button(texts.DIGEST_UNSUBSCRIBE if digest else texts.DIGEST_SUBSCRIBE,
                        Prefix.SUBS_SETTING, SETTING_DIGEST, NO if digest else YES, page)])
    return "\n".join(lines), keyboard(rows)


def _offset_rows(current: list[int], page: int) -> list[list[object]]:
    """One button per preset of delays, the current one ticked."""
    rows = []
    for label, seconds in texts.OFFSET_PRESETS:
        shown = texts.OFFSET_CURRENT.format(label=label) if list(seconds) == current else label
        rows.append([button(shown, Prefix.SUBS_SETTING, SETTING_OFFSETS, page, *seconds)])
    return rows


def _offsets_of(svc: Services, subscriber: models.Subscriber | None) -> list[int]:
    if subscriber and subscriber.offsets:
        return list(subscriber.offsets)
    return svc.settings.offsets_seconds


async def on_subscription_setting(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'subset:dg:ok|no:<page>' / 'subset:off:<page>:<seconds>…' from /abonnements: change the
    Monday summary or the delays, then show the screen again with the new state."""
    parsed = parse(update.callback_query.data)
    args = parsed.args if parsed else []
    change = _setting_change(args, update.effective_chat.id if update.effective_chat else None)
    if change is None:
        await update.callback_query.answer(texts.SUB_STALE, show_alert=True)
        return
    svc = services(context)
    try:
        await in_transaction(svc.db, change)
    except ValueError:  # forged delays (out of range)
        await update.callback_query.answer(texts.SUB_STALE, show_alert=True)
        return
    await _changed(svc)
    page = parse_id(args[2] if args[0] == SETTING_DIGEST else args[1]) or 0
    await show(update, await subscriptions_page(svc, update.effective_chat.id, page))


def _setting_change(args: list[str], chat_id: int | None) -> Callable[[Session], object] | None:
    """The store change a settings button asks for, or None if the data is not ours."""
    if chat_id is None or not args:
        return None
    if args[0] == SETTING_DIGEST and len(args) == 3 and args[1] in (YES, NO):
        enabled = args[1] == YES
        return lambda session: reminders.set_digest(session, chat_id, enabled)
    numbers = [parse_id(a) for a in args[1:]]
    if args[0] == SETTING_OFFSETS and len(numbers) >= 2 and None not in numbers:
        seconds = numbers[1:]
        return lambda session: reminders.set_offsets(session, chat_id, seconds)
    return None


def _duration(seconds: int) -> str:
    for unit, size in texts.DURATION_UNITS:
        if seconds % size == 0:
            return f"{seconds // size} {unit}"
    return f"{seconds} {texts.SECONDS_UNIT}"


def _durations(seconds: list[int]) -> str:
    return ", ".join(_duration(s) for s in seconds)


async def offsets_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/rappels: the current delays; /rappels 7j 1j 2h or « 1 semaine et la veille »: set them
    (a text not understood is told and changes nothing)."""
    svc = services(context)
    text = " ".join(context.args or [])
    chat_id = update.effective_chat.id
    if not text.strip():
        subscriber = await in_session(svc.db, lambda session: reminders.subscriber_of(
            session, chat_id))
        now = texts.OFFSETS_NOW.format(offsets=_durations(_offsets_of(svc, subscriber)))
        await send_html(update.effective_message, f"{now}\n{texts.OFFSETS_USAGE}")
        return
    try:
        seconds = parse_offsets(text)
    except ValueError as exc:
        await send_html(update.effective_message,
                        f"{esc(str(exc))}\n{texts.OFFSETS_UNCHANGED}")
        return
    await in_transaction(svc.db, lambda session: reminders.set_offsets(
        session, chat_id, seconds))
    await _changed(svc)
    await send_html(update.effective_message, texts.OFFSETS_SET.format(
        offsets=_durations(seconds)))


async def digest_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/resume: this week's digest now (what Monday's would say), and a button to get it
    every Monday, or to stop."""
    svc = services(context)
    now = utcnow()
    milestones, enabled = await in_session(svc.db, lambda session: reminders.digest_now(
        session, update.effective_chat.id, now))
    text = scheduler_texts.digest_text(milestones, now, svc.settings.tz, reminders.DIGEST_DAYS)
    state = texts.DIGEST_STATE_ON if enabled else texts.DIGEST_STATE_OFF
    await send_html(update.effective_message, f"{esc(text)}\n\n{state}",
                    _digest_keyboard(enabled))


def _digest_keyboard(enabled: bool) -> object:
    if enabled:
        return keyboard([[button(texts.DIGEST_UNSUBSCRIBE, Prefix.DIGEST, NO)]])
    return keyboard([[button(texts.DIGEST_SUBSCRIBE, Prefix.DIGEST, YES)]])


async def on_digest_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'dg:ok' / 'dg:no': the weekly digest on or off (pressing twice changes nothing)."""
    query = update.callback_query
    parsed = parse(query.data)
    wanted = parsed.args[-1:] if parsed else []
    if wanted not in ([YES], [NO]) or update.effective_chat is None:
        await query.answer(texts.SUB_STALE, show_alert=True)
        return
    svc = services(context)
    enabled = await in_transaction(svc.db, lambda session: reminders.set_digest(
        session, update.effective_chat.id, wanted == [YES]))
    await _changed(svc)
    await query.answer()
    await send_html(update.effective_message, texts.DIGEST_ON if enabled else texts.DIGEST_OFF,
                    _digest_keyboard(enabled))


async def agenda_ics_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/agenda_ics: the upcoming milestones as an .ics file."""
    svc = services(context)
    milestones = await in_session(svc.db, lambda session: upcoming_milestones(session,
                                                                              utcnow()))
    if not milestones:
        await send_html(update.effective_message,
                        texts.AGENDA_NONE_UPCOMING)
        return
    data = await asyncio.to_thread(ics.milestones_ics, milestones, svc.settings.tz)
    await update.effective_message.reply_document(
        io.BytesIO(data), filename=ics.ics_filename(),
        caption=texts.ICS_ALL_CAPTION.format(count=len(milestones)))


async def on_subscription_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'sub:m:<id>' (remind me of this milestone's project), 'unsub:<id>', 'ics:<id>'."""
    query = update.callback_query
    svc = services(context)
    parsed = parse(query.data)
    head = parsed.prefix if parsed else None
    number = parse_id(parsed.args[-1]) if parsed and parsed.args else None
    if number is None or update.effective_chat is None or update.effective_message is None:
        await query.answer(texts.SUB_STALE, show_alert=True)
        return
    chat_id = update.effective_chat.id
    if head is Prefix.UNSUBSCRIBE:  # only the presser's own: ids are sequential
        subscription = await in_session(svc.db, lambda session: reminders.owned_subscription(
            session, chat_id, number))
        topic = subscription.topic if subscription else None
        exists = subscription is not None
    else:
        milestone = await in_session(svc.db, lambda session: session.get(models.Milestone,
                                                                         number))
        exists = milestone is not None
    if not exists:
        await query.answer(texts.SUB_STALE, show_alert=True)
        return
    if head is Prefix.SUBSCRIBE:
        await _subscribe(update, svc, milestone.project)
    elif head is Prefix.ICS:
        await update.effective_message.reply_document(
            io.BytesIO(ics.milestone_ics(milestone, svc.settings.tz)),
            filename=ics.ics_filename(milestone),
            caption=texts.ICS_ONE_CAPTION.format(title=esc(milestone.title)))
    else:
        await in_transaction(svc.db, lambda session: reminders.unsubscribe(session, chat_id,
                                                                           topic))
        await _changed(svc)
        await send_html(update.effective_message,
                        texts.UNSUB_ONE.format(topic=esc(topic) if topic else texts.SUB_EVERYTHING))
    await query.answer()  # last: a failure can still be told in the alert (never twice)


def register_subscription_handlers(application: Application) -> None:
    commands = {
        "abonner": subscribe_command,
        "desabonner": unsubscribe_command,
        "abonnements": subscriptions_command,
        "rappels": offsets_command,
        "resume": digest_command,
        "agenda_ics": agenda_ics_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(
        CallbackQueryHandler(on_subscription_button, pattern=pattern(*SUBSCRIPTION_PREFIXES)))
    application.add_handler(CallbackQueryHandler(on_digest_button, pattern=pattern(Prefix.DIGEST)))
    application.add_handler(
        CallbackQueryHandler(on_subscriptions_page, pattern=pattern(Prefix.SUBSCRIPTIONS)))
    application.add_handler(
        CallbackQueryHandler(on_subscription_setting, pattern=pattern(Prefix.SUBS_SETTING)))

