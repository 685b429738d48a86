"""What a render of one entry on one channel needs, looked up once per request
(or once per batch): the entry, its type, the compiled renderer and the render
state and locales of the same generation."""

from __future__ import annotations

from dataclasses import dataclass

from content_hub.domain.entries import PublishedEntry
from content_hub.domain.locales import LocaleSet
from content_hub.domain.render import ChannelNotSupported, TemplateMissing
from content_hub.live.render_state import Renderer, RenderState
from content_hub.live.state import TypeInfo
from variants import CompiledRuleSet

__all__ = ["Target", "target_of"]


@dataclass(frozen=True, slots=True)
class Target:
    """Everything a render of one entry on one channel needs, looked up once."""

    entry: PublishedEntry
    info: TypeInfo
    channel: str
    renderer: Renderer
    state: RenderState
    locales: LocaleSet
    """The locales of the same generation as ``state``."""
    ruleset: CompiledRuleSet
    """The entry's compiled variants and rules (``state.ruleset(entry)``)."""


def target_of(
    entry: PublishedEntry,
    info: TypeInfo | None,
    channel: str,
    state: RenderState,
    locales: LocaleSet,
    stage: str = "published",
) -> Target:
    """The target of ``entry`` on ``channel`` in a render state (the live
    generation's, or a preview's over a draft); a 422 when the type is not
    rendered there or has no template (of ``stage``: published or draft)."""
    if info is None or channel not in info.channels:
        raise ChannelNotSupported(
            f"Content type {entry.type!r} is rendered for "
            f"{', '.join(info.channels) if info else 'no channel'}, "
            f"not {channel!r}."
        )
    renderer = state.renderers.get((entry.type, channel))
    if renderer is None:
        raise TemplateMissing(
            f"Content type {entry.type!r} has no {stage} {channel} template yet."
        )
    return Target(entry, info, channel, renderer, state, locales, state.ruleset(entry))
