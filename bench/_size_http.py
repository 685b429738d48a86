"""The size benchmark's server part: real ``content-hub serve`` processes.

Two servers of one worker each on the same store: how long a worker takes
to start (load the generation), its resident memory after wrk runs of
deliveries and personalised renders over sampled entries, and the time from
a publish through one server until the other serves the entry on delivery
and on render.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from bench._harness import LOCALES, hub_server, worker_rss_mb, wrk
from bench._size_data import entry_fields

SAMPLE = 5_000
"""Entries sampled for the wrk runs (wrk holds them in one Lua table)."""


def _bodies(count: int, rng: random.Random) -> list[bytes]:
    picks = rng.sample(range(count), min(count, SAMPLE))
    return [
        json.dumps(
            {
                "type": "article",
                "key": f"offer-{i}",
                "channel": "web",
                "locale": rng.choice(LOCALES),
                "customer": {
                    "id": f"c-{n}",
                    "attributes": {"lead_score": rng.randint(0, 100)},
                },
            },
            separators=(",", ":"),
        ).encode()
        for n, i in enumerate(picks)
    ]


def http_part(
    data: Path, secrets: dict[str, str], count: int, seconds: int
) -> dict[str, Any]:
    """Start-up, worker memory after load, publish-to-visible, in ms and MB."""
    rng = random.Random(11)
    started = time.perf_counter()
    a = hub_server(data, workers=1, timeout=600)
    out: dict[str, Any] = {"serve_s": time.perf_counter() - started}
    b = hub_server(data, workers=1, timeout=600)
    try:
        out["worker_load_mb"] = max(worker_rss_mb(a.proc.pid))
        deliver = {"Authorization": f"Bearer {secrets['delivery']}"}
        render = {"Authorization": f"Bearer {secrets['render']}"}
        paths = [
            f"/delivery/v1/content-types/article/entries/offer-{i}"
            f"?locale={rng.choice(LOCALES)}"
            for i in rng.sample(range(count), min(count, SAMPLE))
        ]
        d = wrk(a.url + paths[0], paths=paths, headers=deliver, seconds=seconds)
        url = a.url + "/render/v1/render"
        r = wrk(url, headers=render, bodies=_bodies(count, rng), seconds=seconds)
        out |= {
            "deliver_rps": d["rps"],
            "render_rps": r["rps"],
            "non_2xx": d["non_2xx"] + r["non_2xx"],
            "worker_mb": max(worker_rss_mb(a.proc.pid)),
        }
        out |= _publish_lag(a.url, b.url, secrets)
    finally:
        a.stop()
        b.stop()
    return out


def _publish_lag(url_a: str, url_b: str, secrets: dict[str, str]) -> dict[str, float]:
    """Publish through A; ms from sending the publish until B serves the
    entry on delivery and on render (B is polled while A's request runs)."""
    admin = {"Authorization": f"Bearer {secrets['admin']}"}
    delivery = {"Authorization": f"Bearer {secrets['delivery']}"}
    render = {"Authorization": f"Bearer {secrets['render']}"}
    run = time.time_ns()
    lags: dict[str, list[float]] = {"delivery": [], "render": [], "publish": []}
    with (
        httpx.Client(headers=admin, timeout=120) as ca,
        httpx.Client(timeout=60) as cb,
        ThreadPoolExecutor(1) as pool,
    ):
        for i in range(5):
            key = f"lag-{run}-{i}"
            entry = ca.post(
                url_a + "/manage/v1/entries",
                json={
                    "type": "article",
                    "key": key,
                    "fields": entry_fields(i, [], None),
                },
            ).json()
            started = time.perf_counter()
            publishing = pool.submit(_publish, ca, url_a, entry, started)
            seen = _until_served(cb, url_b, entry["id"], key, delivery, render, started)
            lags["publish"].append(publishing.result())
            for side, ms in seen.items():
                lags[side].append(ms)
    return {
        "publish_ms": statistics.median(lags["publish"]),
        "lag_delivery_ms": statistics.median(lags["delivery"]),
        "lag_render_ms": statistics.median(lags["render"]),
    }


def _publish(
    client: httpx.Client, url: str, entry: dict[str, Any], started: float
) -> float:
    client.post(
        f"{url}/manage/v1/entries/{entry['id']}/publish",
        headers={"If-Match": f'"{entry["version"]}"'},
    ).raise_for_status()
    return (time.perf_counter() - started) * 1000


def _until_served(
    client: httpx.Client,
    url: str,
    entry_id: str,
    key: str,
    delivery: dict[str, str],
    render: dict[str, str],
    started: float,
) -> dict[str, float]:
    """ms until delivery and render of ``url`` serve the entry."""
    seen: dict[str, float] = {}
    body = {"type": "article", "key": key, "channel": "web", "locale": "en"}
    while len(seen) < 2:
        now = (time.perf_counter() - started) * 1000
        if now > 120_000:
            raise RuntimeError(f"{key} not visible after 120 s: {seen}")
        if "delivery" not in seen:
            got = client.get(f"{url}/delivery/v1/entries/{entry_id}", headers=delivery)
            if got.status_code == 200:
                seen["delivery"] = (time.perf_counter() - started) * 1000
        if "render" not in seen:
            answer = client.post(f"{url}/render/v1/render", json=body, headers=render)
            if answer.status_code == 200:
                seen["render"] = (time.perf_counter() - started) * 1000
            elif answer.status_code != 404:
                raise RuntimeError(answer.text)
        time.sleep(0.002)
    return seen
