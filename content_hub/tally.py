"""Prometheus counters, gauges and histograms for the request path, counted
without locks and exported at scrape time.

``prometheus_client``'s metrics take a mutex for every ``inc``, ``set`` and
``observe`` and check their arguments each time: about 3 % of a worker that
answers 15,000 renders a second. The request path counts on the event loop's
thread only, so these keep plain Python numbers per label set (an attribute
add) and hand them to the registry as metric families when ``/metrics`` is
read. The exposition is the same as ``prometheus_client``'s (names, ``_total``,
cumulative ``_bucket`` series with ``+Inf``, ``_sum``, ``_count``), without
the ``_created`` series.

Count from one thread (the event loop's) only: increments from several threads
at once may be lost. Everything else keeps ``prometheus_client``'s metrics.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

from prometheus_client import REGISTRY, CollectorRegistry
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.utils import floatToGoString

__all__ = ["TallyCounter", "TallyGauge", "TallyHistogram"]


class _Value:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0.0

    def inc(self, amount: float = 1.0) -> None:
        self.value += amount

    def set(self, value: float) -> None:
        self.value = value


class _Observed:
    __slots__ = ("bounds", "counts", "sum")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)  # the last one: above every bound
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value


Child = TypeVar("Child", _Value, _Observed)


class _Family(Generic[Child]):
    """Children by label values, registered as one collector."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str] = (),
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.name = name
        self.documentation = documentation
        self.labelnames = tuple(labelnames)
        self._children: dict[tuple[str, ...], Child] = {}
        if not self.labelnames:
            self._children[()] = self._new()
        (registry or REGISTRY).register(self)

    def _new(self) -> Child:
        raise NotImplementedError

    def labels(self, *values: str, **named: str) -> Child:
        """The child of these label values, given in order or by name
        (created at zero, then kept)."""
        if named and not values and set(named) == set(self.labelnames):
            values = tuple(named[n] for n in self.labelnames)
        elif named or len(values) != len(self.labelnames):
            raise ValueError(f"{self.name} takes labels {self.labelnames}")
        key = tuple(str(v) for v in values)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self._new()
        return child

    def describe(self) -> list[Metric]:
        return []  # the registry need not call collect() to learn the names

    def collect(self) -> Iterator[Metric]:
        raise NotImplementedError


class TallyCounter(_Family[_Value]):
    """A counter (exposed as ``<name>_total``)."""

    def _new(self) -> _Value:
        return _Value()

    def inc(self, amount: float = 1.0) -> None:
        """Count on the unlabelled counter."""
        self._children[()].inc(amount)

    def collect(self) -> Iterator[Metric]:
        family = CounterMetricFamily(
            self.name.removesuffix("_total"), self.documentation, labels=self.labelnames
        )
        for values, child in list(self._children.items()):
            family.add_metric(list(values), child.value)
        yield family


class TallyGauge(_Family[_Value]):
    """A gauge."""

    def _new(self) -> _Value:
        return _Value()

    def collect(self) -> Iterator[Metric]:
        family = GaugeMetricFamily(
            self.name, self.documentation, labels=self.labelnames
        )
        for values, child in list(self._children.items()):
            family.add_metric(list(values), child.value)
        yield family


class TallyHistogram(_Family[_Observed]):
    """A histogram with fixed bucket bounds (``le``, cumulative, ``+Inf``)."""

    def __init__(
        self,
        name: str,
        documentation: str,
        labelnames: Sequence[str] = (),
        *,
        buckets: Sequence[float],
        registry: CollectorRegistry | None = None,
    ) -> None:
        self.bounds = tuple(sorted(float(b) for b in buckets))
        super().__init__(name, documentation, labelnames, registry)

    def _new(self) -> _Observed:
        return _Observed(self.bounds)

    def observe(self, value: float) -> None:
        """Observe on the unlabelled histogram."""
        self._children[()].observe(value)

    def collect(self) -> Iterator[Metric]:
        family = HistogramMetricFamily(
            self.name, self.documentation, labels=self.labelnames
        )
        edges = [*map(floatToGoString, self.bounds), "+Inf"]
        for values, child in list(self._children.items()):
            running = 0
            buckets: list[tuple[str, float]] = []
            for edge, count in zip(edges, list(child.counts), strict=True):
                running += count
                buckets.append((edge, running))
            family.add_metric(list(values), buckets, child.sum)
        yield family
