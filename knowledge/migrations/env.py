"""Alembic environment: the models' metadata, over the connection knowledge.migrate passes.

Run through `mandat-bot migrate` (or knowledge.migrate), never with an alembic.ini: the
database URL comes from the settings, like everything else.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from knowledge import models
from knowledge.migrate import compare_type

config = context.config
target_metadata = SQLModel.metadata


def render_item(kind: str, item: Any, autogen_context: Any) -> str | bool:
    """Render the models' own column types as plain SQLAlchemy ones, so that a migration
    never imports the models (which keep changing after it is written)."""
    if kind == "type" and isinstance(item, AutoString):
        return f"sa.String({item.length})" if item.length else "sa.String()"
    if kind == "type" and isinstance(item, models.UTCDateTime):
        return "sa.DateTime()"
    return False


def run_migrations() -> None:
    connection: sa.Connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters a table by copying it
        render_item=render_item,
        compare_type=compare_type,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
