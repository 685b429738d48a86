"""The render snapshot: compiled rule sets, compiled templates, resolved fields.

Built from the delivery snapshot's published entries plus each entry's
published variants and rules, the audiences and the current templates; a
rebuild creates a new :class:`RenderState` and swaps one reference. Rule sets
and resolved variant fields are compiled on first use and kept with the
state, so the render path never reads the database and never compiles twice.
A render whose template reads only fields and locale (and has no context) is
the same for every customer: its output is kept per variant and locale too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from content_hub.domain.entries import PublishedEntry, resolve_fields
from content_hub.domain.locales import LocaleSet
from content_hub.live.rich import RenderFields, RichValues, render_fields
from content_hub.live.rules import ruleset_of
from content_hub.live.state import TypeInfo
from renderers import RenderRequest
from variants import Audience as VAudience
from variants import CompiledRuleSet, compile_ruleset

if TYPE_CHECKING:
    from content_hub.live.generation import Published


class Renderer(Protocol):
    """What the render path needs of a compiled channel renderer
    (:class:`renderers.ChannelRenderer` is one)."""

    @property
    def recipient_free(self) -> bool:
        """The template reads nothing but fields and locale (one output serves
        every customer)."""
        ...

    @property
    def has_text_parts(self) -> bool:
        """The channel has plain-text parts (rich text is given as text too)."""
        ...

    def render(self, request: RenderRequest, *, slice_s: float | None = None) -> Any:
        """The channel output (a ``renderers`` output struct)."""
        ...


MAX_RESOLVED = 100_000
"""(entry, variant, locale) resolutions kept per state (about 0.7 KB each)."""
MAX_RULESETS = 20_000
"""Compiled rule sets kept per state (about 3.5 KB each; ~0.1 ms to compile)."""
MAX_OUTPUTS = 20_000
"""Kept customer-independent renders per state (a few KB each)."""


class RenderState:
    """One immutable generation of render data (caches fill lazily)."""

    def __init__(
        self,
        *,
        seq: int,
        personalization: Mapping[str, dict[str, Any]],
        audiences: tuple[VAudience, ...],
        renderers: Mapping[tuple[str, str], Renderer],
        template_versions: Mapping[tuple[str, str], int],
        rich: RichValues | None = None,
    ) -> None:
        self.seq = seq
        self.personalization = personalization
        self.audiences = audiences
        self.renderers = renderers
        self.template_versions = template_versions
        self._rulesets: dict[tuple[str, int], CompiledRuleSet] = {}
        self.rich = rich if rich is not None else RichValues()
        """Rich text and Markdown converted (once per value, see ``rich``)."""
        self._resolved: dict[tuple[str, int, str, str], RenderFields] = {}
        self._outputs: dict[tuple[tuple[str, int, str], str, str], Rendered] = {}

    @classmethod
    def empty(cls) -> RenderState:
        """The render state before the first load."""
        return cls(
            seq=-1, personalization={}, audiences=(), renderers={}, template_versions={}
        )

    def ruleset(self, entry: PublishedEntry) -> CompiledRuleSet:
        """The compiled rule set of a published entry (its variants and rules)."""
        cache_key = (entry.id, entry.version)
        hit = self._rulesets.get(cache_key)
        if hit is None:
            data = self.personalization.get(entry.id, {})
            ruleset = ruleset_of(entry.type, entry.key, data, self.audiences)
            hit = compile_ruleset(ruleset, self.audiences)
            if len(self._rulesets) >= MAX_RULESETS:
                self._rulesets.clear()
            self._rulesets[cache_key] = hit
        return hit

    def fields(
        self,
        entry: PublishedEntry,
        variant: str,
        locale: str,
        info: TypeInfo,
        locales: LocaleSet,
    ) -> RenderFields:
        """The entry's fields with ``variant``'s overrides, along ``locale``'s
        chain, rich text and Markdown converted (both views, see ``rich``)."""
        cache_key = (entry.id, entry.version, variant, locale)
        hit = self._resolved.get(cache_key)
        if hit is None:
            merged = merge_variant(
                entry.fields,
                self.personalization.get(entry.id, {})
                .get("variants", {})
                .get(variant, {})
                .get("fields", {}),
                info.localized,
            )
            resolved = resolve_fields(merged, info.localized, locales.chain(locale))
            hit = render_fields(resolved.values, resolved.served_by, info, self.rich)
            if len(self._resolved) >= MAX_RESOLVED:
                self._resolved.clear()
            self._resolved[cache_key] = hit
        return hit

    def output(
        self, key: tuple[str, int, str], variant: str, locale: str
    ) -> Rendered | None:
        """A kept render of (entry id, version, channel) for every customer."""
        return self._outputs.get((key, variant, locale))

    def keep_output(
        self, key: tuple[str, int, str], variant: str, locale: str, out: Rendered
    ) -> None:
        """Keep a render whose template reads nothing but fields and locale."""
        if len(self._outputs) >= MAX_OUTPUTS:
            self._outputs.clear()
        self._outputs[(key, variant, locale)] = out


class Rendered(msgspec.Struct, frozen=True, kw_only=True):
    """A channel output as the render API sends it, with its ETag."""

    body: dict[str, Any]
    encoded: msgspec.Raw
    """``body`` as JSON, encoded once (its ETag is a hash of these bytes): the
    fast path sends it verbatim instead of encoding the dict per request."""
    warnings: list[dict[str, Any]]
    served_by: dict[str, str | None]
    etag: str


def merge_variant(
    base: dict[str, Any], overrides: dict[str, Any], localized: frozenset[str]
) -> dict[str, Any]:
    """A variant's partial override over the baseline: a localised field is
    merged per locale (the variant may change German only), others replaced."""
    if not overrides:
        return base
    merged = dict(base)
    for key, value in overrides.items():
        if key in localized and isinstance(value, dict):
            merged[key] = {**(base.get(key) or {}), **value}
        else:
            merged[key] = value
    return merged


class RenderSnapshot:
    """The render path's view of the current generation."""

    def __init__(self, published: Published) -> None:
        self.published = published

    @property
    def state(self) -> RenderState:
        """The render half of the current generation."""
        return self.published.generation.render

    @property
    def built_at(self) -> float:
        return self.published.generation.built_at

    @property
    def build_seconds(self) -> float:
        return self.published.generation.build_seconds
