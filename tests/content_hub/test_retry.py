"""Retries of the background loops: delays are jittered and bounded, a stop
ends a backoff at once, and every loop recovers once its database or engine
is back (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import os
import socket
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import psycopg
import pytest
import tenacity
from hypothesis import given
from hypothesis import strategies as st
from litestar.testing import TestClient

from content_hub.domain.locales import LocaleSet
from content_hub.retry import (
    ON_RETRY,
    RetryEvent,
    jittered,
    retry_attempts,
    retry_until_stopped,
)
from content_hub.search import SearchQuery
from content_hub.services.events import EventRecorder
from content_hub.services.schedules import Scheduler
from content_hub.services.search_index import SearchIndexer
from content_hub.services.snapshot_sync import SnapshotSync
from content_hub.settings import EventSettings, RetrySettings, Settings
from content_hub.snapshot import DeliverySnapshot
from content_hub.store.db import create_engine, create_session_factory, libpq_dsn
from content_hub.store.notify import listen_for_changes
from tests.content_hub.conftest import PG_ENV, Keys
from tests.content_hub.events_support import rows
from tests.content_hub.factories import add_entry, add_type, publish
from tests.content_hub.test_events import exposure_struct
from tests.content_hub.test_search_api import FlakyBackend

T = TypeVar("T")
FAST = RetrySettings(initial=0.01, maximum=0.04)


def ceiling(settings: RetrySettings, attempt: int) -> float:
    return min(settings.maximum, settings.initial * 2 ** (attempt - 1))


def assert_bounded(events: list[RetryEvent], settings: RetrySettings) -> None:
    for event in events:
        top = ceiling(settings, event.attempt)
        assert top / 2 <= event.delay <= top, event


@pytest.fixture
def retries() -> Iterator[list[RetryEvent]]:
    seen: list[RetryEvent] = []
    ON_RETRY.append(seen.append)
    try:
        yield seen
    finally:
        ON_RETRY.remove(seen.append)


def delay(settings: RetrySettings, attempt: int) -> float:
    state = tenacity.RetryCallState(tenacity.AsyncRetrying(), None, (), {})
    state.attempt_number = attempt
    return float(jittered(settings)(state))


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait for ``condition`` (a guard against hanging, not a timing claim)."""
    for _ in range(1200):
        if condition():
            return
        await asyncio.sleep(0.025)
    raise AssertionError(f"never happened: {what}")


def failing(times: int, result: T) -> tuple[Callable[[], Awaitable[T]], list[int]]:
    calls: list[int] = []

    async def work() -> T:
        calls.append(1)
        if len(calls) <= times:
            raise ConnectionError(f"down ({len(calls)})")
        return result

    return work, calls


class TestBackoff:
    @given(
        st.floats(0.001, 60),
        st.floats(0.001, 86_400),
        st.integers(1, 10_000),
    )
    def test_every_delay_lies_in_the_upper_half_of_its_window(
        self, initial: float, maximum: float, attempt: int
    ) -> None:
        settings = RetrySettings(initial=initial, maximum=maximum)
        top = ceiling(settings, min(attempt, 200))
        assert top / 2 * (1 - 1e-9) <= delay(settings, attempt) <= top * (1 + 1e-9)

    def test_delays_are_spread_not_in_step(self) -> None:
        settings = RetrySettings()
        for attempt in (1, 3, 10):
            top = ceiling(settings, attempt)
            drawn = [delay(settings, attempt) for _ in range(300)]
            assert len(set(drawn)) == len(drawn)  # two workers never share a beat
            assert min(drawn) < top * 0.6
            assert max(drawn) > top * 0.9


class TestRetryUntilStopped:
    def test_recovers_after_failures_with_jittered_bounded_delays(
        self, retries: list[RetryEvent]
    ) -> None:
        work, calls = failing(5, "ok")
        result = asyncio.run(
            retry_until_stopped(work, asyncio.Event(), FAST, name="unit")
        )
        assert result == "ok"
        assert len(calls) == 6
        assert [e.attempt for e in retries] == [1, 2, 3, 4, 5]
        assert {e.name for e in retries} == {"unit"}
        assert_bounded(retries, FAST)

    def test_two_workers_failing_together_retry_apart(
        self, retries: list[RetryEvent]
    ) -> None:
        async def both() -> None:
            stop = asyncio.Event()
            await asyncio.gather(
                retry_until_stopped(failing(4, 1)[0], stop, FAST, name="a"),
                retry_until_stopped(failing(4, 1)[0], stop, FAST, name="b"),
            )

        asyncio.run(both())
        a = [e.delay for e in retries if e.name == "a"]
        b = [e.delay for e in retries if e.name == "b"]
        assert len(a) == len(b) == 4
        assert all(x != y for x, y in zip(a, b, strict=True))

    def test_stop_ends_a_long_backoff_at_once(self, retries: list[RetryEvent]) -> None:
        slow = RetrySettings(initial=60, maximum=3600)

        async def scenario() -> object:
            stop = asyncio.Event()
            work, _ = failing(10**6, 1)
            task = asyncio.create_task(
                retry_until_stopped(work, stop, slow, name="slow")
            )
            await until(lambda: bool(retries), "a first failure")
            stop.set()
            return await asyncio.wait_for(task, timeout=25)  # the backoff is >= 30 s

        assert asyncio.run(scenario()) is None
        assert retries[0].delay >= 30

    def test_other_errors_are_not_retried(self, retries: list[RetryEvent]) -> None:
        async def broken() -> None:
            raise KeyError("a bug")

        with pytest.raises(KeyError):
            asyncio.run(
                retry_until_stopped(
                    broken, asyncio.Event(), FAST, name="bug", on=ConnectionError
                )
            )
        assert retries == []

    def test_a_bounded_retry_gives_up_with_the_last_error(
        self, retries: list[RetryEvent]
    ) -> None:
        work, calls = failing(10, None)
        with pytest.raises(ConnectionError, match=r"down \(3\)"):
            asyncio.run(retry_attempts(work, FAST, name="final", attempts=3))
        assert len(calls) == 3
        assert [e.attempt for e in retries] == [1, 2]
        assert_bounded(retries, FAST)


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
    import msgspec

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
        mine = [e for e in retries if e.name == "search indexing"]
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
            snapshot = DeliverySnapshot(
                LocaleSet(default="en", chains={}, directions={})
            )
            sync = SnapshotSync(follower, snapshot, fast(settings))  # type: ignore[arg-type]
            stop = asyncio.Event()
            tasks = [
                asyncio.create_task(scheduler.poll(stop)),
                asyncio.create_task(sync.poll(stop)),
            ]
            try:
                await until(
                    lambda: schedules.opened > 0 and snapshot.state.seq >= 0,
                    "both loops back",
                )
            finally:
                stop.set()
                await asyncio.gather(*tasks)
                await engine.dispose()
            return snapshot.state.seq

        assert asyncio.run(scenario()) >= 0
        for name in ("scheduled publishing", "snapshot refresh"):
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


class TestWake:
    def test_a_wake_ends_the_backoff_and_the_next_attempt_runs(
        self, retries: list[RetryEvent]
    ) -> None:
        slow = RetrySettings(initial=60, maximum=3600)

        async def scenario() -> object:
            stop, wake = asyncio.Event(), asyncio.Event()
            work, _ = failing(1, "back")
            task = asyncio.create_task(
                retry_until_stopped(work, stop, slow, name="woken", wake=wake)
            )
            await until(lambda: bool(retries), "a first failure")
            wake.set()  # e.g. the change listener reconnected
            result = await asyncio.wait_for(task, timeout=25)  # the backoff is >= 30 s
            assert not wake.is_set()  # consumed
            return result

        assert asyncio.run(scenario()) == "back"
