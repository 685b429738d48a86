"""Babel-backed filters bound to the render locale, time zone and clock.

The locale is not baked into the environment: filters read the current
:class:`~renderers._limits.RenderScope`, so one compiled template serves every
locale and the pre-parsed ``Locale`` (cached per tag) is used for formatting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import dates, lists, numbers

from renderers._errors import TemplateRuntimeError
from renderers._filters import guard
from renderers._limits import current_scope
from renderers._locale import parse_timezone

__all__ = ["babel_filters", "babel_globals"]

_MAX_PATTERN = 64
Number = int | float | Decimal


def _number(value: Any) -> Number:
    if isinstance(value, bool):
        raise TemplateRuntimeError(f"expected a number, got {value!r}")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            pass
    raise TemplateRuntimeError(f"expected a number, got {value!r}")


def _pattern(value: str | None) -> str | None:
    if value is not None and len(str(value)) > _MAX_PATTERN:
        raise TemplateRuntimeError(f"format pattern longer than {_MAX_PATTERN}")
    return value


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, dt.time())
    elif isinstance(value, str):
        try:
            moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise TemplateRuntimeError(f"not an ISO 8601 datetime: {value!r}") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment = dt.datetime.fromtimestamp(value, dt.UTC)
    else:
        raise TemplateRuntimeError(f"expected a datetime, got {value!r}")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    return _datetime(value).astimezone(current_scope().tzinfo).date()


def _tz(tz: str | None) -> dt.tzinfo:
    return parse_timezone(tz) if tz else current_scope().tzinfo


def number(value: Any, format: str | None = None) -> str:
    """``{{ 1234.5 | number }}`` -> ``1.234,5`` (de)."""
    locale = current_scope().locale
    return numbers.format_decimal(_number(value), _pattern(format), locale=locale)


def compact(value: Any, format_type: str = "short", fraction_digits: int = 0) -> str:
    """``{{ 1234567 | compact }}`` -> ``1 Mio.`` (de), ``123万`` (ja)."""
    return numbers.format_compact_decimal(
        _number(value),
        format_type=format_type,  # type: ignore[arg-type]
        locale=current_scope().locale,
        fraction_digits=min(int(fraction_digits), 6),
    )


def percent(value: Any, format: str | None = None) -> str:
    """``{{ 0.25 | percent }}`` -> ``25 %`` (de)."""
    locale = current_scope().locale
    return numbers.format_percent(_number(value), _pattern(format), locale=locale)


def currency(value: Any, currency: str, format: str | None = None) -> str:
    """``{{ 19.9 | currency('EUR') }}`` -> ``19,90 €`` (de)."""
    code = str(currency).upper()
    if len(code) != 3 or not code.isalpha():
        raise TemplateRuntimeError(f"not an ISO 4217 currency code: {currency!r}")
    locale = current_scope().locale
    return numbers.format_currency(
        _number(value), code, _pattern(format), locale=locale
    )


def date(value: Any, format: str = "medium") -> str:
    """``{{ '2026-03-29' | date('long') }}`` -> ``29. März 2026`` (de)."""
    locale = current_scope().locale
    return dates.format_date(_date(value), _pattern(format) or "medium", locale=locale)


def datetime(value: Any, format: str = "medium", tz: str | None = None) -> str:
    """An aware datetime shown in the recipient's time zone (``context.timezone``)."""
    locale = current_scope().locale
    return dates.format_datetime(
        _datetime(value), _pattern(format) or "medium", tzinfo=_tz(tz), locale=locale
    )


def time(value: Any, format: str = "short", tz: str | None = None) -> str:
    """``{{ starts_at | time }}`` -> ``01:30`` (de, Europe/Berlin)."""
    locale = current_scope().locale
    return dates.format_time(
        _datetime(value), _pattern(format) or "short", tzinfo=_tz(tz), locale=locale
    )


def _delta(value: Any) -> dt.timedelta:
    if isinstance(value, dt.timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return dt.timedelta(seconds=value)
    return _datetime(value) - current_scope().now


def timedelta(
    value: Any,
    granularity: str = "second",
    format: str = "long",
    add_direction: bool = False,
) -> str:
    """``{{ 7200 | timedelta }}`` -> ``2 Stunden`` (de): a duration."""
    return dates.format_timedelta(
        _delta(value),
        granularity=granularity,  # type: ignore[arg-type]
        format=format,  # type: ignore[arg-type]
        add_direction=add_direction,
        locale=current_scope().locale,
    )


def relative_time(value: Any, granularity: str = "second", format: str = "long") -> str:
    """``{{ fields.sale_ends | relative_time }}`` -> ``in 3 Tagen`` (de).

    Relative to ``context.now`` when given, else to the render start.
    """
    return timedelta(value, granularity, format, add_direction=True)


def format_list(value: Iterable[Any], style: str = "standard") -> str:
    """``{{ ['A', 'B', 'C'] | format_list }}`` -> ``A, B und C`` (de)."""
    items = [str(item) for item in value]
    return lists.format_list(
        items,
        style=style,  # type: ignore[arg-type]
        locale=current_scope().locale,
    )


def plural_category(value: Any) -> str:
    """CLDR plural category of a number: ``zero one two few many other``."""
    return str(current_scope().locale.plural_form(_number(value)))


def plural(value: Any, **forms: str) -> str:
    """Pick a form by CLDR category, ``#`` replaced by the formatted number.

    ``{{ n | plural(one='# Artikel', other='# Artikel') }}``; falls back to
    ``other``.
    """
    category = plural_category(value)
    form = forms.get(category, forms.get("other"))
    if form is None:
        raise TemplateRuntimeError(
            f"plural needs an 'other' form (category {category!r} missing)"
        )
    return str(form).replace("#", number(value))


_FILTERS: dict[str, Callable[..., Any]] = {
    "number": number,
    "decimal": number,
    "compact": compact,
    "percent": percent,
    "currency": currency,
    "date": date,
    "datetime": datetime,
    "time": time,
    "timedelta": timedelta,
    "relative_time": relative_time,
    "format_list": format_list,
    "plural": plural,
    "plural_category": plural_category,
}


_UNCACHED = frozenset({"relative_time", "timedelta", "format_list"})
_CACHE: dict[tuple[Any, ...], str] = {}
_CACHE_SIZE = 16_384


def _memoised(func: Callable[..., str]) -> Callable[..., str]:
    """Formatting is pure given (value, arguments, locale, time zone), and the
    same prices and dates recur across recipients: remember the results."""

    def wrapper(value: Any, *args: Any, **kwargs: Any) -> str:
        scope = current_scope()
        key: tuple[Any, ...] = (
            func,
            scope.locale_key,
            scope.tzinfo,
            type(value),
            value,
            args,
        )
        if kwargs:
            key += tuple(sorted(kwargs.items()))
        try:
            hit = _CACHE.get(key)
        except TypeError:  # unhashable argument
            return func(value, *args, **kwargs)
        if hit is None:
            hit = func(value, *args, **kwargs)
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            _CACHE[key] = hit
        return hit

    return wrapper


def babel_filters() -> dict[str, Callable[..., Any]]:
    return {
        name: guard(name, func if name in _UNCACHED else _memoised(func))
        for name, func in _FILTERS.items()
    }


def babel_globals() -> dict[str, Callable[..., Any]]:
    return {"plural_category": plural_category}
