"""Documents from the chat: an admin sends a PDF, Word, Markdown or text file in a private
chat → preview → « Confirmer » loads it all or nothing (audited); /documents lists them,
each with a delete button. Like /import, the preview keeps the file's Telegram id, and the
file is read again (in the child process) at the confirmation."""

from __future__ import annotations

import secrets
from pathlib import PurePath

from telegram import Document, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot import texts as t
from bot.admin.access import (
    PENDING_DOCUMENT,
    Context,
    admin_only,
    changed,
    edit,
    is_admin,
    reply,
    tell,
)
from bot.callbacks import NO, YES, AdminAction, Prefix
from bot.context import services
from bot.formatting import button, display_name, esc, keyboard, shorten
from bot.persistence import save_user_state
from knowledge.admin_store import AdminError
from knowledge.admin_store import documents as docs
from knowledge.documents import MIB, TEXT_SUFFIXES, DocumentError, Read
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
    svc, message = services(context), update.effective_message
    document = message.document
    title = (message.caption or "").strip()
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
    await reply(update, t.DOCUMENT_PREVIEW.format(lines=lines) + "\n" + t.DOCUMENT_TITLE_HINT,
                keyboard([[button(t.DOCUMENT_CONFIRM, Prefix.ADMIN, AdminAction.DOCUMENT, token),
                           button(t.DOCUMENT_CANCEL, Prefix.ADMIN, AdminAction.DOCUMENT, NO)]]))


async def _read(update: Update, context: Context, document: Document, title: str
                ) -> Read | None:
    """The file downloaded (refused above Telegram's limit before downloading) and read in
    the child process; a refusal told in one French line."""
    svc = services(context)
    limits = svc.settings.document_limits
    try:
        if (document.file_size or 0) > limits.max_bytes:
            raise DocumentError(f"fichier trop volumineux ({document.file_size / MIB:.1f} Mo) : "
                                f"{limits.max_bytes // MIB} Mo au plus (limite de Telegram).")
        data = bytes(await (await context.bot.get_file(document.file_id))
                     .download_as_bytearray())
        return await svc.parser.read(data, document.file_name or "", title, limits)
    except DocumentError as exc:
        await tell_refusal(update, exc)
    except TelegramError:
        await tell_refusal(update, DocumentError(t.DOCUMENT_FILE_GONE))
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
    await edit(update, t.DOCUMENT_LOADED.format(title=esc(read.title),
                                                passages=len(read.passages)))


async def _forget(update: Update, context: Context) -> None:
    if context.user_data.pop(PENDING_DOCUMENT, None) is not None:
        await save_user_state(update, context)


@admin_only
async def documents_command(update: Update, context: Context) -> None:
    """/documents: every document loaded, with a delete button each."""
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
