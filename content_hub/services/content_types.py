"""Content type use cases."""

from __future__ import annotations

from collections.abc import Sequence

from content_hub.domain.changes import ChangeKind
from content_hub.domain.content_types import ContentType, FieldDef, check_definition
from content_hub.domain.errors import Conflict, NotFound, ValidationFailed
from content_hub.domain.inputs import ContentTypeCreate, ContentTypeUpdate
from content_hub.domain.pagination import Page, decode_cursor, page_of
from content_hub.domain.permissions import Action, require
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.services.type_changes import (
    affected_entries,
    migrate_entries,
    refuse,
)
from content_hub.store.repositories import ContentTypeRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository


class ContentTypeService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = ContentTypeRepository(deps.session)

    async def page(self, *, cursor: str | None, limit: int) -> Page[ContentType]:
        items = await self.repo.page(after=decode_cursor(cursor), limit=limit + 1)
        return page_of(items, limit, lambda t: t.key)

    async def get(self, key: str) -> ContentType:
        ctype = await self.repo.get(key)
        if ctype is None:
            raise NotFound(f"No content type {key!r}.")
        return ctype

    async def create(self, data: ContentTypeCreate) -> ContentType:
        require(self.deps.actor, Action.TYPES_WRITE)
        self._check(data.fields, data.channels)
        if await self.repo.get(data.key) is not None:
            raise Conflict(f"Content type {data.key!r} already exists.")
        when = now()
        ctype = ContentType(
            key=data.key,
            name=data.name,
            description=data.description,
            fields=list(data.fields),
            channels=list(data.channels),
            version=1,
            created_at=when,
            updated_at=when,
        )
        await self.repo.add(ctype)
        await self._changed()
        await record(self.deps, "create", "content_type", ctype.key, after=1)
        return ctype

    async def update(
        self,
        key: str,
        data: ContentTypeUpdate,
        expected: int | None,
        migrate: bool = False,
    ) -> ContentType:
        """Replace the definition; a change existing entries break is refused
        (409 listing them) unless ``migrate`` (see ``type_changes``)."""
        require(self.deps.actor, Action.TYPES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "content type")
        self._check(data.fields, data.channels)
        updated = ContentType(
            key=key,
            name=data.name,
            description=data.description,
            fields=list(data.fields),
            channels=list(data.channels),
            version=current.version + 1,
            created_at=current.created_at,
            updated_at=now(),
        )
        affected = await affected_entries(self.deps, updated)
        if affected and not migrate:
            raise refuse(updated, affected)
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("content type")
        await self._changed()
        await record(
            self.deps,
            "update",
            "content_type",
            key,
            before=current.version,
            after=updated.version,
            detail={"migrated_entries": len({a.entry.id for a in affected})},
        )
        if affected:
            await migrate_entries(self.deps, updated, affected, data.migration_defaults)
        return updated

    async def delete(self, key: str, expected: int | None) -> None:
        require(self.deps.actor, Action.TYPES_WRITE)
        current = await self.get(key)
        require_version(expected, current.version, "content type")
        count = await self.repo.entry_count(key)
        if count:
            raise Conflict(
                f"Content type {key!r} still has {count} entries; delete them first.",
                extra={"entries": count},
            )
        if not await self.repo.delete(key, expected_version=current.version):
            raise stale("content type")
        await self._changed()
        await record(self.deps, "delete", "content_type", key, before=current.version)

    @staticmethod
    def _check(fields: Sequence[FieldDef], channels: Sequence[str]) -> None:
        errors = check_definition(list(fields), list(channels))
        if errors:
            raise ValidationFailed(
                "The content type definition is invalid.", errors=errors
            )

    async def _changed(self) -> None:
        self.deps.forget()
        await ChangeRepository(self.deps.session).log("*", "*", ChangeKind.TYPES, now())
        self.deps.delivery_changed()
