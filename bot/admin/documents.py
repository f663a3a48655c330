"""Documents from the chat: an admin sends a PDF, Word, Markdown or text file in a private
chat → preview → « Confirmer » loads it all or nothing (audited); /documents lists them,
each with a delete button. Like /import, the preview keeps the file's Telegram id, and the
file is read again (in the child process) at the confirmation.

Once loaded, the dates the document announces (knowledge.document_dates) are offered one at
a time: « Ajouter » makes one a milestone as /ajouter jalon does (audited, /annuler undoes
it, reminded like any other), its source the document's page; « Modifier » takes a typed
correction; « Ignorer » drops it. The buttons carry the document's id and the date's index
only: each press reads the dates again from the stored passages. What the admin did with
each (and their corrections) is persisted with the conversations (bot.persistence).
"""

from __future__ import annotations

import secrets
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from sqlmodel import Session
from telegram import Document, Update
from telegram.constants import ChatType
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
    DOCUMENT_DATES,
    NEW_MESSAGE,
    PENDING_DOCUMENT,
    Callback,
    Context,
    admin_name,
    admin_only,
    admin_step,
    changed,
    edit,
    file_too_big,
    is_admin,
    reply,
    tell,
)
from bot.admin.entries import milestone_warnings
from bot.callbacks import (
    EDIT,
    NO,
    OPEN,
    SHOW,
    YES,
    AdminAction,
    Prefix,
    admin_pattern,
    parse,
    parse_id,
    require_id,
)
from bot.context import Services, services
from bot.formatting import button, display_name, esc, keyboard, shorten
from bot.persistence import PersistedConversation, refresh_user_state, save_user_state
from knowledge import admin_store as store
from knowledge.admin_store import AdminError, proposals
from knowledge.admin_store import documents as docs
from knowledge.document_dates import upcoming
from knowledge.documents import (
    MAX_TITLE,
    TEXT_SUFFIXES,
    DocumentError,
    Read,
    clean_title,
    too_large,
)
from knowledge.grammar import plural
from knowledge.models import Milestone
from knowledge.render import french_when
from knowledge.store import in_session, in_transaction

SUFFIXES = {".pdf", ".docx", *TEXT_SUFFIXES}


async def is_upload(update: Update, context: Context) -> bool:
    """A file of a document type an admin sent in a private chat."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    document = message.document if message else None
    if document is None or user is None or chat is None or chat.type != ChatType.PRIVATE:
        return False
    suffix = PurePath((document.file_name or "").lower()).suffix
    return suffix in SUFFIXES and await is_admin(services(context), user.id)


async def preview(update: Update, context: Context) -> None:
    """Read the file off the loop and show what loading it changes, with « Confirmer »."""
    message = update.effective_message
    await _preview(update, context, message.document, (message.caption or "").strip())


async def _preview(update: Update, context: Context, document: Document, title: str) -> None:
    """The preview of loading `document` under `title` ("": the one it gives itself), its
    file id kept for « Confirmer »."""
    svc = services(context)
    read = await _read(update, context, document, title)
    if read is None:
        return
    try:
        version = await in_session(svc.db, lambda session: docs.plan_document(session, read))
    except AdminError as exc:
        await reply(update, t.DOCUMENT_SAME.format(error=esc(exc)))
        return
    token = secrets.token_hex(4)
    context.user_data[PENDING_DOCUMENT] = {
        "token": token, "file_id": document.file_id, "filename": document.file_name or "",
        "title": read.title, "old": version.old.id if version.old else None}
    await save_user_state(update, context)
    lines = esc("\n".join(docs.preview_lines(read, version)))
    await reply(update, t.DOCUMENT_PREVIEW.format(lines=lines),
                keyboard([[button(t.DOCUMENT_CONFIRM, Prefix.ADMIN, AdminAction.DOCUMENT, token),
                           button(t.DOCUMENT_CANCEL, Prefix.ADMIN, AdminAction.DOCUMENT, NO)],
                          [button(t.DOCUMENT_RETITLE, Prefix.ADMIN, AdminAction.DOCUMENT_TITLE,
                                  token)]]))


async def _read(update: Update, context: Context, document: Document, title: str
                ) -> Read | None:
    """The file downloaded (refused above Telegram's limit before downloading) and read in
    the child process; a refusal told in one French line."""
    svc = services(context)
    limits = svc.settings.document_limits
    try:
        if (document.file_size or 0) > limits.max_bytes:
            raise too_large(document.file_size, limits)
        data = bytes(await (await context.bot.get_file(document.file_id))
                     .download_as_bytearray())
        return await svc.parser.read(data, document.file_name or "", title, limits)
    except DocumentError as exc:
        await tell_refusal(update, exc)
    except TelegramError as exc:
        gone = t.TELEGRAM_TOO_BIG if file_too_big(exc) else t.DOCUMENT_FILE_GONE
        await tell_refusal(update, DocumentError(gone))
    return None


async def tell_refusal(update: Update, error: Exception) -> None:
    text = t.DOCUMENT_REFUSED.format(error=esc(shorten(str(error), 1000)))
    if update.callback_query is not None:
        await edit(update, text)
    else:
        await reply(update, text)


async def document_button(update: Update, context: Context, args: list[str]) -> None:
    """« Confirmer » (the upload token) or « Abandonner » (no)."""
    pending = context.user_data.get(PENDING_DOCUMENT)
    if args[0] == NO:
        await _forget(update, context)
        await edit(update, t.DOCUMENT_CANCELLED)
        return
    if pending is None or str(pending["token"]) != args[0]:
        await tell(update, t.STALE)
        return
    await _forget(update, context)
    svc, user = services(context), update.effective_user
    file = Document(pending["file_id"], pending["file_id"], file_name=pending["filename"])
    read = await _read(update, context, file, pending["title"])
    if read is None:
        return
    try:
        document = await in_transaction(svc.db, lambda session: docs.add_document(
            session, read, user.id, display_name(user), pending["old"]))
    except AdminError as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    await changed(update, context, f"document #{document.id} loaded")
    await offer_dates(update, context, document.id)
    await edit(update, t.DOCUMENT_LOADED.format(title=esc(read.title),
                                                passages=len(read.passages)))


async def _forget(update: Update, context: Context) -> None:
    if context.user_data.pop(PENDING_DOCUMENT, None) is not None:
        await save_user_state(update, context)


@admin_only
async def documents_command(update: Update, context: Context) -> None:
    """/documents: every document loaded, with buttons to see its dates (to add to the
    calendar, at any time after the upload) and to delete it."""
    svc = services(context)
    listed = await in_session(svc.db, docs.list_documents)
    if not listed:
        await reply(update, t.DOCUMENTS_NONE)
        return
    lines = [t.DOCUMENTS_TITLE]
    rows = []
    for item in listed:
        doc = item.document
        lines.append(t.DOCUMENTS_LINE.format(
            title=esc(doc.title), id=doc.id, version=doc.version, pages=doc.pages,
            passages=item.passages, who=esc(doc.added_by or "—"),
            date=doc.added_at.astimezone(svc.settings.tz).strftime("%d/%m/%Y")))
        rows.append([button(t.DOCUMENT_DATES.format(title=shorten(doc.title, 40)),
                            Prefix.ADMIN, AdminAction.DOCUMENT_DATE, doc.id, 0, OPEN)])
        rows.append([button(t.DOCUMENT_DELETE.format(title=shorten(doc.title, 40)),
                            Prefix.ADMIN, AdminAction.DOCUMENT_DELETE, doc.id)])
    await reply(update, "\n".join(lines), keyboard(rows))


async def delete_button(update: Update, context: Context, args: list[str]) -> None:
    """🗑 asks first; « Oui, supprimer » deletes the document and its passages."""
    svc, document_id = services(context), int(args[0])
    if args[1:] != [YES]:
        try:
            found = await in_session(svc.db, lambda session: (
                docs.get_document(session, document_id),
                len(docs.passages_of(session, document_id))))
        except AdminError as exc:
            await edit(update, t.PROBLEM.format(error=esc(exc)))
            return
        document, passages = found
        await edit(update, t.DOCUMENT_DELETE_ASK.format(title=esc(document.title),
                                                        passages=passages),
                   keyboard([[button(t.DOCUMENT_DELETE_YES, Prefix.ADMIN,
                                     AdminAction.DOCUMENT_DELETE, document_id, YES),
                              button(t.DOCUMENT_CANCEL, Prefix.ADMIN, AdminAction.KEEP)]]))
        return
    try:
        document = await in_transaction(svc.db, lambda session: docs.delete_document(
            session, document_id, update.effective_user.id))
    except AdminError as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    await changed(update, context, f"document #{document_id} deleted")
    await edit(update, t.DOCUMENT_DELETED.format(title=esc(document.title)))


# ---------------------------------------------------------------------------- title

TYPING = 0  # the state of the conversations below: the admin's next message is the answer
TYPING_TIMEOUT = 10 * 60


@admin_only
async def retitle_button(update: Update, context: Context) -> int | None:
    """✏️ Modifier le titre under a preview: the admin's next message is the new title."""
    parsed = parse(update.callback_query.data)
    pending = context.user_data.get(PENDING_DOCUMENT)
    if pending is None or not parsed or parsed.args[1:] != [str(pending["token"])]:
        await tell(update, t.STALE)
        return None
    pending.update(titling=True, at=time.time())
    await save_user_state(update, context)
    await reply(update, t.DOCUMENT_TITLE_ASK.format(title=esc(pending["title"]),
                                                     limit=MAX_TITLE))
    await update.callback_query.answer()
    return TYPING


@admin_step
async def title_typed(update: Update, context: Context) -> int:
    """The new title: refused if empty or too long (the preview stands), else the file read
    again under it and a new preview shown."""
    pending = context.user_data.get(PENDING_DOCUMENT)
    if not (pending or {}).get("titling"):
        return ConversationHandler.END
    typed = " ".join((update.effective_message.text or "").split())
    title = clean_title(typed)
    if not title or len(typed) > MAX_TITLE:
        problem = t.DOCUMENT_TITLE_EMPTY if not title else t.DOCUMENT_TITLE_LONG.format(
            length=len(typed), limit=MAX_TITLE)
        pending["at"] = time.time()
        await save_user_state(update, context)
        await reply(update, t.DOCUMENT_TITLE_REFUSED.format(problem=problem))
        return TYPING
    await _forget(update, context)
    await _preview(update, context, Document(pending["file_id"], pending["file_id"],
                                             file_name=pending["filename"]), title)
    return ConversationHandler.END


async def title_stop(update: Update, context: Context) -> None:
    """/stop or /annuler while typing a title: the preview stands, with its title."""
    pending = context.user_data.get(PENDING_DOCUMENT)
    if pending is not None and pending.pop("titling", None):
        await save_user_state(update, context)
    await reply(update, t.DOCUMENT_TITLE_KEPT)
    raise ApplicationHandlerStop(ConversationHandler.END)


@admin_step
async def title_busy(update: Update, context: Context) -> None:
    await reply(update, t.DOCUMENT_TITLE_BUSY)


async def title_timeout(update: object, context: Context) -> None:
    """A title left untyped: the preview stands (unless another replica went on)."""
    await refresh_user_state(update, context)
    pending = (context.user_data or {}).get(PENDING_DOCUMENT) or {}
    if pending.get("titling") and time.time() - pending.get("at", 0) > TYPING_TIMEOUT - 60:
        pending.pop("titling")
        await save_user_state(update, context)


def titling_state(user_data: Mapping[str, Any]) -> int | None:
    """TYPING while the admin is to type a previewed document's title (None otherwise)."""
    pending = user_data.get(PENDING_DOCUMENT) or {}
    recent = time.time() - pending.get("at", 0) <= TYPING_TIMEOUT
    return TYPING if pending.get("titling") and recent else None


def title_conversation(user_data: Mapping[int, Mapping[str, Any]]) -> ConversationHandler:
    """✏️ Modifier le titre → the admin's next message is the title (not a question)."""
    return _typed_conversation(
        "admin_document_title", user_data, titling_state,
        CallbackQueryHandler(retitle_button, pattern=admin_pattern(AdminAction.DOCUMENT_TITLE)),
        title_typed, title_stop, title_busy, title_timeout)


def _typed_conversation(name: str, user_data: Mapping[int, Mapping[str, Any]],
                        state_of: Callable[[Mapping[str, Any]], int | None],
                        entry: CallbackQueryHandler, typed: Callback, stop: Callback,
                        busy: Callback, timeout: Callback) -> ConversationHandler:
    """A button, then the admin's next message is its answer (TYPING): /stop or /annuler
    ends it, another command is told to answer first. Persisted: `state_of` reads it."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # button entry points are tracked per user, on purpose
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        return PersistedConversation(
            user_data, state_of, entry_points=[entry],
            states={TYPING: [MessageHandler(text, typed)],
                    ConversationHandler.TIMEOUT: [TypeHandler(Update, timeout)]},
            fallbacks=[CommandHandler(["stop", "annuler"], stop, filters=NEW_MESSAGE),
                       MessageHandler(NEW_MESSAGE & filters.COMMAND, busy)],
            conversation_timeout=TYPING_TIMEOUT, allow_reentry=True, name=name)


# ---------------------------------------------------------------------------- dates


KEPT_DOCUMENTS = 3  # documents whose proposed dates' progress is kept


@dataclass
class _View:
    """A dates screen: the proposal shown (`index`, as the milestone it would be) among the
    document's dates still to look at."""

    found: proposals.Found
    remaining: list[int]  # upcoming, neither added nor ignored
    past: int
    index: int | None
    row: Milestone | None


def _record(context: Context, document_id: int) -> dict[str, Any]:
    """This admin's progress through a document's dates: {"done": {index: milestone id, 0
    when ignored}, "edits": {index: typed fields}} (persisted with the conversations)."""
    state = context.user_data.setdefault(DOCUMENT_DATES, {"docs": {}, "editing": None, "at": 0})
    documents = state["docs"]
    record = documents.setdefault(str(document_id), {"done": {}, "edits": {}})
    for old in list(documents)[:-KEPT_DOCUMENTS]:
        documents.pop(old)
    return record


def _view(session: Session, svc: Services, document_id: int, record: dict[str, Any],
          wanted: int | None) -> _View:
    """The proposal `wanted` if it is still to look at, else the next one (wrapping)."""
    tz = svc.settings.tz
    found = proposals.document_dates(session, document_id)
    coming, past = upcoming(found.proposals, svc.clock().astimezone(tz))
    remaining = [index for index in coming if str(index) not in record["done"]]
    after = [index for index in remaining if wanted is None or index > wanted]
    index = wanted if wanted in remaining else (after or remaining or [None])[0]
    row = None if index is None else proposals.preview_proposal(
        session, found, index, record["edits"].get(str(index)), tz)
    return _View(found, remaining, past, index, row)


def _dates_html(svc: Services, view: _View, record: dict[str, Any]) -> str:
    title = esc(view.found.document.title)
    past = t.DATES_PAST.format(count=view.past, dates=plural(view.past, *t.DATES_PAST_WORDS)
                               ) if view.past else ""
    if view.index is None or view.row is None:
        if not record["done"]:
            return t.DATES_ONLY_PAST.format(title=title, past=past)
        added = sum(1 for milestone in record["done"].values() if milestone)
        skipped = len(record["done"]) - added
        return t.DATES_DONE.format(
            title=title, added=f"{added} {plural(added, *t.DATES_ADDED_WORDS)}",
            skipped=f"{skipped} {plural(skipped, *t.DATES_SKIPPED_WORDS)}")
    row, proposal = view.row, view.found.proposal(view.index)
    lines = [t.DATES_TITLE.format(title=title, count=len(view.remaining), past=past), "",
             t.DATE_HEADING.format(number=view.remaining.index(view.index) + 1,
                                   count=len(view.remaining), title=esc(row.title)),
             t.DATE_WHEN.format(when=esc(french_when(row.start, row.precision,
                                                     svc.settings.tz)))]
    if row.location:
        lines.append(t.DATE_PLACE.format(place=esc(row.location)))
    lines.append(t.DATE_SOURCE.format(source=esc(view.found.source(view.index))))
    lines.append(t.DATE_QUOTE.format(sentence=esc(shorten(proposal.sentence, 300))))
    return "\n".join(lines)


def _dates_keyboard(view: _View) -> Any:
    if view.index is None:
        return None
    document_id, index = view.found.document.id, view.index
    rows = [[button(label, Prefix.ADMIN, AdminAction.DOCUMENT_DATE, document_id, index, verb)
             for label, verb in ((t.DATE_ADD, YES), (t.DATE_EDIT, EDIT), (t.DATE_SKIP, NO))]]
    if len(view.remaining) > 1:
        position = view.remaining.index(index)
        previous = view.remaining[position - 1]
        following = view.remaining[(position + 1) % len(view.remaining)]
        rows.append([button(t.DATE_PREVIOUS, Prefix.ADMIN, AdminAction.DOCUMENT_DATE,
                            document_id, previous, SHOW),
                     button(t.DATE_NEXT, Prefix.ADMIN, AdminAction.DOCUMENT_DATE,
                            document_id, following, SHOW)])
    return keyboard(rows)


async def _dates_screen(context: Context, document_id: int, wanted: int | None,
                        head: str = "") -> tuple[str, Any]:
    """(html, buttons) of the dates screen, `head` (what the last press did) on top."""
    svc, record = services(context), _record(context, document_id)
    view = await in_session(svc.db, lambda session: _view(session, svc, document_id, record,
                                                          wanted))
    text = _dates_html(svc, view, record)
    return (f"{head}\n\n{text}" if head else text), _dates_keyboard(view)


async def offer_dates(update: Update, context: Context, document_id: int) -> None:
    """After an upload: its upcoming dates, one at a time, to add to the calendar (nothing
    is said when the document has no date at all)."""
    svc = services(context)
    found = await in_session(svc.db, lambda session: proposals.document_dates(session,
                                                                              document_id))
    if not found.proposals:
        return
    context.user_data.get(DOCUMENT_DATES, {}).get("docs", {}).pop(str(document_id), None)
    await reply(update, *await _dates_screen(context, document_id, None))


async def dates_button(update: Update, context: Context, args: list[str]) -> None:
    """✅ Ajouter, ✖️ Ignorer, ◀️ / ▶️ under a proposed date (✏️ Modifier: the
    conversation below). Each press reads the document's dates again (the data carry its id
    and the date's index only)."""
    document_id, index, verb = require_id(args[0]), require_id(args[1]), args[2]
    if verb not in (YES, NO, SHOW, OPEN):
        raise ValueError(verb)
    if verb == OPEN:  # from /documents: the list stays, the dates come below it
        await reply(update, *await _dates_screen(context, document_id, None))
        await update.callback_query.answer()
        return
    state = context.user_data.get(DOCUMENT_DATES)
    if state is not None and state.get("editing"):
        state["editing"] = None  # a press ends a correction left untyped
    record = _record(context, document_id)
    try:
        if verb == SHOW:
            head = ""
        elif str(index) in record["done"]:
            await tell(update, t.DATE_ALREADY)
            return
        elif verb == YES:
            head = await _add_date(update, context, document_id, index, record)
        else:
            head = await _skip_date(context, document_id, index, record)
        await save_user_state(update, context)
        await edit(update, *await _dates_screen(context, document_id, index, head))
    except AdminError as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))


async def _add_date(update: Update, context: Context, document_id: int, index: int,
                    record: dict[str, Any]) -> str:
    """The proposal added as a milestone; what to say of it (a refusal: why)."""
    svc, user_id, name = services(context), update.effective_user.id, admin_name(update)
    tz = svc.settings.tz
    jalon = proposals.JALON

    def add(session: Session) -> tuple[int, str, list[str]]:
        row = proposals.add_proposal(session, document_id, index,
                                     record["edits"].get(str(index)), user_id, tz, by=name)
        return row.id, store.entry_title(jalon, row, tz), milestone_warnings(
            jalon, row, tz, svc.clock())

    try:
        milestone_id, title, warnings = await in_transaction(svc.db, add)
    except AdminError as exc:
        return "⚠️ " + esc(exc)
    record["done"][str(index)] = milestone_id
    await changed(update, context, f"create jalon #{milestone_id} (document #{document_id})")
    return "\n".join([t.ADDED.format(**jalon.words, id=milestone_id, title=esc(title)),
                      *warnings, t.UNDO_HINT])


async def _skip_date(context: Context, document_id: int, index: int,
                     record: dict[str, Any]) -> str:
    svc = services(context)
    row = await in_session(svc.db, lambda session: proposals.preview_proposal(
        session, proposals.document_dates(session, document_id), index,
        record["edits"].get(str(index)), svc.settings.tz))
    record["done"][str(index)] = 0
    return t.DATE_SKIPPED.format(title=esc(row.title))


@admin_only
async def edit_date_button(update: Update, context: Context) -> int | None:
    """✏️ Modifier: the admin's next message corrects the proposed date (title, date, time,
    place…, typed as in /modifier)."""
    parsed = parse(update.callback_query.data)
    args = parsed.args[1:] if parsed else []
    document_id = parse_id(args[0]) if args else None
    index = parse_id(args[1]) if len(args) > 1 else None
    if document_id is None or index is None:
        await tell(update, t.STALE)
        return None
    svc, record = services(context), _record(context, document_id)
    try:
        row = await in_session(svc.db, lambda session: proposals.preview_proposal(
            session, proposals.document_dates(session, document_id), index,
            record["edits"].get(str(index)), svc.settings.tz))
    except AdminError as exc:
        await tell(update, esc(exc))
        return ConversationHandler.END
    state = context.user_data[DOCUMENT_DATES]
    state.update(editing=[document_id, index], at=time.time())
    await save_user_state(update, context)
    await reply(update, t.DATE_EDIT_ASK.format(title=esc(row.title)))
    await update.callback_query.answer()
    return TYPING


@admin_step
async def edit_date_typed(update: Update, context: Context) -> int:
    """The correction typed: checked as /ajouter would, then the date shown again with it."""
    state = context.user_data.get(DOCUMENT_DATES) or {}
    if not state.get("editing"):
        return ConversationHandler.END
    document_id, index = state["editing"]
    svc, record = services(context), _record(context, document_id)
    try:
        edits = {**record["edits"].get(str(index), {}),
                 **proposals.typed_edits(update.effective_message.text or "")}
        await in_session(svc.db, lambda session: proposals.preview_proposal(
            session, proposals.document_dates(session, document_id), index, edits,
            svc.settings.tz))
    except AdminError as exc:
        state["at"] = time.time()
        await save_user_state(update, context)
        await reply(update, t.DATE_EDIT_REFUSED.format(error=esc(exc)))
        return TYPING
    record["edits"][str(index)] = edits
    state["editing"] = None
    await save_user_state(update, context)
    await reply(update, *await _dates_screen(context, document_id, index, t.DATE_EDITED))
    return ConversationHandler.END


async def edit_date_stop(update: Update, context: Context) -> None:
    """/stop or /annuler during a correction: always works (stopping changes nothing)."""
    await _end_edit(update, context)
    await reply(update, t.DATE_EDIT_STOPPED)
    raise ApplicationHandlerStop(ConversationHandler.END)


@admin_step
async def edit_date_busy(update: Update, context: Context) -> None:
    await reply(update, t.DATE_EDIT_BUSY)


async def edit_date_timeout(update: object, context: Context) -> None:
    """A correction left untyped: ended, unless it went on (or ended) on another replica."""
    await refresh_user_state(update, context)
    state = (context.user_data or {}).get(DOCUMENT_DATES) or {}
    if state.get("editing") and time.time() - state.get("at", 0) > TYPING_TIMEOUT - 60:
        await _end_edit(update, context)


async def _end_edit(update: object, context: Context) -> None:
    state = (context.user_data or {}).get(DOCUMENT_DATES)
    if state is not None and state.get("editing"):
        state["editing"] = None
        await save_user_state(update, context)


def editing_state(user_data: Mapping[str, Any]) -> int | None:
    """TYPING while the admin is to type a proposed date's correction (None otherwise)."""
    state = user_data.get(DOCUMENT_DATES) or {}
    recent = time.time() - state.get("at", 0) <= TYPING_TIMEOUT
    return TYPING if state.get("editing") and recent else None


def dates_conversation(user_data: Mapping[int, Mapping[str, Any]]) -> ConversationHandler:
    """✏️ Modifier under a proposed date → the admin's next message is its correction (not
    a question). `user_data`: the Application's, where the corrections are."""
    edit_pattern = rf"^{Prefix.ADMIN}:{AdminAction.DOCUMENT_DATE}:\d+:\d+:{EDIT}$"
    return _typed_conversation(
        "admin_document_dates", user_data, editing_state,
        CallbackQueryHandler(edit_date_button, pattern=edit_pattern),
        edit_date_typed, edit_date_stop, edit_date_busy, edit_date_timeout)
