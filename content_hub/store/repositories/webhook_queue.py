"""The webhook dispatcher's delivery queue: which deliveries are due, the
attempts it records, a subscription's run of failures and turning it off.
(Fan-out, which fills the queue, reads through :mod:`.webhook_dispatch`.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from content_hub.store.repositories._util import utc
from content_hub.store.tables_webhooks import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookRow,
)


@dataclass(frozen=True, slots=True)
class DueDelivery:
    id: str
    webhook_id: str
    payload: bytes
    attempts: int
    requeued: int
    url: str
    headers: dict[str, str]
    sealed_secret: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """One attempt's result, to record."""

    delivery_id: str
    webhook_id: str
    requeued: int
    """As read when it was sent (a redelivery asked for since: only logged)."""
    at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None
    excerpt: str | None
    delivered: bool
    next_at: datetime | None
    """When to try again (None with ``delivered`` False: failed for good)."""


def _deliveries() -> sa.Table:
    return SQLModel.metadata.tables["webhook_delivery"]


class DeliveryQueueRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def due(self, now: datetime, limit: int) -> list[DueDelivery]:
        """Pending deliveries whose time has come, each the first pending one
        of its (subscription, entry): one entry's events go out in order."""
        d = _deliveries().alias("d")
        p = _deliveries().alias("p")
        earlier = (
            sa.select(sa.literal(1))
            .where(
                p.c.webhook_id == d.c.webhook_id,
                p.c.entry_id == d.c.entry_id,
                p.c.status == "pending",
                sa.tuple_(p.c.position, p.c.ordinal)
                < sa.tuple_(d.c.position, d.c.ordinal),
            )
            .exists()
        )
        rows = await self.session.execute(
            sa.select(
                d.c.id,
                d.c.webhook_id,
                d.c.payload,
                d.c.attempts,
                d.c.requeued,
                col(WebhookRow.url),
                col(WebhookRow.headers),
                col(WebhookRow.secret),
            )
            .join(WebhookRow, col(WebhookRow.id) == d.c.webhook_id)
            .where(
                d.c.status == "pending",
                d.c.next_at <= now,
                col(WebhookRow.active).is_(True),
                ~earlier,
            )
            .order_by(d.c.position, d.c.ordinal, d.c.id)
            .limit(limit)
        )
        return [
            DueDelivery(i, w, p.encode(), n, r, u, dict(h), s)
            for i, w, p, n, r, u, h, s in rows
        ]

    async def next_due(self) -> datetime | None:
        """The earliest time a pending delivery waits for."""
        value = await self.session.scalar(
            sa.select(sa.func.min(col(WebhookDeliveryRow.next_at))).where(
                col(WebhookDeliveryRow.status) == "pending"
            )
        )
        return None if value is None else utc(value)

    async def record(self, outcomes: Sequence[Outcome]) -> dict[str, int]:
        """Store the attempts and the deliveries' new states; returns, per
        subscription, how many of its deliveries failed for good here (-1
        once one succeeded: its run of failures is over)."""
        ids = [o.delivery_id for o in outcomes]
        existing = set(
            (
                await self.session.execute(
                    sa.select(col(WebhookDeliveryRow.id)).where(
                        col(WebhookDeliveryRow.id).in_(ids)
                    )
                )
            ).scalars()
        )
        kept = [o for o in outcomes if o.delivery_id in existing]  # not deleted since
        if not kept:
            return {}
        await self.session.execute(
            sa.insert(WebhookAttemptRow),
            [
                {
                    "delivery_id": o.delivery_id,
                    "at": o.at,
                    "status_code": o.status_code,
                    "latency_ms": o.latency_ms,
                    "error": o.error,
                    "response_excerpt": o.excerpt,
                }
                for o in kept
            ],
        )
        table = _deliveries()
        await self.session.execute(
            sa.update(table)
            .where(
                table.c.id == sa.bindparam("b_id"),
                table.c.requeued == sa.bindparam("b_requeued"),
            )
            .values(
                status=sa.bindparam("b_status"),
                next_at=sa.bindparam("b_next"),
                attempts=table.c.attempts + 1,
            ),
            [
                {
                    "b_id": o.delivery_id,
                    "b_requeued": o.requeued,
                    "b_status": "delivered"
                    if o.delivered
                    else ("pending" if o.next_at else "failed"),
                    "b_next": o.next_at,
                }
                for o in kept
            ],
        )
        runs: dict[str, int] = {}
        for o in kept:
            if o.delivered:
                runs[o.webhook_id] = -1
            elif o.next_at is None and runs.get(o.webhook_id, 0) >= 0:
                runs[o.webhook_id] = runs.get(o.webhook_id, 0) + 1
        return runs

    async def count_failure_run(
        self, webhook_id: str, failed: int
    ) -> tuple[int, int] | None:
        """Add to (``failed`` > 0) or end (``failed`` < 0) a subscription's
        run of deliveries that failed for good; (run, version) after."""
        column = col(WebhookRow.consecutive_failures)
        query = sa.update(WebhookRow).where(col(WebhookRow.id) == webhook_id)
        if failed < 0:  # a success: write only if a run is to be ended
            query = query.where(column > 0)
        value = column + failed if failed > 0 else sa.literal(0)
        result = await self.session.execute(
            query.values(consecutive_failures=value).returning(
                column, col(WebhookRow.version)
            )
        )
        row = result.first()
        return None if row is None else (int(row[0]), int(row[1]))

    async def disable(self, webhook_id: str, reason: str, when: datetime) -> None:
        await self.session.execute(
            sa.update(WebhookRow)
            .where(col(WebhookRow.id) == webhook_id)
            .values(
                active=False,
                disabled_reason=reason[:500],
                version=col(WebhookRow.version) + 1,
                updated_at=when,
            )
        )
