"""This worker's GrowthBook SDK event streams (``GET /sub/{client_key}``).

Each open stream holds a :class:`Subscription`. Nothing polls per stream: the
follower's generation swap (:meth:`Published.swap`, on this worker after its
own writes, and after a ``LISTEN/NOTIFY`` nudge or a poll for other workers'
and hosts') is the only trigger. Right after a swap :class:`FeatureStreams`
compares the digest of the rules' payload with the last one it announced and,
when they differ, wakes every subscription; each stream then sends the payload
its client key gets (the encoded forms are cached, so a thousand streams cost
one encoding, and one encryption per payload key).

A subscription is in a :class:`weakref.WeakSet` and holds no task: the stream
that owns it closes it when it ends (the client went away, the worker stops),
and one a stream never got to close disappears with the stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import threading
import weakref
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from content_hub.domain.errors import HubError
from content_hub.live.features import FeaturePayloads
from content_hub.live.generation import Generation, Published

log = logging.getLogger(__name__)

RETRY_AFTER = 5
"""Seconds a client refused for lack of room is asked to wait."""


class TooManyStreams(HubError):
    status = 503
    type_slug = "too-many-streams"
    title = "This worker has no room for another event stream"


class Subscription:
    """One open stream's doorbell: rung when the payload changed or the
    worker stops."""

    __slots__ = ("__weakref__", "_owner", "_rung", "closed")

    def __init__(self, owner: FeatureStreams) -> None:
        self._owner = owner
        self._rung = asyncio.Event()
        self.closed = False

    def ring(self) -> None:
        self._rung.set()

    async def wait(self, timeout: float) -> bool:
        """Wait until rung (True) or ``timeout`` seconds passed (False)."""
        if not self._rung.is_set():
            try:
                async with asyncio.timeout(timeout):
                    await self._rung.wait()
            except TimeoutError:
                return False
        self._rung.clear()
        return True

    def close(self) -> None:
        """Leave the broadcaster (idempotent); a waiting stream wakes and ends."""
        self.closed = True
        self._owner.forget(self)
        self._rung.set()


class FeatureStreams:
    """The subscriptions of this worker, at most ``max_connections``."""

    def __init__(
        self, payloads: FeaturePayloads, published: Published, max_connections: int
    ) -> None:
        self.payloads = payloads
        self.max_connections = max_connections
        self._subscriptions: weakref.WeakSet[Subscription] = weakref.WeakSet()
        self._announced: str | None = None
        """Digest of the payload the subscriptions were last rung for."""
        self.closing = False
        published.on_swap(self._swapped)

    @property
    def enabled(self) -> bool:
        """Whether SDKs may stream (``/api/features`` says so in ``x-sse-support``)."""
        return self.max_connections > 0 and not self.closing

    @property
    def count(self) -> int:
        return len(self._subscriptions)

    def subscribe(self) -> Subscription:
        """A subscription for a new stream, or :class:`TooManyStreams`."""
        if not self.enabled or self.count >= self.max_connections:
            raise TooManyStreams(
                f"This worker serves {self.max_connections} SDK event streams at "
                "most; retry later (the SDK keeps its payload meanwhile).",
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        if self._announced is None:
            self._announced = self.payloads.payload().digest
        subscription = Subscription(self)
        self._subscriptions.add(subscription)
        return subscription

    def forget(self, subscription: Subscription) -> None:
        self._subscriptions.discard(subscription)

    def close(self) -> None:
        """The worker stops: every stream ends (SDKs reconnect elsewhere) and
        no new one starts."""
        self.closing = True
        for subscription in list(self._subscriptions):
            subscription.close()

    def _swapped(
        self, _generation: Generation, _touched: frozenset[str] | None
    ) -> None:
        """A swap listener: check the payload once the swap has returned."""
        if not self._subscriptions:
            self._announced = None  # the next subscriber sets it
            return
        try:
            asyncio.get_running_loop().call_soon(self.announce)
        except RuntimeError:  # no loop (a swap outside the server): at once
            self.announce()

    def announce(self) -> None:
        """Ring every subscription if the payload's rules changed."""
        try:
            digest = self.payloads.payload().digest
        except Exception:  # a listener must not raise; streams keep the old one
            log.exception("the SDK payload of the new generation failed to build")
            return
        if digest == self._announced:
            return
        self._announced = digest
        for subscription in list(self._subscriptions):
            subscription.ring()


def close_on_exit_signals(
    close: Callable[[], None],
    signals: Iterable[signal.Signals] = (signal.SIGINT, signal.SIGTERM),
) -> Callable[[], None]:
    """Have the event loop call ``close`` on SIGINT and SIGTERM, then let the
    handler there was (uvicorn's) run as before.

    uvicorn's graceful shutdown waits for open responses to finish before the
    app's lifespan hears of it, and an event stream never finishes by itself:
    ending the streams when the signal arrives lets the worker stop (the SDKs
    reconnect to another). Call from the running loop; returns the function
    that puts the old handlers back. Outside the main thread (an embedded
    server) nothing is installed.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    loop = asyncio.get_running_loop()
    previous: dict[signal.Signals, Any] = {}

    def handler(signum: int, frame: FrameType | None) -> None:
        loop.call_soon_threadsafe(close)
        sig = signal.Signals(signum)
        before = previous.get(sig)
        if callable(before):
            before(signum, frame)
        elif before != signal.SIG_IGN:  # the default: do what it would have done
            signal.signal(sig, signal.SIG_DFL)
            signal.raise_signal(sig)

    for sig in signals:
        previous[sig] = signal.getsignal(sig)
        signal.signal(sig, handler)

    def restore() -> None:
        for sig, before in previous.items():
            with contextlib.suppress(ValueError, TypeError):
                if signal.getsignal(sig) is handler:
                    signal.signal(sig, before)

    return restore
