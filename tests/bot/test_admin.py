"""The bot.admin package without the network: texts, menus, callback data, handler wiring."""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session
from telegram.ext import ApplicationBuilder, ConversationHandler

from bot import admin
from bot import texts as t
from bot.admin import entries, transfer
from bot.callbacks import (
    MAX_CALLBACK_BYTES,
    MENU_PREFIXES,
    SUBSCRIPTION_PREFIXES,
    AdminAction,
    Prefix,
    build,
    pattern,
)
from botapi_standin import parse_html
from knowledge import admin_store as store

HOSTILE = "<script>alert('x')</script> & <b>"


@pytest.mark.parametrize("name", list(store.ENTITIES))
def test_fields_help_is_valid_html_and_its_examples_work(name: str, db: Engine,
                                                         tz: ZoneInfo) -> None:
    spec = store.ENTITIES[name]
    plain, _ = parse_html(entries.fields_html(spec))
    assert all(field.name in plain for field in spec.fields)
    words = store.split_words(t.FULL_EXAMPLES[name])
    assert words[:2] == ["/ajouter", name]
    with Session(db) as session:
        row = store.preview_entry(session, spec, store.parse_assignments(spec, words[2:]), tz)
    assert getattr(row, spec.title_attr)
    for field in spec.fields:  # each field's example is accepted on its own
        with Session(db) as session:
            store.convert(session, field, field.example.split(" ou ")[0].split(", ")[0]
                          if field.kind in ("date", "time", "bool") else field.example)


def test_import_summary_escapes_keys_and_lists_each_entity() -> None:
    plan = store.ImportPlan([
        store.EntityDiff("jalon", added=[HOSTILE], changed=[("vote", ["date", "lieu"])]),
        store.EntityDiff("fait", removed=[f"fait-{n}" for n in range(8)], total=37),
        store.EntityDiff("elu"),
    ], version=())
    html = transfer.import_summary(plan, "base <v2>.yaml")
    plain, _ = parse_html(html)
    assert "Aperçu de l'import de « base <v2>.yaml »" in plain
    assert f"jalon : ajouts : 1 ({HOSTILE}) ; modifications : 1 (vote : date, lieu)" in plain
    assert "fait : suppressions : 8 (fait-0, fait-1, fait-2, fait-3, fait-4, … +3)" in plain
    assert "elu :" not in plain and "⚠️ Entrées qui seraient supprimées : 8." in plain


def test_command_menu_is_valid_for_telegram() -> None:
    commands = admin.admin_commands()
    names = [c.command for c in commands]
    assert len(names) == len(set(names)) <= 100
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", name) for name in names)
    assert all(1 <= len(c.description) <= 256 for c in commands)
    public = {name for name, _ in t.COMMANDS_PUBLIC}
    assert public <= set(names)
    assert set(admin.COMMANDS) | {"ajouter"} == {name for name, _ in t.COMMANDS_ADMIN}


def test_the_longest_callback_data_fit_in_64_bytes() -> None:
    big = 10**9
    stamp = str(int(datetime(2099, 12, 31, tzinfo=UTC).timestamp() * 1_000_000))
    for parts in ((AdminAction.DELETE, "j", big, stamp),
                  (AdminAction.ATTACH, big, "milestone", big),
                  (AdminAction.LIST_PAGE, big, big), (AdminAction.IMPORT, big),
                  (AdminAction.NEW, "s"), (AdminAction.JOURNAL_PAGE, big * big, big),
                  (AdminAction.UNDO, big * big)):
        assert len(build(Prefix.ADMIN, *parts).encode()) <= MAX_CALLBACK_BYTES


def test_admin_callback_prefix_does_not_collide_with_public_ones() -> None:
    public = re.compile(pattern(*MENU_PREFIXES, *SUBSCRIPTION_PREFIXES))
    assert not public.match(build(Prefix.ADMIN, AdminAction.LIST_PAGE, 1, 0))


def test_handlers_are_registered_before_flood_control_without_warnings() -> None:
    application = ApplicationBuilder().token("123:abc").build()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        admin.register_admin_handlers(application)
    assert admin.ADMIN_GROUP < -1
    assert [type(h).__name__ for h in application.handlers[admin.ADMIN_GROUP - 1]] == [
        "TypeHandler"]
    handlers = application.handlers[admin.ADMIN_GROUP]
    kinds = [type(h).__name__ for h in handlers]
    assert isinstance(handlers[0], ConversationHandler)
    assert kinds.count("CommandHandler") == len(admin.COMMANDS)


def test_every_journal_action_has_a_french_name() -> None:
    actions = {"create", "update", "delete", "import", "undo", "admin_add", "admin_remove"}
    assert set(t.JOURNAL_ACTIONS) == actions
    assert set(t.ACTION_NAMES) == {"create", "update", "delete"}


def test_entity_sentences_agree_in_gender() -> None:
    from bot.admin.entries import fields_html
    from knowledge.admin_store import entity_spec

    assert "Champs d'une priorité" in fields_html(entity_spec("priorite"))
    assert "Champs d'un élu" in fields_html(entity_spec("elu"))
    words = entity_spec("priorite").words
    assert t.DELETE_CONFIRM.format(**words, id=3, title="x").startswith(
        "Supprimer cette priorité ?")
    assert t.ADDED.format(**words, id=3, title="x").startswith("✅ Priorité #3 ajoutée")
    assert t.UNCHANGED.format(**entity_spec("elu").words, id=2).startswith(
        "Rien n'a changé : l'élu #2")
