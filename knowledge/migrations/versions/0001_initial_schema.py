"""Initial schema (as create_all made it before Alembic)

Revision ID: 0001
Revises:
Create Date: 2026-11-29

The schema that `SQLModel.metadata.create_all` made before Alembic: a database made then
is stamped at this revision (knowledge.migrate.upgrade) and goes on from here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "adminuser",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id"),
    )
    op.create_table(
        "auditentry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "axis",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("short_title", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
    )
    op.create_table(
        "commune",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("variants", sa.JSON(), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commune_name"), ["name"], unique=True)

    op.create_table(
        "delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("milestone_id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("offset_seconds", sa.Integer(), nullable=False),
        sa.Column("milestone_start", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("milestone_id", "subscriber_id", "offset_seconds"),
    )
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_delivery_milestone_id"), ["milestone_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_delivery_subscriber_id"), ["subscriber_id"], unique=False
        )

    op.create_table(
        "fact",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fact_key"), ["key"], unique=True)

    op.create_table(
        "figure",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("context", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_figure_key"), ["key"], unique=True)

    op.create_table(
        "milestone",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("project", sa.String(), nullable=False),
        sa.Column("phase", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column(
            "precision",
            sa.Enum("EXACT", "DAY", "MONTH", name="precision", native_enum=False),
            nullable=False,
        ),
        sa.Column("approximate", sa.Boolean(), nullable=False),
        sa.Column("location", sa.String(), nullable=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_milestone_key"), ["key"], unique=True)

    op.create_table(
        "person",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("PRESIDENT", "VICE_PRESIDENT", "DELEGATE", name="role", native_enum=False),
            nullable=False,
        ),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("delegation", sa.String(), nullable=False),
        sa.Column("axis_number", sa.Integer(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_key"), ["key"], unique=True)

    op.create_table(
        "priority",
        sa.Column("source_slide", sa.Integer(), nullable=True),
        sa.Column("source_title", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("axis_number", sa.Integer(), nullable=True),
        sa.Column("theme", sa.String(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("highlight", sa.String(), nullable=True),
        sa.Column("leads", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_priority_key"), ["key"], unique=True)

    op.create_table(
        "subscriber",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("offsets", sa.JSON(), nullable=True),
        sa.Column("digest", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deactivated_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscriber_chat_id"), ["chat_id"], unique=True)

    op.create_table(
        "synonym",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("expansion", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=True),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("synonym", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_synonym_term"), ["term"], unique=False)

    op.create_table(
        "unansweredquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("normalized", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("best_score", sa.Float(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("first_asked", sa.DateTime(), nullable=False),
        sa.Column("last_asked", sa.DateTime(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unansweredquestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_unansweredquestion_normalized"), ["normalized"], unique=True
        )

    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscriber_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber_id"],
            ["subscriber.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subscriber_id", "topic"),
    )
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscription_subscriber_id"), ["subscriber_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscription_subscriber_id"))

    op.drop_table("subscription")
    with op.batch_alter_table("unansweredquestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unansweredquestion_normalized"))

    op.drop_table("unansweredquestion")
    with op.batch_alter_table("synonym", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synonym_term"))

    op.drop_table("synonym")
    with op.batch_alter_table("subscriber", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscriber_chat_id"))

    op.drop_table("subscriber")
    with op.batch_alter_table("priority", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_priority_key"))

    op.drop_table("priority")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_key"))

    op.drop_table("person")
    with op.batch_alter_table("milestone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_milestone_key"))

    op.drop_table("milestone")
    with op.batch_alter_table("figure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_figure_key"))

    op.drop_table("figure")
    with op.batch_alter_table("fact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_key"))

    op.drop_table("fact")
    with op.batch_alter_table("delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_delivery_subscriber_id"))
        batch_op.drop_index(batch_op.f("ix_delivery_milestone_id"))

    op.drop_table("delivery")
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_name"))

    op.drop_table("commune")
    op.drop_table("axis")
    op.drop_table("auditentry")
    op.drop_table("adminuser")
