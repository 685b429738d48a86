"""Rich text and Markdown of published entries, converted once per value.

Delivery serves these fields as stored (sanitised HTML, Markdown source);
renders need two views of each: sanitised HTML (``Markup``) for HTML parts and
plain text for text parts. Converting a Markdown value takes ~2.5 us a
character (markdown-it-py is pure Python), far too slow per render, so every
distinct value is converted once: when a render generation is built, in a
worker thread (:meth:`RichValues.successor`), for every value the published
entries and their variants hold; the next generation takes over what is
already converted and converts only new values. A value the build did not
see (a state built another way) is converted on first use and kept.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal, NamedTuple

from markupsafe import Markup, escape

from content_hub.domain.entries import PublishedEntry
from content_hub.live.state import TypeInfo
from renderers import html_to_text, markdown_html, rich_text

__all__ = ["RenderFields", "RichValue", "RichValues", "convert", "render_fields"]

log = logging.getLogger(__name__)
Kind = Literal["rich_text", "markdown"]
MAX_LAZY = 50_000
"""Values converted on first use kept per generation (the build's are exact)."""


class RichValue(NamedTuple):
    html: Markup
    text: str


def convert(kind: Kind, raw: str) -> RichValue:
    """Both views of one value; a value that cannot be converted is shown as
    escaped text (logged), never failing a build or a render."""
    try:
        html = rich_text(raw) if kind == "rich_text" else markdown_html(raw)
        return RichValue(html, html_to_text(html))
    except Exception:  # one broken value must not stop the other renders
        log.exception("%s value could not be converted; shown as text", kind)
        return RichValue(escape(raw), raw)


class RichValues:
    """Converted values by (kind, stored value)."""

    __slots__ = ("_lazy", "_values")

    def __init__(self, values: dict[tuple[Kind, str], RichValue] | None = None) -> None:
        self._values = values if values is not None else {}
        self._lazy = 0

    def __len__(self) -> int:
        return len(self._values)

    def get(self, kind: Kind, raw: str) -> RichValue:
        key = (kind, raw)
        found = self._values.get(key)
        if found is None:
            found = convert(kind, raw)
            self._lazy += 1
            if self._lazy > MAX_LAZY:
                self._values.clear()
                self._lazy = 0
            self._values[key] = found
        return found

    def successor(
        self,
        entries: Iterable[PublishedEntry],
        types: Mapping[str, TypeInfo],
        personalization: Mapping[str, dict[str, Any]],
    ) -> RichValues:
        """The next generation's values: exactly those the published entries
        and their variants hold, converting only what this one lacks. Reads
        this cache only, so it may run in a thread while renders use it."""
        known = self._values
        out: dict[tuple[Kind, str], RichValue] = {}
        for key in _wanted(entries, types, personalization):
            if key not in out:
                found = known.get(key)
                out[key] = found if found is not None else convert(*key)
        return RichValues(out)


def _wanted(
    entries: Iterable[PublishedEntry],
    types: Mapping[str, TypeInfo],
    personalization: Mapping[str, dict[str, Any]],
) -> Iterator[tuple[Kind, str]]:
    for entry in entries:
        info = types.get(entry.type)
        if info is None or not (info.rich_text or info.markdown):
            continue
        variants = personalization.get(entry.id, {}).get("variants", {})
        sources = [entry.fields]
        sources += [
            v.get("fields", {}) for v in variants.values() if isinstance(v, dict)
        ]
        for kind, keys in _kinds(info):
            for fields in sources:
                for key in keys:
                    for raw in _values(fields.get(key), key in info.localized):
                        yield kind, raw


def _kinds(info: TypeInfo) -> tuple[tuple[Kind, frozenset[str]], ...]:
    return (("rich_text", info.rich_text), ("markdown", info.markdown))


def _values(value: Any, localized: bool) -> Iterator[str]:
    if localized and isinstance(value, dict):
        yield from (v for v in value.values() if isinstance(v, str))
    elif isinstance(value, str):
        yield value


class RenderFields:
    """An entry's fields for one variant and locale, as renders use them.

    ``values`` is what HTML parts see (rich text and Markdown as ``Markup``);
    :attr:`text_values` what text parts see, built on first use (a
    web-only render never needs it) and kept.
    """

    __slots__ = ("_text_values", "_texts", "served_by", "values")

    def __init__(
        self,
        values: dict[str, Any],
        served_by: dict[str, str | None],
        texts: tuple[tuple[str, str], ...] = (),
    ) -> None:
        self.values = values
        self.served_by = served_by
        self._texts = texts
        self._text_values: dict[str, Any] | None = None

    @property
    def text_values(self) -> dict[str, Any]:
        if not self._texts:
            return self.values
        found = self._text_values
        if found is None:
            found = self._text_values = {**self.values, **dict(self._texts)}
        return found


def render_fields(
    values: dict[str, Any],
    served_by: dict[str, str | None],
    info: TypeInfo,
    rich: RichValues,
) -> RenderFields:
    """Resolved ``values`` (a fresh dict, changed in place) with their rich
    fields converted."""
    if not (info.rich_text or info.markdown):
        return RenderFields(values, served_by)
    texts: list[tuple[str, str]] = []
    for kind, keys in _kinds(info):
        for key in keys:
            raw = values.get(key)
            if isinstance(raw, str):
                converted = rich.get(kind, raw)
                values[key] = converted.html
                texts.append((key, converted.text))
    return RenderFields(values, served_by, tuple(texts))
