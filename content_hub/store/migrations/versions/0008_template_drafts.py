"""template drafts: which template version is published, per type and channel

(Branches from 0003, which made the template table, as the other
migrations branch from what they need.) The latest saved version of a
template becomes its draft; renders use the
version in ``template_publication``. Every existing template's latest version
is published here, so existing data renders as before.

Revision ID: 0008
Revises: 0003
Create Date: 2026-12-14 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "template_publication",
        sa.Column("type_key", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint(
            "type_key", "channel", name=op.f("pk_template_publication")
        ),
    )
    op.execute(
        "INSERT INTO template_publication"
        " (type_key, channel, version, published_at, published_by)"
        " SELECT t.type_key, t.channel, t.version, t.created_at, t.created_by"
        " FROM template t"
        " WHERE t.version = (SELECT MAX(l.version) FROM template l"
        "  WHERE l.type_key = t.type_key AND l.channel = t.channel)"
    )


def downgrade() -> None:
    op.drop_table("template_publication")
