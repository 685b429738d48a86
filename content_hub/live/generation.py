"""One published generation and the holder that swaps it.

A :class:`Generation` is the delivery state and the render state built from
the same change-log sequence, together. Readers take ``published.generation``
once and use both halves of it, so delivery and render can never disagree;
the follower (:mod:`content_hub.live.follower`) is the only thing that calls
:meth:`Published.swap`, and a swap is one reference assignment.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from content_hub.domain.locales import LocaleSet
from content_hub.live.render_state import RenderState
from content_hub.live.state import SnapshotState

if TYPE_CHECKING:
    from content_hub.live.target import Target

SwapListener = Callable[["Generation", "frozenset[str] | None"], None]
"""Told of each swap: the new generation and the entry ids it changed (None:
everything may have changed)."""


class Generation:
    """Delivery and render state of one change-log sequence (immutable; the
    render state's caches fill lazily)."""

    __slots__ = ("build_seconds", "built_at", "delivery", "render", "targets")

    def __init__(
        self,
        delivery: SnapshotState,
        render: RenderState,
        *,
        built_at: float = 0.0,
        build_seconds: float = 0.0,
    ) -> None:
        if render.seq != delivery.seq:
            raise ValueError(
                f"render state {render.seq} does not match delivery {delivery.seq}"
            )
        self.delivery = delivery
        self.render = render
        self.built_at = built_at
        self.build_seconds = build_seconds
        self.targets: dict[tuple[str | None, ...], Target] = {}
        """Render targets by how a request names them (``(entry_id, type,
        key, channel)``), filled by the render service: a returning request
        costs one lookup instead of four and no new :class:`Target`."""

    @property
    def seq(self) -> int:
        """The last change-log sequence number this generation includes."""
        return self.delivery.seq

    @classmethod
    def empty(cls, default_locale: str) -> Generation:
        """The generation before the first load (``seq`` -1, nothing published)."""
        locales = LocaleSet(default=default_locale, chains={}, directions={})
        return cls(
            SnapshotState(seq=-1, locales=locales, types={}, entries={}, by_key={}),
            RenderState.empty(),
        )


class Published:
    """This worker's current generation."""

    def __init__(self, first: Generation) -> None:
        self.generation = first
        self._listeners: list[SwapListener] = []

    @property
    def loaded(self) -> bool:
        return self.generation.seq >= 0

    def on_swap(self, listener: SwapListener) -> None:
        """Call ``listener`` right after each swap (caches keyed on the old
        generation drop what changed). Listeners must not raise or block."""
        self._listeners.append(listener)

    def swap(self, generation: Generation, touched: frozenset[str] | None) -> None:
        """Make ``generation`` current: one assignment, then the listeners, with
        no await in between."""
        self.generation = generation
        for listener in self._listeners:
            listener(generation, touched)
