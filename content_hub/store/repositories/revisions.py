"""Revisions of entries, and the status and schedule columns of an entry that
change without a new revision (archive, restore, publish-at, unpublish-at)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.entries import EntryStatus, Revision
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables import EntryRevisionRow, EntryRow


def _to_domain(row: EntryRevisionRow) -> Revision:
    return Revision(
        entry_id=row.entry_id,
        version=row.version,
        key=row.key,
        fields=dict(row.fields),
        terms=list(row.terms or []),
        created_at=utc(row.created_at),
        created_by=row.created_by,
    )


class RevisionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, entry_id: str, *, before: int | None, limit: int
    ) -> list[Revision]:
        """Newest first."""
        query = (
            sa.select(EntryRevisionRow)
            .where(col(EntryRevisionRow.entry_id) == entry_id)
            .order_by(col(EntryRevisionRow.version).desc())
            .limit(limit)
        )
        if before is not None:
            query = query.where(col(EntryRevisionRow.version) < before)
        rows = await self.session.execute(query)
        return [_to_domain(r) for r in rows.scalars()]

    async def get(self, entry_id: str, version: int) -> Revision | None:
        result = await self.session.execute(
            sa.select(EntryRevisionRow).where(
                col(EntryRevisionRow.entry_id) == entry_id,
                col(EntryRevisionRow.version) == version,
            )
        )
        row = result.scalar_one_or_none()
        return None if row is None else _to_domain(row)

    async def set_status(
        self,
        entry_id: str,
        *,
        expected_version: int,
        status: EntryStatus,
        by: str,
        clear_schedule: bool = False,
    ) -> bool:
        values: dict[str, object] = {"status": str(status), "updated_by": by}
        if clear_schedule:
            values |= {"publish_at": None, "unpublish_at": None}
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(
                col(EntryRow.id) == entry_id,
                col(EntryRow.version) == expected_version,
            )
            .values(**values)
        )
        return affected(result)

    async def set_schedule(
        self,
        entry_id: str,
        *,
        publish_at: datetime | None,
        unpublish_at: datetime | None,
    ) -> bool:
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(col(EntryRow.id) == entry_id)
            .values(publish_at=publish_at, unpublish_at=unpublish_at)
        )
        return affected(result)

    async def due(self, when: datetime, limit: int) -> list[tuple[str, str]]:
        """(entry id, "publish" | "unpublish") of schedules due at ``when``."""
        out: list[tuple[str, str]] = []
        for column, kind in (
            (col(EntryRow.publish_at), "publish"),
            (col(EntryRow.unpublish_at), "unpublish"),
        ):
            rows = await self.session.execute(
                sa.select(col(EntryRow.id))
                .where(column.is_not(None), column <= when)
                .order_by(column)
                .limit(limit)
            )
            out.extend((row[0], kind) for row in rows)
        return out

    async def claim(self, entry_id: str, kind: str, when: datetime) -> bool:
        """Clear a due schedule; only the one transaction that clears it acts.

        The conditional UPDATE takes the row lock (PostgreSQL) or the write
        lock (SQLite): a second worker's UPDATE matches no row.
        """
        name = "publish_at" if kind == "publish" else "unpublish_at"
        column = col(getattr(EntryRow, name))
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(col(EntryRow.id) == entry_id, column.is_not(None), column <= when)
            .values({name: None})
        )
        return affected(result)
