"""The event recorder's PostgreSQL writer (one async psycopg connection, one
``unnest`` statement per table) stores exactly what the session write stores;
a failed, cancelled or disconnected write keeps the batch for the next flush."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings

from content_hub.live.exposures import EventRecorder
from content_hub.settings import EventSettings
from content_hub.store.postgres_writes import PostgresEventWriter
from tests.content_hub.conftest import PG_ENV, _reset_postgres
from tests.content_hub.event_batch_support import Batch, batches, session_write
from tests.content_hub.test_events import exposure_struct

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"needs {PG_ENV}")


async def _writer_write(url: str, batches: Sequence[Batch]) -> None:
    writer = PostgresEventWriter.for_url(url)
    assert writer is not None
    try:
        for items, docs, sent, now in batches:
            await writer.flush(items, docs, sent, now)
    finally:
        await writer.aclose()


def _stored(url: str) -> dict[str, list[tuple[Any, ...]]]:
    writer = PostgresEventWriter.for_url(url)
    assert writer is not None
    with psycopg.connect(writer.dsn) as conn:
        return {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY {key}").fetchall()
            for table, key in (
                ("exposure", "event_id"),
                ("sticky_assignment", "attribute_key"),
                ("render_receipt", "id"),
            )
        }


def _count(url: str, table: str) -> int:
    writer = PostgresEventWriter.for_url(url)
    assert writer is not None
    with psycopg.connect(writer.dsn) as conn:
        row = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(batches=batches)
def test_the_writer_stores_what_the_session_write_stores(
    postgres_url: str, batches: list[Batch]
) -> None:
    """Generated batches (repeated event ids within a batch and across
    batches, sticky documents merged into earlier ones, times with any offset,
    receipts in order): the same rows, ids and documents either way."""
    _reset_postgres(postgres_url)
    asyncio.run(session_write(postgres_url, batches))
    expected = _stored(postgres_url)
    _reset_postgres(postgres_url)
    asyncio.run(_writer_write(postgres_url, batches))
    assert _stored(postgres_url) == expected
    # one row per event id (the first recorded) and per sticky key
    assert len(expected["exposure"]) == len(
        {e.event_id for items, *_ in batches for e in items}
    )
    assert len(expected["sticky_assignment"]) == len(
        {key for _, docs, *_ in batches for key in docs}
    )
    assert len(expected["render_receipt"]) == sum(len(b[2]) for b in batches)


def _recorder(writer: PostgresEventWriter) -> EventRecorder:
    return EventRecorder(None, EventSettings(), writer=writer.flush)  # type: ignore[arg-type]


def _record(recorder: EventRecorder, ids: Sequence[str]) -> None:
    recorder.record_exposures(exposure_struct(i) for i in ids)
    recorder.save_sticky({f"id||{i}": {"hero-test__0": "1"} for i in ids})


@pytest.mark.parametrize("failure", ["value too long", "connection killed"])
def test_a_failed_write_keeps_the_batch_and_the_next_flush_writes_it(
    postgres_url: str, failure: str
) -> None:
    _reset_postgres(postgres_url)
    writer = PostgresEventWriter.for_url(postgres_url)
    assert writer is not None

    async def scenario() -> None:
        recorder = _recorder(writer)
        _record(recorder, ["e0", "e1"])
        assert await recorder.flush() == 4  # the connection is open now
        _record(recorder, ["e2", "e3"])
        if failure == "value too long":
            recorder.save_sticky({"id||" + "x" * 500: {"hero-test__0": "1"}})
            with pytest.raises(psycopg.errors.StringDataRightTruncation):
                await recorder.flush()
            assert recorder.depth == 5
            assert _count(postgres_url, "exposure") == 2  # nothing of it kept
            # the too-long key is the caller's bug: take it out by hand
            recorder._sticky.pop("id||" + "x" * 500)
        else:
            _reset_postgres(postgres_url)  # ends every other connection
            with pytest.raises(psycopg.OperationalError):
                await recorder.flush()
            assert recorder.depth == 4
        assert await recorder.flush() == 4  # on a new connection if needed
        assert recorder.depth == 0
        await writer.aclose()

    asyncio.run(scenario())
    exposures = 4 if failure == "value too long" else 2
    assert _count(postgres_url, "exposure") == exposures
    assert _count(postgres_url, "sticky_assignment") == exposures


def test_a_write_cancelled_while_it_waits_for_a_lock_keeps_nothing_and_is_retried(
    postgres_url: str,
) -> None:
    """A stopping worker cancels a flush stuck on the server (here: a table
    another transaction locked): nothing of it is stored, the writer drops
    that connection, and the batch is written once by the next flush."""
    _reset_postgres(postgres_url)
    writer = PostgresEventWriter.for_url(postgres_url)
    assert writer is not None
    holder = psycopg.connect(writer.dsn)

    async def scenario() -> None:
        recorder = _recorder(writer)
        _record(recorder, [f"e{i}" for i in range(5)])
        holder.execute("LOCK TABLE exposure IN ACCESS EXCLUSIVE MODE")
        flush = asyncio.ensure_future(recorder.flush())
        await asyncio.sleep(0.3)
        assert not flush.done()  # waiting for the lock
        flush.cancel()
        with pytest.raises(asyncio.CancelledError):
            await flush
        assert recorder.depth == 10
        holder.rollback()
        assert await recorder.flush() == 10
        await writer.aclose()

    try:
        asyncio.run(scenario())
    finally:
        holder.close()
    assert _count(postgres_url, "exposure") == 5
    assert _count(postgres_url, "sticky_assignment") == 5


def test_the_writer_is_only_for_postgresql() -> None:
    assert PostgresEventWriter.for_url("sqlite+aiosqlite:////tmp/x/hub.sqlite3") is None
    writer = PostgresEventWriter.for_url("postgresql+psycopg://u:p@db.example:5433/hub")
    assert writer is not None
    assert "db.example" in writer.dsn and "5433" in writer.dsn
    assert "postgresql+psycopg" not in writer.dsn


def test_the_hub_writes_and_reads_sticky_documents_on_its_own_connections(
    postgres_url: str, tmp_path: Any
) -> None:
    """On PostgreSQL the hub wires the recorder to this writer and the sticky
    store's grouped read to :class:`PostgresStickyReader` (no point reader:
    that is SQLite's)."""
    from content_hub.hub import Hub
    from content_hub.settings import DatabaseSettings, Settings
    from content_hub.store.postgres_reads import PostgresStickyReader

    hub = Hub.build(
        Settings(data_dir=tmp_path, database=DatabaseSettings(url=postgres_url))
    )
    try:
        assert isinstance(hub.event_writer, PostgresEventWriter)
        assert hub.events.writer == hub.event_writer.flush
        assert isinstance(hub.sticky_reader, PostgresStickyReader)
        assert hub.sticky.group_reader == hub.sticky_reader.sticky_docs
        assert hub.sticky.point_reader is None
        assert hub.events.sticky_committed is None
    finally:
        asyncio.run(hub.engine.dispose())
