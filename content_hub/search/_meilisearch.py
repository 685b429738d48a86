"""The scale-out backend: Meilisearch, one index per locale, via the official client.

Every write waits for its task and raises :class:`SearchTaskError` with the
task's error when it did not succeed. Queries are one federated multi-search
over the locales' indexes (one merged, ranked list; merged facet counts).

The official client is synchronous (``requests``) and shares a mutable header
dict between calls, so each thread gets its own :class:`meilisearch.Client`.
The service calls this from its outbox worker thread and from
``anyio.to_thread``, never on the event loop.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import meilisearch

from content_hub.search._errors import (
    SearchDocumentError,
    SearchTaskError,
)
from content_hub.search._filters import quote_meilisearch
from content_hub.search._meili_search import errors as _errors
from content_hub.search._meili_search import run_search
from content_hub.search._meili_settings import (
    check_prefix,
    index_settings,
    index_uid,
    parse_version,
    to_meilisearch,
)
from content_hub.search._models import (
    EntryDocuments,
    SearchDocument,
    SearchQuery,
    SearchResults,
    check_locale,
    split_document_id,
)

INDEX_CACHE_SECONDS = 5.0


class MeilisearchBackend:
    """One index per locale (``<prefix>_<locale>``), identical settings on each."""

    name = "meilisearch"

    def __init__(
        self,
        url: str,
        api_key: str | None,
        index_prefix: str = "content_hub",
        *,
        timeout_s: int = 10,
        task_timeout_s: float = 300.0,
        batch_size: int = 5_000,
    ) -> None:
        self.url = url.rstrip("/")
        self.index_prefix = check_prefix(index_prefix)
        self._api_key = api_key
        self._timeout_s = timeout_s
        self._task_timeout_ms = int(task_timeout_s * 1000)
        self._batch_size = batch_size
        self._local = threading.local()
        self._lock = threading.Lock()
        self._version: tuple[int, int] | None = None
        self._ready: set[str] = set()  # index uids set up by this process
        self._known: tuple[float, frozenset[str]] = (0.0, frozenset())

    # -- plumbing ---------------------------------------------------------------

    @property
    def client(self) -> meilisearch.Client:
        client: meilisearch.Client | None = getattr(self._local, "client", None)
        if client is None:
            client = meilisearch.Client(
                self.url, self._api_key, timeout=self._timeout_s
            )
            self._local.client = client
        return client

    def server_version(self) -> tuple[int, int]:
        if self._version is None:
            with _errors("report its version"):
                self._version = parse_version(self.client.get_version()["pkgVersion"])
        return self._version

    def _wait(self, task_uid: int, action: str, *, tolerate: str | None = None) -> None:
        with _errors(f"wait for task {task_uid} ({action})"):
            task = self.client.wait_for_task(
                task_uid, timeout_in_ms=self._task_timeout_ms, interval_in_ms=20
            )
        if task.status == "succeeded":
            return
        error = dict(task.error or {})
        if tolerate is not None and error.get("code") == tolerate:
            return
        raise SearchTaskError(
            f"Meilisearch task {task.uid} ({task.type} on {task.index_uid}) "
            f"{task.status}: {error.get('message', 'no error reported')} "
            f"[{error.get('code', '?')}]",
            task_uid=task.uid,
            task_status=task.status,
            error=error,
        )

    def _indexes(self, *, refresh: bool = False) -> frozenset[str]:
        """Uids of this prefix's locale indexes on the server (briefly cached)."""
        fetched_at, uids = self._known
        if refresh or time.monotonic() - fetched_at > INDEX_CACHE_SECONDS:
            start = f"{self.index_prefix}_"
            found: set[str] = set()
            offset = 0
            with _errors("list indexes"):
                while True:
                    page = self.client.http.get(f"indexes?limit=1000&offset={offset}")
                    found.update(
                        r["uid"] for r in page["results"] if r["uid"].startswith(start)
                    )
                    offset += len(page["results"])
                    if not page["results"] or offset >= page["total"]:
                        break
            uids = frozenset(found)
            self._known = (time.monotonic(), uids)
        return uids

    # -- SearchBackend ------------------------------------------------------------

    def setup(self, locales: Sequence[str]) -> None:
        """Create each locale's index and apply its settings; waits for both."""
        version = self.server_version()
        pending: list[tuple[int, str, str | None]] = []
        with _errors("set up indexes"):
            for locale in dict.fromkeys(check_locale(loc) for loc in locales):
                uid = index_uid(self.index_prefix, locale)
                task = self.client.create_index(uid, {"primaryKey": "pk"})
                pending.append((task.task_uid, f"create {uid}", "index_already_exists"))
                task = self.client.index(uid).update_settings(
                    index_settings(locale, version)
                )
                pending.append((task.task_uid, f"configure {uid}", None))
        for task_uid, action, tolerate in pending:
            self._wait(task_uid, action, tolerate=tolerate)
        with self._lock:
            self._ready.update(index_uid(self.index_prefix, loc) for loc in locales)
        self._indexes(refresh=True)

    def _ensure(self, locales: Sequence[str]) -> None:
        """Set up indexes this process has not configured or that were dropped.

        Meilisearch would create a missing index on the first document, but
        without our settings (1.21 has no ``skipCreation``); the index list is
        cached for a few seconds, which bounds the window after a drop.
        """
        existing = self._indexes()
        missing = [
            loc
            for loc in locales
            if (uid := index_uid(self.index_prefix, loc)) not in self._ready
            or uid not in existing
        ]
        if missing:
            self.setup(missing)

    def upsert(self, docs: Sequence[SearchDocument]) -> None:
        if not docs:
            return
        by_locale: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for doc in docs:
            doc.check()
            by_locale[doc.locale].append(to_meilisearch(doc))
        self._ensure(list(by_locale))
        tasks: list[tuple[int, str]] = []
        with _errors("add documents"):
            for locale, bodies in by_locale.items():
                index = self.client.index(index_uid(self.index_prefix, locale))
                for start in range(0, len(bodies), self._batch_size):
                    batch = bodies[start : start + self._batch_size]
                    task = index.add_documents(batch, primary_key="pk")
                    tasks.append((task.task_uid, f"add {len(batch)} to {index.uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action)

    def replace_entries(
        self, entries: Sequence[EntryDocuments], *, force: bool = False
    ) -> None:
        """Add every given document (each replaces its namesake in one task),
        then delete what the entries no longer have. A search in between
        sees the new documents and perhaps a leftover, never none.

        Meilisearch has no conditional write: the single writer (the lease
        holder) writes in change-log order, and a new one reconciles first.
        """
        kept: dict[str, list[str]] = defaultdict(list)  # index uid -> doc ids
        docs: list[SearchDocument] = []
        for entry in entries:
            for doc in entry.docs:
                if doc.entry_id != entry.entry_id:
                    raise SearchDocumentError(f"{doc.id} is not of {entry.entry_id}")
                kept[index_uid(self.index_prefix, doc.locale)].append(doc.id)
                docs.append(doc)
        if not entries:
            return
        self.upsert(docs)
        ids = ", ".join(quote_meilisearch(entry.entry_id) for entry in entries)
        tasks: list[tuple[int, str]] = []
        with _errors("delete replaced documents"):
            for uid in sorted(self._indexes()):
                condition = f"entry_id IN [{ids}]"
                if kept.get(uid):
                    keep = ", ".join(map(quote_meilisearch, kept[uid]))
                    condition += f" AND NOT id IN [{keep}]"
                task = self.client.index(uid).delete_documents(filter=condition)
                tasks.append((task.task_uid, f"delete leftovers from {uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action)

    def stored_revisions(self) -> dict[tuple[str, str], list[int]]:
        out: dict[tuple[str, str], list[int]] = {}
        fields = ["entry_id", "stage", "revision"]
        with _errors("read documents"):
            for uid in sorted(self._indexes(refresh=True)):
                offset = 0
                while True:
                    page = self.client.http.post(
                        f"indexes/{uid}/documents/fetch",
                        body={"fields": fields, "limit": 10_000, "offset": offset},
                    )
                    for doc in page["results"]:
                        key = (doc["entry_id"], doc["stage"])
                        out.setdefault(key, []).append(int(doc.get("revision", 0)))
                    offset += len(page["results"])
                    if not page["results"] or offset >= page["total"]:
                        break
        return out

    def delete(self, ids: Sequence[str]) -> None:
        by_uid: dict[str, list[str]] = defaultdict(list)
        for doc_id in ids:
            _, locale, _ = split_document_id(doc_id)
            by_uid[index_uid(self.index_prefix, locale)].append(doc_id)
        existing = self._indexes(refresh=True) if by_uid else frozenset()
        tasks: list[tuple[int, str]] = []
        with _errors("delete documents"):
            for uid, doc_ids in by_uid.items():
                if uid not in existing:
                    continue
                # By filter: the client deprecates deletion by a list of ids.
                for start in range(0, len(doc_ids), 500):
                    chunk = doc_ids[start : start + 500]
                    condition = f"id IN [{', '.join(map(quote_meilisearch, chunk))}]"
                    task = self.client.index(uid).delete_documents(filter=condition)
                    tasks.append((task.task_uid, f"delete {len(chunk)} from {uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action)

    def delete_entry(self, entry_id: str) -> None:
        condition = f"entry_id = {quote_meilisearch(entry_id)}"
        tasks: list[tuple[int, str]] = []
        with _errors("delete an entry"):
            for uid in sorted(self._indexes(refresh=True)):
                task = self.client.index(uid).delete_documents(filter=condition)
                tasks.append((task.task_uid, f"delete entry from {uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action)

    def clear(self) -> None:
        """Delete every document of this prefix's indexes (settings stay)."""
        tasks: list[tuple[int, str]] = []
        with _errors("clear indexes"):
            for uid in sorted(self._indexes(refresh=True)):
                task = self.client.index(uid).delete_all_documents()
                tasks.append((task.task_uid, f"clear {uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action)

    def drop(self) -> None:
        """Delete this prefix's indexes altogether (tests, prefix changes)."""
        tasks: list[tuple[int, str]] = []
        with _errors("delete indexes"):
            for uid in sorted(self._indexes(refresh=True)):
                tasks.append((self.client.delete_index(uid).task_uid, f"drop {uid}"))
        for task_uid, action in tasks:
            self._wait(task_uid, action, tolerate="index_not_found")
        with self._lock:
            self._ready.clear()
        self._indexes(refresh=True)

    def close(self) -> None:
        self._local = threading.local()

    def search(self, query: SearchQuery) -> SearchResults:
        return run_search(self.client, self._indexes(), self.index_prefix, query)
