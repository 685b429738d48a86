"""Size: 1,000 / 10,000 / 100,000 entries x 5 locales x 3 variants.

    python -m bench.bench_size [--sizes 1000,10000,100000] [--data DIR]
                               [--database-url URL] [--seconds 5]

For each size, a hub with N published entries (localised title, summary and
rich-text body, a media and an entry reference, two variants with per-locale
overrides, a personalise rule and a namespaced experiment; see
``bench/_size_data.py``) and then:

- in a fresh process: time to load the published generation (delivery
  snapshot, then render snapshot) and resident memory after it; then a
  warm-up that fills every bounded cache (up to 40,000 entries delivered in
  every locale with ``include=1``, their rule sets compiled, every (entry,
  variant, locale) resolved) and the resident memory after that;
- two real ``content-hub serve`` processes (one worker each): start-up time,
  worker memory after wrk runs of deliveries and personalised renders over
  sampled entries, and the time from a publish on one until the entry is
  served by delivery and render on the other.

The curve is printed at the end. SQLite in ``--data`` (one directory per
size, reused) by default; ``--database-url`` (PostgreSQL) empties that
database for each size.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._harness import LOCALES, ROOT, hub_settings, rss_mb
from bench._size_data import prepare
from bench._size_http import http_part
from content_hub.hub import Hub

WARM_ENTRIES = 40_000
"""Entries the warm-up goes through: enough to fill every bounded cache
(200,000 deliveries, 600,000 resolutions, 40,000 rule sets)."""


async def _measure_in_process(data: Path) -> dict[str, float]:
    settings = hub_settings(data)
    base = rss_mb()
    hub = Hub.build(settings)
    started, cpu = time.perf_counter(), time.process_time()
    await hub.follower.refresh()  # one generation: delivery and render state
    load = time.perf_counter() - started
    out = {
        "load_s": load,
        "load_cpu_s": time.process_time() - cpu,
        "build_s": hub.published.generation.build_seconds,
    }
    gc.collect()
    out["rss_load_mb"] = rss_mb()
    out["base_mb"] = base
    started, cpu = time.perf_counter(), time.process_time()
    snapshot = hub.snapshot
    state = hub.render.state
    delivery = snapshot.state
    locales = delivery.locales
    resolved = 0
    for entry in itertools.islice(delivery.entries.values(), WARM_ENTRIES):
        info = delivery.types[entry.type]
        state.ruleset(entry)
        variants = state.personalization.get(entry.id, {}).get("variants", {})
        for code in LOCALES:
            snapshot.encoded(entry.id, code, include=1)
            for variant in ("default", *variants):
                state.fields(entry, variant, code, info, locales)
                resolved += 1
    out["warm_s"] = time.perf_counter() - started
    out["warm_cpu_s"] = time.process_time() - cpu
    out["resolved"] = resolved
    gc.collect()
    out["rss_warm_mb"] = rss_mb()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    await hub.engine.dispose()
    await hub.read_engine.dispose()
    return out


def in_process(data: Path) -> dict[str, float]:
    """Run the in-process measurement in a fresh interpreter (clean RSS)."""
    proc = subprocess.run(
        [sys.executable, "-m", "bench.bench_size", "--child", str(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _reset_database(url: str) -> None:
    """Empty a PostgreSQL database (the bench's own) for the next size."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--data", type=Path, help="keep the generated hubs here")
    parser.add_argument("--database-url", help="PostgreSQL (emptied for each size)")
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--no-http", action="store_true", help="skip the servers")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(asyncio.run(_measure_in_process(args.child))))
        return
    root = args.data or Path(tempfile.mkdtemp(prefix="hub-size-"))
    if args.database_url:
        os.environ["CONTENT_HUB_DATABASE_URL"] = args.database_url
    rows: list[tuple[int, dict[str, Any]]] = []
    for count in (int(s) for s in args.sizes.split(",")):
        data = root / str(count)
        if args.database_url:
            (data / "size.json").unlink(missing_ok=True)
            _reset_database(args.database_url)
        settings, secrets = prepare(count, data)
        result: dict[str, Any] = in_process(data)
        print(f"{count}: in process {json.dumps(result)}", flush=True)
        if not args.no_http:
            result |= http_part(data, secrets, count, args.seconds)
            print(f"{count}: with servers {json.dumps(result)}", flush=True)
        rows.append((count, result))
        del settings
    print_curve(rows)


def print_curve(rows: list[tuple[int, dict[str, Any]]]) -> None:
    """The table: one row per size."""
    head = (
        f"{'entries':>8}{'load s':>8}{'cpu s':>7}{'build s':>8}{'RSS MB':>8}"
        f"{'warm MB':>9}{'MB/1k':>7}{'serve s':>9}{'worker MB':>11}"
        f"{'publish ms':>11}{'->deliv ms':>11}{'->render ms':>12}"
    )
    print(head)
    for count, r in rows:
        per_k = (r["rss_warm_mb"] - r["base_mb"]) / (count / 1000)
        print(
            f"{count:>8}{r['load_s']:>8.2f}{r['load_cpu_s']:>7.2f}"
            f"{r['build_s']:>8.2f}"
            f"{r['rss_load_mb']:>8.0f}{r['rss_warm_mb']:>9.0f}{per_k:>7.1f}"
            f"{r.get('serve_s', float('nan')):>9.1f}"
            f"{r.get('worker_mb', float('nan')):>11.0f}"
            f"{r.get('publish_ms', float('nan')):>11.0f}"
            f"{r.get('lag_delivery_ms', float('nan')):>11.0f}"
            f"{r.get('lag_render_ms', float('nan')):>12.0f}"
        )
    print(
        "load = the first generation (delivery and render state) from the "
        "database (wall, and CPU of all the process's threads; build s: the "
        "builder's own time); RSS after load; warm = "
        "after every cache filled; MB/1k = (warm - interpreter) per 1,000 entries; "
        "serve s = start-up of a serve worker; worker MB after wrk deliveries and "
        "renders; publish ms = the publish request on one server, -> deliv / "
        "render ms = from sending it until the other serves the entry (median of 5)."
        " Targets at 100,000: < 1 GB per worker, < 30 s to load."
    )


if __name__ == "__main__":
    main()
