"""Link decoration: UTM and tracking parameters added to every web link."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

import re2

__all__ = ["LinkDecorator", "link_decorator"]

# RE2, linear time: this runs over every rendered web page and email, and
# ``re`` took minutes on 15 KB of ``<a <a <a ...`` (backtracking).
_A_HREF = re2.compile(
    r"(?is)(<a\s[^>]*?\bhref\s*=\s*)(?:\"([^\"]*)\"|'([^']*)')([^>]*>)"
)
_TEXT_URL = re.compile(r"https?://[^\s<>\"')\]]+", re.I)
_NO_TRACK = re.compile(r"\sdata-no-track\b", re.I)


_CACHE: dict[tuple[object, ...], LinkDecorator] = {}


def link_decorator(
    utm: Mapping[str, str], tracking: Mapping[str, str], skip: tuple[str, ...] = ()
) -> LinkDecorator:
    """A decorator for these parameters; a send's recipients share one."""
    key = (tuple(utm.items()), tuple(tracking.items()), skip)
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 1024:
            _CACHE.clear()
        found = _CACHE[key] = LinkDecorator(utm, tracking, skip)
    return found


class LinkDecorator:
    """Adds ``utm_*`` and tracking parameters to ``http(s)`` links.

    Existing query parameters are kept (an author's ``utm_source`` wins),
    ``mailto:``, ``tel:``, anchors and relative links are left alone, and so are
    the unsubscribe link and links marked ``data-no-track``.
    """

    __slots__ = ("_encoded", "_keys", "_params", "_skip")

    def __init__(
        self,
        utm: Mapping[str, str],
        tracking: Mapping[str, str],
        skip: tuple[str, ...] = (),
    ) -> None:
        params: dict[str, str] = {}
        for key, value in utm.items():
            name = key if key.startswith("utm_") else f"utm_{key}"
            params[name] = str(value)
        for key, value in tracking.items():
            params.setdefault(key, str(value))
        self._params = params
        self._encoded = urlencode(params)
        self._keys = frozenset(params)
        self._skip = tuple(url for url in skip if url)

    def __bool__(self) -> bool:
        return bool(self._params)

    def url(self, url: str) -> str:
        """The decorated URL (unchanged when it is not a web link)."""
        lowered = url[:8].lower()
        if not (lowered.startswith("https://") or lowered.startswith("http://")):
            return url
        if url in self._skip:
            return url
        base, hash_, fragment = url.partition("#")
        path, _, query = base.partition("?")
        if not query:
            encoded = self._encoded
        else:
            present = {key for key, _ in parse_qsl(query, keep_blank_values=True)}
            if present.isdisjoint(self._keys):
                encoded = self._encoded
            else:
                added = [(k, v) for k, v in self._params.items() if k not in present]
                if not added:
                    return url
                encoded = urlencode(added)
        joined = f"{path}?{query}&{encoded}" if query else f"{path}?{encoded}"
        return f"{joined}{hash_}{fragment}"

    def html(self, markup: str) -> str:
        """Decorate every ``<a href>`` of an HTML document."""
        if not self._params:
            return markup

        if "<a" not in markup and "<A" not in markup:
            return markup

        def replace(match: Any) -> str:
            double = match.group(2)
            raw = double if double is not None else match.group(3)
            url = html.unescape(raw) if "&" in raw else raw
            decorated = self.url(url.strip())
            whole: str = match.group(0)
            if decorated == url.strip() or _NO_TRACK.search(whole):
                return whole
            quote = '"' if double is not None else "'"
            escaped = html.escape(decorated)
            return f"{match.group(1)}{quote}{escaped}{quote}{match.group(4)}"

        decorated: str = _A_HREF.sub(replace, markup)
        return decorated

    def text(self, text: str) -> str:
        """Decorate every ``http(s)`` URL of a plain-text part."""
        if not self._params:
            return text
        return _TEXT_URL.sub(lambda m: self.url(m.group(0)), text)
