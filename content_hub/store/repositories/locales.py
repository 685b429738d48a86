"""Locale repository."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.locales import Direction, Locale
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables import LocaleRow


def _to_domain(row: LocaleRow) -> Locale:
    direction: Direction = "rtl" if row.direction == "rtl" else "ltr"
    return Locale(
        code=row.code,
        name=row.name,
        native_name=row.native_name,
        direction=direction,
        fallbacks=list(row.fallbacks),
        is_default=row.is_default,
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


class LocaleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Locale]:
        rows = await self.session.execute(
            sa.select(LocaleRow).order_by(col(LocaleRow.code))
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def get(self, code: str) -> Locale | None:
        row = await self.session.get(LocaleRow, code)
        return None if row is None else _to_domain(row)

    async def add(self, locale: Locale) -> None:
        self.session.add(
            LocaleRow(
                code=locale.code,
                name=locale.name,
                native_name=locale.native_name,
                direction=locale.direction,
                fallbacks=locale.fallbacks,
                is_default=locale.is_default,
                version=locale.version,
                created_at=locale.created_at,
                updated_at=locale.updated_at,
            )
        )
        await self.session.flush()

    async def update(self, locale: Locale, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(LocaleRow)
            .where(
                col(LocaleRow.code) == locale.code,
                col(LocaleRow.version) == expected_version,
            )
            .values(
                name=locale.name,
                fallbacks=locale.fallbacks,
                is_default=locale.is_default,
                version=locale.version,
                updated_at=locale.updated_at,
            )
        )
        return affected(result)

    async def clear_default(self, except_code: str) -> None:
        await self.session.execute(
            sa.update(LocaleRow)
            .where(
                col(LocaleRow.code) != except_code, col(LocaleRow.is_default).is_(True)
            )
            .values(is_default=False, version=col(LocaleRow.version) + 1)
        )

    async def delete(self, code: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(LocaleRow).where(
                col(LocaleRow.code) == code,
                col(LocaleRow.version) == expected_version,
            )
        )
        return affected(result)
