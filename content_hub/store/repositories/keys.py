"""API key repository."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.keys import ApiKey, Scope
from content_hub.store.repositories._util import affected, utc, utc_or_none
from content_hub.store.tables import ApiKeyRow


def _to_domain(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        scopes=[Scope(s) for s in row.scopes],
        created_at=utc(row.created_at),
        revoked_at=utc_or_none(row.revoked_at),
        encrypted_payload=row.payload_key is not None,
    )


class KeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey, key_hash: str) -> None:
        self.session.add(
            ApiKeyRow(
                id=key.id,
                name=key.name,
                prefix=key.prefix,
                key_hash=key_hash,
                scopes=[str(s) for s in key.scopes],
                created_at=key.created_at,
            )
        )
        await self.session.flush()

    async def credentials(self, key_hash: str) -> tuple[ApiKey, str | None] | None:
        """The key with this hash and its payload key (``None``: unencrypted)."""
        result = await self.session.execute(
            sa.select(ApiKeyRow).where(col(ApiKeyRow.key_hash) == key_hash)
        )
        row = result.scalar_one_or_none()
        return None if row is None else (_to_domain(row), row.payload_key)

    async def payload_key(self, key_id: str) -> str | None:
        row = await self.session.get(ApiKeyRow, key_id)
        return None if row is None else row.payload_key

    async def set_payload_key(self, key_id: str, payload_key: str | None) -> bool:
        """Set (or with ``None`` remove) a live key's payload key."""
        result = await self.session.execute(
            sa.update(ApiKeyRow)
            .where(col(ApiKeyRow.id) == key_id, col(ApiKeyRow.revoked_at).is_(None))
            .values(payload_key=payload_key)
        )
        return affected(result)

    async def get(self, key_id: str) -> ApiKey | None:
        row = await self.session.get(ApiKeyRow, key_id)
        return None if row is None else _to_domain(row)

    async def all(self) -> list[ApiKey]:
        rows = await self.session.execute(
            sa.select(ApiKeyRow).order_by(col(ApiKeyRow.id))
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def revoke(self, key_id: str, when: object) -> bool:
        result = await self.session.execute(
            sa.update(ApiKeyRow)
            .where(col(ApiKeyRow.id) == key_id, col(ApiKeyRow.revoked_at).is_(None))
            .values(revoked_at=when)
        )
        return affected(result)
