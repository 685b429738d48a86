"""One async psycopg connection owned by a store component.

The event writer and the sticky reader on PostgreSQL each keep a connection
of their own, used by one call at a time. A call that fails, is cancelled
mid-statement or finds the connection broken drops it (closing it), and the
next call connects again: a connection left in an unknown state is never
reused.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg

CONNECT_TIMEOUT_S = 10


class OwnConnection:
    """A lazily opened autocommit connection, one user at a time."""

    def __init__(self, dsn: str, **options: Any) -> None:
        self.dsn = dsn
        self.options = options
        """Passed to ``psycopg.AsyncConnection.connect`` (``prepare_threshold``…)."""
        self._conn: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._lock = asyncio.Lock()

    @property
    def current(self) -> psycopg.AsyncConnection[tuple[Any, ...]] | None:
        """The connection while one is open (``None`` before the first use and
        after a drop)."""
        return self._conn

    @asynccontextmanager
    async def use(self) -> AsyncIterator[psycopg.AsyncConnection[tuple[Any, ...]]]:
        """The connection, opened if needed, for the block alone; any
        exception out of the block (a cancellation too) drops it."""
        async with self._lock:
            if self._conn is None or self._conn.closed:
                self._conn = await psycopg.AsyncConnection.connect(
                    self.dsn,
                    autocommit=True,
                    connect_timeout=CONNECT_TIMEOUT_S,
                    **self.options,
                )
            conn = self._conn
            try:
                yield conn
            except BaseException:
                self._conn = None
                await conn.close()
                raise

    async def aclose(self) -> None:
        """Close the connection (the next use opens another)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()
