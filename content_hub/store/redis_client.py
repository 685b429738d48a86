"""The hub's Redis clients: every wait on Redis is bounded.

Redis holds the shared rate-limit counts, the sign-in throttle's counts and,
with ``CONTENT_HUB_REDIS_URL``, the Studio's sessions. redis-py's defaults
wait forever twice over: a command sent to a server that stopped answering
(no ``socket_timeout``), and closing a connection, whose ``aclose`` awaits
the stream's ``wait_closed`` under the connect timeout, unbounded when that
is unset. That close is a known stall (redis/redis-py#3941); it once held a
worker's shutdown for good. So every client comes from :func:`connect`, with
both timeouts set, and is closed with :func:`close`, which gives up on a
close that overruns (the sockets are already closed by then; only the wait
for the acknowledgement is dropped) and never raises.
"""

from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

TIMEOUT = 2.0
"""Seconds a Redis command, connect or close may take before it fails."""


def connect(url: str, *, timeout: float = TIMEOUT) -> aioredis.Redis:
    """A client of ``url`` whose commands, connects and closes end within
    ``timeout`` seconds (a slower one raises ``redis.exceptions.TimeoutError``).
    Connections are made on first use, so this never blocks."""
    return aioredis.Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout
    )


async def close(client: aioredis.Redis, what: str, *, timeout: float = TIMEOUT) -> bool:
    """Close ``client`` and its pool within ``timeout`` seconds; whether it
    closed cleanly. A close that fails or overruns is logged (naming
    ``what``) and abandoned, never raised: shutdown goes on."""
    try:
        async with asyncio.timeout(timeout):
            await client.aclose(close_connection_pool=True)
    except TimeoutError:
        log.warning(
            "redis (%s): closing did not finish in %.1f s; abandoned", what, timeout
        )
        return False
    except (RedisError, OSError) as exc:
        log.warning("redis (%s): closing failed: %s", what, exc)
        return False
    return True
