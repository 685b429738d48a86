"""Webhook subscriptions and their delivery log, as the API shows them.

A subscription names a URL, the event types it wants, optional filters (by
content type, by taxonomy term) and extra headers. Its signing secret is
shown once (at creation and on rotation) and stored encrypted.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.text import NO_NUL, NulFree


class EventType(enum.StrEnum):
    """What a subscription can ask for (the ``type`` of a sent event)."""

    ENTRY_PUBLISHED = "entry.published"
    ENTRY_UNPUBLISHED = "entry.unpublished"
    ENTRY_ARCHIVED = "entry.archived"
    ENTRY_DELETED = "entry.deleted"
    CONTENT_TYPE_CHANGED = "content_type.changed"
    TEMPLATE_CHANGED = "template.changed"
    TAXONOMY_CHANGED = "taxonomy.changed"
    AUDIENCE_CHANGED = "audience.changed"
    EXPERIMENT_CHANGED = "experiment.changed"
    RELEASE_PUBLISHED = "release.published"
    RELEASE_ROLLED_BACK = "release.rolled_back"


TEST_EVENT = "webhook.test"
"""The type of the event ``POST .../{id}/test`` sends."""

FORBIDDEN_HEADERS = frozenset(
    {
        # hop-by-hop (RFC 9110 7.6.1) and what the transport sets itself
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "content-type",
        "expect",
        # the signature: a subscription cannot forge or override it
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
    }
)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$")
_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]{0,1000}$")
MAX_HEADERS = 20

Url = Annotated[str, Meta(min_length=1, max_length=2000, pattern=NO_NUL)]
TermId = Annotated[str, Meta(min_length=1, max_length=32, pattern=NO_NUL)]
TypeKey = Annotated[str, Meta(min_length=1, max_length=64, pattern=NO_NUL)]
Description = Annotated[str, Meta(max_length=500)]


class WebhookIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """PUT /manage/v1/webhooks/{id} (If-Match): the whole subscription but its
    secret. ``content_types`` and ``terms`` filter entry events (empty: all);
    a term filter includes the term's descendants."""

    url: Url
    events: Annotated[list[EventType], Meta(min_length=1, max_length=20)]
    description: Description = ""
    content_types: Annotated[list[TypeKey], Meta(max_length=100)] = []
    terms: Annotated[list[TermId], Meta(max_length=100)] = []
    active: bool = True
    headers: dict[str, str] = {}


class Webhook(msgspec.Struct, frozen=True, kw_only=True):
    id: str
    url: str
    events: list[str]
    description: str
    content_types: list[str]
    terms: list[str]
    active: bool
    headers: dict[str, str]
    version: int
    created_at: datetime
    updated_at: datetime
    consecutive_failures: int = 0
    disabled_reason: str | None = None
    """Why the dispatcher turned the subscription off (``None`` if it did not)."""
    start_seq: int = 0
    """Changes after this change-log position are sent to it."""


class WebhookWithSecret(msgspec.Struct, frozen=True, kw_only=True):
    """The answer to a creation or a rotation: the only time the secret is shown."""

    webhook: Webhook
    secret: str


class WebhookList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Webhook]


class Attempt(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None
    response_excerpt: str | None


class Delivery(msgspec.Struct, frozen=True, kw_only=True):
    """One event sent to one subscription, with every attempt (its ``id`` is
    the ``webhook-id`` header: the same on every retry and redelivery)."""

    id: str
    webhook_id: str
    event_type: str
    entry_id: str
    seq: int
    status: str
    """``pending`` (queued or waiting for a retry), ``delivered`` or ``failed``
    (retries exhausted)."""
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]
    log: list[Attempt] = []


class DeliveryList(msgspec.Struct, frozen=True, kw_only=True):
    items: list[Delivery]
    next_cursor: str | None = None


def check_headers(headers: dict[str, str]) -> None:
    """Refuse header names a subscription may not set (hop-by-hop, framing,
    the signature), and names or values HTTP cannot carry."""
    errors: list[FieldError] = []
    if len(headers) > MAX_HEADERS:
        errors.append(
            FieldError(loc=["body", "headers"], msg=f"at most {MAX_HEADERS} headers")
        )
    for name, value in headers.items():
        loc: list[str | int] = ["body", "headers", name[:64]]
        if not _TOKEN.match(name):
            errors.append(FieldError(loc=loc, msg="not an HTTP header name"))
        elif name.lower() in FORBIDDEN_HEADERS:
            errors.append(
                FieldError(
                    loc=loc,
                    msg="a hop-by-hop, framing or signature header cannot be set",
                )
            )
        if not _VALUE.match(value):
            errors.append(
                FieldError(
                    loc=loc, msg="at most 1000 characters, no control characters"
                )
            )
    if errors:
        raise ValidationFailed("These headers cannot be sent.", errors=errors)
