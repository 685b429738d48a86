"""Version strings padded so that plain string comparison orders them."""

from __future__ import annotations

import re
from typing import Any

from variants._js import js_to_string

__all__ = ["padded_version_string"]

_STRIP = re.compile(r"^v|\+.*$")
_SPLIT = re.compile(r"[-.]")


def padded_version_string(value: Any) -> str:
    """GrowthBook's ``paddedVersionString``.

    Numbers become their text, anything else non-string or empty becomes ``"0"``;
    a leading ``v`` and ``+build`` are dropped; parts split on ``.`` and ``-``;
    a plain ``x.y.z`` gets a ``~`` part (so it sorts after its pre-releases);
    all-digit parts are left-padded with spaces to width 5; joined with ``-``.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = js_to_string(value)
    if not value or not isinstance(value, str):
        value = "0"
    parts = _SPLIT.split(_STRIP.sub("", value))
    if len(parts) == 3:
        parts.append("~")
    return "-".join(p.rjust(5) if p.isascii() and p.isdigit() else p for p in parts)
