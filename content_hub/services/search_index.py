"""The search indexer: follows the change log (the outbox) into the engine.

Every content write appends to ``change_log`` inside its own transaction, so
the log is an outbox: the indexer reads changes after its cursor, rebuilds the
documents of the entries they touch from the database, writes them to the
engine, and only then advances its cursor (a counter row, compare-and-set).
A crash between the database write and the index update therefore loses
nothing: the change is still after the cursor and is applied on the next run.
Engine failures are retried with jittered backoff (:mod:`content_hub.retry`);
writes are idempotent upserts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from content_hub.domain.content_types import ContentType
from content_hub.domain.locales import LocaleSet
from content_hub.domain.taxonomy import TermIndex
from content_hub.retry import retry_until_stopped
from content_hub.search import SearchBackend, SearchDocument
from content_hub.services.search_docs import documents_for
from content_hub.settings import Settings
from content_hub.store.db import insert_ignoring_conflict
from content_hub.store.repositories import (
    ContentTypeRepository,
    EntryRepository,
    LocaleRepository,
)
from content_hub.store.repositories._util import read_counter
from content_hub.store.repositories.taxonomy import TaxonomyRepository
from content_hub.store.tables import CounterRow

log = logging.getLogger(__name__)
CURSOR = "search_cursor"
BATCH = 500
FULL_KINDS = {"locales", "types", "taxonomy"}


class SearchIndexer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        backend: SearchBackend,
        settings: Settings,
        cursor: str = CURSOR,
    ) -> None:
        """``cursor`` names the counter row holding this indexer's position;
        a second engine can follow the same log under its own name."""
        self.cursor = cursor
        self.sessions = sessions
        self.backend = backend
        self.settings = settings
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.last_error: str | None = None
        self.lag = 0

    def wake(self) -> None:
        """Process new changes now rather than at the next poll."""
        self._wake.set()

    async def setup(self) -> None:
        async with self.sessions() as session:
            locales = [loc.code for loc in await LocaleRepository(session).all()]
        await anyio.to_thread.run_sync(self.backend.setup, locales)

    async def run_once(self) -> int:
        """Apply every pending change; returns how many changes were applied."""
        applied = 0
        async with self._lock:
            while True:
                async with self.sessions() as session:
                    cursor = await read_counter(session, self.cursor)
                    changes = await EntryRepository(session).changes_since(
                        cursor, BATCH
                    )
                    if not changes:
                        self.lag = 0
                        return applied
                    top = changes[-1][0]
                    if any(kind in FULL_KINDS for _, _, kind in changes):
                        await self._reindex(session)
                    else:
                        ids = list(dict.fromkeys(e for _, e, _ in changes if e != "*"))
                        await self._index_entries(session, ids)
                    await _advance(session, self.cursor, cursor, top)
                    await session.commit()
                    applied += len(changes)

    async def _index_entries(
        self, session: AsyncSession, entry_ids: Sequence[str]
    ) -> None:
        docs, gone = await build_documents(session, entry_ids, self.settings)
        for entry_id in gone:
            await anyio.to_thread.run_sync(self.backend.delete_entry, entry_id)
        if docs:
            await anyio.to_thread.run_sync(self.backend.upsert, docs)

    async def _reindex(
        self, session: AsyncSession, progress: Callable[[int, int], None] | None = None
    ) -> None:
        locales = [loc.code for loc in await LocaleRepository(session).all()]
        await anyio.to_thread.run_sync(self.backend.setup, locales)
        await anyio.to_thread.run_sync(self.backend.clear)
        ids = await EntryRepository(session).all_ids()
        for start in range(0, len(ids), BATCH):
            await self._index_entries(session, ids[start : start + BATCH])
            if progress is not None:
                progress(min(start + BATCH, len(ids)), len(ids))

    async def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the whole index and move the cursor to the end of the log."""
        async with self._lock, self.sessions() as session:
            top = await read_counter(session, "publish_seq")
            await self._reindex(session, progress)
            old = await read_counter(session, self.cursor)
            await _advance(session, self.cursor, old, top, force=True)
            await session.commit()
            return len(await EntryRepository(session).all_ids())

    async def loop(self, stop: asyncio.Event) -> None:
        """Run until ``stop``; back off on failures (jittered), never drop a
        change: the cursor only moves after the engine took the documents."""
        while not stop.is_set():
            self._wake.clear()  # a wake during the run below is kept
            applied = await retry_until_stopped(
                self._run_once_noting_errors,
                stop,
                self.settings.retry,
                name="search indexing",
            )
            if applied is None:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    _first(stop, self._wake),
                    timeout=self.settings.delivery.poll_interval,
                )

    async def _run_once_noting_errors(self) -> int:
        try:
            applied = await self.run_once()
        except Exception as exc:  # the engine may be down: kept for /health
            self.last_error = f"{type(exc).__name__}: {exc}"
            raise
        self.last_error = None
        return applied

    async def drain(self, timeout: float = 10.0) -> None:
        """Apply what is pending (a clean shutdown indexes what was written)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if await self.run_once() == 0:
                    return
            except Exception as exc:
                log.warning("search drain failed: %s", exc)
                return


async def _first(stop: asyncio.Event, wake: asyncio.Event) -> None:
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiters:
            task.cancel()


async def _advance(
    session: AsyncSession, name: str, old: int, new: int, *, force: bool = False
) -> None:
    """Compare-and-set the cursor so two indexers never move it backwards."""
    if new <= old and not force:
        return
    result = await session.execute(
        sa.update(CounterRow)
        .where(col(CounterRow.name) == name, col(CounterRow.value) == old)
        .values(value=new)
    )
    if not getattr(result, "rowcount", 0):  # no row yet: workers may race to add it
        await session.execute(
            insert_ignoring_conflict(session, CounterRow, name=name, value=new)
        )


async def build_documents(
    session: AsyncSession, entry_ids: Sequence[str], settings: Settings
) -> tuple[list[SearchDocument], list[str]]:
    """Documents for the draft and published stage of each entry; the ids of
    entries that no longer exist (their documents must go)."""
    entries = EntryRepository(session)
    types: dict[str, ContentType] = {
        t.key: t for t in await ContentTypeRepository(session).all()
    }
    locales = LocaleSet.build(
        await LocaleRepository(session).all(), settings.default_locale
    )
    published = {p.id: p for p in await entries.published(entry_ids)}
    term_index = TermIndex.of(await TaxonomyRepository(session).terms())
    docs: list[SearchDocument] = []
    gone: list[str] = []
    for entry_id in entry_ids:
        entry = await entries.get(entry_id)
        ctype = types.get(entry.type) if entry else None
        if entry is None or ctype is None:
            gone.append(entry_id)
            continue
        gone.append(entry_id)  # drop both stages first: a stage may have gone
        ids = sorted(term_index.expand(entry.terms))
        terms = sorted({*term_index.refs(ids), *ids})
        docs += documents_for(
            entry_id=entry.id,
            key=entry.key,
            ctype=ctype,
            fields=entry.fields,
            stage="draft",
            status=str(entry.status),
            terms=terms,
            locales=locales,
            updated_at=entry.updated_at,
            published_at=entry.published_at,
        )
        live = published.get(entry_id)
        if live is not None:
            docs += documents_for(
                entry_id=entry.id,
                key=live.key,
                ctype=ctype,
                fields=live.fields,
                stage="published",
                status="published",
                terms=terms,
                locales=locales,
                updated_at=live.published_at,
                published_at=live.published_at,
            )
    return docs, gone
