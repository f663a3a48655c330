"""Telegram ids as 64-bit integers

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30

A group's chat id is -100 followed by ten digits, and user ids have outgrown 32 bits:
PostgreSQL's INTEGER refused them, so a supergroup could not subscribe there. SQLite stores
any integer in its INTEGER columns; the batch copy only changes the declared type.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {  # table: the columns holding a Telegram chat or user id, and whether nullable
    "subscriber": {"chat_id": False},
    "adminuser": {"user_id": False, "added_by": False},
    "auditentry": {"user_id": False, "entry_id": True},  # an admin entry's id is a user id
}


def _retype(old: type[sa.types.TypeEngine], new: type[sa.types.TypeEngine]) -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column, nullable in columns.items():
                batch.alter_column(column, existing_type=old(), type_=new(),
                                   existing_nullable=nullable)


def upgrade() -> None:
    _retype(sa.Integer, sa.BigInteger)


def downgrade() -> None:
    _retype(sa.BigInteger, sa.Integer)
