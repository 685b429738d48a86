"""Leases: one holder, across every worker and host, of a background loop.

PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a
connection of the lease's own. The server releases it when that connection
ends, so a holder killed with ``kill -9`` (or a host that vanished, once TCP
keepalives give up on it) loses it without any clean-up. SQLite: an exclusive
``flock`` on a file beside the database, which the kernel releases when the
holding process dies; SQLite is one machine, so that is every process.

:func:`run_leased` is what every worker runs: it tries to take the lease every
``interval`` seconds; the one that holds it runs the loop, checks every
``interval`` that it still holds it, and stops the loop the moment it does
not. So a dead holder's loop is taken over within a few seconds.

There is no fencing token: a holder whose connection was cut while its
process lives stops at its next check, and a write it had in flight may land
after the new holder's first one. The search indexer tolerates that (its
FTS5 writes are conditional on the document revision, and a new holder
reconciles every document with the database first).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, Protocol

import psycopg
from prometheus_client import Counter, Gauge
from sqlalchemy.engine import make_url

from content_hub.store.db import libpq_dsn

log = logging.getLogger(__name__)
NAMESPACE = 0x63686C73
"""First key of every lease's advisory lock ("chls"); the second is the
CRC-32 of the lease name. (The start-up lock uses the one-key form.)"""


def holder() -> str:
    """This process, as lease logs name it: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


HELD = Gauge(
    "content_hub_lease_held",
    "1 while this process holds the lease of a background loop.",
    ["lease"],
)
TAKEN = Counter(
    "content_hub_lease_taken_total",
    "Times this process took the lease of a background loop.",
    ["lease"],
)


class Lease(Protocol):
    """A named lock that at most one process holds."""

    name: str

    async def acquire(self) -> bool:
        """Take the lease if it is free; whether this process holds it now."""
        ...

    async def alive(self) -> bool:
        """Whether this process still holds the lease (after acquire)."""
        ...

    async def release(self) -> None:
        """Give the lease up (idempotent)."""
        ...


def lock_key(name: str) -> int:
    """The second advisory-lock key of a lease name (a signed 32-bit int)."""
    value = zlib.crc32(name.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


class PostgresLease:
    """``pg_try_advisory_lock(NAMESPACE, crc32(name))`` on its own connection."""

    def __init__(self, url: str, name: str) -> None:
        self.dsn = libpq_dsn(url)
        self.name = name
        self.key = lock_key(name)
        self._conn: psycopg.AsyncConnection[tuple[object, ...]] | None = None

    async def acquire(self) -> bool:
        fresh = self._conn is None or self._conn.closed
        if self._conn is None or self._conn.closed:
            # Keepalives on both ends: a vanished host's lock is released by
            # the server within about 20 s, and this side notices a cut too.
            self._conn = await psycopg.AsyncConnection.connect(
                self.dsn,
                autocommit=True,
                connect_timeout=5,
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=5,
                keepalives_count=3,
                application_name=f"content-hub lease {self.name}"[:63],
            )
        try:
            if fresh:
                await self._conn.execute(
                    "SET tcp_keepalives_idle = 5; SET tcp_keepalives_interval = 5;"
                    " SET tcp_keepalives_count = 3"
                )
            cursor = await self._conn.execute(
                "SELECT pg_try_advisory_lock(%s, %s)", (NAMESPACE, self.key)
            )
            row = await cursor.fetchone()
        except psycopg.Error:
            await self.release()
            raise
        return bool(row and row[0])

    async def alive(self) -> bool:
        if self._conn is None or self._conn.closed:
            return False
        try:
            async with asyncio.timeout(5):
                await self._conn.execute("SELECT 1")
        except (psycopg.Error, TimeoutError):
            await self.release()
            return False
        return True

    async def release(self) -> None:
        """Unlock, then close the connection.

        Closing alone would do in the end (the server drops a session's locks
        when it ends), but the backend exits a moment after the client has
        closed, so another process trying at once could still find the lock
        taken. The explicit unlock is answered only once the lock is free.
        """
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            with contextlib.suppress(psycopg.Error, TimeoutError):
                if not conn.closed:
                    async with asyncio.timeout(5):
                        # all: acquire() is re-entrant, and each take counts
                        await conn.execute("SELECT pg_advisory_unlock_all()")
        finally:  # also when a bounded shutdown cancels the unlock
            with contextlib.suppress(psycopg.Error):
                await conn.close()


class FileLease:
    """An exclusive, non-blocking ``flock`` on ``path``."""

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self._handle: IO[str] | None = None

    async def acquire(self) -> bool:
        import fcntl

        if self._handle is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._handle = handle
        return True

    async def alive(self) -> bool:
        return self._handle is not None

    async def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            handle.close()  # closing the last descriptor drops the flock


def lease_for(database_url: str, data_dir: Path, name: str) -> Lease:
    """The lease called ``name`` for this database: an advisory lock on
    PostgreSQL, a file lock beside a SQLite file (in ``data_dir`` for an
    in-memory database, which only this process sees anyway)."""
    if not database_url.startswith("sqlite"):
        return PostgresLease(database_url, name)
    database = make_url(database_url).database
    if database and database != ":memory:":
        path = Path(database)
        return FileLease(path.with_name(f"{path.name}.lease-{name}"), name)
    return FileLease(data_dir / f"lease-{name}", name)


async def _wait(event: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout=seconds)


async def run_leased(
    lease: Lease,
    work: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    *,
    interval: float,
) -> None:
    """Run ``work`` only while holding ``lease``, until ``stop``.

    ``work`` gets an event that is set on ``stop`` or when the lease is lost,
    and must return soon after. Without the lease, try again every
    ``interval`` seconds; a failure to reach the database counts as not
    holding it. Takes and releases are logged (INFO, with host and pid) and
    counted (``content_hub_lease_held``, ``content_hub_lease_taken_total``).
    """
    try:
        while not stop.is_set():
            try:
                held = await lease.acquire()
            except Exception as exc:  # the database may be down: try again later
                log.warning("lease %s: cannot reach the lock: %s", lease.name, exc)
                held = False
            if held:
                await _hold(lease, work, stop, interval)
            else:
                await _wait(stop, interval)
    finally:
        await lease.release()  # a waiter's connection, too


async def _hold(
    lease: Lease,
    work: Callable[[asyncio.Event], Awaitable[None]],
    stop: asyncio.Event,
    interval: float,
) -> None:
    log.info("lease %s taken by %s", lease.name, holder())
    HELD.labels(lease.name).set(1)
    TAKEN.labels(lease.name).inc()
    until = asyncio.Event()
    watcher = asyncio.create_task(_watch(lease, until, stop, interval))
    try:
        await work(until)
    finally:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher
        # Before the release: the next holder may take the lease (and set
        # the gauge) while the release is awaited.
        HELD.labels(lease.name).set(0)
        await lease.release()
        log.info("lease %s released by %s", lease.name, holder())


async def _watch(
    lease: Lease, until: asyncio.Event, stop: asyncio.Event, interval: float
) -> None:
    """Set ``until`` on ``stop`` or as soon as the lease is found lost."""
    while not stop.is_set():
        await _wait(stop, interval)
        if not stop.is_set() and not await lease.alive():
            log.warning("lease %s lost by %s", lease.name, holder())
            break
    until.set()
