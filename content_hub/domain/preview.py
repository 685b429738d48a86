"""Preview renders, the preview matrix and shareable preview links.

A preview renders an entry as it is *not yet live*: any saved version (the
draft by default), unsaved form state sent with the request, draft or
published templates, a forced variant, a sample customer. It goes through the
same decision and render code as ``POST /render/v1/render`` and records
nothing (no exposure, receipt or sticky bucket).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from content_hub.domain.content_types import Channel, KeyStr
from content_hub.domain.render import (
    ContextIn,
    CustomerIn,
    Personalization,
    VariantName,
)
from content_hub.domain.text import NulFree

TemplateStage = Literal["draft", "published"]
LocaleCode = Annotated[str, Meta(min_length=1, max_length=35)]
MAX_LINK_SECONDS = 30 * 24 * 3600
"""A shareable preview link lives at most 30 days (24 hours by default)."""
DEFAULT_LINK_SECONDS = 24 * 3600


class PreviewRenderIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """POST /render/v1/preview: like a render, on the entry's unpublished state.

    ``fields`` replaces the version's fields (validated like a save, never
    stored); ``personalization`` replaces its variants and rules (validated
    like ``PUT .../personalization``). ``sample`` names a saved sample
    customer: its customer, context and locale apply unless given here."""

    entry_id: Annotated[str, Meta(max_length=64)] | None = None
    type: Annotated[str, Meta(max_length=64)] | None = None
    key: Annotated[str, Meta(max_length=128)] | None = None
    version: Annotated[int, Meta(ge=1, le=2**31 - 1)] | None = None
    fields: dict[str, Any] | None = None
    personalization: Personalization | None = None
    templates: TemplateStage = "draft"
    variant: VariantName | None = None
    channel: Channel
    locale: LocaleCode | None = None
    customer: CustomerIn | None = None
    sample: KeyStr | None = None
    context: ContextIn | None = None
    release: Annotated[str, Meta(min_length=1, max_length=64)] | None = None
    """A release's id: its entry version, template versions and audience
    changes overlay the drafts (the release previewed as a whole)."""


class PreviewRenderOut(msgspec.Struct, frozen=True, kw_only=True):
    """A preview: the render (as the render API answers it), the decision in
    words and which templates rendered it."""

    render: Any
    """The :class:`~content_hub.live.render_output.RenderOut` document."""
    explanation: list[str]
    templates: TemplateStage
    template_version: int
    unsaved: list[str]
    """What of the request was not saved state: ``fields``, ``personalization``."""


class PreviewLinkIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /manage/v1/entries/{id}/preview-links."""

    expires_in: Annotated[int, Meta(ge=60, le=MAX_LINK_SECONDS)] = DEFAULT_LINK_SECONDS
    locale: LocaleCode | None = None


class PreviewLink(msgspec.Struct, frozen=True, kw_only=True):
    token: str
    expires_at: str
    """ISO 8601, UTC."""
    delivery_url: str
    """The draft through delivery (send it with a delivery key)."""
    preview_url: str | None
    """The content type's front-end preview URL with the token, if it has one."""


PREVIEW_URL_FIELDS = ("token", "locale", "key", "id", "type")


class PreviewUrlIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """PUT /manage/v1/content-types/{type}/preview-url: the front-end URL
    pattern (placeholders ``{token}``, ``{locale}``, ``{key}``, ``{id}``,
    ``{type}``); empty removes it."""

    preview_url: Annotated[str, Meta(max_length=2000)] = ""


class PreviewUrl(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    preview_url: str


class CellProblem(msgspec.Struct, frozen=True, kw_only=True):
    """Why one cell of the matrix could not render (a problem's gist)."""

    title: str
    detail: str
    extra: dict[str, Any] = {}


class MatrixCell(msgspec.Struct, frozen=True, kw_only=True):
    variant: str
    locale: str
    channel: str
    output: dict[str, Any] | None = None
    warnings: list[dict[str, Any]] = []
    problem: CellProblem | None = None
    differs: list[str] = []
    """Output parts that differ from the baseline's cell (``default`` row)."""


class Matrix(msgspec.Struct, frozen=True, kw_only=True):
    entry_id: str
    variants: list[str]
    locales: list[str]
    channels: list[str]
    cells: list[MatrixCell]
    seconds: float
    """Server time to render every cell."""
    picked: str | None = None
    """The variant the rules pick for the matrix's customer (None when the
    decision could not be made, e.g. no channel renders)."""

    def cell(self, variant: str, locale: str, channel: str) -> MatrixCell | None:
        for c in self.cells:
            if (c.variant, c.locale, c.channel) == (variant, locale, channel):
                return c
        return None
