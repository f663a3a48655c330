"""bot.callbacks: callback data built, parsed and routed from one declaration; identifiers."""

from __future__ import annotations

import re

import pytest
from telegram import CallbackQuery, Update, User
from telegram.ext import ApplicationBuilder, CallbackQueryHandler

from bot import callbacks
from bot.app import UNROUTED_GROUP, register_handlers
from bot.callbacks import AdminAction, Prefix, build, parse, parse_id


def test_build_joins_parts_with_colons_and_parse_reads_them_back() -> None:
    data = build(Prefix.ENTRY, "person", 11)
    assert data == "e:person:11"
    assert parse(data) == callbacks.Callback(Prefix.ENTRY, ["person", "11"])
    assert parse("ag:") == callbacks.Callback(Prefix.AGENDA, [])


@pytest.mark.parametrize("data", [None, "", "menu", "zz:1", "adm", "ADM:ls:1", "²:1", ":1"])
def test_parse_refuses_what_no_prefix_of_ours_starts(data: str | None) -> None:
    assert parse(data) is None
    assert callbacks.unrouted(data)


def test_build_accepts_exactly_64_bytes() -> None:
    data = build(Prefix.ENTRY, "x" * (callbacks.MAX_CALLBACK_BYTES - 2))
    assert len(data.encode()) == 64


@pytest.mark.parametrize("args", [("x" * 63,), ("x" * 30, "y" * 32), ("é" * 32,)])
def test_build_refuses_more_than_64_bytes(args: tuple[str, ...]) -> None:
    # "e:" + "é" * 32 is 34 characters but 66 bytes: the limit is in bytes.
    with pytest.raises(ValueError, match="too long"):
        build(Prefix.ENTRY, *args)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("#12", 12), ("0", 0), ("9" * 18, 10**18 - 1)],
)
def test_parse_id_reads_ascii_digits(text: str, expected: int) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    "text", [None, "", "#", "²", "1²", "١٢", "１２", "-1", "+1", " 1", "1 ", "1.0", "9" * 19, "##1"]
)
def test_parse_id_refuses_anything_else(text: str | None) -> None:
    """`str.isdigit()` accepts "²" and Arabic or full-width digits, which `int` may refuse."""
    assert parse_id(text) is None


def test_every_prefix_is_routed_by_exactly_one_handler_and_the_rest_is_caught() -> None:
    """The registered patterns come from `Prefix`: each prefix reaches one handler; forged
    data reaches only the catch-all of the last group."""
    application = ApplicationBuilder().token("123:abc").build()
    register_handlers(application)
    routed = [
        h
        for group, handlers in application.handlers.items()
        if group != UNROUTED_GROUP
        for h in handlers
        if isinstance(h, CallbackQueryHandler) and isinstance(h.pattern, re.Pattern)
        and h.pattern.pattern.startswith("^(")  # the per-prefix ones (not adm:new:, adm:g:)
    ]
    for prefix in Prefix:
        data = build(prefix, 1)
        assert sum(bool(h.pattern.match(data)) for h in routed) == 1, prefix
        assert not callbacks.unrouted(data)
    [catch_all] = application.handlers[UNROUTED_GROUP]
    assert max(application.handlers) == UNROUTED_GROUP
    assert catch_all.check_update(_query("zz:1"))
    assert not catch_all.check_update(_query(build(Prefix.MENU, "main")))


def test_admin_patterns_match_their_action_only() -> None:
    assert re.match(callbacks.admin_pattern(AdminAction.NEW), build(Prefix.ADMIN, "new", "j"))
    assert not re.match(callbacks.admin_pattern(AdminAction.NEW), "adm:newer:j")
    assert not re.match(callbacks.admin_pattern(AdminAction.GUIDED), "adm:ls:1:0")
    assert re.match(callbacks.admin_pattern(), "adm:ls:1:0")


def _query(data: str) -> Update:
    user = User(1, "x", is_bot=False)
    return Update(1, callback_query=CallbackQuery("1", user, "chat", data=data))
