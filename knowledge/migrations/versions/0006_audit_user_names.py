"""Audit user names: who made a change, by name

Revision ID: 0006_audit_user_names
Revises: 0005
Create Date: 2026-12-05

/journal showed the Telegram id of whoever made each change. `auditentry.user_name` keeps
their name as Telegram gave it at the time (first and last name). Rows from before this
revision have none: /journal names their author from a later row of the same admin, or
says "administrateur n° …" when there is none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_audit_user_names"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("auditentry") as batch:
        batch.add_column(sa.Column("user_name", sa.String(130), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("auditentry") as batch:
        batch.drop_column("user_name")
