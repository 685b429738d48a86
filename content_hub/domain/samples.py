"""Sample customers: saved, named customers that editors preview content as
and test audiences against (never real people's data: editors type them)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec
from msgspec import Meta

from content_hub.domain.content_types import KeyStr
from content_hub.domain.render import ContextIn, CustomerIn
from content_hub.domain.text import NulFree


class SampleCustomerIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """PUT /manage/v1/sample-customers/{key}: the customer and the context a
    preview renders with (locale optional: the entry's default otherwise)."""

    name: Annotated[str, Meta(max_length=200)] = ""
    description: Annotated[str, Meta(max_length=1000)] = ""
    customer: CustomerIn = msgspec.field(default_factory=CustomerIn)
    context: ContextIn = msgspec.field(default_factory=ContextIn)
    locale: Annotated[str, Meta(max_length=35)] | None = None


class SampleCustomerCreate(SampleCustomerIn, kw_only=True, forbid_unknown_fields=True):
    key: KeyStr


class SampleCustomer(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    description: str
    customer: CustomerIn
    context: ContextIn
    locale: str | None
    version: int
    updated_at: datetime


class SampleCustomerList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[SampleCustomer]


class AudienceMatches(msgspec.Struct, frozen=True, kw_only=True):
    """Which saved sample customers an audience (or a condition) matches."""

    matching: list[str]
    total: int
