"""Retries of the background loops: delays are jittered and bounded, a stop
ends a backoff at once, a wake ends it early."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.retry import RetryEvent, retry_attempts, retry_until_stopped
from content_hub.settings import RetrySettings
from tests.content_hub.retry_support import (
    FAST,
    assert_bounded,
    ceiling,
    delay,
    failing,
    recording,
    until,
)


@pytest.fixture
def retries() -> Iterator[list[RetryEvent]]:
    with recording() as seen:
        yield seen


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
