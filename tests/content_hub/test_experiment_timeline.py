"""GET /manage/v1/experiments/{key}/timeline: day and hour buckets of units
and conversions, checked against hand-computed values and, for random event
sets, against a pure-Python recount (SQLite and PostgreSQL)."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from tests.content_hub.conftest import Keys

T0 = datetime(2026, 3, 1, tzinfo=UTC)
_keys = itertools.count()


def send(client: TestClient[Any], keys: Keys, body: dict[str, Any]) -> None:
    for start in range(0, max(len(body["exposures"]), len(body["conversions"])), 900):
        chunk = {k: v[start : start + 900] for k, v in body.items()}
        r = client.post("/render/v1/events", json=chunk, headers=keys.headers("render"))
        assert r.status_code == 202, r.text


def timeline(
    client: TestClient[Any], keys: Keys, key: str, **params: Any
) -> dict[str, Any]:
    r = client.get(
        f"/manage/v1/experiments/{key}/timeline",
        params=params,
        headers=keys.headers("manage"),
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def exposure(
    key: str, n: int, unit: str, variation: int, at: datetime
) -> dict[str, Any]:
    return {
        "event_id": f"{key}-x{n:05d}",
        "experiment_key": key,
        "variation_id": variation,
        "hash_value": unit,
        "at": at.isoformat(),
    }


def conversion(
    key: str,
    n: int,
    unit: str,
    at: datetime,
    goal: str = "buy",
    value: float | None = None,
) -> dict[str, Any]:
    body = {
        "event_id": f"{key}-c{n:05d}",
        "goal": goal,
        "hash_value": unit,
        "at": at.isoformat(),
    }
    if value is not None:
        body["value"] = value
    return body


def test_day_buckets_hand_computed(client: TestClient[Any], keys: Keys) -> None:
    day = timedelta(days=1)
    exposures = [
        exposure("t", i, f"a{i}", 0, T0 + timedelta(hours=i)) for i in range(3)
    ]
    exposures += [
        exposure("t", 10 + i, f"b{i}", 1, T0 + day * 2 + timedelta(hours=i))
        for i in range(2)
    ]
    exposures.append(
        exposure("t", 20, "a0", 1, T0 + day * 2)
    )  # later: still variation 0
    conversions = [
        conversion("t", 0, "a0", T0 + day),
        conversion("t", 1, "a0", T0 + day * 2),  # a0 again: one unit, two events
        conversion("t", 2, "b0", T0 + day * 2 + timedelta(hours=5)),
        conversion("t", 3, "b1", T0),  # before b1's exposure: not counted
    ]
    send(client, keys, {"exposures": exposures, "conversions": conversions})
    body = timeline(client, keys, "t")
    assert body["bucket"] == "day"
    days = ["2026-03-01T00:00:00Z", "2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"]
    assert body["buckets"] == days
    a, b = body["exposures"]
    assert [(p["units"], p["cumulative_units"]) for p in a["points"]] == [
        (3, 3),
        (0, 3),
        (0, 3),
    ]
    assert [(p["units"], p["cumulative_units"]) for p in b["points"]] == [
        (0, 0),
        (0, 0),
        (2, 2),
    ]
    [goal] = body["goals"]
    assert goal["goal"] == "buy" and goal["metric"] == "conversion"
    ga, gb = goal["series"]
    assert [(p["converted"], p["conversions"]) for p in ga["points"]] == [
        (0, 0),
        (1, 1),
        (0, 1),
    ]
    assert [p["cumulative_converted"] for p in ga["points"]] == [0, 1, 1]
    assert [p["mean"] for p in ga["points"]] == [0.0, 1 / 3, 1 / 3]
    assert [p["mean"] for p in gb["points"]] == [None, None, 0.5]
    results = client.get(
        "/manage/v1/experiments/t/results", headers=keys.headers("manage")
    ).json()
    for series, row in zip(body["exposures"], results["variations"], strict=True):
        assert series["points"][-1]["cumulative_units"] == row["units"]
    hours = timeline(client, keys, "t", bucket="hour")
    assert hours["buckets"][:3] == [
        "2026-03-01T00:00:00Z",
        "2026-03-01T01:00:00Z",
        "2026-03-01T02:00:00Z",
    ]
    assert (
        len(hours["buckets"]) == 3 + 1 + 2 + 1
    )  # 3 a's, a0's day 2 buy, b0 b1, b0's buy


@pytest.mark.parametrize("bucket", ["week", "", "DAY", "hour\x00"])
def test_a_bad_bucket_is_a_400(
    client: TestClient[Any], keys: Keys, bucket: str
) -> None:
    send(client, keys, {"exposures": [exposure("t", 0, "u", 0, T0)], "conversions": []})
    r = client.get(
        "/manage/v1/experiments/t/timeline",
        params={"bucket": bucket},
        headers=keys.headers("manage"),
    )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


def test_an_unknown_experiment_is_a_404(client: TestClient[Any], keys: Keys) -> None:
    r = client.get(
        "/manage/v1/experiments/nope/timeline", headers=keys.headers("manage")
    )
    assert r.status_code == 404


def recount(
    exposures: list[dict[str, Any]], conversions: list[dict[str, Any]], fmt: str
) -> dict[str, Any]:
    """The timeline by hand: first exposure per unit (by time, then event id),
    conversions at or after it, a unit's first conversion for ``converted``."""
    first: dict[str, tuple[datetime, str, int]] = {}
    for e in exposures:
        at = datetime.fromisoformat(e["at"])
        mine = (at, e["event_id"], e["variation_id"])
        if e["hash_value"] not in first or mine < first[e["hash_value"]]:
            first[e["hash_value"]] = mine
    units: dict[tuple[str, int], int] = defaultdict(int)
    for at, _, v in first.values():
        units[at.strftime(fmt), v] += 1
    conv: dict[tuple[str, int], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    by_unit: dict[str, list[tuple[datetime, str, float]]] = defaultdict(list)
    for c in conversions:
        at = datetime.fromisoformat(c["at"])
        if c["hash_value"] in first and at >= first[c["hash_value"]][0]:
            by_unit[c["hash_value"]].append((at, c["event_id"], c.get("value") or 0.0))
    for unit, events in by_unit.items():
        v = first[unit][2]
        for n, (at, _, value) in enumerate(sorted(events)):
            cell = conv[at.strftime(fmt), v]
            cell[0] += n == 0
            cell[1] += 1
            cell[2] += value
    return {"units": units, "conversions": conv}


event_times = st.integers(min_value=0, max_value=4 * 24 * 3600).map(
    lambda s: T0 + timedelta(seconds=s)
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    exposed=st.lists(
        st.tuples(st.integers(0, 11), st.integers(0, 2), event_times),
        min_size=1,
        max_size=40,
    ),
    converted=st.lists(
        st.tuples(st.integers(0, 13), event_times, st.sampled_from([None, 1.5, 4.0])),
        max_size=30,
    ),
    bucket=st.sampled_from(["day", "hour"]),
)
def test_random_event_sets_match_a_recount(
    client: TestClient[Any],
    keys: Keys,
    exposed: list[tuple[int, int, datetime]],
    converted: list[tuple[int, datetime, float | None]],
    bucket: str,
) -> None:
    key = f"r{next(_keys)}"
    exposures = [
        exposure(key, n, f"{key}u{u}", v, at) for n, (u, v, at) in enumerate(exposed)
    ]
    conversions = [
        conversion(key, n, f"{key}u{u}", at, value=value)
        for n, (u, at, value) in enumerate(converted)
    ]
    send(client, keys, {"exposures": exposures, "conversions": conversions})
    fmt = "%Y-%m-%d" if bucket == "day" else "%Y-%m-%d %H"
    expected = recount(exposures, conversions, fmt)
    body = timeline(client, keys, key, bucket=bucket)
    stamps = [datetime.fromisoformat(b).strftime(fmt) for b in body["buckets"]]
    assert stamps == sorted(
        {k for k, _ in expected["units"]} | {k for k, _ in expected["conversions"]}
    )
    for series in body["exposures"]:
        total = 0
        for stamp, point in zip(stamps, series["points"], strict=True):
            here = expected["units"].get((stamp, series["variation_id"]), 0)
            total += here
            assert (point["units"], point["cumulative_units"]) == (here, total)
    for goal in body["goals"]:
        for series in goal["series"]:
            got = [
                (p["converted"], p["conversions"], p["value"]) for p in series["points"]
            ]
            want = [
                tuple(
                    expected["conversions"].get(
                        (s, series["variation_id"]), [0, 0, 0.0]
                    )
                )
                for s in stamps
            ]
            assert got == want  # values are sums of 1.5 and 4.0: exact
    if not expected["conversions"]:
        assert body["goals"] == []
