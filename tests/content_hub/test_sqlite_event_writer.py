"""The event recorder's SQLite writer (a thread, plain ``sqlite3``) stores
exactly what the session write stores, and a failed write keeps the batch."""

from __future__ import annotations

import asyncio
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.domain.events import Exposure
from content_hub.live.exposures import EventRecorder
from content_hub.settings import EventSettings
from content_hub.store.db import create_engine, create_session_factory
from content_hub.store.repositories.events import EventRepository
from content_hub.store.sqlite_writes import CHUNKS, SqliteEventWriter
from tests.content_hub.event_batch_support import Batch, batches, session_write
from tests.content_hub.test_events import exposure_struct


def _copy(template: Path, folder: str, name: str) -> Path:
    path = Path(folder) / name
    shutil.copy(template, path)
    return path


def _stored(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(path)
    try:
        return {
            "exposure": conn.execute(
                "SELECT * FROM exposure ORDER BY event_id"
            ).fetchall(),
            # the JSON text's spacing differs (json.dumps vs msgspec): compare values
            "sticky": [
                (key, json.loads(doc), at)
                for key, doc, at in conn.execute(
                    "SELECT attribute_key, assignments, updated_at"
                    " FROM sticky_assignment ORDER BY attribute_key"
                )
            ],
            "receipt": conn.execute(
                "SELECT * FROM render_receipt ORDER BY id"
            ).fetchall(),
        }
    finally:
        conn.close()


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=batches, chunks=st.sampled_from([CHUNKS, (1,), (5, 2, 1), (16, 3, 1)]))
def test_the_thread_writer_stores_what_the_session_write_stores(
    sqlite_template: Path, batches: list[Batch], chunks: tuple[int, ...]
) -> None:
    """Whatever the sizes of its multi-row inserts, the thread's rows are the
    session's (small sizes split the generated batches into many statements,
    with repeated event ids inside one statement and across statements)."""
    with tempfile.TemporaryDirectory() as folder:
        by_session = _copy(sqlite_template, folder, "session.sqlite3")
        by_thread = _copy(sqlite_template, folder, "thread.sqlite3")
        asyncio.run(session_write(f"sqlite+aiosqlite:///{by_session}", batches))
        writer = SqliteEventWriter(str(by_thread), chunks=chunks)
        try:
            for items, docs, sent, now in batches:
                writer.write(items, docs, sent, now)
        finally:
            writer.close()
        expected = _stored(by_session)
        assert _stored(by_thread) == expected
        # one row per event id, the first one recorded (insert-or-ignore)
        first: dict[str, Exposure] = {}
        for items, *_ in batches:
            for item in items:
                first.setdefault(item.event_id, item)
        assert [(r[0], r[2]) for r in expected["exposure"]] == [
            (k, first[k].variation_id) for k in sorted(first)
        ]

        async def read_back() -> dict[str, dict[str, str]]:
            # what the thread wrote reads back through the app's own repository
            engine = create_engine(f"sqlite+aiosqlite:///{by_thread}")
            try:
                async with create_session_factory(engine)() as session:
                    return await EventRepository(session).sticky_docs(
                        [row[0] for row in expected["sticky"]]
                    )
            finally:
                await engine.dispose()

        assert asyncio.run(read_back()) == {k: v for k, v, _ in expected["sticky"]}


def test_a_locked_database_keeps_the_batch_for_the_next_flush(
    sqlite_template: Path, tmp_path: Path
) -> None:
    path = _copy(sqlite_template, str(tmp_path), "hub.sqlite3")
    writer = SqliteEventWriter(str(path), busy_ms=50)
    holder = sqlite3.connect(path, isolation_level=None)

    def count(table: str) -> int:
        conn = sqlite3.connect(path)
        try:
            return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()

    async def scenario() -> None:
        recorder = EventRecorder(None, EventSettings(), writer=writer.flush)  # type: ignore[arg-type]
        recorder.record_exposures(exposure_struct(f"e{i}") for i in range(3))
        recorder.save_sticky({"id||e0": {"hero-test__0": "1"}})
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await recorder.flush()
        assert recorder.depth == 4  # nothing lost, nothing written
        assert count("exposure") == 0
        recorder.record_exposures([exposure_struct("e3"), exposure_struct("e0")])
        holder.execute("ROLLBACK")
        assert await recorder.flush() == 5
        assert recorder.depth == 0

    try:
        asyncio.run(scenario())
    finally:
        holder.close()
        writer.close()
    assert count("exposure") == 4
    assert count("sticky_assignment") == 1


@pytest.mark.parametrize("chunks", [(), (4, 2), (0,)])
def test_chunk_sizes_must_reach_one_row(chunks: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="chunk sizes"):
        SqliteEventWriter("/tmp/x/hub.sqlite3", chunks=chunks)


def test_the_writer_is_only_for_sqlite_files() -> None:
    assert SqliteEventWriter.for_url("postgresql+psycopg://postgres@h/db") is None
    assert SqliteEventWriter.for_url("sqlite+aiosqlite:///:memory:") is None
    writer = SqliteEventWriter.for_url("sqlite+aiosqlite:////tmp/x/hub.sqlite3")
    assert writer is not None and writer.path == "/tmp/x/hub.sqlite3"
