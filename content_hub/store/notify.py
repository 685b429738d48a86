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
import logging
from collections.abc import Callable

import psycopg
import sqlalchemy as sa
from psycopg import sql
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

log = logging.getLogger(__name__)

CHANNEL = "content_hub_changes"
_RETRY_MAX = 10.0


async def notify_change(session: AsyncSession, seq: int) -> None:
    """Queue a notification of change ``seq``, sent on commit (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(sa.select(sa.func.pg_notify(CHANNEL, str(seq))))


def _dsn(url: str) -> str:
    return (
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )


async def listen_for_changes(
    url: str,
    wake: Callable[[], None],
    stop: asyncio.Event,
    on_state: Callable[[bool], None] = lambda listening: None,
) -> None:
    """Call ``wake()`` on every change notification until ``stop`` is set.

    Reconnects with backoff after a lost connection; ``on_state`` is told
    whether the process is currently listening.
    """
    backoff = 0.5
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(
                _dsn(url), autocommit=True
            ) as conn:
                await conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(CHANNEL)))
                on_state(True)
                backoff = 0.5
                wake()  # whatever committed before LISTEN took effect
                while not stop.is_set():
                    async for _ in conn.notifies(timeout=1.0):
                        wake()
        except (psycopg.Error, OSError) as exc:
            log.warning("change listener lost its connection: %s; retrying", exc)
        finally:
            on_state(False)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=backoff)
        backoff = min(backoff * 2, _RETRY_MAX)
