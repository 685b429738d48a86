"""Entry workflow beyond editing: revision history, diff, revert, archive,
restore."""

from __future__ import annotations

import msgspec

from content_hub.domain.changes import ChangeKind
from content_hub.domain.entries import (
    Entry,
    EntryStatus,
    FieldChange,
    Revision,
    diff_revisions,
)
from content_hub.domain.errors import BadRequest, Conflict, NotFound
from content_hub.domain.pagination import Page, decode_cursor, encode_cursor
from content_hub.domain.permissions import Action, require
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.services.entries import EntryService
from content_hub.store.repositories._util import now
from content_hub.store.repositories.changes import ChangeRepository
from content_hub.store.repositories.revisions import RevisionRepository

MAX_VERSION = 2**31


class RevisionService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.entries = EntryService(deps)
        self.repo = RevisionRepository(deps.session)

    async def page(
        self, entry_id: str, *, cursor: str | None, limit: int
    ) -> Page[Revision]:
        """Newest first."""
        await self.entries.get(entry_id)
        raw = decode_cursor(cursor)
        if raw is not None and not (raw.isdigit() and len(raw) <= 9):
            raise BadRequest("The cursor is not one this API handed out.")
        items = await self.repo.page(
            entry_id, before=int(raw) if raw else None, limit=limit + 1
        )
        shown = items[:limit]
        more = len(items) > limit
        return Page(
            items=shown,
            next_cursor=encode_cursor(str(shown[-1].version)) if more else None,
        )

    async def get(self, entry_id: str, version: int) -> Revision:
        in_range = 0 < version < MAX_VERSION
        revision = await self.repo.get(entry_id, version) if in_range else None
        if revision is None:
            await self.entries.get(entry_id)  # 404 for the entry first
            raise NotFound(f"Entry {entry_id!r} has no revision {version}.")
        return revision

    async def diff(
        self, entry_id: str, version: int, against: int | None
    ) -> list[FieldChange]:
        """What ``version`` changed compared with ``against`` (default: the
        revision before it; the first revision is compared with nothing)."""
        new = await self.get(entry_id, version)
        base = against if against is not None else version - 1
        if base < 1:
            old = Revision(
                entry_id=entry_id,
                version=0,
                key=new.key,
                fields={},
                terms=[],
                created_at=new.created_at,
                created_by=new.created_by,
            )
        else:
            old = await self.get(entry_id, base)
        return diff_revisions(old, new)

    async def revert(self, entry_id: str, version: int, expected: int | None) -> Entry:
        """Make a revision's content the draft again, as a new revision."""
        require(self.deps.actor, Action.ENTRIES_WRITE)
        current = await self.entries.get(entry_id)
        require_version(expected, current.version, "entry")
        revision = await self.get(entry_id, version)
        updated = await self.entries.save(
            current, revision.key, revision.fields, revision.terms
        )
        await record(
            self.deps,
            "revert",
            "entry",
            entry_id,
            before=current.version,
            after=updated.version,
            detail={"to_version": version},
        )
        return updated

    async def archive(self, entry_id: str, expected: int | None) -> Entry:
        """Take the entry out of delivery and out of the editors' way."""
        require(self.deps.actor, Action.ENTRIES_WRITE)
        current = await self.entries.get(entry_id)
        require_version(expected, current.version, "entry")
        if current.status is EntryStatus.ARCHIVED:
            raise Conflict("The entry is already archived.")
        if current.published_version is not None:
            current = await self.entries.unpublish_current(
                current, action="unpublish", status=EntryStatus.ARCHIVED
            )
        return await self._set_status(current, EntryStatus.ARCHIVED, "archive")

    async def restore(self, entry_id: str, expected: int | None) -> Entry:
        """An archived entry becomes a draft again (not published)."""
        require(self.deps.actor, Action.ENTRIES_WRITE)
        current = await self.entries.get(entry_id)
        require_version(expected, current.version, "entry")
        if current.status is not EntryStatus.ARCHIVED:
            raise Conflict("Only an archived entry can be restored.")
        return await self._set_status(current, EntryStatus.DRAFT, "restore")

    async def _set_status(
        self, current: Entry, status: EntryStatus, action: str
    ) -> Entry:
        if not await self.repo.set_status(
            current.id,
            expected_version=current.version,
            status=status,
            by=self.deps.actor.name,
            clear_schedule=status is EntryStatus.ARCHIVED,
        ):
            raise stale("entry")
        archived = status is EntryStatus.ARCHIVED
        if archived:  # followers of the log (webhooks, search) learn of it
            await ChangeRepository(self.deps.session).log(
                current.id, current.type, ChangeKind.ARCHIVED, now(), key=current.key
            )
        await record(
            self.deps,
            action,
            "entry",
            current.id,
            before=current.version,
            after=current.version,
        )
        return msgspec.structs.replace(
            current,
            status=status,
            updated_by=self.deps.actor.name,
            publish_at=None if archived else current.publish_at,
            unpublish_at=None if archived else current.unpublish_at,
        )
