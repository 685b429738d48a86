"""The channel-agnostic render input and the shared output pieces."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec

__all__ = [
    "Customer",
    "RenderContext",
    "RenderFailure",
    "RenderOutcome",
    "RenderRequest",
    "RenderWarning",
]


class Customer(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The recipient. Templates see ``customer.<attribute>`` directly, plus
    ``customer.id``, ``customer.segments`` and ``customer.attributes``."""

    id: str = ""
    attributes: dict[str, Any] = {}
    segments: list[str] = []


class RenderContext(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """What the orchestrator knows about this send; templates see ``context``."""

    campaign: str | None = None
    journey_step: str | None = None
    utm: dict[str, str] = {}
    """``source``, ``medium``, ``campaign``, ... added to links as ``utm_*``."""
    tracking: dict[str, str] = {}
    """Extra query parameters added to links as they are."""
    unsubscribe_url: str | None = None
    unsubscribe_mailto: str | None = None
    timezone: str | None = None
    """The recipient's IANA time zone; dates are shown in it (default UTC)."""
    now: dt.datetime | None = None
    """The clock for relative times; the render start when not given."""
    extra: dict[str, Any] = {}
    """Anything else, visible to templates as ``context.<key>``."""


class RenderRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One render: resolved entry fields, one customer, one locale."""

    fields: dict[str, Any]
    """Already resolved field values (variant and locale fallback applied).
    Values that are ``markupsafe.Markup`` (sanitised rich text, converted
    Markdown) are inserted into HTML unescaped; everything else is escaped."""
    text_fields: dict[str, Any] | None = None
    """The same fields as the text parts (email subject, preheader and text,
    push, SMS, in-app) see them: rich text and Markdown as plain text. None:
    derived from ``fields`` (each ``Markup`` value converted, see
    :func:`~renderers.html_to_text`); pass it when the conversion is kept,
    or ``fields`` itself when no value is ``Markup``."""
    customer: Customer = msgspec.field(default_factory=Customer)
    locale: str = "en"
    """BCP 47 tag: ``en``, ``de-CH``, ``zh-Hans``, ``ar``."""
    context: RenderContext = msgspec.field(default_factory=RenderContext)


class RenderWarning(msgspec.Struct, frozen=True):
    """Something the orchestrator may want to act on; the output is usable."""

    code: str
    message: str
    part: str | None = None


class RenderFailure(msgspec.Struct, frozen=True, kw_only=True):
    """A per-item error in a batch (the same data as the ``RenderError``)."""

    code: str
    message: str
    template_id: str | None = None
    part: str | None = None
    line: int | None = None
    variable: str | None = None


class RenderOutcome(msgspec.Struct, frozen=True, kw_only=True):
    """One result of :func:`render_many`: an output or a failure."""

    index: int
    output: Any = None
    failure: RenderFailure | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None
