"""Media repository."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.media import FocalPoint, Media
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables import MediaRow


def _to_domain(row: MediaRow) -> Media:
    focal = (
        FocalPoint(x=row.focal_x, y=row.focal_y)
        if row.focal_x is not None and row.focal_y is not None
        else None
    )
    return Media(
        id=row.id,
        url=row.url,
        mime_type=row.mime_type,
        title=row.title,
        alt=dict(row.alt),
        width=row.width,
        height=row.height,
        focal_point=focal,
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        created_by=row.created_by,
        updated_by=row.updated_by,
    )


def _values(media: Media) -> dict[str, object]:
    focal = media.focal_point
    return {
        "url": media.url,
        "mime_type": media.mime_type,
        "title": media.title,
        "alt": media.alt,
        "width": media.width,
        "height": media.height,
        "focal_x": None if focal is None else focal.x,
        "focal_y": None if focal is None else focal.y,
        "version": media.version,
        "updated_at": media.updated_at,
        "updated_by": media.updated_by,
    }


class MediaRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, *, after: str | None, limit: int) -> list[Media]:
        query = sa.select(MediaRow).order_by(col(MediaRow.id)).limit(limit)
        if after is not None:
            query = query.where(col(MediaRow.id) > after)
        rows = await self.session.execute(query)
        return [_to_domain(r) for r in rows.scalars()]

    async def all(self) -> list[Media]:
        rows = await self.session.execute(sa.select(MediaRow))
        return [_to_domain(r) for r in rows.scalars()]

    async def get(self, media_id: str) -> Media | None:
        row = await self.session.get(MediaRow, media_id)
        return None if row is None else _to_domain(row)

    async def add(self, media: Media) -> None:
        self.session.add(
            MediaRow(
                id=media.id,
                created_at=media.created_at,
                created_by=media.created_by,
                **_values(media),  # type: ignore[arg-type]
            )
        )
        await self.session.flush()

    async def update(self, media: Media, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(MediaRow)
            .where(
                col(MediaRow.id) == media.id,
                col(MediaRow.version) == expected_version,
            )
            .values(**_values(media))
        )
        return affected(result)

    async def delete(self, media_id: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(MediaRow).where(
                col(MediaRow.id) == media_id,
                col(MediaRow.version) == expected_version,
            )
        )
        return affected(result)
