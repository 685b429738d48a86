"""Rich text and Markdown of published entries, converted once per value.

Delivery serves these fields as stored (sanitised HTML, Markdown source);
renders need two views of each: sanitised HTML (``Markup``) for HTML parts and
plain text for text parts. Converting a Markdown value takes ~2.5 us a
character (markdown-it-py is pure Python), far too slow per render, so each
distinct value is converted once and kept: when a render generation is built,
in a worker thread (:meth:`RichValues.successor`), up to ``MAX_VALUES`` values
the published entries and their variants hold (all of them in a hub of up to
about 10,000 rich entries); the next generation takes over what is already
converted and converts only new values. Beyond that bound (100,000 entries
would take minutes to convert and hundreds of MB to hold) a value is converted
on first use and kept in a bounded cache. The plain-text view costs five times
the HTML and only text parts need it: it is made on first use, once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Literal

from markupsafe import Markup, escape

from content_hub.domain.entries import PublishedEntry
from content_hub.live.state import TypeInfo
from renderers import html_to_text, markdown_html, rich_text

__all__ = ["RenderFields", "RichValue", "RichValues", "convert", "render_fields"]

log = logging.getLogger(__name__)
Kind = Literal["rich_text", "markdown"]
MAX_VALUES = 20_000
"""Values a build converts ahead of use (about 0.1 ms and 0.5 KB each)."""
MAX_LAZY = 20_000
"""Values converted on first use kept per generation."""


class RichValue:
    """Both views of one value: ``html`` at once, ``text`` on first use."""

    __slots__ = ("_text", "html")

    def __init__(self, html: Markup, text: str | None = None) -> None:
        self.html = html
        self._text = text

    @property
    def text(self) -> str:
        found = self._text
        if found is None:
            try:
                found = html_to_text(self.html)
            except Exception:  # one broken value must not stop the other renders
                log.exception("rich value could not be shown as text")
                found = self.html.striptags()
            self._text = found
        return found


def convert(kind: Kind, raw: str) -> RichValue:
    """One value as sanitised HTML; a value that cannot be converted is shown
    as escaped text (logged), never failing a build or a render."""
    try:
        return RichValue(rich_text(raw) if kind == "rich_text" else markdown_html(raw))
    except Exception:  # one broken value must not stop the other renders
        log.exception("%s value could not be converted; shown as text", kind)
        return RichValue(escape(raw), raw)


class RichValues:
    """Converted values by (kind, stored value): those of the build (fixed)
    and those converted on first use (bounded). ``versions``: the entry
    versions the build went through (the next build goes through the others
    only)."""

    __slots__ = ("_lazy", "_values", "_versions")

    def __init__(
        self,
        values: dict[tuple[Kind, str], RichValue] | None = None,
        versions: Mapping[str, int] | None = None,
        lazy: dict[tuple[Kind, str], RichValue] | None = None,
    ) -> None:
        self._values = values if values is not None else {}
        self._versions = versions
        self._lazy: dict[tuple[Kind, str], RichValue] = lazy if lazy else {}

    def __len__(self) -> int:
        return len(self._values) + len(self._lazy)

    def get(self, kind: Kind, raw: str) -> RichValue:
        key = (kind, raw)
        found = self._values.get(key) or self._lazy.get(key)
        if found is None:
            found = convert(kind, raw)
            if len(self._lazy) >= MAX_LAZY:
                self._lazy = {}
            self._lazy[key] = found
        return found

    def successor(
        self,
        entries: Iterable[PublishedEntry],
        types: Mapping[str, TypeInfo],
        personalization: Mapping[str, dict[str, Any]],
    ) -> RichValues:
        """The next generation's values: those the published entries and
        their variants hold, up to ``MAX_VALUES``, converting only what this
        one lacks. When both generations know their entry versions (a
        publish), this one's values are kept and only new or changed entries
        are gone through: values of entries since unpublished stay until the
        next full build, within the bound. Only reads this generation, so it
        may run in a thread while renders use it."""
        known, lazy, seen = self._values, self._lazy, self._versions
        versions: Mapping[str, int] | None = getattr(personalization, "versions", None)
        out: dict[tuple[Kind, str], RichValue] = {}
        if seen is not None and versions is not None:
            out = dict(known)
            entries = (e for e in entries if seen.get(e.id) != e.version)
        for key in _wanted(entries, types, personalization):
            if key not in out:
                if len(out) >= MAX_VALUES:
                    break
                found = known.get(key) or lazy.get(key)
                out[key] = found if found is not None else convert(*key)
        return RichValues(out, versions, dict(lazy))


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
        texts: tuple[tuple[str, RichValue], ...] = (),
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
            texts = {key: value.text for key, value in self._texts}
            found = self._text_values = {**self.values, **texts}
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
    texts: list[tuple[str, RichValue]] = []
    for kind, keys in _kinds(info):
        for key in keys:
            raw = values.get(key)
            if isinstance(raw, str):
                converted = rich.get(kind, raw)
                values[key] = converted.html
                texts.append((key, converted))
    return RenderFields(values, served_by, tuple(texts))
