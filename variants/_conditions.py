"""GrowthBook's condition language, compiled once into a tree of closures.

``compile_condition(cond)`` turns a condition dict into a predicate
``pred(attributes, saved_groups) -> bool`` that evaluates exactly like the
JavaScript SDK's ``evalCondition`` (see ``_js`` for the value semantics).
Compiled predicates are cached by the condition's JSON text, so evaluating the
same condition again costs one encode and a dict lookup.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec

from variants._condition_ops import (
    compile_in,
    compile_relational,
    compile_version,
    group_members,
    is_in,
    js_regex,
)
from variants._depth import MAX_CONDITION_DEPTH, nested_deeper_than
from variants._js import (
    js_stringify,
    js_to_number,
    js_to_string,
    js_truthy,
    js_type,
    strict_equals,
)
from variants._version import padded_version_string

__all__ = [
    "KNOWN_OPERATORS",
    "Predicate",
    "compile_condition",
    "evaluate_condition",
    "get_path",
    "is_operator_object",
    "js_regex",
]

SavedGroups = Mapping[str, Sequence[Any]]
Predicate = Callable[[Any, SavedGroups], bool]
_ValueTest = Callable[[Any, SavedGroups], bool]

KNOWN_OPERATORS = frozenset(
    (
        *("$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"),
        *("$eq", "$ne", "$lt", "$lte", "$gt", "$gte", "$exists", "$type"),
        *("$in", "$ini", "$nin", "$nini", "$inGroup", "$notInGroup"),
        *("$not", "$size", "$elemMatch", "$all", "$alli", "$regex", "$regexi"),
    )
)

_EMPTY: dict[str, Any] = {}
_CACHE: dict[bytes, Predicate] = {}
_CACHE_LIMIT = 4096
_encode = msgspec.json.Encoder().encode


def _always(obj: Any, groups: SavedGroups) -> bool:
    return True


def _never(obj: Any, groups: SavedGroups) -> bool:
    return False


def get_path(obj: Any, path: str) -> Any:
    """Value at a dotted ``path`` through nested objects; any miss gives None."""
    current = obj
    for part in path.split("."):
        if isinstance(current, dict) and part in current:
            current = current[part]
        else:
            return None
    return current


def is_operator_object(obj: Any) -> bool:
    """True for a non-empty dict whose keys all start with ``$``."""
    return (
        isinstance(obj, dict)
        and len(obj) > 0
        and all(isinstance(k, str) and k[:1] == "$" for k in obj)
    )


def evaluate_condition(
    condition: Mapping[str, Any],
    attributes: Any,
    saved_groups: SavedGroups | None = None,
) -> bool:
    """GrowthBook's ``evalCondition(attributes, condition, savedGroups)``."""
    return compile_condition(condition)(attributes, saved_groups or _EMPTY)


def compile_condition(condition: Mapping[str, Any]) -> Predicate:
    """Compile (or fetch from the cache) the predicate for ``condition``.

    A condition nested deeper than twice :data:`MAX_CONDITION_DEPTH` never
    matches: validation refuses anything past the limit before it is saved,
    and the margin leaves room for the levels a rule set adds when it joins a
    rule's condition with its audiences'; compiling a deeper one would
    recurse once per level, and so would its predicate, on every evaluation.
    """
    try:
        key = _encode(condition)
    except (TypeError, msgspec.EncodeError, RecursionError):  # not JSON, or deep
        return _compile_checked(condition)
    pred = _CACHE.get(key)
    if pred is None:
        pred = _compile_checked(condition)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = pred
    return pred


def _compile_checked(condition: Any) -> Predicate:
    if nested_deeper_than(condition, 2 * MAX_CONDITION_DEPTH):
        return _never
    return _compile_condition(condition)


def _compile_condition(condition: Any) -> Predicate:
    if not isinstance(condition, Mapping):
        return _always
    parts: list[Predicate] = []
    for key, value in condition.items():
        if key == "$or":
            parts.append(_compile_or(value))
        elif key == "$nor":
            parts.append(_negate(_compile_or(value)))
        elif key == "$and":
            parts.append(_compile_and(value))
        elif key == "$not":
            parts.append(_negate(_compile_condition(value)))
        else:
            parts.append(_compile_field(key, _compile_value(value)))
    if not parts:
        return _always
    if len(parts) == 1:
        return parts[0]
    return _all_of(parts)


def _all_of(parts: Sequence[Predicate]) -> Predicate:
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        first, second = parts
        return lambda o, g: first(o, g) and second(o, g)
    if len(parts) == 3:
        a, b, c = parts
        return lambda o, g: a(o, g) and b(o, g) and c(o, g)
    frozen = tuple(parts)

    return lambda o, g: all(p(o, g) for p in frozen)


def _negate(pred: Predicate) -> Predicate:
    return lambda o, g: not pred(o, g)


def _compile_or(conditions: Any) -> Predicate:
    subs = tuple(_compile_condition(c) for c in _as_list(conditions))
    if not subs:
        return _always
    return lambda o, g: any(s(o, g) for s in subs)


def _compile_and(conditions: Any) -> Predicate:
    subs = tuple(_compile_condition(c) for c in _as_list(conditions))
    return lambda o, g: all(s(o, g) for s in subs)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else []


def _compile_field(path: str, test: _ValueTest) -> Predicate:
    if "." not in path:

        def field(obj: Any, groups: SavedGroups) -> bool:
            value = obj.get(path) if isinstance(obj, dict) else None
            return test(value, groups)

        return field
    return lambda o, g: test(get_path(o, path), g)


def _compile_value(cond: Any, insensitive: bool = False) -> _ValueTest:
    """``evalConditionValue(cond, value)`` specialised for a fixed ``cond``."""
    if isinstance(cond, str):
        if insensitive:
            low = cond.lower()
            return lambda v, g: js_to_string(v).lower() == low
        return lambda v, g: (
            (v == cond) if isinstance(v, str) else js_to_string(v) == cond
        )
    if isinstance(cond, bool):
        return lambda v, g: v is not None and js_truthy(v) == cond
    if isinstance(cond, int | float):
        number = js_to_number(cond)
        return lambda v, g: js_to_number(v) == number
    if cond is None:
        return lambda v, g: v is None
    if isinstance(cond, list | tuple) or not is_operator_object(cond):
        text = js_stringify(cond)
        return lambda v, g: js_stringify(v) == text
    return _all_of([_compile_operator(op, arg) for op, arg in cond.items()])


def _compile_operator(op: str, arg: Any) -> _ValueTest:
    if op in ("$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"):
        return compile_version(op, padded_version_string(arg))
    if op == "$eq":
        if isinstance(arg, str):
            return lambda v, g: v == arg if isinstance(v, str) else False
        return lambda v, g: strict_equals(v, arg)
    if op == "$ne":
        return lambda v, g: not strict_equals(v, arg)
    if op in ("$lt", "$lte", "$gt", "$gte"):
        return compile_relational(op, arg)
    if op == "$exists":
        if js_truthy(arg):
            return lambda v, g: v is not None
        return lambda v, g: v is None
    if op in ("$in", "$ini", "$nin", "$nini"):
        if not isinstance(arg, list):
            return _never
        members = list(arg)
        fold = op in ("$ini", "$nini")
        test = compile_in(members) if not fold else None
        if test is None:

            def test(v: Any, g: SavedGroups) -> bool:
                return is_in(v, members, fold)

        if op in ("$in", "$ini"):
            return test
        return _negate(test)
    if op == "$inGroup":
        return lambda v, g: is_in(v, group_members(g, arg))
    if op == "$notInGroup":
        return lambda v, g: not is_in(v, group_members(g, arg))
    if op == "$not":
        sub = _compile_value(arg)
        return lambda v, g: not sub(v, g)
    if op == "$size":
        sub = _compile_value(arg)
        return lambda v, g: isinstance(v, list) and sub(len(v), g)
    if op == "$elemMatch":
        return _compile_elem_match(arg)
    if op in ("$all", "$alli"):
        if not isinstance(arg, list):
            return _never
        subs = tuple(_compile_value(e, op == "$alli") for e in arg)
        return lambda v, g: (
            isinstance(v, list) and all(any(s(x, g) for x in v) for s in subs)
        )
    if op in ("$regex", "$regexi"):
        pattern = js_regex(arg, op == "$regexi") if isinstance(arg, str) else None
        if pattern is None:
            return _never
        matches = pattern.test
        return lambda v, g: matches(js_to_string(v))
    if op == "$type":
        return lambda v, g: js_type(v) == arg
    return _never


def _compile_elem_match(arg: Any) -> _ValueTest:
    if isinstance(arg, dict) and len(arg) == 1 and isinstance(arg.get("$eq"), str):
        wanted = arg["$eq"]
        if not wanted:  # falsy elements are skipped, so "" never matches
            return _never
        # ``str in list`` compares with ==, which is False for every non-string
        return lambda v, g: isinstance(v, list) and wanted in v
    check: _ValueTest
    check = _compile_value(arg) if is_operator_object(arg) else _compile_condition(arg)

    def elem_match(value: Any, groups: SavedGroups) -> bool:
        if not isinstance(value, list):
            return False
        return any(js_truthy(x) and check(x, groups) for x in value)

    return elem_match
