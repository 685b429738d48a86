"""The long-lived collaborators of one hub process, built once at start-up."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import redis.asyncio as aioredis
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from content_hub.domain.keys import SYSTEM
from content_hub.live import metrics
from content_hub.live.builder import GenerationBuilder
from content_hub.live.delivery import PublishedDelivery
from content_hub.live.delivery_state import DeliverySnapshot
from content_hub.live.exposures import EventRecorder
from content_hub.live.features import FeaturePayloads
from content_hub.live.follower import Follower
from content_hub.live.generation import Generation, Published
from content_hub.live.render import RenderService
from content_hub.live.render_runner import RenderRunner
from content_hub.live.render_state import RenderSnapshot
from content_hub.live.renders import Renders
from content_hub.live.sticky import StickyStore
from content_hub.live.streams import FeatureStreams, close_on_exit_signals
from content_hub.search import SearchBackend, create_search_backend
from content_hub.services.base import Deps
from content_hub.services.keys import Authenticator
from content_hub.services.locales import LocaleService
from content_hub.services.schedules import Scheduler
from content_hub.settings import Settings
from content_hub.shutdown import STEP_SECONDS, bounded
from content_hub.store import redis_client
from content_hub.store.db import (
    commit,
    create_engine,
    create_session_factory,
    lock_for_startup,
)
from content_hub.store.postgres_reads import PostgresStickyReader
from content_hub.store.postgres_writes import PostgresEventWriter
from content_hub.store.sqlite_reads import SqlitePointReader
from content_hub.store.sqlite_writes import SqliteEventWriter
from content_hub.store.web_sessions import DatabaseSessionStore
from content_hub.workers.indexer import SearchIndexer
from content_hub.workers.webhooks import WebhookDispatcher


@dataclass
class Hub:
    settings: Settings
    engine: AsyncEngine
    read_engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    read_sessions: async_sessionmaker[AsyncSession]
    published: Published
    snapshot: DeliverySnapshot
    render: RenderSnapshot
    follower: Follower
    events: EventRecorder
    sticky: StickyStore
    features: FeaturePayloads
    renders: Renders
    delivery: PublishedDelivery
    authenticator: Authenticator
    search: SearchBackend
    indexer: SearchIndexer
    scheduler: Scheduler
    web_sessions: Store
    """Studio sessions: the database, or Redis with ``CONTENT_HUB_REDIS_URL``."""
    session_redis: aioredis.Redis | None
    """The Redis client of ``web_sessions`` (closed by :meth:`stop`), if Redis."""
    streams: FeatureStreams
    """The GrowthBook SDK event streams of this worker (``/sub/{client_key}``)."""
    webhooks: WebhookDispatcher
    point_reader: SqlitePointReader | None = None
    event_writer: SqliteEventWriter | PostgresEventWriter | None = None
    sticky_reader: PostgresStickyReader | None = None
    render_runner: RenderRunner = field(default_factory=RenderRunner)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)
    _restore_signals: Callable[[], None] = lambda: None
    shutdown_step_seconds: float = STEP_SECONDS

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
        published = Published(Generation.empty(settings.default_locale))
        search = create_search_backend(
            meilisearch_url=settings.search.meilisearch_url,
            meilisearch_key=settings.search.meilisearch_key,
            data_dir=settings.data_dir,
            index_prefix=settings.search.index_prefix,
        )
        point_reader = SqlitePointReader.for_url(db.url)
        web_sessions, session_redis = _web_session_store(settings, sessions)
        follower = Follower(
            GenerationBuilder(
                read_sessions,
                settings.default_locale,
                settings.render.time_budget,
                head_reader=point_reader.publish_head if point_reader else None,
            ),
            published,
            settings,
        )
        event_writer = SqliteEventWriter.for_url(db.url) or PostgresEventWriter.for_url(
            db.url
        )
        events = EventRecorder(
            sessions,
            settings.events,
            settings.retry,
            writer=event_writer.flush if event_writer else None,
            sticky_committed=point_reader.expire_sticky if point_reader else None,
        )
        sticky_reader = PostgresStickyReader.for_url(db.url)
        sticky = StickyStore(
            read_sessions,
            events,
            point_reader=point_reader.sticky_docs if point_reader else None,
            expire_reader=point_reader.expire_sticky if point_reader else None,
            group_reader=sticky_reader.sticky_docs if sticky_reader else None,
        )

        published.on_swap(lambda _generation, _touched: sticky.forget())
        snapshot = DeliverySnapshot(published)
        runner = RenderRunner(settings.render.slice, settings.render.threads)
        features = FeaturePayloads(published)
        return cls(
            settings=settings,
            engine=engine,
            read_engine=read_engine,
            sessions=sessions,
            read_sessions=read_sessions,
            published=published,
            snapshot=snapshot,
            render=RenderSnapshot(published),
            follower=follower,
            events=events,
            sticky=sticky,
            features=features,
            renders=Renders(RenderService(published, events, runner), sticky),
            delivery=PublishedDelivery(snapshot),
            authenticator=Authenticator(read_sessions, settings.auth_cache_seconds),
            search=search,
            indexer=SearchIndexer(
                sessions, search, settings, read_sessions=read_sessions
            ),
            scheduler=Scheduler(sessions, settings),
            web_sessions=web_sessions,
            session_redis=session_redis,
            webhooks=WebhookDispatcher(
                sessions,
                settings,
                probe=point_reader.dispatch_idle if point_reader else None,
            ),
            point_reader=point_reader,
            event_writer=event_writer,
            sticky_reader=sticky_reader,
            render_runner=runner,
            streams=FeatureStreams(features, published, settings.sse.max_connections),
        )

    async def start(self) -> None:
        """Seed the default locale if needed, load the first generation, start
        the follower (and its PostgreSQL listener), the exposure flusher and
        the lease-holding loops (search indexer, scheduler, webhook dispatcher:
        each works on one
        worker of all hosts at a time).

        Every worker of every host runs this at once on a fresh database: the
        start-up lock makes the later ones wait and then find the locale.
        """
        async with self.sessions() as session:
            await lock_for_startup(session)
            await LocaleService(Deps(session, SYSTEM, self.settings)).ensure_default()
            await commit(session)
        await self.follower.refresh()
        await self.indexer.setup()
        # The snapshot is a large, long-lived object graph: move it out of the
        # collector's reach so full collections do not stall requests.
        gc.collect()
        gc.freeze()
        if self.point_reader is not None:
            self.point_reader.load_sticky_keys()  # in a thread, before traffic
        self._stop.clear()
        self._loop("follower", self.follower.run(self._stop))
        if not self.settings.database.is_sqlite:
            self._loop("change listener", self.follower.listen(self._stop))
        self._loop("exposure flusher", self.events.loop(self._stop))
        for half in ("delivery", "render"):  # one generation: both halves together
            metrics.bind_snapshot(
                half,
                lambda: self.published.generation.built_at,
                lambda: self.published.generation.build_seconds,
            )
        self._loop("search indexer", self.indexer.loop(self._stop))
        self.scheduler.on_change = self.after_write
        self._loop("scheduler", self.scheduler.poll(self._stop))
        self._restore_signals = close_on_exit_signals(self.streams.close)
        self._loop("webhook dispatcher", self.webhooks.loop(self._stop))

    @property
    def exposures(self) -> EventRecorder:
        """Where the render path records exposures (buffered, batch-written)."""
        return self.events

    async def after_write(self) -> None:
        """After a committed write: this worker's generation catches up now
        (never raising), the indexer is woken."""
        self.indexer.wake()
        self.webhooks.wake()
        await self.follower.catch_up()

    def _loop(self, name: str, work: Coroutine[Any, Any, None]) -> None:
        self._tasks.append(asyncio.create_task(work, name=name))

    def stop_steps(self) -> list[tuple[str, Callable[[], Awaitable[object]]]]:
        """This worker's shutdown, in order: each step's name and what it
        awaits. :meth:`stop` bounds each one (:func:`~content_hub.shutdown.bounded`)."""
        steps: list[tuple[str, Callable[[], Awaitable[object]]]] = [
            (f"background loop: {task.get_name()}", functools.partial(_ended, task))
            for task in self._tasks
        ]
        steps += [
            # whatever arrived after the flusher's last flush
            ("exposure flush", self.events.stop),
            ("search drain", self.indexer.drain),
            ("search and store clients", self._close_local_clients),
        ]
        if self.session_redis is not None:
            client = self.session_redis
            seconds = self.settings.rate_limit.redis_timeout
            steps.append(
                (
                    "session store",
                    lambda: redis_client.close(client, "sessions", timeout=seconds),
                )
            )
        steps.append(("database", self.engine.dispose))
        if self.read_engine is not self.engine:
            steps.append(("read database", self.read_engine.dispose))
        return steps

    async def stop(self) -> None:
        """Shut this worker down: event streams end, the loops are told to
        stop, then every step of :meth:`stop_steps` runs in turn, each for at
        most ``shutdown_step_seconds`` (one that overruns or fails is logged
        and the next one still runs)."""
        self.streams.close()
        self._restore_signals()
        self._stop.set()
        for name, step in self.stop_steps():
            await bounded(name, step(), self.shutdown_step_seconds)
        self._tasks.clear()

    async def _close_local_clients(self) -> None:
        self.search.close()
        if self.point_reader is not None:
            self.point_reader.close()
        if self.event_writer is not None:
            await self.event_writer.aclose()
        if self.sticky_reader is not None:
            await self.sticky_reader.aclose()


async def _ended(task: asyncio.Task[None]) -> None:
    """Wait for a loop told to stop (a loop cancelled earlier counts as ended)."""
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _web_session_store(
    settings: Settings, sessions: async_sessionmaker[AsyncSession]
) -> tuple[Store, aioredis.Redis | None]:
    """Where Studio sessions live, and the Redis client to close if Redis."""
    url = settings.rate_limit.redis_url
    if url:
        client = redis_client.connect(url, timeout=settings.rate_limit.redis_timeout)
        prefix = f"{settings.rate_limit.redis_prefix}:studio-session"
        return RedisStore(client, namespace=prefix), client
    return DatabaseSessionStore(sessions), None
