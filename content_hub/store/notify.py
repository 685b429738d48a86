"""PostgreSQL LISTEN/NOTIFY for change-log writes.

Every change-log append on PostgreSQL also runs ``pg_notify`` in the same
transaction, so the notification goes out when (and only if) the change
commits. :func:`listen_for_changes` keeps one autocommit connection per
process listening on the channel and calls ``wake`` for each notification —
and after each (re)connect, since notifications sent while no connection
listened are not replayed. SQLite has no equivalent: its followers rely on the
publish-sequence poll alone, which stays on as the fallback here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.ext.asyncio import AsyncSession

from content_hub.retry import pause, retry_until_stopped
from content_hub.settings import RetrySettings
from content_hub.store.db import libpq_dsn

log = logging.getLogger(__name__)

CHANNEL = "content_hub_changes"


async def notify_change(session: AsyncSession, seq: int) -> None:
    """Queue a notification of change ``seq``, sent on commit (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(sa.select(sa.func.pg_notify(CHANNEL, str(seq))))


async def _connect(url: str) -> psycopg.AsyncConnection[Any]:
    conn = await psycopg.AsyncConnection.connect(
        libpq_dsn(url), autocommit=True, application_name="content-hub listener"
    )
    try:
        await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
    except BaseException:
        await conn.close()
        raise
    return conn


async def listen_for_changes(
    url: str,
    wake: Callable[[], None],
    stop: asyncio.Event,
    on_state: Callable[[bool], None] = lambda listening: None,
    retry: RetrySettings | None = None,
) -> None:
    """Call ``wake()`` on every change notification until ``stop`` is set.

    After a lost connection it waits a random moment, then reconnects with
    jittered exponential backoff (:mod:`content_hub.retry`): every worker of
    every host loses the connection when PostgreSQL restarts, and they must
    not all knock at once, again and again. ``on_state`` is told whether the
    process is currently listening.
    """
    retry = retry or RetrySettings()
    while not stop.is_set():
        conn = await retry_until_stopped(
            functools.partial(_connect, url),
            stop,
            retry,
            name="change listener connect",
            on=(psycopg.Error, OSError),
        )
        if conn is None:
            return
        try:
            async with conn:
                on_state(True)
                wake()  # whatever committed before LISTEN took effect
                await _until_stopped(_notified(conn, wake), stop)
        except (psycopg.Error, OSError) as exc:
            log.warning("change listener lost its connection: %s; reconnecting", exc)
        finally:
            on_state(False)
        await pause(stop, retry)


async def _notified(
    conn: psycopg.AsyncConnection[Any], wake: Callable[[], None]
) -> None:
    async for _ in conn.notifies():
        wake()


async def _until_stopped(work: Coroutine[Any, Any, None], stop: asyncio.Event) -> None:
    """Run ``work`` until it ends (raising what it raised) or ``stop`` is set
    (then it is cancelled at once: a shutdown does not wait for a timeout)."""
    task = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    if not task.cancelled():
        task.result()
