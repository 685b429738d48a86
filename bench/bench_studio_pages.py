"""Studio page benchmark: the server time of every Studio page, demo loaded.

    .venv/bin/python -m bench.bench_studio_pages [--requests 30]
        [--pg postgresql+psycopg://postgres@127.0.0.1:5432/DB]

Loads the demo into a fresh hub (SQLite in a temporary folder, or the given
PostgreSQL database, emptied first), signs an admin in (every screen is theirs) through
``POST /studio/sign-in`` like a browser, then asks for each page
``--requests`` times in process (Litestar's test client: no socket, so the
time is the server's, plus the client's small share) and prints the median
and 95th percentile of the wall time and the median CPU time per page. The
target (issue 15): every page < 50 ms with the demo loaded. The entry list
with 10,000 entries has its own benchmark (``bench_studio_entry_list``).
No assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from litestar.testing import TestClient

from content_hub.app import create_app
from content_hub.cli import _create_user
from content_hub.settings import Settings
from content_hub.store.db import create_engine, migrate
from seed.loader import load_demo

PASSWORD = "bench password for the studio"
TARGET_MS = 50


async def _empty(url: str) -> None:
    import sqlalchemy as sa

    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        await conn.execute(sa.text("CREATE SCHEMA public"))
    await engine.dispose()


def prepare(data: Path, pg: str | None) -> Settings:
    env = {**os.environ, "CONTENT_HUB_DATA_DIR": str(data)}
    if pg:
        env["CONTENT_HUB_DATABASE_URL"] = pg
    settings = Settings.from_env(env)
    if pg:
        asyncio.run(_empty(pg))
    migrate(settings.database.url)
    asyncio.run(load_demo(settings))
    asyncio.run(_create_user(settings, "bench@example.com", "admin", [], PASSWORD))
    return settings


def pages(client: TestClient[Any]) -> list[str]:
    listing = client.get("/studio/entries?type=offer").text
    offer = re.search(r'href="(/studio/entries/\w{20,})"', listing)
    assert offer, "no offer in the entry list"
    entry = offer.group(1)
    return [
        "/studio/sign-in",
        "/studio",
        "/studio/entries",
        "/studio/entries?sort=key&page=2",
        "/studio/entries?q=bike",
        "/studio/entries?type=offer&status=published",
        entry,
        entry + "?source=en&target=ar",
        entry + "/revisions",
        entry + "/revisions/1",
        "/studio/entries/new",
        "/studio/content-types",
        "/studio/content-types/offer",
        "/studio/content-types/offer/edit",
        "/studio/taxonomies",
        "/studio/taxonomies/topic",
        "/studio/media",
        "/studio/locales",
        "/studio/users",
        "/studio/keys",
        "/studio/audit",
        "/studio/account",
    ]


def measure(client: TestClient[Any], path: str, n: int) -> tuple[float, float, float]:
    """Median and p95 wall ms, median CPU ms of ``n`` GETs of ``path``."""
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    wall, cpu = [], []
    for _ in range(n):
        w, c = time.perf_counter(), time.process_time()
        client.get(path)
        wall.append((time.perf_counter() - w) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(0.95 * (n - 1))], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pg", help="a PostgreSQL URL (the database is emptied)")
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request
    with tempfile.TemporaryDirectory(prefix="bench-studio-") as tmp:
        started = time.perf_counter()
        settings = prepare(Path(tmp), args.pg)
        print(f"demo loaded in {time.perf_counter() - started:.1f} s")
        with TestClient(create_app(settings)) as client:
            client.headers["Accept"] = "text/html"
            signed = client.post(
                "/studio/sign-in",
                json={"email": "bench@example.com", "password": PASSWORD},
            )
            assert signed.status_code == 200, signed.text
            time.sleep(2)  # let the search indexer's start-up pass finish
            print(f"{'page':48} {'p50 ms':>8} {'p95 ms':>8} {'cpu ms':>8}")
            worst = 0.0
            for path in pages(client):
                p50, p95, cpu = measure(client, path, args.requests)
                worst = max(worst, p50)
                shown = re.sub(r"/entries/\w{20,}", "/entries/{offer}", path)
                print(f"{shown[:48]:48} {p50:8.1f} {p95:8.1f} {cpu:8.1f}")
            print(f"slowest median {worst:.1f} ms (target < {TARGET_MS} ms per page)")


if __name__ == "__main__":
    main()
