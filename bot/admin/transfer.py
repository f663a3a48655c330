"""/export and /import: the whole base as a YAML document, and a previewed import."""

from __future__ import annotations

from telegram import Document, Update
from telegram.ext import ApplicationHandlerStop

from bot import texts as t
from bot.admin.access import (
    AWAIT_IMPORT,
    PENDING_IMPORT,
    Context,
    admin_only,
    authorised,
    changed,
    edit,
    is_admin,
    leave_conversations,
    next_token,
    reply,
    tell,
)
from bot.callbacks import NO, AdminAction, Prefix
from bot.context import services
from bot.formatting import button, esc, keyboard, shorten
from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.models import utcnow
from knowledge.seed import MAX_DOCUMENT_BYTES, SeedError
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
            return  # the public handlers answer it
        if not await is_admin(services(context), user.id):
            await leave_conversations(update, context)
            return  # no longer an admin: a file like anyone's
    if not await authorised(update, context):
        raise ApplicationHandlerStop
    context.user_data.pop(AWAIT_IMPORT, None)
    await _preview_import(update, context, message.document)
    raise ApplicationHandlerStop


async def _preview_import(update: Update, context: Context, document: Document) -> None:
    svc = services(context)
    data = await _download(update, document)
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
    token = next_token(context)
    context.user_data[PENDING_IMPORT] = {"token": token, "document": parsed,
                                         "version": plan.version}
    markup = keyboard([[button(t.IMPORT_APPLY, Prefix.ADMIN, AdminAction.IMPORT, token),
                        button(t.IMPORT_CANCEL, Prefix.ADMIN, AdminAction.IMPORT, NO)]])
    await reply(update, import_summary(plan, document.file_name or "document"), markup)


async def _download(update: Update, document: Document) -> bytes | None:
    """The file's bytes, refused above the size limit before downloading anything."""
    size = document.file_size or 0
    if size <= MAX_DOCUMENT_BYTES:
        data = bytes(await (await document.get_file()).download_as_bytearray())
        size = len(data)
        if size <= MAX_DOCUMENT_BYTES:
            return data
    await reply(update, t.IMPORT_TOO_BIG.format(size=french_number(size),
                                                 limit=french_number(MAX_DOCUMENT_BYTES)))
    return None


def import_summary(plan: store.ImportPlan, name: str) -> str:
    lines = [t.IMPORT_SUMMARY.format(name=esc(shorten(name, 80)))]
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
    shown = ", ".join(shorten(str(key), 60) for key in keys[:limit])
    more = f", … +{len(keys) - limit}" if len(keys) > limit else ""
    return esc(shown + more)


async def import_button(update: Update, context: Context, args: list[str]) -> None:
    pending = context.user_data.get(PENDING_IMPORT)
    if args[0] == NO:
        context.user_data.pop(PENDING_IMPORT, None)
        await edit(update, t.IMPORT_CANCELLED)
        return
    if pending is None or str(pending["token"]) != args[0]:
        await tell(update, t.STALE)
        return
    context.user_data.pop(PENDING_IMPORT, None)
    svc, user_id = services(context), update.effective_user.id
    try:
        plan = await in_transaction(svc.db, lambda session: store.apply_import(
            session, pending["document"], svc.settings.tz, user_id, pending["version"]))
    except (AdminError, SeedError) as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    count = sum(diff.count for diff in plan.diffs)
    await changed(update, context, f"import ({count} entries)")
    await edit(update, t.IMPORT_APPLIED.format(count=count))
