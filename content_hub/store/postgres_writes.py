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
back and compares (``tests/content_hub/test_postgres_event_writer.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.store.db import libpq_dsn
from content_hub.store.event_rows import (
    EXPOSURE_COLUMNS,
    RECEIPT_COLUMNS,
    exposure_rows,
    receipt_rows,
    sticky_rows,
)
from content_hub.store.pg_connection import OwnConnection
from content_hub.store.tables_events import (
    ExposureRow,
    RenderReceiptRow,
    StickyAssignmentRow,
)

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


def _iso(value: datetime) -> str:
    return value.isoformat()


class PostgresEventWriter:
    """Writes batches of exposures, sticky documents and receipts to
    PostgreSQL through one async connection of its own."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.connection = OwnConnection(dsn)

    @classmethod
    def for_url(cls, url: str) -> PostgresEventWriter | None:
        """A writer for a PostgreSQL database URL; ``None`` for anything else."""
        if not url.startswith("postgresql"):
            return None
        return cls(libpq_dsn(url))

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
        async with (
            self.connection.use() as conn,
            conn.transaction(),  # BEGIN … COMMIT, or ROLLBACK
        ):
            if exposures:
                await conn.execute(
                    _INSERT_EXPOSURES,
                    _columns(exposure_rows(exposures, _iso), len(EXPOSURE_COLUMNS)),
                    prepare=True,
                )
            if sticky:
                rows = sticky_rows(sticky)
                await conn.execute(
                    _MERGE_STICKY,
                    [now.isoformat(), *_columns(rows, 2)],
                    prepare=True,
                )
            if receipts:
                await conn.execute(
                    _INSERT_RECEIPTS,
                    _columns(receipt_rows(receipts, _iso), len(RECEIPT_COLUMNS)),
                    prepare=True,
                )

    async def aclose(self) -> None:
        """Close the connection (a write in progress fails and is retried by
        the recorder on a new one, or kept if the worker is stopping)."""
        await self.connection.aclose()
