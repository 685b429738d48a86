"""Response bodies of the API (domain Structs where they fit as they are)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from content_hub.domain.content_types import ContentType
from content_hub.domain.entries import Entry, EntryStatus
from content_hub.domain.keys import ApiKey, Scope
from content_hub.domain.locales import Locale
from content_hub.live.state import DeliveredEntry


class EntryOut(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    type: str
    key: str
    status: EntryStatus
    version: int
    fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    published_version: int | None
    published_at: datetime | None
    has_unpublished_changes: bool
    terms: list[str] = []
    publish_at: datetime | None = None
    unpublish_at: datetime | None = None

    @classmethod
    def of(cls, e: Entry) -> EntryOut:
        return cls(
            id=e.id,
            type=e.type,
            key=e.key,
            status=e.status,
            version=e.version,
            fields=e.fields,
            created_at=e.created_at,
            updated_at=e.updated_at,
            created_by=e.created_by,
            updated_by=e.updated_by,
            published_version=e.published_version,
            published_at=e.published_at,
            has_unpublished_changes=e.has_unpublished_changes,
            terms=e.terms,
            publish_at=e.publish_at,
            unpublish_at=e.unpublish_at,
        )


class EntryPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[EntryOut]
    next_cursor: str | None


class ContentTypePage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ContentType]
    next_cursor: str | None


class LocaleList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Locale]


class KeyList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[ApiKey]


class KeyCreated(msgspec.Struct, frozen=True, kw_only=True):
    """A new key: ``secret`` is shown here once and never again."""

    id: str
    name: str
    prefix: str
    scopes: list[Scope]
    created_at: datetime
    secret: str


class PayloadEncryption(msgspec.Struct, frozen=True, kw_only=True):
    """A client key's payload key: give it to the GrowthBook SDK as
    ``decryptionKey`` (base64, AES-128)."""

    key_id: str
    decryption_key: str


class DeliveredPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[DeliveredEntry]
    next_cursor: str | None


class Health(msgspec.Struct, frozen=True, kw_only=True):
    status: str
    snapshot_seq: int
    entries: int
