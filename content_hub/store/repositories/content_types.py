"""Content type repository."""

from __future__ import annotations

from typing import cast

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.content_types import ContentType, FieldDef
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables import ContentTypeRow, EntryRow


def _to_domain(row: ContentTypeRow) -> ContentType:
    return ContentType(
        key=row.key,
        name=row.name,
        description=row.description,
        fields=msgspec.convert(row.fields, list[FieldDef]),
        channels=list(row.channels),
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def _fields_json(ctype: ContentType) -> list[dict[str, object]]:
    return cast(list[dict[str, object]], msgspec.to_builtins(ctype.fields))


class ContentTypeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, *, after: str | None, limit: int) -> list[ContentType]:
        query = sa.select(ContentTypeRow).order_by(col(ContentTypeRow.key)).limit(limit)
        if after is not None:
            query = query.where(col(ContentTypeRow.key) > after)
        rows = await self.session.execute(query)
        return [_to_domain(r) for r in rows.scalars()]

    async def all(self) -> list[ContentType]:
        rows = await self.session.execute(sa.select(ContentTypeRow))
        return [_to_domain(r) for r in rows.scalars()]

    async def get(self, key: str) -> ContentType | None:
        row = await self.session.get(ContentTypeRow, key)
        return None if row is None else _to_domain(row)

    async def add(self, ctype: ContentType) -> None:
        self.session.add(
            ContentTypeRow(
                key=ctype.key,
                name=ctype.name,
                description=ctype.description,
                fields=_fields_json(ctype),
                channels=ctype.channels,
                version=ctype.version,
                created_at=ctype.created_at,
                updated_at=ctype.updated_at,
            )
        )
        await self.session.flush()

    async def update(self, ctype: ContentType, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(ContentTypeRow)
            .where(
                col(ContentTypeRow.key) == ctype.key,
                col(ContentTypeRow.version) == expected_version,
            )
            .values(
                name=ctype.name,
                description=ctype.description,
                fields=_fields_json(ctype),
                channels=ctype.channels,
                version=ctype.version,
                updated_at=ctype.updated_at,
            )
        )
        return affected(result)

    async def delete(self, key: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(ContentTypeRow).where(
                col(ContentTypeRow.key) == key,
                col(ContentTypeRow.version) == expected_version,
            )
        )
        return affected(result)

    async def entry_count(self, key: str) -> int:
        result = await self.session.execute(
            sa.select(sa.func.count())
            .select_from(EntryRow)
            .where(col(EntryRow.type_key) == key)
        )
        return int(result.scalar_one())
