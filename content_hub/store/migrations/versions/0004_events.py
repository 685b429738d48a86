"""events: exposures, conversions, sticky-bucket assignments, render receipts

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-23 08:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "exposure",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("experiment_key", sa.String(length=200), nullable=False),
        sa.Column("variation_id", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=128), nullable=False),
        sa.Column("hash_attribute", sa.String(length=100), nullable=False),
        sa.Column("hash_value", sa.String(length=256), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_exposure")),
    )
    with op.batch_alter_table("exposure", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exposure_experiment_key_hash_value"),
            ["experiment_key", "hash_value"],
            unique=False,
        )

    op.create_table(
        "conversion",
        sa.Column("event_id", sa.String(length=128), nullable=False),
        sa.Column("goal", sa.String(length=200), nullable=False),
        sa.Column("hash_value", sa.String(length=256), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_conversion")),
    )
    with op.batch_alter_table("conversion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_conversion_hash_value_goal"),
            ["hash_value", "goal"],
            unique=False,
        )

    op.create_table(
        "sticky_assignment",
        sa.Column("attribute_key", sa.String(length=400), nullable=False),
        sa.Column("assignments", JSON, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("attribute_key", name=op.f("pk_sticky_assignment")),
    )

    op.create_table(
        "render_receipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("variant", sa.String(length=128), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.String(length=256), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_render_receipt")),
    )
    with op.batch_alter_table("render_receipt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_render_receipt_at"), ["at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_render_receipt_entry_id"), ["entry_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("render_receipt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_render_receipt_entry_id"))
        batch_op.drop_index(batch_op.f("ix_render_receipt_at"))
    op.drop_table("render_receipt")
    op.drop_table("sticky_assignment")
    with op.batch_alter_table("conversion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversion_hash_value_goal"))
    op.drop_table("conversion")
    with op.batch_alter_table("exposure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exposure_experiment_key_hash_value"))
    op.drop_table("exposure")
