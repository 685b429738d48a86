"""The search indexer: follows the change log (the outbox) into the engine.

Every content write appends to ``change_log`` inside its own transaction, so
the log is an outbox. One indexer across all workers and hosts works at a
time (it holds the ``search-indexer`` lease, :mod:`content_hub.workers.lease`):
it reads the changes after its cursor and the documents of the entries they
touch from ONE snapshot of the database, replaces each entry's documents in
one step, and only then advances the cursor (a counter row, compare-and-set).
A crash between the database write and the index update therefore loses
nothing: the change is still after the cursor.

Each document carries the revision it was built from; FTS5 never replaces a
document by one of a lower revision. A new lease holder first reconciles the
index with the database (every entry whose documents are missing or carry
another revision is rebuilt), so whatever a killed holder left half-done is
repaired. Engine failures are retried with jittered backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

import anyio.to_thread
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from content_hub.domain.changes import ALL_ENTRIES, SEARCH_REBUILD_KINDS
from content_hub.retry import retry_until_stopped
from content_hub.search import SearchBackend
from content_hub.settings import Settings
from content_hub.store.db import insert_ignoring_conflict
from content_hub.store.repositories import EntryRepository, LocaleRepository
from content_hub.store.repositories._util import read_counter
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.search_source import (
    EntryState,
    SearchSourceRepository,
)
from content_hub.store.tables import CounterRow
from content_hub.workers.documents import build_documents
from content_hub.workers.lease import Lease, lease_for, run_leased

REPAIR_BATCH = 500
"""Entries repaired per step (a shutdown waits for one step at most)."""
log = logging.getLogger(__name__)
CURSOR = "search_cursor"
LEASE = "search-indexer"
BATCH = 500
MAX_WAIT = 1.0
"""Longest pause between looks at the change log while holding the lease
(writes made by other workers and hosts reach the index within it)."""


class SearchIndexer:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        backend: SearchBackend,
        settings: Settings,
        cursor: str = CURSOR,
        *,
        read_sessions: async_sessionmaker[AsyncSession] | None = None,
        lease: Lease | None = None,
    ) -> None:
        """``cursor`` names the counter row holding this indexer's position;
        a second engine can follow the same log under its own name (and
        lease). ``read_sessions`` (SQLite: deferred transactions) builds
        documents without holding the write lock."""
        self.cursor = cursor
        self.sessions = sessions
        self.read_sessions = read_sessions or sessions
        self.backend = backend
        self.settings = settings
        self.lease = lease or lease_for(
            settings.database.url,
            settings.data_dir,
            LEASE if cursor == CURSOR else f"{LEASE}-{cursor}",
        )
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self.last_error: str | None = None
        self.lag = 0
        self.repaired = 0

    def wake(self) -> None:
        """Process new changes now rather than at the next poll."""
        self._wake.set()

    async def setup(self) -> None:
        async with self.read_sessions() as session:
            locales = [loc.code for loc in await LocaleRepository(session).all()]
        await anyio.to_thread.run_sync(self.backend.setup, locales)

    async def run_once(self) -> int:
        """Apply every pending change; returns how many changes were applied."""
        applied = 0
        async with self._lock:
            while True:
                async with self.read_sessions() as session:
                    await SearchSourceRepository(session).begin_snapshot()
                    cursor = await read_counter(session, self.cursor)
                    changes = await ChangeRepository(session).after(cursor, BATCH)
                    if not changes:
                        self.lag = 0
                        return applied
                    if any(c.kind in SEARCH_REBUILD_KINDS for c in changes):
                        await self._rebuild(session)
                    else:
                        ids = [c.entry_id for c in changes]
                        await self._index(session, [i for i in ids if i != ALL_ENTRIES])
                await self._advance(cursor, changes[-1].seq)
                applied += len(changes)

    async def _index(
        self, session: AsyncSession, entry_ids: Sequence[str], *, force: bool = False
    ) -> None:
        """Replace the documents of these entries (read in ``session``)."""
        ids = list(dict.fromkeys(entry_ids))
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            built = await build_documents(session, batch, self.settings.default_locale)
            await anyio.to_thread.run_sync(
                functools.partial(self.backend.replace_entries, built, force=force)
            )

    async def _rebuild(
        self, session: AsyncSession, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Every entry again (locales, types or terms changed), replacing
        documents in place: searches keep finding entries meanwhile."""
        locales = [loc.code for loc in await LocaleRepository(session).all()]
        await anyio.to_thread.run_sync(self.backend.setup, locales)
        ids = await EntryRepository(session).all_ids()
        for start in range(0, len(ids), BATCH):
            await self._index(session, ids[start : start + BATCH])
            if progress is not None:
                progress(min(start + BATCH, len(ids)), len(ids))

    async def reindex(self, progress: Callable[[int, int], None] | None = None) -> int:
        """Rebuild the whole index and move the cursor to the end of the log."""
        async with self._lock:
            async with self.read_sessions() as session:
                await SearchSourceRepository(session).begin_snapshot()
                top = await read_counter(session, "publish_seq")
                count = len(await EntryRepository(session).all_ids())
                await anyio.to_thread.run_sync(self.backend.clear)
                await self._rebuild(session, progress)
            await self._advance(None, top)
            return count

    async def reconcile(self, until: asyncio.Event | None = None) -> int:
        """Rebuild the documents of every entry whose stored documents are
        missing or carry another revision than the database, and drop the
        documents of entries that are gone; returns how many were repaired.

        Works in batches of ``REPAIR_BATCH`` entries and stops between two
        when ``until`` is set (a shutdown, a lost lease): whoever holds the
        lease next finds the rest and repairs it."""
        stored = await anyio.to_thread.run_sync(self.backend.stored_revisions)
        async with self.read_sessions() as session:
            source = SearchSourceRepository(session)
            await source.begin_snapshot()
            states = await source.states()
            locales = len(await LocaleRepository(session).all())
            wrong = [
                e for e, s in states.items() if not _matches(stored, e, s, locales)
            ]
            wrong += sorted({e for e, _ in stored if e not in states})
            for start in range(0, len(wrong), REPAIR_BATCH):
                if until is not None and until.is_set():
                    wrong = wrong[:start]
                    break
                batch = wrong[start : start + REPAIR_BATCH]
                await self._index(session, batch, force=True)  # the database is right
        if wrong:
            log.warning(
                "search index: repaired the documents of %d entries", len(wrong)
            )
        self.repaired += len(wrong)
        return len(wrong)

    async def loop(self, stop: asyncio.Event) -> None:
        """Every worker runs this; the lease holder reconciles the index,
        then follows the change log until ``stop`` or until it loses the
        lease. Failures back off (jittered) and never drop a change: the
        cursor only moves after the engine took the documents."""
        await run_leased(
            self.lease, self._follow, stop, interval=self.settings.retry.lease
        )

    async def _follow(self, until: asyncio.Event) -> None:
        retry = self.settings.retry
        if (
            await retry_until_stopped(
                self._noting_errors(functools.partial(self.reconcile, until)),
                until,
                retry,
                name="search repair",
            )
            is None
        ):
            return
        wait = min(self.settings.delivery.poll_interval, MAX_WAIT)
        while not until.is_set():
            self._wake.clear()  # a wake during the run below is kept
            applied = await retry_until_stopped(
                self._noting_errors(self.run_once), until, retry, name="search indexing"
            )
            if applied is None:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(until, self._wake), timeout=wait)

    def _noting_errors(
        self, work: Callable[[], Awaitable[int]]
    ) -> Callable[[], Awaitable[int]]:
        async def run() -> int:
            try:
                done = await work()
            except Exception as exc:  # the engine may be down: kept for /health
                self.last_error = f"{type(exc).__name__}: {exc}"
                raise
            self.last_error = None
            return done

        return run

    async def drain(self, timeout: float = 10.0) -> None:
        """Apply what is pending (a clean shutdown indexes what was written),
        if this process can take the lease (else its holder does)."""
        try:
            held = await self.lease.acquire()
        except Exception as exc:
            log.warning("search drain: no lease: %s", exc)
            held = False
        if not held:  # another worker indexes; close what acquire() opened
            await self.lease.release()
            return
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if await self.run_once() == 0:
                    return
        except Exception as exc:
            log.warning("search drain failed: %s", exc)
        finally:
            await self.lease.release()

    async def _advance(self, old: int | None, new: int) -> None:
        """Compare-and-set the cursor (``old=None``: set it whatever it is)."""
        async with self.sessions() as session:
            await _advance(session, self.cursor, old, new)
            await session.commit()


def _matches(
    stored: dict[tuple[str, str], list[int]],
    entry_id: str,
    state: EntryState,
    locales: int,
) -> bool:
    draft = stored.get((entry_id, "draft"), [])
    live = stored.get((entry_id, "published"), [])
    if draft != [state.version] * locales:
        return False
    if state.published_version is None:
        return not live
    return live == [state.published_version] * locales


async def _first(stop: asyncio.Event, wake: asyncio.Event) -> None:
    waiters = [asyncio.create_task(stop.wait()), asyncio.create_task(wake.wait())]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in waiters:
            task.cancel()


async def _advance(session: AsyncSession, name: str, old: int | None, new: int) -> None:
    """Compare-and-set the cursor so a stale indexer never moves it backwards."""
    if old is not None and new <= old:
        return
    query = sa.update(CounterRow).where(col(CounterRow.name) == name)
    if old is not None:
        query = query.where(col(CounterRow.value) == old)
    result = await session.execute(query.values(value=new))
    if not getattr(result, "rowcount", 0):  # no row yet: workers may race to add it
        await session.execute(
            insert_ignoring_conflict(session, CounterRow, name=name, value=new)
        )
