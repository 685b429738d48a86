"""A small typed filter expression over an allow-list of document fields.

Expressions are frozen msgspec Structs in a tagged union (``{"op": "eq", ...}``
on the wire). Backends never paste user text into a query: FTS5 compiles to
SQL with ``?`` parameters (:mod:`content_hub.search._fts5_sql`), Meilisearch to
a filter string whose values are always double-quoted and escaped
(:func:`to_meilisearch_filter`). Unknown fields raise
:class:`~content_hub.search.UnknownFilterFieldError`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Literal

import msgspec

from content_hub.search._errors import InvalidFilterError, UnknownFilterFieldError

StringField = Literal["type_key", "terms", "channels", "status", "stage", "locale"]
IntField = Literal["updated_at", "published_at"]
STRING_FIELDS: tuple[str, ...] = (
    "type_key",
    "terms",
    "channels",
    "status",
    "stage",
    "locale",
)
INT_FIELDS: tuple[str, ...] = ("updated_at", "published_at")
FILTERABLE_FIELDS: tuple[str, ...] = STRING_FIELDS + INT_FIELDS
LIST_FIELDS: frozenset[str] = frozenset({"terms", "channels"})

MAX_VALUE_BYTES = 468  # Meilisearch's limit for a filterable value
MAX_NODES = 256
MAX_DEPTH = 16

Value = str | int


class Eq(msgspec.Struct, frozen=True, tag="eq", tag_field="op"):
    """``field`` equals ``value`` (for list fields: any element equals it)."""

    field: str
    value: Value


class In(msgspec.Struct, frozen=True, tag="in", tag_field="op"):
    """``field`` equals one of ``values``."""

    field: str
    values: list[Value]


class Range(msgspec.Struct, frozen=True, tag="range", tag_field="op"):
    """``gte <= field <= lte`` on a number field; a missing value never matches."""

    field: str
    gte: int | None = None
    lte: int | None = None


class And(msgspec.Struct, frozen=True, tag="and", tag_field="op"):
    items: list[FilterExpr]


class Or(msgspec.Struct, frozen=True, tag="or", tag_field="op"):
    items: list[FilterExpr]


class Not(msgspec.Struct, frozen=True, tag="not", tag_field="op"):
    item: FilterExpr


FilterExpr = Eq | In | Range | And | Or | Not

_decoder = msgspec.json.Decoder(FilterExpr)


def decode_filter(data: bytes | str) -> FilterExpr:
    """Decode and validate a JSON filter expression."""
    try:
        expr: FilterExpr = _decoder.decode(data)
    except msgspec.ValidationError as exc:
        raise InvalidFilterError(f"invalid filter expression: {exc}") from None
    except msgspec.DecodeError as exc:
        raise InvalidFilterError(f"filter is not valid JSON: {exc}") from None
    validate_filter(expr)
    return expr


def _check_field(field: str) -> None:
    if field not in FILTERABLE_FIELDS:
        raise UnknownFilterFieldError(field, FILTERABLE_FIELDS)


def _check_value(field: str, value: object) -> None:
    if field in INT_FIELDS:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidFilterError(
                f"{field} takes integers (epoch seconds), not {value!r}"
            )
    elif not isinstance(value, str):
        raise InvalidFilterError(f"{field} takes strings, not {value!r}")
    elif len(value.encode()) > MAX_VALUE_BYTES:
        raise InvalidFilterError(
            f"a {field} value is longer than {MAX_VALUE_BYTES} bytes"
        )


def validate_filter(expr: FilterExpr) -> None:
    """Raise a :class:`~content_hub.search.SearchRequestError` if *expr* is bad."""
    nodes = 0

    def walk(node: object, depth: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise InvalidFilterError(
                f"filter too large (at most {MAX_NODES} nodes, depth {MAX_DEPTH})"
            )
        if isinstance(node, Eq):
            _check_field(node.field)
            _check_value(node.field, node.value)
        elif isinstance(node, In):
            _check_field(node.field)
            if not node.values:
                raise InvalidFilterError(
                    f"'in' on {node.field} needs at least one value"
                )
            for value in node.values:
                _check_value(node.field, value)
        elif isinstance(node, Range):
            _check_field(node.field)
            if node.field not in INT_FIELDS:
                raise InvalidFilterError(
                    f"range needs a number field, not {node.field!r}"
                )
            if node.gte is None and node.lte is None:
                raise InvalidFilterError(f"range on {node.field} needs gte or lte")
            for bound in (node.gte, node.lte):
                if bound is not None:
                    _check_value(node.field, bound)
        elif isinstance(node, And | Or):
            if not node.items:
                raise InvalidFilterError("'and'/'or' need at least one item")
            for item in node.items:
                walk(item, depth + 1)
        elif isinstance(node, Not):
            walk(node.item, depth + 1)
        else:
            raise InvalidFilterError(f"not a filter expression: {node!r}")

    walk(expr, 0)


def and_(*items: FilterExpr | None) -> FilterExpr | None:
    """Combine expressions with AND, dropping ``None``s (``None`` if none left)."""
    present = [item for item in items if item is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return And(present)


# -- query-parameter form -----------------------------------------------------

_PARAM_FIELDS: dict[str, str] = {
    "type": "type_key",
    "type_key": "type_key",
    "term": "terms",
    "terms": "terms",
    "channel": "channels",
    "channels": "channels",
    "status": "status",
    "stage": "stage",
    "locale": "locale",
}
_PARAM_RANGES: dict[str, tuple[str, str]] = {
    "updated_after": ("updated_at", "gte"),
    "updated_before": ("updated_at", "lte"),
    "published_after": ("published_at", "gte"),
    "published_before": ("published_at", "lte"),
}
FILTER_PARAMS: tuple[str, ...] = tuple(_PARAM_FIELDS) + tuple(_PARAM_RANGES)

Params = Mapping[str, str | Sequence[str]] | Iterable[tuple[str, str]]


def _pairs(params: Params) -> Iterable[tuple[str, str]]:
    if isinstance(params, Mapping):
        for key, raw in params.items():
            if isinstance(raw, str):
                yield key, raw
            else:
                for value in raw:
                    yield key, value
    else:
        yield from params


def parse_filter_params(
    params: Params, *, ignore: Collection[str] = ()
) -> FilterExpr | None:
    """Build a filter from query parameters such as ``?type=offer&term=topic:bikes``.

    Repeated or comma-separated values of one parameter are alternatives (IN);
    different parameters must all hold (AND). ``updated_after``/``_before`` and
    ``published_after``/``_before`` take epoch seconds. Parameters named in
    *ignore* (``q``, ``limit``...) are skipped; any other unknown one raises
    :class:`~content_hub.search.UnknownFilterFieldError`.
    """
    values: dict[str, list[str]] = {}
    ranges: dict[str, dict[str, int]] = {}
    for key, raw in _pairs(params):
        if key in ignore:
            continue
        if key in _PARAM_RANGES:
            field, bound = _PARAM_RANGES[key]
            try:
                number = int(raw)
            except ValueError:
                raise InvalidFilterError(
                    f"{key} takes epoch seconds, not {raw!r}"
                ) from None
            ranges.setdefault(field, {})[bound] = number
            continue
        if key not in _PARAM_FIELDS:
            raise UnknownFilterFieldError(key, FILTER_PARAMS)
        field_values = values.setdefault(_PARAM_FIELDS[key], [])
        for part in raw.split(","):
            value = part.strip()
            if value and value not in field_values:
                field_values.append(value)
    items: list[FilterExpr] = []
    for field, field_values in values.items():
        if len(field_values) == 1:
            items.append(Eq(field, field_values[0]))
        elif field_values:
            items.append(In(field, list[Value](field_values)))
    items.extend(
        Range(field, gte=bounds.get("gte"), lte=bounds.get("lte"))
        for field, bounds in ranges.items()
    )
    expr = and_(*items)
    if expr is not None:
        validate_filter(expr)
    return expr


# -- Meilisearch --------------------------------------------------------------


def quote_meilisearch(value: Value) -> str:
    """A Meilisearch filter literal: numbers bare, strings in escaped quotes."""
    if isinstance(value, int):
        return str(int(value))
    # Meilisearch's filter parser takes a backslash as "next character is
    # literal"; escaping backslash and double quote is all a literal needs.
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def to_meilisearch_filter(expr: FilterExpr) -> str:
    """Compile a *validated* expression to a Meilisearch filter string."""
    if isinstance(expr, Eq):
        return f"{expr.field} = {quote_meilisearch(expr.value)}"
    if isinstance(expr, In):
        values = ", ".join(quote_meilisearch(value) for value in expr.values)
        return f"{expr.field} IN [{values}]"
    if isinstance(expr, Range):
        parts = []
        if expr.gte is not None:
            parts.append(f"{expr.field} >= {int(expr.gte)}")
        if expr.lte is not None:
            parts.append(f"{expr.field} <= {int(expr.lte)}")
        return "(" + " AND ".join(parts) + ")"
    if isinstance(expr, And):
        return "(" + " AND ".join(to_meilisearch_filter(i) for i in expr.items) + ")"
    if isinstance(expr, Or):
        return "(" + " OR ".join(to_meilisearch_filter(i) for i in expr.items) + ")"
    return f"NOT ({to_meilisearch_filter(expr.item)})"
