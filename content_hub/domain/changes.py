"""The kinds of change the change log records (the spine every follower reads)."""

from __future__ import annotations

import enum

import msgspec


class ChangeKind(enum.StrEnum):
    """What one change-log row says happened.

    Entry changes name the entry; configuration changes affect every entry
    and are logged under the entry id ``*`` (:data:`ALL_ENTRIES`).
    """

    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    ARCHIVED = "archived"
    """An entry was archived (its ``unpublished`` change, if it was
    published, comes first)."""
    DELETED = "deleted"
    SAVED = "saved"
    """A new draft revision of an entry."""
    LOCALES = "locales"
    TYPES = "types"
    TAXONOMY = "taxonomy"
    MEDIA = "media"
    AUDIENCES = "audiences"
    TEMPLATES = "templates"
    RELEASE = "release"
    """A release went live or was rolled back: entries, templates and
    audiences changed together under this one change (one generation swap)."""
    UNKNOWN = "unknown"
    """A kind this version does not know: written by a newer version during a
    rolling upgrade. Followers take it as a change to everything (the live
    generation and the search documents are rebuilt), never as an error that
    would stop them for good."""

    @classmethod
    def parse(cls, raw: str) -> ChangeKind:
        """The kind a change-log row names, :attr:`UNKNOWN` if not one of these."""
        try:
            return cls(raw)
        except ValueError:
            return cls.UNKNOWN

    @classmethod
    def delivery(cls) -> frozenset[ChangeKind]:
        """Changes to which entries are published."""
        return DELIVERY_KINDS

    @classmethod
    def full_reload(cls) -> frozenset[ChangeKind]:
        """Changes that affect every published entry (the live generation is
        rebuilt from scratch)."""
        return FULL_RELOAD_KINDS


ALL_ENTRIES = "*"
"""The entry id of a configuration change."""

DELIVERY_KINDS = frozenset(
    {ChangeKind.PUBLISHED, ChangeKind.UNPUBLISHED, ChangeKind.DELETED}
)
"""Changes to what delivery serves of one entry."""

FULL_RELOAD_KINDS = frozenset(
    {
        ChangeKind.LOCALES,
        ChangeKind.TYPES,
        ChangeKind.TAXONOMY,
        ChangeKind.MEDIA,
        ChangeKind.RELEASE,
        ChangeKind.UNKNOWN,
    }
)
"""Configuration the live generation is rebuilt from scratch for."""

SEARCH_REBUILD_KINDS = frozenset(
    {
        ChangeKind.LOCALES,
        ChangeKind.TYPES,
        ChangeKind.TAXONOMY,
        ChangeKind.RELEASE,
        ChangeKind.UNKNOWN,
    }
)
"""Configuration that changes every entry's search documents (locales, field
definitions, term labels and ancestry)."""


class ChangeRecord(msgspec.Struct, frozen=True):
    """One row of the change log as followers read it."""

    seq: int
    entry_id: str
    kind: ChangeKind
