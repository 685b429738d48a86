"""Entry repository: drafts, revisions, published copies and the change log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.changes import ChangeKind
from content_hub.domain.entries import Entry, EntryStatus, PublishedEntry
from content_hub.store.notify import notify_change
from content_hub.store.repositories._shared import decode_json, paused_gc
from content_hub.store.repositories._util import (
    affected,
    next_counter,
    utc,
    utc_or_none,
)
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.tables import (
    ChangeRow,
    EntryRevisionRow,
    EntryRow,
    EntryTermRow,
)

PUBLISH_SEQ = "publish_seq"
PARTITION = 2_000
"""Rows fetched from the driver at a time by the generation reads."""


def _to_domain(row: EntryRow) -> Entry:
    return Entry(
        id=row.id,
        type=row.type_key,
        key=row.key,
        fields=dict(row.fields),
        status=EntryStatus(row.status),
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        created_by=row.created_by,
        updated_by=row.updated_by,
        published_version=row.published_version,
        published_at=utc_or_none(row.published_at),
        terms=list(row.terms or []),
        publish_at=utc_or_none(row.publish_at),
        unpublish_at=utc_or_none(row.unpublish_at),
    )


class EntryFilter:
    """Filters of the entry list; ``None`` means "any"."""

    def __init__(
        self,
        *,
        type_keys: Sequence[str] | None = None,
        status: str | None = None,
        key: str | None = None,
        term_ids: Sequence[str] | None = None,
    ) -> None:
        self.type_keys = type_keys
        self.status = status
        self.key = key
        self.term_ids = term_ids


class EntryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, entry_id: str) -> Entry | None:
        row = await self.session.get(EntryRow, entry_id)
        return None if row is None else _to_domain(row)

    async def by_key(self, type_key: str, key: str) -> Entry | None:
        result = await self.session.execute(
            sa.select(EntryRow).where(
                col(EntryRow.type_key) == type_key, col(EntryRow.key) == key
            )
        )
        row = result.scalar_one_or_none()
        return None if row is None else _to_domain(row)

    async def page(
        self, flt: EntryFilter, *, after: str | None, limit: int
    ) -> list[Entry]:
        query = sa.select(EntryRow).order_by(col(EntryRow.id)).limit(limit)
        if after is not None:
            query = query.where(col(EntryRow.id) > after)
        if flt.type_keys is not None:
            query = query.where(col(EntryRow.type_key).in_(flt.type_keys))
        if flt.status is not None:
            query = query.where(col(EntryRow.status) == flt.status)
        if flt.key is not None:
            query = query.where(col(EntryRow.key) == flt.key)
        if flt.term_ids is not None:
            query = query.where(
                sa.exists().where(
                    col(EntryTermRow.entry_id) == col(EntryRow.id),
                    col(EntryTermRow.term_id).in_(flt.term_ids),
                )
            )
        rows = await self.session.execute(query)
        return [_to_domain(r) for r in rows.scalars()]

    async def all_ids(self) -> list[str]:
        rows = await self.session.execute(
            sa.select(col(EntryRow.id)).order_by(col(EntryRow.id))
        )
        return [row[0] for row in rows]

    async def existing_ids(self, ids: Sequence[str]) -> dict[str, str]:
        """Map of id -> content type for those ``ids`` that exist."""
        if not ids:
            return {}
        rows = await self.session.execute(
            sa.select(col(EntryRow.id), col(EntryRow.type_key)).where(
                col(EntryRow.id).in_(ids)
            )
        )
        return {row[0]: row[1] for row in rows}

    async def add(self, entry: Entry) -> None:
        self.session.add(
            EntryRow(
                id=entry.id,
                type_key=entry.type,
                key=entry.key,
                fields=entry.fields,
                status=str(entry.status),
                version=entry.version,
                created_at=entry.created_at,
                updated_at=entry.updated_at,
                created_by=entry.created_by,
                updated_by=entry.updated_by,
                terms=entry.terms,
            )
        )
        await self.session.flush()
        await self._set_terms(entry, new=True)
        await self._add_revision(entry)

    async def update(self, entry: Entry, *, expected_version: int) -> bool:
        """Write a new draft version if nobody else did since ``expected_version``."""
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(
                col(EntryRow.id) == entry.id, col(EntryRow.version) == expected_version
            )
            .values(
                key=entry.key,
                fields=entry.fields,
                status=str(entry.status),
                version=entry.version,
                updated_at=entry.updated_at,
                updated_by=entry.updated_by,
                terms=entry.terms,
            )
        )
        if not affected(result):
            return False
        await self._set_terms(entry, new=False)
        await self._add_revision(entry)
        return True

    async def _set_terms(self, entry: Entry, *, new: bool) -> None:
        """Keep the ``entry_term`` index in step with ``entry.terms``."""
        if not new:
            await self.session.execute(
                sa.delete(EntryTermRow).where(col(EntryTermRow.entry_id) == entry.id)
            )
        for term_id in dict.fromkeys(entry.terms):
            self.session.add(EntryTermRow(entry_id=entry.id, term_id=term_id))
        await self.session.flush()

    async def _add_revision(self, entry: Entry) -> None:
        """Every save is a revision, and a ``saved`` change for followers of
        the change log (the search indexer indexes drafts from it)."""
        self.session.add(
            EntryRevisionRow(
                entry_id=entry.id,
                version=entry.version,
                key=entry.key,
                fields=entry.fields,
                created_at=entry.updated_at,
                created_by=entry.updated_by,
                terms=entry.terms,
            )
        )
        await ChangeRepository(self.session).log(
            entry.id, entry.type, ChangeKind.SAVED, entry.updated_at, key=entry.key
        )

    async def set_published(
        self,
        entry: Entry,
        *,
        expected_version: int,
        published_version: int | None,
        status: EntryStatus,
        when: datetime,
        by: str,
    ) -> int | None:
        """Publish (a version) or unpublish (``None``); returns the change seq."""
        seq = await next_counter(self.session, PUBLISH_SEQ)
        result = await self.session.execute(
            sa.update(EntryRow)
            .where(
                col(EntryRow.id) == entry.id, col(EntryRow.version) == expected_version
            )
            .values(
                published_version=published_version,
                published_at=when if published_version is not None else None,
                status=str(status),
                publish_seq=seq,
                updated_by=by,
            )
        )
        if not affected(result):
            return None
        kind = (
            ChangeKind.PUBLISHED
            if published_version is not None
            else ChangeKind.UNPUBLISHED
        )
        live = (
            published_version
            if published_version is not None
            else entry.published_version
        )
        self.session.add(
            ChangeRow(
                seq=seq,
                entry_id=entry.id,
                type_key=entry.type,
                kind=kind,
                at=when,
                version=published_version,
                before=entry.published_version if published_version else None,
                key=await self._key_at(entry, live),
            )
        )
        await self.session.flush()
        await notify_change(self.session, seq)
        return seq

    async def _key_at(self, entry: Entry, version: int | None) -> str:
        """The entry's key in ``version`` (a published one: the key that was
        live), the current key when that is the version or it is unknown."""
        if version is None or version == entry.version:
            return entry.key
        key = await self.session.scalar(
            sa.select(col(EntryRevisionRow.key)).where(
                col(EntryRevisionRow.entry_id) == entry.id,
                col(EntryRevisionRow.version) == version,
            )
        )
        return str(key) if key is not None else entry.key

    async def delete(
        self, entry: Entry, *, expected_version: int, when: datetime
    ) -> bool:
        key = await self._key_at(entry, entry.published_version)  # revisions go too
        result = await self.session.execute(
            sa.delete(EntryRow).where(
                col(EntryRow.id) == entry.id, col(EntryRow.version) == expected_version
            )
        )
        if not affected(result):
            return False
        await ChangeRepository(self.session).log(
            entry.id, entry.type, ChangeKind.DELETED, when, key=key
        )
        return True

    async def published(
        self, entry_ids: Sequence[str] | None = None
    ) -> list[PublishedEntry]:
        """Published copies (all, or of ``entry_ids``), joined with their revision.

        Streamed in partitions and decoded from the stored JSON text (see
        ``_shared``): a full load of 100,000 entries is one pass, not a list
        of rows and then a copy of each.
        """
        query = (
            sa.select(
                col(EntryRow.id),
                col(EntryRow.type_key),
                col(EntryRevisionRow.key),
                sa.cast(col(EntryRevisionRow.fields), sa.Text),
                col(EntryRow.published_version),
                col(EntryRow.published_at),
                col(EntryRow.publish_seq),
                sa.cast(col(EntryRevisionRow.terms), sa.Text),
            )
            .join(
                EntryRevisionRow,
                sa.and_(
                    col(EntryRevisionRow.entry_id) == col(EntryRow.id),
                    col(EntryRevisionRow.version) == col(EntryRow.published_version),
                ),
            )
            .where(col(EntryRow.published_version).is_not(None))
        )
        if entry_ids is not None:
            query = query.where(col(EntryRow.id).in_(entry_ids))
        type_keys: dict[str, str] = {}
        out: list[PublishedEntry] = []
        result = await self.session.stream(query)
        with paused_gc():
            async for rows in result.partitions(PARTITION):
                for eid, type_key, key, fields, version, at, seq, terms in rows:
                    if version is None or at is None:  # not published: not selected
                        continue
                    out.append(
                        PublishedEntry(
                            id=eid,
                            type=type_keys.setdefault(type_key, type_key),
                            key=key,
                            fields=decode_json(fields),
                            version=int(version),
                            published_at=utc(at),
                            publish_seq=int(seq),
                            terms=decode_json(terms) or [],
                        )
                    )
        return out
