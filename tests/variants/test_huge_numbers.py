"""JSON integers past the largest double (a condition or an attribute of
``10**400``) evaluate as JavaScript reads them, ``Infinity``, and never raise:
Python's ``float()`` and ``math.isnan()`` raise ``OverflowError`` on them, which
once made every render of an entry with such a rule a 500."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from variants import (
    Customer,
    PersonaliseRule,
    RuleSet,
    VariantsError,
    decide,
    evaluate_condition,
    validate_condition,
)
from variants._js import js_stringify, js_to_number, js_to_string

HUGE = st.sampled_from([10**400, -(10**400), 2**1100, 10**309, 10**21, 2**53 + 1])
numbers = st.one_of(HUGE, st.integers(), st.floats(allow_nan=False))
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=5)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
    ),
    max_leaves=8,
)
OPERATORS = ["$eq", "$ne", "$gt", "$gte", "$lt", "$lte", "$in", "$nin", "$all",
             "$size", "$elemMatch", "$not", "$exists", "$type"]  # fmt: skip
conditions = st.one_of(
    st.builds(lambda v: {"a": v}, json_values),
    st.builds(lambda op, v: {"a": {op: v}}, st.sampled_from(OPERATORS), json_values),
    st.builds(lambda v: {"$or": [{"a": v}, {"b": {"$gt": v}}]}, numbers),
)


@settings(max_examples=400, deadline=None)
@given(condition=conditions, a=json_values, b=json_values)
def test_huge_numbers_never_raise(condition: dict[str, Any], a: Any, b: Any) -> None:
    try:
        validate_condition(condition)
    except VariantsError:
        return
    result = evaluate_condition(condition, {"a": a, "b": b})
    assert isinstance(result, bool)
    rules = RuleSet(
        key="e",
        baseline="default",
        variants=["x"],
        rules=[PersonaliseRule(id="r", condition=condition, variant="x")],
    )
    decision = decide(rules, Customer(id="c", attributes={"a": a, "b": b}))
    assert decision.variant == ("x" if result else "default")


def test_javascript_reads_them_as_infinity() -> None:
    assert js_to_number(10**400) == float("inf")
    assert js_to_number(-(10**400)) == float("-inf")
    assert js_to_string(10**400) == "Infinity"
    assert js_to_string(10**22) == "1e+22"
    assert js_stringify([10**400, 1]) == "[null,1]"  # JSON.stringify([Infinity, 1])
    assert evaluate_condition({"a": {"$gt": 10**300}}, {"a": 10**400})
    assert not evaluate_condition({"a": {"$lt": 5}}, {"a": 10**400})
