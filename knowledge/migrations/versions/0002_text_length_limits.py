"""Length limits of text columns (the entities' declarations, knowledge/models.py)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

Each entity is now declared once, its limits included; the columns get the same limits, so a
database refuses what validation refuses. Values already stored were validated against the
same limits when written, so none is cut.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("axis") as batch:
        batch.alter_column("title", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
        batch.alter_column("short_title", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
    with op.batch_alter_table("commune") as batch:
        batch.alter_column("name", existing_type=sa.String(), type_=sa.String(100),
                           existing_nullable=False)
    with op.batch_alter_table("fact") as batch:
        batch.alter_column("title", existing_type=sa.String(), type_=sa.String(200),
                           existing_nullable=False)
        batch.alter_column("text", existing_type=sa.String(), type_=sa.String(1000),
                           existing_nullable=False)
    with op.batch_alter_table("figure") as batch:
        batch.alter_column("label", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
        batch.alter_column("value", existing_type=sa.String(), type_=sa.String(60),
                           existing_nullable=False)
        batch.alter_column("unit", existing_type=sa.String(), type_=sa.String(60),
                           existing_nullable=False)
        batch.alter_column("context", existing_type=sa.String(), type_=sa.String(600),
                           existing_nullable=False)
    with op.batch_alter_table("milestone") as batch:
        batch.alter_column("project", existing_type=sa.String(), type_=sa.String(200),
                           existing_nullable=False)
        batch.alter_column("phase", existing_type=sa.String(), type_=sa.String(200),
                           existing_nullable=False)
        batch.alter_column("title", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
        batch.alter_column("location", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=True)
        batch.alter_column("description", existing_type=sa.String(), type_=sa.String(1000),
                           existing_nullable=False)
    with op.batch_alter_table("person") as batch:
        batch.alter_column("name", existing_type=sa.String(), type_=sa.String(120),
                           existing_nullable=False)
        batch.alter_column("title", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
        batch.alter_column("delegation", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
    with op.batch_alter_table("priority") as batch:
        batch.alter_column("theme", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)
    with op.batch_alter_table("synonym") as batch:
        batch.alter_column("term", existing_type=sa.String(), type_=sa.String(100),
                           existing_nullable=False)
        batch.alter_column("expansion", existing_type=sa.String(), type_=sa.String(300),
                           existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("axis") as batch:
        batch.alter_column("title", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("short_title", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("commune") as batch:
        batch.alter_column("name", existing_type=sa.String(100), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("fact") as batch:
        batch.alter_column("title", existing_type=sa.String(200), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("text", existing_type=sa.String(1000), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("figure") as batch:
        batch.alter_column("label", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("value", existing_type=sa.String(60), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("unit", existing_type=sa.String(60), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("context", existing_type=sa.String(600), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("milestone") as batch:
        batch.alter_column("project", existing_type=sa.String(200), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("phase", existing_type=sa.String(200), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("title", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("location", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=True)
        batch.alter_column("description", existing_type=sa.String(1000), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("person") as batch:
        batch.alter_column("name", existing_type=sa.String(120), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("title", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("delegation", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("priority") as batch:
        batch.alter_column("theme", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
    with op.batch_alter_table("synonym") as batch:
        batch.alter_column("term", existing_type=sa.String(100), type_=sa.String(),
                           existing_nullable=False)
        batch.alter_column("expansion", existing_type=sa.String(300), type_=sa.String(),
                           existing_nullable=False)
