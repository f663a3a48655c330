"""Admin commands: keep the knowledge base current from the chat, safely.

Who: the Telegram ids in ADMIN_IDS plus the admins promoted in the database. Everyone else
gets a polite refusal (logged at WARNING, nothing changes). Admin commands work in private
chats only, and show in the command menu of the admins' private chats only.

The handlers run in group `ADMIN_GROUP` (-2), before flood control (-1) and the public
handlers (0), and stop the update once handled: text typed during the guided conversation
is never taken for a question, and an imported file never gets the "text only" reply.
Refused users still go through flood control before being answered.

Each handler parses, calls `knowledge.admin_store` in one transaction (with its audit row),
then `Services.knowledge_changed()` (engine reload, reminders rescheduled) and confirms.
Callback data are "adm:…" with ids only. Concurrency rules: see `knowledge.admin_store`.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
import re
import warnings
from collections.abc import Awaitable, Callable
from html import unescape
from typing import Any

from sqlmodel import Session
from telegram import BotCommand, BotCommandScopeChat, Document, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import admin_texts as t
from bot import texts
from bot.context import SERVICES_KEY, Services, services
from bot.formatting import button, esc, keyboard
from bot.handlers import flood_control, send_html
from knowledge import admin_store as store
from knowledge.admin_store import AdminError, EntitySpec
from knowledge.models import utcnow
from knowledge.render import french_when
from knowledge.seed import MAX_DOCUMENT_BYTES, SeedError
from knowledge.store import transaction

log = logging.getLogger(__name__)

ADMIN_GROUP = -2
LIST_PAGE = 10
JOURNAL_SIZE = 15
QUESTIONS_SIZE = 10
CONVERSATION_TIMEOUT = 30 * 60
ASKING, CONFIRMING = range(2)
DRAFT, LISTS, PENDING_IMPORT, AWAIT_IMPORT = "adm_draft", "adm_lists", "adm_import", "adm_await"
COUNTER, MENU_DONE = "adm_counter", "adm_menu_done"
NEW_MESSAGE = filters.UpdateType.MESSAGE  # an edited command is not run a second time

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Awaitable[Any]]


# ---------------------------------------------------------------------- authorisation
def is_admin(svc: Services, user_id: int) -> bool:
    with Session(svc.db) as session:
        return store.is_admin(session, svc.settings.admin_ids, user_id)


async def _authorised(update: Update, context: Context) -> bool:
    """Admins in private chats pass; others are refused politely, and logged."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and is_admin(services(context), user.id):
        if chat is not None and chat.type == ChatType.PRIVATE:
            return True
        await _tell(update, t.PRIVATE_ONLY)
        return False
    await flood_control(update, context)  # a refused user is still rate-limited
    what = update.callback_query.data if update.callback_query else _command_of(update)
    log.warning("admin command refused: user %s in chat %s tried %r",
                user.id if user else None, chat.id if chat else None, what)
    await _tell(update, t.REFUSED)
    return False


def _command_of(update: Update) -> str:
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    return text.split(maxsplit=1)[0][:40] if text else ""


def admin_only(callback: Callback) -> Callback:
    """Authorisation first; once handled, no other group sees the update.

    The callback's return value becomes the conversation state (ConversationHandler
    takes it from ApplicationHandlerStop).
    """

    @functools.wraps(callback)
    async def guarded(update: Update, context: Context) -> Any:
        if not await _authorised(update, context):
            raise ApplicationHandlerStop
        raise ApplicationHandlerStop(await callback(update, context))

    return guarded


async def _tell(update: Update, html: str, markup: Any = None) -> None:
    """A short answer: an alert for a button, a message otherwise."""
    if update.callback_query is not None:
        await update.callback_query.answer(_plain(html)[:190], show_alert=True)
    elif update.effective_message is not None:
        await send_html(update.effective_message, html, markup)


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


async def _reply(update: Update, html: str, markup: Any = None) -> None:
    await send_html(update.effective_message, html, markup)


async def _problem(update: Update, error: Exception) -> None:
    await _tell(update, t.PROBLEM.format(error=esc(error)))


async def _edit(update: Update, html: str, markup: Any = None) -> None:
    """Replace the pressed message (a new message if too long), then answer the press."""
    query = update.callback_query
    if len(html) > 4096:
        await send_html(update.effective_message, html, markup)
    else:
        try:
            await query.edit_message_text(html, reply_markup=markup, parse_mode=ParseMode.HTML)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
    await query.answer()


def _next_token(context: Context) -> int:
    """A small number naming something kept for a later button (a list, an import)."""
    return next(context.bot_data.setdefault(COUNTER, itertools.count(1)))


def _arguments(update: Update) -> list[str]:
    """The words after the command, split like a shell (quotes « » “ ” accepted)."""
    _, _, rest = (update.effective_message.text or "").partition(" ")
    return store.split_words(rest)


def _changed(update: Update, context: Context, what: str) -> None:
    """After a committed change: log it, reload the engine, reschedule reminders."""
    log.info("admin %s: %s", update.effective_user.id, what)
    services(context).knowledge_changed()


# ---------------------------------------------------------------------- /champs, /liste
@admin_only
async def fields_command(update: Update, context: Context) -> None:
    """/champs <entité>: each field with what it means and an example."""
    try:
        spec = store.entity_spec(_arguments(update)[0]) if context.args else None
    except AdminError as exc:
        await _problem(update, exc)
        return
    if spec is None:
        await _reply(update, t.ENTITY_USAGE)
        return
    await _reply(update, fields_html(spec))


def fields_html(spec: EntitySpec) -> str:
    lines = [t.FIELDS_TITLE.format(entity=spec.name)]
    for field in spec.fields:
        lines.append(t.FIELD_LINE.format(
            name=field.name, required=t.FIELD_REQUIRED if field.required else "",
            help=esc(field.help), example=esc(f"{field.name}={_typed(field.example)}")))
    lines.append("")
    lines.append(t.FIELDS_EXAMPLE.format(command=esc(t.FULL_EXAMPLES[spec.name])))
    lines.append(t.FIELDS_TIPS.format(entity=spec.name))
    return "\n".join(lines)


def _typed(example: str) -> str:
    """An example as typed after 'champ=': the first of the alternatives, quoted if spaced."""
    first = example.split(",")[0].split(" ou ")[0] if " ou " in example else example
    return f'"{first}"' if " " in first else first


@admin_only
async def list_command(update: Update, context: Context) -> None:
    """/liste <entité> [filtre]: entries with their ids, ten per page."""
    try:
        words = _arguments(update)
        spec = store.entity_spec(words[0]) if words else None
    except AdminError as exc:
        await _problem(update, exc)
        return
    if spec is None:
        await _reply(update, t.LIST_USAGE)
        return
    query = " ".join(words[1:])[:100]
    lists = context.user_data.setdefault(LISTS, {})
    number = _next_token(context)
    lists[number] = (spec.name, query)
    for old in sorted(lists)[:-10]:
        del lists[old]
    text, markup = list_page(services(context), spec, query, number, 0)
    await _reply(update, text, markup)


def list_page(svc: Services, spec: EntitySpec, query: str, number: int,
              page: int) -> tuple[str, Any]:
    with Session(svc.db) as session:
        entries = store.list_entries(session, spec, query, svc.settings.tz)
    filtered = t.LIST_FILTERED.format(query=esc(query)) if query else ""
    if not entries:
        return t.LIST_EMPTY.format(entity=spec.name, filtered=filtered), None
    pages = -(-len(entries) // LIST_PAGE)
    page = min(max(page, 0), pages - 1)
    lines = [t.LIST_TITLE.format(entity=spec.name, count=len(entries), filtered=filtered,
                                 page=page + 1, pages=pages)]
    for entry_id, title in entries[page * LIST_PAGE:(page + 1) * LIST_PAGE]:
        lines.append(f"<code>#{entry_id}</code> {esc(_cut(title, 150))}")
    lines.append(t.LIST_HINT.format(entity=spec.name))
    nav = []
    if page > 0:
        nav.append(button(texts.PREVIOUS, "adm", "ls", number, page - 1))
    if page < pages - 1:
        nav.append(button(texts.MORE, "adm", "ls", number, page + 1))
    return "\n".join(lines), keyboard([nav])


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _list_button(update: Update, context: Context, args: list[str]) -> None:
    number, page = int(args[0]), int(args[1])
    stored = context.user_data.get(LISTS, {}).get(number)
    if stored is None:
        await _tell(update, t.STALE)
        return
    spec = store.entity_spec(stored[0])
    await _edit(update, *list_page(services(context), spec, stored[1], number, page))


# ---------------------------------------------------------------------- /ajouter
@admin_only
async def add_command(update: Update, context: Context) -> int | None:
    """/ajouter: entity buttons; /ajouter jalon: guided; /ajouter jalon champ=valeur…: direct."""
    try:
        words = _arguments(update)
        if not words:
            rows = [[button(spec.name, "adm", "new", spec.code)]
                    for spec in store.ENTITIES.values()]
            await _reply(update, t.ADD_USAGE.format(example=esc(t.FULL_EXAMPLES["jalon"])),
                         keyboard(rows))
            return None
        spec = store.entity_spec(words[0])
        if len(words) == 1:
            return await _start_guided(update, context, spec)
        raw = store.parse_assignments(spec, words[1:])
        await _create(update, context, spec, raw)
    except AdminError as exc:
        await _problem(update, exc)
    return ConversationHandler.END


async def _create(update: Update, context: Context, spec: EntitySpec,
                  raw: dict[str, str]) -> None:
    svc = services(context)
    with transaction(svc.db) as session:
        row = store.create_entry(session, spec, raw, update.effective_user.id, svc.settings.tz)
        title = store.entry_title(spec, row, svc.settings.tz)
    _changed(update, context, f"create {spec.name} #{row.id}")
    html = t.ADDED.format(entity=spec.name, id=row.id, title=esc(title))
    await _tell_or_edit(update, f"{html}\n{t.UNDO_HINT}")


async def _tell_or_edit(update: Update, html: str) -> None:
    if update.callback_query is not None:
        await _edit(update, html)
    else:
        await _reply(update, html)


# ---------------------------------------------------------------------- guided conversation
@admin_only
async def guided_from_button(update: Update, context: Context) -> int | None:
    spec = store.ENTITY_BY_CODE.get(update.callback_query.data.split(":")[-1])
    if spec is None:
        await _tell(update, t.STALE)
        return None
    state = await _start_guided(update, context, spec)
    await update.callback_query.answer()
    return state


async def _start_guided(update: Update, context: Context, spec: EntitySpec) -> int:
    context.user_data[DRAFT] = {"entity": spec.name, "form": {}, "step": 0}
    await _reply(update, t.GUIDED_START.format(label=spec.label))
    await _ask(update, spec, 0)
    return ASKING


async def _ask(update: Update, spec: EntitySpec, step: int) -> None:
    field = spec.fields[step]
    html = t.GUIDED_ASK.format(
        name=field.name, required=t.FIELD_REQUIRED if field.required else "", step=step + 1,
        steps=len(spec.fields), help=esc(field.help), example=esc(field.example))
    await _reply(update, html + ("" if field.required else t.GUIDED_SKIP))


@admin_only
async def guided_answer(update: Update, context: Context) -> int:
    """One answer: validated at once; the same question again if it is refused."""
    draft = context.user_data.get(DRAFT)
    if draft is None:
        return ConversationHandler.END
    svc = services(context)
    spec = store.ENTITIES[draft["entity"]]
    field = spec.fields[draft["step"]]
    text = update.effective_message.text or ""
    if not field.required and text.strip().lower() in t.SKIP_WORDS:
        text = ""
    try:
        with Session(svc.db) as session:
            store.check_field(session, spec, field.name, text, draft["form"], svc.settings.tz)
    except AdminError as exc:
        await _reply(update, "⚠️ " + esc(exc))
        await _ask(update, spec, draft["step"])
        return ASKING
    draft["form"][field.name] = text
    draft["step"] += 1
    if draft["step"] < len(spec.fields):
        await _ask(update, spec, draft["step"])
        return ASKING
    return await _summarise(update, context, spec, draft["form"])


async def _summarise(update: Update, context: Context, spec: EntitySpec,
                     form: dict[str, str]) -> int:
    svc = services(context)
    try:
        with Session(svc.db) as session:
            row = store.preview_entry(session, spec, form, svc.settings.tz)
    except AdminError as exc:
        await _reply(update, t.PROBLEM.format(error=esc(exc)))
        context.user_data.pop(DRAFT, None)
        return ConversationHandler.END
    lines = [t.GUIDED_SUMMARY, *_entry_lines(svc, spec, row)]
    markup = keyboard([[button(t.GUIDED_SAVE, "adm", "g", "ok"),
                        button(t.GUIDED_CANCEL, "adm", "g", "no")]])
    await _reply(update, "\n".join(lines), markup)
    return CONFIRMING


def _entry_lines(svc: Services, spec: EntitySpec, row: Any) -> list[str]:
    lines = [f"• <b>{name}</b> : {esc(_cut(value, 300))}"
             for name, value in store.describe(spec, row, svc.settings.tz)]
    if spec.kind == "milestone":
        when = french_when(row.start, row.precision, svc.settings.tz)
        lines.append(f"➜ <i>{esc(when)}</i>")
    return lines


@admin_only
async def guided_confirm(update: Update, context: Context) -> int | None:
    draft = context.user_data.pop(DRAFT, None)
    if draft is None:
        await _tell(update, t.STALE)
        return ConversationHandler.END
    if update.callback_query.data.endswith(":no"):
        await _edit(update, t.GUIDED_CANCELLED)
        return ConversationHandler.END
    try:
        await _create(update, context, store.ENTITIES[draft["entity"]], draft["form"])
    except AdminError as exc:
        await _edit(update, t.PROBLEM.format(error=esc(exc)))
    return ConversationHandler.END


@admin_only
async def guided_waiting(update: Update, context: Context) -> None:
    await _reply(update, t.GUIDED_PRESS)


@admin_only
async def guided_stop(update: Update, context: Context) -> int:
    context.user_data.pop(DRAFT, None)
    await _reply(update, t.GUIDED_CANCELLED)
    return ConversationHandler.END


@admin_only
async def guided_busy(update: Update, context: Context) -> None:
    await _reply(update, t.GUIDED_BUSY)


async def guided_timeout(update: object, context: Context) -> None:
    """Runs when an admin leaves a guided conversation unanswered (no stop raised here)."""
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(update.effective_chat.id, t.GUIDED_TIMEOUT)
        except TelegramError as exc:
            log.warning("could not tell about a conversation timeout: %s", exc)


def guided_conversation() -> ConversationHandler:
    """/ajouter <entité> with no field: one field at a time, then a summary to confirm."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # button entry points are tracked per user, on purpose
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[CommandHandler("ajouter", add_command, filters=NEW_MESSAGE),
                          CallbackQueryHandler(guided_from_button, pattern=r"^adm:new:")],
            states={
                ASKING: [MessageHandler(text, guided_answer)],
                CONFIRMING: [CallbackQueryHandler(guided_confirm, pattern=r"^adm:g:"),
                             MessageHandler(text, guided_waiting)],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, guided_timeout)],
            },
            fallbacks=[CommandHandler(["stop", "annuler"], guided_stop, filters=NEW_MESSAGE),
                       MessageHandler(NEW_MESSAGE & filters.COMMAND, guided_busy)],
            conversation_timeout=CONVERSATION_TIMEOUT,
            name="admin_guided_add",
        )


# ---------------------------------------------------------------------- /modifier, /supprimer
def _entity_and_id(update: Update, usage: str) -> tuple[EntitySpec, int, list[str]] | str:
    words = _arguments(update)
    if len(words) < 2:
        return usage
    spec = store.entity_spec(words[0])
    if not words[1].lstrip("#").isdigit():
        raise AdminError(f"« {words[1][:30]} » n'est pas un identifiant : un nombre, donné "
                         f"par /liste {spec.name}.")
    return spec, int(words[1].lstrip("#")), words[2:]


@admin_only
async def edit_command(update: Update, context: Context) -> None:
    """/modifier <entité> <id> champ=valeur…: only the given fields change."""
    svc = services(context)
    try:
        parsed = _entity_and_id(update, t.EDIT_USAGE)
        if isinstance(parsed, str):
            await _reply(update, parsed)
            return
        spec, entry_id, rest = parsed
        raw = store.parse_assignments(spec, rest)
        with transaction(svc.db) as session:
            row, before = store.update_entry(session, spec, entry_id, raw,
                                             update.effective_user.id, svc.settings.tz)
            after, title = store.snapshot(row), store.entry_title(spec, row, svc.settings.tz)
    except AdminError as exc:
        await _problem(update, exc)
        return
    changes = store.changes_between(spec.name, before, after, svc.settings.tz)
    if not changes:
        await _reply(update, t.UNCHANGED.format(entity=spec.name, id=entry_id))
        return
    _changed(update, context, f"update {spec.name} #{entry_id}")
    lines = [t.EDITED.format(entity=spec.name, id=entry_id, title=esc(title))]
    lines += [_change_line(change) for change in changes]
    await _reply(update, "\n".join([*lines, t.UNDO_HINT]))


def _change_line(change: tuple[str, str, str]) -> str:
    name, before, after = change
    return t.JOURNAL_CHANGE.format(field=esc(name), before=esc(_cut(before, 120)),
                                   after=esc(_cut(after, 120)))


@admin_only
async def delete_command(update: Update, context: Context) -> None:
    """/supprimer <entité> <id>: the entry and a confirmation button (nothing deleted yet)."""
    svc = services(context)
    try:
        parsed = _entity_and_id(update, t.DELETE_USAGE)
        if isinstance(parsed, str):
            await _reply(update, parsed)
            return
        spec, entry_id, _ = parsed
        with Session(svc.db) as session:
            row = store.get_entry(session, spec, entry_id)
            title, version = store.entry_title(spec, row, svc.settings.tz), store.stamp(row)
    except AdminError as exc:
        await _problem(update, exc)
        return
    markup = keyboard([[button(t.DELETE_YES, "adm", "del", spec.code, entry_id, version),
                        button(t.DELETE_NO, "adm", "no")]])
    await _reply(update, t.DELETE_CONFIRM.format(entity=spec.name, id=entry_id,
                                                 title=esc(title)), markup)


async def _delete_button(update: Update, context: Context, args: list[str]) -> None:
    svc = services(context)
    spec = store.ENTITY_BY_CODE[args[0]]
    entry_id = int(args[1])
    try:
        with transaction(svc.db) as session:
            row = store.get_entry(session, spec, entry_id)
            title = store.entry_title(spec, row, svc.settings.tz)
            store.delete_entry(session, spec, entry_id, update.effective_user.id, args[2])
    except AdminError as exc:
        await _edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    _changed(update, context, f"delete {spec.name} #{entry_id}")
    await _edit(update, t.DELETED.format(entity=spec.name, id=entry_id, title=esc(title))
                + "\n" + t.UNDO_HINT)


@admin_only
async def undo_command(update: Update, context: Context) -> None:
    """/annuler: undo my own latest change (refused if someone changed the entry since)."""
    svc = services(context)
    try:
        with transaction(svc.db) as session:
            undone = store.undo_last(session, update.effective_user.id, svc.settings.tz)
    except AdminError as exc:
        await _problem(update, exc)
        return
    _changed(update, context, f"undo {undone.action} {undone.entity} #{undone.entry_id}")
    await _reply(update, t.UNDONE.format(action=t.ACTION_NAMES[undone.action],
                                         entity=undone.entity, id=undone.entry_id))


# ---------------------------------------------------------------------- /export, /import
@admin_only
async def export_command(update: Update, context: Context) -> None:
    """/export: the whole base as a YAML document in the seed's format."""
    svc = services(context)
    with Session(svc.db) as session:
        text = store.export_document(session, svc.settings.tz)
    name = f"mandat-bot-{utcnow().astimezone(svc.settings.tz):%Y-%m-%d-%Hh%M}.yaml"
    await update.effective_message.reply_document(text.encode("utf-8"), filename=name,
                                                  caption=t.EXPORT_CAPTION, do_quote=False)


@admin_only
async def import_command(update: Update, context: Context) -> None:
    """/import: as the caption of a file, in reply to a file, or before sending one."""
    message = update.effective_message
    document = message.document or (message.reply_to_message.document
                                    if message.reply_to_message else None)
    if document is None:
        context.user_data[AWAIT_IMPORT] = True
        await _reply(update, t.IMPORT_SEND)
        return
    await _preview_import(update, context, document)


async def on_document(update: Update, context: Context) -> None:
    """A file: an import if an admin sent it with /import or after /import; else not ours."""
    message = update.effective_message
    caption = (message.caption or "").strip().lower()
    is_import = caption.startswith("/import")
    user = update.effective_user
    if not is_import:
        if user is None or not context.user_data.get(AWAIT_IMPORT):
            return  # the public handlers answer it
        if not is_admin(services(context), user.id):
            return
    if not await _authorised(update, context):
        raise ApplicationHandlerStop
    context.user_data.pop(AWAIT_IMPORT, None)
    await _preview_import(update, context, message.document)
    raise ApplicationHandlerStop


async def _preview_import(update: Update, context: Context, document: Document) -> None:
    svc = services(context)
    data = await _download(update, document)
    if data is None:
        return
    try:  # parsing a large document and diffing it is seconds of work: off the event loop
        parsed, plan = await asyncio.to_thread(_parse_and_plan, svc, data)
    except (SeedError, AdminError) as exc:
        await _reply(update, t.IMPORT_INVALID.format(error=esc(_cut(str(exc), 3000))))
        return
    if plan.empty:
        await _reply(update, t.IMPORT_NO_CHANGE)
        return
    token = _next_token(context)
    context.user_data[PENDING_IMPORT] = {"token": token, "document": parsed,
                                         "version": plan.version}
    markup = keyboard([[button(t.IMPORT_APPLY, "adm", "imp", token),
                        button(t.IMPORT_CANCEL, "adm", "imp", "no")]])
    await _reply(update, import_summary(plan, document.file_name or "document"), markup)


def _parse_and_plan(svc: Services, data: bytes) -> tuple[store.Document, store.ImportPlan]:
    parsed = store.parse_import(data)
    with Session(svc.db) as session:
        return parsed, store.plan_import(session, parsed, svc.settings.tz)


def _apply_import(svc: Services, pending: dict, user_id: int) -> store.ImportPlan:
    with transaction(svc.db) as session:
        return store.apply_import(session, pending["document"], svc.settings.tz, user_id,
                                  pending["version"])


async def _download(update: Update, document: Document) -> bytes | None:
    """The file's bytes, refused above the size limit before downloading anything."""
    size = document.file_size or 0
    if size <= MAX_DOCUMENT_BYTES:
        data = bytes(await (await document.get_file()).download_as_bytearray())
        size = len(data)
        if size <= MAX_DOCUMENT_BYTES:
            return data
    await _reply(update, t.IMPORT_TOO_BIG.format(size=f"{size:,}".replace(",", " "),
                                                 limit=f"{MAX_DOCUMENT_BYTES:,}".replace(",", " ")))
    return None


def import_summary(plan: store.ImportPlan, name: str) -> str:
    lines = [t.IMPORT_SUMMARY.format(name=esc(_cut(name, 80)))]
    for diff in plan.diffs:
        parts = []
        if diff.added:
            parts.append(t.IMPORT_ADDED.format(count=len(diff.added), keys=_keys(diff.added)))
        if diff.changed:
            changed = [f"{key} : {', '.join(fields)}" for key, fields in diff.changed]
            parts.append(t.IMPORT_CHANGED.format(count=len(changed), keys=_keys(changed)))
        if diff.removed:
            parts.append(t.IMPORT_REMOVED.format(count=len(diff.removed),
                                                 keys=_keys(diff.removed)))
        if parts:
            lines.append(t.IMPORT_ENTITY.format(entity=diff.entity, parts=" ; ".join(parts)))
    if plan.removed:
        lines.append(t.IMPORT_WARN_REMOVED.format(count=plan.removed))
    lines.append(t.IMPORT_CONFIRM)
    return "\n".join(lines)


def _keys(keys: list[str], limit: int = 5) -> str:
    shown = ", ".join(_cut(str(key), 60) for key in keys[:limit])
    more = f", … +{len(keys) - limit}" if len(keys) > limit else ""
    return esc(shown + more)


async def _import_button(update: Update, context: Context, args: list[str]) -> None:
    pending = context.user_data.get(PENDING_IMPORT)
    if args[0] == "no":
        context.user_data.pop(PENDING_IMPORT, None)
        await _edit(update, t.IMPORT_CANCELLED)
        return
    if pending is None or str(pending["token"]) != args[0]:
        await _tell(update, t.STALE)
        return
    context.user_data.pop(PENDING_IMPORT, None)
    svc = services(context)
    try:
        plan = await asyncio.to_thread(_apply_import, svc, pending, update.effective_user.id)
    except (AdminError, SeedError) as exc:
        await _edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    count = sum(diff.count for diff in plan.diffs)
    _changed(update, context, f"import ({count} entries)")
    await _edit(update, t.IMPORT_APPLIED.format(count=count))


# ---------------------------------------------------------------------- /journal
@admin_only
async def journal_command(update: Update, context: Context) -> None:
    """/journal: the latest changes — who, when, what, before → after."""
    svc = services(context)
    with Session(svc.db) as session:
        entries = store.recent_changes(session, JOURNAL_SIZE)
    if not entries:
        await _reply(update, t.JOURNAL_EMPTY)
        return
    lines = [t.JOURNAL_TITLE]
    for entry in entries:
        lines.append(t.JOURNAL_LINE.format(
            when=f"{entry.at.astimezone(svc.settings.tz):%d/%m/%Y %H:%M}",
            user=entry.user_id, action=t.JOURNAL_ACTIONS.get(entry.action, entry.action),
            entity=esc(entry.entity),
            entry=f" #{entry.entry_id}" if entry.entry_id is not None else "",
            undone=t.JOURNAL_UNDONE if entry.undone else ""))
        changes = store.changes_between(entry.entity, entry.before, entry.after,
                                        svc.settings.tz)
        lines += [_change_line(change) for change in changes[:6]]
    await _reply(update, "\n".join(lines))


# ---------------------------------------------------------------------- /questions
@admin_only
async def questions_command(update: Update, context: Context) -> None:
    """/questions: what officials asked and the base could not answer, most frequent first."""
    with Session(services(context).db) as session:
        questions = store.unanswered(session, QUESTIONS_SIZE)
    if not questions:
        await _reply(update, t.QUESTIONS_EMPTY)
        return
    lines = [t.QUESTIONS_TITLE]
    rows = []
    for question in questions:
        lines.append(t.QUESTION_LINE.format(id=question.id, text=esc(_cut(question.text, 200)),
                                            count=question.count))
        rows.append([button(t.QUESTION_ATTACH.format(id=question.id), "adm", "q", question.id),
                     button(t.QUESTION_DISMISS.format(id=question.id), "adm", "qx",
                            question.id)])
    lines.append(t.QUESTIONS_HINT)
    await _reply(update, "\n".join(lines), keyboard(rows))


async def _question_button(update: Update, context: Context, args: list[str]) -> None:
    """The engine's best guesses for one question, as buttons to attach it."""
    svc = services(context)
    try:
        with Session(svc.db) as session:
            question = store.get_question(session, int(args[0]))
    except AdminError as exc:
        await _tell(update, esc(exc))
        return
    rows = [[button(f"→ {label}", "adm", "qa", question.id, kind, entry_id)]
            for kind, entry_id, label in _candidates(svc, question.text)]
    template = t.QUESTION_PICK if rows else t.QUESTION_NO_MATCH
    await _reply(update, template.format(text=esc(_cut(question.text, 200)), id=question.id),
                 keyboard(rows))
    await update.callback_query.answer()


def _candidates(svc: Services, question: str, limit: int = 5) -> list[tuple[str, int, str]]:
    """(kind, entry id, label) of the engine's top matches; a project → its first milestone."""
    engine = svc.engine
    found: list[tuple[str, int, str]] = []
    matches = [m for answer in engine.search(question, limit=limit) for m in answer.matches[:1]]
    matches += engine.ask(question).matches
    for match in matches:
        kind, entry_id = match.kind, match.entry_id
        if kind == "project":
            projects = engine.view.projects
            if not 0 <= entry_id < len(projects) or not projects[entry_id].milestones:
                continue
            kind, entry_id = "milestone", projects[entry_id].milestones[0].id
        if all((kind, entry_id) != (k, i) for k, i, _ in found):
            found.append((kind, entry_id, match.title))
    return found[:limit]


async def _attach(update: Update, context: Context, question_id: int, kind: str,
                  entry_id: int) -> None:
    svc = services(context)
    try:
        with transaction(svc.db) as session:
            synonym = store.attach_question(session, question_id, kind, entry_id,
                                            update.effective_user.id)
            text = store.question_text(session, question_id)
    except AdminError as exc:
        await _tell_or_edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    _changed(update, context, f"question #{question_id} attached to {kind} #{entry_id}")
    target = synonym.expansion or _entry_label(svc, kind, entry_id)
    await _tell_or_edit(update, t.QUESTION_ATTACHED.format(text=esc(_cut(text, 200)),
                                                           target=esc(target)))


def _entry_label(svc: Services, kind: str, entry_id: int) -> str:
    view = svc.engine.view
    return view.title(kind, entry_id) if view.has(kind, entry_id) else f"{kind} #{entry_id}"


@admin_only
async def attach_command(update: Update, context: Context) -> None:
    """/rattacher <n° question> <entité> <id>: the question leads to that entry from now on."""
    words = _arguments(update)
    if len(words) != 3 or not words[0].lstrip("#").isdigit() or not words[2].isdigit():
        await _reply(update, t.ATTACH_USAGE)
        return
    try:
        spec = store.entity_spec(words[1])
    except AdminError as exc:
        await _problem(update, exc)
        return
    await _attach(update, context, int(words[0].lstrip("#")), spec.kind, int(words[2]))


async def _dismiss_button(update: Update, context: Context, args: list[str]) -> None:
    try:
        with transaction(services(context).db) as session:
            store.dismiss_question(session, int(args[0]))
    except AdminError as exc:
        await _tell(update, esc(exc))
        return
    await update.callback_query.answer(_plain(t.QUESTION_DISMISSED.format(id=args[0])))


# ---------------------------------------------------------------------- admins
@admin_only
async def admin_add_command(update: Update, context: Context) -> None:
    """/admin_ajouter <id>: promote a user (their admin menu is set at once)."""
    user_id = _user_id_argument(context)
    if user_id is None:
        await _reply(update, t.ADMIN_USAGE.format(command="admin_ajouter"))
        return
    svc = services(context)
    with transaction(svc.db) as session:
        added = store.add_admin(session, svc.settings.admin_ids, user_id,
                                update.effective_user.id)
    if not added:
        await _reply(update, t.ADMIN_ALREADY.format(user_id=user_id))
        return
    log.warning("admin %s promoted %s", update.effective_user.id, user_id)
    await set_admin_menu(context.application, user_id)
    await _reply(update, t.ADMIN_ADDED.format(user_id=user_id))


@admin_only
async def admin_remove_command(update: Update, context: Context) -> None:
    """/admin_retirer <id>: remove a promoted admin (configured ones stay)."""
    user_id = _user_id_argument(context)
    if user_id is None:
        await _reply(update, t.ADMIN_USAGE.format(command="admin_retirer"))
        return
    svc = services(context)
    try:
        with transaction(svc.db) as session:
            store.remove_admin(session, svc.settings.admin_ids, user_id,
                               update.effective_user.id)
    except AdminError as exc:
        await _problem(update, exc)
        return
    log.warning("admin %s removed admin %s", update.effective_user.id, user_id)
    await clear_admin_menu(context.application, user_id)
    await _reply(update, t.ADMIN_REMOVED.format(user_id=user_id))


def _user_id_argument(context: Context) -> int | None:
    args = context.args or []
    if len(args) != 1 or not args[0].isdigit() or len(args[0]) > 15:
        return None
    return int(args[0])


@admin_only
async def admins_command(update: Update, context: Context) -> None:
    svc = services(context)
    configured = set(svc.settings.admin_ids)
    with Session(svc.db) as session:
        everyone = store.admin_ids(session, configured)
    lines = [t.ADMINS_TITLE]
    for user_id in sorted(everyone):
        template = t.ADMINS_CONFIGURED if user_id in configured else t.ADMINS_PROMOTED
        lines.append(template.format(user_id=user_id))
    await _reply(update, "\n".join(lines))


# ---------------------------------------------------------------------- buttons
@admin_only
async def on_admin_button(update: Update, context: Context) -> None:
    """Every "adm:…" button outside the guided conversation."""
    parts = (update.callback_query.data or "").split(":")[1:]
    head, args = (parts[0], parts[1:]) if parts else ("", [])
    routes: dict[str, Callable[[], Awaitable[None]]] = {
        "ls": lambda: _list_button(update, context, args),
        "del": lambda: _delete_button(update, context, args),
        "no": lambda: _edit(update, t.KEPT),
        "imp": lambda: _import_button(update, context, args),
        "q": lambda: _question_button(update, context, args),
        "qa": lambda: _attach(update, context, int(args[0]), args[1], int(args[2])),
        "qx": lambda: _dismiss_button(update, context, args),
        "new": lambda: _tell(update, t.GUIDED_ALREADY),
    }
    route = routes.get(head)
    try:
        if route is None:
            raise ValueError(head)
        await route()
    except (ValueError, IndexError, KeyError):
        await _tell(update, t.STALE)


# ---------------------------------------------------------------------- wiring
COMMANDS: dict[str, Callback] = {
    "champs": fields_command,
    "liste": list_command,
    "modifier": edit_command,
    "supprimer": delete_command,
    "annuler": undo_command,
    "export": export_command,
    "import": import_command,
    "journal": journal_command,
    "questions": questions_command,
    "rattacher": attach_command,
    "admins": admins_command,
    "admin_ajouter": admin_add_command,
    "admin_retirer": admin_remove_command,
}


def register_admin_handlers(application: Application) -> None:
    """Add the admin handlers (group ADMIN_GROUP, before flood control and public ones)."""
    application.add_handler(TypeHandler(Update, ensure_admin_menu, block=False),
                            group=ADMIN_GROUP - 1)
    application.add_handler(guided_conversation(), group=ADMIN_GROUP)
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=NEW_MESSAGE),
                                group=ADMIN_GROUP)
    application.add_handler(MessageHandler(NEW_MESSAGE & filters.Document.ALL, on_document),
                            group=ADMIN_GROUP)
    application.add_handler(CallbackQueryHandler(on_admin_button, pattern=r"^adm:"),
                            group=ADMIN_GROUP)


def admin_commands() -> list[BotCommand]:
    return [BotCommand(name, description)
            for name, description in [*texts.COMMANDS_PUBLIC, *t.COMMANDS_ADMIN]]


async def set_admin_menu(application: Application, user_id: int) -> None:
    """The admin's private chat gets the public and the admin commands (failure: logged)."""
    try:
        await application.bot.set_my_commands(admin_commands(),
                                              scope=BotCommandScopeChat(chat_id=user_id))
    except TelegramError as exc:
        log.warning("setMyCommands for admin %s refused (%s): continuing", user_id, exc)
        return
    application.bot_data.setdefault(MENU_DONE, set()).add(user_id)


async def ensure_admin_menu(update: Update, context: Context) -> None:
    """Someone's first private message since startup: an admin whose menu could not be set
    (Telegram refuses it until the admin has opened the bot once) gets it now."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    done = context.bot_data.setdefault(MENU_DONE, set())
    if user.id in done:
        return
    done.add(user.id)
    if is_admin(services(context), user.id):
        await set_admin_menu(context.application, user.id)


async def clear_admin_menu(application: Application, user_id: int) -> None:
    """Back to the default menu of private chats (failure: logged)."""
    try:
        await application.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=user_id))
    except TelegramError as exc:
        log.warning("deleteMyCommands for %s refused (%s): continuing", user_id, exc)


async def set_admin_command_menus(application: Application) -> None:
    """On startup: every admin (configured or promoted) gets the admin command menu."""
    svc: Services = application.bot_data[SERVICES_KEY]
    with Session(svc.db) as session:
        everyone = store.admin_ids(session, svc.settings.admin_ids)
    for user_id in sorted(everyone):
        await set_admin_menu(application, user_id)
