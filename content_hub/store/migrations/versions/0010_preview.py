"""preview: per content type front-end preview URLs, the hub's signing secrets

Revision ID: 0010
Revises: 0003
Create Date: 2026-12-04 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "type_preview_url",
        sa.Column("type_key", sa.String(length=64), nullable=False),
        sa.Column("pattern", sa.String(length=2000), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["type_key"],
            ["content_type.key"],
            name=op.f("fk_type_preview_url_type_key_content_type"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("type_key", name=op.f("pk_type_preview_url")),
    )
    op.create_table(
        "hub_secret",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_hub_secret")),
    )


def downgrade() -> None:
    op.drop_table("hub_secret")
    op.drop_table("type_preview_url")
