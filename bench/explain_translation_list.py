"""EXPLAIN the SQL of the translation list on PostgreSQL.

    .venv/bin/python bench/explain_translation_list.py \
        --database-url postgresql+psycopg://.../DB [--entries 3000] [--reuse]

Empties that database (schema ``public`` dropped), loads ``--entries``
entries through the services the way ``bench_studio_entry_list`` does (3
types, 5 locales, titles in random locale subsets, so translations are
recorded as saves write them), then calls ``TranslationService.page`` for
``/manage/v1/translations?locale=de&state=missing&type=offer`` and for the
same without ``type``, records every statement it sends and prints
``EXPLAIN (ANALYZE, BUFFERS)`` of each with its parameters. ``--reuse`` skips
the load (the database from a previous run). No assertions.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.bench_studio_entry_list import empty_postgres, load  # noqa: E402
from content_hub.domain.keys import SYSTEM  # noqa: E402
from content_hub.domain.translations import TranslationStatus  # noqa: E402
from content_hub.services.base import Deps  # noqa: E402
from content_hub.services.translations import TranslationService  # noqa: E402
from content_hub.settings import Settings  # noqa: E402
from content_hub.store.db import (  # noqa: E402
    create_engine,
    create_session_factory,
    migrate,
    sync_url,
)


async def statements(settings: Settings, type_key: str | None) -> list[tuple[str, Any]]:
    """Every statement one page of the list sends, with its parameters."""
    engine = create_engine(settings.database.url)
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cur: Any, sql: str, params: Any, *_: Any) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            seen.append((sql, params))

    sa.event.listen(engine.sync_engine, "before_cursor_execute", record)
    started = time.perf_counter()
    async with create_session_factory(engine)() as session:
        page = await TranslationService(Deps(session, SYSTEM, settings)).page(
            locale="de",
            state=TranslationStatus.MISSING,
            type_key=type_key,
            cursor=None,
            limit=50,
        )
    took = (time.perf_counter() - started) * 1000
    print(
        f"type={type_key}: {len(page.items)} items, {len(seen)} statements, "
        f"{took:.0f} ms"
    )
    await engine.dispose()
    return seen


def explain(url: str, found: list[tuple[str, Any]]) -> None:
    engine = sa.create_engine(sync_url(url))
    shown: set[str] = set()
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        for sql, params in found:
            if sql in shown:
                continue
            shown.add(sql)
            cur = raw.cursor()
            try:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                plan = "\n".join(f"    {row[0][:150]}" for row in cur.fetchall())
            finally:
                cur.close()
            print(f"\n{' '.join(sql.split())[:200]}\n{plan}", flush=True)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    settings = Settings.from_env({"CONTENT_HUB_DATABASE_URL": args.database_url})
    if not args.reuse:
        empty_postgres(args.database_url)
        migrate(settings.database.url)
        started = time.perf_counter()
        asyncio.run(load(settings, args.entries))
        print(f"loaded {args.entries} entries in {time.perf_counter() - started:.0f} s")
    migrate(settings.database.url)  # a new migration (an index) applies
    engine = sa.create_engine(sync_url(args.database_url))
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()
    for type_key in ("offer", None):
        explain(args.database_url, asyncio.run(statements(settings, type_key)))


if __name__ == "__main__":
    main()
