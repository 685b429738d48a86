"""Entries: field values per content type, draft and published copies."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec


class EntryStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    """The editable (draft) state of an entry, with its publication state."""

    id: str
    type: str
    key: str
    fields: dict[str, Any]
    status: EntryStatus
    version: int
    created_at: datetime
    updated_at: datetime
    created_by: str
    updated_by: str
    published_version: int | None = None
    published_at: datetime | None = None
    terms: list[str] = []
    publish_at: datetime | None = None
    unpublish_at: datetime | None = None

    @property
    def has_unpublished_changes(self) -> bool:
        return self.published_version != self.version


class PublishedEntry(msgspec.Struct, frozen=True, kw_only=True):
    """The immutable copy delivery serves: the entry as it was when published."""

    id: str
    type: str
    key: str
    fields: dict[str, Any]
    version: int
    published_at: datetime
    publish_seq: int
    terms: list[str] = []


class Revision(msgspec.Struct, frozen=True, kw_only=True):
    """One save of an entry: an immutable copy of its key, fields and terms."""

    entry_id: str
    version: int
    key: str
    fields: dict[str, Any]
    terms: list[str]
    created_at: datetime
    created_by: str


class FieldChange(msgspec.Struct, frozen=True, kw_only=True):
    """One difference between two revisions (``path`` as in validation errors)."""

    path: list[str | int]
    op: str  # added | removed | changed
    before: Any = None
    after: Any = None


def diff_revisions(old: Revision, new: Revision) -> list[FieldChange]:
    """What changed from ``old`` to ``new``: key, terms, and each field (per
    locale for localised values, as a whole otherwise)."""
    changes: list[FieldChange] = []
    if old.key != new.key:
        changes.append(
            FieldChange(path=["key"], op="changed", before=old.key, after=new.key)
        )
    if sorted(old.terms) != sorted(new.terms):
        changes.append(
            FieldChange(path=["terms"], op="changed", before=old.terms, after=new.terms)
        )
    _diff(["fields"], old.fields, new.fields, changes, depth=0)
    return changes


def _diff(
    path: list[str | int],
    before: dict[str, Any],
    after: dict[str, Any],
    out: list[FieldChange],
    depth: int,
) -> None:
    for key in sorted(set(before) | set(after)):
        here = [*path, key]
        if key not in after:
            out.append(FieldChange(path=here, op="removed", before=before[key]))
        elif key not in before:
            out.append(FieldChange(path=here, op="added", after=after[key]))
        elif before[key] != after[key]:
            b, a = before[key], after[key]
            if depth == 0 and isinstance(b, dict) and isinstance(a, dict):
                _diff(here, b, a, out, depth + 1)  # per locale
            else:
                out.append(FieldChange(path=here, op="changed", before=b, after=a))


class ResolvedFields(msgspec.Struct, frozen=True, kw_only=True):
    """Field values for one locale and which locale served each of them."""

    values: dict[str, Any]
    served_by: dict[str, str | None]


def resolve_fields(
    fields: dict[str, Any], localized: frozenset[str], chain: tuple[str, ...]
) -> ResolvedFields:
    """Resolve every field along a locale chain.

    A localised field takes the first locale of ``chain`` that has a value
    (``None`` and missing both mean "no value"); a field with no value in any
    locale of the chain resolves to ``None`` and is reported as served by
    ``None``. Unlocalised fields are served by no locale (``None``) either,
    but keep their value.
    """
    values: dict[str, Any] = {}
    served: dict[str, str | None] = {}
    for key, value in fields.items():
        if key in localized:
            per_locale = value if isinstance(value, dict) else {}
            values[key] = None
            served[key] = None
            for code in chain:
                candidate = per_locale.get(code)
                if candidate is not None:
                    values[key] = candidate
                    served[key] = code
                    break
        else:
            values[key] = value
            served[key] = None
    return ResolvedFields(values=values, served_by=served)
