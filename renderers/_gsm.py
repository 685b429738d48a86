"""GSM 03.38 / 3GPP TS 23.038 encoding detection and SMS segment arithmetic.

* GSM-7: 160 septets in one segment, 153 per segment when concatenated (the
  6-byte UDH takes 7 septets). Characters of the extension table
  (``^ { } \\ [ ~ ] | €`` and form feed) take 2 septets (ESC + code) and an
  ESC pair is never split across segments.
* Any other character switches the whole message to UCS-2: 70 / 67 UTF-16 code
  units; characters outside the BMP (most emoji) take 2 units and a surrogate
  pair is never split across segments.
"""

from __future__ import annotations

from typing import Literal

import msgspec

__all__ = [
    "GSM7_BASIC",
    "GSM7_EXTENDED",
    "SmsCount",
    "count_sms",
    "smart_encode",
]

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("\f^{}\\[~]|€")

_SMART = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-",
    "\u2026": "...", "\u2022": "*", "\u00b7": ".",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2009": " ", "\u200a": " ", "\u3000": " ",
    "\u200b": "", "\u200e": "", "\u200f": "", "\u2060": "", "\ufeff": "",
    "\u00ad": "",
}  # fmt: skip
_SMART_TABLE = str.maketrans(_SMART)

Encoding = Literal["GSM-7", "UCS-2"]


class SmsCount(msgspec.Struct, frozen=True, kw_only=True):
    """How a text goes over the air."""

    encoding: Encoding
    units: int
    """Septets (GSM-7) or UTF-16 code units (UCS-2)."""
    segments: int
    characters: int
    """Code points."""
    non_gsm: tuple[str, ...] = ()
    """The distinct characters that forced UCS-2 (first 10)."""


def _segments(widths: list[int], total: int, single: int, multi: int) -> int:
    if total == 0:
        return 0
    if total <= single:
        return 1
    if all(w == 1 for w in widths):
        return -(-total // multi)
    segments, used = 1, 0
    for width in widths:
        if used + width > multi:
            segments += 1
            used = 0
        used += width
    return segments


def count_sms(text: str) -> SmsCount:
    """Encoding, units and segments of ``text`` per GSM 03.38."""
    non_gsm: dict[str, None] = {}
    widths: list[int] = []
    for char in text:
        if char in GSM7_BASIC:
            widths.append(1)
        elif char in GSM7_EXTENDED:
            widths.append(2)
        else:
            non_gsm[char] = None
            widths.append(1)
    if not non_gsm:
        total = sum(widths)
        return SmsCount(
            encoding="GSM-7",
            units=total,
            segments=_segments(widths, total, 160, 153),
            characters=len(text),
        )
    widths = [2 if ord(char) > 0xFFFF else 1 for char in text]
    total = sum(widths)
    return SmsCount(
        encoding="UCS-2",
        units=total,
        segments=_segments(widths, total, 70, 67),
        characters=len(text),
        non_gsm=tuple(list(non_gsm)[:10]),
    )


def smart_encode(text: str) -> str:
    """Replace typographic characters with GSM-7 look-alikes (as Twilio's,
    Telnyx's and Bird's "smart encoding" do): curly quotes, dashes, ellipsis,
    bullets, special spaces; drop zero-width and direction marks."""
    return text.translate(_SMART_TABLE)
