"""Preview matrix benchmark: 3 variants x 6 locales x 4 channels = 72 renders.

    .venv/bin/python bench/bench_preview_matrix.py [--runs 20]
        [--database-url postgresql+psycopg://...]

Loads the demo world (its spring offer has variants; six locales; web,
email, push and SMS templates), starts a hub in process and times the one
service call the Studio's matrix page makes
(:func:`content_hub.services.preview_matrix.entry_matrix`: the draft, its
variants and rules, audiences and templates read from the database, then
every cell rendered) for the rows ``default``, ``premium`` and
``discount`` as the sample customer ``vip_de``. Prints the first (cold:
templates compiled) run and the median and p95 of ``--runs`` warm runs, in
server time; the target is < 1 s. SQLite in a temporary directory by
default; with ``--database-url`` that PostgreSQL database is emptied (schema
``public`` dropped) and used. No assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_studio_entry_list import empty_postgres  # noqa: E402
from content_hub.domain.keys import SYSTEM  # noqa: E402
from content_hub.hub import Hub  # noqa: E402
from content_hub.services.base import Deps  # noqa: E402
from content_hub.services.preview_matrix import entry_matrix  # noqa: E402
from content_hub.services.preview_render import PreviewRender  # noqa: E402
from content_hub.settings import Settings  # noqa: E402
from content_hub.store.db import migrate  # noqa: E402
from seed.loader import load_demo  # noqa: E402

VARIANTS = ["default", "premium", "discount"]
LOCALES = ["en", "de", "de-CH", "nb", "zh-Hans", "ar"]
CHANNELS = ["web", "email", "push", "sms"]


async def run(settings: Settings, runs: int) -> tuple[float, list[float], int, int]:
    await load_demo(settings)
    hub = Hub.build(settings)
    await hub.start()
    try:
        times: list[float] = []
        cells = failed = 0
        for _ in range(runs + 1):
            async with hub.sessions() as session:
                preview = PreviewRender(
                    Deps(session, SYSTEM, settings), hub.renders.service
                )
                started = time.perf_counter()
                entry = await preview.entry(None, "offer", "spring-city-one")
                who = await preview.who(None, "vip_de", None, None)
                result = await entry_matrix(
                    preview, entry.id, LOCALES, CHANNELS, who, variants=VARIANTS
                )
                times.append(time.perf_counter() - started)
            cells = len(result.cells)
            problems = {(c.channel, c.problem.title) for c in result.cells if c.problem}
            failed = sum(1 for c in result.cells if c.problem is not None)
        if problems:
            print("could not render:", sorted(problems))
        return times[0], times[1:], cells, failed
    finally:
        await hub.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    data = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    env = {"CONTENT_HUB_DATA_DIR": str(data)}
    if args.database_url:
        env["CONTENT_HUB_DATABASE_URL"] = args.database_url
        empty_postgres(args.database_url)
    settings = Settings.from_env(env)
    migrate(settings.database.url)
    cold, warm, cells, failed = asyncio.run(run(settings, args.runs))
    warm.sort()
    p95 = warm[min(len(warm) - 1, int(len(warm) * 0.95))]
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(
        f"preview matrix on {engine}: {cells} cells ({failed} could not render), "
        f"{len(VARIANTS)} variants x {len(LOCALES)} locales x {len(CHANNELS)} channels"
    )
    print(
        f"cold {cold * 1000:.0f} ms; warm median "
        f"{statistics.median(warm) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"({len(warm)} runs)"
    )


if __name__ == "__main__":
    main()
