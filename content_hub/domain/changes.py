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
    DELETED = "deleted"
    SAVED = "saved"
    """A new draft revision of an entry."""
    LOCALES = "locales"
    TYPES = "types"
    TAXONOMY = "taxonomy"
    MEDIA = "media"
    AUDIENCES = "audiences"
    TEMPLATES = "templates"

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
    {ChangeKind.LOCALES, ChangeKind.TYPES, ChangeKind.TAXONOMY, ChangeKind.MEDIA}
)
"""Configuration the live generation is rebuilt from scratch for."""

SEARCH_REBUILD_KINDS = frozenset(
    {ChangeKind.LOCALES, ChangeKind.TYPES, ChangeKind.TAXONOMY}
)
"""Configuration that changes every entry's search documents (locales, field
definitions, term labels and ancestry)."""


class ChangeRecord(msgspec.Struct, frozen=True):
    """One row of the change log as followers read it."""

    seq: int
    entry_id: str
    kind: ChangeKind
