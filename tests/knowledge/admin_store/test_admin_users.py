"""knowledge.admin_store.admins: admins from the settings and from the database."""

from __future__ import annotations

import pytest
from admin_helpers import (
    ADMIN,
    OTHER,
    audits,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from knowledge import admin_store as store
from knowledge.admin_store import AdminError
from knowledge.store import transaction


def test_admins_from_settings_and_from_the_database(db: Engine) -> None:
    with transaction(db) as session:
        assert store.add_admin(session, [ADMIN], OTHER, ADMIN) is True
        assert store.add_admin(session, [ADMIN], OTHER, ADMIN) is False
    with Session(db) as session:
        assert store.admin_ids(session, [ADMIN]) == {ADMIN, OTHER}
        assert store.is_admin(session, [ADMIN], OTHER)
        assert not store.is_admin(session, [ADMIN], 3003)
    with transaction(db) as session:
        with pytest.raises(AdminError, match="ADMIN_IDS"):
            store.remove_admin(session, [ADMIN], ADMIN, OTHER)
        with pytest.raises(AdminError, match="vous-même"):
            store.remove_admin(session, [ADMIN], OTHER, OTHER)
        store.remove_admin(session, [ADMIN], OTHER, ADMIN)
    with Session(db) as session:
        assert not store.is_admin(session, [ADMIN], OTHER)
    assert [a.action for a in audits(db)] == ["admin_add", "admin_remove"]
