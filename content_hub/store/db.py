"""Engines, sessions and migrations for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool

MIGRATIONS = Path(__file__).with_name("migrations")
AFTER_COMMIT = "after_commit_callbacks"


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 10, immediate: bool = True
) -> AsyncEngine:
    """An async engine; SQLite gets WAL, a busy timeout and write-ahead BEGIN IMMEDIATE.

    ``BEGIN IMMEDIATE`` takes SQLite's write lock when a transaction starts, so
    two concurrent read-then-write transactions queue on the busy timeout
    instead of failing with ``SQLITE_BUSY`` when the reader upgrades.
    Read-only engines (``immediate=False``) use plain deferred transactions,
    which WAL lets run beside a writer.
    """
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        # Pooled: opening a SQLite connection (a new aiosqlite thread and the
        # pragmas below) costs milliseconds, far more than the query it serves.
        # An in-memory database would be private to each connection: no pool.
        engine = (
            create_async_engine(
                url,
                echo=echo,
                poolclass=AsyncAdaptedQueuePool,
                pool_size=pool_size,
                max_overflow=pool_size,
            )
            if database and database != ":memory:"
            else create_async_engine(url, echo=echo, poolclass=NullPool)
        )

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine
    return create_async_engine(
        url, echo=echo, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True
    )


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def after_commit(
    session: AsyncSession, callback: Callable[[], Awaitable[None]]
) -> None:
    """Run ``callback`` once the boundary has committed this session's work."""
    session.info.setdefault(AFTER_COMMIT, []).append(callback)


async def commit(session: AsyncSession) -> None:
    """Commit and run the after-commit callbacks services registered."""
    await session.commit()
    callbacks: list[Callable[[], Awaitable[None]]] = session.info.pop(AFTER_COMMIT, [])
    for callback in callbacks:
        await callback()


def sync_url(url: str) -> str:
    """The synchronous driver URL Alembic uses for an async URL."""
    return url.replace("sqlite+aiosqlite", "sqlite", 1)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "heads") -> None:
    """Apply pending migrations (synchronous; run before serving)."""
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)
