"""The exposure recorder of the render path: a buffer of exposures, sticky
documents and render receipts, written in batches by a background loop.

The render path calls :meth:`EventRecorder.record_exposures` (and
``record_receipt``, ``save_sticky``): synchronous, no I/O, no await. The loop
writes the buffer with the store's own writer (:mod:`content_hub.store.
sqlite_writes` in a thread, :mod:`content_hub.store.postgres_writes` on a
connection of its own), or else through its own sessions.
:meth:`EventRecorder.stop` writes everything that is left, so a clean
shutdown loses nothing. The buffer is bounded softly: past ``buffer_size``
nothing is dropped, the flusher is woken at once and producers that can wait
(the batch render) ``await room()``.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.live import metrics
from content_hub.retry import retry_attempts, retry_until_stopped
from content_hub.settings import EventSettings, RetrySettings
from content_hub.store.db import commit
from content_hub.store.repositories.events import EventRepository

log = logging.getLogger(__name__)
STOP_ATTEMPTS = 5
BatchWriter = Callable[
    [
        Sequence[Exposure],
        Mapping[str, Mapping[str, str]],
        Sequence[RenderReceipt],
        datetime,
    ],
    Awaitable[None],
]
"""The write of one batch (exposures, sticky documents, receipts, now) by a
store's own writer: SQLite's runs in a thread, PostgreSQL's on its own
connection (``content_hub.store.sqlite_writes``, ``postgres_writes``)."""


class EventRecorder:
    """In-memory buffer of exposures, sticky documents and render receipts."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: EventSettings,
        retry: RetrySettings | None = None,
        writer: BatchWriter | None = None,
        sticky_committed: Callable[[], None] | None = None,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.retry = retry or RetrySettings()
        self.writer = writer
        """Writes a batch in a thread instead of through a session."""
        self.sticky_committed = sticky_committed
        """Called once sticky documents have committed, before any other
        code of the event loop runs: the point reader's key filter then looks
        at the table again at its next read, so this worker's own documents
        are read back at once (another worker's within its freshness bound)."""
        self._exposures: dict[str, Exposure] = {}
        """By event id: a render's exposure id is deterministic (experiment,
        customer, channel, entry), so a repeated render adds nothing — the
        first one is kept, as the insert-or-ignore of the write would."""
        self._sticky: dict[str, dict[str, str]] = {}
        self._writing: dict[str, dict[str, str]] = {}
        """The sticky documents of the flush being written: still pending for
        :meth:`pending_sticky` until their write has committed (a read of the
        database meanwhile does not see them yet)."""
        self._receipts: list[RenderReceipt] = []
        self._oldest: float | None = None
        self._wake = asyncio.Event()
        self._room = asyncio.Event()
        self._room.set()
        self._lock = asyncio.Lock()
        self._random = random.Random()

    # --- producers (synchronous, no I/O) -------------------------------------

    @property
    def depth(self) -> int:
        """Buffered items of every kind."""
        return len(self._exposures) + len(self._sticky) + len(self._receipts)

    def record_exposures(self, exposures: Iterable[Exposure]) -> None:
        """Queue exposures for the next batch write (never drops)."""
        buffered = self._exposures
        before = len(buffered)
        for exposure in exposures:
            buffered.setdefault(exposure.event_id, exposure)
        if len(buffered) != before:
            self._added("exposure", len(buffered))

    @property
    def receipts(self) -> bool:
        """Whether render receipts are recorded (the setting is not off)."""
        return self.settings.receipts > 0.0

    def record_receipt(self, receipt: RenderReceipt) -> bool:
        """Queue a render receipt if the receipt setting samples it in;
        returns whether it was queued. Preview renders must not call this."""
        rate = self.settings.receipts
        if rate <= 0.0 or (rate < 1.0 and self._random.random() >= rate):
            return False
        self._receipts.append(receipt)
        self._added("receipt", len(self._receipts))
        return True

    def save_sticky(self, docs: Mapping[str, Mapping[str, str]]) -> None:
        """Queue sticky documents (``attribute key -> assignments``); documents
        for the same key are merged, and merged again with the stored one."""
        if not docs:
            return
        for key, assignments in docs.items():
            self._sticky.setdefault(key, {}).update(assignments)
        self._added("sticky", len(self._sticky))

    def pending_sticky(self, keys: Iterable[str]) -> dict[str, dict[str, str]]:
        """Sticky assignments for ``keys`` not yet committed: buffered, or in
        the flush being written (the buffer's are newer and win)."""
        buffered, writing = self._sticky, self._writing
        if not writing:
            return {k: dict(buffered[k]) for k in keys if k in buffered}
        pending: dict[str, dict[str, str]] = {}
        for key in keys:
            if key in writing or key in buffered:
                pending[key] = {**writing.get(key, {}), **buffered.get(key, {})}
        return pending

    def _added(self, kind: str, depth: int) -> None:
        metrics.set_buffer_depth(kind, depth)
        if self._oldest is None:
            self._oldest = time.monotonic()
        if self.depth >= self.settings.buffer_size:
            self._room.clear()
            self._wake.set()

    async def room(self) -> None:
        """Wait until the buffer is below its size (back-pressure for batches)."""
        while self.depth >= self.settings.buffer_size:
            self._wake.set()
            self._room.clear()
            await self._room.wait()

    # --- writing -------------------------------------------------------------

    async def flush(self) -> int:
        """Write everything buffered now; returns how many items were written.

        On a failure the items go back to the front of the buffer and the
        error propagates (the loop logs it and retries).
        """
        async with self._lock:
            exposures, self._exposures = self._exposures, {}
            sticky, self._sticky = self._sticky, {}
            self._writing = sticky
            receipts, self._receipts = self._receipts, []
            oldest, self._oldest = self._oldest, None
            self._publish_depth()
            if not (exposures or sticky or receipts):
                self._room.set()
                return 0
            try:
                await self._write(list(exposures.values()), sticky, receipts)
            except BaseException:
                self._writing = {}
                for event_id, exposure in self._exposures.items():
                    exposures.setdefault(event_id, exposure)  # older ones first
                self._exposures = exposures
                for key, assignments in sticky.items():
                    self._sticky[key] = {**assignments, **self._sticky.get(key, {})}
                self._receipts[:0] = receipts
                self._oldest = (
                    oldest
                    if self._oldest is None
                    else min(oldest or self._oldest, self._oldest)
                )
                self._publish_depth()
                metrics.FLUSH_ERRORS.inc()
                raise
            self._writing = {}  # committed: a read of the database sees them now
            if sticky and self.sticky_committed is not None:
                self.sticky_committed()
            lag = time.monotonic() - oldest if oldest is not None else 0.0
            metrics.observe_flush(
                lag,
                {
                    "exposure": len(exposures),
                    "sticky": len(sticky),
                    "receipt": len(receipts),
                },
            )
            if self.depth < self.settings.buffer_size:
                self._room.set()
            return len(exposures) + len(sticky) + len(receipts)

    async def _write(
        self,
        exposures: Sequence[Exposure],
        sticky: Mapping[str, Mapping[str, str]],
        receipts: Sequence[RenderReceipt],
    ) -> None:
        if self.writer is not None:
            await self.writer(exposures, sticky, receipts, datetime.now(UTC))
            return
        async with self.sessions() as session:
            repo = EventRepository(session)
            if exposures:
                await repo.write_exposures(exposures)  # no new ids needed: faster
            if sticky:
                await repo.merge_sticky(sticky, datetime.now(UTC))
            if receipts:
                await repo.add_receipts(receipts)
            await commit(session)

    def _publish_depth(self) -> None:
        metrics.set_buffer_depth("exposure", len(self._exposures))
        metrics.set_buffer_depth("sticky", len(self._sticky))
        metrics.set_buffer_depth("receipt", len(self._receipts))

    async def loop(self, stop: asyncio.Event) -> None:
        """Flush every ``flush_interval`` (or at once when the buffer fills)
        until ``stop`` is set, then flush what is left. A failed flush keeps
        its items and is retried with jittered backoff."""
        interval = self.settings.flush_interval
        while not stop.is_set():
            stopping = asyncio.ensure_future(stop.wait())
            woken = asyncio.ensure_future(self._wake.wait())
            try:
                await asyncio.wait(
                    {stopping, woken},
                    timeout=interval,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                stopping.cancel()
                woken.cancel()
            self._wake.clear()
            await retry_until_stopped(self.flush, stop, self.retry, name="event flush")
        await self.stop()

    async def stop(self) -> None:
        """Write everything buffered (a few jittered retries); idempotent."""
        try:
            await retry_attempts(
                self.flush, self.retry, name="final event flush", attempts=STOP_ATTEMPTS
            )
        except Exception:
            log.exception("final event flush failed")
        if self.depth:
            log.error("shutdown: %d buffered events could not be written", self.depth)
