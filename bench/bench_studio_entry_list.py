"""Studio entry-list benchmark: the list page over 10,000 entries.

    .venv/bin/python bench/bench_studio_entry_list.py [--entries 10000] [--runs 30]
        [--database-url postgresql+psycopg://...]

Creates the entries through the service layer (5 locales, 3 content types,
titles in a random subset of the locales, a third published, a tenth
archived, batches of 1,000 per transaction), builds the search index, signs
an editor in through ``POST /studio/sign-in`` and then times ``GET
/studio/entries`` in the Litestar test client (in-process: the time is the
server's plus the client's small overhead) for the default page, a
full-text search, a type filter, a status filter, the translation filter,
sorting by title and a late page. Prints median and p95 per case; the target
is < 100 ms per page. SQLite in a temporary directory by default; with
``--database-url`` that PostgreSQL database is emptied (schema ``public``
dropped) and used. No assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import msgspec  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from litestar.testing import TestClient  # noqa: E402

from content_hub.app import create_app  # noqa: E402
from content_hub.cli import _create_user, _reindex  # noqa: E402
from content_hub.domain.inputs import (  # noqa: E402
    ContentTypeCreate,
    EntryCreate,
    LocaleCreate,
)
from content_hub.domain.keys import SYSTEM  # noqa: E402
from content_hub.services.base import Deps  # noqa: E402
from content_hub.services.content_types import ContentTypeService  # noqa: E402
from content_hub.services.entries import EntryService  # noqa: E402
from content_hub.services.locales import LocaleService  # noqa: E402
from content_hub.services.revisions import RevisionService  # noqa: E402
from content_hub.settings import Settings  # noqa: E402
from content_hub.store.db import (  # noqa: E402
    commit,
    create_engine,
    create_session_factory,
    migrate,
)

LOCALES = ["en", "de", "fr", "nb", "ar"]
TYPES = ["article", "offer", "tip"]
WORDS = ["spring", "city", "bike", "summer", "river", "garden", "coffee", "night"]
RARE = "lantern"  # in about 2% of the titles: the full-text case
PASSWORD = "bench password 1234"
BATCH = 1000


def type_body(key: str) -> ContentTypeCreate:
    return msgspec.convert(
        {
            "key": key,
            "name": key.title(),
            "channels": ["web"],
            "fields": [
                {"key": "title", "type": "text", "localized": True, "required": True},
                {"key": "summary", "type": "text", "localized": True},
                {"key": "price", "type": "number"},
            ],
        },
        ContentTypeCreate,
    )


def fields_of(i: int, rng: random.Random) -> dict[str, Any]:
    words = rng.sample(WORDS, 3) + ([RARE] if rng.random() < 0.02 else [])
    codes = ["en", *rng.sample(LOCALES[1:], rng.randint(0, 4))]
    title = {c: f"{' '.join(words)} {c} {i}" for c in codes}
    summary = {c: f"Summary {i} in {c}" for c in codes if rng.random() < 0.7}
    return {"title": title, "summary": summary, "price": i % 100}


async def load(settings: Settings, count: int) -> None:
    engine = create_engine(settings.database.url)
    sessions = create_session_factory(engine)
    rng = random.Random(7)
    async with sessions() as session:
        deps = Deps(session, SYSTEM, settings)
        await LocaleService(deps).ensure_default()
        for code in LOCALES[1:]:
            await LocaleService(deps).create(LocaleCreate(code=code))
        for key in TYPES:
            await ContentTypeService(deps).create(type_body(key))
        await commit(session)
    for start in range(0, count, BATCH):
        async with sessions() as session:
            deps = Deps(session, SYSTEM, settings)
            service, revisions = EntryService(deps), RevisionService(deps)
            for i in range(start, min(count, start + BATCH)):
                entry = await service.create(
                    EntryCreate(
                        type=TYPES[i % 3], key=f"entry-{i}", fields=fields_of(i, rng)
                    )
                )
                if i % 3 == 0:
                    await service.publish(entry.id, entry.version)
                elif i % 10 == 1:
                    await revisions.archive(entry.id, entry.version)
            await commit(session)
    await engine.dispose()
    await _create_user(settings, "bench@example.com", "editor", [], PASSWORD)


def empty_postgres(url: str) -> None:
    engine = sa.create_engine(url.replace("+asyncpg", "+psycopg"))
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


CASES = [
    ("default page", "/studio/entries"),
    ("full-text search", f"/studio/entries?q={RARE}"),
    ("type filter", "/studio/entries?type=offer"),
    ("status filter", "/studio/entries?status=published"),
    ("missing in de", "/studio/entries?translation=missing:de"),
    ("complete in de + type", "/studio/entries?translation=complete:de&type=tip"),
    ("sort by title", "/studio/entries?sort=title"),
    ("late page (300)", "/studio/entries?page=300"),
    ("late page by title", "/studio/entries?sort=title&page=300"),
]


def measure(client: TestClient[Any], path: str, runs: int) -> tuple[float, float]:
    client.get(path)  # warm: templates, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if r.status_code != 200:
            raise SystemExit(f"{path}: {r.status_code}")
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="keep the loaded hub here and reuse it on the next run "
        "(with the same --entries and --database-url)",
    )
    args = parser.parse_args()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="studio-bench-"))
    data.mkdir(parents=True, exist_ok=True)
    marker = data / "studio-bench.json"
    wanted = json.dumps([args.entries, args.database_url])
    env = {"CONTENT_HUB_DATA_DIR": str(data)}
    if args.database_url:
        env["CONTENT_HUB_DATABASE_URL"] = args.database_url
    settings = Settings.from_env(env)
    if marker.exists() and marker.read_text() == wanted:
        print(f"reusing the loaded hub in {data}")
        migrate(settings.database.url)  # a new migration (an index) applies
    else:
        if args.database_url:
            empty_postgres(args.database_url)
        migrate(settings.database.url)
        started = time.perf_counter()
        asyncio.run(load(settings, args.entries))
        print(f"loaded {args.entries} entries in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        asyncio.run(_reindex(settings))
        print(f"search index built in {time.perf_counter() - started:.1f} s")
        marker.write_text(wanted)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\nGET /studio/entries on {engine}, {args.runs} runs per case (ms)")
    print(f"{'case':<26}{'median':>8}{'p95':>8}")
    with TestClient(create_app(settings)) as client:
        client.headers["Accept"] = "text/html"
        signed = client.post(
            "/studio/sign-in", json={"email": "bench@example.com", "password": PASSWORD}
        )
        if signed.status_code >= 400:
            raise SystemExit(f"sign-in refused: {signed.text}")
        for name, path in CASES:
            median, p95 = measure(client, path, args.runs)
            flag = "" if p95 < 100 else "  over 100 ms"
            print(f"{name:<26}{median:>8.1f}{p95:>8.1f}{flag}")


if __name__ == "__main__":
    main()
