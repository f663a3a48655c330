"""/ajouter: buttons, a direct creation, or a guided conversation one field at a time.

The conversation survives a restart and continues on another replica: its draft
(`user_data[DRAFT]`: entity, answers, step, time of the last step) is saved to the database
after every step, before the reply (bot.persistence), and the ConversationHandler's state is
derived from the draft each time an update is checked (`PersistedConversation`).
"""

from __future__ import annotations

import contextlib
import logging
import time
import warnings
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import texts as t
from bot.admin.access import (
    DRAFT,
    NEW_MESSAGE,
    Context,
    admin_only,
    admin_step,
    arguments,
    edit,
    problem,
    reply,
    tell,
)
from bot.admin.entries import create, milestone_warnings
from bot.callbacks import NO, SKIP, YES, AdminAction, Prefix, admin_pattern, parse, parse_id
from bot.context import Services, services
from bot.formatting import button, esc, keyboard, shorten
from bot.persistence import PersistedConversation, refresh_user_state, save_user_state
from knowledge import admin_store as store
from knowledge.admin_store import AdminError, EntitySpec
from knowledge.render import french_when
from knowledge.store import in_session

log = logging.getLogger(__name__)

CONVERSATION_TIMEOUT = 30 * 60
ASKING, CONFIRMING = range(2)


@admin_only
async def add_command(update: Update, context: Context) -> int | None:
    """/ajouter: entity buttons; /ajouter jalon: guided; /ajouter jalon champ=valeur…: direct."""
    try:
        words = arguments(update)
        if not words:
            rows = [[button(spec.name, Prefix.ADMIN, AdminAction.NEW, spec.code)]
                    for spec in store.ENTITIES.values()]
            await reply(update, t.ADD_USAGE.format(example=esc(t.FULL_EXAMPLES["jalon"])),
                         keyboard(rows))
            return None
        spec = store.entity_spec(words[0])
        if len(words) == 1:
            return await start_guided(update, context, spec)
        raw = store.parse_assignments(spec, words[1:])
        await create(update, context, spec, raw)
    except AdminError as exc:
        await problem(update, exc)
    return ConversationHandler.END


@admin_only
async def guided_from_button(update: Update, context: Context) -> int | None:
    parsed = parse(update.callback_query.data)
    spec = store.ENTITY_BY_CODE.get(parsed.args[-1]) if parsed and parsed.args else None
    if spec is None:
        await tell(update, t.STALE)
        return None
    state = await start_guided(update, context, spec)
    await update.callback_query.answer()
    return state


async def start_guided(update: Update, context: Context, spec: EntitySpec) -> int:
    context.user_data[DRAFT] = {"entity": spec.name, "form": {}, "step": 0, "at": time.time()}
    await save_user_state(update, context)
    await reply(update, t.GUIDED_START.format(label=spec.label))
    await _ask(update, spec, 0)
    return ASKING


async def _ask(update: Update, spec: EntitySpec, step: int) -> None:
    """One question, by its French label; oui/non buttons for a yes/no field, "Passer" for
    an optional one."""
    field = spec.fields[step]
    html = t.GUIDED_ASK.format(
        name=esc(field.label), required=t.FIELD_REQUIRED if field.required else "",
        step=step + 1, steps=len(spec.fields), help=esc(field.help), example=esc(field.example))
    if field.kind == "bool":
        await reply(update, html, keyboard([[
            button(t.GUIDED_YES, Prefix.ADMIN, AdminAction.ANSWER, step, YES),
            button(t.GUIDED_NO, Prefix.ADMIN, AdminAction.ANSWER, step, NO)]]))
    elif not field.required:
        await reply(update, html + t.GUIDED_SKIP, keyboard([[
            button(t.GUIDED_PASS, Prefix.ADMIN, AdminAction.ANSWER, step, SKIP)]]))
    else:
        await reply(update, html)


@admin_step
async def guided_answer(update: Update, context: Context) -> int:
    """One typed answer: validated at once; the same question again if it is refused."""
    return await _take(update, context, update.effective_message.text or "")


@admin_step
async def guided_button(update: Update, context: Context) -> int:
    """Oui / Non / Passer pressed under the current question (an older one's: stale)."""
    draft = context.user_data.get(DRAFT)
    parsed = parse(update.callback_query.data)
    args = parsed.args[1:] if parsed else []
    if draft is None or len(args) != 2 or parse_id(args[0]) != draft["step"] \
            or args[1] not in t.GUIDED_BUTTON_VALUES:
        await tell(update, t.STALE)
        return ASKING if draft is not None else ConversationHandler.END
    with contextlib.suppress(TelegramError):  # the question keeps its text, loses its buttons
        await update.callback_query.edit_message_reply_markup(None)
    state = await _take(update, context, t.GUIDED_BUTTON_VALUES[args[1]])
    await update.callback_query.answer()  # last, as every press: the next question is out
    return state


async def _take(update: Update, context: Context, text: str) -> int:
    """Check and keep one answer (saved before anything is said: see the module docstring),
    then ask the next question or show the summary."""
    draft = context.user_data.get(DRAFT)
    if draft is None:
        return ConversationHandler.END
    svc = services(context)
    spec = store.ENTITIES[draft["entity"]]
    field = spec.fields[draft["step"]]
    if not field.required and text.strip().lower() in t.SKIP_WORDS:
        text = ""
    answers = _answers(spec, draft["step"], text)
    form = {**draft["form"], **answers}

    def check(session: Session) -> None:
        for name, value in answers.items():
            store.check_field(session, spec, name, value, form, svc.settings.tz)

    try:
        await in_session(svc.db, check)
    except AdminError as exc:
        await reply(update, "⚠️ " + esc(exc))
        await _ask(update, spec, draft["step"])
        return ASKING
    draft["form"].update(answers)
    draft["step"] += len(answers)
    draft["at"] = time.time()
    await save_user_state(update, context)
    if draft["step"] < len(spec.fields):
        await _ask(update, spec, draft["step"])
        return ASKING
    return await _summarise(update, context, spec, draft["form"])


def _answers(spec: EntitySpec, step: int, text: str) -> dict[str, str]:
    """The fields one typed answer fills: a date typed with its time ('15/01/2027 18h30')
    also answers the time question that follows it."""
    field = spec.fields[step]
    following = spec.fields[step + 1] if step + 1 < len(spec.fields) else None
    both = store.split_date_time(text) if field.kind == "date" else None
    if both and following is not None and following.kind == "time":
        return {field.name: both[0], following.name: both[1]}
    return {field.name: text}


async def _summarise(update: Update, context: Context, spec: EntitySpec,
                     form: dict[str, str]) -> int:
    svc = services(context)
    try:
        row = await in_session(svc.db, lambda session: store.preview_entry(
            session, spec, form, svc.settings.tz))
    except AdminError as exc:
        await _drop_draft(update, context)
        await reply(update, t.PROBLEM.format(error=esc(exc)))
        return ConversationHandler.END
    lines = [t.GUIDED_SUMMARY, *_entry_lines(svc, spec, row)]
    markup = keyboard([[button(t.GUIDED_SAVE, Prefix.ADMIN, AdminAction.GUIDED, YES),
                        button(t.GUIDED_CANCEL, Prefix.ADMIN, AdminAction.GUIDED, NO)]])
    await reply(update, "\n".join(lines), markup)
    return CONFIRMING


def _entry_lines(svc: Services, spec: EntitySpec, row: Any) -> list[str]:
    lines = [f"• <b>{esc(spec.field(name).label)}</b> : {esc(shorten(value, 300))}"
             for name, value in store.describe(spec, row, svc.settings.tz)]
    if spec.kind == "milestone":
        when = french_when(row.start, row.precision, svc.settings.tz)
        lines.append(f"➜ <i>{esc(when)}</i>")
    return [*lines, *milestone_warnings(spec, row, svc.settings.tz, svc.clock())]


@admin_step
async def guided_confirm(update: Update, context: Context) -> int | None:
    draft = await _drop_draft(update, context)
    if draft is None:
        await tell(update, t.STALE)
        return ConversationHandler.END
    parsed = parse(update.callback_query.data)
    if parsed is not None and parsed.args[-1:] == [NO]:
        await edit(update, t.GUIDED_CANCELLED)
        return ConversationHandler.END
    try:
        await create(update, context, store.ENTITIES[draft["entity"]], draft["form"])
    except AdminError as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
    return ConversationHandler.END


@admin_step
async def guided_waiting(update: Update, context: Context) -> None:
    await reply(update, t.GUIDED_PRESS)


async def guided_stop(update: Update, context: Context) -> None:
    """/stop or /annuler during the conversation: always works, even for someone who is no
    longer an admin (stopping changes nothing)."""
    await _drop_draft(update, context)
    await reply(update, t.GUIDED_CANCELLED)
    raise ApplicationHandlerStop(ConversationHandler.END)


@admin_step
async def guided_busy(update: Update, context: Context) -> None:
    await reply(update, t.GUIDED_BUSY)


async def guided_timeout(update: object, context: Context) -> None:
    """Runs when an admin leaves a guided conversation unanswered (no stop raised here);
    silent when the conversation went on, or ended, on another replica."""
    await refresh_user_state(update, context)
    if context.user_data is None or not timed_out(context.user_data.get(DRAFT)):
        return
    await _drop_draft(update, context)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, t.GUIDED_TIMEOUT)
        except TelegramError as exc:
            log.warning("could not tell about a conversation timeout: %s", exc)


async def _drop_draft(update: object, context: Context) -> dict[str, Any] | None:
    """End the conversation's draft, here and in the database; returns it."""
    draft = context.user_data.pop(DRAFT, None) if context.user_data is not None else None
    if draft is not None:
        await save_user_state(update, context)
    return draft


def expired(draft: Mapping[str, Any] | None) -> bool:
    return draft is None or time.time() - draft.get("at", 0) > CONVERSATION_TIMEOUT


def timed_out(draft: Mapping[str, Any] | None) -> bool:
    """When this replica's timeout fires: is the draft still there, untouched since (not
    ended, nor taken a step further on another replica)? A minute's margin for the delay
    between a step and the start of PTB's countdown."""
    return draft is not None and time.time() - draft.get("at", 0) > CONVERSATION_TIMEOUT - 60


def draft_state(draft: Mapping[str, Any] | None) -> int | None:
    """The conversation state a draft stands for (None: no conversation)."""
    if expired(draft):
        return None
    spec = store.ENTITIES.get(draft["entity"])  # type: ignore[index]
    if spec is None:
        return None
    return ASKING if draft["step"] < len(spec.fields) else CONFIRMING  # type: ignore[index]


def guided_conversation(user_data: Mapping[int, Mapping[str, Any]]) -> ConversationHandler:
    """/ajouter <entité> with no field: one field at a time, then a summary to confirm.
    `user_data`: the Application's, where the drafts are."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    new, confirm = admin_pattern(AdminAction.NEW), admin_pattern(AdminAction.GUIDED)
    answer = admin_pattern(AdminAction.ANSWER)
    with warnings.catch_warnings():  # button entry points are tracked per user, on purpose
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        return PersistedConversation(
            user_data, lambda data: draft_state(data.get(DRAFT)),
            entry_points=[CommandHandler("ajouter", add_command, filters=NEW_MESSAGE),
                          CallbackQueryHandler(guided_from_button, pattern=new)],
            states={
                ASKING: [MessageHandler(text, guided_answer),
                         CallbackQueryHandler(guided_button, pattern=answer)],
                CONFIRMING: [CallbackQueryHandler(guided_confirm, pattern=confirm),
                             MessageHandler(text, guided_waiting)],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, guided_timeout)],
            },
            fallbacks=[CommandHandler(["stop", "annuler"], guided_stop, filters=NEW_MESSAGE),
                       MessageHandler(NEW_MESSAGE & filters.COMMAND, guided_busy)],
            conversation_timeout=CONVERSATION_TIMEOUT,
            name="admin_guided_add",
        )
