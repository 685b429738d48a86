"""Where a compiled template runs: on the event loop for a slice, else a thread.

A render costs tens of microseconds, far less than a hop to a thread, so the
hot path renders on the event loop. But a template can be slow (an expensive
filter over a large value, a loop over a big list a caller sent) and a worker
must keep answering its other requests meanwhile. So every render on the loop
gets a *slice* (``CONTENT_HUB_RENDER_SLICE``, 20 ms by default): a render that
outlives it is interrupted (``renderers.RenderSliceExpired``) and run again on
one of a few render threads, where only its time budget
(``CONTENT_HUB_RENDER_TIME_BUDGET`` per template part) stops it. Rendering is
pure, so running it twice is safe; the event loop lost at most one slice.

A renderer that was interrupted once starts on a thread from then on, until a
thread render of it finishes well within a slice again.
"""

from __future__ import annotations

import functools
import time
import weakref
from typing import Any

import anyio
import anyio.to_thread

from content_hub.live.render_state import Renderer
from renderers import RenderRequest, RenderSliceExpired

__all__ = ["RenderRunner"]


class RenderRunner:
    """Runs renders for one worker process (shared by all its requests)."""

    def __init__(self, slice_s: float = 0.02, threads: int = 4) -> None:
        self.slice_s = slice_s if slice_s > 0 else None
        self.threads = threads
        self._limiter: anyio.CapacityLimiter | None = None
        self._slow: weakref.WeakSet[Renderer] = weakref.WeakSet()
        self.offloaded = 0
        """Renders that ran on a render thread (for metrics and tests)."""

    async def render(self, renderer: Renderer, request: RenderRequest) -> Any:
        """The renderer's output for ``request``; raises its ``RenderError``."""
        if self.slice_s is not None and renderer not in self._slow:
            try:
                return renderer.render(request, slice_s=self.slice_s)
            except RenderSliceExpired:
                self._slow.add(renderer)
        return await self._on_thread(renderer, request)

    async def _on_thread(self, renderer: Renderer, request: RenderRequest) -> Any:
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(self.threads)
        self.offloaded += 1
        started = time.perf_counter()
        output = await anyio.to_thread.run_sync(
            functools.partial(renderer.render, request), limiter=self._limiter
        )
        if self.slice_s is not None and (
            time.perf_counter() - started < self.slice_s / 4
        ):
            self._slow.discard(renderer)
        return output
