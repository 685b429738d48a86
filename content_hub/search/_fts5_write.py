"""Schema and writes of the FTS5 search file.

``fts`` is *contentless* (``content=''``): it stores only the inverted index,
not a second copy of the text. Deleting a row from a contentless table needs
the values that were indexed, so :func:`delete_rows` recomputes them from the
original text in ``docs`` with the same pure functions (:func:`fts_columns`).
Any change to that text pipeline must bump :data:`SCHEMA_VERSION`, which makes
the backend refuse the old file until it is deleted and reindexed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from content_hub.search._models import SearchDocument
from content_hub.search._text import compound_parts, index_text, is_compounding

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    rid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    entry_id TEXT NOT NULL,
    locale TEXT NOT NULL COLLATE NOCASE,
    stage TEXT NOT NULL COLLATE NOCASE,
    type_key TEXT NOT NULL COLLATE NOCASE,
    key TEXT NOT NULL,
    status TEXT NOT NULL COLLATE NOCASE,
    updated_at INTEGER NOT NULL,
    published_at INTEGER,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS docs_entry ON docs (entry_id);
CREATE INDEX IF NOT EXISTS docs_locale_stage ON docs (locale, stage);
CREATE INDEX IF NOT EXISTS docs_type ON docs (type_key);
CREATE INDEX IF NOT EXISTS docs_updated ON docs (updated_at);
CREATE TABLE IF NOT EXISTS doc_values (
    field TEXT NOT NULL,
    value TEXT NOT NULL COLLATE NOCASE,
    rid INTEGER NOT NULL,
    PRIMARY KEY (field, value, rid)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS doc_values_rid ON doc_values (rid, field, value);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5 (
    title, summary, body, parts,
    content = '',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO fts (fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0, 0.5)');
"""
SET_VERSION = f"PRAGMA user_version = {SCHEMA_VERSION}"
UPGRADES = {2: "ALTER TABLE docs ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"}
"""From an older schema version: what brings its file to the next one (the
text pipeline is unchanged, so the index itself stays valid)."""
CHUNK = 500

_INSERT_DOC = (
    "INSERT INTO docs (rid, id, entry_id, locale, stage, type_key, key, status,"
    " updated_at, published_at, title, summary, body, revision)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_FTS = (
    "INSERT INTO fts (rowid, title, summary, body, parts) VALUES (?, ?, ?, ?, ?)"
)
_DELETE_FTS = (
    "INSERT INTO fts (fts, rowid, title, summary, body, parts)"
    " VALUES ('delete', ?, ?, ?, ?, ?)"
)
_SELECT_ROWS = (
    "SELECT rid, locale, title, summary, body FROM docs"
    " WHERE rid IN (SELECT value FROM json_each(?))"
)


def fts_columns(locale: str, title: str, summary: str, body: str) -> list[str]:
    """The four indexed columns for one document's text."""
    raw = (title, summary, body)
    parts = compound_parts(raw) if is_compounding(locale) else ""
    return [*(index_text(text) for text in raw), parts]


def _chunks(items: Sequence[str] | Sequence[int]) -> Iterable[str]:
    for start in range(0, len(items), CHUNK):
        yield json.dumps(list(items[start : start + CHUNK]))


def rids_for_ids(conn: sqlite3.Connection, ids: Sequence[str]) -> list[int]:
    rids: list[int] = []
    for chunk in _chunks(ids):
        rids.extend(
            row[0]
            for row in conn.execute(
                "SELECT rid FROM docs WHERE id IN (SELECT value FROM json_each(?))",
                (chunk,),
            )
        )
    return rids


def delete_rows(conn: sqlite3.Connection, rids: Sequence[int]) -> None:
    """Delete documents by row id from all three tables (inside a transaction)."""
    for chunk in _chunks(rids):
        rows = conn.execute(_SELECT_ROWS, (chunk,)).fetchall()
        conn.executemany(
            _DELETE_FTS,
            [(rid, *fts_columns(loc, t, s, b)) for rid, loc, t, s, b in rows],
        )
        conn.execute(
            "DELETE FROM doc_values WHERE rid IN (SELECT value FROM json_each(?))",
            (chunk,),
        )
        conn.execute(
            "DELETE FROM docs WHERE rid IN (SELECT value FROM json_each(?))", (chunk,)
        )


def insert_docs(conn: sqlite3.Connection, docs: Sequence[SearchDocument]) -> None:
    """Replace documents by id (inside a write transaction)."""
    delete_rows(conn, rids_for_ids(conn, [doc.id for doc in docs]))
    _insert(conn, docs)


def replace_entry(
    conn: sqlite3.Connection,
    entry_id: str,
    docs: Sequence[SearchDocument],
    *,
    force: bool = False,
) -> None:
    """Replace one entry's documents by ``docs`` (inside a write transaction),
    stage by stage, unless the stored stage has a higher revision (and the
    write is not ``force`` d)."""
    stored: dict[str, tuple[list[int], int]] = {}
    for rid, stage, revision in conn.execute(
        "SELECT rid, stage, revision FROM docs WHERE entry_id = ?", (entry_id,)
    ):
        rids, top = stored.get(stage, ([], 0))
        stored[stage] = ([*rids, rid], max(top, revision))
    new: dict[str, list[SearchDocument]] = {}
    for doc in docs:
        new.setdefault(doc.stage, []).append(doc)
    drop: list[int] = []
    keep: list[SearchDocument] = []
    for stage in {*stored, *new}:
        rids, top = stored.get(stage, ([], 0))
        given = new.get(stage, [])
        if not force and given and top > max(doc.revision for doc in given):
            continue  # an older build: the stored documents are newer
        drop.extend(rids)
        keep.extend(given)
    delete_rows(conn, drop)
    _insert(conn, keep)


def _insert(conn: sqlite3.Connection, docs: Sequence[SearchDocument]) -> None:
    first = conn.execute("SELECT coalesce(max(rid), 0) + 1 FROM docs").fetchone()[0]
    doc_rows: list[tuple[object, ...]] = []
    fts_rows: list[tuple[object, ...]] = []
    value_rows: list[tuple[str, str, int]] = []
    for rid, doc in enumerate(docs, start=first):
        doc_rows.append(
            (
                rid,
                doc.id,
                doc.entry_id,
                doc.locale,
                doc.stage,
                doc.type_key,
                doc.key,
                doc.status,
                doc.updated_at,
                doc.published_at,
                doc.title,
                doc.summary,
                doc.body,
                doc.revision,
            )
        )
        fts_rows.append(
            (rid, *fts_columns(doc.locale, doc.title, doc.summary, doc.body))
        )
        value_rows.extend(("terms", term, rid) for term in doc.terms)
        value_rows.extend(("channels", channel, rid) for channel in doc.channels)
    conn.executemany(_INSERT_DOC, doc_rows)
    conn.executemany(_INSERT_FTS, fts_rows)
    conn.executemany(
        "INSERT OR IGNORE INTO doc_values (field, value, rid) VALUES (?, ?, ?)",
        value_rows,
    )


def clear_all(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
    conn.execute("DELETE FROM doc_values")
    conn.execute("DELETE FROM docs")
