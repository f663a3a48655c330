"""/journal (the latest changes) and /questions, /rattacher (what the base could not answer).

The 🔎 entry search (a question's next message is the words of the entry to attach it to)
survives a restart and continues on another replica, as the guided /ajouter does: its state
(`user_data[FINDING]`: the question, the time of the last step) is saved to the database
before each reply (bot.persistence), and the conversation's state derives from it.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from telegram import Update
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
    FINDING,
    NEW_MESSAGE,
    Context,
    admin_name,
    admin_only,
    admin_step,
    arguments,
    changed,
    edit,
    problem,
    reply,
    tell,
    tell_or_edit,
)
from bot.admin.entries import change_line
from bot.callbacks import AdminAction, Prefix, admin_pattern, parse, parse_id, require_id
from bot.context import Services, services
from bot.formatting import button, esc, keyboard, short_label, shorten
from bot.paging import Page, nav_row, page_suffix, paginate
from bot.persistence import PersistedConversation, refresh_user_state, save_user_state
from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.engine import AnswerEngine
from knowledge.grammar import plural
from knowledge.store import in_session, in_transaction
from knowledge.text import fold

JOURNAL_SIZE = 6  # changes per page: with their fields, well under a message's length
JOURNAL_FIELDS = 3  # fields told per change (then "… and N more")
JOURNAL_VALUE = 50  # characters of a value told
QUESTIONS_SIZE = 10  # per page
QUESTIONS_KEPT = 500  # the most frequent ones, paged


@admin_only
async def journal_command(update: Update, context: Context) -> None:
    """/journal: the changes, newest first, a page at a time — who, when, what, before →
    after."""
    await reply(update, *await journal_page(services(context), None, 0))


async def journal_page_button(update: Update, context: Context, args: list[str]) -> None:
    """◀️ ▶️: another page of the journal as it was when /journal was typed."""
    await edit(update, *await journal_page(services(context), require_id(args[0]),
                                           require_id(args[1])))


async def journal_page(svc: Services, newest: int | None, page: int) -> tuple[str, Any]:
    """Page `page` of the changes up to audit id `newest` (None: up to the latest), so that
    the pages do not shift while admins keep changing things."""

    def read(session: Session) -> tuple[int, Page, dict[int, str]] | None:
        top = newest if newest is not None else next(
            (row.id for row in store.recent_changes(session, 1)), None)
        if top is None:
            return None
        count = max(1, -(-store.count_changes(session, top) // JOURNAL_SIZE))
        number = min(max(page, 0), count - 1)
        rows = store.recent_changes(session, JOURNAL_SIZE, number * JOURNAL_SIZE, top)
        people = {row.user_id for row in rows} | {row.entry_id for row in rows
                                                   if row.entity == "admin" and row.entry_id}
        return top, Page(rows, number, count), store.known_names(session, people)

    found = await in_session(svc.db, read)
    if found is None:
        return t.JOURNAL_EMPTY, None
    top, shown, names = found
    lines = [t.JOURNAL_TITLE + page_suffix(shown)]
    for row in shown.items:
        lines += journal_entry(row, names, svc.settings.tz)
    return "\n".join(lines), keyboard([nav_row(shown, Prefix.ADMIN, AdminAction.JOURNAL_PAGE,
                                                top)])


def journal_entry(row: Any, names: Mapping[int, str], tz: ZoneInfo) -> list[str]:
    """An audited change: when, who, what, then its fields (before → after for a change)."""
    when = f"{row.at.astimezone(tz):%d/%m/%Y %H:%M}"
    who = esc(shorten(person_name(row.user_id, row.user_name, names), 40))
    action = t.JOURNAL_ACTIONS.get(row.action, row.action)
    if row.entity == "admin":  # its entry is a person: named, not numbered
        target = esc(shorten(person_name(row.entry_id or 0, "", names), 40))
        return [t.JOURNAL_ADMIN_LINE.format(when=when, user=who, action=action, target=target)]
    head = t.JOURNAL_LINE.format(
        when=when, user=who, action=action, entity=esc(row.entity),
        entry=f" #{row.entry_id}" if row.entry_id is not None else "",
        undone=t.JOURNAL_UNDONE if row.undone else "")
    changes = store.changes_between(row.entity, row.before, row.after, tz)
    lines = [head, *(field_line(change, row, JOURNAL_VALUE)
                     for change in changes[:JOURNAL_FIELDS])]
    if len(changes) > JOURNAL_FIELDS:
        more = len(changes) - JOURNAL_FIELDS
        lines.append(t.JOURNAL_MORE.format(count=more,
                                           fields=plural(more, *t.JOURNAL_MORE_FIELDS)))
    return lines


def field_line(change: tuple[str, str, str], row: Any, width: int) -> str:
    """A field of an audited change: its value alone for an addition or a deletion."""
    if row.before is None or row.after is None:
        name, before, after = change
        value = after if row.before is None else before
        return t.JOURNAL_VALUE.format(field=esc(name), value=esc(shorten(value, width)))
    return change_line(change, width)


def person_name(user_id: int, recorded: str, names: Mapping[int, str]) -> str:
    """Who someone is for /journal: their name when known, else their number."""
    return recorded or names.get(user_id) or t.JOURNAL_SOMEONE.format(user_id=user_id)


@admin_only
async def questions_command(update: Update, context: Context) -> None:
    """/questions: what officials asked and the base could not answer, most frequent first."""
    await reply(update, *await questions_page(services(context), 0))


async def questions_page_button(update: Update, context: Context, args: list[str]) -> None:
    await edit(update, *await questions_page(services(context), require_id(args[0])))


async def questions_page(svc: Services, page: int) -> tuple[str, Any]:
    """One page of the unanswered questions, each a button (its words) to open it."""
    questions = await in_session(svc.db, lambda session: store.unanswered(session,
                                                                          QUESTIONS_KEPT))
    if not questions:
        return t.QUESTIONS_EMPTY, None
    shown = paginate(questions, page, QUESTIONS_SIZE)
    lines = [t.QUESTIONS_TITLE + page_suffix(shown)]
    rows = []
    for question in shown.items:
        lines.append(t.QUESTION_LINE.format(text=esc(shorten(question.text, 200)),
                                            count=question.count))
        rows.append([button(t.QUESTION_OPEN.format(text=_words(question.text)), Prefix.ADMIN,
                            AdminAction.QUESTION, question.id, shown.number)])
    lines.append(t.QUESTIONS_HINT)
    return "\n".join(lines), keyboard([*rows, nav_row(shown, Prefix.ADMIN,
                                                      AdminAction.QUESTIONS_PAGE)])


def _words(text: str) -> str:
    """A question's words, short enough for a button (its commune or project kept)."""
    return short_label(text, 40)


def _page_of(args: list[str]) -> int:
    """The /questions page a button came from (its last argument; 0 if none)."""
    return require_id(args[1]) if len(args) > 1 else 0


async def question_button(update: Update, context: Context, args: list[str]) -> None:
    """One question: the engine's best guesses to attach it, 🔎, 🗑 and the way back."""
    svc = services(context)
    page = _page_of(args)
    try:
        question_id = require_id(args[0])
        question = await in_session(svc.db, lambda session: store.get_question(session,
                                                                               question_id))
    except AdminError as exc:
        await tell(update, esc(exc))
        return
    found = await svc.answering(lambda engine: _candidates(engine, question.text))
    rows = _attach_rows(question.id, found)
    template = t.QUESTION_PICK if rows else t.QUESTION_NO_MATCH
    rows += [[button(t.QUESTION_FIND, Prefix.ADMIN, AdminAction.FIND, question.id, page)],
             [button(t.QUESTION_DISMISS, Prefix.ADMIN, AdminAction.DISMISS, question.id,
                     page)],
             [_back_to_list(page)]]
    await edit(update, template.format(text=esc(shorten(question.text, 200))), keyboard(rows))


def _back_to_list(page: int = 0) -> Any:
    return button(t.BACK, Prefix.ADMIN, AdminAction.QUESTIONS_PAGE, page)


def _back_to_question(question_id: int, page: int = 0) -> Any:
    return button(t.BACK, Prefix.ADMIN, AdminAction.QUESTION, question_id, page)


def _attach_rows(question_id: int, found: list[tuple[str, int, str]]) -> list[list[Any]]:
    return [[button(f"→ {label}", Prefix.ADMIN, AdminAction.ATTACH, question_id,
                    kind, entry_id)] for kind, entry_id, label in found]


def _candidates(engine: AnswerEngine, question: str, limit: int = 5
                ) -> list[tuple[str, int, str]]:
    """(kind, entry id, label) of the engine's top matches; a project → its first milestone."""
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


async def attach(update: Update, context: Context, question_id: int, kind: str,
                  entry_id: int) -> None:
    svc = services(context)
    user_id, name = update.effective_user.id, admin_name(update)

    def attach_one(session: Session) -> tuple[Any, str]:
        synonym = store.attach_question(session, question_id, kind, entry_id, user_id, name)
        return synonym, store.question_text(session, question_id)

    try:
        synonym, text = await in_transaction(svc.db, attach_one)
    except AdminError as exc:
        await tell_or_edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    await changed(update, context, f"question #{question_id} attached to {kind} #{entry_id}")
    target = synonym.expansion or _entry_label(svc, kind, entry_id)
    done = t.QUESTION_ATTACHED.format(text=esc(shorten(text, 200)), target=esc(target))
    if update.callback_query is None:
        await reply(update, done)
    else:
        await edit(update, done, keyboard([[_back_to_list()]]))


def _entry_label(svc: Services, kind: str, entry_id: int) -> str:
    view = svc.engine.view
    return view.title(kind, entry_id) if view.has(kind, entry_id) else f"{kind} #{entry_id}"


@admin_only
async def attach_command(update: Update, context: Context) -> None:
    """/rattacher <n° question> <entité> <id>: the question leads to that entry from now on."""
    try:
        words = arguments(update)  # an unbalanced quote is an AdminError too
        question_id, entry_id = ((parse_id(words[0]), parse_id(words[2])) if len(words) == 3
                                 else (None, None))
        if question_id is None or entry_id is None:
            await reply(update, t.ATTACH_USAGE)
            return
        spec = store.entity_spec(words[1])
    except AdminError as exc:
        await problem(update, exc)
        return
    await attach(update, context, question_id, spec.kind, entry_id)


async def dismiss_button(update: Update, context: Context, args: list[str]) -> None:
    """🗑: the question leaves the list; the list is shown again, without it."""
    svc = services(context)
    try:
        question_id = require_id(args[0])
        await in_transaction(svc.db, lambda session: store.dismiss_question(session,
                                                                            question_id))
    except AdminError as exc:
        await tell(update, esc(exc))
        return
    await edit(update, *await questions_page(svc, _page_of(args)))


# ------------------------------------------------------------------ finding an entry by words

SEARCHING = 0  # user_data[FINDING]: {"question": id being attached, "at": last step}
FIND_LIMIT = 8
FIND_TIMEOUT = 10 * 60


@admin_only
async def find_button(update: Update, context: Context) -> int | None:
    """🔎 under a question: the admin types a few words of the entry, then picks it."""
    parsed = parse(update.callback_query.data)
    question_id = parse_id(parsed.args[1]) if parsed and len(parsed.args) > 1 else None
    try:
        question = await in_session(services(context).db, lambda session: store.get_question(
            session, question_id or 0))
    except AdminError as exc:
        await tell(update, esc(exc))
        return ConversationHandler.END
    context.user_data[FINDING] = {"question": question.id, "at": time.time()}
    await save_user_state(update, context)
    await edit(update, t.QUESTION_FIND_ASK.format(text=esc(shorten(question.text, 200))),
               keyboard([[_back_to_question(question.id)]]))
    return SEARCHING


@admin_step
async def find_words(update: Update, context: Context) -> int:
    """The words typed: the entries whose title has them all, then the engine's guesses."""
    finding = context.user_data.get(FINDING)
    if finding is None:
        return ConversationHandler.END
    question_id: int = finding["question"]
    svc = services(context)
    words = shorten(" ".join((update.effective_message.text or "").split()), 100)
    guesses = await svc.answering(lambda engine: _candidates(engine, words))
    found = await in_session(svc.db, lambda session: entries_with_words(session, svc, words,
                                                                        guesses))
    if not found:
        finding["at"] = time.time()
        await save_user_state(update, context)
        await reply(update, t.QUESTION_NOT_FOUND.format(words=esc(words)),
                    keyboard([[_back_to_question(question_id)]]))
        return SEARCHING
    text = await in_session(svc.db, lambda session: store.question_text(session, question_id))
    await _end_search(update, context)
    await reply(update, t.QUESTION_FOUND.format(words=esc(words), text=esc(shorten(text, 200))),
                keyboard([*_attach_rows(question_id, found),
                          [_back_to_question(question_id)]]))
    return ConversationHandler.END


def entries_with_words(session: Session, svc: Services, words: str,
                       guesses: list[tuple[str, int, str]]) -> list[tuple[str, int, str]]:
    """(kind, id, title) of the entries whose title holds every word (accents and case
    ignored, as /liste filters), then `guesses`, the engine's matches for the words."""
    wanted = fold(words).split()
    found: list[tuple[str, int, str]] = []
    for spec in store.ENTITIES.values():
        if spec.kind == "synonym" or not wanted:
            continue
        entries = store.list_entries(session, spec, wanted[0], svc.settings.tz)
        found += [(spec.kind, entry_id, title) for entry_id, title in entries
                  if all(word in fold(title) for word in wanted)]
    seen = {(kind, entry_id) for kind, entry_id, _ in found}
    found += [c for c in guesses if (c[0], c[1]) not in seen]
    return found[:FIND_LIMIT]


async def find_stop(update: Update, context: Context) -> None:
    """/stop or /annuler during the search: always works, even for someone who is no longer
    an admin (stopping changes nothing)."""
    await _end_search(update, context)
    await reply(update, t.QUESTION_FIND_STOPPED)
    raise ApplicationHandlerStop(ConversationHandler.END)


@admin_step
async def find_back(update: Update, context: Context) -> int:
    """⬅️ Retour during the search: the search ends, the question is shown again."""
    await _end_search(update, context)
    parsed = parse(update.callback_query.data)
    await question_button(update, context, parsed.args[1:] if parsed else [])
    return ConversationHandler.END


@admin_step
async def find_busy(update: Update, context: Context) -> None:
    await reply(update, t.QUESTION_FIND_BUSY)


async def find_timeout(update: object, context: Context) -> None:
    """The search left unanswered: ended, unless it went on (or ended) on another replica."""
    await refresh_user_state(update, context)
    finding = context.user_data.get(FINDING) if context.user_data is not None else None
    if finding is not None and time.time() - finding["at"] > FIND_TIMEOUT - 60:
        await _end_search(update, context)


async def _end_search(update: object, context: Context) -> None:
    """Forget the search, here and in the database."""
    if context.user_data.pop(FINDING, None) is not None:
        await save_user_state(update, context)


def search_state(user_data: Mapping[str, Any]) -> int | None:
    """The conversation state the saved search stands for (None: no search, or too old)."""
    finding = user_data.get(FINDING)
    if finding is None or time.time() - finding["at"] > FIND_TIMEOUT:
        return None
    return SEARCHING


def find_conversation(user_data: Mapping[int, Mapping[str, Any]]) -> ConversationHandler:
    """🔎 → the admin's next message is the words to look for (not a question).
    `user_data`: the Application's, where the searches are."""
    text = NEW_MESSAGE & filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # button entry points are tracked per user, on purpose
        warnings.filterwarnings("ignore", message=".*per_message=False.*",
                                category=PTBUserWarning)
        return PersistedConversation(
            user_data, search_state,
            entry_points=[CallbackQueryHandler(find_button,
                                               pattern=admin_pattern(AdminAction.FIND))],
            states={
                SEARCHING: [MessageHandler(text, find_words)],
                ConversationHandler.TIMEOUT: [TypeHandler(Update, find_timeout)],
            },
            fallbacks=[CommandHandler(["stop", "annuler"], find_stop, filters=NEW_MESSAGE),
                       CallbackQueryHandler(find_back,
                                            pattern=admin_pattern(AdminAction.QUESTION)),
                       MessageHandler(NEW_MESSAGE & filters.COMMAND, find_busy)],
            conversation_timeout=FIND_TIMEOUT,
            name="admin_attach_find",
        )

