"""Two replicas on one database: claim owners, replica heartbeats, knowledge revision,
conversation state

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30

- `delivery.owner`: the replica that claimed a "sending" row; rows claimed before this
  revision have none and are taken over like those of a dead replica;
- `replica`: each bot process's heartbeat (scheduler.replicas);
- `knowledgerevision`: one row, bumped with every knowledge change, polled by the replicas;
- `userstate`: the conversation state PTB's persistence keeps (bot.persistence).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("owner", sa.String(100), nullable=True))
    op.create_table(
        "replica",
        sa.Column("id", sa.String(100), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    revisions = op.create_table(
        "knowledgerevision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(revisions, [{"id": 1, "revision": 0}])
    op.create_table(
        "userstate",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("userstate")
    op.drop_table("knowledgerevision")
    op.drop_table("replica")
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("owner")
