"""Taxonomy and term repository, and which entries use which terms."""

from __future__ import annotations

from collections.abc import Collection

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.taxonomy import Taxonomy, Term
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables import (
    EntryRevisionRow,
    EntryRow,
    EntryTermRow,
    TaxonomyRow,
    TermRow,
)


def _taxonomy(row: TaxonomyRow) -> Taxonomy:
    return Taxonomy(
        key=row.key,
        name=row.name,
        description=row.description,
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
    )


def _term(row: TermRow) -> Term:
    return Term(
        id=row.id,
        taxonomy=row.taxonomy_key,
        key=row.key,
        parent_id=row.parent_id,
        labels=dict(row.labels),
        position=row.position,
        version=row.version,
        created_at=utc(row.created_at),
        updated_at=utc(row.updated_at),
        merged_into=row.merged_into,
    )


class TaxonomyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def taxonomies(self) -> list[Taxonomy]:
        rows = await self.session.execute(
            sa.select(TaxonomyRow).order_by(col(TaxonomyRow.key))
        )
        return [_taxonomy(r) for r in rows.scalars()]

    async def get(self, key: str) -> Taxonomy | None:
        row = await self.session.get(TaxonomyRow, key)
        return None if row is None else _taxonomy(row)

    async def add(self, taxonomy: Taxonomy) -> None:
        self.session.add(
            TaxonomyRow(
                key=taxonomy.key,
                name=taxonomy.name,
                description=taxonomy.description,
                version=taxonomy.version,
                created_at=taxonomy.created_at,
                updated_at=taxonomy.updated_at,
            )
        )
        await self.session.flush()

    async def update(self, taxonomy: Taxonomy, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(TaxonomyRow)
            .where(
                col(TaxonomyRow.key) == taxonomy.key,
                col(TaxonomyRow.version) == expected_version,
            )
            .values(
                name=taxonomy.name,
                description=taxonomy.description,
                version=taxonomy.version,
                updated_at=taxonomy.updated_at,
            )
        )
        return affected(result)

    async def delete(self, key: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(TaxonomyRow).where(
                col(TaxonomyRow.key) == key,
                col(TaxonomyRow.version) == expected_version,
            )
        )
        return affected(result)

    async def terms(self, taxonomy: str | None = None) -> list[Term]:
        """Terms (all, or of one taxonomy), tombstones of deleted ones included."""
        query = sa.select(TermRow).order_by(
            col(TermRow.taxonomy_key), col(TermRow.position), col(TermRow.key)
        )
        if taxonomy is not None:
            query = query.where(col(TermRow.taxonomy_key) == taxonomy)
        rows = await self.session.execute(query)
        return [_term(r) for r in rows.scalars()]

    async def add_term(self, term: Term) -> None:
        self.session.add(
            TermRow(
                id=term.id,
                taxonomy_key=term.taxonomy,
                key=term.key,
                parent_id=term.parent_id,
                labels=term.labels,
                position=term.position,
                version=term.version,
                created_at=term.created_at,
                updated_at=term.updated_at,
            )
        )
        await self.session.flush()

    async def update_term(self, term: Term, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(TermRow)
            .where(
                col(TermRow.id) == term.id,
                col(TermRow.version) == expected_version,
            )
            .values(
                key=term.key,
                parent_id=term.parent_id,
                labels=term.labels,
                position=term.position,
                merged_into=term.merged_into,
                version=term.version,
                updated_at=term.updated_at,
            )
        )
        return affected(result)

    async def delete_term(self, term_id: str) -> None:
        await self.session.execute(sa.delete(TermRow).where(col(TermRow.id) == term_id))

    async def reassign(self, old: str, new: str) -> None:
        """Point drafts' term index from ``old`` to ``new`` (JSON stays; the
        tombstone of ``old`` resolves to ``new``)."""
        users = await self.session.execute(
            sa.select(col(EntryTermRow.entry_id)).where(
                col(EntryTermRow.term_id) == old
            )
        )
        ids = [r[0] for r in users]
        await self.session.execute(
            sa.delete(EntryTermRow).where(col(EntryTermRow.term_id) == old)
        )
        if not ids:
            return
        have = await self.session.execute(
            sa.select(col(EntryTermRow.entry_id)).where(
                col(EntryTermRow.term_id) == new, col(EntryTermRow.entry_id).in_(ids)
            )
        )
        already = {r[0] for r in have}
        for entry_id in ids:
            if entry_id not in already:
                self.session.add(EntryTermRow(entry_id=entry_id, term_id=new))
        await self.session.flush()

    async def entries_using(
        self, term_ids: Collection[str], limit: int = 100
    ) -> list[dict[str, str]]:
        """Entries whose draft or published copy carries one of ``term_ids``."""
        found: dict[str, dict[str, str]] = {}
        drafts = await self.session.execute(
            sa.select(col(EntryRow.id), col(EntryRow.type_key), col(EntryRow.key))
            .join(EntryTermRow, col(EntryTermRow.entry_id) == col(EntryRow.id))
            .where(col(EntryTermRow.term_id).in_(list(term_ids)))
            .limit(limit)
        )
        for eid, type_key, key in drafts:
            found[eid] = {"id": eid, "type": type_key, "key": key}
        published = await self.session.execute(
            sa.select(
                col(EntryRow.id),
                col(EntryRow.type_key),
                col(EntryRow.key),
                col(EntryRevisionRow.terms),
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
        wanted = set(term_ids)
        for eid, type_key, key, terms in published:
            if len(found) >= limit:
                break
            if terms and wanted.intersection(terms):
                found.setdefault(eid, {"id": eid, "type": type_key, "key": key})
        return list(found.values())
