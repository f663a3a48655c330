"""Shared by the knowledge.admin_store tests: typed commands, database state, exports."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import yaml
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from knowledge import admin_store as store
from knowledge import models
from knowledge.seed import dump_document, dump_yaml
from knowledge.store import knowledge_version, transaction

ADMIN, OTHER = 1001, 1002
JALON = store.ENTITIES["jalon"]
ELU = store.ENTITIES["elu"]


def raw(spec: store.EntitySpec, command: str) -> dict[str, str]:
    return store.parse_assignments(spec, store.split_words(command))


def create(db: Engine, tz: ZoneInfo, spec: store.EntitySpec, command: str,
           user: int = ADMIN) -> int:
    with transaction(db) as session:
        return store.create_entry(session, spec, raw(spec, command), user, tz).id


def update(db: Engine, tz: ZoneInfo, spec: store.EntitySpec, entry_id: int, command: str,
           user: int = ADMIN) -> None:
    with transaction(db) as session:
        store.update_entry(session, spec, entry_id, raw(spec, command), user, tz)


def get(db: Engine, model: type, entry_id: int):  # noqa: ANN202 - any model row
    with Session(db) as session:
        return session.get(model, entry_id)


def state(db: Engine, tz: ZoneInfo) -> tuple:
    """Everything an admin operation may change: the whole base and the audit trail."""
    with Session(db) as session:
        audits = session.exec(select(func.count()).select_from(models.AuditEntry)).one()
        return (dump_yaml(dump_document(session, tz)), knowledge_version(session), audits)


def audits(db: Engine) -> list[models.AuditEntry]:
    with Session(db) as session:
        return list(session.exec(select(models.AuditEntry).order_by(models.AuditEntry.id)))


MILESTONE = ('titre="Approbation du PCAET" projet=PCAET date=15/03/2027 heure=10h '
             'lieu="Conseil territorial, Vitry-sur-Seine"')


def exported(db: Engine, tz: ZoneInfo) -> dict:
    with Session(db) as session:
        return yaml.safe_load(store.export_document(session, tz))


def as_bytes(data: dict) -> bytes:
    return dump_yaml(data).encode()
