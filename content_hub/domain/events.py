"""Experiment events: exposures (who saw which variation) and conversions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

EventId = Annotated[str, Meta(min_length=1, max_length=128)]


class Exposure(msgspec.Struct, frozen=True, kw_only=True):
    """A customer was assigned a variation of a running experiment.

    ``event_id`` makes recording idempotent: the render path derives it from
    (experiment, hash value, channel, entry version) so that re-rendering the
    same send does not double count, and SDK clients send their own.
    """

    event_id: EventId
    experiment_key: str
    variation_id: int
    variant: str
    hash_attribute: str
    hash_value: str
    entry_id: str | None = None
    channel: str | None = None
    source: Literal["render", "sdk"] = "render"
    at: datetime


class Conversion(msgspec.Struct, frozen=True, kw_only=True):
    """A customer reached a goal (a purchase, a click), optionally with a value."""

    event_id: EventId
    goal: str
    hash_value: str
    value: float | None = None
    at: datetime


class RenderReceipt(msgspec.Struct, frozen=True, kw_only=True):
    """A non-preview render: what was served to whom, for audit and analysis."""

    entry_id: str
    version: int
    variant: str
    locale: str
    channel: str
    customer_id: str | None = None
    request_id: str | None = None
    at: datetime


# --- POST /render/v1/events ----------------------------------------------------

_NO_NUL = r"^[^\x00]*$"


def _text(max_length: int) -> Meta:
    return Meta(min_length=1, max_length=max_length, pattern=_NO_NUL)


AwareDatetime = Annotated[datetime, Meta(tz=True)]
EventIdIn = Annotated[str, _text(128)]


class ExposureIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """An exposure a GrowthBook SDK reported (its ``trackingCallback``)."""

    event_id: EventIdIn
    experiment_key: Annotated[str, _text(200)]
    variation_id: Annotated[int, Meta(ge=0, le=1000)]
    variant: Annotated[str, _text(128)] | None = None
    """The variation's meta key (the variant key); looked up when omitted."""
    hash_attribute: Annotated[str, _text(100)] = "id"
    hash_value: Annotated[str, _text(256)]
    entry_id: Annotated[str, _text(32)] | None = None
    channel: Annotated[str, _text(16)] | None = None
    at: AwareDatetime | None = None
    """When it happened; the time of receipt when omitted."""


class ConversionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A unit (the experiment's hash value, e.g. the customer id) reached a goal."""

    event_id: EventIdIn
    goal: Annotated[str, _text(200)]
    hash_value: Annotated[str, _text(256)]
    value: Annotated[float, Meta(ge=-1e12, le=1e12)] | None = None
    at: AwareDatetime | None = None


class EventBatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    exposures: Annotated[list[ExposureIn], Meta(max_length=1000)] = []
    conversions: Annotated[list[ConversionIn], Meta(max_length=1000)] = []


class EventCounts(msgspec.Struct, frozen=True, kw_only=True):
    accepted: int
    duplicates: int


class EventsAccepted(msgspec.Struct, frozen=True, kw_only=True):
    """What ``POST /render/v1/events`` stored; a repeated event id is a duplicate."""

    accepted: int
    duplicates: int
    exposures: EventCounts
    conversions: EventCounts
