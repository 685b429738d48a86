"""The preview matrix (every variant x locale x channel of an entry's draft)
and the preview as a customer (per channel: the variant the rules pick and
why), each one service call over one :class:`DraftSource`."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import msgspec

from content_hub.domain.decision_words import explain
from content_hub.domain.errors import HubError
from content_hub.domain.preview import CellProblem, Matrix, MatrixCell, TemplateStage
from content_hub.domain.render import BASELINE
from content_hub.live.render import RenderOut
from content_hub.services.preview_render import Customer, DraftSource, PreviewRender

MAX_CELLS = 400
"""Cells one matrix renders at most (e.g. 5 variants x 16 locales x 5 channels)."""


def cell_problem(exc: HubError) -> CellProblem:
    return CellProblem(title=exc.title, detail=exc.detail, extra=dict(exc.extra))


def differing(output: dict[str, Any] | None, base: dict[str, Any] | None) -> list[str]:
    """The output parts that differ from the baseline's (all when one side
    could not render and the other could)."""
    if output is None or base is None:
        return [] if output is base else ["output"]
    return sorted(
        k for k in output.keys() | base.keys() if output.get(k) != base.get(k)
    )


class CustomerCell(msgspec.Struct, frozen=True, kw_only=True):
    """Preview as a customer, one channel: the render and the decision in
    words, or why it could not render."""

    channel: str
    render: RenderOut | None = None
    explanation: list[str] = []
    problem: CellProblem | None = None


async def _render(
    preview: PreviewRender,
    source: DraftSource,
    channel: str,
    who: Customer,
    forced: str | None,
    locale: str | None,
) -> RenderOut | CellProblem:
    try:
        return await preview.one(source, channel, who, forced=forced, locale=locale)
    except HubError as exc:
        return cell_problem(exc)


async def matrix(
    preview: PreviewRender,
    source: DraftSource,
    locales: list[str],
    channels: list[str],
    who: Customer,
    variants: list[str] | None = None,
) -> Matrix:
    """Every variant of ``source`` (rows; ``variants`` picks some, the
    baseline always first) in every locale on every channel, rendered
    concurrently (a slow template runs on a render thread while the others go
    on); each cell is marked with the parts that differ from the ``default``
    row's cell."""
    started = time.perf_counter()
    rows = [
        v for v in source.variants if variants is None or v in variants or v == BASELINE
    ]
    slots = [(v, loc, ch) for v in rows for loc in locales for ch in channels][
        :MAX_CELLS
    ]
    decided, results = await asyncio.gather(
        _picked(preview, source, channels, who, locales),
        asyncio.gather(
            *(_render(preview, source, ch, who, v, loc) for v, loc, ch in slots)
        ),
    )
    outputs = {
        slot: (r.output if isinstance(r, RenderOut) else None)
        for slot, r in zip(slots, results, strict=True)
    }
    cells = []
    for (variant, locale, channel), result in zip(slots, results, strict=True):
        base = outputs.get((BASELINE, locale, channel))
        if isinstance(result, RenderOut):
            cells.append(
                MatrixCell(
                    variant=variant,
                    locale=locale,
                    channel=channel,
                    output=result.output,
                    warnings=result.warnings,
                    differs=[]
                    if variant == BASELINE
                    else differing(result.output, base),
                )
            )
        else:
            cells.append(
                MatrixCell(
                    variant=variant, locale=locale, channel=channel, problem=result
                )
            )
    return Matrix(
        entry_id=source.entry.id,
        variants=rows,
        locales=locales,
        channels=channels,
        cells=cells,
        seconds=time.perf_counter() - started,
        picked=decided,
    )


async def _picked(
    preview: PreviewRender,
    source: DraftSource,
    channels: list[str],
    who: Customer,
    locales: list[str],
) -> str | None:
    """The variant the rules pick for ``who`` (the same on every channel and
    locale: rules belong to the entry), from the first channel that renders."""
    for channel in channels:
        result = await _render(
            preview, source, channel, who, None, locales[0] if locales else None
        )
        if isinstance(result, RenderOut):
            return result.variant
    return None


async def as_customer(
    preview: PreviewRender,
    source: DraftSource,
    channels: list[str],
    who: Customer,
    locale: str | None = None,
) -> list[CustomerCell]:
    """Per channel: the variant the rules pick for ``who``, the decision in
    words and the render (no forced variant, nothing recorded)."""
    results = await asyncio.gather(
        *(_render(preview, source, ch, who, None, locale) for ch in channels)
    )
    return [
        CustomerCell(
            channel=ch,
            render=r,
            explanation=explain(r.decision, r.variant),
        )
        if isinstance(r, RenderOut)
        else CustomerCell(channel=ch, problem=r)
        for ch, r in zip(channels, results, strict=True)
    ]


async def entry_matrix(
    preview: PreviewRender,
    entry_id: str,
    locales: list[str],
    channels: list[str],
    who: Customer,
    stage: TemplateStage = "draft",
    variants: list[str] | None = None,
) -> Matrix:
    """The matrix of an entry's draft in one call, reads included (the
    benchmark's unit)."""
    entry = await preview.entry(entry_id, None, None)
    source = await preview.source(entry, stage=stage, channels=channels)
    return await matrix(preview, source, locales, channels, who, variants)
