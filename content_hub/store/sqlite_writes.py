"""The event recorder's batch write on SQLite without the async machinery.

Under new customers a worker flushes thousands of exposures and sticky
documents a second. Through an aiosqlite session every row passes
SQLAlchemy's bind processing on the event loop (a date and a JSON document per
row) and every statement hops between the loop and the connection's thread;
the flush took 5-6 % of a worker and its pauses set the render p99. On SQLite
the recorder instead hands the batch to this writer, which runs in a thread:
plain ``sqlite3`` statements over tuples, one ``BEGIN IMMEDIATE`` transaction.
``sqlite3`` releases the GIL while SQLite works, so the loop keeps serving.

What is stored is what :class:`~content_hub.store.repositories.events.
EventRepository` stores (same columns, same text form of times and JSON, the
same insert-or-ignore and sticky merge); a test reads both back and compares.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.store.db import open_sqlite, sqlite_file
from content_hub.store.event_rows import (
    EXPOSURE_COLUMNS,
    RECEIPT_COLUMNS,
    STICKY_COLUMNS,
    exposure_rows,
    receipt_rows,
    sticky_rows,
)
from content_hub.store.tables_events import (
    ExposureRow,
    RenderReceiptRow,
    StickyAssignmentRow,
)

BUSY_MS = 10_000
"""As the engine's busy timeout: a flush waits for another writer's commit."""

CHUNKS = (256, 32, 4, 1)
"""Rows per ``INSERT`` statement, largest first: a batch of 300 rows is one
statement of 256, one of 32, three of 4 and none of 1 (a handful of cached
statements per table, at most 2,560 parameters each: SQLite allows 32,766)."""


class _Insert:
    """One table's multi-row ``INSERT`` for every chunk size."""

    def __init__(
        self, table: str, columns: Sequence[str], tail: str, chunks: Sequence[int]
    ) -> None:
        row = "(" + ",".join("?" * len(columns)) + ")"
        head = f"INSERT INTO {table} ({','.join(columns)}) VALUES "  # noqa: S608
        self.sizes = sorted(set(chunks), reverse=True)
        if not self.sizes or self.sizes[-1] != 1:
            raise ValueError(f"chunk sizes must include 1: {chunks!r}")
        self.statements = {n: head + ",".join([row] * n) + tail for n in self.sizes}

    def run(self, conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert ``rows`` in order, many per statement.

        ``executemany`` steps SQLite once per row, and every step releases the
        GIL and takes it back: with the event loop's thread busy, every row of
        a flush cost the loop a hand-over of the GIL both ways (new customers
        rendered in process: 20 µs less of the loop's thread per render with
        this). A multi-row ``VALUES`` is one step per statement; its rows apply
        in order, so a conflict clause sees the earlier rows of the same
        statement as it saw the earlier steps of ``executemany``.
        """
        done, total = 0, len(rows)
        for size in self.sizes:
            sql = self.statements[size]
            while total - done >= size:
                chunk = rows[done : done + size]
                conn.execute(sql, [value for row in chunk for value in row])
                done += size


_STICKY_TABLE = str(StickyAssignmentRow.__tablename__)
_STICKY_UPSERT = (
    " ON CONFLICT (attribute_key) DO UPDATE SET"
    f" assignments = json_patch({_STICKY_TABLE}.assignments, excluded.assignments),"
    " updated_at = excluded.updated_at"
)


def stored_time(value: datetime) -> str:
    """A time as SQLAlchemy's SQLite ``DATETIME`` stores it: UTC, no offset,
    ``YYYY-MM-DD HH:MM:SS.ffffff`` (``isoformat`` writes it about four times
    faster than ``strftime``, and pads a year below 1000 as SQLAlchemy does)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


class SqliteEventWriter:
    """Writes batches of exposures, sticky documents and receipts to one
    SQLite file through its own connection (call it from a thread)."""

    def __init__(
        self, path: str, busy_ms: int = BUSY_MS, chunks: Sequence[int] = CHUNKS
    ) -> None:
        self.path = path
        self.busy_ms = busy_ms
        self._exposures = _Insert(
            str(ExposureRow.__tablename__),
            EXPOSURE_COLUMNS,
            " ON CONFLICT (event_id) DO NOTHING",
            chunks,
        )
        self._sticky = _Insert(
            _STICKY_TABLE,
            STICKY_COLUMNS,
            _STICKY_UPSERT,
            chunks,
        )
        self._receipts = _Insert(
            str(RenderReceiptRow.__tablename__), RECEIPT_COLUMNS, "", chunks
        )
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_url(cls, url: str) -> SqliteEventWriter | None:
        """A writer for a SQLite file database URL; ``None`` for anything else."""
        path = sqlite_file(url)
        return None if path is None else cls(path)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_sqlite(self.path, self.busy_ms, "synchronous=NORMAL")
        return self._conn

    def write(
        self,
        exposures: Sequence[Exposure],
        sticky: Mapping[str, Mapping[str, str]],
        receipts: Sequence[RenderReceipt],
        now: datetime,
    ) -> None:
        """Write one batch in one transaction; on an error nothing is kept
        and the error propagates (the recorder keeps the batch and retries)."""
        updated = stored_time(now)
        with self._lock:
            conn = self._connection()
            conn.execute("BEGIN IMMEDIATE")
            try:
                if exposures:
                    self._exposures.run(conn, exposure_rows(exposures, stored_time))
                if sticky:
                    self._sticky.run(
                        conn,
                        [(key, doc, updated) for key, doc in sticky_rows(sticky)],
                    )
                if receipts:
                    self._receipts.run(conn, receipt_rows(receipts, stored_time))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    async def flush(
        self,
        exposures: Sequence[Exposure],
        sticky: Mapping[str, Mapping[str, str]],
        receipts: Sequence[RenderReceipt],
        now: datetime,
    ) -> None:
        """:meth:`write` in a thread, off the event loop (the recorder's
        ``BatchWriter``): the rows are built and written there."""
        await asyncio.to_thread(self.write, exposures, sticky, receipts, now)

    async def aclose(self) -> None:
        """:meth:`close` (the hub closes every event writer the same way)."""
        self.close()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
