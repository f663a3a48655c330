"""knowledge.admin_store.undo: an admin's own latest change, undone if nobody changed it since."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from admin_helpers import (
    ADMIN,
    ELU,
    JALON,
    MILESTONE,
    OTHER,
    audits,
    create,
    get,
    state,
    update,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.admin_store import AdminError
from knowledge.seed import parse_document
from knowledge.store import transaction


def test_delete_takes_pinned_synonyms_and_referents_along_and_undo_restores(
        db: Engine, tz: ZoneInfo) -> None:
    with Session(db) as session:
        priority = next(p for p in session.exec(select(models.Priority)) if p.leads)
        person = session.exec(select(models.Person).where(
            models.Person.key == priority.leads[0])).one()
    with transaction(db) as session:
        session.add(models.Synonym(term="le boss", entity="person", entry_id=person.id))
    before = state(db, tz)[0]
    with transaction(db) as session:
        store.delete_entry(session, ELU, person.id, ADMIN)
    assert person.key not in get(db, models.Priority, priority.id).leads
    with Session(db) as session:  # still a valid document: nothing points at the gone entry
        parse_document(store.export_document(session, tz))
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "delete"
    assert state(db, tz)[0] == before
    assert get(db, models.Person, person.id).name == person.name  # same id again


def test_undo_create_and_update_then_nothing_left(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "update"
    assert get(db, models.Milestone, entry_id).location.startswith("Conseil territorial")
    with transaction(db) as session:
        assert store.undo_last(session, ADMIN, tz).action == "create"
    assert get(db, models.Milestone, entry_id) is None
    with transaction(db) as session, pytest.raises(AdminError, match="aucune modification"):
        store.undo_last(session, ADMIN, tz)
    assert [a.action for a in audits(db)] == ["create", "update", "undo", "undo"]


def test_undo_is_only_for_my_own_change_and_refused_after_someone_elses(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry", user=OTHER)
    with transaction(db) as session, pytest.raises(AdminError, match="modifié depuis"):
        store.undo_last(session, ADMIN, tz)
    assert get(db, models.Milestone, entry_id).location == "Ivry"


def test_undo_refuses_a_state_that_todays_rules_refuse(db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    with transaction(db) as session:  # a state recorded before the bounds were declared
        last = session.exec(select(models.AuditEntry).order_by(
            models.AuditEntry.id.desc())).first()
        last.before = {**last.before, "title": "x" * 400}
        session.add(last)
    before = state(db, tz)
    with transaction(db) as session, pytest.raises(AdminError, match="règles actuelles"):
        store.undo_last(session, ADMIN, tz)
    assert state(db, tz) == before


def test_the_change_to_undo_and_why_it_cannot_be_are_known_before_undoing(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    before = state(db, tz)
    with Session(db) as session:
        last = store.last_change(session, ADMIN)
        assert (last.action, last.entry_id) == ("update", entry_id)
        assert store.undo_problem(session, last) is None
    update(db, tz, JALON, entry_id, "lieu=Orly", user=OTHER)
    with Session(db) as session:
        assert "ce jalon a été modifié depuis" in store.undo_problem(
            session, store.last_change(session, ADMIN))
    assert state(db, tz)[0] != before[0] and state(db, tz)[2] == before[2] + 1  # only OTHER


def test_undo_refuses_when_the_change_shown_is_no_longer_the_latest(
        db: Engine, tz: ZoneInfo) -> None:
    entry_id = create(db, tz, JALON, MILESTONE)
    with Session(db) as session:
        shown = store.last_change(session, ADMIN).id
    update(db, tz, JALON, entry_id, "lieu=Ivry")
    before = state(db, tz)
    with transaction(db) as session, pytest.raises(AdminError, match="plus votre dernière"):
        store.undo_last(session, ADMIN, tz, expected=shown)
    assert state(db, tz) == before
    with transaction(db) as session:
        latest = store.last_change(session, ADMIN).id
        undone = store.undo_last(session, ADMIN, tz, expected=latest)
    assert (undone.action, undone.before["location"], undone.after["location"]) == (
        "update", "Ivry", "Conseil territorial, Vitry-sur-Seine")
