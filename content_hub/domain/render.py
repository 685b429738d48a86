"""Templates, audiences, per-entry variants and rules, and render requests."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from content_hub.domain.content_types import Channel, KeyStr
from content_hub.domain.errors import HubError
from content_hub.domain.text import NO_NUL, NulFree
from variants import Rule

BASELINE = "default"
VariantName = Annotated[
    str, Meta(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
]
Source = Annotated[str, Meta(max_length=200_000)]


def feature_key(type_key: str, key: str) -> str:
    """The GrowthBook feature key of an entry (its variant is the value), the
    key of its rule set and of its experiments that name none."""
    return f"{type_key}.{key}"


class WebParts(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="web"):
    html: Source


class EmailParts(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="email"):
    subject: Source
    html: Source
    text: Source
    preheader: Source = ""
    format: Literal["html", "mjml"] = "html"


class PushParts(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="push"):
    title: Source
    body: Source
    image: Source = ""
    deep_link: Source = ""
    data: dict[str, Source] = {}


class CardButtonPart(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    label: Source
    action: Source


class InAppParts(
    msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="in_app"
):
    title: Source
    body: Source
    image: Source = ""
    buttons: Annotated[list[CardButtonPart], Meta(max_length=4)] = []


class SmsParts(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, tag="sms"):
    text: Source


TemplateParts = WebParts | EmailParts | PushParts | InAppParts | SmsParts


class TemplateIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    """PUT /manage/v1/content-types/{type}/templates/{channel}: a new version
    (the draft; ``.../publish`` makes it live)."""

    parts: TemplateParts


class Template(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    channel: str
    version: int
    parts: TemplateParts
    created_at: datetime
    created_by: str


class TemplateVersion(Template, frozen=True, kw_only=True):
    """One stored version, saying whether it is the published one."""

    published: bool


class TemplateState(Template, frozen=True, kw_only=True):
    """A channel's template as the manage API shows it: the draft (the latest
    saved version: ``version``, ``parts``) and which version is live."""

    published_version: int | None
    """The version renders use (None: nothing published, the channel does
    not render)."""
    published_at: datetime | None
    published_by: str | None
    has_unpublished_changes: bool
    """The draft is not the published version (publishing would change what
    renders return)."""


class PartDiff(msgspec.Struct, frozen=True, kw_only=True):
    part: str
    """As compile errors name it: ``html``, ``data.<key>``, ``button.0.label``."""
    diff: str
    """A unified diff of the part's source (``difflib``)."""


class TemplateDiff(msgspec.Struct, frozen=True, kw_only=True):
    type: str
    channel: str
    from_version: int
    to_version: int
    parts: list[PartDiff]
    """The changed parts only (empty: the two versions are the same)."""


class AudienceIn(NulFree, kw_only=True, forbid_unknown_fields=True):
    name: Annotated[str, Meta(max_length=200)] = ""
    condition: dict[str, Any]


class AudienceCreate(AudienceIn, kw_only=True, forbid_unknown_fields=True):
    key: KeyStr


class Audience(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    name: str
    condition: dict[str, Any]
    version: int
    updated_at: datetime


class VariantIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A partial override of the entry's fields (localised fields per locale)."""

    fields: dict[str, Any] = {}
    description: Annotated[str, Meta(max_length=500)] = ""


class Personalization(NulFree, kw_only=True, forbid_unknown_fields=True):
    """An entry's variants and its rules (GrowthBook-style, first match wins).

    ``rules`` are the ``variants`` library's rules, a tagged union on ``type``
    (personalise, rollout or experiment): a rule of the wrong shape is refused
    where the body is read, with its location. What a shape cannot say
    (variations that exist, weights that sum to 1, known audiences) is
    checked against the whole rule set by ``variants``. The entry itself is
    the variant ``default``.
    """

    variants: dict[VariantName, VariantIn] = {}
    rules: Annotated[list[Rule], Meta(max_length=50)] = []


class CustomerIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """The ids end up stored (sticky buckets, exposures, receipts): no NUL.
    An attribute used as an experiment's hash value is checked where the
    exposure is made (a scan of every attribute would cost every render)."""

    id: Annotated[str, Meta(max_length=200, pattern=NO_NUL)] | None = None
    anonymous_id: Annotated[str, Meta(max_length=200, pattern=NO_NUL)] | None = None
    attributes: dict[str, Any] = {}
    segments: Annotated[
        list[Annotated[str, Meta(max_length=100)]], Meta(max_length=200)
    ] = []


class ContextIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    campaign: Annotated[str, Meta(max_length=200)] | None = None
    journey_step: Annotated[str, Meta(max_length=200)] | None = None
    utm: dict[str, Annotated[str, Meta(max_length=200)]] = {}
    tracking: dict[str, Annotated[str, Meta(max_length=200)]] = {}
    unsubscribe_url: Annotated[str, Meta(max_length=2000)] | None = None
    unsubscribe_mailto: Annotated[str, Meta(max_length=500)] | None = None
    timezone: Annotated[str, Meta(max_length=64)] | None = None
    extra: dict[str, Any] = {}


class PreviewIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    variant: VariantName


class RenderIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """POST /render/v1/render."""

    entry_id: Annotated[str, Meta(max_length=64)] | None = None
    type: Annotated[str, Meta(max_length=64)] | None = None
    key: Annotated[str, Meta(max_length=128)] | None = None
    channel: Channel
    locale: Annotated[str, Meta(max_length=35)] | None = None
    customer: CustomerIn = msgspec.field(default_factory=CustomerIn)
    context: ContextIn = msgspec.field(default_factory=ContextIn)
    preview: PreviewIn | None = None


class BatchItemIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One recipient of a batch render."""

    customer: CustomerIn
    context: ContextIn | None = None
    locale: Annotated[str, Meta(max_length=35)] | None = None


class ChannelNotSupported(HubError):
    status = 422
    type_slug = "channel-not-supported"
    title = "The content type is not rendered for this channel"


class TemplateMissing(HubError):
    status = 422
    type_slug = "template-missing"
    title = "No template for this content type and channel"


class MissingCustomerData(HubError):
    status = 422
    type_slug = "missing-customer-data"
    title = "A template needs customer data the request does not have"


class PayloadTooLarge(HubError):
    status = 422
    type_slug = "payload-too-large"
    title = "The rendered output exceeds the channel's limit"


class RenderFailed(HubError):
    status = 422
    type_slug = "render-failed"
    title = "The template could not be rendered"


class RenderBudgetExceeded(HubError):
    status = 422
    type_slug = "render-budget-exceeded"
    title = "A template part ran longer than its render time budget"
