"""entry list indexes: the Studio list's default order (last changed) and
its key order walk an index instead of sorting every entry

Revision ID: 0006
Revises: 0001
Create Date: 2026-12-03 08:00:00

bench/studio_entry_list.py over 10,000 entries on SQLite: the default page
sorted all rows (with their JSON) for ORDER BY updated_at DESC LIMIT 25.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_entry_updated_at_id"), ["updated_at", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_entry_key_id"), ["key", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entry_key_id"))
        batch_op.drop_index(batch_op.f("ix_entry_updated_at_id"))
