"""Releases: named bundles of entry versions, template versions and audience
changes that go live together (one change-log entry, one generation swap),
can be scheduled, previewed as a whole and rolled back as a whole."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from content_hub.domain.content_types import Channel, KeyStr
from content_hub.domain.text import NO_NUL, NulFree

MAX_ITEMS = 500
"""Items of one kind a release may hold."""

EntryId = Annotated[str, Meta(min_length=1, max_length=64, pattern=NO_NUL)]
Version = Annotated[int, Meta(ge=1, le=999_999_999)]


class ReleaseStatus(enum.StrEnum):
    OPEN = "open"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    ROLLED_BACK = "rolled_back"


EDITABLE = frozenset({ReleaseStatus.OPEN, ReleaseStatus.SCHEDULED})
"""Statuses in which a release's items may change (and it may be deleted)."""


class EntryItem(NulFree, kw_only=True, forbid_unknown_fields=True):
    """An entry version (its variants and rules go with it)."""

    entry: EntryId
    version: Version


class TemplateItem(NulFree, kw_only=True, forbid_unknown_fields=True):
    """A template version of a content type and channel."""

    type: KeyStr
    channel: Channel
    version: Version


class AudienceItem(NulFree, kw_only=True, forbid_unknown_fields=True):
    """An audience to create or change (``condition``), or to delete."""

    key: KeyStr
    name: Annotated[str, Meta(max_length=200)] = ""
    condition: dict[str, Any] | None = None
    delete: bool = False


class ReleaseItems(NulFree, kw_only=True, forbid_unknown_fields=True):
    entries: Annotated[list[EntryItem], Meta(max_length=MAX_ITEMS)] = []
    templates: Annotated[list[TemplateItem], Meta(max_length=MAX_ITEMS)] = []
    audiences: Annotated[list[AudienceItem], Meta(max_length=MAX_ITEMS)] = []


class ReleaseIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """A release's name, description and items (create, or replace with PUT)."""

    name: Annotated[str, Meta(min_length=1, max_length=200, pattern=NO_NUL)]
    description: Annotated[str, Meta(max_length=2000, pattern=NO_NUL)] = ""
    items: ReleaseItems = msgspec.field(default_factory=ReleaseItems)


class ReleaseScheduleIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """When the scheduler publishes the release (``null``: not scheduled)."""

    publish_at: datetime | None


class Release(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    name: str
    description: str
    status: ReleaseStatus
    items: ReleaseItems
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    publish_at: datetime | None = None
    published_at: datetime | None = None
    published_by: str | None = None
    rolled_back_at: datetime | None = None
    previous: dict[str, Any] | None = None
    """What was live before the publish (what rollback restores)."""


class ReleaseList(msgspec.Struct, kw_only=True):
    items: list[Release]


def release_tag(release_id: str, action: str) -> str:
    """The ``type_key`` of a release's change-log row: which release, and
    whether it was published (``publish``) or rolled back (``rollback``)."""
    return f"release:{release_id}:{action}"


def parse_release_tag(tag: str) -> tuple[str, str]:
    """(release id, action) of a release row's ``type_key``."""
    _, release_id, action = [*tag.split(":"), "", ""][:3]
    return release_id, action


class ReleaseMoves(msgspec.Struct, frozen=True, kw_only=True):
    """What one publish or rollback of a release changed, item by item."""

    entries: list[tuple[str, bool]]
    """(entry id, live after it): a rollback unpublishes an entry that had
    no live version before the release."""
    templates: list[tuple[str, str]]
    """(content type, channel)."""
    audiences: list[str]


def release_moves(release: Release, action: str) -> ReleaseMoves:
    """The items a ``publish`` wrote, or those a ``rollback`` wrote back."""
    if action == "publish":
        items = release.items
        return ReleaseMoves(
            entries=[(i.entry, True) for i in items.entries],
            templates=[(t.type, t.channel) for t in items.templates],
            audiences=[a.key for a in items.audiences],
        )
    before = release.previous or {}
    return ReleaseMoves(
        entries=[
            (i["entry"], i["version"] is not None) for i in before.get("entries", [])
        ],
        templates=[(t["type"], t["channel"]) for t in before.get("templates", [])],
        audiences=[a["key"] for a in before.get("audiences", [])],
    )
