"""The long-lived collaborators of one hub process, built once at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import gc
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from content_hub.domain.keys import SYSTEM
from content_hub.domain.locales import LocaleSet
from content_hub.search import SearchBackend, create_search_backend
from content_hub.services import metrics
from content_hub.services.base import Deps
from content_hub.services.events import EventRecorder
from content_hub.services.features import FeaturePayloads
from content_hub.services.keys import Authenticator
from content_hub.services.locales import LocaleService
from content_hub.services.personalization import ruleset_of
from content_hub.services.render_runner import RenderRunner
from content_hub.services.render_sync import RenderSync
from content_hub.services.schedules import Scheduler
from content_hub.services.snapshot_sync import SnapshotSync
from content_hub.services.sticky import StickyStore
from content_hub.settings import Settings
from content_hub.snapshot import DeliverySnapshot
from content_hub.snapshot.render import RenderSnapshot
from content_hub.store.db import (
    commit,
    create_engine,
    create_session_factory,
    lock_for_startup,
)
from content_hub.store.sqlite_reads import SqlitePointReader
from content_hub.workers.indexer import SearchIndexer


@dataclass
class Hub:
    settings: Settings
    engine: AsyncEngine
    read_engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    snapshot: DeliverySnapshot
    render: RenderSnapshot
    render_sync: RenderSync
    sync: SnapshotSync
    events: EventRecorder
    sticky: StickyStore
    features: FeaturePayloads
    authenticator: Authenticator
    search: SearchBackend
    indexer: SearchIndexer
    scheduler: Scheduler
    point_reader: SqlitePointReader | None = None
    render_runner: RenderRunner = field(default_factory=RenderRunner)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @classmethod
    def build(cls, settings: Settings) -> Hub:
        db = settings.database
        engine = create_engine(db.url, echo=db.echo, pool_size=db.pool_size)
        read_engine = (
            create_engine(db.url, echo=db.echo, immediate=False)
            if db.is_sqlite
            else engine
        )
        sessions = create_session_factory(engine)
        read_sessions = create_session_factory(read_engine)
        snapshot = DeliverySnapshot(
            LocaleSet(default=settings.default_locale, chains={}, directions={})
        )
        search = create_search_backend(
            meilisearch_url=settings.search.meilisearch_url,
            meilisearch_key=settings.search.meilisearch_key,
            data_dir=settings.data_dir,
            index_prefix=settings.search.index_prefix,
        )
        render = RenderSnapshot(ruleset_of)
        sync = SnapshotSync(read_sessions, snapshot, settings)
        render_sync = RenderSync(
            read_sessions, snapshot, render, settings.render.time_budget
        )
        sync.listeners.append(render_sync.refresh)
        events = EventRecorder(sessions, settings.events, settings.retry)
        point_reader = SqlitePointReader.for_url(db.url)
        sticky = StickyStore(
            read_sessions,
            events,
            point_reader=point_reader.sticky_docs if point_reader else None,
        )

        async def forget_sticky() -> None:
            sticky.forget()

        sync.listeners.append(forget_sticky)
        return cls(
            settings=settings,
            engine=engine,
            read_engine=read_engine,
            sessions=sessions,
            read_sessions=read_sessions,
            snapshot=snapshot,
            render=render,
            render_sync=render_sync,
            sync=sync,
            events=events,
            sticky=sticky,
            features=FeaturePayloads(snapshot, render),
            authenticator=Authenticator(read_sessions, settings.auth_cache_seconds),
            search=search,
            indexer=SearchIndexer(
                sessions, search, settings, read_sessions=read_sessions
            ),
            scheduler=Scheduler(sessions, settings),
            point_reader=point_reader,
            render_runner=RenderRunner(settings.render.slice, settings.render.threads),
        )

    async def start(self) -> None:
        """Seed the default locale if needed, load the snapshot, start the
        snapshot poller and the search indexer.

        Every worker of every host runs this at once on a fresh database: the
        start-up lock makes the later ones wait and then find the locale.
        """
        async with self.sessions() as session:
            await lock_for_startup(session)
            await LocaleService(Deps(session, SYSTEM, self.settings)).ensure_default()
            await commit(session)
        await self.sync.refresh()
        await self.indexer.setup()
        # The snapshot is a large, long-lived object graph: move it out of the
        # collector's reach so full collections do not stall requests.
        gc.collect()
        gc.freeze()
        self._stop.clear()
        self._tasks.append(asyncio.create_task(self.sync.poll(self._stop)))
        if not self.settings.database.is_sqlite:
            self._tasks.append(asyncio.create_task(self.sync.listen(self._stop)))
        self._tasks.append(asyncio.create_task(self.events.loop(self._stop)))
        metrics.bind_snapshot(
            "delivery",
            lambda: self.snapshot.built_at,
            lambda: self.sync.last_build_seconds,
        )
        metrics.bind_snapshot(
            "render", lambda: self.render.built_at, lambda: self.render.build_seconds
        )
        self._tasks.append(asyncio.create_task(self.indexer.loop(self._stop)))
        self.scheduler.on_change = self.after_write
        self._tasks.append(asyncio.create_task(self.scheduler.poll(self._stop)))

    @property
    def exposures(self) -> EventRecorder:
        """Where the render path records exposures (buffered, batch-written)."""
        return self.events

    async def after_write(self) -> None:
        """After a committed write: refresh delivery now, index soon."""
        self.indexer.wake()
        await self.sync.refresh()

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        await self.events.stop()  # whatever arrived after the loop's last flush
        await self.indexer.drain()
        self.search.close()
        if self.point_reader is not None:
            self.point_reader.close()
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
