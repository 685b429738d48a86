"""Leases: one holder at a time, a dead holder replaced within the interval,
and only the holder runs the leased loop (SQLite file lock and PostgreSQL
advisory lock; real processes are in test_search_crash and test_two_hosts)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from litestar.testing import TestClient

from content_hub.settings import Settings
from content_hub.store.db import libpq_dsn
from content_hub.workers.indexer import LEASE as INDEXER_LEASE
from content_hub.workers.lease import (
    HELD,
    Lease,
    PostgresLease,
    lease_for,
    lock_key,
    run_leased,
)
from tests.app_cache import app_for
from tests.content_hub.test_webhooks_events import PausedDispatcher

INTERVAL = 0.1


def _leases(settings: Settings, name: str, count: int) -> list[Lease]:
    return [
        lease_for(settings.database.url, settings.data_dir, name) for _ in range(count)
    ]


def test_one_holder_at_a_time(settings: Settings) -> None:
    async def scenario() -> None:
        first, second, other = (
            *_leases(settings, "indexer", 2),
            *_leases(settings, "scheduler", 1),
        )
        assert await first.acquire()
        assert await first.acquire()  # re-entrant for its holder
        assert not await second.acquire()
        assert await other.acquire()  # another name is another lease
        assert await first.alive()
        await first.release()
        assert not await first.alive()
        assert await second.acquire()
        assert not await first.acquire()
        for lease in (first, second, other):
            await lease.release()

    asyncio.run(scenario())


def test_lock_keys_are_stable_signed_32_bit_ints() -> None:
    names = [f"lease-{n}" for n in range(2000)]
    keys = [lock_key(n) for n in names]
    assert all(-(1 << 31) <= k < 1 << 31 for k in keys)
    assert len(set(keys)) == len(keys)
    assert lock_key("search-indexer") == lock_key("search-indexer")


def test_only_the_holder_works_and_a_released_lease_is_taken_over(
    settings: Settings,
) -> None:
    """Three "workers" run the same loop: one works at a time; when it stops
    (its process ended) another takes over within about the interval."""

    async def scenario() -> None:
        working: list[int] = []
        overlaps: list[tuple[int, ...]] = []
        active: set[int] = set()

        def work_of(n: int):  # type: ignore[no-untyped-def]
            async def work(until: asyncio.Event) -> None:
                active.add(n)
                if len(active) > 1:
                    overlaps.append(tuple(active))
                working.append(n)
                try:
                    await until.wait()
                finally:
                    active.discard(n)

            return work

        stops = [asyncio.Event() for _ in range(3)]
        leases = _leases(settings, "loop", 3)
        tasks = [
            asyncio.create_task(
                run_leased(leases[n], work_of(n), stops[n], interval=INTERVAL)
            )
            for n in range(3)
        ]
        await asyncio.sleep(0.5)
        assert len(working) == 1 and len(active) == 1
        for _ in range(2):  # stop the holder twice: the others take over
            holder = working[-1]
            stops[holder].set()
            await tasks[holder]
            started = time.monotonic()
            while len(working) == 3 - sum(not s.is_set() for s in stops):
                assert time.monotonic() - started < 20 * INTERVAL, "no takeover"
                await asyncio.sleep(0.01)
            assert working[-1] != holder
        assert overlaps == []
        assert HELD.labels("loop")._value.get() == 1  # the last one holds it
        for n, stop in enumerate(stops):
            stop.set()
            await tasks[n]

    asyncio.run(scenario())


def test_a_postgres_holder_whose_connection_dies_loses_the_lease(
    settings: Settings,
) -> None:
    """The server ends the holder's session (as when its process is killed):
    the lock goes with it, the holder notices, and a waiter takes it."""
    if settings.database.is_sqlite:
        return

    async def scenario() -> None:
        holder, waiter = _leases(settings, "pg-loop", 2)
        assert isinstance(holder, PostgresLease)
        assert await holder.acquire()
        assert not await waiter.acquire()
        assert holder._conn is not None
        pid = holder._conn.info.backend_pid
        async with await psycopg.AsyncConnection.connect(
            libpq_dsn(settings.database.url), autocommit=True
        ) as admin:
            await admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        started = time.monotonic()
        while not await waiter.acquire():  # the backend exits a moment later
            assert time.monotonic() - started < 5, "the lock outlived its session"
            await asyncio.sleep(0.01)
        assert not await holder.alive()
        assert not await holder.acquire()
        await waiter.release()
        assert await holder.acquire()
        await holder.release()

    asyncio.run(scenario())


def _lease_files_open(settings: Settings, name: str) -> list[str]:
    """This process's open descriptors on lease ``name``'s file (SQLite)."""
    path = str(settings.data_dir)
    found = []
    for fd in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith(path) and target.endswith(name):
                found.append(target)
    return found


def _lease_connections(settings: Settings, name: str) -> int:
    """Open connections named for lease ``name`` to this test's database."""
    with psycopg.connect(libpq_dsn(settings.database.url)) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            (f"content-hub lease {name}"[:63],),
        ).fetchone()
    return int(row[0]) if row else 0


def test_an_app_stopping_beside_the_lease_holder_leaves_nothing_open(
    settings: Settings,
) -> None:
    """At stop the indexer drains only under its lease; when another worker
    holds it, the connection (PostgreSQL) or file (SQLite) its try opened is
    closed at once (it was left to the garbage collector, which warned of an
    unclosed connection in whatever test ran then)."""
    holder = PausedDispatcher(settings, INDEXER_LEASE)
    try:
        with TestClient(app_for(settings)) as client:
            assert client.get("/health").status_code == 200
        if settings.database.url.startswith("postgresql"):
            assert _lease_connections(settings, INDEXER_LEASE) == 0
        else:
            assert len(_lease_files_open(settings, INDEXER_LEASE)) == 1  # the holder
    finally:
        holder.resume()


def test_a_postgres_release_cancelled_mid_unlock_still_closes_its_connection(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bounded shutdown cancels a release whose unlock the server does not
    answer: the connection is closed all the same (before, it was left open
    until garbage collection, and the server kept the session and its lock)."""
    if settings.database.is_sqlite:
        return
    real = psycopg.AsyncConnection.execute
    stalled = asyncio.Event()

    async def execute(self: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        if "unlock" in str(query):
            stalled.set()
            await asyncio.Event().wait()  # a server that never answers
        return await real(self, query, *args, **kwargs)

    async def scenario() -> None:
        (lease,) = _leases(settings, "stalled-unlock", 1)
        assert isinstance(lease, PostgresLease)
        assert await lease.acquire()
        conn = lease._conn
        assert conn is not None
        monkeypatch.setattr(psycopg.AsyncConnection, "execute", execute)
        release = asyncio.ensure_future(lease.release())
        await stalled.wait()
        release.cancel()
        with pytest.raises(asyncio.CancelledError):
            await release
        monkeypatch.undo()
        assert conn.closed
        started = time.monotonic()
        while _lease_connections(settings, "stalled-unlock"):  # the backend exits
            assert time.monotonic() - started < 5, "the session outlived its close"
            await asyncio.sleep(0.01)
        (other,) = _leases(settings, "stalled-unlock", 1)
        assert await other.acquire()  # the lock went with the session
        await other.release()

    asyncio.run(scenario())
