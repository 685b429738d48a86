"""The delivery half of a published generation: immutable, shared by readers.

:class:`SnapshotState` lives in its own module so that the modules that read
it (delivery, term postings, references) do not import each other.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from content_hub.domain.entries import PublishedEntry
from content_hub.domain.locales import LocaleSet
from content_hub.domain.media import Media
from content_hub.domain.taxonomy import TermIndex
from content_hub.live.references import Source


class TypeInfo(msgspec.Struct, frozen=True):
    """What delivery needs of a content type."""

    localized: frozenset[str]
    channels: tuple[str, ...]
    references: frozenset[str] = frozenset()
    rich_text: frozenset[str] = frozenset()
    """Fields renders insert as sanitised HTML (delivery serves them as stored)."""
    markdown: frozenset[str] = frozenset()
    """Fields renders convert from Markdown (delivery serves the source)."""


class DeliveredEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An entry as delivery returns it: one locale, each field's serving locale."""

    id: str
    type: str
    key: str
    locale: str
    version: int
    published_at: datetime | None
    fields: dict[str, Any]
    field_locales: dict[str, str | None]
    locale_chain: list[str]
    stage: str = "published"
    terms: list[str] = []


class EncodedEntry(msgspec.Struct, frozen=True):
    body: bytes
    etag: str
    entry_id: str
    type: str
    surrogate_keys: str = ""
    """Space-separated purge keys: entry, type, terms and embedded entries
    and media (``entry-``, ``type-``, ``term-``, ``media-`` prefixes)."""
    deps: frozenset[str] = frozenset()
    """Entries and media embedded in ``body`` (a change to one invalidates it)."""


class SnapshotState(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    locales: LocaleSet
    types: Mapping[str, TypeInfo]
    entries: Mapping[str, PublishedEntry]
    by_key: Mapping[tuple[str, str], str]
    terms: TermIndex = msgspec.field(default_factory=lambda: TermIndex({}))
    media: Mapping[str, Media] = msgspec.field(default_factory=dict)

    def source(self, entry_id: str) -> Source | None:
        """A published entry as a reference target."""
        entry = self.entries.get(entry_id)
        if entry is None:
            return None
        info = self.types.get(entry.type)
        return Source(
            id=entry.id,
            type=entry.type,
            key=entry.key,
            version=entry.version,
            fields=entry.fields,
            localized=info.localized if info else frozenset(),
            ref_fields=info.references if info else frozenset(),
            terms=self.terms.refs(entry.terms),
        )
