"""Translation sources and review states (see ``domain.translations``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.translations import Key, Review, ReviewState
from content_hub.store.repositories._util import affected
from content_hub.store.tables import EntryRow, EntryTermRow
from content_hub.store.tables_l10n import TranslationReviewRow, TranslationSourceRow

SCAN = 500
"""Entries read at a time by :meth:`TranslationRepository.entries`."""


class TranslationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self, entry_id: str, written: Mapping[Key, str], at: datetime
    ) -> None:
        """Remember the source hash of each translation a save wrote."""
        if not written:
            return
        keys = list(written)
        await self.session.execute(
            sa.delete(TranslationSourceRow).where(
                col(TranslationSourceRow.entry_id) == entry_id,
                sa.tuple_(
                    col(TranslationSourceRow.field), col(TranslationSourceRow.locale)
                ).in_(keys),
            )
        )
        for (field, locale), digest in written.items():
            self.session.add(
                TranslationSourceRow(
                    entry_id=entry_id,
                    field=field,
                    locale=locale,
                    source_hash=digest,
                    written_at=at,
                )
            )
        await self.session.flush()

    async def sources(self, entry_ids: Sequence[str]) -> dict[str, dict[Key, str]]:
        """Recorded source hashes per entry of ``entry_ids``."""
        out: dict[str, dict[Key, str]] = {}
        if not entry_ids:
            return out
        rows = await self.session.execute(
            sa.select(
                col(TranslationSourceRow.entry_id),
                col(TranslationSourceRow.field),
                col(TranslationSourceRow.locale),
                col(TranslationSourceRow.source_hash),
            ).where(col(TranslationSourceRow.entry_id).in_(entry_ids))
        )
        for eid, field, locale, digest in rows:
            out.setdefault(eid, {})[(field, locale)] = digest
        return out

    async def reviews(self, entry_ids: Sequence[str]) -> dict[tuple[str, str], Review]:
        """Review states by (entry id, locale)."""
        if not entry_ids:
            return {}
        rows = await self.session.execute(
            sa.select(TranslationReviewRow).where(
                col(TranslationReviewRow.entry_id).in_(entry_ids)
            )
        )
        return {
            (r.entry_id, r.locale): Review(
                entry_id=r.entry_id,
                locale=r.locale,
                state=ReviewState(r.state),
                version=r.version,
                updated_by=r.updated_by,
            )
            for r in rows.scalars()
        }

    async def set_review(
        self, review: Review, *, expected_version: int, at: datetime
    ) -> bool:
        """Write a review state if nobody else did since ``expected_version``
        (0: none exists yet)."""
        assert review.state is not None
        assert review.updated_by is not None
        if expected_version == 0:
            existing = await self.session.get(
                TranslationReviewRow, (review.entry_id, review.locale)
            )
            if existing is not None:
                return False
            self.session.add(
                TranslationReviewRow(
                    entry_id=review.entry_id,
                    locale=review.locale,
                    state=str(review.state),
                    version=review.version,
                    updated_at=at,
                    updated_by=review.updated_by,
                )
            )
            await self.session.flush()
            return True
        result = await self.session.execute(
            sa.update(TranslationReviewRow)
            .where(
                col(TranslationReviewRow.entry_id) == review.entry_id,
                col(TranslationReviewRow.locale) == review.locale,
                col(TranslationReviewRow.version) == expected_version,
            )
            .values(
                state=str(review.state),
                version=review.version,
                updated_at=at,
                updated_by=review.updated_by,
            )
        )
        return affected(result)

    async def tagged(self, term_ids: Sequence[str]) -> set[str]:
        """Ids of the entries that carry any of ``term_ids``."""
        rows = await self.session.execute(
            sa.select(col(EntryTermRow.entry_id))
            .where(col(EntryTermRow.term_id).in_(list(term_ids)))
            .distinct()
        )
        return set(rows.scalars())

    async def entries(
        self,
        type_keys: Sequence[str] | None,
        after: str | None,
        *,
        inclusive: bool = False,
        limit: int = SCAN,
    ) -> list[tuple[str, str, str, dict[str, Any], int]]:
        """(id, type, key, draft fields, version) of entries in id order after
        ``after`` (or from it, ``inclusive``)."""
        query = (
            sa.select(
                col(EntryRow.id),
                col(EntryRow.type_key),
                col(EntryRow.key),
                col(EntryRow.fields),
                col(EntryRow.version),
            )
            .order_by(col(EntryRow.id))
            .limit(limit)
        )
        if after is not None:
            bound = col(EntryRow.id)
            query = query.where(bound >= after if inclusive else bound > after)
        if type_keys is not None:
            query = query.where(col(EntryRow.type_key).in_(type_keys))
        rows = await self.session.execute(query)
        return [(r[0], r[1], r[2], dict(r[3]), int(r[4])) for r in rows]
