"""The background loops recover once their database or engine is back, after
jittered, bounded retries (on SQLite and PostgreSQL); the change listener
retries an unreachable server and re-listens after a lost connection."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Iterator
from typing import Any

import msgspec
import psycopg
import pytest
from litestar.testing import TestClient

from content_hub.live.builder import GenerationBuilder
from content_hub.live.exposures import EventRecorder
from content_hub.live.follower import Follower
from content_hub.live.generation import Generation, Published
from content_hub.retry import RetryEvent
from content_hub.search import SearchQuery
from content_hub.services.schedules import Scheduler
from content_hub.settings import EventSettings, Settings
from content_hub.store.db import create_engine, create_session_factory, libpq_dsn
from content_hub.store.notify import listen_for_changes
from content_hub.workers.indexer import SearchIndexer
from tests.content_hub.conftest import PG_ENV, Keys
from tests.content_hub.events_support import rows
from tests.content_hub.factories import add_entry, add_type, publish
from tests.content_hub.retry_support import FAST, assert_bounded, recording, until
from tests.content_hub.test_events import exposure_struct
from tests.content_hub.test_search_api import FlakyBackend


@pytest.fixture
def retries() -> Iterator[list[RetryEvent]]:
    with recording() as seen:
        yield seen


class FlakySessions:
    """A session factory whose first ``failures`` sessions fail to open, like
    a database that is restarting."""

    def __init__(self, real: Any, failures: int) -> None:
        self.real = real
        self.failures = failures
        self.opened = 0

    def __call__(self) -> Any:
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionRefusedError("database restarting")
        self.opened += 1
        return self.real()


def fast(settings: Settings) -> Settings:
    return msgspec.structs.replace(settings, retry=FAST)


class TestLoopsRecover:
    def test_search_indexer(
        self,
        client: TestClient[Any],
        keys: Keys,
        settings: Settings,
        retries: list[RetryEvent],
    ) -> None:
        manage = keys.headers("manage")
        add_type(client, manage)
        bike = publish(
            client,
            manage,
            add_entry(client, manage, "bike", {"title": {"en": "Cargo"}}),
        )
        backend = FlakyBackend(settings.data_dir / "flaky.sqlite3", failures=3)

        async def scenario() -> list[str]:
            engine = create_engine(settings.database.url)
            indexer = SearchIndexer(
                create_session_factory(engine), backend, fast(settings), "flaky_cursor"
            )
            stop = asyncio.Event()
            loop = asyncio.create_task(indexer.loop(stop))
            try:
                await until(
                    lambda: (
                        indexer.last_error is None
                        and bool(backend.search(SearchQuery(q="cargo")).hits)
                    ),
                    "the entry indexed and the error cleared",
                )
            finally:
                stop.set()
                await loop
                await engine.dispose()
            return [h.entry_id for h in backend.search(SearchQuery(q="cargo")).hits]

        try:
            assert bike["id"] in asyncio.run(scenario())
        finally:
            backend.close()
        # a new lease holder first repairs the index: that write fails first
        mine = [e for e in retries if e.name in ("search repair", "search indexing")]
        assert [e.attempt for e in mine] == [1, 2, 3]
        assert_bounded(mine, FAST)

    def test_event_flush(self, settings: Settings, retries: list[RetryEvent]) -> None:
        async def scenario() -> None:
            engine = create_engine(settings.database.url)
            sessions = FlakySessions(create_session_factory(engine), failures=3)
            recorder = EventRecorder(sessions, EventSettings(flush_interval=0.01), FAST)  # type: ignore[arg-type]
            stop = asyncio.Event()
            loop = asyncio.create_task(recorder.loop(stop))
            try:
                recorder.record_exposures(exposure_struct(f"e{i}") for i in range(5))
                await until(
                    lambda: sessions.opened > 0 and recorder.depth == 0, "a flush"
                )
            finally:
                stop.set()
                await loop
                await engine.dispose()

        asyncio.run(scenario())
        assert rows(settings, "SELECT COUNT(*) FROM exposure")[0][0] == 5
        mine = [e for e in retries if e.name == "event flush"]
        assert [e.attempt for e in mine] == [1, 2, 3]
        assert_bounded(mine, FAST)

    def test_scheduler_and_snapshot_follower(
        self, settings: Settings, retries: list[RetryEvent]
    ) -> None:
        async def scenario() -> int:
            engine = create_engine(settings.database.url)
            real = create_session_factory(engine)
            schedules = FlakySessions(real, failures=2)
            follower = FlakySessions(real, failures=2)
            scheduler = Scheduler(schedules, fast(settings))  # type: ignore[arg-type]
            published = Published(Generation.empty("en"))
            builder = GenerationBuilder(follower, "en")  # type: ignore[arg-type]
            sync = Follower(builder, published, fast(settings))
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(scheduler.poll(stop)),
                asyncio.create_task(sync.run(stop)),
            ]
            try:
                await until(
                    lambda: schedules.opened > 0 and published.generation.seq >= 0,
                    "both loops back",
                )
            finally:
                stop.set()
                await asyncio.gather(*tasks)
                await engine.dispose()
            return published.generation.seq

        assert asyncio.run(scenario()) >= 0
        for name in ("scheduled publishing", "generation build"):
            mine = [e for e in retries if e.name == name]
            assert [e.attempt for e in mine] == [1, 2], name
            assert_bounded(mine, FAST)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


class TestChangeListener:
    def test_an_unreachable_server_is_retried_apart_until_stopped(
        self, retries: list[RetryEvent]
    ) -> None:
        url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/none"
        states: list[bool] = []

        async def scenario() -> None:
            stop = asyncio.Event()
            task = asyncio.create_task(
                listen_for_changes(url, lambda: None, stop, states.append, FAST)
            )
            await until(lambda: len(retries) >= 6, "six retries")
            stop.set()
            await task

        asyncio.run(scenario())
        assert states == []  # never listening
        assert [e.attempt for e in retries[:6]] == [1, 2, 3, 4, 5, 6]
        assert {e.name for e in retries} == {"change listener connect"}
        assert_bounded(retries, FAST)

    if os.environ.get(PG_ENV):

        def test_a_lost_connection_is_reestablished(self) -> None:
            url = os.environ[PG_ENV]
            woken: list[int] = []
            states: list[bool] = []

            async def scenario() -> None:
                stop = asyncio.Event()
                task = asyncio.create_task(
                    listen_for_changes(
                        url, lambda: woken.append(1), stop, states.append, FAST
                    )
                )
                await until(lambda: states == [True], "listening")
                async with await psycopg.AsyncConnection.connect(
                    libpq_dsn(url), autocommit=True
                ) as admin:
                    await admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = 'content-hub listener' "
                        "AND datname = current_database()"
                    )
                    await until(lambda: states == [True, False, True], "back")
                    before = len(woken)
                    await admin.execute("NOTIFY content_hub_changes, '1'")
                    await until(lambda: len(woken) > before, "a notification")
                stop.set()
                await task

            asyncio.run(scenario())
            assert states == [True, False, True, False]

        def test_a_listening_listener_stops_at_once(self) -> None:
            """A stop is not held up by the wait for notifications (it waited
            for a 1 s poll of them: every PostgreSQL app's shutdown, and every
            test's teardown, took up to a second longer)."""
            url = os.environ[PG_ENV]
            woken: list[int] = []
            states: list[bool] = []

            async def scenario() -> None:
                for _ in range(3):
                    stop = asyncio.Event()
                    task = asyncio.create_task(
                        listen_for_changes(
                            url, lambda: woken.append(1), stop, states.append, FAST
                        )
                    )
                    await until(lambda: states[-1:] == [True], "listening")
                    before = len(woken)
                    async with await psycopg.AsyncConnection.connect(
                        libpq_dsn(url), autocommit=True
                    ) as admin:
                        await admin.execute("NOTIFY content_hub_changes, '1'")
                    await until(lambda n=before: len(woken) > n, "a notification")
                    await asyncio.sleep(0.05)  # waiting for the next one now
                    stop.set()
                    await asyncio.wait_for(task, 0.5)  # the old poll: up to 1 s

            asyncio.run(scenario())
            assert states == [True, False] * 3
