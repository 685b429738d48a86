"""The render use case that ``POST /render/v1/render`` (handler and fast path)
calls: resolve the target in the current generation, check the preview
permission, choose the locale, load and save sticky buckets, render, record
the exposure. Handlers only parse, call this and encode."""

from __future__ import annotations

from typing import NamedTuple

import msgspec

from content_hub.domain.keys import Principal, Scope
from content_hub.domain.render import RenderIn
from content_hub.live.render import RenderOut, RenderService
from content_hub.live.render_problems import require_preview
from content_hub.live.sticky import StickyStore


class Served(NamedTuple):
    """A render, the locale that served it and its channel output as JSON
    (for :func:`content_hub.live.render_output.encode_render`)."""

    out: RenderOut
    locale: str
    output_json: msgspec.Raw


class Renders:
    """One customer's personalised render."""

    def __init__(self, service: RenderService, sticky: StickyStore) -> None:
        self.service = service
        self.sticky = sticky

    async def render(
        self,
        data: RenderIn,
        accept_language: str | None,
        principal: object,
        request_id: str | None,
    ) -> Served:
        """The output, the locale that served it and the output's JSON."""
        service = self.service
        target = service.target(
            entry_id=data.entry_id,
            type_key=data.type,
            key=data.key,
            channel=data.channel,
        )
        forced = None
        if data.preview is not None:
            require_preview(
                isinstance(principal, Principal) and principal.has(Scope.PREVIEW)
            )
            forced = data.preview.variant
        locale = service.locale(data.locale, accept_language)
        attributes = service.attributes(data.customer)
        pairs = service.attribute_pairs(target, attributes) if forced is None else []
        sticky = await self.sticky.load(pairs) if pairs else None
        out, output_json = await service.served(
            target,
            data.customer,
            data.context,
            locale,
            forced_variant=forced,
            request_id=request_id,
            sticky=sticky,
            attributes=attributes,
        )
        if sticky is not None:
            self.sticky.save_changed(sticky)
        return Served(out, locale, output_json)
