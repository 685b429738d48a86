"""Stored template parts as the ``renderers`` library's template sets."""

from __future__ import annotations

from typing import Any

from content_hub.domain.render import (
    EmailParts,
    InAppParts,
    PushParts,
    SmsParts,
    TemplateParts,
    WebParts,
)
from renderers import (
    CardButton,
    CardTemplates,
    EmailTemplates,
    PushTemplates,
    SmsTemplates,
    WebTemplates,
)


def to_renderer_templates(parts: TemplateParts) -> Any:
    """The ``renderers`` template set for stored parts."""
    if isinstance(parts, WebParts):
        return WebTemplates(html=parts.html)
    if isinstance(parts, EmailParts):
        return EmailTemplates(
            subject=parts.subject,
            html=parts.html,
            text=parts.text,
            preheader=parts.preheader,
            format=parts.format,
        )
    if isinstance(parts, PushParts):
        return PushTemplates(
            title=parts.title,
            body=parts.body,
            image=parts.image,
            deep_link=parts.deep_link,
            data=dict(parts.data),
        )
    if isinstance(parts, InAppParts):
        return CardTemplates(
            title=parts.title,
            body=parts.body,
            image=parts.image,
            buttons=tuple(CardButton(b.label, b.action) for b in parts.buttons),
        )
    assert isinstance(parts, SmsParts)
    return SmsTemplates(text=parts.text)


def template_id(type_key: str, channel: str) -> str:
    return f"{type_key}/{channel}"
