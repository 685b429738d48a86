"""Helpers shared by the repositories."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.store.tables import CounterRow


def affected(result: object) -> bool:
    """Whether an UPDATE/DELETE matched a row (optimistic-concurrency checks)."""
    return bool(getattr(result, "rowcount", 0))


def utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def now() -> datetime:
    return datetime.now(UTC)


async def next_counter(session: AsyncSession, name: str) -> int:
    """Atomically increment a named counter and return its new value.

    The UPDATE takes a row lock (PostgreSQL) or the write lock (SQLite), so
    values are unique and follow commit order for everything holding them.
    """
    result = await session.execute(
        sa.update(CounterRow)
        .where(col(CounterRow.name) == name)
        .values(value=col(CounterRow.value) + 1)
        .returning(col(CounterRow.value))
    )
    value = result.scalar_one_or_none()
    if value is None:
        session.add(CounterRow(name=name, value=1))
        await session.flush()
        return 1
    return int(value)


async def read_counter(session: AsyncSession, name: str) -> int:
    result = await session.execute(
        sa.select(col(CounterRow.value)).where(col(CounterRow.name) == name)
    )
    value = result.scalar_one_or_none()
    return int(value or 0)
