"""What the webhook dispatcher's fan-out reads and writes: changes after its
cursor, the facts its events carry, and the deliveries it queues. (Sending
and recording them: :mod:`.webhook_queue`.)"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.releases import Release
from content_hub.domain.webhooks import Webhook
from content_hub.store.db import insert_ignoring_conflict
from content_hub.store.repositories._util import read_counter, utc
from content_hub.store.repositories.changes import PUBLISH_SEQ
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
    WebhookDeliveryRow,
    WebhookRow,
)

CURSOR = "webhook_cursor"


def idle_query(
    now: datetime | sa.BindParameter[Any],
) -> sa.Select[tuple[Any, Any, bool]]:
    """(change-log head, fan-out cursor, whether a delivery is due by ``now``);
    the SQLite point reader compiles it once with ``now`` a bind parameter."""

    def counter(name: str) -> Any:
        return (
            sa.select(col(CounterRow.value))
            .where(col(CounterRow.name) == name)
            .scalar_subquery()
        )

    due = (
        sa.select(sa.literal(1))
        .select_from(WebhookDeliveryRow)
        .join(WebhookRow, col(WebhookRow.id) == col(WebhookDeliveryRow.webhook_id))
        .where(
            col(WebhookDeliveryRow.status) == "pending",
            col(WebhookDeliveryRow.next_at) <= now,
            col(WebhookRow.active).is_(True),
        )
        .exists()
    )
    return sa.select(counter(PUBLISH_SEQ), counter(CURSOR), due)


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

    async def idle(self, now: datetime) -> bool:
        """Nothing to do: no change after the cursor, and no pending delivery
        of an active subscription due by ``now`` (one cheap read; the
        dispatcher's full round costs two sessions and several queries)."""
        row = (await self.session.execute(idle_query(now))).one()
        return int(row[0] or 0) <= int(row[1] or 0) and not row[2]

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
