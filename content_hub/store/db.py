"""Engines, sessions and migrations for SQLite (WAL) and PostgreSQL.

Start-up is safe for any number of processes and hosts starting at once:
migrations and the other one-time writes (demo data, demo keys) run under
:func:`startup_lock` (a PostgreSQL advisory lock, or a file lock beside the
SQLite database), and what every worker does at start (the default locale) runs
under :func:`lock_for_startup` in its own transaction, so the second process
waits for the first and then finds the work done.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import AsyncAdaptedQueuePool, NullPool

MIGRATIONS = Path(__file__).with_name("migrations")
log = logging.getLogger(__name__)
AFTER_COMMIT = "after_commit_callbacks"
STARTUP_LOCK = 0x636F6E74656E7431
"""PostgreSQL advisory lock key of start-up work ("content1" in ASCII)."""
_held: dict[str, int] = {}


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
    """Commit and run the after-commit callbacks services registered.

    A callback that fails is logged, never raised: the commit has happened,
    so the request that made it must be answered as a success (the callbacks
    only nudge followers that retry on their own)."""
    await session.commit()
    callbacks: list[Callable[[], Awaitable[None]]] = session.info.pop(AFTER_COMMIT, [])
    for callback in callbacks:
        try:
            await callback()
        except Exception:  # the work is committed: its caller gets its answer
            log.exception("after-commit callback %r failed", callback)


def sync_url(url: str) -> str:
    """The synchronous driver URL Alembic uses for an async URL."""
    return url.replace("sqlite+aiosqlite", "sqlite", 1)


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", sync_url(url).replace("%", "%%"))
    return config


def libpq_dsn(url: str) -> str:
    """The plain ``postgresql://`` DSN psycopg takes for a SQLAlchemy URL."""
    return (
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite database URL; ``None`` for another database or
    an in-memory one."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    return database if database and database != ":memory:" else None


def open_sqlite(path: str, busy_ms: int, *pragmas: str) -> sqlite3.Connection:
    """A plain ``sqlite3`` connection beside the engine's (autocommit, usable
    from any thread under the caller's lock), with a busy timeout."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    for pragma in pragmas:
        conn.execute(f"PRAGMA {pragma}")
    return conn


def _sqlite_file(url: str) -> Path | None:
    database = sqlite_file(url)
    if database is None:
        return None
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def startup_lock(url: str) -> Iterator[None]:
    """Hold the database's start-up lock (blocking until it is free).

    PostgreSQL: a session-level advisory lock on a connection of its own, so
    every host serialises on it. SQLite: an exclusive ``flock`` on
    ``<database>.lock``, which every process of the machine shares. Re-entrant
    within a process (``quickstart`` holds it around ``migrate``).
    """
    if _held.get(url):
        _held[url] += 1
        try:
            yield
        finally:
            _held[url] -= 1
        return
    with contextlib.ExitStack() as stack:
        if url.startswith("sqlite"):
            path = _sqlite_file(url)
            if path is not None:
                import fcntl

                handle = stack.enter_context(
                    path.with_name(path.name + ".lock").open("a")
                )
                fcntl.flock(handle, fcntl.LOCK_EX)
        else:
            conn = stack.enter_context(psycopg.connect(libpq_dsn(url), autocommit=True))
            conn.execute("SELECT pg_advisory_lock(%s)", (STARTUP_LOCK,))
        _held[url] = 1
        try:
            yield
        finally:
            _held.pop(url, None)


async def lock_for_startup(session: AsyncSession) -> None:
    """Serialise this transaction with every other process's start-up work.

    PostgreSQL: a transaction-level advisory lock (the same key as
    :func:`startup_lock`), released at commit. SQLite: nothing to do, the write
    engine's ``BEGIN IMMEDIATE`` already holds the database's write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(sa.select(sa.func.pg_advisory_xact_lock(STARTUP_LOCK)))


def insert_ignoring_conflict(
    session: AsyncSession, table: Any, **values: Any
) -> sa.Insert:
    """``INSERT ... ON CONFLICT DO NOTHING``: a row that processes racing each
    other may all try to create, and only one does."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(table).values(**values).on_conflict_do_nothing()


def pending_migrations(url: str) -> bool:
    """Whether the database is behind the newest migration (or not migrated)."""
    heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
    engine = sa.create_engine(sync_url(url), poolclass=NullPool)
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return current != heads


def migrate(url: str, revision: str = "heads") -> None:
    """Apply pending migrations (synchronous; run before serving).

    Under :func:`startup_lock`: processes migrating at once run one after the
    other, and the later ones find the schema at head.
    """
    with startup_lock(url):
        if url.startswith("sqlite"):
            _sqlite_file(url)
        command.upgrade(alembic_config(url), revision)


async def snapshot_reads(session: AsyncSession) -> None:
    """Make every read of ``session``'s transaction see one snapshot.

    Call before the first statement. PostgreSQL gets ``REPEATABLE READ`` (its
    default, ``READ COMMITTED``, lets each statement see later commits);
    SQLite's deferred ``BEGIN`` already reads one snapshot under WAL.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.connection(
            execution_options={"isolation_level": "REPEATABLE READ"}
        )
