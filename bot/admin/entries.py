"""Entry commands: /champs, /liste, /modifier, /supprimer, /annuler and their buttons.

Each change runs in one transaction of `knowledge.admin_store` (with its audit row), then
`changed()` reloads the engine and reschedules reminders, then the admin gets a confirmation.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from telegram import Update

from bot import texts as t
from bot.admin.access import (
    Context,
    admin_name,
    admin_only,
    arguments,
    changed,
    edit,
    next_token,
    problem,
    reply,
    tell,
    tell_or_edit,
)
from bot.callbacks import NO, AdminAction, Prefix, parse_id, require_id
from bot.context import Services, services
from bot.formatting import button, esc, keyboard, shorten
from bot.paging import nav_row, paginate
from knowledge import admin_store as store
from knowledge.admin_store import AdminError, EntitySpec
from knowledge.admin_store.documents import ENTITY as DOCUMENT
from knowledge.grammar import plural
from knowledge.models import Precision, french_hour, repeated_time
from knowledge.render import french_when
from knowledge.store import in_session, in_transaction

LIST_PAGE = 10
LISTS = "adm_lists"


@admin_only
async def fields_command(update: Update, context: Context) -> None:
    """/champs <entité>: each field with what it means and an example."""
    try:
        spec = store.entity_spec(arguments(update)[0]) if context.args else None
    except AdminError as exc:
        await problem(update, exc)
        return
    if spec is None:
        await reply(update, t.ENTITY_USAGE)
        return
    await reply(update, fields_html(spec))


def fields_html(spec: EntitySpec) -> str:
    lines = [t.FIELDS_TITLE.format(**spec.words)]
    for field in spec.fields:
        lines.append(t.FIELD_LINE.format(
            name=field.name, required=t.FIELD_REQUIRED if field.required else "",
            help=esc(field.help), example=esc(f"{field.name}={_typed(field.example)}")))
    lines.append("")
    lines.append(t.FIELDS_EXAMPLE.format(command=esc(t.FULL_EXAMPLES[spec.name])))
    lines.append(t.FIELDS_TIPS.format(command=spec.name))
    return "\n".join(lines)


def _typed(example: str) -> str:
    """An example as typed after 'champ=': the first of the alternatives, quoted if spaced."""
    first = example.split(",")[0].split(" ou ")[0] if " ou " in example else example
    return f'"{first}"' if " " in first else first


@admin_only
async def list_command(update: Update, context: Context) -> None:
    """/liste <entité> [filtre]: entries with their ids, ten per page."""
    try:
        words = arguments(update)
        spec = store.entity_spec(words[0]) if words else None
    except AdminError as exc:
        await problem(update, exc)
        return
    if spec is None:
        await reply(update, t.LIST_USAGE)
        return
    query = " ".join(words[1:])[:100]
    lists = context.user_data.setdefault(LISTS, {})
    number = next_token(context)
    lists[number] = (spec.name, query)
    for old in sorted(lists)[:-10]:
        del lists[old]
    text, markup = await list_page(services(context), spec, query, number, 0)
    await reply(update, text, markup)


async def list_page(svc: Services, spec: EntitySpec, query: str, number: int,
                    page: int) -> tuple[str, Any]:
    entries = await in_session(
        svc.db, lambda session: store.list_entries(session, spec, query, svc.settings.tz))
    filtered = t.LIST_FILTERED.format(query=esc(query)) if query else ""
    if not entries:
        none = spec.words["none"]
        return t.LIST_EMPTY.format(None_=none[:1].upper() + none[1:], filtered=filtered), None
    shown = paginate(entries, page, LIST_PAGE)
    lines = [t.LIST_TITLE.format(**spec.words, count=len(entries), filtered=filtered,
                                 page=shown.number + 1, pages=shown.count)]
    for entry_id, title in shown.items:
        lines.append(f"<code>#{entry_id}</code> {esc(shorten(title, 150))}")
    lines.append(t.LIST_HINT.format(entity=spec.name))
    return "\n".join(lines), keyboard([nav_row(shown, Prefix.ADMIN, AdminAction.LIST_PAGE,
                                               number)])


async def list_button(update: Update, context: Context, args: list[str]) -> None:
    number, page = require_id(args[0]), require_id(args[1])
    stored = context.user_data.get(LISTS, {}).get(number)
    if stored is None:
        await tell(update, t.STALE)
        return
    spec = store.entity_spec(stored[0])
    await edit(update, *await list_page(services(context), spec, stored[1], number, page))


async def create(update: Update, context: Context, spec: EntitySpec,
                  raw: dict[str, str]) -> None:
    svc = services(context)
    user_id, tz = update.effective_user.id, svc.settings.tz
    name = admin_name(update)

    def create_one(session: Session) -> tuple[Any, str, list[str]]:
        row = store.create_entry(session, spec, raw, user_id, tz, by=name)
        return row, store.entry_title(spec, row, tz), milestone_warnings(spec, row, tz,
                                                                         svc.clock())

    row, title, warning = await in_transaction(svc.db, create_one)
    await changed(update, context, f"create {spec.name} #{row.id}")
    html = t.ADDED.format(**spec.words, id=row.id, title=esc(title))
    await tell_or_edit(update, "\n".join([html, *warning, t.UNDO_HINT]))


def milestone_warnings(spec: EntitySpec, row: Any, tz: ZoneInfo, now: datetime) -> list[str]:
    """For a milestone: a line if its date is already past (no reminder will go), and one
    if its time happens twice (the night the clocks go back) saying which one was kept."""
    if spec.kind != "milestone":
        return []
    local = row.start.astimezone(tz)
    warnings = []
    if _is_past(row, now.astimezone(tz)):
        warnings.append(t.PAST_DATE.format(when=esc(french_when(row.start, row.precision, tz))))
    if row.precision is Precision.EXACT and repeated_time(row.start, tz):
        warnings.append(t.REPEATED_TIME.format(day=f"{local:%d/%m/%Y}", time=french_hour(local)))
    return warnings


def _is_past(milestone: Any, now: datetime) -> bool:
    """Over already, as precisely as its date is known (a day or a month not yet ended is
    not past); `now` in the milestone's zone."""
    local = milestone.start.astimezone(now.tzinfo)
    if milestone.precision is Precision.MONTH:
        return (local.year, local.month) < (now.year, now.month)
    if milestone.precision is Precision.DAY:
        return local.date() < now.date()
    return milestone.start < now


async def notice_outlook(svc: Services, kind: str, entry_id: int) -> list[str]:
    """After a milestone's change: how many followers will be told, and when (notices go
    out after a quiet minute); nothing when no notice is due."""
    if kind != "milestone" or svc.reminders is None:
        return []
    outlook = await asyncio.to_thread(svc.reminders.notices.outlook, entry_id)
    if outlook is None:
        return []
    count, at = outlook
    if not count:
        return [t.NOTICE_NOBODY]
    return [t.NOTICE_PENDING.format(
        followers=f"{count} {plural(count, 'abonné', 'abonnés')}",
        verb=plural(count, "recevra", "recevront"),
        time=french_hour(at.astimezone(svc.settings.tz)))]


def _entity_and_id(update: Update, usage: str) -> tuple[EntitySpec, int, list[str]] | str:
    words = arguments(update)
    if len(words) < 2:
        return usage
    spec = store.entity_spec(words[0])
    entry_id = parse_id(words[1])
    if entry_id is None:
        raise AdminError(t.NOT_AN_ID.format(word=words[1][:30], entity=spec.name))
    return spec, entry_id, words[2:]


@admin_only
async def edit_command(update: Update, context: Context) -> None:
    """/modifier <entité> <id> champ=valeur…: only the given fields change."""
    svc = services(context)
    try:
        parsed = _entity_and_id(update, t.EDIT_USAGE)
        if isinstance(parsed, str):
            await reply(update, parsed)
            return
        spec, entry_id, rest = parsed
        raw = store.parse_assignments(spec, rest)
        before, after, title, warning = await in_transaction(svc.db, lambda session: _update(
            session, svc, spec, entry_id, raw, update))
    except AdminError as exc:
        await problem(update, exc)
        return
    changes = store.changes_between(spec.name, before, after, svc.settings.tz)
    if not changes:
        await reply(update, t.UNCHANGED.format(**spec.words, id=entry_id))
        return
    await changed(update, context, f"update {spec.name} #{entry_id}")
    lines = [t.EDITED.format(**spec.words, id=entry_id, title=esc(title))]
    lines += [change_line(change) for change in changes]
    outlook = await notice_outlook(svc, spec.kind, entry_id)
    await reply(update, "\n".join([*lines, *warning, *outlook, t.UNDO_HINT]))


def _update(session: Session, svc: Services, spec: EntitySpec, entry_id: int,
            raw: dict[str, str], update: Update) -> tuple[dict, dict, str, list[str]]:
    """(before, after, title, warning) of an entry the admin of `update` changed."""
    tz = svc.settings.tz
    row, before = store.update_entry(session, spec, entry_id, raw, update.effective_user.id,
                                     tz, by=admin_name(update))
    return before, store.snapshot(row), store.entry_title(spec, row, tz), milestone_warnings(
        spec, row, tz, svc.clock())


def change_line(change: tuple[str, str, str], width: int = 120) -> str:
    """"   field : before → after", each value in at most `width` characters."""
    name, before, after = change
    return t.JOURNAL_CHANGE.format(field=esc(name), before=esc(shorten(before, width)),
                                   after=esc(shorten(after, width)))


@admin_only
async def delete_command(update: Update, context: Context) -> None:
    """/supprimer <entité> <id>: the entry and a confirmation button (nothing deleted yet)."""
    svc = services(context)
    try:
        parsed = _entity_and_id(update, t.DELETE_USAGE)
        if isinstance(parsed, str):
            await reply(update, parsed)
            return
        spec, entry_id, _ = parsed
        title, version = await in_session(svc.db, lambda session: _titled(
            session, svc, spec, entry_id))
    except AdminError as exc:
        await problem(update, exc)
        return
    markup = keyboard([[button(t.DELETE_YES, Prefix.ADMIN, AdminAction.DELETE, spec.code,
                               entry_id, version),
                        button(t.DELETE_NO, Prefix.ADMIN, AdminAction.KEEP)]])
    await reply(update, t.DELETE_CONFIRM.format(**spec.words, id=entry_id,
                                                 title=esc(title)), markup)


def _titled(session: Session, svc: Services, spec: EntitySpec, entry_id: int
            ) -> tuple[str, str]:
    """(title, version stamp) of an entry."""
    row = store.get_entry(session, spec, entry_id)
    return store.entry_title(spec, row, svc.settings.tz), store.stamp(row)


async def delete_button(update: Update, context: Context, args: list[str]) -> None:
    svc = services(context)
    spec = store.ENTITY_BY_CODE[args[0]]
    entry_id = require_id(args[1])
    user_id, version, name = update.effective_user.id, args[2], admin_name(update)

    def delete_one(session: Session) -> str:
        title, _ = _titled(session, svc, spec, entry_id)
        store.delete_entry(session, spec, entry_id, user_id, version, by=name)
        return title

    try:
        title = await in_transaction(svc.db, delete_one)
    except AdminError as exc:
        await edit(update, t.PROBLEM.format(error=esc(exc)))
        return
    await changed(update, context, f"delete {spec.name} #{entry_id}")
    outlook = await notice_outlook(svc, spec.kind, entry_id)
    await edit(update, "\n".join([t.DELETED.format(**spec.words, id=entry_id, title=esc(title)),
                                  *outlook, t.UNDO_HINT]))


@admin_only
async def undo_command(update: Update, context: Context) -> None:
    """/annuler: the admin's own latest change to the base, what undoing it does, and
    « Confirmer » / « Garder »: nothing is undone before « Confirmer ». Words after it
    ("/annuler la réunion du 12") get what it does, and how to cancel a meeting."""
    if context.args:
        await reply(update, t.UNDO_WITH_WORDS.format(
            words=esc(shorten(" ".join(context.args), 80))))
        return
    svc = services(context)
    try:
        last, problem = await in_session(svc.db, lambda session: _last_and_problem(
            session, update.effective_user.id))
    except AdminError as exc:
        await reply(update, t.UNDO_NOTHING.format(problem=esc(exc)))
        return
    if last.entity == DOCUMENT:
        await _preview_document_undo(update, svc, last)
        return
    spec = store.ENTITIES[last.entity]
    lines = [t.UNDO_TITLE, _undo_summary(svc, spec, last, admin_name(update))]
    lines += [change_line(change) for change in store.changes_between(
        spec.name, last.before, last.after, svc.settings.tz) if last.action == "update"]
    if problem is not None:
        await reply(update, "\n".join([*lines, t.UNDO_BLOCKED.format(problem=esc(problem))]))
        return
    lines.append(t.UNDO_EFFECT[last.action].format(**spec.words))
    await reply(update, "\n".join(lines), keyboard([[
        button(t.UNDO_YES, Prefix.ADMIN, AdminAction.UNDO, last.id),
        button(t.UNDO_NO, Prefix.ADMIN, AdminAction.UNDO, NO)]]))


async def _preview_document_undo(update: Update, svc: Services, last: Any) -> None:
    """The preview of undoing an upload, a new version or a deletion of a document."""
    at = last.at.astimezone(svc.settings.tz)
    shown = (last.before if last.action == "delete" else last.after) or {}
    await reply(update, "\n".join([
        t.UNDO_TITLE,
        t.DOCUMENT_UNDO_LAST.format(action=t.ACTION_NAMES[last.action],
                                    title=esc(shorten(str(shown.get("title", "")), 150)),
                                    day=f"{at:%d/%m/%Y}", time=french_hour(at)),
        t.DOCUMENT_UNDO_EFFECT[last.action]]), keyboard([[
            button(t.UNDO_YES, Prefix.ADMIN, AdminAction.UNDO, last.id),
            button(t.UNDO_NO, Prefix.ADMIN, AdminAction.UNDO, NO)]]))


def _last_and_problem(session: Session, user_id: int) -> tuple[Any, str | None]:
    last = store.last_change(session, user_id)
    return last, store.undo_problem(session, last)


def _undo_summary(svc: Services, spec: EntitySpec, last: Any, name: str) -> str:
    """Which change: what, on which entry, by whom and when."""
    tz = svc.settings.tz
    at = last.at.astimezone(tz)
    shown = last.before if last.action == "delete" else last.after
    return t.UNDO_LAST.format(
        action=t.ACTION_NAMES[last.action], **spec.words, id=last.entry_id,
        title=esc(shorten(store.snapshot_title(spec, shown, tz), 150)),
        who=esc(shorten(last.user_name or name or t.JOURNAL_SOMEONE.format(
            user_id=last.user_id), 60)),
        day=f"{at:%d/%m/%Y}", time=french_hour(at))


async def undo_button(update: Update, context: Context, args: list[str]) -> None:
    """« Confirmer » undoes the change shown, if it is still the admin's latest and nobody
    changed the entry since; « Garder » keeps it."""
    if args[0] == NO:
        await edit(update, t.UNDO_KEPT)
        return
    svc, shown = services(context), require_id(args[0])
    try:
        undone = await in_transaction(svc.db, lambda session: store.undo_last(
            session, update.effective_user.id, svc.settings.tz, expected=shown,
            by=admin_name(update)))
    except AdminError as exc:
        await edit(update, t.UNDO_REFUSED.format(problem=esc(exc)))
        return
    await changed(update, context, f"undo {undone.action} {undone.entity} #{undone.entry_id}")
    if undone.entity == DOCUMENT:
        shown = undone.before or undone.after or {}
        await edit(update, t.DOCUMENT_UNDONE.format(
            action=t.ACTION_NAMES[undone.action], title=esc(shorten(str(shown.get("title", "")),
                                                                    150))))
        return
    spec = store.ENTITIES[undone.entity]
    lines = [t.UNDONE.format(action=t.ACTION_NAMES[undone.action], **spec.words,
                             id=undone.entry_id)]
    if undone.before is not None and undone.after is not None:
        lines += [change_line(change) for change in store.changes_between(
            spec.name, undone.before, undone.after, svc.settings.tz)]
    lines += await notice_outlook(svc, spec.kind, undone.entry_id)
    await edit(update, "\n".join(lines))
