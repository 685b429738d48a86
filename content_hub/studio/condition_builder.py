"""The audience page's condition builder: a GrowthBook condition as rows of
(attribute, operator, value) joined by all (``$and``) or any (``$or``), and
back.

The server owns the model: :func:`to_builder` reads a condition into rows
(``None`` when the builder cannot show it, e.g. ``$not`` or ``$elemMatch``:
the page then shows the JSON only), :func:`to_condition` writes rows as a
condition. ``studio.js`` mirrors :func:`to_condition` (and :func:`value_of`)
to keep the JSON beside the builder in step while typing; what is saved is
always the JSON.

A value is written as its JSON unless it is a string that is not JSON by
itself (``gold`` is the string, ``92`` the number, ``"92"`` the string), so
``value_of(value_text(v)) == v`` for every JSON value.
"""

from __future__ import annotations

import json
from typing import Any, Literal

import msgspec

OPERATORS: dict[str, str] = {
    "equals": "equals",
    "$eq": "equals strictly ($eq)",
    "$ne": "does not equal ($ne)",
    "$gt": "greater than ($gt)",
    "$gte": "at least ($gte)",
    "$lt": "less than ($lt)",
    "$lte": "at most ($lte)",
    "$in": "one of, a JSON list ($in)",
    "$nin": "none of, a JSON list ($nin)",
    "$exists": "exists, true or false ($exists)",
    "$regex": "matches the regex ($regex)",
    "segment": "is in the segment",
}
"""The builder's operators and their labels. ``equals`` is GrowthBook's
shorthand ``{attribute: value}``, which is not quite ``$eq`` (as in the
SDKs, ``{"score": 0}`` matches a customer without a score, ``$eq`` does
not), so the builder keeps them apart. ``segment`` is ``{"segments": name}``
(the customer is a member of the segment)."""

SEGMENTS = "segments"
_EXPLICIT = frozenset(OPERATORS) - {"segment", "equals"}
Join = Literal["all", "any"]


class Row(msgspec.Struct, frozen=True):
    attribute: str
    op: str
    value: Any = None


class Builder(msgspec.Struct, frozen=True):
    join: Join
    rows: list[Row]


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def value_of(text: str) -> Any:
    """The value a builder input means: its JSON, or else the text itself."""
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return text


def value_text(value: Any) -> str:
    """What a value's input shows (the inverse of :func:`value_of`)."""
    if isinstance(value, str) and _plain(value):
        return value
    return json.dumps(value, ensure_ascii=False)


def _plain(text: str) -> bool:
    try:
        json.loads(text, parse_constant=_reject_constant)
    except ValueError:
        return True
    return False


def _rows_of(item: Any, *, many: bool) -> list[Row] | None:
    """The rows of one ``{attribute: test}`` object (``many``: several
    attributes or operators, as an all-join allows), or ``None``."""
    if not isinstance(item, dict) or not item or (len(item) > 1 and not many):
        return None
    rows: list[Row] = []
    for attribute, test in item.items():
        if not isinstance(attribute, str) or attribute.startswith("$"):
            return None
        operators = isinstance(test, dict) and any(str(k).startswith("$") for k in test)
        if operators:
            if not set(test) <= _EXPLICIT or (len(test) > 1 and not many):
                return None
            rows += [Row(attribute, op, value) for op, value in test.items()]
        elif attribute == SEGMENTS and isinstance(test, str):
            rows.append(Row(SEGMENTS, "segment", test))
        elif test == {}:
            return None
        else:
            rows.append(Row(attribute, "equals", test))
    return rows


def to_builder(condition: Any) -> Builder | None:
    """The rows of ``condition``, or ``None`` when the builder cannot show it."""
    if not isinstance(condition, dict):
        return None
    if condition == {}:
        return Builder("all", [])
    if len(condition) == 1 and ("$and" in condition or "$or" in condition):
        join: Join = "all" if "$and" in condition else "any"
        items = condition["$and"] if join == "all" else condition["$or"]
        if not isinstance(items, list):
            return None
        rows: list[Row] = []
        for item in items:
            found = _rows_of(item, many=False)
            if found is None:
                return None
            rows += found
        return Builder(join, rows)
    found = _rows_of(condition, many=True)
    return None if found is None else Builder("all", found)


def _test(row: Row) -> dict[str, Any]:
    if row.op == "segment":
        return {SEGMENTS: row.value}
    if row.op == "equals":
        return {row.attribute: row.value}
    return {row.attribute: {row.op: row.value}}


def to_condition(builder: Builder) -> dict[str, Any]:
    """The condition the rows say: one row alone in an all-join is itself,
    several are ``$and``-ed; an any-join is always ``$or``."""
    tests = [_test(row) for row in builder.rows]
    if not tests:
        return {}
    if builder.join == "all":
        return tests[0] if len(tests) == 1 else {"$and": tests}
    return {"$or": tests}


def rows_from_form(
    attributes: list[str], ops: list[str], values: list[str]
) -> list[Row]:
    """The builder's inputs (in page order) as rows; a row without an
    attribute (the blank one) is left out, a segment row needs none."""
    rows = []
    for attribute, given, text in zip(attributes, ops, values, strict=False):
        op = given if given in OPERATORS else "equals"
        value = value_of(text)
        if op == "segment" or (
            attribute.strip() == SEGMENTS and op == "equals" and isinstance(value, str)
        ):
            rows.append(Row(SEGMENTS, "segment", text.strip()))
        elif attribute.strip():
            rows.append(Row(attribute.strip(), op, value))
    return rows
