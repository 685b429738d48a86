"""The change log, the spine every follower reads: one repository for its
writes (each under the next ``publish_seq``, with a ``NOTIFY`` on
PostgreSQL) and its reads (the live generation, the sync API, the search
indexer)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.changes import ChangeKind, ChangeRecord
from content_hub.domain.sync import Change
from content_hub.store.notify import notify_change
from content_hub.store.repositories._util import next_counter, read_counter, utc
from content_hub.store.tables import ChangeRow

PUBLISH_SEQ = "publish_seq"


class ChangeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def head(self) -> int:
        """The highest committed sequence number.

        Numbers are taken under a lock held to commit, so every change at or
        below the value read here is already committed and visible.
        """
        return await read_counter(self.session, PUBLISH_SEQ)

    async def log(
        self,
        entry_id: str,
        type_key: str,
        kind: ChangeKind,
        when: datetime,
        *,
        key: str | None = None,
    ) -> int:
        """Append a change under the next ``publish_seq``; its number.

        Entry changes name the entry; configuration changes (locales, types,
        taxonomy, media, templates, audiences) use the entry id ``*``.
        """
        seq = await next_counter(self.session, PUBLISH_SEQ)
        self.session.add(
            ChangeRow(
                seq=seq,
                entry_id=entry_id,
                type_key=type_key,
                kind=kind,
                at=when,
                key=key,
            )
        )
        await self.session.flush()
        await notify_change(self.session, seq)
        return seq

    async def between(
        self, after: int, upto: int, kinds: Collection[str], limit: int
    ) -> list[Change]:
        rows = await self.session.execute(
            sa.select(ChangeRow)
            .where(
                col(ChangeRow.seq) > after,
                col(ChangeRow.seq) <= upto,
                col(ChangeRow.kind).in_(list(kinds)),
            )
            .order_by(col(ChangeRow.seq))
            .limit(limit)
        )
        return [
            Change(
                seq=r.seq,
                kind=r.kind,
                entry_id=r.entry_id,
                type=r.type_key,
                at=utc(r.at),
            )
            for r in rows.scalars()
        ]

    async def after(self, seq: int, limit: int) -> list[ChangeRecord]:
        """Changes after ``seq``, in order, at most ``limit``."""
        rows = await self.session.execute(
            sa.select(col(ChangeRow.seq), col(ChangeRow.entry_id), col(ChangeRow.kind))
            .where(col(ChangeRow.seq) > seq)
            .order_by(col(ChangeRow.seq))
            .limit(limit)
        )
        return [ChangeRecord(int(s), e, ChangeKind.parse(k)) for s, e, k in rows]
