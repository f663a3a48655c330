"""Delivery parts: what a long message already delivered

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05

A reminder or notice too long for one message (or a text, then its calendar file) goes as
several parts. `delivery.parts_sent` counts the leading parts delivered and `parts_digest`
fingerprints their texts, so a later round resumes after them instead of sending them again.
Rows from before this revision start from the first part, as they did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.add_column(sa.Column("parts_sent", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("parts_digest", sa.String(16), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("delivery") as batch:
        batch.drop_column("parts_digest")
        batch.drop_column("parts_sent")
