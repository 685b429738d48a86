"""The backend interface and the factory that picks FTS5 or Meilisearch."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from content_hub.search._models import (
    EntryDocuments,
    SearchDocument,
    SearchQuery,
    SearchResults,
)

FTS5_FILENAME = "search.sqlite3"


@runtime_checkable
class SearchBackend(Protocol):
    """What the service needs from a search engine.

    Methods are synchronous and thread-safe: the service calls them from its
    outbox worker thread and, for queries, through ``anyio.to_thread``. Writes
    return once the engine has applied them (Meilisearch tasks are waited on)
    and raise :class:`~content_hub.search.SearchBackendError` otherwise, so the
    outbox can retry.
    """

    name: str

    def setup(self, locales: Sequence[str]) -> None:
        """Prepare storage for these locales; idempotent."""
        ...

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        """Insert or replace documents (by ``id``)."""
        ...

    def replace_entries(
        self, entries: Sequence[EntryDocuments], *, force: bool = False
    ) -> None:
        """Replace each entry's documents by the given set, so no search sees
        the entry without documents; a stage whose stored documents have a
        higher ``revision`` than the given ones is kept (FTS5: checked and
        written in one transaction) unless ``force`` (a repair: the database
        is the truth, e.g. after it was restored from a backup)."""
        ...

    def stored_revisions(self) -> dict[tuple[str, str], list[int]]:
        """``revision`` of every stored document by (entry id, stage): what
        a new indexer compares with the database to repair the index."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Delete documents by id; unknown ids are ignored."""
        ...

    def delete_entry(self, entry_id: str) -> None:
        """Delete every document (all locales, both stages) of an entry."""
        ...

    def search(self, query: SearchQuery) -> SearchResults:
        """Run a query; raises an ``SearchRequestError`` for a bad one."""
        ...

    def clear(self) -> None:
        """Delete every document (before a full reindex)."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def create_search_backend(
    *,
    meilisearch_url: str | None,
    meilisearch_key: str | None,
    data_dir: Path,
    index_prefix: str = "content_hub",
) -> SearchBackend:
    """Meilisearch when a URL is configured, else FTS5 in ``data_dir``."""
    if meilisearch_url:
        from content_hub.search._meilisearch import MeilisearchBackend

        return MeilisearchBackend(meilisearch_url, meilisearch_key, index_prefix)
    from content_hub.search._fts5 import Fts5Backend

    return Fts5Backend(Path(data_dir) / FTS5_FILENAME)
