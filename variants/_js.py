"""JavaScript value semantics for JSON values (the condition language needs them).

GrowthBook's reference SDK is JavaScript, so conditions compare attribute values
with JavaScript's loose rules: ``String(x)``, ``Number(x)``, truthiness,
relational comparison after ``ToPrimitive``, strict equality and
``JSON.stringify``. Values here are what a JSON decoder produces: ``None``,
``bool``, ``int``, ``float``, ``str``, ``list`` and ``dict``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from variants._js_numbers import JS_WHITESPACE, NUMERIC, int_to_float, number_to_string

__all__ = [
    "js_relational",
    "js_stringify",
    "js_to_number",
    "js_to_string",
    "js_truthy",
    "js_type",
    "same_value_zero",
    "strict_equals",
]

# Unambiguous, so failing matches backtrack linearly (``\d+\.?\d*``: 5 s on 20k digits)


def js_type(value: Any) -> str:
    """``typeof`` as GrowthBook's ``$type`` reports it (arrays and null apart)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    return "object"


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness: ``[]`` and ``{}`` are truthy, ``NaN`` is not."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if isinstance(value, int | float):
        return not (isinstance(value, float) and math.isnan(value)) and value != 0
    if isinstance(value, str):
        return value != ""
    return True


def js_to_string(value: Any) -> str:
    """``String(value)``; arrays joined with ``,`` (``null`` as ``""``) with an
    explicit stack: customer attributes may nest hundreds of levels."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list | tuple):
        return _scalar_string(value)
    out: list[str] = []
    # (items, next index) frames; "," between siblings, nothing around arrays
    stack: list[tuple[Sequence[Any], int]] = [(value, 0)]
    while stack:
        items, index = stack.pop()
        if index >= len(items):
            continue
        stack.append((items, index + 1))
        if index:
            out.append(",")
        item = items[index]
        if isinstance(item, list | tuple):
            stack.append((item, 0))
        elif item is not None:
            out.append(item if isinstance(item, str) else _scalar_string(item))
    return "".join(out)


def _scalar_string(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return number_to_string(value)
    return "[object Object]"


def js_to_number(value: Any) -> float:
    """``Number(value)`` (``null`` -> 0, ``"8"`` -> 8, ``"abc"`` -> NaN)."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int):
        return int_to_float(value)
    if isinstance(value, float):
        return value
    if value is None:
        return 0.0
    if isinstance(value, dict):
        return math.nan
    if isinstance(value, list | tuple):
        return js_to_number(js_to_string(value))
    text = str(value).strip(JS_WHITESPACE)
    if text == "":
        return 0.0
    lowered = text.lower()
    if lowered.startswith(("0x", "0o", "0b")) and len(text) > 2:
        base = {"x": 16, "o": 8, "b": 2}[lowered[1]]
        try:
            digits = int(text[2:], base)
        except ValueError:
            return math.nan
        try:
            return float(digits)
        except OverflowError:  # JavaScript: Number("0x" + "f".repeat(300))
            return math.inf
    if NUMERIC.fullmatch(text) is None:
        return math.nan
    return float(text.replace("Infinity", "inf"))


def _to_primitive(value: Any) -> Any:
    if isinstance(value, list | tuple | dict):
        return js_to_string(value)
    return value


def js_relational(left: Any, right: Any, op: str) -> bool:
    """``left < right`` etc. with JavaScript's abstract relational comparison."""
    a = _to_primitive(left)
    b = _to_primitive(right)
    if isinstance(a, str) and isinstance(b, str):
        if op == "$lt":
            return a < b
        if op == "$lte":
            return a <= b
        if op == "$gt":
            return a > b
        return a >= b
    x = js_to_number(a)
    y = js_to_number(b)
    if math.isnan(x) or math.isnan(y):
        return False
    if op == "$lt":
        return x < y
    if op == "$lte":
        return x <= y
    if op == "$gt":
        return x > y
    return x >= y


def strict_equals(a: Any, b: Any) -> bool:
    """``a === b``: no coercion; arrays and objects only equal themselves."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None:
        return a is None and b is None
    return a is b


def same_value_zero(a: Any, b: Any) -> bool:
    """``Array.prototype.includes`` equality (like ``===`` but NaN equals NaN)."""
    if (
        isinstance(a, float)
        and isinstance(b, float)
        and math.isnan(a)
        and math.isnan(b)
    ):
        return True
    return strict_equals(a, b)


def js_stringify(value: Any) -> str:
    """``JSON.stringify(value)`` for JSON values (numbers in JS form).

    Iterative (an explicit stack of pending text and values), so a value
    nested hundreds of levels deep is no ``RecursionError``.
    """
    out: list[str] = []
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if type(item) is _Text:
            out.append(item.text)
        elif isinstance(item, list | tuple):
            stack.append(_CLOSE_ARRAY)
            for index in range(len(item) - 1, -1, -1):
                stack.append(item[index])
                if index:
                    stack.append(_COMMA)
            out.append("[")
        elif isinstance(item, dict):
            stack.append(_CLOSE_OBJECT)
            pairs = list(item.items())
            for index in range(len(pairs) - 1, -1, -1):
                key, child = pairs[index]
                stack.append(child)
                stack.append(_Text(f"{_quote(str(key))}:"))
                if index:
                    stack.append(_COMMA)
            out.append("{")
        else:
            out.append(_scalar_json(item))
    return "".join(out)


class _Text:
    """Literal output queued between the values :func:`js_stringify` still
    has to write (a distinct type: a JSON string value is a plain ``str``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


_COMMA, _CLOSE_ARRAY, _CLOSE_OBJECT = _Text(","), _Text("]"), _Text("}")


def _scalar_json(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        value = int_to_float(value) if abs(value) >= 10**21 else value
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return "null"  # JSON.stringify(Infinity), also a JSON integer past a double
        return number_to_string(value)
    if isinstance(value, str):
        return _quote(value)
    return "null"


def _quote(text: str) -> str:
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch < " ":
            out.append(
                {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
                    ch, f"\\u{ord(ch):04x}"
                )
            )
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)
