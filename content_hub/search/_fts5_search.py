"""Queries of the FTS5 search file: match, filter, rank, page, facets, snippets."""

from __future__ import annotations

import json
import sqlite3
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

from content_hub.search._errors import SearchBackendError
from content_hub.search._filters import Value
from content_hub.search._fts5_sql import compile_sql
from content_hub.search._models import SearchHit, SearchQuery, SearchResults
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


def search(conn: sqlite3.Connection, query: SearchQuery) -> SearchResults:
    """Run a query on the FTS5 file open on ``conn``."""
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
            _facets(conn, query.facets, source, condition, params)
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
