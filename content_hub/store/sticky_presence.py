"""Which sticky documents cannot exist, known without a read (SQLite).

Every render of a customer this worker has not seen looks up the customer's
sticky-bucket documents, and for a new customer there are none. On SQLite that
lookup is a probe of the ``sticky_assignment`` key index: an index much larger
than the connection's page cache, and a cache that SQLite empties whenever
another connection committed (the event writer does, every flush). In process,
with 1.1 million stored documents, a new customer's render took 197 µs with
the probe and 124 µs with this filter (112 µs with no read at all).

:class:`StickyPresence` keeps, per process, a :class:`KeyFilter` (a Bloom
filter: no false negatives, about 0.2 % false positives) of every attribute
key stored in the table, so the probe runs only for keys the filter may hold:

* **Loaded once, in a thread**, when the worker starts (or at the first read),
  20,000 keys per statement: 1.7 s for 1.1 million keys. Until it is loaded,
  every key is probed as before.
* **Kept in step with the table.** ``PRAGMA data_version`` tells, without
  reading a page, whether another connection committed since the last look;
  if so, the rows past the last rowid seen are added. The hub only ever
  inserts rows (a new rowid above every other) or updates them in place (the
  same rowid), so those rows are all that can be new. The look runs at most
  every :data:`FRESH_SECONDS`, and at the first use after :meth:`expire`
  (every generation swap, and every commit of sticky documents by this
  worker's event recorder): any SQLite statement costs a render 20-40 µs in a
  busy worker (its caches are cold), the pragma included. So what the filter
  says absent was absent at most 50 ms ago, or since the rules last changed,
  or since this worker last wrote sticky documents: its own documents are
  read back at once. A document another worker saved in those 50 ms is
  missed; such a document was decided under the same rules, and deciding
  again gives the same assignment, which is why the same holds already for
  what a worker's recorder holds before its flush (1 s) and for the absence
  the sticky cache keeps.
* **Rows deleted by hand are noticed when they change the last rowid seen.**
  The hub never deletes sticky documents. If the row at the last rowid seen
  is gone or holds another key (the newest rows deleted, then new ones taking
  their rowids; the table emptied and filled again), the filter is dropped
  and loaded again, and meanwhile every key is probed. Not noticed: a table
  emptied and refilled so that the same key lands on that very rowid (its
  other new keys are then missed until the worker restarts). Empty the table
  only with the servers stopped.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from time import monotonic

log = logging.getLogger(__name__)

BITS_PER_KEY = 16
HASHES = 4
"""16 bits and 4 probes per key: about 0.24 % false positives when full
(``_Slice.add_all`` is unrolled for 4)."""
_MASK64 = (1 << 64) - 1
SYNC_ROWS = 20_000
"""Rows added per query when catching up (the loop's thread runs it)."""
FRESH_SECONDS = 0.05
"""How long a look at the table's changes stays good (between swaps)."""
MAX_ROWID = 1 << 62
"""Past this, SQLite may pick rowids at random: the filter stops being used."""


class _Slice:
    __slots__ = ("bits", "capacity", "count", "mask")

    def __init__(self, capacity: int) -> None:
        size = 1 << max(16, (capacity * BITS_PER_KEY - 1).bit_length())
        self.bits = bytearray(size >> 3)
        self.mask = size - 1
        self.capacity = capacity
        self.count = 0

    def add_all(self, keys: list[str]) -> None:
        """Set each key's :data:`HASHES` = 4 bits (the loop unrolled)."""
        bits, mask = self.bits, self.mask
        for key in keys:
            h = hash(key) & _MASK64
            step = (h >> 32) | 1
            p = h & mask
            bits[p >> 3] |= 1 << (p & 7)
            p = (h + step) & mask
            bits[p >> 3] |= 1 << (p & 7)
            p = (h + 2 * step) & mask
            bits[p >> 3] |= 1 << (p & 7)
            p = (h + 3 * step) & mask
            bits[p >> 3] |= 1 << (p & 7)
        self.count += len(keys)

    def has(self, h: int) -> bool:
        step = (h >> 32) | 1
        bits, mask = self.bits, self.mask
        for _ in range(HASHES):
            p = h & mask
            if not bits[p >> 3] & (1 << (p & 7)):
                return False
            h += step
        return True


class KeyFilter:
    """A set of strings that answers "certainly not in it" or "maybe in it".

    A scalable Bloom filter: a slice full to its capacity is followed by one
    twice as large, so it grows with the table without being rebuilt. Hashes
    are Python's ``hash`` (salted per process: the filter never leaves it).
    """

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._slices = [_Slice(max(1, capacity))]
        self.count = 0

    def add(self, key: str) -> None:
        self.update([key])

    def update(self, keys: list[str]) -> None:
        """Add many keys (the load, the catch-up; :meth:`add` is one)."""
        done = 0
        while done < len(keys):
            last = self._slices[-1]
            if last.count >= last.capacity:
                last = _Slice(last.capacity * 2)
                self._slices.append(last)
            chunk = keys[done : done + last.capacity - last.count]
            last.add_all(chunk)
            self.count += len(chunk)
            done += len(chunk)

    def __contains__(self, key: object) -> bool:
        h = hash(key) & _MASK64
        return any(part.has(h) for part in self._slices)

    @property
    def size_bytes(self) -> int:
        return sum(len(part.bits) for part in self._slices)


class StickyPresence:
    """The filter of one table's keys, kept in step with the table.

    :meth:`absent` is called under the point reader's lock with its
    connection; loading runs in a thread of its own with its own connection.
    """

    def __init__(self, table: str, connect: Callable[[], sqlite3.Connection]) -> None:
        self.table = table
        self._connect = connect
        self._lock = threading.Lock()
        self._filter: KeyFilter | None = None
        self._seen = 0
        """The highest rowid in the filter (0: none)."""
        self._seen_key: str | None = None
        self._version: int | None = None
        self._fresh_until = 0.0
        self._loader: threading.Thread | None = None
        self._loaded: tuple[KeyFilter, int, str | None] | None = None
        self._closed = False
        self.loads = 0
        """How many times the filter was (re)loaded (for tests and metrics)."""

    # --- use -------------------------------------------------------------------

    def absent(self, conn: sqlite3.Connection, keys: Sequence[str]) -> set[str]:
        """The keys certainly not stored now; an empty set while loading.

        Reads at most the rows committed since the last call (usually none:
        one ``PRAGMA`` that reads no page)."""
        if not self._ready(conn):
            return set()
        filter_ = self._filter
        assert filter_ is not None
        return {key for key in keys if key not in filter_}

    def _ready(self, conn: sqlite3.Connection) -> bool:
        if self._filter is None:
            with self._lock:
                loaded, self._loaded = self._loaded, None
            if loaded is None:
                self.load()
                return False
            self._filter, self._seen, self._seen_key = loaded
            self._version = None
        now = monotonic()
        if now < self._fresh_until:
            return True
        version = int(conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._version:
            if not self._catch_up(conn):
                self._drop()
                return False
            # Read before the rows: a commit after it is caught up with next time.
            self._version = version
        self._fresh_until = now + FRESH_SECONDS
        return True

    def expire(self) -> None:
        """Look at the table's changes at the next use (the rules changed)."""
        self._fresh_until = 0.0

    def _catch_up(self, conn: sqlite3.Connection) -> bool:
        """Add the rows past the last one seen; ``False`` when the table
        changed in a way the filter cannot follow."""
        filter_ = self._filter
        assert filter_ is not None
        table = self.table
        if self._seen and _key_at(conn, table, self._seen) != self._seen_key:
            log.info("sticky keys were deleted or replaced; loading them again")
            return False
        while True:
            count, last, keys = _after(conn, table, self._seen, SYNC_ROWS)
            filter_.update(keys)
            if count:
                self._seen, self._seen_key = last, _key_at(conn, table, last)
                if self._seen > MAX_ROWID:
                    return False
            if count < SYNC_ROWS:
                return True

    def _drop(self) -> None:
        self._filter, self._seen, self._seen_key, self._version = None, 0, None, None
        self._fresh_until = 0.0

    # --- loading ---------------------------------------------------------------

    def load(self) -> None:
        """Start loading in a thread, unless loaded or loading already."""
        if self._filter is not None:
            return
        with self._lock:
            if self._loaded is not None:
                return
            if self._closed or (self._loader is not None and self._loader.is_alive()):
                return
            self._loader = threading.Thread(
                target=self._load, name="sticky-presence", daemon=True
            )
            self._loader.start()

    def _load(self) -> None:
        started = monotonic()
        try:
            conn = self._connect()
            try:
                loaded = _scan(conn, self.table, lambda: self._closed)
            finally:
                conn.close()
        except sqlite3.Error as exc:  # the next use starts another load
            log.warning("loading the sticky keys failed (%s); reading them", exc)
            return
        if loaded is None:  # closed meanwhile
            return
        if loaded[1] > MAX_ROWID:
            log.warning("sticky rowids past 2**62: the key filter is off")
            return
        with self._lock:
            if not self._closed:
                self._loaded = loaded
                self.loads += 1
        log.info(
            "sticky key filter loaded: %d keys, %d KB, in %.2f s",
            loaded[0].count,
            loaded[0].size_bytes // 1024,
            monotonic() - started,
        )

    def wait_loaded(self, timeout: float | None = None) -> None:
        """Wait for a load in progress (tests and benchmarks)."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._loaded = None
        self._drop()


def _after(
    conn: sqlite3.Connection, table: str, seen: int, limit: int
) -> tuple[int, int, list[str]]:
    """Up to ``limit`` keys of the rows past rowid ``seen``: how many, the last
    rowid, the keys.

    One statement and one row, not a row per key: ``sqlite3`` releases the
    GIL at every step, and a thread that gives it up while another is busy
    gets it back only after the switch interval (5 ms), so a row-by-row scan
    in a thread beside the event loop took minutes. A key holding NUL (the
    separator) comes out in pieces, none of them the key; the hub never
    stores one (a render refuses it), and one could never be asked for.
    """
    count, last, joined = conn.execute(
        "SELECT count(*), max(rowid), group_concat(attribute_key, char(0)) FROM"  # noqa: S608
        f" (SELECT rowid, attribute_key FROM {table}"
        " WHERE rowid > ? ORDER BY rowid LIMIT ?)",
        (seen, limit),
    ).fetchone()
    return int(count), int(last or 0), joined.split("\0") if count else []


def _key_at(conn: sqlite3.Connection, table: str, rowid: int) -> str | None:
    row = conn.execute(
        f"SELECT attribute_key FROM {table} WHERE rowid = ?",  # noqa: S608
        (rowid,),
    ).fetchone()
    return None if row is None else str(row[0])


def _scan(
    conn: sqlite3.Connection, table: str, stopped: Callable[[], bool]
) -> tuple[KeyFilter, int, str | None] | None:
    """Every key of ``table``: the filter, the last rowid and its key (all
    from one read transaction); ``None`` once ``stopped()`` says so."""
    conn.execute("BEGIN")
    try:
        total = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])  # noqa: S608
        filter_ = KeyFilter(max(1 << 16, total + total // 4))
        seen = 0
        while True:
            count, last, keys = _after(conn, table, seen, SYNC_ROWS)
            filter_.update(keys)
            if count:
                seen = last
            if count < SYNC_ROWS:
                break
            if stopped():
                return None
        return filter_, seen, _key_at(conn, table, seen) if seen else None
    finally:
        conn.execute("ROLLBACK")
