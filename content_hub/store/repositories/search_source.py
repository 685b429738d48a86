"""What search documents are built from, read from one snapshot.

An entry's draft and its published copy are read in one query, and a batch
of entries (with the types, locales and terms their documents need) in one
transaction: :meth:`SearchSourceRepository.begin_snapshot` makes that
transaction a read-only ``REPEATABLE READ`` one on PostgreSQL, where each
statement would otherwise see the database as of its own start. On SQLite a
transaction already reads one snapshot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col

from content_hub.domain.entries import Entry
from content_hub.store.repositories.entries import _to_domain
from content_hub.store.tables import EntryRevisionRow, EntryRow


class PublishedCopy(msgspec.Struct, frozen=True, kw_only=True):
    """The published revision of an entry, as its search documents need it."""

    version: int
    key: str
    fields: dict[str, Any]


class EntryState(msgspec.Struct, frozen=True):
    """The revisions an entry's search documents must carry."""

    version: int
    published_version: int | None


class SearchSourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def begin_snapshot(self) -> None:
        """Make this transaction read one snapshot (call before any read)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.connection(
                execution_options={"isolation_level": "REPEATABLE READ"}
            )
            await self.session.execute(sa.text("SET TRANSACTION READ ONLY"))

    async def entries(
        self, entry_ids: Sequence[str]
    ) -> dict[str, tuple[Entry, PublishedCopy | None]]:
        """Each existing entry's draft and published copy, in one query."""
        if not entry_ids:
            return {}
        live = aliased(EntryRevisionRow)
        rows = await self.session.execute(
            sa.select(EntryRow, live)
            .outerjoin(
                live,
                sa.and_(
                    col(live.entry_id) == col(EntryRow.id),
                    col(live.version) == col(EntryRow.published_version),
                ),
            )
            .where(col(EntryRow.id).in_(list(entry_ids)))
        )
        out: dict[str, tuple[Entry, PublishedCopy | None]] = {}
        for row, revision in rows:
            entry = _to_domain(row)
            copy = None
            if revision is not None and entry.published_version is not None:
                copy = PublishedCopy(
                    version=revision.version,
                    key=revision.key,
                    fields=dict(revision.fields),
                )
            out[entry.id] = (entry, copy)
        return out

    async def states(self) -> dict[str, EntryState]:
        """Every entry's draft and published version (to reconcile an index)."""
        rows = await self.session.execute(
            sa.select(
                col(EntryRow.id),
                col(EntryRow.version),
                col(EntryRow.published_version),
            )
        )
        return {eid: EntryState(int(v), pv) for eid, v, pv in rows}
