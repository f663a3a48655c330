"""/admins, /admin_ajouter, /admin_retirer: who administers the base."""

from __future__ import annotations

import logging

from telegram import Update

from bot import texts as t
from bot.admin.access import (
    Context,
    admin_name,
    admin_only,
    clear_admin_menu,
    problem,
    reply,
    set_admin_menu,
)
from bot.callbacks import parse_id
from bot.context import services
from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.store import in_session, in_transaction

log = logging.getLogger(__name__)


@admin_only
async def admin_add_command(update: Update, context: Context) -> None:
    """/admin_ajouter <id>: promote a user (their admin menu is set at once)."""
    user_id = _user_id_argument(context)
    if user_id is None:
        await reply(update, t.ADMIN_USAGE.format(command="admin_ajouter"))
        return
    svc = services(context)
    added = await in_transaction(svc.db, lambda session: store.add_admin(
        session, svc.settings.admin_ids, user_id, update.effective_user.id, admin_name(update)))
    if not added:
        await reply(update, t.ADMIN_ALREADY.format(user_id=user_id))
        return
    log.warning("admin %s promoted %s", update.effective_user.id, user_id)
    await set_admin_menu(context.application, user_id)
    await reply(update, t.ADMIN_ADDED.format(user_id=user_id))


@admin_only
async def admin_remove_command(update: Update, context: Context) -> None:
    """/admin_retirer <id>: remove a promoted admin (configured ones stay)."""
    user_id = _user_id_argument(context)
    if user_id is None:
        await reply(update, t.ADMIN_USAGE.format(command="admin_retirer"))
        return
    svc = services(context)
    try:
        await in_transaction(svc.db, lambda session: store.remove_admin(
            session, svc.settings.admin_ids, user_id, update.effective_user.id,
            admin_name(update)))
    except AdminError as exc:
        await problem(update, exc)
        return
    log.warning("admin %s removed admin %s", update.effective_user.id, user_id)
    # Their admin conversations, if any, end at their next update, on whichever replica
    # (access.admin_step, access.leave_conversations; /stop still says it was abandoned).
    await clear_admin_menu(context.application, user_id)
    await reply(update, t.ADMIN_REMOVED.format(user_id=user_id))


def _user_id_argument(context: Context) -> int | None:
    args = context.args or []
    return parse_id(args[0]) if len(args) == 1 else None


@admin_only
async def admins_command(update: Update, context: Context) -> None:
    svc = services(context)
    configured = set(svc.settings.admin_ids)
    everyone = await in_session(svc.db, lambda session: store.admin_ids(session, configured))
    lines = [t.ADMINS_TITLE]
    for user_id in sorted(everyone):
        template = t.ADMINS_CONFIGURED if user_id in configured else t.ADMINS_PROMOTED
        lines.append(template.format(user_id=user_id))
    await reply(update, "\n".join(lines))
