"""The batch render use case: chunks of recipients in, their NDJSON lines out,
in order — on the worker's event loop, or on every core.

Per chunk, whichever way it runs: the sticky-bucket documents of all its
customers are read at once (:meth:`StickyStore.load`), every recipient is
decided and rendered (:meth:`RenderService.many`), the changed documents are
queued with one call, the exposures are recorded, and the batch waits while
the event buffer is full (back-pressure). The bytes are the same either way;
``tests/test_batch_parallel.py`` holds the two against each other.

:meth:`BatchRender.sequential` does it all on the event loop. With
``CONTENT_HUB_BATCH_PROCESSES`` > 0, :meth:`BatchRender.lines` renders the
first chunk so, then forks that many children
(:mod:`content_hub.live.batch_pool`) and pipelines the rest: a producer
task reads chunks, loads their sticky documents and sends each to a child
(:mod:`content_hub.live.batch_chunk`: decide, render, encode), while the
request writes the results in input order, applying each chunk's sticky
documents, exposures, receipts and metrics as it writes it. The worker keeps
the I/O (HTTP both ways, the database); the children the CPU.

Why the output cannot differ from the sequential path: a chunk is decided
against the sticky documents stored before it, plus those of every earlier
chunk of the batch. A chunk whose sticky keys meet those of an earlier chunk
still in flight waits until that one is applied before it loads, so it sees
exactly what the sequential path would. (Keys that meet nothing in flight
cannot be changed by it: a chunk saves only documents of keys it read.) The
children were forked from the worker after the target was looked up, so they
render the same generation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator, AsyncIterator, Iterable
from dataclasses import dataclass, field

from content_hub.domain.render import BatchItemIn
from content_hub.live.batch_chunk import (
    ChunkWork,
    Item,
    Job,
    OnError,
    add_counts,
    decode_done,
    encode_job,
)
from content_hub.live.batch_pool import ChunkPool, Ticket
from content_hub.live.exposures import EventRecorder
from content_hub.live.render import RenderService
from content_hub.live.render_lines import render_lines
from content_hub.live.sticky import (
    StickyStore,
    TrackedStickyBuckets,
    attribute_key,
)
from content_hub.live.target import Target

__all__ = ["BatchRender", "Chunks", "Item", "Output"]

Chunks = AsyncIterator[list[Item]]
Output = AsyncGenerator[tuple[bytes, int], None]
"""A chunk's NDJSON lines, and the index of the first recipient not answered."""
log = logging.getLogger(__name__)
STALL_SECONDS = 30.0
"""A child silent this long, plus 8 template parts' time budget, is killed."""


@dataclass(slots=True)
class _Pending:
    items: list[Item]
    keys: frozenset[str]
    sticky: TrackedStickyBuckets | None
    ticket: Ticket | None
    applied: asyncio.Event = field(default_factory=asyncio.Event)


class BatchRender:
    """One batch request: ``target`` for many recipients."""

    def __init__(
        self,
        service: RenderService,
        target: Target,
        locale: str,
        sticky: StickyStore,
        events: EventRecorder,
        on_error: OnError,
        *,
        processes: int = 0,
        time_budget: float = 0.5,
    ) -> None:
        self.service = service
        self.target = target
        self.locale = locale
        self.sticky = sticky
        self.events = events
        self.on_error = on_error
        self.processes = processes
        self.stall_s = STALL_SECONDS + 8 * time_budget

    async def chunk(self, chunk: list[Item]) -> bytes:
        """One chunk on the event loop: one sticky read, renders, one write."""
        customers = [it.customer for _, it in chunk if isinstance(it, BatchItemIn)]
        pairs = self.service.sticky_pairs(self.target, customers)
        sticky = await self.sticky.load(pairs) if pairs else None
        lines = b"".join([line async for line in self._many(chunk, sticky)])
        if sticky is not None:
            self.sticky.save_changed(sticky)
        await self.events.room()
        return lines

    async def sequential(self, chunks: Chunks) -> Output:
        """Every chunk on the event loop, one after the other."""
        async for chunk in chunks:
            yield await self.chunk(chunk), chunk[-1][0] + 1

    async def lines(self, chunks: Chunks) -> Output:
        """The batch's lines: the first chunk here, the rest on the children."""
        if self.processes < 1:
            async for out in self.sequential(chunks):
                yield out
            return
        first = await anext(chunks, None)
        if first is None:
            return
        yield await self.chunk(first), first[-1][0] + 1
        work = ChunkWork(self.service, self.target, self.locale, self.on_error)
        pool = ChunkPool(work, self.processes, self.stall_s)
        try:
            await pool.start()
        except OSError:  # no fork (out of memory, process limit): go on here
            log.warning("batch processes not started; chunks run here", exc_info=True)
            await pool.close()
            async for out in self.sequential(chunks):
                yield out
            return
        queue: asyncio.Queue[_Pending | Exception | None] = asyncio.Queue(
            2 * self.processes
        )
        in_flight: list[_Pending] = []
        producer: asyncio.Task[None] | None = None
        try:
            producer = asyncio.create_task(
                self._produce(chunks, pool, queue, in_flight)
            )
            while (pending := await queue.get()) is not None:
                if isinstance(pending, Exception):
                    raise pending
                yield await self._apply(pool, pending, in_flight)
        finally:
            if producer is not None:
                producer.cancel()
                await asyncio.wait({producer})
            await pool.close()

    async def _produce(
        self,
        chunks: Chunks,
        pool: ChunkPool,
        queue: asyncio.Queue[_Pending | Exception | None],
        in_flight: list[_Pending],
    ) -> None:
        """Read chunks, load their sticky documents, hand them to the children."""
        try:
            async for chunk in chunks:
                ok = [(i, it) for i, it in chunk if isinstance(it, BatchItemIn)]
                pairs = self.service.sticky_pairs(
                    self.target, [it.customer for _, it in ok]
                )
                keys = frozenset(attribute_key(n, v) for n, v in pairs)
                for earlier in list(in_flight):
                    if earlier.keys & keys:  # it may change what this one reads
                        await earlier.applied.wait()
                sticky = await self.sticky.load(pairs) if pairs else None
                job = Job(ok, None if sticky is None else sticky.docs)
                ticket = await pool.submit(encode_job(job)) if ok else None
                pending = _Pending(chunk, keys, sticky, ticket)
                in_flight.append(pending)
                await queue.put(pending)
        except Exception as exc:  # reported after the lines before it
            await queue.put(exc)
        else:
            await queue.put(None)

    async def _apply(
        self, pool: ChunkPool, pending: _Pending, in_flight: list[_Pending]
    ) -> tuple[bytes, int]:
        """A child's result, in input order: its effects, then its lines."""
        done = (
            decode_done(await pool.result(pending.ticket)) if pending.ticket else None
        )
        errors = [(i, it) for i, it in pending.items if isinstance(it, Exception)]
        error_lines = iter([line async for line in self._many(errors, None)])
        rendered = iter(done.lines if done else ())
        lines = [
            next(error_lines if isinstance(it, Exception) else rendered)
            for _, it in pending.items
        ]
        if done is not None:
            if pending.sticky is not None:
                pending.sticky.changed = done.changed
                self.sticky.save_changed(pending.sticky)
            sink = self.service.sink
            if sink is not None:
                sink.record_exposures(done.exposures)
                for receipt in done.receipts:
                    sink.record_receipt(receipt)
            add_counts(done.counts)
        pending.applied.set()
        in_flight.remove(pending)
        await self.events.room()
        return b"".join(lines), pending.items[-1][0] + 1

    def _many(
        self, items: Iterable[Item], sticky: TrackedStickyBuckets | None
    ) -> AsyncIterator[bytes]:
        return render_lines(
            self.service, self.target, items, self.locale, self.on_error, sticky
        )
