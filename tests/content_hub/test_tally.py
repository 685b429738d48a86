"""The lock-free metrics of the request path expose what ``prometheus_client``'s
own metrics expose for the same counts (without ``_created`` series)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

from content_hub.tally import TallyCounter, TallyGauge, TallyHistogram

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.25, 1, 10)
labels = st.tuples(st.sampled_from(["GET", "POST"]), st.sampled_from(["/a", "/b/{k}"]))
amounts = st.floats(0, 1e6, allow_nan=False)
# On a bound, just beside one, far above all, zero and tiny values.
observed = st.sampled_from([0.0, 1e-9, *BUCKETS, 0.0050001, 0.00999, 50.0]) | st.floats(
    0, 100, allow_nan=False
)


def _exposed(registry: CollectorRegistry) -> list[str]:
    return sorted(
        line
        for line in generate_latest(registry).decode().splitlines()
        if "_created" not in line
    )


@settings(max_examples=150, deadline=None)
@given(
    counts=st.lists(st.tuples(labels, amounts), max_size=20),
    observations=st.lists(st.tuples(labels, observed), max_size=40),
    gauges=st.lists(st.tuples(st.sampled_from(["x", "y"]), amounts), max_size=6),
)
def test_the_exposition_is_prometheus_clients(
    counts: list[tuple[tuple[str, str], float]],
    observations: list[tuple[tuple[str, str], float]],
    gauges: list[tuple[str, float]],
) -> None:
    ours, theirs = CollectorRegistry(), CollectorRegistry()
    names = ("method", "path")
    counter = TallyCounter("t_requests_total", "Requests.", names, registry=ours)
    reference = Counter("t_requests_total", "Requests.", names, registry=theirs)
    plain = TallyCounter("t_plain", "No labels.", registry=ours)
    plain_reference = Counter("t_plain", "No labels.", registry=theirs)
    histogram = TallyHistogram(
        "t_seconds", "Latency.", names, buckets=BUCKETS, registry=ours
    )
    histogram_reference = Histogram(
        "t_seconds", "Latency.", names, buckets=BUCKETS, registry=theirs
    )
    gauge = TallyGauge("t_depth", "Depth.", ["kind"], registry=ours)
    gauge_reference = Gauge("t_depth", "Depth.", ["kind"], registry=theirs)
    for key, amount in counts:
        counter.labels(*key).inc(amount)
        reference.labels(*key).inc(amount)
        plain.inc(amount)
        plain_reference.inc(amount)
    for key, value in observations:
        histogram.labels(method=key[0], path=key[1]).observe(value)
        histogram_reference.labels(method=key[0], path=key[1]).observe(value)
    for kind, value in gauges:
        gauge.labels(kind).set(value)
        gauge_reference.labels(kind).set(value)
    assert _exposed(ours) == _exposed(theirs)


def test_labels_must_match_the_names() -> None:
    counter = TallyCounter("t_x_total", "X.", ["a", "b"], registry=CollectorRegistry())
    for wrong in [(), ("1",), ("1", "2", "3")]:
        with pytest.raises(ValueError, match="takes labels"):
            counter.labels(*wrong)
    with pytest.raises(ValueError, match="takes labels"):
        counter.labels(a="1", c="2")
    assert counter.labels(a="1", b="2") is counter.labels("1", "2")
