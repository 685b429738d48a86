"""The filter expression: validation, compilers and the query-parameter form."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from content_hub.search import (
    FILTERABLE_FIELDS,
    And,
    Eq,
    FilterExpr,
    In,
    InvalidFilterError,
    Not,
    Or,
    Range,
    SearchRequestError,
    UnknownFilterFieldError,
    decode_filter,
    parse_filter_params,
    to_meilisearch_filter,
    validate_filter,
)
from content_hub.search._filters import Value, quote_meilisearch
from content_hub.search._fts5_sql import compile_sql


class TestMeilisearchFilter:
    def test_each_node(self) -> None:
        expr = And(
            [
                Eq("type_key", "offer"),
                In("terms", ["topic:a", "topic:b"]),
                Or([Eq("channels", "email"), Not(Eq("status", "archived"))]),
                Range("updated_at", gte=10, lte=20),
                Range("published_at", lte=5),
            ]
        )
        assert to_meilisearch_filter(expr) == (
            '(type_key = "offer" AND terms IN ["topic:a", "topic:b"] AND '
            '(channels = "email" OR NOT (status = "archived")) AND '
            "(updated_at >= 10 AND updated_at <= 20) AND (published_at <= 5))"
        )

    @pytest.mark.parametrize(
        ("value", "literal"),
        [
            ('a"b', r'"a\"b"'),
            ("a\\b", r'"a\\b"'),
            ('x" OR type_key = "y', r'"x\" OR type_key = \"y"'),
            ("über 中文", '"über 中文"'),
            (42, "42"),
        ],
    )
    def test_values_are_always_quoted_literals(
        self, value: Value, literal: str
    ) -> None:
        assert quote_meilisearch(value) == literal


class TestSql:
    def test_values_only_travel_as_parameters(self) -> None:
        params: list[Value] = []
        evil = "x' OR 1=1 --"
        sql = compile_sql(
            And([Eq("type_key", evil), In("terms", [evil, "b"]), Not(Range("updated_at", gte=3))]),
            params,
        )  # fmt: skip
        assert evil not in sql
        assert params == [evil, evil, "b", 3]
        assert sql.count("?") == 4

    def test_missing_numbers_are_false_not_null(self) -> None:
        params: list[Value] = []
        sql = compile_sql(Eq("published_at", 5), params)
        assert sql == "(d.published_at IS NOT NULL AND d.published_at IN (?))"


class TestValidation:
    @pytest.mark.parametrize(
        "expr",
        [Eq("tenant", "x"), In("entry_id", ["x"]), Range("secret", gte=1), Not(Eq("body", "x"))],
    )  # fmt: skip
    def test_unknown_fields(self, expr: FilterExpr) -> None:
        with pytest.raises(UnknownFilterFieldError) as info:
            validate_filter(expr)
        assert info.value.status == 400
        assert info.value.type_slug == "unknown-filter-field"
        assert "filterable fields" in info.value.detail

    @pytest.mark.parametrize(
        "expr",
        [
            Eq("updated_at", "yesterday"),
            Eq("type_key", 3),
            Eq("updated_at", True),
            In("type_key", []),
            And([]),
            Or([]),
            Range("type_key", gte=1),
            Range("updated_at"),
            Eq("type_key", "x" * 469),
        ],
    )
    def test_malformed(self, expr: FilterExpr) -> None:
        with pytest.raises(InvalidFilterError):
            validate_filter(expr)

    def test_depth_is_bounded(self) -> None:
        expr: FilterExpr = Eq("stage", "draft")
        for _ in range(20):
            expr = Not(expr)
        with pytest.raises(InvalidFilterError, match="too large"):
            validate_filter(expr)


class TestJson:
    def test_tagged_union(self) -> None:
        expr = decode_filter(
            b'{"op": "and", "items": [{"op": "eq", "field": "type_key", "value": "offer"},'
            b' {"op": "not", "item": {"op": "range", "field": "updated_at", "gte": 5}}]}'
        )
        assert expr == And([Eq("type_key", "offer"), Not(Range("updated_at", gte=5))])

    @pytest.mark.parametrize(
        "raw",
        [
            b"{",
            b'{"op": "drop"}',
            b'{"op": "eq", "field": "nope", "value": "x"}',
            b"[]",
        ],
    )
    def test_bad_json_is_a_request_error(self, raw: bytes) -> None:
        with pytest.raises(SearchRequestError):
            decode_filter(raw)


class TestQueryParameters:
    def test_forms(self) -> None:
        assert parse_filter_params({}) is None
        assert parse_filter_params({"type": "offer"}) == Eq("type_key", "offer")
        assert parse_filter_params({"term": ["topic:a", "topic:b,topic:c"]}) == In(
            "terms", ["topic:a", "topic:b", "topic:c"]
        )
        assert parse_filter_params(
            [("channel", "email"), ("status", "published"), ("updated_after", "10")]
        ) == And(
            [Eq("channels", "email"), Eq("status", "published"), Range("updated_at", gte=10)]
        )  # fmt: skip

    def test_ignored_and_unknown(self) -> None:
        params = {"q": "bike", "limit": "5", "type": "offer"}
        assert parse_filter_params(params, ignore={"q", "limit"}) == Eq(
            "type_key", "offer"
        )
        with pytest.raises(UnknownFilterFieldError):
            parse_filter_params(params)

    def test_bad_range(self) -> None:
        with pytest.raises(InvalidFilterError):
            parse_filter_params({"published_before": "tomorrow"})


STRING_FIELDS = [f for f in FILTERABLE_FIELDS if not f.endswith("_at")]
values = st.text(max_size=12)
leaves = st.one_of(
    st.builds(Eq, st.sampled_from(STRING_FIELDS), values),
    st.builds(In, st.sampled_from(STRING_FIELDS), st.lists(values, min_size=1, max_size=3)),
    st.builds(
        Range,
        st.sampled_from(["updated_at", "published_at"]),
        st.integers(0, 10**10),
        st.none() | st.integers(0, 10**10),
    ),
)  # fmt: skip
exprs = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(And, st.lists(inner, min_size=1, max_size=3)),
        st.builds(Or, st.lists(inner, min_size=1, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=8,
)


@given(exprs)
def test_json_round_trip(expr: FilterExpr) -> None:
    validate_filter(expr)
    assert decode_filter(msgspec.json.encode(expr)) == expr


@given(exprs)
def test_compilers_never_embed_values(expr: FilterExpr) -> None:
    params: list[Value] = []
    sql = compile_sql(expr, params)
    assert sql.count("?") == len(params)
    to_meilisearch_filter(expr)
