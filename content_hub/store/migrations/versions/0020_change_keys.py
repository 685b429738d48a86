"""change_log rows of entry changes name the entry's key then

A webhook event fanned out after its entry was deleted could not say which
key the entry had (its revisions went with it): the event carried
``"key": null`` and, for a publish, ``"version": null``. The key is now kept
on the change itself. NULL for configuration changes and rows written
before.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04 21:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_column("key")
