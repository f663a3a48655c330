"""Documents and their passages: what admins load, what answers quote

Revision ID: 0007
Revises: 0006_audit_user_names
Create Date: 2026-12-10

- `document`: a file an admin loaded (title, file name, fingerprint, pages, who added it
  and when, its version and the document it replaced);
- `passage`: a quotable piece of one page of a document; deleting the document deletes them
  (ON DELETE CASCADE, and the store deletes them itself too).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006_audit_user_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_by_id", sa.BigInteger(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("replaces", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_document_title", "document", ["title"])
    op.create_table(
        "passage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(2000), nullable=False),
        sa.Column("heading", sa.String(300), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_passage_document_id", "passage", ["document_id"])


def downgrade() -> None:
    op.drop_index("ix_passage_document_id", table_name="passage")
    op.drop_table("passage")
    op.drop_index("ix_document_title", table_name="document")
    op.drop_table("document")
