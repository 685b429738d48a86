"""Keeps a worker's delivery snapshot in step with the database.

Every publish, unpublish, delete, locale or content-type change appends to
the change log under the ``publish_seq`` counter. A worker reads that counter
(one indexed read) and applies only what changed; the process that made the
change refreshes right after its commit, so its own next read sees it.

Other processes and hosts learn of a change from PostgreSQL ``LISTEN/NOTIFY``
(:meth:`SnapshotSync.listen`) at once; the counter poll every
``poll_interval`` seconds is the fallback (and SQLite's only way). While the
listener is connected the poll runs ``LISTENING_POLL_FACTOR`` times less often.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.content_types import REFERENCE_TYPES, ContentType, FieldType
from content_hub.domain.locales import LocaleSet
from content_hub.retry import retry_until_stopped
from content_hub.settings import Settings
from content_hub.snapshot import DeliverySnapshot, TypeInfo
from content_hub.store.notify import listen_for_changes
from content_hub.store.repositories import (
    ContentTypeRepository,
    EntryRepository,
    LocaleRepository,
)
from content_hub.store.repositories.media import MediaRepository
from content_hub.store.repositories.taxonomy import TaxonomyRepository

log = logging.getLogger(__name__)
FULL_RELOAD_KINDS = {"locales", "types", "taxonomy", "media"}
DELIVERY_KINDS = {"published", "unpublished", "deleted"}
MAX_INCREMENTAL = 5_000
LISTENING_POLL_FACTOR = 10


def type_info(ctype: ContentType) -> TypeInfo:
    """What delivery needs of a content type."""
    return TypeInfo(
        localized=frozenset(f.key for f in ctype.fields if f.localized),
        channels=tuple(ctype.channels),
        references=frozenset(f.key for f in ctype.fields if f.type in REFERENCE_TYPES),
        rich_text=frozenset(
            f.key for f in ctype.fields if f.type is FieldType.RICH_TEXT
        ),
        markdown=frozenset(f.key for f in ctype.fields if f.type is FieldType.MARKDOWN),
    )


class SnapshotSync:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        snapshot: DeliverySnapshot,
        settings: Settings,
    ) -> None:
        self.sessions = sessions
        self.snapshot = snapshot
        self.settings = settings
        self._lock = asyncio.Lock()
        self.last_build_seconds = 0.0
        self.listeners: list[Callable[[], Awaitable[None]]] = []
        """Called after each change is applied (the render snapshot follows)."""
        self.listening = False
        """Whether a LISTEN connection is up (PostgreSQL)."""
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Refresh now instead of at the next poll (a change notification)."""
        self._wake.set()

    def _set_listening(self, listening: bool) -> None:
        self.listening = listening

    async def listen(self, stop: asyncio.Event) -> None:
        """Follow change notifications (PostgreSQL) until ``stop`` is set."""
        await listen_for_changes(
            self.settings.database.url,
            self.wake,
            stop,
            self._set_listening,
            self.settings.retry,
        )

    async def refresh(self) -> None:
        """Bring the snapshot up to the latest committed change."""
        async with self._lock, self.sessions() as session:
            entries = EntryRepository(session)
            seq = await entries.publish_seq()
            current = self.snapshot.state.seq
            if seq == current:
                return
            started = time.perf_counter()
            changes = (
                []
                if current < 0
                else await entries.changes_since(current, MAX_INCREMENTAL + 1)
            )
            kinds = {kind for _, _, kind in changes}
            if (
                current < 0
                or kinds & FULL_RELOAD_KINDS
                or len(changes) > MAX_INCREMENTAL
            ):
                await self._full(session, seq)
            else:
                latest: dict[str, str] = {}
                for _, entry_id, kind in changes:
                    if kind in DELIVERY_KINDS:
                        latest[entry_id] = kind
                upsert_ids = [e for e, k in latest.items() if k == "published"]
                removals = [e for e, k in latest.items() if k != "published"]
                upserts = await entries.published(upsert_ids) if upsert_ids else []
                top = max((s for s, _, _ in changes), default=seq)
                self.snapshot.apply(seq=top, upserts=upserts, removals=removals)
            self.last_build_seconds = time.perf_counter() - started
            self.snapshot.built_at = time.time()
            for listener in self.listeners:
                await listener()

    async def _full(self, session: AsyncSession, seq: int) -> None:
        locales = await LocaleRepository(session).all()
        types = await ContentTypeRepository(session).all()
        published = await EntryRepository(session).published()
        self.snapshot.replace(
            seq=seq,
            locales=LocaleSet.build(locales, self.settings.default_locale),
            types={t.key: type_info(t) for t in types},
            entries=published,
            terms=await TaxonomyRepository(session).terms(),
            media=await MediaRepository(session).all(),
        )

    async def poll(self, stop: asyncio.Event) -> None:
        """Refresh when woken by a notification, else every ``poll_interval``
        seconds (``LISTENING_POLL_FACTOR`` times that while listening), until
        ``stop`` is set. A failed refresh (a lost connection) is retried with
        jittered backoff, so workers that lost the database together do not
        come back in step."""
        interval = self.settings.delivery.poll_interval
        stopped = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                self._wake.clear()
                refreshed = await retry_until_stopped(
                    self._refreshed,
                    stop,
                    self.settings.retry,
                    name="snapshot refresh",
                    wake=self._wake,  # the listener is back: so is the database
                )
                if not refreshed:
                    return
                woken = asyncio.ensure_future(self._wake.wait())
                timeout = interval * (LISTENING_POLL_FACTOR if self.listening else 1)
                await asyncio.wait(
                    {stopped, woken}, timeout=timeout, return_when="FIRST_COMPLETED"
                )
                woken.cancel()
        finally:
            stopped.cancel()

    async def _refreshed(self) -> bool:
        await self.refresh()
        return True
