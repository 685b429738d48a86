"""The event recorder's batch write on PostgreSQL without the async machinery.

Under new customers a worker flushes thousands of exposures and sticky
documents a second. Through an async session every row passes SQLAlchemy's
bind processing on the event loop and an ``executemany`` of many statements;
on PostgreSQL that cost the loop more than the render itself. The recorder
instead hands the batch to this writer and its own async ``psycopg``
connection: one statement per table and batch, whose columns go as arrays
(``INSERT … SELECT … FROM unnest(…)``), so the per-row work is building a few
lists, and psycopg's C code encodes them. It stays on the event loop (no
thread): a stopping worker can cancel a write to a server that stopped
answering, and the connection is then dropped and made again.

What is stored is what :class:`~content_hub.store.repositories.events.
EventRepository` stores (same columns, times, JSON documents, the same
insert-or-ignore and sticky merge, rows in the same order); a test reads both
back and compares (``tests/content_hub/test_event_writers.py``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec
import psycopg

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.store.db import libpq_dsn
from content_hub.store.tables_events import (
    ExposureRow,
    RenderReceiptRow,
    StickyAssignmentRow,
)

_encode = msgspec.json.encode
_EXPOSURE = str(ExposureRow.__tablename__)
_STICKY = str(StickyAssignmentRow.__tablename__)
_RECEIPT = str(RenderReceiptRow.__tablename__)

# ``WITH ORDINALITY … ORDER BY n``: rows apply in the batch's order, so the
# first of two equal event ids is kept and receipts take ids in order, as the
# session's executemany does. Times go as text and are cast on the server,
# as psycopg would for each row (an array must hold one type: a batch could
# mix times with and without an offset).
_INSERT_EXPOSURES = f"""
INSERT INTO {_EXPOSURE} (event_id, experiment_key, variation_id, variant,
    hash_attribute, hash_value, entry_id, channel, source, at)
SELECT event_id, experiment_key, variation_id, variant,
    hash_attribute, hash_value, entry_id, channel, source, at::timestamptz
FROM unnest(%s::text[], %s::text[], %s::int[], %s::text[], %s::text[],
    %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
    WITH ORDINALITY AS t(event_id, experiment_key, variation_id, variant,
        hash_attribute, hash_value, entry_id, channel, source, at, n)
ORDER BY n
ON CONFLICT (event_id) DO NOTHING
"""  # noqa: S608 (table names are the models', not input)
_MERGE_STICKY = f"""
INSERT INTO {_STICKY} (attribute_key, assignments, updated_at)
SELECT attribute_key, assignments::jsonb, %s::timestamptz
FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(attribute_key, assignments, n)
ORDER BY n
ON CONFLICT (attribute_key) DO UPDATE SET
    assignments = {_STICKY}.assignments || excluded.assignments,
    updated_at = excluded.updated_at
"""  # noqa: S608
_INSERT_RECEIPTS = f"""
INSERT INTO {_RECEIPT} (entry_id, version, variant, locale, channel,
    customer_id, request_id, at)
SELECT entry_id, version, variant, locale, channel, customer_id, request_id,
    at::timestamptz
FROM unnest(%s::text[], %s::int[], %s::text[], %s::text[], %s::text[],
    %s::text[], %s::text[], %s::text[])
    WITH ORDINALITY AS t(entry_id, version, variant, locale, channel,
        customer_id, request_id, at, n)
ORDER BY n
"""  # noqa: S608


def _columns(rows: Sequence[tuple[Any, ...]], width: int) -> list[list[Any]]:
    """Rows to one list per column (an empty batch: empty columns)."""
    return [list(column) for column in zip(*rows, strict=True)] or [[]] * width


CONNECT_TIMEOUT_S = 10


class PostgresEventWriter:
    """Writes batches of exposures, sticky documents and receipts to
    PostgreSQL through one async connection of its own."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self._conn: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self._lock = asyncio.Lock()

    @classmethod
    def for_url(cls, url: str) -> PostgresEventWriter | None:
        """A writer for a PostgreSQL database URL; ``None`` for anything else."""
        if not url.startswith("postgresql"):
            return None
        return cls(libpq_dsn(url))

    async def _connection(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        if self._conn is None or self._conn.closed:
            self._conn = await psycopg.AsyncConnection.connect(
                self.dsn, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S
            )
        return self._conn

    async def flush(
        self,
        exposures: Sequence[Exposure],
        sticky: Mapping[str, Mapping[str, str]],
        receipts: Sequence[RenderReceipt],
        now: datetime,
    ) -> None:
        """Write one batch in one transaction; on an error nothing is kept
        and the error propagates (the recorder keeps the batch and retries,
        on a new connection)."""
        async with self._lock:
            conn = await self._connection()
            try:
                async with conn.transaction():  # BEGIN … COMMIT, or ROLLBACK
                    if exposures:
                        await conn.execute(
                            _INSERT_EXPOSURES,
                            _columns(
                                [
                                    (
                                        e.event_id,
                                        e.experiment_key,
                                        e.variation_id,
                                        e.variant,
                                        e.hash_attribute,
                                        e.hash_value,
                                        e.entry_id,
                                        e.channel,
                                        e.source,
                                        e.at.isoformat(),
                                    )
                                    for e in exposures
                                ],
                                10,
                            ),
                            prepare=True,
                        )
                    if sticky:
                        ordered = sorted(sticky.items())  # as the session: no deadlock
                        await conn.execute(
                            _MERGE_STICKY,
                            [
                                now.isoformat(),
                                [key for key, _ in ordered],
                                [_encode(dict(doc)).decode() for _, doc in ordered],
                            ],
                            prepare=True,
                        )
                    if receipts:
                        await conn.execute(
                            _INSERT_RECEIPTS,
                            _columns(
                                [
                                    (
                                        r.entry_id,
                                        r.version,
                                        r.variant,
                                        r.locale,
                                        r.channel,
                                        r.customer_id,
                                        r.request_id,
                                        r.at.isoformat(),
                                    )
                                    for r in receipts
                                ],
                                8,
                            ),
                            prepare=True,
                        )
            except BaseException:
                # Failed, cancelled mid-statement, or broken: start afresh.
                self._conn = None
                await conn.close()
                raise

    async def aclose(self) -> None:
        """Close the connection (a write in progress fails and is retried by
        the recorder on a new one, or kept if the worker is stopping)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()
