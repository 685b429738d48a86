"""The filter set templates may use: Jinja's builtins, guarded against blow-ups.

Each filter is wrapped so that it ticks the render budget and its result is size
checked. Filters that take a size argument (``center``, ``indent``, ``batch``,
``replace``, ...) are checked *before* they allocate. ``random`` (not
deterministic) and ``safe`` (would let customer data through unescaped; rich
text reaches templates already marked as ``Markup``) are not offered.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, NamedTuple

from jinja2.filters import FILTERS

from renderers._errors import ResourceLimitError, SandboxViolationError
from renderers._limits import check_value, current_scope

__all__ = ["Group", "builtin_filters", "check_format_string", "check_printf", "guard"]

_DROPPED = frozenset({"random", "safe"})
_MAX_WIDTH = 1_000

_PRINTF_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")
_FORMAT_FIELD = re.compile(r"\{[^{}]*:([^{}]*)(\{)?")
_DIGITS = re.compile(r"\d+")


def check_printf(fmt: str) -> None:
    """Refuse ``%`` formats with ``*`` or huge widths (``'%999999999d' % 1``)."""
    if "%" not in fmt:
        return
    for match in _PRINTF_SPEC.finditer(fmt):
        for part in match.groups():
            if part == "*" or (part and int(part) > _MAX_WIDTH):
                raise ResourceLimitError(
                    f"format width or precision {part!r} exceeds {_MAX_WIDTH}"
                )


def check_format_string(fmt: str) -> None:
    """Refuse ``str.format`` specs with nested or huge widths (``{:>999999999}``)."""
    if "{" not in fmt:
        return
    for match in _FORMAT_FIELD.finditer(fmt):
        if match.group(2) is not None:
            raise ResourceLimitError("nested format specifications are not allowed")
        for digits in _DIGITS.findall(match.group(1)):
            if int(digits) > _MAX_WIDTH:
                raise ResourceLimitError(
                    f"format width or precision {digits} exceeds {_MAX_WIDTH}"
                )


def _as_int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _check_width(name: str, width: Any, limit: int = _MAX_WIDTH) -> None:
    size = len(width) if isinstance(width, str) else _as_int(width)
    if size > limit:
        raise ResourceLimitError(f"{name} of {size} exceeds the limit of {limit}")


def _pre_center(value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
    _check_width("center width", width, max(_MAX_WIDTH, len(str(value))))


def _pre_indent(value: Any, width: Any = 4, *_: Any, **kwargs: Any) -> None:
    _check_width("indent width", kwargs.get("width", width), 100)


def _pre_format(value: Any, *_: Any, **__: Any) -> None:
    check_printf(str(value))


def _pre_replace(value: Any, old: Any = "", new: Any = "", *_: Any, **__: Any) -> None:
    text, old_s, new_s = str(value), str(old), str(new)
    hits = text.count(old_s) if old_s else len(text) + 1
    estimate = len(text) + hits * len(new_s)
    limit = current_scope().limits.max_value_chars
    if estimate > limit:
        raise ResourceLimitError(
            f"replace would build {estimate} characters, over the limit of {limit}"
        )


def _pre_batch(value: Any, linecount: Any = 1, *_: Any, **__: Any) -> None:
    _check_width("batch size", linecount, current_scope().limits.max_items)


def _pre_sum(value: Any, *args: Any, **kwargs: Any) -> None:
    start = kwargs.get("start", args[1] if len(args) > 1 else 0)
    if not isinstance(start, int | float):
        raise SandboxViolationError("sum only adds numbers")


_PRE_CHECKS: Mapping[str, Callable[..., None]] = {
    "center": _pre_center,
    "indent": _pre_indent,
    "format": _pre_format,
    "replace": _pre_replace,
    "batch": _pre_batch,
    "slice": _pre_batch,
    "sum": _pre_sum,
}


def _join(value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
    items: Any = list(value) if attribute is None else value
    if attribute is None:
        limit = current_scope().limits
        total = len(str(d)) * len(items)
        for item in items:
            check_value(item, limit)
            total += len(item) if isinstance(item, str) else 24
        if total > limit.max_value_chars:
            raise ResourceLimitError(
                f"join would build {total} characters, over the limit of "
                f"{limit.max_value_chars}"
            )
    return items, d, attribute


def guard(
    name: str,
    func: Callable[..., Any],
    pre: Callable[..., None] | None = None,
) -> Callable[..., Any]:
    """Wrap a filter: tick the budget, run ``pre`` on its arguments, size check."""
    pass_arg = getattr(func, "jinja_pass_arg", None)

    if pass_arg is None:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scope = current_scope()
            scope.tick()
            if pre is not None:
                pre(*args, **kwargs)
            return check_value(_data(func(*args, **kwargs), scope), scope.limits)

    else:

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            scope = current_scope()
            scope.tick()
            if pre is not None:
                pre(*args[1:], **kwargs)
            return check_value(_data(func(*args, **kwargs), scope), scope.limits)

        wrapper.jinja_pass_arg = pass_arg  # type: ignore[attr-defined]
    functools.update_wrapper(wrapper, func)
    wrapper.__name__ = name
    return wrapper


class Group(NamedTuple):
    """``groupby``'s item: attribute access like Jinja's, printed as data
    (a plain tuple), never as ``_GroupTuple(grouper=..., list=...)``."""

    grouper: Any
    list: list[Any]

    def __repr__(self) -> str:
        return tuple.__repr__(self)

    def __str__(self) -> str:
        return tuple.__repr__(self)


def _data(value: Any, scope: Any) -> Any:
    """Filters that return lazy iterators (``map``, ``select``, ``batch``,
    ``items``, ...) would print as ``<generator object ... at 0x...>``: a
    template only ever sees their items, as a list (at most ``max_items``)."""
    if isinstance(value, Iterator):
        cap = scope.limits.max_items
        items = list(itertools.islice(value, cap + 1))
        if len(items) > cap:
            raise ResourceLimitError(f"a filter produced more than {cap} items")
        if items and type(items[0]).__name__ == "_GroupTuple":
            return [Group(*item) for item in items]
        return items
    if isinstance(value, list) and value and type(value[0]).__name__ == "_GroupTuple":
        return [Group(*item) for item in value]
    return value


def _guarded_join(func: Callable[..., Any]) -> Callable[..., Any]:
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> Any:
        items, d, attribute = _join(value, d, attribute)
        return func(eval_ctx, items, d, attribute)

    join.jinja_pass_arg = func.jinja_pass_arg  # type: ignore[attr-defined]
    return join


def builtin_filters() -> dict[str, Callable[..., Any]]:
    """Jinja's builtin filters minus the dropped ones, each guarded."""
    out: dict[str, Callable[..., Any]] = {}
    for name, func in FILTERS.items():
        if name in _DROPPED:
            continue
        wrapped = _guarded_join(func) if name == "join" else func
        out[name] = guard(name, wrapped, _PRE_CHECKS.get(name))
    return out
