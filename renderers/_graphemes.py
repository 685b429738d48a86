"""User-perceived characters (extended grapheme clusters, Unicode UAX #29).

Uses ``regex``'s ``\\X``, which follows the full UAX #29 rules: emoji ZWJ
sequences, skin tones, flags (regional indicator pairs), combining marks and
Hangul syllables stay whole.
"""

from __future__ import annotations

import regex

__all__ = ["graphemes", "truncate_graphemes"]

_CLUSTER = regex.compile(r"\X", regex.DOTALL)
ELLIPSIS = "\u2026"


def graphemes(text: str) -> list[str]:
    """Split ``text`` into extended grapheme clusters."""
    return _CLUSTER.findall(text)


def truncate_graphemes(text: str, count: int, ellipsis: str = ELLIPSIS) -> str:
    """The first ``count`` clusters (ellipsis included), never half a cluster."""
    clusters = graphemes(text)
    if len(clusters) <= count:
        return text
    if count <= 0:
        return ""
    keep = count - len(graphemes(ellipsis)) if ellipsis else count
    if keep <= 0:
        return "".join(clusters[:count])
    return "".join(clusters[:keep]).rstrip() + ellipsis
