"""Who may use the admin commands, how they are answered, and their command menus.

Who: the Telegram ids in ADMIN_IDS plus the admins promoted in the database. Everyone else
gets a polite refusal (logged at WARNING, nothing changes). Admin commands work in private
chats only, and show in the command menu of the admins' private chats only.

An admin who loses the right (removed, perhaps on another replica, or taken out of
ADMIN_IDS) leaves every admin conversation at their next update: a refusal ends them all, and
a conversation's next step (`admin_step`) lets the message go on to the public handlers.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import BotCommand, BotCommandScopeChat, Update
from telegram.constants import CallbackQueryLimit, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    ContextTypes,
    ConversationHandler,
    filters,
)

from bot import texts as t
from bot.context import SERVICES_KEY, Services, services
from bot.formatting import display_name, esc, plain, shorten
from bot.handlers import flood_control
from bot.persistence import forget_user_state
from bot.sending import send_html, show_html
from knowledge import admin_store as store
from knowledge.store import in_session

log = logging.getLogger(__name__)

COUNTER, MENU_DONE = "adm_counter", "adm_menu_done"
ALERT_LENGTH = CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
NEW_MESSAGE = filters.UpdateType.MESSAGE  # an edited command is not run a second time

# user_data of the admin conversations, all persisted (bot.app, bot.persistence): the guided
# /ajouter draft, the 🔎 search for a question's entry, an /import awaiting its file or its
# confirmation
DRAFT, FINDING = "adm_draft", "adm_finding"
PENDING_IMPORT, AWAIT_IMPORT = "adm_import", "adm_await"
PENDING_DOCUMENT = "adm_document"  # a document previewed, waiting for « Confirmer »
DOCUMENT_DATES = "adm_dates"  # the dates proposed from documents: done, corrected, in edition
CONVERSATIONS = (DRAFT, FINDING, PENDING_IMPORT, AWAIT_IMPORT, PENDING_DOCUMENT, DOCUMENT_DATES)

Context = ContextTypes.DEFAULT_TYPE
Callback = Callable[[Update, Context], Awaitable[Any]]


async def is_admin(svc: Services, user_id: int) -> bool:
    return await in_session(svc.db, lambda session: store.is_admin(
        session, svc.settings.admin_ids, user_id))


async def authorised(update: Update, context: Context) -> bool:
    """Admins in private chats pass; others are refused politely, and logged."""
    user, chat = update.effective_user, update.effective_chat
    if user is not None and await is_admin(services(context), user.id):
        if chat is not None and chat.type == ChatType.PRIVATE:
            return True
        await tell(update, t.PRIVATE_ONLY)
        return False
    await flood_control(update, context)  # a refused user is still rate-limited
    await leave_conversations(update, context)
    what = update.callback_query.data if update.callback_query else _command_of(update)
    log.warning("admin command refused: user %s in chat %s tried %r",
                user.id if user else None, chat.id if chat else None, what)
    await tell(update, t.REFUSED)
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
        if not await authorised(update, context):
            raise ApplicationHandlerStop
        raise ApplicationHandlerStop(await callback(update, context))

    return guarded


def admin_step(callback: Callback) -> Callback:
    """`admin_only` for the steps of a conversation already begun. Someone who is no longer
    an admin leaves it: a button is refused; a message goes on to the public handlers (a
    question is answered, a command runs as for anyone)."""
    guarded = admin_only(callback)

    @functools.wraps(callback)
    async def step(update: Update, context: Context) -> Any:
        user = update.effective_user
        if user is not None and await is_admin(services(context), user.id):
            return await guarded(update, context)
        await leave_conversations(update, context)
        if update.callback_query is not None:
            await tell(update, t.REFUSED)
            raise ApplicationHandlerStop(ConversationHandler.END)
        return ConversationHandler.END

    return step


async def leave_conversations(update: object, context: Context) -> None:
    """End the user's admin conversations, here and in the database (as another replica may
    have saved them last), so that none resumes if they are promoted again."""
    left = await forget_user_state(update, context, CONVERSATIONS)
    if not left:
        return
    user = update.effective_user if isinstance(update, Update) else None
    log.warning("admin conversations of user %s ended (%s): no longer an admin",
                user.id if user else None, ", ".join(left))


async def tell(update: Update, html: str, markup: Any = None) -> None:
    """A short answer: an alert for a button, a message otherwise."""
    if update.callback_query is not None:
        await update.callback_query.answer(shorten(plain(html), ALERT_LENGTH), show_alert=True)
    elif update.effective_message is not None:
        await send_html(update.effective_message, html, markup)


async def reply(update: Update, html: str, markup: Any = None) -> None:
    await send_html(update.effective_message, html, markup)


async def problem(update: Update, error: Exception) -> None:
    await tell(update, t.PROBLEM.format(error=esc(error)))


async def edit(update: Update, html: str, markup: Any = None) -> None:
    """Replace the pressed message (a new message if it can't be), then answer the press."""
    await show_html(update, html, markup)


async def tell_or_edit(update: Update, html: str) -> None:
    if update.callback_query is not None:
        await edit(update, html)
    else:
        await reply(update, html)


def file_too_big(error: TelegramError) -> bool:
    """getFile refused: Telegram hands bots no file over 20 MB (the message's size, which
    the bot checks first, is optional)."""
    return isinstance(error, BadRequest) and "too big" in str(error).lower()


def next_token(context: Context) -> int:
    """A small number naming something this process keeps for a later button (a list)."""
    return next(context.bot_data.setdefault(COUNTER, itertools.count(1)))


def arguments(update: Update) -> list[str]:
    """The words after the command, split like a shell (quotes « » “ ” accepted)."""
    _, _, rest = (update.effective_message.text or "").partition(" ")
    return store.split_words(rest)


def admin_name(update: Update) -> str:
    """The name the audit trail records for the admin acting ("" when Telegram gives none)."""
    return display_name(update.effective_user)


async def changed(update: Update, context: Context, what: str) -> None:
    """After a committed change: log it, reload the engine, reschedule reminders (in a
    worker thread: both read the database)."""
    log.info("admin %s: %s", update.effective_user.id, what)
    await asyncio.to_thread(services(context).knowledge_changed)


def admin_commands() -> list[BotCommand]:
    return [BotCommand(name, description)
            for name, description in [*t.COMMANDS_PUBLIC, *t.COMMANDS_ADMIN]]


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
    if await is_admin(services(context), user.id):
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
    everyone = await in_session(svc.db, lambda session: store.admin_ids(
        session, svc.settings.admin_ids))
    for user_id in sorted(everyone):
        await set_admin_menu(application, user_id)
