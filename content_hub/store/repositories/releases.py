"""Releases and the writes a release's publish and rollback make without
logging each one (the release logs one change for all of them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.releases import Release, ReleaseItems, ReleaseStatus
from content_hub.store.repositories._util import affected, utc, utc_or_none
from content_hub.store.tables import EntryRow
from content_hub.store.tables_releases import ReleaseRow
from content_hub.store.tables_render import TemplatePublicationRow


def _to_domain(row: ReleaseRow) -> Release:
    return Release(
        id=row.id,
        name=row.name,
        description=row.description,
        status=ReleaseStatus(row.status),
        items=msgspec.convert(row.items, ReleaseItems),
        version=row.version,
        created_at=utc(row.created_at),
        created_by=row.created_by,
        updated_at=utc(row.updated_at),
        publish_at=utc_or_none(row.publish_at),
        published_at=utc_or_none(row.published_at),
        published_by=row.published_by,
        rolled_back_at=utc_or_none(row.rolled_back_at),
        previous=row.previous,
    )


def _values(release: Release) -> dict[str, Any]:
    return {
        "name": release.name,
        "description": release.description,
        "status": str(release.status),
        "items": msgspec.to_builtins(release.items),
        "previous": release.previous,
        "version": release.version,
        "updated_at": release.updated_at,
        "publish_at": release.publish_at,
        "published_at": release.published_at,
        "published_by": release.published_by,
        "rolled_back_at": release.rolled_back_at,
    }


class ReleaseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, release_id: str) -> Release | None:
        row = await self.session.get(ReleaseRow, release_id)
        return None if row is None else _to_domain(row)

    async def all(self, status: str | None = None) -> list[Release]:
        query = sa.select(ReleaseRow).order_by(col(ReleaseRow.created_at).desc())
        if status is not None:
            query = query.where(col(ReleaseRow.status) == status)
        rows = await self.session.execute(query)
        return [_to_domain(r) for r in rows.scalars()]

    async def add(self, release: Release) -> None:
        self.session.add(
            ReleaseRow(
                id=release.id,
                created_at=release.created_at,
                created_by=release.created_by,
                **_values(release),
            )
        )
        await self.session.flush()

    async def update(self, release: Release, *, expected_version: int) -> bool:
        """Write ``release`` if it is still at ``expected_version``."""
        result = await self.session.execute(
            sa.update(ReleaseRow)
            .where(
                col(ReleaseRow.id) == release.id,
                col(ReleaseRow.version) == expected_version,
            )
            .values(**_values(release))
        )
        return affected(result)

    async def delete(self, release_id: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(ReleaseRow).where(
                col(ReleaseRow.id) == release_id,
                col(ReleaseRow.version) == expected_version,
            )
        )
        return affected(result)

    async def due(self, when: datetime, limit: int) -> list[str]:
        """Ids of scheduled releases whose time has come, oldest first."""
        rows = await self.session.execute(
            sa.select(col(ReleaseRow.id))
            .where(
                col(ReleaseRow.status) == str(ReleaseStatus.SCHEDULED),
                col(ReleaseRow.publish_at) <= when,
            )
            .order_by(col(ReleaseRow.publish_at))
            .limit(limit)
        )
        return [r[0] for r in rows]

    async def set_entry_publication(
        self,
        entry_id: str,
        *,
        published_version: int | None,
        status: str,
        published_at: datetime | None,
        seq: int,
        by: str,
    ) -> bool:
        """Point an entry's published copy at a revision (``None``: unpublish)
        under the release's change ``seq``; no change row of its own."""
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(col(EntryRow.id) == entry_id)
            .values(
                published_version=published_version,
                published_at=published_at,
                status=status,
                publish_seq=seq,
                updated_by=by,
            )
        )
        return affected(result)

    async def unpublish_template(self, type_key: str, channel: str) -> None:
        """No version of this template is live any more (a rollback to before
        its first publish)."""
        await self.session.execute(
            sa.delete(TemplatePublicationRow).where(
                col(TemplatePublicationRow.type_key) == type_key,
                col(TemplatePublicationRow.channel) == channel,
            )
        )
