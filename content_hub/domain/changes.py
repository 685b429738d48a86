"""What the change log records: one kind per change, one definition."""

from __future__ import annotations

from enum import StrEnum


class ChangeKind(StrEnum):
    """The kind of a change-log row (stored as its string value).

    Entry changes carry the entry's id; configuration changes (locales,
    types, taxonomy, media, templates, audiences) carry ``*``.
    """

    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    DELETED = "deleted"
    SAVED = "saved"
    """A draft revision (search follows drafts too)."""
    LOCALES = "locales"
    TYPES = "types"
    TAXONOMY = "taxonomy"
    MEDIA = "media"
    TEMPLATES = "templates"
    AUDIENCES = "audiences"

    @classmethod
    def delivery(cls) -> frozenset[ChangeKind]:
        """Changes to which entries are published."""
        return _DELIVERY

    @classmethod
    def full_reload(cls) -> frozenset[ChangeKind]:
        """Changes that affect every published entry (the generation is
        rebuilt from scratch)."""
        return _FULL_RELOAD


_DELIVERY = frozenset(
    {ChangeKind.PUBLISHED, ChangeKind.UNPUBLISHED, ChangeKind.DELETED}
)
_FULL_RELOAD = frozenset(
    {ChangeKind.LOCALES, ChangeKind.TYPES, ChangeKind.TAXONOMY, ChangeKind.MEDIA}
)
