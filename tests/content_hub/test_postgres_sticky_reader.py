"""The sticky store's PostgreSQL reader (its own psycopg connection) answers
what the session read answers, and a failed or cancelled read leaves it
able to read again."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content_hub.store.db import create_engine, create_session_factory, libpq_dsn
from content_hub.store.postgres_reads import PostgresStickyReader
from content_hub.store.postgres_writes import PostgresEventWriter
from content_hub.store.repositories.events import EventRepository
from tests.content_hub.conftest import PG_ENV, _reset_postgres

pytestmark = pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"needs {PG_ENV}")

KEYS = [f"id||u{i}" for i in range(12)] + ["email||ü@x", "id||a'b", "id||%s"]
text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    max_size=8,
)
stored = st.dictionaries(
    st.sampled_from(KEYS),
    st.dictionaries(st.sampled_from(["exp__0", "exp__1", "o__0"]), text, max_size=3),
    max_size=len(KEYS),
)
asked = st.lists(st.sampled_from([*KEYS, "id||never", "x||y"]), max_size=40)


async def _both(
    url: str, docs: dict[str, dict[str, str]], keys: list[str], chunk: int
) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, str]]]:
    writer = PostgresEventWriter.for_url(url)
    assert writer is not None
    await writer.flush([], docs, [], datetime(2026, 12, 6, tzinfo=UTC))
    await writer.aclose()
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            by_session = await EventRepository(session).sticky_docs(keys)
    finally:
        await engine.dispose()
    reader = PostgresStickyReader(libpq_dsn(url), chunk=chunk)
    try:
        by_reader = await reader.sticky_docs(keys)
    finally:
        await reader.aclose()
    return by_session, by_reader


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(docs=stored, keys=asked, chunk=st.sampled_from([1, 3, 5_000]))
def test_the_reader_answers_what_the_session_read_answers(
    postgres_url: str, docs: dict[str, dict[str, str]], keys: list[str], chunk: int
) -> None:
    """Stored and absent keys, repeated keys, quotes and placeholders in
    keys, any text in the documents, one query or many (``chunk``)."""
    _reset_postgres(postgres_url)
    by_session, by_reader = asyncio.run(_both(postgres_url, docs, keys, chunk))
    assert by_reader == by_session
    assert by_reader == {k: docs[k] for k in keys if k in docs}


def test_a_failed_or_cancelled_read_is_followed_by_a_good_one(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reset_postgres(postgres_url)

    async def scenario() -> None:
        writer = PostgresEventWriter.for_url(postgres_url)
        assert writer is not None
        await writer.flush([], {"id||a": {"e__0": "1"}}, [], datetime.now(UTC))
        await writer.aclose()
        reader = PostgresStickyReader.for_url(postgres_url)
        assert reader is not None
        assert await reader.sticky_docs(["id||a"]) == {"id||a": {"e__0": "1"}}
        first = reader.connection.current
        assert first is not None
        # the server ends the session (a restart, a failover)
        with psycopg.connect(reader.dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first.info.backend_pid,))
        with pytest.raises(psycopg.OperationalError):
            await reader.sticky_docs(["id||a"])
        assert first.closed
        assert await reader.sticky_docs(["id||a", "id||b"]) == {"id||a": {"e__0": "1"}}
        # cancelled while the server does not answer
        real = psycopg.AsyncConnection.execute
        stalled = asyncio.Event()

        async def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            stalled.set()
            await asyncio.Event().wait()

        second = reader.connection.current
        assert second is not None
        monkeypatch.setattr(psycopg.AsyncConnection, "execute", execute)
        read = asyncio.ensure_future(reader.sticky_docs(["id||a"]))
        await stalled.wait()
        read.cancel()
        with pytest.raises(asyncio.CancelledError):
            await read
        monkeypatch.setattr(psycopg.AsyncConnection, "execute", real)
        assert second.closed
        assert await reader.sticky_docs(["id||a"]) == {"id||a": {"e__0": "1"}}
        await reader.aclose()

    asyncio.run(scenario())


def test_reads_are_planned_afresh_as_the_table_grows(postgres_url: str) -> None:
    """The sticky table grows by a row per new customer. A prepared read kept
    the plan made while it was small, a scan of the whole table: a batch of
    100,000 new customers on a fresh database took 150 s instead of 22 s. The
    reader's session holds no prepared statement however often it reads, and
    the read of a grown table uses its key index."""
    _reset_postgres(postgres_url)

    async def scenario() -> None:
        writer = PostgresEventWriter.for_url(postgres_url)
        reader = PostgresStickyReader.for_url(postgres_url)
        assert writer is not None and reader is not None
        now = datetime.now(UTC)
        for n in range(30):  # empty first, then growing
            assert await reader.sticky_docs([f"id||new{n}", "id||0"]) == (
                {"id||0": {"e__0": "1"}} if n else {}
            )
            await writer.flush(
                [], {f"id||{n * 1000 + i}": {"e__0": "1"} for i in range(1000)}, [], now
            )
        conn = reader.connection.current
        assert conn is not None
        cursor = await conn.execute("SELECT count(*) FROM pg_prepared_statements")
        assert await cursor.fetchone() == (0,)
        cursor = await conn.execute(
            "EXPLAIN SELECT attribute_key FROM sticky_assignment"
            " WHERE attribute_key = ANY(%s::text[])",
            (["id||1", "id||2"],),
        )
        plan = "\n".join(str(row[0]) for row in await cursor.fetchall())
        assert "Index" in plan and "Seq Scan" not in plan, plan
        await reader.aclose()
        await writer.aclose()

    asyncio.run(scenario())
