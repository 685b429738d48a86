"""Entry use cases: create, edit, publish, unpublish, delete."""

from __future__ import annotations

from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType
from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.errors import (
    BadRequest,
    Conflict,
    FieldError,
    NotFound,
    ValidationFailed,
)
from content_hub.domain.ids import new_id
from content_hub.domain.inputs import EntryCreate, EntryPatch, EntryUpdate
from content_hub.domain.pagination import Page, decode_cursor, page_of
from content_hub.domain.permissions import Action, allowed, denied, require
from content_hub.domain.translator_edits import check_entry_edit
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.services.entry_validation import validate_entry_fields
from content_hub.services.locale_publish import publish_locales
from content_hub.services.taxonomy import resolve_terms, term_index
from content_hub.services.translations import track
from content_hub.store.repositories import ContentTypeRepository, EntryRepository
from content_hub.store.repositories._util import now
from content_hub.store.repositories.entries import EntryFilter


class EntryService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = EntryRepository(deps.session)
        self.types = ContentTypeRepository(deps.session)

    async def get(self, entry_id: str) -> Entry:
        entry = await self.repo.get(entry_id)
        if entry is None:
            raise NotFound(f"No entry {entry_id!r}.")
        return entry

    async def by_key(self, type_key: str, key: str) -> Entry:
        entry = await self.repo.by_key(type_key, key)
        if entry is None:
            raise NotFound(f"No entry {key!r} of type {type_key!r}.")
        return entry

    async def page(
        self,
        *,
        type_key: str | None,
        status: str | None,
        channel: str | None,
        cursor: str | None,
        limit: int,
        term: str | None = None,
    ) -> Page[Entry]:
        type_keys: list[str] | None = None
        if type_key is not None:
            type_keys = [type_key]
        if channel is not None:
            matching = [t.key for t in await self.types.all() if channel in t.channels]
            type_keys = [t for t in (type_keys or matching) if t in matching]
        term_ids = await self.term_filter(term) if term is not None else None
        flt = EntryFilter(type_keys=type_keys, status=status, term_ids=term_ids)
        items = await self.repo.page(flt, after=decode_cursor(cursor), limit=limit + 1)
        return page_of(items, limit, lambda e: e.id)

    async def term_filter(self, ref: str) -> list[str]:
        """A term and its descendants (and terms merged into them)."""
        index = await term_index(self.deps)
        found = index.by_ref(ref)
        if found is None:
            raise BadRequest(
                f"No term {ref!r}; filter by a term id or 'taxonomy:key'.",
                extra={"term": ref},
            )
        return sorted(index.subtree(found.id))

    def require_edit(self) -> None:
        """An edit needs ``entries.write`` or, limited to the actor's locales
        (checked on the validated fields in :meth:`save`), ``entries.translate``."""
        actor = self.deps.actor
        if not allowed(actor, Action.ENTRIES_WRITE) and not allowed(
            actor, Action.ENTRIES_TRANSLATE
        ):
            raise denied(actor, Action.ENTRIES_WRITE)

    async def create(self, data: EntryCreate) -> Entry:
        require(self.deps.actor, Action.ENTRIES_WRITE)
        ctype = await self._type(data.type, loc=["type"])
        fields = await self._validate(ctype, data.fields, require=False)
        terms = resolve_terms(await term_index(self.deps), list(data.terms))
        if await self.repo.by_key(data.type, data.key) is not None:
            raise Conflict(
                f"An entry {data.key!r} of type {data.type!r} already exists."
            )
        when = now()
        actor = self.deps.actor.name
        entry = Entry(
            id=new_id(),
            type=data.type,
            key=data.key,
            fields=fields,
            status=EntryStatus.DRAFT,
            version=1,
            created_at=when,
            updated_at=when,
            created_by=actor,
            updated_by=actor,
            terms=terms,
        )
        await self.repo.add(entry)
        await track(self.deps, ctype, entry.id, {}, fields)
        await record(self.deps, "create", "entry", entry.id, after=1)
        return entry

    async def replace(
        self, entry_id: str, data: EntryUpdate, expected: int | None
    ) -> Entry:
        self.require_edit()
        current = await self.get(entry_id)
        require_version(expected, current.version, "entry")
        return await self._audited_save(current, data.key, data.fields, data.terms)

    async def patch(
        self, entry_id: str, data: EntryPatch, expected: int | None
    ) -> Entry:
        self.require_edit()
        current = await self.get(entry_id)
        require_version(expected, current.version, "entry")
        ctype = await self._type(current.type)
        merged = dict(current.fields)
        for key, value in data.fields.items():
            fdef = ctype.field(key)
            if fdef is not None and fdef.localized and isinstance(value, dict):
                per_locale = dict(merged.get(key) or {})
                for code, item in value.items():
                    if item is None:
                        per_locale.pop(code, None)
                    else:
                        per_locale[code] = item
                merged[key] = per_locale
            elif value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        return await self._audited_save(
            current, data.key or current.key, merged, data.terms
        )

    async def _audited_save(
        self,
        current: Entry,
        key: str,
        fields: dict[str, Any],
        terms: list[str] | None,
    ) -> Entry:
        updated = await self.save(current, key, fields, terms)
        await record(
            self.deps,
            "update",
            "entry",
            current.id,
            before=current.version,
            after=updated.version,
        )
        return updated

    async def save(
        self,
        current: Entry,
        key: str,
        fields: dict[str, Any],
        terms: list[str] | None,
    ) -> Entry:
        """Write a new draft revision (the caller audits it). Someone who may
        not ``entries.write`` may change only what they may translate."""
        ctype = await self._type(current.type)
        clean = await self._validate(ctype, fields, require=False)
        term_ids = (
            current.terms
            if terms is None
            else resolve_terms(await term_index(self.deps), list(terms))
        )
        check_entry_edit(self.deps.actor, ctype, current, key, clean, term_ids)
        if key != current.key:
            other = await self.repo.by_key(current.type, key)
            if other is not None:
                raise Conflict(
                    f"An entry {key!r} of type {current.type!r} already exists."
                )
        status = (
            EntryStatus.DRAFT
            if current.status is EntryStatus.ARCHIVED
            else current.status
        )
        updated = msgspec.structs.replace(
            current,
            key=key,
            fields=clean,
            status=status,
            version=current.version + 1,
            updated_at=now(),
            updated_by=self.deps.actor.name,
            terms=term_ids,
        )
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("entry")
        await track(self.deps, ctype, current.id, current.fields, clean)
        return updated

    async def publish(
        self,
        entry_id: str,
        expected: int | None,
        locales: list[str] | None = None,
    ) -> Entry:
        """Publish the draft; with ``locales``, only those locales' values
        (:mod:`content_hub.services.locale_publish`)."""
        require(self.deps.actor, Action.ENTRIES_PUBLISH)
        current = await self.get(entry_id)
        require_version(expected, current.version, "entry")
        if locales is not None:
            return await publish_locales(self, current, locales)
        return await self.publish_current(current)

    async def publish_current(self, current: Entry, action: str = "publish") -> Entry:
        """Publish ``current`` as read in this unit of work."""
        require(self.deps.actor, Action.ENTRIES_PUBLISH)
        if current.status is EntryStatus.ARCHIVED:
            raise Conflict("The entry is archived; restore it before publishing.")
        ctype = await self._type(current.type)
        await self._validate(ctype, current.fields, require=True)
        return await self._set_publication(
            current, current.version, EntryStatus.PUBLISHED, action
        )

    async def unpublish(self, entry_id: str, expected: int | None) -> Entry:
        require(self.deps.actor, Action.ENTRIES_PUBLISH)
        current = await self.get(entry_id)
        require_version(expected, current.version, "entry")
        return await self.unpublish_current(current)

    async def unpublish_current(
        self,
        current: Entry,
        action: str = "unpublish",
        status: EntryStatus = EntryStatus.DRAFT,
    ) -> Entry:
        """Take ``current`` (as read in this unit of work) out of delivery."""
        require(self.deps.actor, Action.ENTRIES_PUBLISH)
        if current.published_version is None:
            raise Conflict("The entry is not published.")
        return await self._set_publication(current, None, status, action)

    async def _set_publication(
        self,
        current: Entry,
        published_version: int | None,
        status: EntryStatus,
        action: str,
    ) -> Entry:
        """Publish a version (or unpublish: ``None``), audit it, and tell delivery."""
        when = now()
        seq = await self.repo.set_published(
            current,
            expected_version=current.version,
            published_version=published_version,
            status=status,
            when=when,
            by=self.deps.actor.name,
        )
        if seq is None:
            raise stale("entry")
        self.deps.delivery_changed()
        await record(
            self.deps,
            action,
            "entry",
            current.id,
            before=current.published_version,
            after=current.version,
        )
        return msgspec.structs.replace(
            current,
            status=status,
            published_version=published_version,
            published_at=when if published_version is not None else None,
            updated_by=self.deps.actor.name,
        )

    async def delete(self, entry_id: str, expected: int | None) -> None:
        require(self.deps.actor, Action.ENTRIES_WRITE)
        current = await self.get(entry_id)
        require_version(expected, current.version, "entry")
        if not await self.repo.delete(
            current, expected_version=current.version, when=now()
        ):
            raise stale("entry")
        if current.published_version is not None:
            self.deps.delivery_changed()
        await record(self.deps, "delete", "entry", entry_id, before=current.version)

    async def _type(self, key: str, loc: list[str | int] | None = None) -> ContentType:
        ctype = await self.deps.memo(("type", key), lambda: self.types.get(key))
        if ctype is None:
            if loc is not None:
                raise ValidationFailed(
                    f"Unknown content type {key!r}.",
                    errors=[
                        FieldError(loc=loc, msg="unknown content type", type="unknown")
                    ],
                )
            raise NotFound(f"No content type {key!r}.")
        return ctype

    async def _validate(
        self, ctype: ContentType, fields: dict[str, Any], *, require: bool
    ) -> dict[str, Any]:
        return await validate_entry_fields(self.deps, ctype, fields, require=require)
