"""Deeply nested values: customer attributes are request data and conditions
are editor data, so either may be nested hundreds of levels (the hub accepts
request bodies up to its nesting limit). Nothing here may recurse per level:
``String()`` and ``JSON.stringify`` of a value, validating and compiling a
condition, deciding for a customer.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from variants import (
    Customer,
    ExperimentRule,
    InvalidRuleSetError,
    RuleSet,
    compile_condition,
    decide,
    evaluate_condition,
    validate_condition,
)
from variants._depth import MAX_CONDITION_DEPTH
from variants._js import _quote, js_stringify, js_to_string
from variants._js_numbers import number_to_string
from variants._validate_condition import condition_problems

DEEP = 5_000


def _reference_to_string(value: Any) -> str:
    """The recursive definition the iterative ``js_to_string`` replaced."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return number_to_string(value)
    if isinstance(value, list | tuple):
        return ",".join("" if v is None else _reference_to_string(v) for v in value)
    return "[object Object]"


def _reference_stringify(value: Any) -> str:
    """The recursive definition the iterative ``js_stringify`` replaced."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return "null" if not math.isfinite(value) else number_to_string(value)
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_reference_stringify(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (
            f"{_quote(str(k))}:{_reference_stringify(v)}" for k, v in value.items()
        )
        return "{" + ",".join(items) + "}"
    return "null"


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats()
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=4), children, max_size=4)
    ),
    max_leaves=30,
)


@given(json_values)
def test_js_conversions_match_their_recursive_definitions(value: Any) -> None:
    assert js_to_string(value) == _reference_to_string(value)
    assert js_stringify(value) == _reference_stringify(value)


def _nested_list(depth: int, leaf: Any = 1) -> Any:
    value: Any = leaf
    for _ in range(depth):
        value = [value]
    return value


def _nested_dict(depth: int, leaf: Any = 1) -> Any:
    value: Any = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


def test_js_conversions_of_values_nested_thousands_deep() -> None:
    assert js_to_string(_nested_list(DEEP)) == "1"
    assert js_to_string([1, _nested_list(DEEP, None), 2]) == "1,,2"
    assert js_stringify(_nested_list(DEEP)) == "[" * DEEP + "1" + "]" * DEEP
    assert js_stringify(_nested_dict(DEEP)) == '{"a":' * DEEP + "1" + "}" * DEEP


def test_conditions_on_deep_customer_values_evaluate() -> None:
    deep = _nested_list(DEEP, "x")
    assert evaluate_condition({"a": "x"}, {"a": deep}) is True  # String([[x]]) is "x"
    assert evaluate_condition({"a": 1}, {"a": deep}) is False
    assert evaluate_condition({"a": [1]}, {"a": deep}) is False
    assert evaluate_condition({"a": {"$regex": "^x$"}}, {"a": deep}) is True


def test_hashing_on_a_deep_attribute_decides() -> None:
    rule = ExperimentRule(
        id="e", key="exp", variations=["default", "b"], weights=[0.5, 0.5]
    )
    ruleset = RuleSet(key="entry", baseline="default", variants=["b"], rules=[rule])
    decision = decide(ruleset, Customer(attributes={"id": _nested_list(DEEP, "c1")}))
    assert decision.variant in {"default", "b"}


def test_a_condition_past_the_depth_limit_is_one_validation_problem() -> None:
    """Objects and arrays are counted: the condition, the operator object
    and the operand's own levels."""
    at_limit = _nested_dict(MAX_CONDITION_DEPTH - 2)
    assert condition_problems({"x": {"$eq": at_limit}}) == []
    for too_deep in (
        {"x": {"$eq": _nested_dict(MAX_CONDITION_DEPTH - 1)}},
        _nested_and(MAX_CONDITION_DEPTH),
        _nested_and(DEEP),
    ):
        problems = condition_problems(too_deep, ("condition",))
        assert [p.type for p in problems] == ["too_deep"]
        with pytest.raises(InvalidRuleSetError):
            validate_condition(too_deep)


def _nested_and(levels: int) -> dict[str, Any]:
    condition: dict[str, Any] = {"a": 1}
    for _ in range(levels):
        condition = {"$and": [condition]}
    return condition


def test_compiling_a_condition_nested_thousands_deep_never_matches() -> None:
    """Saved before the limit existed (or built by a caller): it compiles to a
    predicate that is false, not to a ``RecursionError``."""
    predicate = compile_condition(_nested_and(DEEP))
    assert predicate({"a": 1}, {}) is False
    assert compile_condition(_nested_and(4))({"a": 1}, {}) is True
