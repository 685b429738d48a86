"""Retries of the background loops: exponential backoff with jitter (tenacity).

Every worker of every host runs the same loops (search indexer, ``LISTEN``
connection, event flush, snapshot follower, scheduler). When PostgreSQL
restarts they all fail at the same moment; a fixed backoff would have them
retry at the same moments too, for ever. Here the delay before retry ``n`` is
drawn uniformly from ``[d/2, d]`` with ``d = min(RETRY_MAX, RETRY_INITIAL *
2**(n-1))`` ("equal jitter": the workers spread out at once, and none retries
sooner than half the nominal delay).

tenacity rather than stamina (which wraps it): a loop must stop within a
moment of shutdown even in the middle of a 30-second backoff, and tenacity
lets the sleep be a wait on the loop's stop event; stamina's sleep cannot be
interrupted short of cancelling the task, which would cut a write in half.

:data:`ON_RETRY` hooks see every scheduled retry (loop name, attempt, delay,
error), as stamina's instrumentation does; the tests use it to check that
delays are jittered and bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

from content_hub.settings import RetrySettings

log = logging.getLogger(__name__)
T = TypeVar("T")
Errors = type[BaseException] | tuple[type[BaseException], ...]


@dataclass(frozen=True)
class RetryEvent:
    """A retry about to wait: which loop, after which failed attempt, how long."""

    name: str
    attempt: int
    delay: float
    error: BaseException


ON_RETRY: list[Callable[[RetryEvent], None]] = []
"""Called before every backoff sleep (instrumentation, tests)."""


class _Stopped(Exception):
    """The loop's stop event was set during a backoff."""


JITTER = random.Random()
"""The background loops' own generator. Never the ``random`` module's shared
one: a loop drawing from it changes the state every other user of the process
sees (hypothesis, for one, fails a test whose draw it saw move), and tenacity's
random waits draw from it, hence :class:`_EqualJitter`."""


class _EqualJitter(tenacity.wait.wait_base):
    def __init__(self, settings: RetrySettings) -> None:
        self.initial = settings.initial
        self.maximum = settings.maximum

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exponent = min(max(retry_state.attempt_number - 1, 0), 64)
        nominal = min(self.maximum, self.initial * 2**exponent)
        return JITTER.uniform(nominal / 2, nominal)


def jittered(settings: RetrySettings) -> tenacity.wait.wait_base:
    """``[d/2, d]`` for ``d = min(maximum, initial * 2**(attempt-1))``."""
    return _EqualJitter(settings)


def _announce(name: str) -> Callable[[tenacity.RetryCallState], None]:
    def before_sleep(state: tenacity.RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        delay = state.upcoming_sleep
        assert error is not None  # we only retry failures
        log.warning(
            "%s failed (attempt %d): %s: %s; retrying in %.2f s",
            name,
            state.attempt_number,
            type(error).__name__,
            error,
            delay,
            exc_info=error if state.attempt_number == 1 else None,
        )
        event = RetryEvent(name, state.attempt_number, delay, error)
        for hook in ON_RETRY:
            hook(event)

    return before_sleep


async def retry_until_stopped(
    work: Callable[[], Awaitable[T]],
    stop: asyncio.Event,
    settings: RetrySettings,
    *,
    name: str,
    on: Errors = Exception,
    wake: asyncio.Event | None = None,
) -> T | None:
    """Run ``work`` until it succeeds (its result) or ``stop`` is set (None).

    A failure of type ``on`` is logged and retried after a jittered backoff;
    setting ``stop`` ends a backoff at once. Setting ``wake`` (a sign that the
    database is back, e.g. a change notification) ends it too, and the next
    attempt runs at once. Other errors propagate.
    """
    events = [stop] if wake is None else [stop, wake]

    async def sleep(seconds: float) -> None:
        waiters = [asyncio.ensure_future(event.wait()) for event in events]
        try:
            await asyncio.wait(waiters, timeout=seconds, return_when="FIRST_COMPLETED")
        finally:
            for waiter in waiters:
                waiter.cancel()
        if stop.is_set():
            raise _Stopped
        if wake is not None:
            wake.clear()

    retrying = tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception_type(on),
        wait=jittered(settings),
        stop=lambda _state: stop.is_set(),
        sleep=sleep,
        before_sleep=_announce(name),
        reraise=True,
    )
    try:
        return await retrying(work)
    except _Stopped:
        return None
    except on:  # failed once more after stop was set: nothing left to do
        if stop.is_set():
            return None
        raise


async def retry_attempts(
    work: Callable[[], Awaitable[T]],
    settings: RetrySettings,
    *,
    name: str,
    attempts: int,
    on: Errors = Exception,
) -> T:
    """Run ``work`` up to ``attempts`` times with jittered backoff; the last
    failure propagates (a shutdown flush: there is no stop event to wait on)."""
    retrying = tenacity.AsyncRetrying(
        retry=tenacity.retry_if_exception_type(on),
        wait=jittered(settings),
        stop=tenacity.stop_after_attempt(attempts),
        before_sleep=_announce(name),
        reraise=True,
    )
    return await retrying(work)


async def pause(stop: asyncio.Event, settings: RetrySettings) -> None:
    """Wait a random moment up to ``initial`` (or until ``stop``): after a
    connection every worker lost at once, they do not all come back at once."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), JITTER.uniform(0, settings.initial))
