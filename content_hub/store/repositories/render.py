"""Repositories of templates, audiences and entry personalisation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import msgspec
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from content_hub.domain.packed import PackedDocuments
from content_hub.domain.render import Audience, Template, TemplateParts
from content_hub.store.repositories._util import affected, utc
from content_hub.store.tables_render import (
    AudienceRow,
    PersonalizationRow,
    TemplatePublicationRow,
    TemplateRow,
)

WHOLE_TABLE = 5_000
"""From this many entries on, their personalisation is read in one pass."""


def _template(row: TemplateRow) -> Template:
    return Template(
        type=row.type_key,
        channel=row.channel,
        version=row.version,
        parts=msgspec.convert(row.parts, TemplateParts),
        created_at=utc(row.created_at),
        created_by=row.created_by,
    )


class Publication(NamedTuple):
    version: int
    at: datetime
    by: str


class TemplateRepository:
    """Every saved version of a channel's template; the latest is the draft,
    the one named in ``template_publication`` is live."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def latest(self, type_key: str, channel: str) -> Template | None:
        """The latest saved version: the draft (see :meth:`published`)."""
        rows = await self.session.execute(
            sa.select(TemplateRow)
            .where(
                col(TemplateRow.type_key) == type_key,
                col(TemplateRow.channel) == channel,
            )
            .order_by(col(TemplateRow.version).desc())
            .limit(1)
        )
        row = rows.scalar_one_or_none()
        return None if row is None else _template(row)

    async def versions(self, type_key: str, channel: str) -> list[Template]:
        rows = await self.session.execute(
            sa.select(TemplateRow)
            .where(
                col(TemplateRow.type_key) == type_key,
                col(TemplateRow.channel) == channel,
            )
            .order_by(col(TemplateRow.version))
        )
        return [_template(r) for r in rows.scalars()]

    async def get(self, type_key: str, channel: str, version: int) -> Template | None:
        rows = await self.session.execute(
            sa.select(TemplateRow).where(
                col(TemplateRow.type_key) == type_key,
                col(TemplateRow.channel) == channel,
                col(TemplateRow.version) == version,
            )
        )
        row = rows.scalar_one_or_none()
        return None if row is None else _template(row)

    async def publication(self, type_key: str, channel: str) -> Publication | None:
        """Which version is live (None: nothing published yet)."""
        row = await self.session.get(TemplatePublicationRow, (type_key, channel))
        if row is None:
            return None
        return Publication(row.version, utc(row.published_at), row.published_by)

    async def published(self, type_key: str, channel: str) -> Template | None:
        """The published version (what renders use)."""
        found = await self.publication(type_key, channel)
        return (
            None if found is None else await self.get(type_key, channel, found.version)
        )

    async def publish(
        self, type_key: str, channel: str, version: int, when: datetime, by: str
    ) -> None:
        row = await self.session.get(TemplatePublicationRow, (type_key, channel))
        if row is None:
            self.session.add(
                TemplatePublicationRow(
                    type_key=type_key,
                    channel=channel,
                    version=version,
                    published_at=when,
                    published_by=by,
                )
            )
        else:
            row.version, row.published_at, row.published_by = version, when, by
        await self.session.flush()

    async def all_published(self) -> list[Template]:
        """Every channel's published version (what the generation compiles)."""
        rows = await self.session.execute(
            sa.select(TemplateRow).join(
                TemplatePublicationRow,
                sa.and_(
                    col(TemplateRow.type_key) == col(TemplatePublicationRow.type_key),
                    col(TemplateRow.channel) == col(TemplatePublicationRow.channel),
                    col(TemplateRow.version) == col(TemplatePublicationRow.version),
                ),
            )
        )
        return [_template(r) for r in rows.scalars()]

    async def add(self, template: Template) -> None:
        self.session.add(
            TemplateRow(
                type_key=template.type,
                channel=template.channel,
                version=template.version,
                parts=msgspec.to_builtins(template.parts),
                created_at=template.created_at,
                created_by=template.created_by,
            )
        )
        await self.session.flush()


def _audience(row: AudienceRow) -> Audience:
    return Audience(
        key=row.key,
        name=row.name,
        condition=dict(row.condition),
        version=row.version,
        updated_at=utc(row.updated_at),
    )


class AudienceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def all(self) -> list[Audience]:
        rows = await self.session.execute(
            sa.select(AudienceRow).order_by(col(AudienceRow.key))
        )
        return [_audience(r) for r in rows.scalars()]

    async def get(self, key: str) -> Audience | None:
        row = await self.session.get(AudienceRow, key)
        return None if row is None else _audience(row)

    async def add(self, audience: Audience) -> None:
        self.session.add(
            AudienceRow(
                key=audience.key,
                name=audience.name,
                condition=audience.condition,
                version=audience.version,
                updated_at=audience.updated_at,
            )
        )
        await self.session.flush()

    async def update(self, audience: Audience, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.update(AudienceRow)
            .where(
                col(AudienceRow.key) == audience.key,
                col(AudienceRow.version) == expected_version,
            )
            .values(
                name=audience.name,
                condition=audience.condition,
                version=audience.version,
                updated_at=audience.updated_at,
            )
        )
        return affected(result)

    async def delete(self, key: str, *, expected_version: int) -> bool:
        result = await self.session.execute(
            sa.delete(AudienceRow).where(
                col(AudienceRow.key) == key,
                col(AudienceRow.version) == expected_version,
            )
        )
        return affected(result)


class PersonalizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, entry_id: str, version: int, data: dict[str, Any], when: datetime, by: str
    ) -> None:
        self.session.add(
            PersonalizationRow(
                entry_id=entry_id,
                version=version,
                data=data,
                created_at=when,
                created_by=by,
            )
        )
        await self.session.flush()

    async def as_of(self, entry_id: str, version: int) -> dict[str, Any]:
        """The variants and rules in effect for ``version`` of an entry."""
        rows = await self.session.execute(
            sa.select(col(PersonalizationRow.data))
            .where(
                col(PersonalizationRow.entry_id) == entry_id,
                col(PersonalizationRow.version) <= version,
            )
            .order_by(col(PersonalizationRow.version).desc())
            .limit(1)
        )
        data = rows.scalar_one_or_none()
        return dict(data) if data else {}

    async def as_of_many(
        self, versions: Mapping[str, int], previous: object = None
    ) -> PackedDocuments:
        """For each entry id, the data in effect for its given version, kept
        encoded (see :class:`~content_hub.domain.packed.PackedDocuments`).

        With the ``previous`` generation's documents, only entries whose
        version changed are read (a publish reads one entry, not 100,000).
        ``versions`` is kept by the result, not copied: pass a fresh mapping.
        Many ids (a generation load) are one streamed pass over the table; a
        few are read by id in chunks.
        """
        if isinstance(previous, PackedDocuments) and previous.versions is not None:
            known = previous.versions
            changed = {i: v for i, v in versions.items() if known.get(i) != v}
            new = sum(1 for i in changed if i not in known)
            removed = (  # only looked for when the counts say some are gone
                [i for i in known if i not in versions]
                if len(known) + new > len(versions)
                else []
            )
            found = await self._read(changed)
            return previous.replaced(
                found, [*removed, *(i for i in changed if i not in found)], versions
            )
        return PackedDocuments(await self._read(versions), versions)

    async def _read(self, versions: Mapping[str, int]) -> dict[str, bytes]:
        data = sa.cast(col(PersonalizationRow.data), sa.Text)
        query = sa.select(
            col(PersonalizationRow.entry_id), col(PersonalizationRow.version), data
        ).order_by(col(PersonalizationRow.entry_id), col(PersonalizationRow.version))
        out: dict[str, bytes] = {}
        if len(versions) > WHOLE_TABLE:
            await self._pick(query, versions, out)
            return out
        ids: Sequence[str] = list(versions)
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            await self._pick(
                query.where(col(PersonalizationRow.entry_id).in_(chunk)), versions, out
            )
        return out

    async def _pick(
        self,
        query: sa.Select[str, int, str],
        versions: Mapping[str, int],
        out: dict[str, bytes],
    ) -> None:
        """The latest row at or below each entry's version (rows come by entry
        id, then version); empty documents are left out."""
        result = await self.session.stream(query)
        async for rows in result.partitions(2_000):
            for entry_id, version, text in rows:
                wanted = versions.get(entry_id)
                if wanted is None or version > wanted:
                    continue
                if text is None or text in ("{}", "null"):
                    out.pop(entry_id, None)
                else:
                    out[entry_id] = text.encode()
