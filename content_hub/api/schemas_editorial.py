"""Response bodies of the editorial API: revisions, taxonomy, media, audit,
related entries and sync."""

from __future__ import annotations

import msgspec

from content_hub.domain.audit import AuditRecord
from content_hub.domain.entries import FieldChange, Revision
from content_hub.domain.media import Media
from content_hub.domain.taxonomy import Taxonomy, Term
from content_hub.live.delivery import RelatedEntry


class RevisionPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Revision]
    next_cursor: str | None


class RevisionDiff(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: str
    version: int
    against: int
    changes: list[FieldChange]


class TaxonomyList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Taxonomy]


class TermOut(msgspec.Struct, frozen=True, kw_only=True):
    """A term with its ``taxonomy:key`` ref and its depth (1 for roots)."""

    id: str
    ref: str
    taxonomy: str
    key: str
    parent_id: str | None
    labels: dict[str, str]
    position: int
    depth: int
    version: int

    @classmethod
    def of(cls, term: Term, depth: int) -> TermOut:
        return cls(
            id=term.id,
            ref=term.ref,
            taxonomy=term.taxonomy,
            key=term.key,
            parent_id=term.parent_id,
            labels=term.labels,
            position=term.position,
            depth=depth,
            version=term.version,
        )


class TermList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[TermOut]


class MediaPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Media]
    next_cursor: str | None


class AuditPage(msgspec.Struct, frozen=True, kw_only=True):
    items: list[AuditRecord]
    next_cursor: str | None


class RelatedList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[RelatedEntry]
