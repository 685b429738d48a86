"""Server-side web sessions in the hub's database: a Litestar
:class:`~litestar.stores.base.Store` over the ``web_session`` table.

The Studio's default session store (``RedisStore`` replaces it when
``CONTENT_HUB_REDIS_URL`` is set). Keys are stored as their SHA-256, so the
table holds no usable session id. Expired rows are never returned and are
deleted as they are met and, at most once a minute, all at once.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from litestar.stores.base import Store
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from content_hub.store.repositories._util import affected, utc_or_none
from content_hub.store.tables_users import WebSessionRow

SWEEP_EVERY = 60.0
"""Seconds between two deletions of every expired row."""


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _seconds(value: int | timedelta | None) -> float | None:
    if value is None:
        return None
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _expiry(value: int | timedelta | None) -> datetime | None:
    seconds = _seconds(value)
    return None if not seconds else datetime.now(UTC) + timedelta(seconds=seconds)


class DatabaseSessionStore(Store):
    """A :class:`Store` whose values live in the ``web_session`` table."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions
        self._swept = 0.0

    async def set(
        self, key: str, value: str | bytes, expires_in: int | timedelta | None = None
    ) -> None:
        data = value.encode("utf-8") if isinstance(value, str) else value
        expires_at = _expiry(expires_in)
        digest = _digest(key)
        async with self.sessions() as session:
            await self._sweep(session)
            result = await session.execute(
                sa.update(WebSessionRow)
                .where(col(WebSessionRow.id) == digest)
                .values(data=data, expires_at=expires_at)
            )
            if not affected(result):
                session.add(WebSessionRow(id=digest, data=data, expires_at=expires_at))
            await session.commit()

    async def get(
        self, key: str, renew_for: int | timedelta | None = None
    ) -> bytes | None:
        digest = _digest(key)
        async with self.sessions() as session:
            row = await session.get(WebSessionRow, digest)
            if row is None:
                return None
            expires_at = utc_or_none(row.expires_at)
            if expires_at is not None and expires_at <= datetime.now(UTC):
                await session.delete(row)
                await session.commit()
                return None
            data = bytes(row.data)
            if renew_for and expires_at is not None:
                row.expires_at = _expiry(renew_for)
                await session.commit()
            return data

    async def delete(self, key: str) -> None:
        async with self.sessions() as session:
            await session.execute(
                sa.delete(WebSessionRow).where(col(WebSessionRow.id) == _digest(key))
            )
            await session.commit()

    async def delete_all(self) -> None:
        async with self.sessions() as session:
            await session.execute(sa.delete(WebSessionRow))
            await session.commit()

    async def delete_expired(self) -> int:
        """Delete every expired row now; how many there were."""
        async with self.sessions() as session:
            count = await self._delete_expired(session)
            await session.commit()
            return count

    async def exists(self, key: str) -> bool:
        return await self.get(key) is not None

    async def expires_in(self, key: str) -> int | None:
        async with self.sessions() as session:
            row = await session.get(WebSessionRow, _digest(key))
        if row is None:
            return None
        expires_at = utc_or_none(row.expires_at)
        if expires_at is None:
            return None
        return int((expires_at - datetime.now(UTC)).total_seconds())

    async def _sweep(self, session: AsyncSession) -> None:
        if time.monotonic() - self._swept >= SWEEP_EVERY:
            self._swept = time.monotonic()
            await self._delete_expired(session)

    @staticmethod
    async def _delete_expired(session: AsyncSession) -> int:
        result = await session.execute(
            sa.delete(WebSessionRow).where(
                col(WebSessionRow.expires_at) <= datetime.now(UTC)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)
