"""Repository of front-end preview URL patterns."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.store.repositories._util import now
from content_hub.store.tables_preview import TypePreviewUrlRow


class PreviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def preview_url(self, type_key: str) -> str | None:
        row = await self.session.get(TypePreviewUrlRow, type_key)
        return None if row is None else row.pattern

    async def set_preview_url(self, type_key: str, pattern: str) -> None:
        """Store (or, when empty, remove) a type's preview URL pattern."""
        await self.session.execute(
            sa.delete(TypePreviewUrlRow).where(
                col(TypePreviewUrlRow.type_key) == type_key
            )
        )
        if pattern:
            self.session.add(
                TypePreviewUrlRow(type_key=type_key, pattern=pattern, updated_at=now())
            )
        await self.session.flush()
