"""webhook deliveries ordered by (change, event number): no cap on the
events of one change (a release makes one per item it changes)

Until now ``position`` was ``seq * 8 + event number``: a change could make
8 events at most. It becomes the change's ``seq`` and ``ordinal`` the
event's number among those of the change; existing rows are split.

Revision ID: 0018
Revises: 0013
Create Date: 2026-12-18 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ["webhook_id", "entry_id", "status", "position"]


def upgrade() -> None:
    op.drop_index("ix_webhook_delivery_order", table_name="webhook_delivery")
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("ordinal", sa.Integer(), nullable=False, server_default="0")
        )
    # both sides read the old value (SQL evaluates every SET on the old row)
    op.execute(
        "UPDATE webhook_delivery SET ordinal = position % 8, position = position / 8"
    )
    op.create_index(
        "ix_webhook_delivery_order", "webhook_delivery", [*OLD, "ordinal"]
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_order", table_name="webhook_delivery")
    op.execute(
        "UPDATE webhook_delivery SET position = position * 8 + "
        "CASE WHEN ordinal < 8 THEN ordinal ELSE 7 END"
    )
    with op.batch_alter_table("webhook_delivery", schema=None) as batch_op:
        batch_op.drop_column("ordinal")
    op.create_index("ix_webhook_delivery_order", "webhook_delivery", OLD)
