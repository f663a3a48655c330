"""Callback data, in one place: what a button says it is, and the identifiers users type.

Callback data are ``prefix:arg:arg…`` with ids and short codes only (never user text), at
most Telegram's 64 bytes. `build` writes them, `parse` reads them, and the handler patterns
are generated from `Prefix`, so a prefix is declared once. `parse_id` is the one reader of
identifiers, in buttons, deep links and command arguments: ASCII digits only (`str.isdigit`
accepts "²", which `int` refuses).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from telegram.constants import InlineKeyboardButtonLimit

SEPARATOR = ":"
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
_ID = re.compile(r"#?([0-9]{1,18})")  # 18 digits: any id fits a signed 64-bit column


class Prefix(StrEnum):
    """The first field of callback data: which handler it goes to."""

    MENU = "menu"  # a main menu screen (Menu)
    AXIS = "ax"  # an axis, by number
    PRIORITY = "pr"
    PERSON = "p"
    COMMUNE = "c"
    AGENDA = "ag"  # an agenda page: AgendaView, page
    ENTRY = "e"  # an engine entry: kind, id
    MORE = "mo"  # the rest of an answer told in part: Answer.more's kind, key (then page)
    SUBSCRIBE = "sub"  # sub:m:<milestone id>: remind me of this milestone's project
    UNSUBSCRIBE = "unsub"  # a subscription id
    ICS = "ics"  # a milestone id: its .ics file
    DIGEST = "dg"  # ok / no: receive the weekly digest every Monday, or stop
    ADMIN = "adm"  # an AdminAction and its arguments
    SUBSCRIPTIONS = "subs"  # a page of /abonnements
    SUBS_SETTING = "subset"  # /abonnements' settings: dg:ok|no, or off:<seconds>…


class Menu(StrEnum):
    MAIN = "main"
    PRIORITIES = "prio"
    PEOPLE = "elus"
    FIGURES = "fig"
    COMMUNES = "com"
    HELP = "help"


class AgendaView(StrEnum):
    """ag:<view>:<page>: what is next, or the past."""

    NEXT = "n"
    PAST = "p"


class AdminAction(StrEnum):
    LIST_PAGE = "ls"  # list token, page
    QUESTIONS_PAGE = "qp"  # page of /questions
    NEW = "new"  # entity code: start the guided conversation
    GUIDED = "g"  # ok / no: save or drop the guided draft
    ANSWER = "ga"  # step, ok / no / skip: a guided question answered by a button
    DELETE = "del"  # entity code, id, version
    KEEP = "no"  # do not delete
    IMPORT = "imp"  # import token (then ALLOW_DELETIONS if the admin chose it), or "no"
    QUESTION = "q"  # question id: the engine's guesses
    ATTACH = "qa"  # question id, kind, entry id
    FIND = "qf"  # question id: type a few words of the entry to attach it to
    DISMISS = "qx"  # question id
    JOURNAL_PAGE = "jp"  # newest audit id shown, page
    UNDO = "un"  # audit id of the change to undo, or NO: keep it
    DOCUMENT = "doc"  # upload token, or "no": load the previewed document
    DOCUMENT_DELETE = "docdel"  # document id (then YES once confirmed)
    DOCUMENT_TITLE = "doct"  # upload token: type a new title for the previewed document
    DOCUMENT_DATE = "dd"  # document id, index of a date found in it, YES / NO / EDIT / SHOW


_PREFIXES = frozenset(p.value for p in Prefix)
SUBSCRIBE_MILESTONE = "m"  # sub:m:<id>
YES, NO, SKIP = "ok", "no", "skip"
EDIT, SHOW = "ed", "sh"  # adm:dd:<document>:<index>:ed / sh: correct or show a proposed date
OPEN = "op"  # adm:dd:<document>:0:op: a document's dates, from /documents, in a new message
SETTING_DIGEST, SETTING_OFFSETS = "dg", "off"  # subset:dg:ok, subset:off:86400:7200
ALLOW_DELETIONS = "del"  # adm:imp:<token>:del: apply an import that deletes most of a section

MENU_PREFIXES = (Prefix.MENU, Prefix.AXIS, Prefix.PRIORITY, Prefix.PERSON, Prefix.COMMUNE,
                 Prefix.AGENDA, Prefix.ENTRY, Prefix.MORE)
SUBSCRIPTION_PREFIXES = (Prefix.SUBSCRIBE, Prefix.UNSUBSCRIBE, Prefix.ICS)


@dataclass(frozen=True, slots=True)
class Callback:
    prefix: Prefix
    args: list[str]


def build(prefix: Prefix, *args: object) -> str:
    """Callback data within Telegram's 64 bytes (ids only, never user text)."""
    data = SEPARATOR.join([prefix.value, *(str(arg) for arg in args)])
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """The prefix and arguments of callback data; None if no prefix of ours starts it."""
    head, separator, rest = (data or "").partition(SEPARATOR)
    if not separator or head not in _PREFIXES:
        return None
    return Callback(Prefix(head), rest.split(SEPARATOR) if rest else [])


def pattern(*prefixes: Prefix) -> str:
    """The CallbackQueryHandler pattern of data starting with one of `prefixes`."""
    return rf"^({'|'.join(re.escape(p.value) for p in prefixes)}){SEPARATOR}"


def admin_pattern(*actions: AdminAction) -> str:
    """The pattern of "adm:<action>:…" data for the given actions (all of them if none)."""
    if not actions:
        return pattern(Prefix.ADMIN)
    names = "|".join(re.escape(a.value) for a in actions)
    return rf"^{Prefix.ADMIN}{SEPARATOR}({names}){SEPARATOR}"


def unrouted(data: object) -> bool:
    """Callback data that no handler of ours routes (forged or from another bot version)."""
    return not isinstance(data, str) or parse(data) is None


def parse_id(text: str | None) -> int | None:
    """An identifier as users type it or buttons carry it ("12" or "#12"), else None."""
    found = _ID.fullmatch(text or "")
    return int(found.group(1)) if found else None


def require_id(text: str) -> int:
    """`parse_id` for data the bot wrote: ValueError if it is not an identifier (forged)."""
    number = parse_id(text)
    if number is None:
        raise ValueError(f"not an identifier: {text[:20]!r}")
    return number
