"""Handlers for officials: commands, menus, free-text questions, inline mode, errors.

Each handler is thin: read the update, ask the domain, send what `screens`/`formatting`
built. Everything user-typed is escaped before it reaches HTML.
"""

from __future__ import annotations

import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session
from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, CommandHandler, ContextTypes

from bot import conversation, screens, texts
from bot.callbacks import AgendaView, Menu, Prefix, parse, parse_id
from bot.context import services
from bot.formatting import (
    answer_html,
    answer_keyboard,
    display_name,
    distinct_labels,
    esc,
    shorten,
    split_html,
)
from bot.sending import send_html, show
from knowledge import admin_store, links
from knowledge.admin_store.documents import document_titles
from knowledge.engine import CONFIDENT, Answer, AnswerEngine, AnswerKind
from knowledge.models import utcnow
from knowledge.render import KnowledgeView
from knowledge.store import in_session, in_transaction, log_unanswered
from knowledge.text import normalize, stem

log = logging.getLogger(__name__)
A = TypeVar("A", Answer, Answer | None)  # with_upcoming keeps what it is given

FLOOD_LIMIT = 20  # messages per sender (a user, or a chat sending as itself) …
FLOOD_WINDOW = 60.0  # … per this many seconds
INLINE_RESULTS = 10
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[object]]
AXIS_PAYLOAD = "axe_"  # /start axe_2: deep link to an axis


class Verdict(StrEnum):
    """What flood control decides for one update."""

    OK = "ok"
    WARN = "warn"  # first refusal: say so
    DROP = "drop"  # later refusals: silently ignored


async def detached_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler: a press that comes with no message we can see (forged, or
    on an inline or too old message) is answered with an alert and goes no further. All our
    buttons sit on messages in chats, so every handler can count on the message."""
    query = update.callback_query
    if query is None or isinstance(query.message, Message):
        return
    log.info("button without a message from user %s", query.from_user.id)
    await query.answer(texts.STALE_BUTTON, show_alert=True)
    raise ApplicationHandlerStop


# ---------------------------------------------------------------------- flood control
class FloodGuard:
    """At most `limit` messages per sender per `window` seconds; one polite warning."""

    def __init__(self, limit: int = FLOOD_LIMIT, window: float = FLOOD_WINDOW) -> None:
        self.limit = limit
        self.window = window
        self.seen: dict[int, deque[float]] = defaultdict(deque)
        self.warned: set[int] = set()

    def check(self, user_id: int, now: float | None = None) -> Verdict:
        """OK, WARN (first refusal: say so) or DROP (silently ignore)."""
        now = time.monotonic() if now is None else now
        stamps = self.seen[user_id]
        while stamps and now - stamps[0] > self.window:
            stamps.popleft()
        if len(stamps) < self.limit:
            stamps.append(now)
            self.warned.discard(user_id)
            return Verdict.OK
        if user_id in self.warned:
            return Verdict.DROP
        self.warned.add(user_id)
        return Verdict.WARN


async def flood_control(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Runs before every handler (group -1); stops the update when a sender floods.

    The sender is the user, or the chat a group message is sent on behalf of (Telegram's
    `sender_chat`): the anonymous admins of one group share its allowance, not those of
    every group (all of them come `from` GroupAnonymousBot), and a message without `from`
    counts too. Channel posts are not answered, so not counted.
    """
    sender = update.effective_sender
    if sender is None or update.inline_query is not None \
            or update.channel_post is not None or update.edited_channel_post is not None:
        return
    guard: FloodGuard = context.bot_data.setdefault("flood_guard", FloodGuard())
    verdict = guard.check(sender.id)  # users' ids are positive, chats' negative: no clash
    if verdict is Verdict.OK:
        return
    warn = verdict is Verdict.WARN
    if warn:
        log.warning("flood control: sender %s slowed down", sender.id)
    if update.callback_query:  # every press is answered, even a dropped one (no spinner)
        await update.callback_query.answer(texts.SLOW_DOWN, show_alert=warn)
    elif warn and update.effective_message:
        await update.effective_message.reply_text(texts.SLOW_DOWN, do_quote=False)
    raise ApplicationHandlerStop


# ---------------------------------------------------------------------- commands
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start [payload]: welcome and menus; a deep-link payload opens a topic directly."""
    if context.args:
        await open_payload(update, context, context.args[0])
        return
    view, documents = services(context).engine.view, await documents_loaded(context)
    await send_html(update.effective_message, welcome(update, view, documents),
                    screens.main_menu(view))


async def documents_loaded(context: ContextTypes.DEFAULT_TYPE) -> list[str]:
    """The titles of the documents answers may quote (the screens name them when the base
    holds nothing else on their subject)."""
    return await in_session(services(context).db, document_titles)


async def open_payload(update: Update, context: ContextTypes.DEFAULT_TYPE, payload: str) -> None:
    view, documents = services(context).engine.view, await documents_loaded(context)
    routes = {
        "priorites": lambda: screens.axes_screen(view, 0, documents),
        "elus": lambda: screens.people_screen(view, 0, documents),
        "chiffres": lambda: screens.figures_screen(view, 0, documents),
        "agenda": lambda: screens.agenda_screen(view, 0, services(context).clock()),
    }
    if payload in routes:
        await show(update, routes[payload]())
    elif (payload.startswith(AXIS_PAYLOAD)
          and (number := parse_id(payload.removeprefix(AXIS_PAYLOAD))) is not None):
        await show(update, screens.axis_screen(view, number))
    else:
        await answer_question(update, context, payload.replace("_", " ").replace("-", " "))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """What the bot does; an admin, in private, also reads what their commands do."""
    view = services(context).engine.view
    html = screens.help_html(context.bot.username, view, await documents_loaded(context))
    if await _admin_in_private(update, context):
        html += texts.help_admin()
    await send_html(update.effective_message, html, screens.main_menu(view))


async def _admin_in_private(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or chat.type != ChatType.PRIVATE or user is None:
        return False
    svc = services(context)
    return await in_session(svc.db, lambda session: admin_store.is_admin(
        session, svc.settings.admin_ids, user.id))


async def stop_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stop outside a guided conversation (which answers it itself): nothing to stop."""
    await send_html(update.effective_message, texts.STOP_NOTHING)


async def priorities_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show(update, await _menu(update, context, Menu.PRIORITIES))


async def people_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show(update, await _menu(update, context, Menu.PEOPLE))


async def figures_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await show(update, await _menu(update, context, Menu.FIGURES))


async def agenda_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    await show(update, screens.agenda_screen(svc.engine.view, 0, svc.clock()))


async def search_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/chercher <texte>: the best matches as buttons."""
    query = " ".join(context.args or []).strip()
    if not query:
        await send_html(update.effective_message, texts.SEARCH_USAGE)
        return
    results = await services(context).answering(lambda engine: engine.search(query, limit=6))
    if not results and await documents_loaded(context):  # the documents may say it
        await answer_question(update, context, query)
        return
    if not results:
        await send_html(update.effective_message, texts.SEARCH_NONE.format(query=esc(query)))
        return
    first, others = results[0], results[1:]
    text = texts.SEARCH_RESULTS.format(query=esc(query)) + "\n\n" + answer_html(first)
    others = [a for a in others if a.matches]
    labels = distinct_labels([_label(a) for a in others])
    rows = [[screens.button(label, Prefix.ENTRY, a.matches[0].kind, a.matches[0].entry_id)]
            for label, a in zip(labels, others, strict=True)]
    await send_html(update.effective_message, text, screens.keyboard(rows))


def _label(answer: Answer) -> str:
    return answer.matches[0].title if answer.matches else answer.headline


# ---------------------------------------------------------------------- questions
async def text_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text: every message in private; in groups only when addressed to the bot."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if message.chat.type != ChatType.PRIVATE and not _addressed_to_bot(
        message, context.bot.username, context.bot.id
    ):
        return
    text = _strip_mention(message, context.bot.username)
    if not text.strip():
        await help_command(update, context)
        return
    command = _command_callback(context, screen_named(text))
    if command is not None:  # 'agenda', 'menu': the screen, not a search for the word
        await command(update, context)
        return
    await answer_question(update, context, text)


# A message that only names a screen opens it ('menu', 'les élus', 'je voudrais recevoir les
# rappels'), once the words wrapping the name are set aside; the command that shows it.
SCREEN_NAMES = {
    "menu": "start", "accueil": "start", "aide": "aide", "help": "aide",
    "agenda": "agenda", "chiffres": "chiffres", "chiffres cles": "chiffres",
    "elus": "elus", "priorites": "priorites",
    "abonner": "abonner", "recevoir rappels": "abonner", "recevoir rappel": "abonner",
}
_WRAPPING = frozenset("""
    je j voudrais veux voudrai souhaite souhaiterais aimerais peux pouvez puis voir afficher
    ouvrir montre montrez donne donnez moi me m le la les l mon ma mes du des svp stp please
    il vous plait merci
    """.split())


def screen_named(text: str) -> str | None:
    """The command of the screen a plain message names, None for a question ('quel est
    l'agenda du PCAET' asks about the PCAET)."""
    words = [w for w in normalize(text).split() if w not in _WRAPPING]
    return SCREEN_NAMES.get(" ".join(words))


def _command_callback(context: ContextTypes.DEFAULT_TYPE, name: str | None) -> Callback | None:
    """The callback the application runs for /`name` (so a word opens exactly its screen)."""
    if name is None:
        return None
    for group in context.application.handlers.values():
        for handler in group:
            if isinstance(handler, CommandHandler) and name in handler.commands:
                return handler.callback
    return None


def _addressed_to_bot(message: Message, username: str, bot_id: int) -> bool:
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    mentions = message.parse_entities([MessageEntity.MENTION])
    return any(value.lower() == f"@{username}".lower() for value in mentions.values())


def _strip_mention(message: Message, username: str) -> str:
    """The text without '@bot' and the punctuation that follows it ('@bot, qui …')."""
    pattern = rf"@{re.escape(username)}\b[\s,;:!?.]*"
    return " ".join(re.sub(pattern, " ", message.text or "", flags=re.IGNORECASE).split())


async def answer_question(update: Update, context: ContextTypes.DEFAULT_TYPE,
                          question: str) -> None:
    svc = services(context)
    user = update.effective_user.id if update.effective_user else 0
    previous = conversation.previous_query(context.chat_data, user)
    answer, upcoming = await svc.answering(
        lambda engine: with_upcoming(engine, links.ask(engine, question, previous)))
    conversation.remember(context.chat_data, user, answer)
    await _log_if_weak(svc, answer)  # a locked database stalls only this reply
    notes = []
    if answer.kind is AnswerKind.UNKNOWN and not answer.small_talk:
        notes.append(texts.UNKNOWN_LOGGED)
        commands = _commands_named(question)
        if commands:
            notes.append(texts.COMMAND_HINT.format(
                commands=", ".join(f"/{name}" for name in commands)))
    await send_html(update.effective_message, answer_html(answer, notes),
                    answer_keyboard(answer, upcoming))


def with_upcoming(engine: AnswerEngine, answer: A) -> tuple[A, frozenset[int]]:
    """The answer, and those of its milestones still to come (the 🔔 is offered for those
    only). Runs with the engine, in its thread: it reads the engine's view."""
    wanted = set(answer.milestone_ids) if answer is not None else set()
    now = utcnow()
    return answer, frozenset(m.id for project in engine.view.projects
                             for m in project.milestones if m.id in wanted and m.start >= now)


def _commands_named(question: str) -> list[str]:
    """Commands a message names in words ('mes abonnements' → /abonnements)."""
    words = {stem(w) for w in normalize(question).split()}
    return [name for name, _ in texts.COMMANDS_PUBLIC
            if stem(name) in words]


async def _log_if_weak(svc, answer: Answer) -> None:  # noqa: ANN001 - Services
    """Unknown and low-confidence questions go to the admins' list (/questions)."""
    weak = answer.kind is not AnswerKind.ANSWER or answer.score < CONFIDENT
    if not weak or answer.small_talk:
        return
    kind = "unknown" if answer.kind is not AnswerKind.ANSWER else "low"

    def count(session: Session) -> None:
        log_unanswered(session, answer.question, answer.normalized, answer.score, kind)

    try:
        try:
            await in_transaction(svc.db, count)
        except IntegrityError:  # the same question, asked in another chat, logged meanwhile:
            await in_transaction(svc.db, count)  # counted on its row
    except Exception:  # noqa: BLE001 - logging a question must never break the reply
        log.exception("could not log an unanswered question")


async def unsupported_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice…: a gentle hint in private chats, silence in groups."""
    message = update.effective_message
    if message is not None and message.chat.type == ChatType.PRIVATE:
        await message.reply_text(texts.UNSUPPORTED, do_quote=False)


# ---------------------------------------------------------------------- buttons
async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Menu navigation and suggestion buttons (`bot.callbacks.MENU_PREFIXES`)."""
    query = update.callback_query
    parsed = parse(query.data)
    view = services(context).engine.view
    head, args = (parsed.prefix, parsed.args) if parsed else (None, [])
    number = parse_id(args[-1]) if args else 0
    number = -1 if number is None else number
    if head is Prefix.MENU:
        page = number if len(args) > 1 else 0
        await show(update, await _menu(update, context, args[0] if args else Menu.MAIN, page))
    elif head is Prefix.AXIS:
        page = number if len(args) > 1 else 0
        axis = parse_id(args[0]) if args else None
        await show(update, screens.axis_screen(view, -1 if axis is None else axis, page))
    elif head is Prefix.PRIORITY:
        await show(update, screens.priority_screen(view, number))
    elif head is Prefix.PERSON:
        await show(update, screens.person_screen(view, number))
    elif head is Prefix.COMMUNE:
        await show(update, screens.commune_screen(view, number))
    elif head is Prefix.AGENDA:
        await show(update, _agenda(context, args[0] if args else "", number))
    elif head is Prefix.ENTRY and len(args) == 2:
        await _describe(update, context, args[0], number)
    elif head is Prefix.MORE and len(args) in (2, 3):
        await _more(update, view, args[0], parse_id(args[1]), number if len(args) == 3 else None)
    else:
        await query.answer(texts.STALE_BUTTON, show_alert=True)


async def on_unrouted_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Callback data that no handler routes (forged, or from an older version): an alert."""
    log.info("unrouted callback data %r from user %s", (update.callback_query.data or "")[:64],
             update.effective_user.id if update.effective_user else None)
    await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)


def _agenda(context: ContextTypes.DEFAULT_TYPE, which: str, page: int) -> screens.Screen:
    svc = services(context)
    if which == AgendaView.PAST:
        return screens.past_agenda_screen(svc.engine.view, page, svc.clock())
    return screens.agenda_screen(svc.engine.view, page, svc.clock())


async def _menu(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str,
                page: int = 0) -> screens.Screen:
    view, documents = services(context).engine.view, await documents_loaded(context)
    if name == Menu.PRIORITIES:
        return screens.axes_screen(view, page, documents)
    if name == Menu.PEOPLE:
        return screens.people_screen(view, page, documents)
    if name == Menu.FIGURES:
        return screens.figures_screen(view, page, documents)
    if name == Menu.COMMUNES:
        return screens.communes_screen(view, page, documents)
    if name == Menu.HELP:
        return screens.help_html(context.bot.username, view, documents), screens.main_menu(view)
    return welcome(update, view, documents), screens.main_menu(view)


def welcome(update: Update, view: KnowledgeView, documents: list[str]) -> str:
    """"Bonjour Alice 👋" (or "Bonjour 👋" for a user without a first name), and what the
    bot answers from: the base's entries, else its documents, else nothing yet."""
    first = display_name(update.effective_sender, first=True)
    name = f" {esc(first)}" if first else ""
    if screens.holds_entries(view):
        return texts.WELCOME.format(name=name)
    if documents:
        return texts.WELCOME_DOCUMENTS.format(
            name=name, documents=esc(screens.document_list(documents)))
    return texts.WELCOME_EMPTY.format(name=name)


async def _describe(update: Update, context: ContextTypes.DEFAULT_TYPE, kind: str,
                    entry_id: int) -> None:
    answer, upcoming = await services(context).answering(
        lambda engine: with_upcoming(engine, engine.describe(kind, entry_id)))
    if answer is None:
        await update.callback_query.answer(texts.STALE_BUTTON, show_alert=True)
        return
    await send_html(update.effective_message, answer_html(answer),
                    answer_keyboard(answer, upcoming))
    await update.callback_query.answer()  # last: a failure can still be told in the alert


async def _more(update: Update, view: KnowledgeView, kind: str, key: int | None,
                page: int | None) -> None:
    """« Voir la suite » under an answer: its rest in a new message below it (the answer
    stays as it is); the rest's own page buttons (with a page number) turn that message."""
    screen = screens.more_screen(view, kind, -1 if key is None else key, max(page or 0, 0))
    if screen is None or page is not None:
        await show(update, screen)
        return
    await send_html(update.effective_message, *screen)
    await update.callback_query.answer()


# ---------------------------------------------------------------------- inline mode
async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """'@bot logement' in any chat: up to 10 ready-to-send answers."""
    query = update.inline_query
    text = (query.query or "").strip()
    if not text:
        await query.answer([], cache_time=5, button=None)
        return
    results = []
    answers = await services(context).answering(lambda engine: engine.search(text, INLINE_RESULTS))
    for index, answer in enumerate(answers):
        body = split_html(answer_html(answer))[0]
        results.append(InlineQueryResultArticle(
            id=f"r{index}",
            title=shorten(_label(answer), 100),
            description=shorten(answer.body[0] if answer.body else answer.headline, 200),
            input_message_content=InputTextMessageContent(body, parse_mode=ParseMode.HTML),
        ))
    await query.answer(results, cache_time=10, is_personal=False)


# ---------------------------------------------------------------------- errors
async def error_handler(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failing update (never the token) and tell the user once, in French."""
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("error while handling update %s: %s", update_id, context.error,
              exc_info=context.error)
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(texts.ERROR, show_alert=True)
        elif update.effective_message is not None and update.effective_chat is not None:
            await update.effective_message.reply_text(texts.ERROR, do_quote=False)
    except TelegramError as exc:
        log.warning("could not tell the user about the error: %s", exc)

