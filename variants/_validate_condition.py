"""Static checks of conditions, so malformed ones are rejected before saving."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from variants._conditions import KNOWN_OPERATORS, is_operator_object
from variants._depth import MAX_CONDITION_DEPTH, nested_deeper_than
from variants._errors import Problem
from variants._js_regex import js_regex_problem

__all__ = ["condition_problems"]

Loc = tuple[str | int, ...]
_TYPES = frozenset({"null", "array", "string", "number", "boolean", "object"})
_LIST_OPERATORS = frozenset({"$in", "$nin", "$ini", "$nini", "$all", "$alli"})
_SCALAR_OPERATORS = frozenset({"$lt", "$lte", "$gt", "$gte"})
_VERSION_OPERATORS = frozenset({"$veq", "$vne", "$vgt", "$vgte", "$vlt", "$vlte"})


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def condition_problems(
    condition: Any,
    loc: Loc = (),
    saved_groups: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Every problem in ``condition``: unknown operators, bad regexes, operand types.

    ``saved_groups`` (when given) is used to flag unknown ``$inGroup`` ids.
    A condition nested deeper than ``MAX_CONDITION_DEPTH`` levels is one
    problem (and is not walked further).
    """
    if nested_deeper_than(condition, MAX_CONDITION_DEPTH):
        return [
            Problem(
                loc=loc,
                msg=f"nested deeper than {MAX_CONDITION_DEPTH} levels",
                type="too_deep",
            )
        ]
    return _condition_problems(condition, loc, saved_groups)


def _condition_problems(
    condition: Any, loc: Loc, saved_groups: Mapping[str, Any] | None
) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(condition, dict):
        problems.append(
            Problem(loc=loc, msg="must be an object", type="invalid_condition")
        )
        return problems
    for key, value in condition.items():
        here = (*loc, key)
        if key in ("$or", "$nor", "$and"):
            if not isinstance(value, list):
                problems.append(
                    Problem(
                        loc=here,
                        msg="must be a list of conditions",
                        type="invalid_operand",
                    )
                )
                continue
            for i, sub in enumerate(value):
                problems += _condition_problems(sub, (*here, i), saved_groups)
        elif key == "$not":
            problems += _condition_problems(value, here, saved_groups)
        elif not isinstance(key, str) or not key or key.startswith("$"):
            problems.append(
                Problem(
                    loc=here, msg=f"unknown operator {key!r}", type="unknown_operator"
                )
            )
        else:
            problems += _value_problems(value, here, saved_groups)
    return problems


def _value_problems(
    value: Any, loc: Loc, saved_groups: Mapping[str, Any] | None
) -> list[Problem]:
    if isinstance(value, dict) and any(
        isinstance(k, str) and k[:1] == "$" for k in value
    ):
        if not is_operator_object(value):
            return [
                Problem(
                    loc=loc,
                    msg="mixes operators and plain keys (compared as a literal object)",
                    type="invalid_condition",
                )
            ]
        problems: list[Problem] = []
        for op, arg in value.items():
            problems += _operator_problems(op, arg, (*loc, op), saved_groups)
        return problems
    return []


def _operator_problems(
    op: str, arg: Any, loc: Loc, saved_groups: Mapping[str, Any] | None
) -> list[Problem]:
    def bad(msg: str, kind: str = "invalid_operand") -> list[Problem]:
        return [Problem(loc=loc, msg=msg, type=kind)]

    if op not in KNOWN_OPERATORS:
        return bad(f"unknown operator {op!r}", "unknown_operator")
    if op in _LIST_OPERATORS:
        if not isinstance(arg, list):
            return bad(f"{op} needs a list")
        if op in ("$all", "$alli"):
            out: list[Problem] = []
            for i, item in enumerate(arg):
                out += _value_problems(item, (*loc, i), saved_groups)
            return out
        return []
    if op in _SCALAR_OPERATORS and not _is_scalar(arg):
        return bad(f"{op} needs a number or a string")
    if op in _VERSION_OPERATORS and not _is_scalar(arg):
        return bad(f"{op} needs a version string")
    if op in ("$regex", "$regexi"):
        if not isinstance(arg, str):
            return bad(f"{op} needs a string")
        reason = js_regex_problem(arg, op == "$regexi")
        if reason is not None:
            return bad(f"invalid regular expression {arg!r}: {reason}", "invalid_regex")
    if op == "$exists" and not isinstance(arg, bool):
        return bad("$exists needs true or false")
    if op == "$type" and not (isinstance(arg, str) and arg in _TYPES):
        return bad(f"$type must be one of {sorted(_TYPES)}")
    if op == "$size" and not (_is_scalar(arg) or is_operator_object(arg)):
        return bad("$size needs a number or an operator object")
    if op in ("$inGroup", "$notInGroup"):
        if not isinstance(arg, str):
            return bad(f"{op} needs a saved group id")
        if saved_groups is not None and arg not in saved_groups:
            return bad(f"unknown saved group {arg!r}", "unknown_saved_group")
    if op == "$elemMatch":
        if not isinstance(arg, dict):
            return bad("$elemMatch needs an object")
        if is_operator_object(arg):
            return _value_problems(arg, loc, saved_groups)
        return _condition_problems(arg, loc, saved_groups)
    if op == "$not":
        return _value_problems(arg, loc, saved_groups)
    return []
