"""Release use cases: create, change items, delete (while open or
scheduled), publish and roll back atomically, schedule.

Every change to an existing release needs If-Match with its version. Who
may publish a release needs ``entries.publish``, and also
``templates.write`` / ``audiences.write`` when it holds such items.
"""

from __future__ import annotations

from datetime import UTC, datetime

import msgspec

from content_hub.domain.errors import Conflict, HubError, NotFound, PreconditionFailed
from content_hub.domain.ids import new_id
from content_hub.domain.permissions import Action, require
from content_hub.domain.releases import (
    EDITABLE,
    AudienceItem,
    EntryItem,
    Release,
    ReleaseIn,
    ReleaseItems,
    ReleaseScheduleIn,
    ReleaseStatus,
    TemplateItem,
)
from content_hub.services.audit import record
from content_hub.services.base import Deps, require_version, stale
from content_hub.services.release_publish import (
    apply_items,
    require_valid,
    restore_items,
)
from content_hub.store.repositories._util import now
from content_hub.store.repositories.releases import ReleaseRepository

ItemKind = str
"""``entries``, ``templates`` or ``audiences``."""


def item_ref(kind: ItemKind, item: EntryItem | TemplateItem | AudienceItem) -> str:
    """What an item changes (one item per target): entry id,
    ``type:channel`` or audience key."""
    if isinstance(item, EntryItem):
        return item.entry
    if isinstance(item, TemplateItem):
        return f"{item.type}:{item.channel}"
    return item.key


def _dedupe(items: ReleaseItems) -> ReleaseItems:
    """The last item for each target wins (a release changes a thing once)."""
    return ReleaseItems(
        entries=list({item_ref("entries", i): i for i in items.entries}.values()),
        templates=list({item_ref("templates", i): i for i in items.templates}.values()),
        audiences=list({item_ref("audiences", i): i for i in items.audiences}.values()),
    )


class ReleaseService:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.repo = ReleaseRepository(deps.session)

    async def all(self, status: str | None = None) -> list[Release]:
        return await self.repo.all(status)

    async def get(self, release_id: str) -> Release:
        found = await self.repo.get(release_id)
        if found is None:
            raise NotFound(f"No release {release_id!r}.")
        return found

    async def create(self, data: ReleaseIn) -> Release:
        require(self.deps.actor, Action.ENTRIES_WRITE)
        when = now()
        release = Release(
            id=new_id(),
            name=data.name,
            description=data.description,
            status=ReleaseStatus.OPEN,
            items=_dedupe(data.items),
            version=1,
            created_at=when,
            created_by=self.deps.actor.name,
            updated_at=when,
        )
        await self.repo.add(release)
        await record(self.deps, "create", "release", release.id, after=1)
        return release

    async def replace(
        self, release_id: str, data: ReleaseIn, expected: int | None
    ) -> Release:
        """New name, description and items."""
        current = await self._editable(release_id, expected)
        return await self.save(
            current,
            "update",
            name=data.name,
            description=data.description,
            items=_dedupe(data.items),
        )

    async def add_items(
        self, release_id: str, items: ReleaseItems, expected: int | None
    ) -> Release:
        """Add items (replacing the release's item for the same target)."""
        current = await self._editable(release_id, expected)
        merged = ReleaseItems(
            entries=[*current.items.entries, *items.entries],
            templates=[*current.items.templates, *items.templates],
            audiences=[*current.items.audiences, *items.audiences],
        )
        return await self.save(current, "add_items", items=_dedupe(merged))

    async def remove_item(
        self, release_id: str, kind: ItemKind, ref: str, expected: int | None
    ) -> Release:
        """Remove the item of ``kind`` for target ``ref`` (404 if none)."""
        current = await self._editable(release_id, expected)
        items = current.items
        if kind not in ("entries", "templates", "audiences"):
            raise NotFound(f"No item kind {kind!r}: entries, templates or audiences.")
        found: list[EntryItem] | list[TemplateItem] | list[AudienceItem] = getattr(
            items, kind
        )
        kept = [i for i in found if item_ref(kind, i) != ref]
        if len(kept) == len(found):
            raise NotFound(f"The release has no {kind} item {ref!r}.")
        changed = msgspec.structs.replace(items, **{kind: kept})
        return await self.save(current, "remove_item", items=changed)

    async def delete(self, release_id: str, expected: int | None) -> None:
        current = await self._editable(release_id, expected)
        if not await self.repo.delete(release_id, expected_version=current.version):
            raise stale("release")
        await record(self.deps, "delete", "release", release_id, before=current.version)

    async def schedule(
        self, release_id: str, data: ReleaseScheduleIn, expected: int | None
    ) -> Release:
        """Publish at ``publish_at`` (the scheduler does it), or unschedule."""
        require(self.deps.actor, Action.ENTRIES_PUBLISH)
        current = await self._editable(release_id, expected)
        at = data.publish_at
        if at is not None:
            if at.tzinfo is None:
                at = at.replace(tzinfo=UTC)
            at = at.astimezone(UTC)
        return await self.save(
            current,
            "schedule",
            publish_at=at,
            status=ReleaseStatus.OPEN if at is None else ReleaseStatus.SCHEDULED,
        )

    async def publish(self, release_id: str, expected: int | None) -> Release:
        """Check every item (422 listing each problem, nothing written), then
        publish them all under one change-log entry."""
        current = await self.get(release_id)
        require_version(expected, current.version, "release")
        return await self.publish_current(current)

    async def publish_current(
        self, current: Release, action: str = "publish"
    ) -> Release:
        self._require_publish(current)
        if current.status not in EDITABLE:
            raise Conflict(
                f"The release is {current.status}; only an open or scheduled "
                "release can be published."
            )
        await require_valid(self.deps, current.items)
        when = now()
        previous = await apply_items(self.deps, current, when)
        return await self.save(
            current,
            action,
            status=ReleaseStatus.PUBLISHED,
            previous=previous,
            publish_at=None,
            published_at=when,
            published_by=self.deps.actor.name,
        )

    async def rollback(self, release_id: str, expected: int | None) -> Release:
        """Put back what was live before the release, for every item, under
        one change-log entry."""
        current = await self.get(release_id)
        require_version(expected, current.version, "release")
        self._require_publish(current)
        if current.status is not ReleaseStatus.PUBLISHED or current.previous is None:
            raise Conflict(
                f"The release is {current.status}; only a published release "
                "can be rolled back."
            )
        when = now()
        await restore_items(self.deps, current.id, current.previous, when)
        return await self.save(
            current, "rollback", status=ReleaseStatus.ROLLED_BACK, rolled_back_at=when
        )

    def _require_publish(self, release: Release) -> None:
        actor = self.deps.actor
        require(actor, Action.ENTRIES_PUBLISH)
        if release.items.templates:
            require(actor, Action.TEMPLATES_WRITE)
        if release.items.audiences:
            require(actor, Action.AUDIENCES_WRITE)

    async def _editable(self, release_id: str, expected: int | None) -> Release:
        require(self.deps.actor, Action.ENTRIES_WRITE)
        current = await self.get(release_id)
        require_version(expected, current.version, "release")
        if current.status not in EDITABLE:
            raise Conflict(
                f"The release is {current.status}; only an open or scheduled "
                "release can change."
            )
        return current

    async def save(
        self,
        current: Release,
        action: str,
        detail: dict[str, object] | None = None,
        **changes: object,
    ) -> Release:
        """Write the next version of ``current`` with ``changes``, audited."""
        updated = msgspec.structs.replace(
            current, version=current.version + 1, updated_at=now(), **changes
        )
        if not await self.repo.update(updated, expected_version=current.version):
            raise stale("release")
        await record(
            self.deps,
            action,
            "release",
            current.id,
            before=current.version,
            after=updated.version,
            detail=detail,
        )
        return updated


async def due_releases(deps: Deps, when: datetime, limit: int) -> list[str]:
    return await ReleaseRepository(deps.session).due(when, limit)


async def run_scheduled_release(deps: Deps, release_id: str, when: datetime) -> bool:
    """The scheduler's publish of one due release (in its own transaction).
    A release that cannot go live goes back to ``open`` (unscheduled) and the
    failure is audited, so it is not retried every poll."""
    service = ReleaseService(deps)
    current = await service.repo.get(release_id)
    if current is None or current.status is not ReleaseStatus.SCHEDULED:
        return False  # another worker took it, or it was unscheduled
    if current.publish_at is None or current.publish_at > when:
        return False
    try:
        await service.publish_current(current, action="scheduled_publish")
    except PreconditionFailed:  # changed meanwhile (published by hand?)
        await deps.session.rollback()
        return False
    except HubError as exc:
        await deps.session.rollback()
        await service.save(
            current,
            "scheduled_publish_failed",
            detail={"detail": exc.detail},
            publish_at=None,
            status=ReleaseStatus.OPEN,
        )
        return False
    return True
