"""Stored template parts as the ``renderers`` library's template sets, and
the process's compiled renderers."""

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
    ChannelRenderer,
    EmailTemplates,
    PushTemplates,
    SmsTemplates,
    TemplateCache,
    Templates,
    WebTemplates,
)

COMPILED = TemplateCache(maxsize=256)
"""The process's compiled renderers, keyed by their sources: the generations
share it (one built from scratch, after a failed build or by another hub in
the process, compiles only what the process has not compiled yet), and so do
the Studio's previews of drafts."""


def to_renderer_templates(parts: TemplateParts) -> Templates:
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


def compiled_renderer(
    type_key: str,
    channel: str,
    version: int,
    parts: TemplateParts,
    time_budget_s: float | None,
) -> ChannelRenderer[Any]:
    """The compiled renderer of stored template parts, from :data:`COMPILED`;
    raises ``CompileError``. Call it off the event loop: a miss compiles, and
    a large template takes about a second."""
    return COMPILED.get(
        template_id(type_key, channel),
        version,
        to_renderer_templates(parts),
        time_budget_s=time_budget_s,
    )
