"""translations: the source hash of each translation and per-locale review
states

Revision ID: 0015
Revises: 0001
Create Date: 2026-12-13 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _entry_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["entry_id"],
        ["entry.id"],
        name=op.f(f"fk_{table}_entry_id_entry"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "translation_source",
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=160), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("source_hash", sa.String(length=16), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        _entry_fk("translation_source"),
        sa.PrimaryKeyConstraint(
            "entry_id", "field", "locale", name=op.f("pk_translation_source")
        ),
    )
    op.create_table(
        "translation_review",
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("locale", sa.String(length=35), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        _entry_fk("translation_review"),
        sa.PrimaryKeyConstraint("entry_id", "locale", name=op.f("pk_translation_review")),
    )


def downgrade() -> None:
    op.drop_table("translation_review")
    op.drop_table("translation_source")
