"""The sticky store's grouped read on PostgreSQL without a session.

A customer a worker has not seen needs its stored sticky-bucket documents
before its render decides. On PostgreSQL the sticky store reads them grouped:
one query at a time per worker, taking the keys of every request that arrived
meanwhile. Through an async SQLAlchemy session each such query cost the event
loop far more than the query itself (a session, a pooled connection, the
statement's compilation cache and result processing); this reader sends the
same ``SELECT … WHERE attribute_key = ANY(%s)`` on one psycopg connection of
its own and decodes the documents with msgspec. It is planned afresh each
time, never prepared: the sticky table grows by a row per new customer, and
a cached generic plan made while it was small kept scanning all of it.

It answers what :meth:`content_hub.store.repositories.events.EventRepository.
sticky_docs` answers (a test compares them); a failed or cancelled read drops
the connection, and the next read connects again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec

from content_hub.store.db import libpq_dsn
from content_hub.store.pg_connection import OwnConnection
from content_hub.store.tables_events import StickyAssignmentRow

CHUNK = 5_000
"""Keys per query, as the session read."""
_decode = msgspec.json.Decoder(dict[str, Any]).decode
_TABLE = StickyAssignmentRow.__tablename__
_SELECT = f"SELECT attribute_key, assignments::text FROM {_TABLE} WHERE attribute_key = ANY(%s::text[])"  # noqa: E501, S608 (the model's table)


class PostgresStickyReader:
    """Reads stored sticky documents by key on its own async connection."""

    def __init__(self, dsn: str, chunk: int = CHUNK) -> None:
        self.dsn = dsn
        self.chunk = chunk
        # Never prepared: a generic plan made while the table was small scans
        # it whole once it has grown (a 100,000-recipient batch on a fresh
        # database took 150 s instead of 23 s).
        self.connection = OwnConnection(dsn, prepare_threshold=None)

    @classmethod
    def for_url(cls, url: str) -> PostgresStickyReader | None:
        """A reader for a PostgreSQL database URL; ``None`` for anything else."""
        if not url.startswith("postgresql"):
            return None
        return cls(libpq_dsn(url))

    async def sticky_docs(self, keys: Sequence[str]) -> dict[str, dict[str, str]]:
        """Stored sticky documents by attribute key (absent keys are left out)."""
        found: dict[str, dict[str, str]] = {}
        unique = list(dict.fromkeys(keys))
        async with self.connection.use() as conn:
            for start in range(0, len(unique), self.chunk):
                cursor = await conn.execute(
                    _SELECT, (unique[start : start + self.chunk],)
                )
                for key, text in await cursor.fetchall():
                    found[key] = {str(k): str(v) for k, v in _decode(text).items()}
        return found

    async def aclose(self) -> None:
        """Close the connection (the next read would open another)."""
        await self.connection.aclose()
