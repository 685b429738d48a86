"""The embedded default backend: SQLite FTS5 in its own file (stdlib ``sqlite3``).

Layout (schema version in ``PRAGMA user_version``):

* ``docs``: one row per search document, original text for snippets, scalar
  filter fields (``COLLATE NOCASE``, as Meilisearch filters ignore case);
* ``doc_values``: one row per term / channel value, for filters and facets;
* ``fts``: FTS5 over folded text with CJK bigrams (``title``, ``summary``,
  ``body``) plus ``parts`` (compound suffixes), ranked by weighted bm25.

A connection per thread (WAL lets readers run beside the one writer); writes
are serialised by a lock and each call is one transaction.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from content_hub.search._errors import SearchBackendError, SearchDocumentError
from content_hub.search._fts5_search import search
from content_hub.search._fts5_write import (
    SCHEMA,
    SCHEMA_VERSION,
    SET_VERSION,
    UPGRADES,
    clear_all,
    delete_rows,
    insert_docs,
    replace_entry,
    rids_for_ids,
)
from content_hub.search._models import (
    EntryDocuments,
    SearchDocument,
    SearchQuery,
    SearchResults,
    split_document_id,
)


class Fts5Backend:
    """Search over a derived SQLite file; rebuildable at any time by a reindex."""

    name = "fts5"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False
        self.setup(())

    # -- connections -----------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise SearchBackendError("the FTS5 search backend is closed")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA busy_timeout = 30000")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; writers are serialised by a lock."""
        conn = self._conn()
        with self._lock:
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise SearchBackendError(f"FTS5 index write failed: {exc}") from exc

    # -- SearchBackend ---------------------------------------------------------

    def setup(self, locales: Sequence[str]) -> None:
        """Create the schema (one set of tables serves every locale)."""
        conn = self._conn()
        with self._lock:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version in UPGRADES:
                self._upgrade(conn, version)
                version = SCHEMA_VERSION
            if version not in (0, SCHEMA_VERSION):
                raise SearchBackendError(
                    f"{self.path} has search schema {version}, expected "
                    f"{SCHEMA_VERSION}: delete the file and reindex"
                )
            if version == 0:
                # One transaction under SQLite's write lock: the workers of a
                # host start at once and may all find version 0; the later
                # ones wait, then re-run idempotent statements.
                try:
                    conn.executescript(f"BEGIN IMMEDIATE;{SCHEMA}{SET_VERSION};COMMIT;")
                except sqlite3.Error as exc:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise SearchBackendError(
                        f"FTS5 schema setup failed: {exc}"
                    ) from exc

    @staticmethod
    def _upgrade(conn: sqlite3.Connection, version: int) -> None:
        """Bring an older file to :data:`SCHEMA_VERSION` in one transaction
        (workers starting at once: the later ones find it done)."""
        try:
            conn.execute("BEGIN IMMEDIATE")
            current = conn.execute("PRAGMA user_version").fetchone()[0]
            while current in UPGRADES:
                conn.execute(UPGRADES[current])
                current += 1
                conn.execute(f"PRAGMA user_version = {current}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise SearchBackendError(f"FTS5 schema upgrade failed: {exc}") from exc

    def replace_entries(
        self, entries: Sequence[EntryDocuments], *, force: bool = False
    ) -> None:
        for entry in entries:
            for doc in entry.docs:
                doc.check()
                if doc.entry_id != entry.entry_id:
                    raise SearchDocumentError(f"{doc.id} is not of {entry.entry_id}")
        if entries:
            with self._transaction() as conn:
                for entry in entries:
                    replace_entry(conn, entry.entry_id, entry.docs, force=force)

    def stored_revisions(self) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        try:
            rows = self._conn().execute("SELECT entry_id, stage, revision FROM docs")
            for entry_id, stage, revision in rows:
                out.setdefault((entry_id, stage), []).append(int(revision))
        except sqlite3.Error as exc:
            raise SearchBackendError(f"FTS5 read failed: {exc}") from exc
        return out

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        for doc in docs:
            doc.check()
        if len({doc.id for doc in docs}) != len(docs):
            latest = {doc.id: doc for doc in docs}  # the last one wins
            docs = list(latest.values())
        if docs:
            with self._transaction() as conn:
                insert_docs(conn, docs)

    def delete(self, ids: Sequence[str]) -> None:
        for doc_id in ids:
            split_document_id(doc_id)
        if ids:
            with self._transaction() as conn:
                delete_rows(conn, rids_for_ids(conn, ids))

    def delete_entry(self, entry_id: str) -> None:
        with self._transaction() as conn:
            rows = conn.execute("SELECT rid FROM docs WHERE entry_id = ?", (entry_id,))
            delete_rows(conn, [row[0] for row in rows])

    def clear(self) -> None:
        with self._transaction() as conn:
            clear_all(conn)

    def optimize(self) -> None:
        """Merge FTS5 segments and checkpoint the WAL (after a bulk reindex)."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        try:
            self._conn().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise SearchBackendError(f"FTS5 checkpoint failed: {exc}") from exc

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    def search(self, query: SearchQuery) -> SearchResults:
        return search(self._conn(), query)
