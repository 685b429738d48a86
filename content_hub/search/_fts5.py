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

import json
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from content_hub.search._errors import SearchBackendError, SearchDocumentError
from content_hub.search._filters import Value
from content_hub.search._fts5_sql import compile_sql
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
    SearchHit,
    SearchQuery,
    SearchResults,
    split_document_id,
)
from content_hub.search._text import (
    QueryToken,
    highlight,
    is_compounding,
    parse_query,
)

MAX_FACET_VALUES = 100
SNIPPET_CHARS = 160
_HIT_COLUMNS = (
    "d.id, d.entry_id, d.locale, d.stage, d.type_key, d.key, d.title, d.summary,"
    " d.body, d.revision"
)


def _sql(*parts: str) -> str:
    """Join SQL made only of constants, ``?`` placeholders and compiled filters."""
    return " ".join(parts)


def _marks(count: int) -> str:
    return "(" + ", ".join("?" * count) + ")"


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

    def replace_entries(self, entries: Sequence[EntryDocuments]) -> None:
        for entry in entries:
            for doc in entry.docs:
                doc.check()
                if doc.entry_id != entry.entry_id:
                    raise SearchDocumentError(f"{doc.id} is not of {entry.entry_id}")
        if entries:
            with self._transaction() as conn:
                for entry in entries:
                    replace_entry(conn, entry.entry_id, entry.docs)

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

    # -- search ----------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        started = time.perf_counter()
        parsed = parse_query(query.q)
        tokens = parsed.tokens
        params: list[Value] = []
        where: list[str] = []
        if parsed.exclude is not None:
            where.append("d.rid NOT IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
            params.append(parsed.exclude)
        if parsed.match is not None:
            # CROSS JOIN pins the loop order: FTS5 first. Left to itself the
            # planner may scan ``docs`` by locale and re-run MATCH per row.
            source = "fts CROSS JOIN docs d ON d.rid = fts.rowid"
            where.append("fts MATCH ?")
            params.append(parsed.match)
            order = "fts.rank, d.rid"
            score = "-fts.rank"
        else:
            source = "docs d"
            order = "d.updated_at DESC, d.rid"
            score = "0.0"
        if query.locales is not None:
            if not query.locales:
                return _empty(query, started)
            where.append(_sql("d.locale IN", _marks(len(query.locales))))
            params.extend(query.locales)
        if query.filter is not None:
            where.append(compile_sql(query.filter, params))
        condition = " AND ".join(where) or "1"
        conn = self._conn()
        try:
            rows = conn.execute(
                _sql(
                    "SELECT",
                    _HIT_COLUMNS,
                    ",",
                    score,
                    "FROM",
                    source,
                    "WHERE",
                    condition,
                    "ORDER BY",
                    order,
                    "LIMIT ? OFFSET ?",
                ),
                [*params, query.limit, query.offset],
            ).fetchall()
            if query.limit and len(rows) < query.limit and (rows or not query.offset):
                total = query.offset + len(rows)  # the page holds the last match
            else:
                total = conn.execute(
                    _sql("SELECT count(*) FROM", source, "WHERE", condition),
                    params,
                ).fetchone()[0]
            facets = (
                self._facets(conn, query.facets, source, condition, params)
                if query.facets
                else {}
            )
        except sqlite3.Error as exc:
            raise SearchBackendError(f"FTS5 search failed: {exc}") from exc
        hits = [
            _hit(row, tokens, query.highlight, query.offset + i)
            for i, row in enumerate(rows)
        ]
        return SearchResults(
            hits=hits,
            estimated_total=total,
            facets=facets,
            limit=query.limit,
            offset=query.offset,
            processing_ms=(time.perf_counter() - started) * 1000,
        )

    @staticmethod
    def _facets(
        conn: sqlite3.Connection,
        wanted: Sequence[str],
        source: str,
        condition: str,
        params: list[Value],
    ) -> dict[str, dict[str, int]]:
        """Counts of the top values of each facet among all matches."""
        matches = conn.execute(
            _sql("SELECT d.rid, d.type_key FROM", source, "WHERE", condition), params
        ).fetchall()
        rids = json.dumps([rid for rid, _ in matches])
        facets: dict[str, dict[str, int]] = {}
        for facet in wanted:
            if facet == "type_key":
                top = Counter(type_key for _, type_key in matches).most_common()
                top.sort(key=lambda item: (-item[1], item[0]))
                facets[facet] = dict(top[:MAX_FACET_VALUES])
                continue
            rows = conn.execute(
                # json_each first, then the (rid, field, value) index.
                "SELECT v.value, count(*) AS n FROM json_each(?) AS m"
                " CROSS JOIN doc_values AS v ON v.rid = m.value AND v.field = ?"
                " GROUP BY v.value ORDER BY n DESC, v.value LIMIT ?",
                (rids, facet, MAX_FACET_VALUES),
            ).fetchall()
            facets[facet] = {str(value): int(n) for value, n in rows}
        return facets


def _empty(query: SearchQuery, started: float) -> SearchResults:
    return SearchResults(
        hits=[],
        estimated_total=0,
        facets={facet: {} for facet in query.facets},
        limit=query.limit,
        offset=query.offset,
        processing_ms=(time.perf_counter() - started) * 1000,
    )


def _hit(row: Any, tokens: list[QueryToken], marks: bool, rank: int) -> SearchHit:
    doc_id, entry_id, locale, stage, type_key, key, title, summary, body, rev, score = (
        row
    )
    snippet = ""
    if marks:
        substrings = is_compounding(locale)
        fallback = ""
        for text in (body, summary, title):
            if not text:
                continue
            snippet, marked = highlight(
                text, tokens, substrings=substrings, crop=SNIPPET_CHARS
            )
            if marked:
                break
            fallback = fallback or snippet
        else:
            snippet = highlight(body or summary, [], crop=SNIPPET_CHARS)[0]
    return SearchHit(
        id=doc_id,
        entry_id=entry_id,
        locale=locale,
        stage=stage,
        type_key=type_key,
        key=key,
        title=title,
        snippet=snippet,
        score=float(score),
        rank=rank,
        revision=int(rev),
    )
