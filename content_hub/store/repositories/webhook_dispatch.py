"""What the webhook dispatcher reads and writes: changes after its cursor,
the facts its events carry, the deliveries it queues, sends and records."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col

from content_hub.domain.releases import Release
from content_hub.domain.webhooks import Webhook
from content_hub.store.db import insert_ignoring_conflict
from content_hub.store.repositories._util import read_counter, utc
from content_hub.store.repositories.releases import ReleaseRepository
from content_hub.store.repositories.webhooks import webhook_of
from content_hub.store.tables import (
    ChangeRow,
    CounterRow,
    EntryRevisionRow,
    EntryRow,
    LocaleRow,
    TermRow,
)
from content_hub.store.tables_render import PersonalizationRow
from content_hub.store.tables_webhooks import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookRow,
)

CURSOR = "webhook_cursor"


@dataclass(frozen=True, slots=True)
class EntryState:
    key: str
    type: str
    version: int
    published_version: int | None
    terms: tuple[str, ...]
    fields: dict[str, Any] | None
    """Of the published revision (of the latest if none is published)."""
    rules: list[dict[str, Any]]
    """The rules published with it."""


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


class DispatchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cursor(self) -> int:
        return await read_counter(self.session, CURSOR)

    async def advance(self, old: int, new: int) -> bool:
        """Compare-and-set the cursor; False if someone else moved it."""
        await self.session.execute(
            insert_ignoring_conflict(self.session, CounterRow, name=CURSOR, value=0)
        )
        result = await self.session.execute(
            sa.update(CounterRow)
            .where(col(CounterRow.name) == CURSOR, col(CounterRow.value) == old)
            .values(value=new)
        )
        return bool(getattr(result, "rowcount", 0))

    async def changes_after(
        self, seq: int, limit: int
    ) -> list[tuple[int, str, str, str, datetime, int | None, int | None, str | None]]:
        """``(seq, entry id, type, kind, at, version, before, key)`` of the
        next changes (``version``/``before``: what a publish made live and
        what was live before it; ``key``: the entry's key then)."""
        rows = await self.session.execute(
            sa.select(
                col(ChangeRow.seq),
                col(ChangeRow.entry_id),
                col(ChangeRow.type_key),
                col(ChangeRow.kind),
                col(ChangeRow.at),
                col(ChangeRow.version),
                col(ChangeRow.before),
                col(ChangeRow.key),
            )
            .where(col(ChangeRow.seq) > seq)
            .order_by(col(ChangeRow.seq))
            .limit(limit)
        )
        return [
            (int(s), e, t, k, utc(a), v, b, key) for s, e, t, k, a, v, b, key in rows
        ]

    async def revisions(
        self, wanted: Collection[tuple[str, int]]
    ) -> dict[tuple[str, int], tuple[str, tuple[str, ...], dict[str, Any]]]:
        """``(key, terms, fields)`` of each ``(entry id, version)`` revision."""
        if not wanted:
            return {}
        rows = await self.session.execute(
            sa.select(
                col(EntryRevisionRow.entry_id),
                col(EntryRevisionRow.version),
                col(EntryRevisionRow.key),
                col(EntryRevisionRow.terms),
                col(EntryRevisionRow.fields),
            ).where(
                sa.tuple_(
                    col(EntryRevisionRow.entry_id), col(EntryRevisionRow.version)
                ).in_(list(wanted))
            )
        )
        return {
            (e, int(v)): (k, tuple(t or ()), dict(f or {})) for e, v, k, t, f in rows
        }

    async def active(self) -> list[Webhook]:
        rows = await self.session.execute(
            sa.select(WebhookRow).where(col(WebhookRow.active).is_(True))
        )
        return [webhook_of(r) for r in rows.scalars()]

    async def locales(self) -> set[str]:
        return set(
            (await self.session.execute(sa.select(col(LocaleRow.code)))).scalars()
        )

    async def entries(self, ids: Collection[str]) -> dict[str, EntryState]:
        if not ids:
            return {}
        rows = list(
            await self.session.execute(
                sa.select(
                    col(EntryRow.id),
                    col(EntryRow.key),
                    col(EntryRow.type_key),
                    col(EntryRow.version),
                    col(EntryRow.published_version),
                    col(EntryRow.terms),
                ).where(col(EntryRow.id).in_(list(ids)))
            )
        )
        published = {i: p for i, _, _, _, p, _ in rows if p is not None}
        fields = await self._fields({i: p or v for i, _, _, v, p, _ in rows})
        rules = await self._rules(published)
        return {
            i: EntryState(
                key=k,
                type=type_key,
                version=v,
                published_version=p,
                terms=tuple(t or ()),
                fields=fields.get(i),
                rules=rules.get(i, []),
            )
            for i, k, type_key, v, p, t in rows
        }

    async def releases(self, ids: Collection[str]) -> dict[str, Release]:
        found = [await ReleaseRepository(self.session).get(i) for i in set(ids)]
        return {r.id: r for r in found if r is not None}

    async def _fields(self, versions: dict[str, int]) -> dict[str, dict[str, Any]]:
        found = await self.revisions(versions.items())
        return {entry_id: fields for (entry_id, _), (_, _, fields) in found.items()}

    async def _rules(self, published: dict[str, int]) -> dict[str, list[Any]]:
        found = await self.rules_at(published.items())
        return {entry_id: rules for (entry_id, _), rules in found.items()}

    async def rules_at(
        self, wanted: Iterable[tuple[str, int]]
    ) -> dict[tuple[str, int], list[Any]]:
        """The rules in effect for each ``(entry id, version)``: those of the
        personalization row with the greatest version <= it (none: [])."""
        pairs = set(wanted)
        top: dict[str, int] = {}
        for entry_id, version in pairs:
            top[entry_id] = max(top.get(entry_id, version), version)
        if not top:
            return {}
        rows = await self.session.execute(
            sa.select(
                col(PersonalizationRow.entry_id),
                col(PersonalizationRow.version),
                col(PersonalizationRow.data),
            )
            .where(col(PersonalizationRow.entry_id).in_(list(top)))
            .order_by(col(PersonalizationRow.version))
        )
        history: dict[str, list[tuple[int, list[Any]]]] = {}
        for entry_id, version, data in rows:
            if version <= top[entry_id]:
                rules = list((data or {}).get("rules") or [])
                history.setdefault(entry_id, []).append((int(version), rules))
        out: dict[tuple[str, int], list[Any]] = {}
        for entry_id, upto in pairs:
            in_effect: list[Any] = []
            for version, rules in history.get(entry_id, []):  # ascending
                if version <= upto:
                    in_effect = rules
            out[(entry_id, upto)] = in_effect
        return out

    async def with_descendants(self, term_ids: Iterable[str]) -> set[str]:
        found = set(term_ids)
        frontier = set(found)
        while frontier:
            rows = await self.session.execute(
                sa.select(col(TermRow.id)).where(
                    col(TermRow.parent_id).in_(list(frontier))
                )
            )
            frontier = set(rows.scalars()) - found
            found |= frontier
        return found

    async def sent_before(
        self, webhook_id: str, entry_ids: Collection[str]
    ) -> set[str]:
        """Which of these entries this subscription was sent an event of."""
        if not entry_ids:
            return set()
        rows = await self.session.execute(
            sa.select(col(WebhookDeliveryRow.entry_id))
            .where(
                col(WebhookDeliveryRow.webhook_id) == webhook_id,
                col(WebhookDeliveryRow.entry_id).in_(list(entry_ids)),
            )
            .distinct()
        )
        return set(rows.scalars())

    async def queue(self, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(sa.insert(WebhookDeliveryRow), list(rows))

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
