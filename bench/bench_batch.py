"""The batch email render: B recipients (default 100,000) in one NDJSON
request, on SQLite and on PostgreSQL, with the chunk processes on and off.

    python -m bench.bench_batch [--batch 100000] [--entries 20] [--data DIR]
                                [--pg postgresql+psycopg://postgres@127.0.0.1/test_batch]
                                [--processes 0,2] [--rounds 1] [--skip-sqlite]

For each database (SQLite in ``DIR/sqlite``; PostgreSQL when ``--pg`` is
given) the hub is prepared once (entries x 5 locales with the variants,
rules and templates of ``bench_render``) and served by ``content-hub serve``
with 2 workers; then one batch is sent per ``CONTENT_HUB_BATCH_PROCESSES``
value (0: every chunk on the worker's event loop, the sequential path) and
the wall time from the first byte sent to the last byte read is printed,
with the ratio to the first value measured in the same sitting. Every run
uses new customer ids, so each one creates new sticky assignments and
exposures, as a real send does.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import httpx
import sqlalchemy as sa

from bench._harness import hub_server, hub_settings, prepared_hub
from bench.bench_render import personalise, recipients
from content_hub.cli import _reindex
from content_hub.store.db import sync_url


def reset(url: str) -> None:
    """An empty schema in a PostgreSQL benchmark database (the bench's own)."""
    if not url.startswith("postgresql"):
        return
    engine = sa.create_engine(sync_url(url))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


def send(url: str, auth: dict[str, str], key: str, body: bytes) -> tuple[float, int]:
    """One batch over HTTP: wall seconds and the number of ok lines."""
    started = time.perf_counter()
    ok = 0
    failed: list[bytes] = []
    with (
        httpx.Client(timeout=900) as client,
        client.stream(
            "POST",
            url + "/render/v1/render/batch",
            params={"type": "article", "key": key, "channel": "email"},
            content=body,
            headers={**auth, "Content-Type": "application/x-ndjson"},
        ) as response,
    ):
        response.raise_for_status()
        tail = b""  # a marker split across two chunks is counted once
        partial = b""  # the last incomplete line, to show failed ones
        for chunk in response.iter_raw(1 << 20):
            window = tail + chunk
            ok += window.count(b'"ok":true') - tail.count(b'"ok":true')
            tail = window[-16:]
            if b'"ok":false' in partial + chunk:
                *lines, partial = (partial + chunk).split(b"\n")
                failed += [line for line in lines if b'"ok":false' in line]
            else:
                partial = (partial + chunk).rsplit(b"\n", 1)[-1]
    for line in failed[:3]:
        error = json.loads(line)
        print(f"  line {error['index']}: {error['error'].get('detail')}")
    return time.perf_counter() - started, ok


def _still_there(data_dir: Path) -> bool:
    """Whether a prepared hub's database still holds its keys (a test run may
    have reset a shared PostgreSQL database since)."""
    if not (data_dir / "personalised.json").exists():
        return True  # not prepared yet: nothing to check
    engine = sa.create_engine(sync_url(hub_settings(data_dir).database.url))
    try:
        with engine.connect() as conn:
            found = conn.execute(
                sa.text("SELECT count(*) FROM api_key WHERE name = 'bench-render'")
            )
            return bool(found.scalar())
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def prepare(data_dir: Path, entries: int) -> tuple[Path, dict[str, str], str]:
    if not _still_there(data_dir):
        shutil.rmtree(data_dir)
        reset(hub_settings(data_dir).database.url)
    data, secrets, keys = prepared_hub(entries, data_dir)
    marker = data / "personalised.json"
    if not marker.exists():
        settings = hub_settings(data)
        asyncio.run(personalise(settings, keys))
        asyncio.run(_reindex(settings))
        marker.write_text(json.dumps({"count": entries}))
    return data, secrets, keys[0][1]


def measure(
    label: str, data_dir: Path, args: argparse.Namespace, processes: list[str]
) -> None:
    data, secrets, key = prepare(data_dir, args.entries)
    auth = {"Authorization": f"Bearer {secrets['render']}"}
    first: float | None = None
    for value in processes:
        os.environ["CONTENT_HUB_BATCH_PROCESSES"] = value
        server = hub_server(data)
        try:
            send(server.url, auth, key, recipients(2_000, f"warm-{time.time_ns()}"))
            for _ in range(args.rounds):
                body = recipients(args.batch, str(time.time_ns()))
                took, ok = send(server.url, auth, key, body)
                first = first or took
                print(
                    f"{label:<11} processes={value:<3} {args.batch} recipients "
                    f"({ok} ok) in {took:6.1f} s = {args.batch / took:7.0f}/s, "
                    f"{first / took:.2f}x the first row"
                )
        finally:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--data", type=Path, default=Path("/tmp/hub-bench-batch"))
    parser.add_argument(
        "--pg", help="a PostgreSQL URL (its own database) to measure too"
    )
    parser.add_argument(
        "--processes",
        default="0,2",
        help="CONTENT_HUB_BATCH_PROCESSES values to compare (0: sequential)",
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    processes = args.processes.split(",")
    os.environ.pop("CONTENT_HUB_DATABASE_URL", None)
    if not args.skip_sqlite:
        measure("SQLite", args.data / "sqlite", args, processes)
    if args.pg:
        os.environ["CONTENT_HUB_DATABASE_URL"] = args.pg
        tag = hashlib.blake2b(args.pg.encode(), digest_size=4).hexdigest()
        measure("PostgreSQL", args.data / f"pg-{tag}", args, processes)


if __name__ == "__main__":
    main()
