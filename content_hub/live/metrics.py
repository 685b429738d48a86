"""The hub's own Prometheus series (request counts and latency per route:
``content_hub.api.observability``).

Metric objects live in ``prometheus_client``'s default registry, once per
process; the helpers below are what the render path and the event recorder
call. What every render counts is lock-free (:mod:`content_hub.tally`).
``bind_snapshots`` points the snapshot gauges at the running hub's snapshots
(read at scrape time, so they cost nothing per request).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from content_hub.tally import TallyCounter, TallyGauge

# Counted on every render: lock-free (content_hub.tally).
RENDERS = TallyCounter(
    "content_hub_renders_total",
    "Renders by channel and outcome (ok, or the error type slug).",
    ["channel", "outcome"],
)
DECISIONS = TallyCounter(
    "content_hub_decisions_total",
    "Variant decisions by the kind of rule that decided "
    "(personalise, rollout, experiment, default, forced).",
    ["source"],
)
SNAPSHOT_AGE = Gauge(
    "content_hub_snapshot_age_seconds",
    "Seconds since the published snapshot was last rebuilt.",
    ["snapshot"],
)
SNAPSHOT_BUILD = Gauge(
    "content_hub_snapshot_build_seconds",
    "Duration of the last snapshot build.",
    ["snapshot"],
)
BUFFER_DEPTH = TallyGauge(
    "content_hub_event_buffer_depth",
    "Events waiting in the in-memory buffer to be written.",
    ["kind"],
)
FLUSH_LAG = Histogram(
    "content_hub_event_flush_lag_seconds",
    "Time from the oldest buffered event's arrival to its write.",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
EVENTS_WRITTEN = Counter(
    "content_hub_events_written_total",
    "Events written by the recorder (duplicates included).",
    ["kind"],
)
FLUSH_ERRORS = Counter(
    "content_hub_event_flush_errors_total",
    "Failed event writes (the events stay buffered and are retried).",
)

EVENT_KINDS = ("exposure", "sticky", "receipt")


_children: dict[tuple[str, ...], Any] = {}
"""Labelled children by (metric, labels...): ``labels()`` costs a lock and a
tuple build per call, which shows on the render path."""


def _child(metric: Any, *labels: str) -> Any:
    key = (metric.name, *labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child


def record_render(channel: str, outcome: str = "ok") -> None:
    """Count one render (``outcome``: ``ok`` or the problem type slug)."""
    _child(RENDERS, channel, outcome).inc()


def record_decision(source: str) -> None:
    """Count one decision by its rule source (``Decision``'s rule type)."""
    _child(DECISIONS, source).inc()


def set_buffer_depth(kind: str, depth: int) -> None:
    _child(BUFFER_DEPTH, kind).set(depth)


def observe_flush(lag: float, written: dict[str, int]) -> None:
    FLUSH_LAG.observe(lag)
    for kind, count in written.items():
        if count:
            EVENTS_WRITTEN.labels(kind).inc(count)


def bind_snapshot(
    name: str, built_at: Callable[[], float], build_seconds: Callable[[], float]
) -> None:
    """Report a snapshot's age and last build time (``delivery``, ``render``)."""

    def age() -> float:
        at = built_at()
        return time.time() - at if at > 0 else 0.0

    SNAPSHOT_AGE.labels(name).set_function(age)
    SNAPSHOT_BUILD.labels(name).set_function(build_seconds)


RULE_SOURCES = ("personalise", "rollout", "experiment", "default", "forced")
CHANNELS = ("web", "email", "app", "sms")

# Every series exists (at zero) from the start, so dashboards and alerts
# can rely on them before the first render.
for _kind in EVENT_KINDS:
    BUFFER_DEPTH.labels(_kind).set(0)
    EVENTS_WRITTEN.labels(_kind)
for _source in RULE_SOURCES:
    DECISIONS.labels(_source)
for _channel in CHANNELS:
    RENDERS.labels(_channel, "ok")
