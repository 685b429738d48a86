"""A batch's renders on the event loop: NDJSON lines in input order."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any

import msgspec

from content_hub.domain.render import BatchItemIn
from content_hub.live.render import RenderService
from content_hub.live.render_output import with_output_json
from content_hub.live.target import Target
from variants import StickyBucketService

_encoder = msgspec.json.Encoder()
_YIELD_EVERY = 16


async def render_lines(
    service: RenderService,
    target: Target,
    items: Iterable[tuple[int, BatchItemIn | Exception]],
    default_locale: str,
    on_error: Callable[[Exception], dict[str, Any]],
    sticky: StickyBucketService | None = None,
) -> AsyncIterator[bytes]:
    """NDJSON lines, one per item in input order; errors stay per line.

    Every few recipients the event loop gets a turn, so a large batch never
    holds it for longer than a handful of renders."""
    for count, (index, item) in enumerate(items, 1):
        if not count % _YIELD_EVERY:
            await asyncio.sleep(0)
        try:
            if isinstance(item, Exception):
                raise item
            locale = (
                default_locale
                if item.locale is None
                else service.locale(item.locale, None)
            )
            out, output_json = await service.served(
                target, item.customer, item.context, locale, sticky=sticky
            )
            line = {
                "index": index,
                "ok": True,
                "render": with_output_json(out, output_json),
            }
        except Exception as exc:  # per-line failure, the batch goes on
            line = {"index": index, "ok": False, "error": on_error(exc)}
        yield _encoder.encode(line) + b"\n"
