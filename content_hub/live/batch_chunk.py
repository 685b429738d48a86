"""One chunk of a batch in a forked process: the wire format between the
worker and its children (MessagePack; pickle only for what it cannot carry),
and :class:`ChunkWork`, what a child does with a chunk — decide, render and
encode its recipients with the worker's own :class:`RenderService` code,
collecting the exposures, receipts, changed sticky documents and metric
counts the worker then applies (:mod:`content_hub.live.batch_render`).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, TypeVar

import msgspec

from content_hub.domain.events import Exposure, RenderReceipt
from content_hub.domain.render import BatchItemIn
from content_hub.live import metrics
from content_hub.live.render import RenderService
from content_hub.live.render_lines import render_lines
from content_hub.live.render_runner import RenderRunner
from content_hub.live.sticky import TrackedStickyBuckets
from content_hub.live.target import Target
from renderers import RenderRequest
from variants import StickyAssignmentsDoc

__all__ = [
    "ChunkWork",
    "Done",
    "Item",
    "Job",
    "OnError",
    "add_counts",
    "decode_done",
    "decode_job",
    "encode_job",
]

Item = tuple[int, BatchItemIn | Exception]
OnError = Callable[[Exception], dict[str, Any]]
_T = TypeVar("_T")
_COUNTED = (metrics.RENDERS, metrics.DECISIONS)
Counts = dict[tuple[int, tuple[tuple[str, str], ...]], float]
"""Prometheus counter values by (metric, labels)."""
CountList = list[tuple[int, tuple[tuple[str, str], ...], float]]


class Job(msgspec.Struct, array_like=True):
    """What a child needs for one chunk: its recipients and sticky documents."""

    items: list[tuple[int, BatchItemIn]]
    docs: dict[str, StickyAssignmentsDoc] | None


class Done(msgspec.Struct, array_like=True):
    """A child's chunk: its lines and the effects the worker applies."""

    lines: list[bytes]
    changed: dict[str, dict[str, str]]
    exposures: list[Exposure]
    receipts: list[RenderReceipt]
    counts: CountList


_job_encoder = msgspec.msgpack.Encoder()
_job_decoder = msgspec.msgpack.Decoder(Job)
_done_decoder = msgspec.msgpack.Decoder(Done)
_MSGPACK, _PICKLE = b"m", b"p"


def encode_job(job: Job) -> bytes:
    """MessagePack (fast); pickle when an attribute holds what MessagePack
    cannot (an integer past 64 bits, which JSON allows)."""
    try:
        return _MSGPACK + _job_encoder.encode(job)
    except (OverflowError, msgspec.EncodeError, TypeError):
        return _PICKLE + pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL)


def decode_job(data: bytes) -> Job:
    if data[:1] == _PICKLE:
        job: Job = pickle.loads(data[1:])  # noqa: S301  (our own parent wrote it)
        return job
    return _job_decoder.decode(data[1:])


def decode_done(data: bytes) -> Done:
    return _done_decoder.decode(data)


class ChunkWork:
    """The children's job function (:data:`content_hub.live.batch_pool.Work`)
    for one batch: ``target`` for a chunk of recipients."""

    def __init__(
        self, service: RenderService, target: Target, locale: str, on_error: OnError
    ) -> None:
        self.service = service
        self.target = target
        self.locale = locale
        self.on_error = on_error

    def __call__(self, data: bytes, progress: Callable[[], None]) -> bytes:
        """In a child: decide, render and encode one chunk's recipients."""
        job = decode_job(data)
        sink = _Collect(self.service.sink is not None and self.service.sink.receipts)
        service = RenderService(self.service.published, sink, _InlineRunner())
        sticky = None if job.docs is None else TrackedStickyBuckets.owning(job.docs)
        before = _counts()

        def items() -> Iterator[Item]:
            for item in job.items:
                progress()
                yield item

        async def collect() -> list[bytes]:
            lines = render_lines(
                service, self.target, items(), self.locale, self.on_error, sticky
            )
            return [line async for line in lines]

        lines = _drive(collect())
        changed = {} if sticky is None else sticky.changed
        counts = [(n, labels, v) for (n, labels), v in _delta(before).items()]
        done = Done(lines, changed, sink.exposures, sink.kept, counts)
        return _job_encoder.encode(done)


class _Collect:
    """The exposure sink of a child: keeps what the worker will record."""

    def __init__(self, receipts: bool) -> None:
        self.receipts = receipts
        self.exposures: list[Exposure] = []
        self.kept: list[RenderReceipt] = []

    def record_exposures(self, exposures: list[Exposure]) -> None:
        self.exposures.extend(exposures)

    def record_receipt(self, receipt: RenderReceipt) -> bool:
        self.kept.append(receipt)
        return True


class _InlineRunner(RenderRunner):
    """A child has no other request to keep answering: every render runs
    right here, stopped only by its time budget."""

    async def render(self, renderer: Any, request: RenderRequest) -> Any:
        return renderer.render(request)


def _drive(coro: Coroutine[Any, Any, _T]) -> _T:
    """Run a coroutine that never waits for I/O (only ``asyncio.sleep(0)``
    turns) to its end, without an event loop."""
    try:
        while True:
            if coro.send(None) is not None:
                coro.close()
                raise RuntimeError("the batch render path waited for I/O in a child")
    except StopIteration as stop:
        return stop.value  # type: ignore[no-any-return]


def _counts() -> Counts:
    counts: Counts = {}
    for n, metric in enumerate(_COUNTED):
        for family in metric.collect():
            for sample in family.samples:
                if sample.name.endswith("_total"):
                    counts[(n, tuple(sorted(sample.labels.items())))] = sample.value
    return counts


def _delta(before: Counts) -> Counts:
    return {
        key: value - before.get(key, 0.0)
        for key, value in _counts().items()
        if value != before.get(key, 0.0)
    }


def add_counts(counts: CountList) -> None:
    """Add a child's metric counts to the worker's (the one that is scraped)."""
    for n, labels, value in counts:
        _COUNTED[n].labels(**dict(labels)).inc(value)
