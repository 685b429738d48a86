"""The one Jinja2 environment editors' templates run in.

An :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` hardened beyond what
the sandbox does by itself (see the rendering notes, section 5):

* ``*``, ``**``, ``+`` and ``%`` are intercepted: repetition, powers and
  products are refused *before* they allocate past the limits; ``%`` formats
  with huge widths are refused; every result is size checked;
* every call and filter call ticks the render budget (operations and time) and
  its result is size checked; ``str.format`` specs with huge widths are refused;
* builtin types expose an allow-list of attributes only (no ``center``,
  ``ljust``, ``zfill``, ``to_bytes``, ...);
* the ``range``, ``lipsum``, ``cycler``, ``joiner``, ``namespace`` and ``dict``
  globals are removed;
* undefined values chain (so ``|default`` works) but raise when printed,
  tested or iterated.

Loops are guarded by a rewrite of the parsed template (see ``_template``).
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from types import BuiltinMethodType
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Undefined
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from renderers._babel import babel_filters, babel_globals
from renderers._errors import ResourceLimitError
from renderers._filters import (
    Group,
    _pre_replace,
    builtin_filters,
    check_format_string,
    check_printf,
)
from renderers._limits import check_value, current_scope, guarded_iter, peek_scope

__all__ = ["HubEnvironment", "StrictChainableUndefined", "TemplateFunction"]


class StrictChainableUndefined(ChainableUndefined, StrictUndefined):
    """Chains through missing parents (``a.b.c | default('x')`` works) but
    raises when printed, tested or iterated: never an empty hole in a message.
    """

    __slots__ = ()


class TemplateFunction:
    """A function or method as templates hold it: callable, never text.

    Printing, formatting or converting a Python callable would write its
    ``repr`` (``<built-in method upper of str object at 0x7f...>``) into a
    customer's message, through any of ``|string``, ``~``, ``%``,
    ``str.format``, ``|join``, ``|urlencode``, a list literal... Every
    callable a template can reach (attributes, items, globals) is handed out
    wrapped in this class, whose text conversions raise; the sandbox's
    :meth:`HubEnvironment.call` unwraps it, so calling works as before.
    """

    __slots__ = ("function",)

    def __init__(self, function: Any) -> None:
        self.function = function

    def _refuse(self, *_: Any) -> str:
        name = getattr(self.function, "__name__", "function")
        raise SecurityError(f"{name!r} is a function: call it, it cannot be printed")

    __str__ = __repr__ = __format__ = _refuse

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Reached only when Python code, not the template, calls it (a filter
        # that takes a callable): keep the sandbox in the way.
        raise SecurityError("functions can only be called from the template")


def _opaque(value: Any) -> Any:
    """``value``, with callables wrapped as :class:`TemplateFunction`."""
    if callable(value) and not isinstance(value, Undefined | TemplateFunction):
        return TemplateFunction(value)
    return value


_DROPPED_GLOBALS = ("range", "lipsum", "cycler", "joiner", "namespace", "dict")

_STR_ATTRS = frozenset(
    {
        "capitalize", "casefold", "count", "endswith", "find", "format",
        "format_map", "index", "isalnum", "isalpha", "isascii", "isdecimal",
        "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper",
        "lower", "lstrip", "partition", "removeprefix", "removesuffix",
        "replace", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split",
        "splitlines", "startswith", "strip", "swapcase", "title", "upper",
        "striptags", "unescape",
    }
)  # fmt: skip
_NUMBER_ATTRS = frozenset(
    {"real", "imag", "numerator", "denominator", "is_integer", "bit_length"}
)
_ALLOWED_ATTRS: tuple[tuple[type | tuple[type, ...], frozenset[str]], ...] = (
    (str, _STR_ATTRS),
    (Group, frozenset({"grouper", "list"})),
    ((int, float), _NUMBER_ATTRS),
    ((list, tuple), frozenset({"count", "index"})),
    (dict, frozenset({"keys", "values", "items", "get"})),
    ((bytes, bytearray, set, frozenset), frozenset()),
)


def _seq_size(value: Any) -> tuple[int, int]:
    """(items, weight) of a string or sequence, for repetition pre-checks."""
    if isinstance(value, str):
        return len(value), len(value)
    items = len(value)
    weight = 0
    for item in value:
        weight += len(item) if isinstance(item, str) else 1
    return items, weight


class HubEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox with size, operation and time budgets."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *, html: bool) -> None:
        super().__init__(
            autoescape=html,
            undefined=StrictChainableUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            extensions=["jinja2.ext.loopcontrols"],
            cache_size=0,
            auto_reload=False,
            finalize=_finalize,
            # Jinja's constant-folding optimizer calls ``as_const`` on every
            # node over its whole subtree: cubic in a chain's length (a
            # 3,000-character ``fields.title.title…`` took 213 s to compile).
            # The hub's templates gain nothing from it that the render
            # budgets would notice.
            optimized=False,
        )
        self.html = html
        for name in _DROPPED_GLOBALS:
            self.globals.pop(name, None)
        self.globals.update(babel_globals())
        for name, value in self.globals.items():
            self.globals[name] = _opaque(value)
        self.filters = builtin_filters() | babel_filters()
        self.filters["_hub_iter"] = guarded_iter
        self.filters["_hub_value"] = _hub_value

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        for kind, names in _ALLOWED_ATTRS:
            if isinstance(obj, kind):
                return attr in names
        return True

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A key wins over a method of the same name: ``fields.items`` is the
        # field, not ``dict.items``; it also skips an exception per lookup.
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return _opaque(super().getattr(obj, attribute))

    def getitem(self, obj: Any, argument: Any) -> Any:
        if type(obj) is dict:
            try:
                return obj[argument]
            except (KeyError, TypeError):
                pass
        return _opaque(super().getitem(obj, argument))

    def call(
        __self,  # noqa: N805
        __context: Context,
        __obj: Any,
        *args: Any,
        **kwargs: Any,
    ) -> Any:
        scope = current_scope()
        scope.tick()
        if type(__obj) is TemplateFunction:
            __obj = __obj.function
        wrapped = getattr(__obj, "__wrapped__", None)
        if isinstance(wrapped, BuiltinMethodType) and isinstance(wrapped.__self__, str):
            check_format_string(wrapped.__self__)
        elif (
            isinstance(__obj, BuiltinMethodType)
            and __obj.__name__ == "replace"
            and isinstance(__obj.__self__, str)
        ):
            _pre_replace(__obj.__self__, *args)
        result = super().call(__context, __obj, *args, **kwargs)
        return check_value(result, scope.limits)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits = current_scope().limits
        if operator == "*":
            _check_product(left, right, limits.max_value_chars, limits)
        elif operator == "**":
            _check_power(left, right, limits.max_int_bits)
        elif operator == "%" and isinstance(left, str):
            check_printf(left)
        return check_value(_BINOPS[operator](left, right), limits)


_BINOPS = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "%": operator.mod,
}


def _check_product(left: Any, right: Any, max_chars: int, limits: Any) -> None:
    if isinstance(left, int) and isinstance(right, str | list | tuple):
        left, right = right, left
    if isinstance(left, str | list | tuple) and isinstance(right, int):
        items, weight = _seq_size(left)
        too_many = not isinstance(left, str) and items * right > limits.max_items
        if too_many or weight * right > max_chars:
            raise ResourceLimitError(
                f"repeating a value of size {weight} {right} times exceeds the "
                f"limit of {max_chars}"
            )
    elif isinstance(left, int) and isinstance(right, int):
        bits = left.bit_length() + right.bit_length()
        if bits > limits.max_int_bits:
            raise ResourceLimitError(
                f"a product of {bits} bits exceeds the limit of {limits.max_int_bits}"
            )


def _check_power(left: Any, right: Any, max_bits: int) -> None:
    if isinstance(right, int | float) and abs(right) > max_bits:
        if isinstance(left, int | float) and abs(left) in (0, 1):
            return
        raise ResourceLimitError(f"an exponent of {right} exceeds the limit")
    if isinstance(left, int) and isinstance(right, int) and right > 0:
        bits = left.bit_length() * right
        if bits > max_bits:
            raise ResourceLimitError(
                f"a power of about {bits} bits exceeds the limit of {max_bits}"
            )


def _finalize(value: Any) -> Any:
    """Every printed value passes here: a function is never data to print.

    Inserted HTML (``Markup`` with a tag) is noted on the render scope (an
    email whose CSS was inlined ahead of the render must style it too) and
    passed through the scope's ``markup_hook`` when one is set.
    """
    if type(value) is str:
        return value
    if isinstance(value, Markup):
        if "<" in value:
            scope = peek_scope()
            if scope is not None:
                scope.markup_inserted = True
                if scope.markup_hook is not None:
                    return scope.markup_hook(value)
        return value
    if isinstance(value, _PRINTABLE):
        return value
    if callable(value):
        raise SecurityError(f"{type(value).__name__} objects cannot be printed")
    raise SecurityError(f"{type(value).__name__} values cannot be printed")


_PRINTABLE = (
    str,
    int,
    float,
    list,
    tuple,
    dict,
    set,
    frozenset,
    type(None),
    dt.date,
    dt.time,
    dt.timedelta,
    Decimal,
    Undefined,
)
"""What ``{{ ... }}`` may print: data (containers print their items, each of
which refuses to turn into text if it is a function)."""


def _hub_value(value: Any) -> Any:
    """Size check of a value the template built (``~`` concatenation, literals)."""
    scope = current_scope()
    scope.tick()
    return check_value(value, scope.limits)
