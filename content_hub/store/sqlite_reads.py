"""Point reads on SQLite without the async machinery.

A read through an aiosqlite session makes about ten hops between the event
loop and the connection's thread (pool checkout, BEGIN, cursor, execute,
fetch, close, ROLLBACK): milliseconds, for a primary-key lookup SQLite
answers in microseconds. The render path has one such lookup — the
sticky-bucket documents of customers this worker has not seen — so on SQLite
it reads them through one synchronous, query-only connection in the event
loop's thread; so do the generation follower's look at the change log's head
and the webhook dispatcher's idle probe, a few times a second each. In WAL
mode a reader never waits for the writer; a short busy timeout bounds the
rare wait (WAL recovery), and on any error the caller falls back to its
session.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Sequence
from datetime import datetime

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from content_hub.store.db import open_sqlite, sqlite_file
from content_hub.store.repositories.changes import PUBLISH_SEQ
from content_hub.store.repositories.webhook_dispatch import idle_query
from content_hub.store.sqlite_writes import stored_time
from content_hub.store.sticky_presence import StickyPresence
from content_hub.store.tables import CounterRow, UTCDateTime
from content_hub.store.tables_events import StickyAssignmentRow

log = logging.getLogger(__name__)
CHUNK = 500
"""Keys per statement (SQLite allows 32,766 parameters; short statements are cached)."""
BUSY_MS = 50
_decode = msgspec.json.Decoder(dict[str, str]).decode
_TABLE = StickyAssignmentRow.__tablename__
_COUNTERS = CounterRow.__tablename__
_idle = idle_query(sa.bindparam("now", type_=UTCDateTime)).compile(
    dialect=sqlite.dialect()
)
_IDLE = (str(_idle), tuple(_idle.positiontup or ()))
_IDLE_PARAMS = _idle.params


class SqlitePointReader:
    """Synchronous, query-only reads of small rows by primary key."""

    def __init__(self, path: str, key_filter: bool = True) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self.presence = (
            StickyPresence(_TABLE, lambda: open_sqlite(path, BUSY_MS, "query_only=1"))
            if key_filter
            else None
        )
        """Which sticky keys cannot be stored (``None``: every key is probed)."""

    @classmethod
    def for_url(cls, url: str) -> SqlitePointReader | None:
        """A reader for a SQLite file database URL; ``None`` for anything else
        (PostgreSQL, an in-memory database)."""
        path = sqlite_file(url)
        return None if path is None else cls(path)

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = open_sqlite(self.path, BUSY_MS, "query_only=1")
        return self._conn

    def sticky_docs(self, keys: Sequence[str]) -> dict[str, dict[str, str]] | None:
        """Stored sticky documents by attribute key, or ``None`` when SQLite
        could not answer at once (the caller then reads through a session).

        Keys the presence filter rules out (a new customer's) are not probed."""
        found: dict[str, dict[str, str]] = {}
        try:
            with self._lock:
                conn = self._connection()
                if self.presence is not None:
                    absent = self.presence.absent(conn, keys)
                    if absent:
                        keys = [key for key in keys if key not in absent]
                for start in range(0, len(keys), CHUNK):
                    chunk = keys[start : start + CHUNK]
                    marks = ",".join("?" * len(chunk))
                    rows = conn.execute(
                        f"SELECT attribute_key, assignments FROM {_TABLE} "  # noqa: S608
                        f"WHERE attribute_key IN ({marks})",
                        tuple(chunk),
                    ).fetchall()
                    for key, raw in rows:
                        found[str(key)] = _decode(raw)
        except (sqlite3.Error, msgspec.DecodeError) as exc:
            log.warning("sticky read on SQLite failed (%s); using a session", exc)
            return None
        return found

    def load_sticky_keys(self) -> None:
        """Start loading the key filter in its thread (else the first sticky
        read starts it); reads probe every key until it is loaded."""
        if self.presence is not None:
            self.presence.load()

    def expire_sticky(self) -> None:
        """The rules changed, or this worker committed sticky documents: the
        key filter looks at the table's changes before it next rules a key
        out (:meth:`StickyPresence.expire`)."""
        if self.presence is not None:
            self.presence.expire()

    def counter(self, name: str) -> int | None:
        """A named counter's committed value (0 when it was never taken), or
        ``None`` when SQLite could not answer at once (read it through a
        session then)."""
        try:
            with self._lock:
                row = (
                    self._connection()
                    .execute(
                        f"SELECT value FROM {_COUNTERS} WHERE name = ?",  # noqa: S608
                        (name,),
                    )
                    .fetchone()
                )
        except sqlite3.Error as exc:
            log.warning("counter read on SQLite failed (%s); using a session", exc)
            return None
        return int(row[0] or 0) if row is not None else 0

    def dispatch_idle(self, now: datetime) -> bool | None:
        """The webhook dispatcher's probe (:meth:`DispatchRepository.idle`),
        or ``None`` when SQLite could not answer at once."""
        sql, names = _IDLE
        params = [
            stored_time(now) if name == "now" else _IDLE_PARAMS[name] for name in names
        ]
        try:
            with self._lock:
                head, cursor, due = self._connection().execute(sql, params).fetchone()
        except sqlite3.Error as exc:
            log.warning("dispatch probe on SQLite failed (%s); using a session", exc)
            return None
        return int(head or 0) <= int(cursor or 0) and not due

    def publish_head(self) -> int | None:
        """The change log's head (see :meth:`counter`)."""
        return self.counter(PUBLISH_SEQ)

    def close(self) -> None:
        if self.presence is not None:
            self.presence.close()
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
