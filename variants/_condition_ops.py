"""Operator helpers of the condition language (leaf tests, no recursion)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from variants._js import js_relational, same_value_zero, strict_equals
from variants._js_regex import js_regex
from variants._version import padded_version_string

__all__ = [
    "compile_in",
    "compile_relational",
    "compile_version",
    "group_members",
    "is_in",
    "js_regex",
]

SavedGroups = Mapping[str, Sequence[Any]]
ValueTest = Callable[[Any, SavedGroups], bool]


def is_in(actual: Any, expected: Sequence[Any], insensitive: bool = False) -> bool:
    """``isIn``: membership with ``===`` (an array attribute intersects).

    For a string, Python's ``in`` is exact (``==`` between a string and any
    non-string is False), so large saved groups are scanned in C.
    """
    if not insensitive and isinstance(actual, str):
        return actual in expected
    if insensitive:
        fold = _fold
        if isinstance(actual, list):
            return any(
                strict_equals(fold(el), fold(e)) for el in actual for e in expected
            )
        return any(strict_equals(fold(actual), fold(e)) for e in expected)
    if isinstance(actual, list):
        return any(_includes(expected, el) for el in actual)
    return _includes(expected, actual)


def _includes(expected: Sequence[Any], value: Any) -> bool:
    """``expected.includes(value)`` (SameValueZero)."""
    if isinstance(value, str):
        return value in expected
    return any(same_value_zero(value, e) for e in expected)


def _fold(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


_NUMBER_TYPES = (int, float)


def compile_relational(op: str, arg: Any) -> ValueTest:
    """``$lt``/``$lte``/``$gt``/``$gte`` with a fast path for number vs number."""
    if type(arg) not in _NUMBER_TYPES or (type(arg) is float and math.isnan(arg)):
        return lambda v, g: js_relational(v, arg, op)
    bound = arg
    slow = js_relational
    if op == "$gte":
        return lambda v, g: (
            v >= bound if type(v) in _NUMBER_TYPES else slow(v, bound, op)
        )
    if op == "$gt":
        return lambda v, g: (
            v > bound if type(v) in _NUMBER_TYPES else slow(v, bound, op)
        )
    if op == "$lte":
        return lambda v, g: (
            v <= bound if type(v) in _NUMBER_TYPES else slow(v, bound, op)
        )
    return lambda v, g: v < bound if type(v) in _NUMBER_TYPES else slow(v, bound, op)


def compile_in(members: list[Any]) -> ValueTest | None:
    """``$in`` over plain strings only, as a set lookup (None: use the general path).

    A string attribute is in the set; a list attribute intersects it (only its
    string elements can match, as ``===`` never equates a string with anything
    else); any other value cannot match.
    """
    if not all(isinstance(m, str) for m in members):
        return None
    strings = frozenset(members)

    def in_strings(value: Any, groups: SavedGroups) -> bool:
        if isinstance(value, str):
            return value in strings
        if isinstance(value, list):
            return any(isinstance(x, str) and x in strings for x in value)
        return False

    return in_strings


def group_members(groups: SavedGroups, key: Any) -> Sequence[Any]:
    if not isinstance(key, str):
        return ()
    return groups.get(key) or ()


def compile_version(op: str, expected: str) -> ValueTest:
    pad = padded_version_string
    if op == "$veq":
        return lambda v, g: pad(v) == expected
    if op == "$vne":
        return lambda v, g: pad(v) != expected
    if op == "$vgt":
        return lambda v, g: pad(v) > expected
    if op == "$vgte":
        return lambda v, g: pad(v) >= expected
    if op == "$vlt":
        return lambda v, g: pad(v) < expected
    return lambda v, g: pad(v) <= expected
