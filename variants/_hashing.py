"""Hashing, bucket ranges and namespaces, as GrowthBook's JavaScript SDK does them.

FNV-1a 32 runs over UTF-16 code units (JavaScript's ``charCodeAt``), not UTF-8
bytes, so any identifier lands in the bucket a browser would put it in.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence
from typing import Any

from variants._js import js_to_string

__all__ = [
    "FNV_OFFSET",
    "SuffixHasher",
    "choose_variation",
    "fnv1a32",
    "fnv1a32_pair",
    "gb_hash",
    "get_bucket_ranges",
    "get_equal_weights",
    "get_query_string_override",
    "hash_value_string",
    "in_namespace",
    "in_range",
]

FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193
_MASK = 0xFFFFFFFF

Range = tuple[float, float]


def _code_units(text: str) -> Sequence[int]:
    if text.isascii():
        return text.encode("ascii")
    raw = text.encode("utf-16-le")
    return [raw[i] | (raw[i + 1] << 8) for i in range(0, len(raw), 2)]


def fnv1a32(text: str, state: int = FNV_OFFSET) -> int:
    """FNV-1a 32 over the UTF-16 code units of ``text``, continuing from ``state``.

    FNV-1a is a streaming hash, so ``fnv1a32(b, fnv1a32(a)) == fnv1a32(a + b)``;
    callers precompute the state of a constant prefix (a seed) once.
    """
    h = state
    for unit in text.encode() if text.isascii() else _code_units(text):
        h = ((h ^ unit) * 0x01000193) & 0xFFFFFFFF
    return h


_LANE_MASK = _MASK | (_MASK << 64)
_LANES = [c | (c << 64) for c in range(128)]


def fnv1a32_pair(text: str, state_a: int, state_b: int) -> tuple[int, int]:
    """Two FNV-1a 32 runs over the same ``text`` from two states, in one pass.

    Both states ride in one integer, 64 bits apart, so the carries of one
    32-bit lane's product never reach the other; it costs about one run.
    """
    if not text.isascii():
        return fnv1a32(text, state_a), fnv1a32(text, state_b)
    lanes = _LANES
    s = state_a | (state_b << 64)
    for unit in text.encode():
        s = ((s ^ lanes[unit]) * 0x01000193) & _LANE_MASK
    return s & _MASK, s >> 64


class SuffixHasher:
    """``fnv1a32(suffix, state)`` in O(1) for a fixed ``suffix``.

    XOR with a code unit below 256 only changes the low byte, so
    ``(h ^ c) = h + d`` with ``d`` a function of ``h``'s low byte and ``c``; the
    next low byte depends on the same two things. Hence
    ``fnv1a32(suffix, h) = h * P^k + G[h & 0xFF] (mod 2^32)``, and the 256
    values ``G`` are computed once. Used for namespace and v1 seeds, which
    follow the (variable) hash value.
    """

    __slots__ = ("power", "table")

    def __init__(self, suffix: str) -> None:
        if any(ord(ch) > 0xFF for ch in suffix):
            raise ValueError("SuffixHasher needs code units below 256")
        self.power = pow(_FNV_PRIME, len(suffix), 1 << 32)
        # 1 KB of unsigned 32-bit ints; a tuple of int objects would be ~10 KB
        self.table = array(
            "I",
            ((fnv1a32(suffix, low) - low * self.power) & _MASK for low in range(256)),
        )

    def __call__(self, state: int) -> int:
        return (state * self.power + self.table[state & 0xFF]) & _MASK


def hash_value_string(value: Any) -> str:
    """The text JavaScript's ``seed + value`` concatenation would use."""
    return value if isinstance(value, str) else js_to_string(value)


def gb_hash(seed: str, value: Any, version: int) -> float | None:
    """GrowthBook's ``hash(seed, value, version)``: a number in [0, 1) or None.

    * v1: ``fnv1a32(value + seed) % 1000 / 1000``
    * v2: ``fnv1a32(str(fnv1a32(seed + value))) % 10000 / 10000``
    * any other version: ``None``.
    """
    text = hash_value_string(value)
    if version == 2:
        inner = fnv1a32(text, fnv1a32(seed))
        return (fnv1a32(str(inner)) % 10000) / 10000
    if version == 1:
        return (fnv1a32(seed, fnv1a32(text)) % 1000) / 1000
    return None


def get_equal_weights(n: int) -> list[float]:
    """``n`` copies of ``1/n`` (empty for ``n <= 0``)."""
    if n <= 0:
        return []
    return [1 / n] * n


def in_range(n: float, rng: Sequence[float]) -> bool:
    """Half-open ``start <= n < end``."""
    return rng[0] <= n < rng[1]


def in_namespace(hash_id: Any, namespace: Sequence[Any]) -> bool:
    """``[id, start, end]``: v1 hash of ``"__" + id`` falls in ``[start, end)``."""
    n = gb_hash("__" + str(namespace[0]), hash_id, 1)
    if n is None:
        return False
    return bool(namespace[1] <= n < namespace[2])


def choose_variation(n: float, ranges: Sequence[Sequence[float]]) -> int:
    """Index of the first range containing ``n``, else -1."""
    for i, rng in enumerate(ranges):
        if rng[0] <= n < rng[1]:
            return i
    return -1


def get_bucket_ranges(
    num_variations: int,
    coverage: float | None = 1,
    weights: Sequence[float] | None = None,
) -> list[Range]:
    """Bucket ranges: each arm starts at its cumulative weight, covers ``coverage``.

    Coverage is clamped to [0, 1]; weights of the wrong length, or not summing to
    1 within 0.01, are replaced by equal weights.
    """
    cov = 1.0 if coverage is None else float(coverage)
    cov = min(max(cov, 0.0), 1.0)
    equal = get_equal_weights(num_variations)
    chosen: Sequence[float] = weights if weights is not None else equal
    if len(chosen) != num_variations:
        chosen = equal
    total = math.fsum(chosen) if chosen else 0.0
    if total < 0.99 or total > 1.01:
        chosen = equal
    cumulative = 0.0
    ranges: list[Range] = []
    for w in chosen:
        start = cumulative
        cumulative += w
        ranges.append((start, start + cov * w))
    return ranges


_PARSE_INT = re.compile(r"[+-]?\d+", re.ASCII)


def _parse_int(text: str) -> int | None:
    """JavaScript ``parseInt(text)`` (decimal; ``None`` for NaN)."""
    match = _PARSE_INT.match(text.lstrip(" \t\n\r\v\f"))
    return int(match.group()) if match else None


def get_query_string_override(key: str, url: str, num_variations: int) -> int | None:
    """A variation forced by ``?<key>=<index>`` in ``url``, if valid."""
    if not url:
        return None
    parts = url.split("?")
    if len(parts) < 2 or not parts[1]:
        return None
    search = parts[1].split("#", 1)[0]
    for pair in search.split("&"):
        k, _, v = pair.partition("=")
        if k == key:
            parsed = _parse_int(v) if "=" in pair else None
            if parsed is not None and 0 <= parsed < num_variations:
                return parsed
            return None
    return None
