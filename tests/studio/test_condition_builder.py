"""The audience page's condition builder model: rows → condition → rows is
the identity, a value's text reads back as the value, and a condition read
into rows and written back means the same for every customer (checked with
``variants``, the code rules use)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.studio.condition_builder import (
    OPERATORS,
    Builder,
    Row,
    rows_from_form,
    to_builder,
    to_condition,
    value_of,
    value_text,
)
from variants import Customer, customer_matches, validate_condition

ATTRS = st.sampled_from(["lead_score", "tier", "country", "age", "name"])
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-100, 100)
    | st.floats(-1e6, 1e6, allow_nan=False)
    | st.text(max_size=8)
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)
SEGMENT_NAMES = st.sampled_from(["vip", "purchaser", "cart_abandoner", "x"])


def typed_value(op: str) -> st.SearchStrategy[Any]:
    """A value ``variants`` accepts for ``op``."""
    if op in ("$in", "$nin"):
        return st.lists(st.integers(0, 5) | st.sampled_from(["de", "gold"]), max_size=3)
    if op == "$exists":
        return st.booleans()
    if op == "$regex":
        return st.sampled_from(["^G", "o", "^[a-z]+$"])
    if op in ("$gt", "$gte", "$lt", "$lte"):
        return st.integers(0, 100)
    return st.integers(0, 5) | st.sampled_from(["de", "gold", "Greta"]) | st.booleans()


@st.composite
def rows(draw: st.DrawFn, typed: bool = False) -> Row:
    op = draw(st.sampled_from(sorted(OPERATORS)))
    if op == "segment":
        return Row("segments", op, draw(SEGMENT_NAMES))
    value = draw(typed_value(op) if typed else JSON)
    if op == "equals" and isinstance(value, dict):
        # an object compared whole: it must not read as operators
        value = {k.lstrip("$") or "k": v for k, v in value.items()} or {"k": 1}
    return Row(draw(ATTRS), op, value)


@st.composite
def builders(draw: st.DrawFn, typed: bool = False) -> Builder:
    found = draw(st.lists(rows(typed), max_size=5))
    join = draw(st.sampled_from(["all", "any"])) if found else "all"
    return Builder(join, found)


@given(builders())
def test_rows_to_condition_to_rows_is_the_identity(builder: Builder) -> None:
    assert to_builder(to_condition(builder)) == builder


@given(JSON)
def test_a_values_text_reads_back_as_the_value(value: Any) -> None:
    assert value_of(value_text(value)) == value


@given(builders())
def test_the_forms_inputs_read_back_as_the_rows(builder: Builder) -> None:
    attrs = ["" if r.op == "segment" else r.attribute for r in builder.rows]
    ops = [r.op for r in builder.rows]
    texts = [value_text(r.value) for r in builder.rows]
    assert rows_from_form([*attrs, ""], [*ops, "$eq"], [*texts, ""]) == builder.rows


CUSTOMERS = st.builds(
    Customer,
    attributes=st.fixed_dictionaries(
        {},
        optional={
            "lead_score": st.integers(0, 100),
            "tier": st.sampled_from(["gold", "silver"]),
            "country": st.sampled_from(["de", "nb"]),
            "age": st.integers(0, 5),
            "name": st.sampled_from(["Greta", "ola"]),
        },
    ),
    segments=st.lists(SEGMENT_NAMES, max_size=2, unique=True),
)


@st.composite
def loose_conditions(draw: st.DrawFn) -> dict[str, Any]:
    """Conditions the builder reads though they are not in its own shape:
    several attributes in one object, several operators on one attribute."""
    tests: dict[str, Any] = {}
    for attr in draw(st.lists(ATTRS, min_size=1, max_size=3, unique=True)):
        ops = draw(
            st.lists(
                st.sampled_from(sorted(set(OPERATORS) - {"segment", "equals"})),
                min_size=1,
                max_size=2,
                unique=True,
            )
        )
        if ops == ["$eq"] and draw(st.booleans()):
            tests[attr] = draw(typed_value("$eq"))
        else:
            tests[attr] = {op: draw(typed_value(op)) for op in ops}
    if draw(st.booleans()):
        tests["segments"] = draw(SEGMENT_NAMES)
    return tests


@given(
    st.one_of(builders(typed=True).map(to_condition), loose_conditions()),
    st.lists(CUSTOMERS, min_size=1, max_size=5),
)
def test_read_and_written_back_a_condition_means_the_same(
    condition: dict[str, Any], customers: list[Customer]
) -> None:
    validate_condition(condition)
    builder = to_builder(condition)
    assert builder is not None
    again = to_condition(builder)
    validate_condition(again)
    for customer in customers:
        assert customer_matches(again, customer) == customer_matches(
            condition, customer
        )


@pytest.mark.parametrize(
    "condition",
    [
        {"segments": {"$elemMatch": {"$eq": "vip"}}},
        {"$not": {"a": 1}},
        {"$or": [{"a": 1, "b": 2}]},
        {"$and": [{"$or": [{"a": 1}]}]},
        {"a": {}},
        {"a": {"$eq": 1, "x": 2}},
        {"a": {"$size": 2}},
        {"$or": [{"a": 1}], "b": 2},
        {"$nor": [{"a": 1}]},
        {"$or": "x"},
    ],
)
def test_what_the_builder_cannot_show_is_json_only(condition: Any) -> None:
    assert to_builder(condition) is None


def test_the_demo_audiences_are_rows() -> None:
    from seed.data import AUDIENCES

    for audience in AUDIENCES:
        builder = to_builder(audience["condition"])
        assert builder is not None, audience
        assert to_condition(builder) == audience["condition"]
