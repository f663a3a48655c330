"""Telegram ids do not fit 32 bits: a supergroup is -100xxxxxxxxxx, user ids pass 2**31."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store
from knowledge.models import AuditEntry
from knowledge.store import transaction
from scheduler import reminders

SUPERGROUP = -1001987654321
USER = 7_123_456_789
CONFIGURED_ADMIN = 8_000_000_001


def test_a_supergroup_subscribes_and_is_found_again(db: Engine) -> None:
    with transaction(db) as session:
        reminders.subscribe(session, SUPERGROUP, "Groupe des maires", None)
    with Session(db) as session:
        subscriber = reminders.subscriber_of(session, SUPERGROUP)
        assert subscriber is not None and subscriber.chat_id == SUPERGROUP


def test_an_admin_with_a_large_id_is_added_and_audited(db: Engine) -> None:
    with transaction(db) as session:
        assert admin_store.add_admin(session, [CONFIGURED_ADMIN], USER, CONFIGURED_ADMIN)
    with Session(db) as session:
        assert admin_store.is_admin(session, [CONFIGURED_ADMIN], USER)
        actors = session.exec(select(AuditEntry.user_id)).all()
    assert CONFIGURED_ADMIN in actors
