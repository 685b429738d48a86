"""Alembic environment: the hub's tables, batch mode for SQLite."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import content_hub.store.tables
import content_hub.store.tables_l10n
import content_hub.store.tables_preview
import content_hub.store.tables_releases
import content_hub.store.tables_render  # noqa: F401
from content_hub.store import (  # noqa: F401
    tables_events,
    tables_users,
    tables_webhooks,
)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
