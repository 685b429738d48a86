"""Repository of webhook subscriptions, their delivery log (as the API
reads it) and the hub's generated secret key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.webhooks import Attempt, Delivery, Webhook
from content_hub.store.repositories._util import affected, utc, utc_or_none
from content_hub.store.repositories.secrets import HubSecretRepository
from content_hub.store.tables_webhooks import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookRow,
)

_decoder = msgspec.json.Decoder()


def webhook_of(row: WebhookRow) -> Webhook:
    return Webhook(
        id=row.id,
        url=row.url,
        events=list(row.events),
        description=row.description,
        content_types=list(row.content_types),
        terms=list(row.terms),
        active=row.active,
        headers=dict(row.headers),
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        consecutive_failures=row.consecutive_failures,
        disabled_reason=row.disabled_reason,
        start_seq=row.start_seq,
    )


def _values(hook: Webhook) -> dict[str, Any]:
    return {
        "url": hook.url,
        "events": list(hook.events),
        "description": hook.description,
        "content_types": list(hook.content_types),
        "terms": list(hook.terms),
        "active": hook.active,
        "headers": dict(hook.headers),
        "version": hook.version,
        "consecutive_failures": hook.consecutive_failures,
        "disabled_reason": hook.disabled_reason,
        "updated_at": hook.updated_at,
    }


def _delivery(row: WebhookDeliveryRow, log: list[Attempt]) -> Delivery:
    return Delivery(
        id=row.id,
        webhook_id=row.webhook_id,
        event_type=row.event_type,
        entry_id=row.entry_id,
        seq=row.position,
        status=row.status,
        attempts=row.attempts,
        next_attempt_at=utc_or_none(row.next_at),
        created_at=utc(row.created_at),
        payload=_decoder.decode(row.payload),
        log=log,
    )


class WebhookRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Webhook]:
        rows = await self.session.execute(
            sa.select(WebhookRow).order_by(col(WebhookRow.id))
        )
        return [webhook_of(r) for r in rows.scalars()]

    async def get(self, webhook_id: str) -> Webhook | None:
        row = await self.session.get(WebhookRow, webhook_id)
        return None if row is None else webhook_of(row)

    async def add(self, hook: Webhook, sealed: str) -> None:
        self.session.add(
            WebhookRow(
                id=hook.id,
                secret=sealed,
                start_seq=hook.start_seq,
                created_at=hook.created_at,
                **_values(hook),
            )
        )
        await self.session.flush()

    async def update(
        self, hook: Webhook, *, expected_version: int, sealed: str | None = None
    ) -> bool:
        values = _values(hook) | ({"secret": sealed} if sealed is not None else {})
        result = await self.session.execute(
            sa.update(WebhookRow)
            .where(
                col(WebhookRow.id) == hook.id,
                col(WebhookRow.version) == expected_version,
            )
            .values(**values)
        )
        return affected(result)

    async def delete(self, webhook_id: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(WebhookRow).where(
                col(WebhookRow.id) == webhook_id,
                col(WebhookRow.version) == expected_version,
            )
        )
        return affected(result)

    async def add_delivery(self, **values: Any) -> None:
        self.session.add(WebhookDeliveryRow(**values))
        await self.session.flush()

    async def deliveries(
        self,
        webhook_id: str,
        *,
        before: str | None,
        limit: int,
        status: str | None = None,
    ) -> list[Delivery]:
        """Newest first, each with its attempts (oldest first)."""
        query = sa.select(WebhookDeliveryRow).where(
            col(WebhookDeliveryRow.webhook_id) == webhook_id
        )
        if before is not None:
            query = query.where(col(WebhookDeliveryRow.id) < before)
        if status is not None:
            query = query.where(col(WebhookDeliveryRow.status) == status)
        query = query.order_by(col(WebhookDeliveryRow.id).desc()).limit(limit)
        rows = list((await self.session.execute(query)).scalars())
        logs = await self._attempts([r.id for r in rows])
        return [_delivery(r, logs.get(r.id, [])) for r in rows]

    async def delivery(self, webhook_id: str, delivery_id: str) -> Delivery | None:
        row = await self.session.get(WebhookDeliveryRow, delivery_id)
        if row is None or row.webhook_id != webhook_id:
            return None
        return _delivery(row, (await self._attempts([row.id])).get(row.id, []))

    async def requeue(self, delivery_id: str, when: datetime) -> bool:
        """Send it again now (status ``pending``; its attempts are kept)."""
        result = await self.session.execute(
            sa.update(WebhookDeliveryRow)
            .where(col(WebhookDeliveryRow.id) == delivery_id)
            .values(
                status="pending",
                next_at=when,
                requeued=col(WebhookDeliveryRow.requeued) + 1,
            )
        )
        return affected(result)

    async def _attempts(self, ids: list[str]) -> dict[str, list[Attempt]]:
        if not ids:
            return {}
        rows = await self.session.execute(
            sa.select(WebhookAttemptRow)
            .where(col(WebhookAttemptRow.delivery_id).in_(ids))
            .order_by(col(WebhookAttemptRow.id))
        )
        out: dict[str, list[Attempt]] = {}
        for r in rows.scalars():
            out.setdefault(r.delivery_id, []).append(
                Attempt(
                    at=utc(r.at),
                    status_code=r.status_code,
                    latency_ms=r.latency_ms,
                    error=r.error,
                    response_excerpt=r.response_excerpt,
                )
            )
        return out

    async def generated_key(self, make: Callable[[], str]) -> str:
        """The hub's generated secret key, made (by ``make``) by whichever
        process asks first; every process reads the same one."""
        return await HubSecretRepository(self.session).secret("webhooks", make)
