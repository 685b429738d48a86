"""Audit log repository: append and filtered, newest-first pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.audit import AuditRecord
from content_hub.store.repositories._util import utc
from content_hub.store.tables import AuditRow


class AuditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        *,
        at: datetime,
        actor: str,
        actor_key_id: str,
        action: str,
        resource_type: str,
        resource_id: str,
        before_version: int | None,
        after_version: int | None,
        detail: dict[str, Any] | None,
    ) -> None:
        self.session.add(
            AuditRow(
                at=at,
                actor=actor,
                actor_key_id=actor_key_id,
                action=action,
                resource_type=resource_type,
                resource_id=resource_id,
                before_version=before_version,
                after_version=after_version,
                detail=detail,
            )
        )
        await self.session.flush()

    async def page(
        self,
        *,
        resource_type: str | None,
        resource_id: str | None,
        actor: str | None,
        action: str | None,
        since: datetime | None,
        before_id: int | None,
        limit: int,
        until: datetime | None = None,
    ) -> list[AuditRecord]:
        query = sa.select(AuditRow).order_by(col(AuditRow.id).desc()).limit(limit)
        if resource_type is not None:
            query = query.where(col(AuditRow.resource_type) == resource_type)
        if resource_id is not None:
            query = query.where(col(AuditRow.resource_id) == resource_id)
        if actor is not None:
            query = query.where(col(AuditRow.actor) == actor)
        if action is not None:
            query = query.where(col(AuditRow.action) == action)
        if since is not None:
            query = query.where(col(AuditRow.at) >= since)
        if until is not None:
            query = query.where(col(AuditRow.at) < until)
        if before_id is not None:
            query = query.where(col(AuditRow.id) < before_id)
        rows = await self.session.execute(query)
        return [
            AuditRecord(
                id=int(r.id or 0),
                at=utc(r.at),
                actor=r.actor,
                actor_key_id=r.actor_key_id,
                action=r.action,
                resource_type=r.resource_type,
                resource_id=r.resource_id,
                before_version=r.before_version,
                after_version=r.after_version,
                detail=r.detail,
            )
            for r in rows.scalars()
        ]
