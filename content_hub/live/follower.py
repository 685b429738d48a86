"""Keeps a worker's published generation at the head of the change log.

Every publish, unpublish, delete and configuration change appends to the
change log under the ``publish_seq`` counter. One :class:`Follower` per worker
is the only thing that swaps the generation: whenever the log is ahead it has
:class:`~content_hub.live.builder.GenerationBuilder` make the next one and
swaps it in, and a failed build is retried with jittered backoff until the
generation reaches the head. Delivery and render are halves of the same
generation, so neither can fall behind the other.

How it learns of a change:

- the worker that made it: the request's after-commit hook calls
  :meth:`Follower.catch_up`, which builds at once so that worker's next read
  sees the write; it never raises (a committed write is answered with its
  2xx even if the build fails — the loop retries);
- other workers and hosts: PostgreSQL ``LISTEN/NOTIFY`` (:meth:`listen`)
  nudges the loop at once; the counter poll every ``poll_interval`` seconds
  is the fallback (and SQLite's only way). While the listener is connected
  the poll runs ``LISTENING_POLL_FACTOR`` times less often.
"""

from __future__ import annotations

import asyncio
import logging

from content_hub.live.builder import GenerationBuilder
from content_hub.live.generation import Published
from content_hub.retry import retry_until_stopped
from content_hub.settings import Settings
from content_hub.store.notify import listen_for_changes

log = logging.getLogger(__name__)
LISTENING_POLL_FACTOR = 10
MAX_ROUNDS = 8
"""Builds one :meth:`Follower.refresh` makes while writers keep the log moving."""


class Follower:
    def __init__(
        self, builder: GenerationBuilder, published: Published, settings: Settings
    ) -> None:
        self.builder = builder
        self.published = published
        self.settings = settings
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self.listening = False
        """Whether a LISTEN connection is up (PostgreSQL)."""
        self.failures = 0
        """Builds that failed since the last one that succeeded."""

    @property
    def seq(self) -> int:
        """The sequence number of the current generation."""
        return self.published.generation.seq

    def nudge(self) -> None:
        """Build now instead of at the next poll (a change notification)."""
        self._wake.set()

    def _set_listening(self, listening: bool) -> None:
        self.listening = listening

    async def listen(self, stop: asyncio.Event) -> None:
        """Follow change notifications (PostgreSQL) until ``stop`` is set."""
        await listen_for_changes(
            self.settings.database.url,
            self.nudge,
            stop,
            self._set_listening,
            self.settings.retry,
        )

    async def refresh(self) -> bool:
        """Build and swap until the generation is at the head; raises what a
        build raised (nothing was swapped for that build). Returns whether
        anything was swapped."""
        swapped = False
        async with self._lock:
            for _ in range(MAX_ROUNDS):
                try:
                    built = await self.builder.build(self.published.generation)
                except BaseException:
                    self.failures += 1
                    raise
                self.failures = 0
                if built is None:
                    break
                self.published.swap(built.generation, built.touched)
                swapped = True
        return swapped

    async def catch_up(self) -> None:
        """After this worker committed a change: build now, so its next read
        sees it. Never raises; a failure is left to the loop's retries."""
        try:
            await self.refresh()
        except Exception:
            log.warning("generation build failed; the follower retries", exc_info=True)
            self.nudge()

    async def run(self, stop: asyncio.Event) -> None:
        """Build when nudged, else every ``poll_interval`` seconds
        (``LISTENING_POLL_FACTOR`` times that while listening), until ``stop``
        is set. A failed build (a lost connection, a bug in one change) is
        retried with jittered backoff, so workers that lost the database
        together do not come back in step, and so a failure is never final."""
        interval = self.settings.delivery.poll_interval
        stopped = asyncio.ensure_future(stop.wait())
        try:
            while not stop.is_set():
                self._wake.clear()
                done = await retry_until_stopped(
                    self._refreshed,
                    stop,
                    self.settings.retry,
                    name="generation build",
                    wake=self._wake,  # the listener is back: so is the database
                )
                if not done:
                    return
                woken = asyncio.ensure_future(self._wake.wait())
                timeout = interval * (LISTENING_POLL_FACTOR if self.listening else 1)
                await asyncio.wait(
                    {stopped, woken}, timeout=timeout, return_when="FIRST_COMPLETED"
                )
                woken.cancel()
        finally:
            stopped.cancel()

    async def _refreshed(self) -> bool:
        await self.refresh()
        return True
