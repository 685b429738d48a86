"""Helpers of the retry tests: recorded retries, bounds, a failing callable."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import tenacity

from content_hub.retry import ON_RETRY, RetryEvent, jittered
from content_hub.settings import RetrySettings

T = TypeVar("T")
FAST = RetrySettings(initial=0.01, maximum=0.04)


def ceiling(settings: RetrySettings, attempt: int) -> float:
    return min(settings.maximum, settings.initial * 2 ** (attempt - 1))


def assert_bounded(events: list[RetryEvent], settings: RetrySettings) -> None:
    for event in events:
        top = ceiling(settings, event.attempt)
        assert top / 2 <= event.delay <= top, event


@contextmanager
def recording() -> Iterator[list[RetryEvent]]:
    """Every retry scheduled while the block runs."""
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
