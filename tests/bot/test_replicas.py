"""What one replica leaves in the database for the others: the knowledge revision (polled by
`KnowledgeWatcher`) and the conversation state (`DatabasePersistence`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from telegram import Chat, Message, Update, User
from telegram.ext import TypeHandler

from bot.admin.access import CONVERSATIONS, FINDING, PENDING_IMPORT, leave_conversations
from bot.admin.guided import (
    ASKING,
    CONFIRMING,
    CONVERSATION_TIMEOUT,
    draft_state,
    timed_out,
)
from bot.app import build_application
from bot.context import Services
from bot.persistence import REVISION_KEY, DatabasePersistence, PersistedConversation
from bot.replicas import KnowledgeWatcher
from bot.settings import Settings
from knowledge import admin_store
from knowledge.engine import AnswerEngine
from knowledge.models import Person
from knowledge.seed import parse_document, read_seed_text, write_document
from knowledge.store import knowledge_revision, transaction

ADMIN = 4242
DRAFT = "adm_draft"


def services_over(db: Engine, tz: ZoneInfo) -> Services:
    settings = Settings(database_url=str(db.url), _env_file=None)
    return Services(settings=settings, db=db, engine=AnswerEngine(db, tz))


def rename_housing_lead(db: Engine, tz: ZoneInfo, name: str) -> None:
    """An admin change made through another replica: straight into the database."""
    spec = admin_store.ENTITIES["elu"]
    with transaction(db) as session:
        person = next(p for p in session.exec(select(Person))
                      if "logement" in p.delegation.lower())
        admin_store.update_entry(session, spec, person.id, {"nom": name}, ADMIN, tz)


def revision(db: Engine) -> int:
    with Session(db) as session:
        return knowledge_revision(session)


def test_every_knowledge_change_moves_the_revision(db: Engine, tz: ZoneInfo) -> None:
    first = revision(db)
    rename_housing_lead(db, tz, "Zoé AUTRE")
    assert revision(db) == first + 1
    with transaction(db) as session:  # the seed, reloaded (mandat-bot init --reset)
        write_document(session, parse_document(read_seed_text()), tz)
    assert revision(db) == first + 2


async def test_the_watcher_reloads_once_per_change_and_never_otherwise(
        db: Engine, tz: ZoneInfo) -> None:
    services = services_over(db, tz)
    watcher = KnowledgeWatcher(services)
    await watcher.start()
    try:
        assert not await watcher.check()
        assert not await watcher.check()  # nothing changed: nothing reloaded
        old_engine = services.engine

        rename_housing_lead(db, tz, "Zoé AUTRE")
        assert await watcher.check()
        assert services.engine is not old_engine
        assert "Zoé AUTRE" in services.engine.ask("qui s'occupe du logement ?").text()
        assert not await watcher.check()

        rename_housing_lead(db, tz, "Zoé TROISIÈME")
        services.knowledge_changed()  # a change made through this replica: loaded already
        assert not await watcher.check()
        assert watcher.reloads == 1
    finally:
        await watcher.stop()


async def test_a_saved_state_is_read_by_another_replica_and_a_stale_copy_never_wins(
        db: Engine) -> None:
    first, second = DatabasePersistence(db, [DRAFT]), DatabasePersistence(db, [DRAFT])
    on_first: dict = {DRAFT: {"step": 1}, "cache": object(), REVISION_KEY: 1}
    await first.update_user_data(ADMIN, on_first)

    on_second: dict = {}
    await second.refresh_user_data(ADMIN, on_second)
    assert on_second == {DRAFT: {"step": 1}, REVISION_KEY: 1}  # only the persisted keys

    on_second.update({DRAFT: {"step": 2}, REVISION_KEY: 2})
    await second.update_user_data(ADMIN, on_second)
    await first.update_user_data(ADMIN, {DRAFT: {"step": 1}, REVISION_KEY: 1})  # stale flush
    await first.refresh_user_data(ADMIN, on_first)
    assert on_first[DRAFT] == {"step": 2} and "cache" in on_first

    del on_first[DRAFT]  # the conversation ends on the first replica
    on_first[REVISION_KEY] = 3
    await first.update_user_data(ADMIN, on_first)
    await second.refresh_user_data(ADMIN, on_second)
    assert DRAFT not in on_second
    assert await DatabasePersistence(db, [DRAFT]).get_user_data() == {ADMIN: {REVISION_KEY: 3}}


async def test_an_unsaved_change_is_not_written_by_the_periodic_flush(db: Engine) -> None:
    persistence = DatabasePersistence(db, [DRAFT])
    await persistence.update_user_data(ADMIN, {DRAFT: {"step": 1}})  # never saved: no revision
    assert await persistence.get_user_data() == {}


def test_user_data_is_refreshed_before_the_persisted_conversations_are_checked(
        db: Engine, tz: ZoneInfo) -> None:
    """PTB refreshes user_data (from the database) once the first handler matched an update;
    the guided conversation, the entry search, a document's title and its dates' correction
    derive their state from it, so a handler matching every update must come in an earlier
    group."""
    app = build_application(services_over(db, tz), "123:abc", base_url="http://127.0.0.1:9/bot")
    persisted = [(group, h.name) for group, handlers in app.handlers.items()
                 for h in handlers if isinstance(h, PersistedConversation)]
    assert {name for _, name in persisted} == {"admin_guided_add", "admin_attach_find",
                                               "admin_document_title", "admin_document_dates"}
    first = app.handlers[min(app.handlers)][0]
    assert all(min(app.handlers) < group for group, _ in persisted)
    assert isinstance(first, TypeHandler) and first.type is Update
    assert isinstance(app.persistence, DatabasePersistence)


def test_a_timeout_speaks_only_for_a_draft_left_untouched() -> None:
    now = time.time()
    assert timed_out({"entity": "jalon", "step": 2, "at": now - CONVERSATION_TIMEOUT})
    assert not timed_out({"entity": "jalon", "step": 3, "at": now - 5})  # went on elsewhere
    assert not timed_out(None)  # ended elsewhere
    assert draft_state({"entity": "jalon", "step": 2, "at": now}) == ASKING
    assert draft_state({"entity": "jalon", "step": 9, "at": now}) == CONFIRMING
    assert draft_state({"entity": "jalon", "step": 2, "at": now - CONVERSATION_TIMEOUT - 1}) \
        is None


async def test_only_the_admins_states_are_read_and_a_promotion_is_seen(
        db: Engine, tz: ZoneInfo) -> None:
    services = services_over(db, tz)
    watcher = KnowledgeWatcher(services)
    await watcher.start()
    try:
        persistence = DatabasePersistence(db, [DRAFT], concerns=lambda u: u in services.admins)
        await persistence.update_user_data(7001, {DRAFT: {"step": 1}, REVISION_KEY: 1})
        seen: dict = {}
        await persistence.refresh_user_data(7001, seen)
        assert seen == {}  # not an admin: no read, whatever the table holds

        with transaction(db) as session:  # promoted through another replica
            admin_store.add_admin(session, [ADMIN], 7001, ADMIN)
        assert await watcher.check()
        await persistence.refresh_user_data(7001, seen)
        assert seen[DRAFT] == {"step": 1}
    finally:
        await watcher.stop()


async def test_a_removed_admin_leaves_the_conversations_another_replica_saved(
        db: Engine) -> None:
    """A replica reads only the admins' states: one that never read a removed admin's
    conversations still ends them in the database at their next update, so that none
    resumes anywhere once they are promoted again."""
    other = DatabasePersistence(db, CONVERSATIONS)
    await other.update_user_data(7001, {FINDING: {"question": 1, "at": time.time()},
                                        PENDING_IMPORT: {"token": "ab12"}, REVISION_KEY: 2})
    here = DatabasePersistence(db, CONVERSATIONS, concerns=lambda user_id: False)
    context = SimpleNamespace(application=SimpleNamespace(persistence=here), user_data={})
    user = User(7001, "Camille", is_bot=False)
    update = Update(1, message=Message(1, datetime.now(UTC), Chat(7001, Chat.PRIVATE),
                                       from_user=user, text="qui s'occupe du logement ?"))
    await leave_conversations(update, context)  # type: ignore[arg-type]
    assert context.user_data == {REVISION_KEY: 3}
    assert await DatabasePersistence(db, CONVERSATIONS).get_user_data() == {
        7001: {REVISION_KEY: 3}}
