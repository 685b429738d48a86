"""Rate limits: requests per API key, failed authentications per client address.

Counting is in fixed windows aligned to the wall clock (``time // seconds``),
so every worker and host agrees on when a window starts without talking. A
window admits ``amount`` requests; the next one is refused until the window
ends (``Retry-After``). A fixed window lets a client spend up to two windows'
worth in a short span around a boundary; that is the price of an O(1) check.

**In memory** (no ``CONTENT_HUB_REDIS_URL``) each worker process counts for
itself: with ``--workers 4`` a key may make four times its rate on one host.

**With Redis** the per-key check still reads only this process's memory, so
the hot paths get no Redis round trip: a background task adds each window's
new local hits to a shared Redis counter every ``sync_interval`` (one pipelined
round trip for all keys) and learns the other processes' total from the reply.
Trade-off: between two syncs the processes do not see each other's latest
hits, so a key can exceed its rate by about ``processes x rate x
sync_interval``; a limit is a guard against a runaway or leaked key, not an
exact quota. Failed authentications are rare and not on a hot path: each one
is counted in Redis at once, so the per-address limit is exact across hosts.
If Redis cannot be reached, counting goes on per process (and is logged).

Why not Litestar's ``RateLimitMiddleware`` or the ``limits`` library: the
first keys by client before authentication and does a store round trip per
request; the second has no batched counting (one Redis call per hit) and its
asyncio memory store schedules tasks and threads. The strings are the
``limits`` grammar (``"6000/minute"``) all the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from redis.exceptions import RedisError

from content_hub.domain.rate_limits import Rate, parse_rate
from content_hub.settings import RateLimitSettings
from content_hub.store import redis_client

log = logging.getLogger(__name__)
_MAX_TRACKED = 100_000
"""Identifiers kept per limit before the ended windows are dropped."""
_LOG_EVERY = 60.0


class _Window:
    """The counts of one identifier in one window: ``mine`` (this process),
    ``pushed`` (of mine, already added in Redis), ``others`` (other processes,
    as of the last reply from Redis)."""

    __slots__ = ("end", "key", "mine", "others", "pushed", "ttl")

    def __init__(self, key: str, index: int, seconds: int) -> None:
        self.key = key
        self.end = float((index + 1) * seconds)
        self.ttl = seconds + 60
        self.mine = 0
        self.pushed = 0
        self.others = 0


def _claim(window: _Window) -> int:
    """The hits of ``window`` not yet sent to Redis, marked as sent before the
    round trip (so that concurrent senders never send a hit twice; a failed
    send gives them back)."""
    amount = window.mine - window.pushed
    window.pushed = window.mine
    return amount


class _Limit:
    """One rate, counted per identifier in the current window."""

    def __init__(self, name: str, rate: Rate) -> None:
        self.name = name
        self.rate = rate
        self.amount = rate.amount
        self.windows: dict[str, _Window] = {}

    def window(self, ident: str, now: float) -> _Window:
        """The identifier's window at ``now`` (a new one when the last ended)."""
        window = self.windows.get(ident)
        if window is None or now >= window.end:
            window = self.new_window(ident, now)
        return window

    def new_window(self, ident: str, now: float) -> _Window:
        seconds = self.rate.seconds
        index = int(now // seconds)
        if len(self.windows) >= _MAX_TRACKED and ident not in self.windows:
            self._prune(now)
        window = _Window(f"{self.name}:{seconds}:{index}:{ident}", index, seconds)
        self.windows[ident] = window
        return window

    def full(self, window: _Window) -> bool:
        return window.mine + window.others >= self.amount

    def _prune(self, now: float) -> None:
        self.windows = {k: w for k, w in self.windows.items() if now < w.end}
        if len(self.windows) >= _MAX_TRACKED:  # that many at once: start afresh
            self.windows.clear()


class _Shared:
    """The Redis side: batched adds of local hits, immediate adds of failures."""

    def __init__(self, url: str, prefix: str, interval: float, timeout: float) -> None:
        self.client = redis_client.connect(url, timeout=timeout)
        self.timeout = timeout
        self.prefix = prefix + ":ratelimit:"
        self.interval = interval
        self.dirty: set[_Window] = set()
        self._logged = 0.0

    async def add(self, windows: list[_Window], amounts: list[int]) -> list[int] | None:
        """Add ``amounts`` to the windows' shared counters: their new totals,
        or ``None`` when Redis failed (logged at most once a minute)."""
        pipe = self.client.pipeline(transaction=False)
        for window, amount in zip(windows, amounts, strict=True):
            pipe.incrby(self.prefix + window.key, amount)
            pipe.expire(self.prefix + window.key, window.ttl, nx=True)
        try:
            replies = await pipe.execute()
        except (RedisError, OSError) as exc:
            if time.monotonic() - self._logged > _LOG_EVERY:
                self._logged = time.monotonic()
                log.warning(
                    "rate limits: Redis unavailable, counting per process: %s", exc
                )
            return None
        return [int(total) for total in replies[::2]]

    async def total(self, window: _Window) -> int | None:
        """The window's shared count (``None`` when Redis failed)."""
        try:
            value = await self.client.get(self.prefix + window.key)
        except (RedisError, OSError) as exc:
            log.warning("rate limits: Redis unavailable: %s", exc)
            return None
        return int(value or 0)

    async def sync(self) -> None:
        """Push every window's hits since the last sync; learn the others'."""
        if not self.dirty:
            return
        windows, self.dirty = list(self.dirty), set()
        amounts = [_claim(w) for w in windows]
        totals = await self.add(windows, amounts)
        if totals is None:
            for window, amount in zip(windows, amounts, strict=True):
                window.pushed -= amount
            self.dirty.update(windows)
            return
        for window, total in zip(windows, totals, strict=True):
            window.others = total - window.pushed

    async def run(self, stop: asyncio.Event) -> None:
        """Sync every ``interval`` until ``stop`` (checked at every turn, so
        the loop ends even if a cancellation is lost inside the client)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.interval)
            try:
                await self.sync()
            except Exception:  # never let the sharing stop for good
                log.exception("rate limits: sync failed")


class RateLimits:
    """The hub's two limits; either may be off (``None``).

    ``clock`` is the wall clock (tests pin it so that no window ends mid-test).
    """

    def __init__(
        self,
        key: Rate | None,
        failures: Rate | None,
        *,
        redis_url: str | None = None,
        redis_prefix: str = "content_hub",
        sync_interval: float = 0.2,
        redis_timeout: float = redis_client.TIMEOUT,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.key = _Limit("key", key) if key is not None else None
        self.failures = _Limit("auth", failures) if failures is not None else None
        self.clock = clock
        self.shared = (
            _Shared(redis_url, redis_prefix, sync_interval, redis_timeout)
            if redis_url and (key is not None or failures is not None)
            else None
        )
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()

    @classmethod
    def from_settings(cls, settings: RateLimitSettings) -> RateLimits:
        return cls(
            parse_rate(settings.key),
            parse_rate(settings.auth_failures),
            redis_url=settings.redis_url,
            redis_prefix=settings.redis_prefix,
            sync_interval=settings.sync_interval,
            redis_timeout=settings.redis_timeout,
        )

    def hit_key(self, key_id: str) -> tuple[float, Rate] | None:
        """Count one request of a key: ``None`` if admitted, else the seconds
        until its window ends and the rate. O(1), no I/O (the hot paths)."""
        limit = self.key
        if limit is None:
            return None
        now = self.clock()
        window = limit.windows.get(key_id)  # limit.window(), inlined: per request
        if window is None or now >= window.end:
            window = limit.new_window(key_id, now)
        if window.mine + window.others >= limit.amount:
            return window.end - now, limit.rate
        window.mine += 1
        if self.shared is not None:
            self.shared.dirty.add(window)
        return None

    def blocked(self, address: str) -> tuple[float, Rate] | None:
        """Whether ``address`` used up its failed authentications in this
        window (as far as this process knows), without counting anything."""
        limit = self.failures
        if limit is None:
            return None
        now = self.clock()
        window = limit.windows.get(address)
        if window is None or now >= window.end:
            return None
        return (window.end - now, limit.rate) if limit.full(window) else None

    async def fail(self, address: str) -> tuple[float, Rate] | None:
        """Count one failed authentication from ``address``: ``None`` while
        within the limit, else the seconds until its window ends and the rate."""
        limit = self.failures
        if limit is None:
            return None
        now = self.clock()
        window = limit.window(address, now)
        if limit.full(window):
            return window.end - now, limit.rate
        window.mine += 1
        if self.shared is not None:
            amount = _claim(window)
            totals = await self.shared.add([window], [amount])
            if totals is None:
                window.pushed -= amount
            else:
                window.others = totals[0] - window.pushed
                if totals[0] > limit.rate.amount:
                    return window.end - now, limit.rate
        return None

    async def blocked_shared(self, ident: str) -> tuple[float, Rate] | None:
        """:meth:`blocked`, but when this process thinks ``ident`` is blocked
        and Redis shares the count, Redis decides: another process may have
        :meth:`forgive`-n it (off the hot path: failures only)."""
        refused = self.blocked(ident)
        limit = self.failures
        if refused is None or limit is None or self.shared is None:
            return refused
        window = limit.windows[ident]
        total = await self.shared.total(window)
        if total is None:
            return refused
        window.others = total - window.pushed
        return refused if limit.full(window) else None

    async def forgive(self, ident: str) -> None:
        """Forget the failed authentications of ``ident`` in the current
        window (here and, with Redis, everywhere): it proved who it is."""
        limit = self.failures
        if limit is None:
            return
        limit.windows.pop(ident, None)
        if self.shared is not None:
            seconds = limit.rate.seconds
            index = int(self.clock() // seconds)
            key = f"{self.shared.prefix}{limit.name}:{seconds}:{index}:{ident}"
            try:
                await self.shared.client.delete(key)
            except (RedisError, OSError) as exc:
                log.warning("rate limits: could not reset a count in Redis: %s", exc)

    async def sync(self) -> None:
        """Share the counts now (the background task does it every interval)."""
        if self.shared is not None:
            await self.shared.sync()

    async def start(self) -> None:
        if self.shared is not None and self._task is None:
            self._stop = asyncio.Event()  # of this event loop
            self._task = asyncio.create_task(self.shared.run(self._stop))

    async def stop(self) -> None:
        """End the sharing loop (it does its last sync), close the client.
        Every wait is bounded by the Redis timeout."""
        if self._task is not None and self.shared is not None:
            self._stop.set()
            try:  # a sync in flight ends within its Redis timeout
                async with asyncio.timeout(self.shared.timeout * 2 + 1):
                    await asyncio.shield(self._task)
            except TimeoutError:
                self._task.cancel()
                log.warning("rate limits: the sharing loop did not end; cancelled")
            self._task = None
        if self.shared is not None:
            await redis_client.close(
                self.shared.client,
                f"{self.shared.prefix}*",
                timeout=self.shared.timeout,
            )
