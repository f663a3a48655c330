"""/export and /import: the whole base as a YAML document, and a previewed import.

An import awaited (/import, then the file) or previewed (waiting for ✅) survives a restart
and continues on another replica: the state is saved to the database before the reply
(bot.persistence). A preview keeps the file's Telegram id, not the document: the file is
read again at the confirmation, and applied only if the base is still the one previewed.
"""

from __future__ import annotations

import secrets

from telegram import Document, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, TelegramError
from telegram.ext import ApplicationHandlerStop

import bot.admin.documents as documents
from bot import texts as t
from bot.admin.access import (
    AWAIT_IMPORT,
    PENDING_IMPORT,
    Context,
    admin_name,
    admin_only,
    authorised,
    changed,
    edit,
    file_too_big,
    is_admin,
    leave_conversations,
    reply,
    tell,
)
from bot.callbacks import ALLOW_DELETIONS, NO, AdminAction, Prefix
from bot.context import services
from bot.formatting import button, esc, keyboard, shorten
from bot.persistence import save_user_state
from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.models import utcnow
from knowledge.seed import MAX_BACKUP_BYTES, SeedError
from knowledge.store import in_session, in_transaction
from knowledge.text import french_number


@admin_only
async def export_command(update: Update, context: Context) -> None:
    """/export: the whole base as a YAML document in the seed's format."""
    svc = services(context)
    text = await in_session(svc.db, lambda session: store.export_document(session,
                                                                          svc.settings.tz))
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
        await save_user_state(update, context)
        await reply(update, t.IMPORT_SEND)
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
            if await documents.is_upload(update, context):  # a PDF, a .docx… to load
                await documents.preview(update, context)
                raise ApplicationHandlerStop
            return  # the public handlers answer it
        if not await is_admin(services(context), user.id):
            await leave_conversations(update, context)
            return  # no longer an admin: a file like anyone's
    if not await authorised(update, context):
        raise ApplicationHandlerStop
    if context.user_data.pop(AWAIT_IMPORT, None) is not None:
        await save_user_state(update, context)
    await _preview_import(update, context, message.document)
    raise ApplicationHandlerStop


async def _preview_import(update: Update, context: Context, document: Document) -> None:
    svc = services(context)
    data = await _download(update, context, document.file_id, document.file_size)
    if data is None:
        return
    try:  # parsed in a child process (CPU-bound), diffed in a worker thread (database)
        parsed = await svc.parser.parse(data)
        plan = await in_session(svc.db, lambda session: store.plan_import(session, parsed,
                                                                          svc.settings.tz))
    except (SeedError, AdminError) as exc:
        await reply(update, t.IMPORT_INVALID.format(error=esc(shorten(str(exc), 3000))))
        return
    if plan.empty:
        await reply(update, t.IMPORT_NO_CHANGE)
        return
    token = secrets.token_hex(4)  # unique across restarts and replicas, unlike next_token
    context.user_data[PENDING_IMPORT] = {"token": token, "file_id": document.file_id,
                                         "version": plan.version}
    await save_user_state(update, context)
    await reply(update, import_summary(plan, document.file_name or "document"),
                _import_keyboard(plan, token))


def _import_keyboard(plan: store.ImportPlan, token: str) -> InlineKeyboardMarkup | None:
    """Apply or cancel; an import deleting most of a section gets no ordinary "apply", but a
    button of its own that says what it deletes, under the cancel one."""
    cancel = button(t.IMPORT_CANCEL, Prefix.ADMIN, AdminAction.IMPORT, NO)
    if not plan.mass_deletions:
        return keyboard([[button(t.IMPORT_APPLY, Prefix.ADMIN, AdminAction.IMPORT, token),
                          cancel]])
    deleting = button(t.IMPORT_APPLY_DELETING.format(count=plan.removed), Prefix.ADMIN,
                      AdminAction.IMPORT, token, ALLOW_DELETIONS)
    return keyboard([[cancel], [deleting]])


async def _download(update: Update, context: Context, file_id: str,
                    size: int | None) -> bytes | None:
    """The file's bytes, refused above the size limit before downloading anything."""
    size = size or 0
    if size <= MAX_BACKUP_BYTES:
        try:
            data = bytes(await (await context.bot.get_file(file_id)).download_as_bytearray())
        except BadRequest as exc:  # no size in the message, and over Telegram's 20 MB
            if not file_too_big(exc):
                raise
            await reply(update, t.IMPORT_TOO_BIG_FOR_TELEGRAM)
            return None
        size = len(data)
        if size <= MAX_BACKUP_BYTES:
            return data
    await reply(update, t.IMPORT_TOO_BIG.format(size=french_number(size),
                                                 limit=french_number(MAX_BACKUP_BYTES)))
    return None


def import_summary(plan: store.ImportPlan, name: str) -> str:
    lines = [t.IMPORT_SUMMARY.format(name=esc(shorten(name, 80)))]
    if plan.mass_deletions:  # first: it decides whether to read on
        lines.append(t.IMPORT_MASS_DELETION.format(warning=esc(store.mass_deletion_warning(plan))))
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
    if plan.removed and not plan.mass_deletions:
        lines.append(t.IMPORT_WARN_REMOVED.format(count=plan.removed))
    lines.append(t.IMPORT_CONFIRM)
    return "\n".join(lines)


def _keys(keys: list[str], limit: int = 5) -> str:
    shown = ", ".join(shorten(str(key), 60) for key in keys[:limit])
    more = f", … +{len(keys) - limit}" if len(keys) > limit else ""
    return esc(shown + more)


async def import_button(update: Update, context: Context, args: list[str]) -> None:
    pending = context.user_data.get(PENDING_IMPORT)
    if args[0] == NO:
        await _forget_pending(update, context)
        await edit(update, t.IMPORT_CANCELLED)
        return
    if args[1:] not in ([], [ALLOW_DELETIONS]):
        raise ValueError(args[1])  # forged: told as stale
    if pending is None or str(pending["token"]) != args[0]:
        await tell(update, t.STALE)
        return
    await _forget_pending(update, context)
    svc, user_id, name = services(context), update.effective_user.id, admin_name(update)
    allowed = args[1:] == [ALLOW_DELETIONS]
    try:
        data = await _download(update, context, pending["file_id"], None)
    except TelegramError:
        data = None
    if data is None:
        await edit(update, t.IMPORT_FILE_GONE)
        return
    try:
        document = await svc.parser.parse(data)
        plan = await in_transaction(svc.db, lambda session: store.apply_import(
            session, document, svc.settings.tz, user_id, pending["version"],
            allow_deletions=allowed, by=name))
    except (AdminError, SeedError) as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    count = sum(diff.count for diff in plan.diffs)
    await changed(update, context, f"import ({count} entries)")
    await edit(update, t.IMPORT_APPLIED.format(count=count))


async def _forget_pending(update: Update, context: Context) -> None:
    """Drop the previewed import, here and in the database."""
    if context.user_data.pop(PENDING_IMPORT, None) is not None:
        await save_user_state(update, context)
