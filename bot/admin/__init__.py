"""Admin commands: keep the knowledge base current from the chat, safely.

The handlers run in group `ADMIN_GROUP` (-2), before flood control (-1) and the public
handlers (0), and stop the update once handled: text typed during the guided conversation
is never taken for a question, and an imported file never gets the "text only" reply.
Refused users still go through flood control before being answered.

Modules: `access` (authorisation, replies, command menus), `entries` (/champs, /liste,
/modifier, /supprimer, /annuler), `guided` (/ajouter), `transfer` (/export, /import),
`journal` (/journal, /questions, /rattacher), `admins` (/admins, /admin_ajouter,
/admin_retirer), `documents` (documents loaded, /documents, their dates proposed as
milestones). Each handler parses, calls `knowledge.admin_store` in one transaction (with
its audit row), then `Services.knowledge_changed()` and confirms. Callback data are "adm:…"
with ids only. Concurrency rules: see `knowledge.admin_store`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import texts as t
from bot.admin import admins, documents, entries, guided, journal, transfer
from bot.admin.access import (
    NEW_MESSAGE,
    Callback,
    Context,
    admin_commands,
    admin_only,
    edit,
    ensure_admin_menu,
    set_admin_command_menus,
    tell,
)
from bot.callbacks import AdminAction, admin_pattern, parse, require_id

__all__ = ["ADMIN_GROUP", "COMMANDS", "admin_commands", "register_admin_handlers",
           "set_admin_command_menus"]

ADMIN_GROUP = -2

COMMANDS: dict[str, Callback] = {
    "champs": entries.fields_command,
    "liste": entries.list_command,
    "modifier": entries.edit_command,
    "supprimer": entries.delete_command,
    "annuler": entries.undo_command,
    "export": transfer.export_command,
    "import": transfer.import_command,
    "documents": documents.documents_command,
    "journal": journal.journal_command,
    "questions": journal.questions_command,
    "rattacher": journal.attach_command,
    "admins": admins.admins_command,
    "admin_ajouter": admins.admin_add_command,
    "admin_retirer": admins.admin_remove_command,
}


@admin_only
async def on_admin_button(update: Update, context: Context) -> None:
    """Every "adm:…" button outside the guided conversation."""
    parsed = parse(update.callback_query.data)
    parts = parsed.args if parsed else []
    head, args = (parts[0], parts[1:]) if parts else ("", [])
    routes: dict[str, Callable[[], Awaitable[None]]] = {
        AdminAction.LIST_PAGE: lambda: entries.list_button(update, context, args),
        AdminAction.QUESTIONS_PAGE: lambda: journal.questions_page_button(update, context, args),
        AdminAction.JOURNAL_PAGE: lambda: journal.journal_page_button(update, context, args),
        AdminAction.DELETE: lambda: entries.delete_button(update, context, args),
        AdminAction.KEEP: lambda: edit(update, t.KEPT),
        AdminAction.UNDO: lambda: entries.undo_button(update, context, args),
        AdminAction.IMPORT: lambda: transfer.import_button(update, context, args),
        AdminAction.QUESTION: lambda: journal.question_button(update, context, args),
        AdminAction.ATTACH: lambda: journal.attach(update, context, require_id(args[0]),
                                                   args[1], require_id(args[2])),
        AdminAction.DISMISS: lambda: journal.dismiss_button(update, context, args),
        AdminAction.NEW: lambda: tell(update, t.GUIDED_ALREADY),
        AdminAction.DOCUMENT: lambda: documents.document_button(update, context, args),
        AdminAction.DOCUMENT_DELETE: lambda: documents.delete_button(update, context, args),
        AdminAction.DOCUMENT_DATE: lambda: documents.dates_button(update, context, args),
    }
    route = routes.get(head)
    try:
        if route is None:
            raise ValueError(head)
        await route()
    except (ValueError, IndexError, KeyError):
        await tell(update, t.STALE)


def register_admin_handlers(application: Application) -> None:
    """Add the admin handlers (group ADMIN_GROUP, before flood control and public ones)."""
    application.add_handler(TypeHandler(Update, ensure_admin_menu, block=False),
                            group=ADMIN_GROUP - 1)
    application.add_handler(guided.guided_conversation(application.user_data),
                            group=ADMIN_GROUP)
    application.add_handler(journal.find_conversation(application.user_data),
                            group=ADMIN_GROUP)
    application.add_handler(documents.title_conversation(application.user_data),
                            group=ADMIN_GROUP)
    application.add_handler(documents.dates_conversation(application.user_data),
                            group=ADMIN_GROUP)
    for name, callback in COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=NEW_MESSAGE),
                                group=ADMIN_GROUP)
    application.add_handler(
        MessageHandler(NEW_MESSAGE & filters.Document.ALL, transfer.on_document),
        group=ADMIN_GROUP)
    application.add_handler(CallbackQueryHandler(on_admin_button, pattern=admin_pattern()),
                            group=ADMIN_GROUP)
