"""change_log rows of publishes name the version published and the one
published before it

A webhook event says which entry version a publish made live and which
locales it changed. Read when the dispatcher fans the change out, the
entry's state could be that of a later publish; these columns fix what each
publish was. Both are NULL for other changes and for rows written before.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("before", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("before")
        batch_op.drop_column("version")
