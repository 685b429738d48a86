"""Request bodies of the management API: strict, unknown fields refused."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from msgspec import Meta

from content_hub.domain.content_types import Channel, FieldDef, KeyStr
from content_hub.domain.keys import Scope
from content_hub.domain.text import NulFree

Slug = Annotated[
    str, Meta(min_length=1, max_length=128, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
]
LocaleCode = Annotated[str, Meta(min_length=1, max_length=35)]
Name = Annotated[str, Meta(min_length=1, max_length=200)]
TermRef = Annotated[
    str,
    Meta(
        min_length=1,
        max_length=230,
        description="A term id, or 'taxonomy:key' such as 'topic:e-bikes'.",
    ),
]
TermRefs = Annotated[list[TermRef], Meta(max_length=50)]
Label = Annotated[str, Meta(min_length=1, max_length=200)]
AwareDatetime = Annotated[datetime, Meta(tz=True)]


class Input(NulFree, kw_only=True, forbid_unknown_fields=True):
    """Base of every request body: strict, and free of NUL characters."""


class LocaleCreate(Input):
    code: LocaleCode
    name: Name | None = None
    fallbacks: Annotated[list[LocaleCode], Meta(max_length=8)] | None = None
    is_default: bool = False


class LocaleUpdate(Input):
    name: Name | None = None
    fallbacks: Annotated[list[LocaleCode], Meta(max_length=8)] | None = None
    is_default: bool | None = None


class ContentTypeCreate(Input):
    key: KeyStr
    name: Name
    description: Annotated[str, Meta(max_length=2000)] = ""
    fields: Annotated[list[FieldDef], Meta(max_length=200)] = []
    channels: Annotated[list[Channel], Meta(max_length=5)] = []


class ContentTypeUpdate(Input):
    name: Name
    description: Annotated[str, Meta(max_length=2000)] = ""
    fields: Annotated[list[FieldDef], Meta(max_length=200)] = []
    channels: Annotated[list[Channel], Meta(max_length=5)] = []
    migration_defaults: dict[str, Any] = {}
    """With ``?migrate=true``: the value each affected entry gets for a field
    its current value breaks (a locale map for localised fields)."""


class EntryCreate(Input):
    type: KeyStr
    key: Slug
    fields: dict[str, Any] = {}
    terms: TermRefs = []


class EntryUpdate(Input):
    """PUT: the whole draft is replaced."""

    key: Slug
    fields: dict[str, Any] = {}
    terms: TermRefs | None = None
    """Omitted or null: the terms stay as they are."""


class EntryPatch(Input):
    """PATCH: listed fields replace theirs; for a localised field only the
    locales given change, and a locale set to null is removed."""

    key: Slug | None = None
    fields: dict[str, Any] = {}
    terms: TermRefs | None = None


class KeyCreate(Input):
    name: Name
    scopes: Annotated[list[Scope], Meta(min_length=1, max_length=5)]


class PublishRequest(Input):
    """``locales``: publish only these locales' values of localised fields
    (the others stay as last published); omitted or null: everything."""

    locales: Annotated[list[str], Meta(max_length=100)] | None = None


class RevertRequest(Input):
    version: Annotated[int, Meta(ge=1)]


class ScheduleUpdate(Input):
    """When to publish the then-current draft and when to take it down
    (null clears a time)."""

    publish_at: AwareDatetime | None = None
    unpublish_at: AwareDatetime | None = None


class TaxonomyCreate(Input):
    key: KeyStr
    name: Name
    description: Annotated[str, Meta(max_length=2000)] = ""


class TaxonomyUpdate(Input):
    name: Name
    description: Annotated[str, Meta(max_length=2000)] = ""


class TermCreate(Input):
    key: Slug
    labels: Annotated[dict[LocaleCode, Label], Meta(max_length=100)] = {}
    parent: TermRef | None = None
    position: Annotated[int, Meta(ge=0, le=1_000_000)] = 0


class TermUpdate(Input):
    """PUT: rename (key, labels) or move (parent; null makes it a root)."""

    key: Slug
    labels: Annotated[dict[LocaleCode, Label], Meta(max_length=100)] = {}
    parent: TermRef | None = None
    position: Annotated[int, Meta(ge=0, le=1_000_000)] = 0


class FocalPointIn(Input):
    x: Annotated[float, Meta(ge=0, le=1)]
    y: Annotated[float, Meta(ge=0, le=1)]


class MediaWrite(Input):
    url: Annotated[str, Meta(min_length=1, max_length=2000)]
    mime_type: Annotated[
        str, Meta(max_length=100, pattern=r"^[a-z]+/[a-z0-9][a-z0-9.+-]*$")
    ]
    title: Annotated[str, Meta(max_length=200)] = ""
    alt: Annotated[
        dict[LocaleCode, Annotated[str, Meta(max_length=1000)]], Meta(max_length=100)
    ] = {}
    width: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    height: Annotated[int, Meta(ge=1, le=100_000)] | None = None
    focal_point: FocalPointIn | None = None
