"""FTS5-only behaviour: the file, concurrency, the contentless index."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import msgspec
import pytest

from content_hub.search import (
    FTS5_FILENAME,
    Eq,
    Fts5Backend,
    MeilisearchBackend,
    SearchBackend,
    SearchBackendError,
    SearchDocument,
    SearchQuery,
    create_search_backend,
)


def doc(
    n: int, title: str = "Concurrent bicycle", locale: str = "en"
) -> SearchDocument:
    return SearchDocument.build(
        entry_id=f"e{n}", locale=locale, stage="published", type_key="article",
        key=f"k{n}", title=title, body=f"number {n}", terms=["topic"],
    )  # fmt: skip


def test_factory_picks_fts5_without_a_url(tmp_path: Path) -> None:
    backend = create_search_backend(
        meilisearch_url=None, meilisearch_key=None, data_dir=tmp_path
    )
    assert isinstance(backend, Fts5Backend)
    assert isinstance(backend, SearchBackend)
    assert backend.name == "fts5"
    assert (tmp_path / FTS5_FILENAME).exists()
    backend.close()


def test_factory_picks_meilisearch_with_a_url(tmp_path: Path) -> None:
    backend = create_search_backend(
        meilisearch_url="http://127.0.0.1:1", meilisearch_key="k", data_dir=tmp_path
    )
    assert isinstance(backend, MeilisearchBackend)
    assert backend.name == "meilisearch"


def test_wal_and_reopen(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    backend = Fts5Backend(path)
    backend.upsert([doc(1)])
    backend.close()
    with pytest.raises(SearchBackendError, match="closed"):
        backend.search(SearchQuery(q="bicycle"))
    reopened = Fts5Backend(path)
    assert [h.id for h in reopened.search(SearchQuery(q="bicycle")).hits] == [
        "e1:en:published"
    ]
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    reopened.close()


def test_other_schema_versions_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "search.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(SearchBackendError, match="reindex"):
        Fts5Backend(path)


def test_replacing_leaves_no_stale_words(tmp_path: Path) -> None:
    backend = Fts5Backend(tmp_path / "search.sqlite3")
    first = doc(1, "Lastenfahrrad alt", "de")
    backend.upsert([first, doc(2, "Tram", "de")])
    for title in ("Straßenbahn mittel", "Bus neu"):
        backend.upsert([msgspec.structs.replace(first, title=title)])
    for old in ("alt", "fahrrad", "mittel", "bahn"):
        assert backend.search(SearchQuery(q=old)).hits == []
    assert len(backend.search(SearchQuery(q="neu")).hits) == 1
    conn = backend._conn()
    conn.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")
    backend.delete_entry("e1")
    assert backend.search(SearchQuery(q="number")).estimated_total == 1
    conn.execute("INSERT INTO fts (fts, rank) VALUES ('integrity-check', 1)")
    backend.close()


def test_duplicate_ids_in_one_batch_keep_the_last(tmp_path: Path) -> None:
    backend = Fts5Backend(tmp_path / "search.sqlite3")
    backend.upsert([doc(1, "first"), doc(1, "second")])
    assert [h.title for h in backend.search(SearchQuery()).hits] == ["second"]
    backend.close()


def test_threads_write_and_read_concurrently(tmp_path: Path) -> None:
    backend = Fts5Backend(tmp_path / "search.sqlite3")
    errors: list[BaseException] = []

    def writer(start: int) -> None:
        try:
            for n in range(start, start + 50):
                backend.upsert([doc(n)])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(50):
                backend.search(
                    SearchQuery(q="bicycle", filter=Eq("stage", "published"))
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i * 100,)) for i in range(3)]
    threads += [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert backend.search(SearchQuery(q="bicycle")).estimated_total == 150
    backend.close()
