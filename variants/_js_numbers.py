"""JavaScript's numbers for the condition evaluator: ``Number.prototype.
toString()`` and JSON integers past the largest double (which JavaScript
reads as ``Infinity``)."""

from __future__ import annotations

import math
import re
from decimal import Decimal

__all__ = ["JS_WHITESPACE", "NUMERIC", "int_to_float", "number_to_string"]

NUMERIC = re.compile(
    r"[+-]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|Infinity)", re.ASCII
)
JS_WHITESPACE = " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
JS_WHITESPACE += "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


def number_to_string(value: float) -> str:
    """``Number.prototype.toString()`` (shortest round-trip digits)."""
    if isinstance(value, int):
        if abs(value) < 10**21:
            return str(value)
        value = int_to_float(value)
    if math.isnan(value):
        return "NaN"
    if value in (math.inf, -math.inf):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign, digits_t, exponent = Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digits_t))
    k = len(digits)
    n = k + int(exponent)
    prefix = "-" if sign else ""
    if k <= n <= 21:
        body = digits + "0" * (n - k)
    elif 0 < n <= 21:
        body = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        body = "0." + "0" * (-n) + digits
    else:
        exp = n - 1
        mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
        body = f"{mantissa}e{'+' if exp >= 0 else '-'}{abs(exp)}"
    return prefix + body


def int_to_float(value: int) -> float:
    """A JSON integer as JavaScript reads it: past the largest double it is
    ``Infinity`` (Python's ``float()`` raises instead)."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf
