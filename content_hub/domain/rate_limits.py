"""Request rates: how a limit is written, and the 429 a caller gets past it."""

from __future__ import annotations

import math
import re

import msgspec

from content_hub.domain.errors import HubError

_UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(
    r"^\s*(?P<amount>\d{1,12})\s*(?:/|per)\s*(?P<multiple>\d{1,6})?\s*"
    r"(?P<unit>second|minute|hour|day)s?\s*$",
    re.IGNORECASE,
)
_OFF = {"", "0", "off", "none", "false", "no"}


class Rate(msgspec.Struct, frozen=True):
    """At most ``amount`` requests per ``seconds`` (a fixed window)."""

    amount: int
    seconds: int
    text: str


def parse_rate(text: str) -> Rate | None:
    """``"6000/minute"``, ``"20 per minute"``, ``"100/5 minutes"`` -> a
    :class:`Rate`; ``"off"`` or ``"0"`` -> ``None`` (no limit).

    The grammar is the one of the ``limits`` library, so the same strings work
    in both; anything else raises ``ValueError`` naming the accepted forms.
    """
    if text.strip().lower() in _OFF:
        return None
    match = _RATE.match(text)
    if match is None:
        raise ValueError(
            f"{text!r} is not a rate: write 'N/second', 'N/minute', 'N/hour', "
            "'N/day' (or 'N per M minutes'), or 'off'"
        )
    amount = int(match["amount"])
    seconds = _UNITS[match["unit"].lower()] * int(match["multiple"] or 1)
    if amount == 0:
        return None
    return Rate(amount, seconds, " ".join(text.split()))


class TooManyRequests(HubError):
    status = 429
    type_slug = "too-many-requests"
    title = "Too many requests"

    def __init__(self, what: str, *, retry_after: float, limit: Rate) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(
            f"{what}: the limit is {limit.text}; retry in {seconds} s.",
            extra={"retry_after": seconds, "limit": limit.text},
            headers={"Retry-After": str(seconds)},
        )
