"""Validation of rule sets, audiences and conditions before saving."""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from variants import (
    Audience,
    ExperimentRule,
    Filter,
    InvalidRuleSetError,
    Namespace,
    PersonaliseRule,
    Problem,
    RolloutRule,
    Rule,
    RuleSet,
    VariantsError,
    parse_audience,
    parse_ruleset,
    ruleset_problems,
    validate_audience,
    validate_condition,
    validate_ruleset,
)

AUDIENCES = [Audience(key="vip", condition={"segments": "vip"})]


def make_ruleset(*rules: Rule) -> RuleSet:
    return RuleSet(key="hero", baseline="a", variants=["b", "c"], rules=list(rules))


def exp(**overrides: Any) -> ExperimentRule:
    fields: dict[str, Any] = {"id": "e", "variations": ["a", "b"]}
    fields.update(overrides)
    return ExperimentRule(**fields)


def problems(rs: RuleSet, **kwargs: Any) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.loc, p.type) for p in ruleset_problems(rs, AUDIENCES, **kwargs)]


def test_valid_ruleset_passes() -> None:
    rs = make_ruleset(
        PersonaliseRule(id="p", audiences=("vip",), variant="c"),
        RolloutRule(id="r", variant="b", coverage=0.3),
        exp(weights=[0.25, 0.75], namespace=Namespace("ns", 0, 0.5)),
    )
    validate_ruleset(rs, AUDIENCES)
    assert ruleset_problems(rs, AUDIENCES) == []


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (exp(weights=[0.5, 0.6]), ((0, "weights"), "weights_sum")),
        (exp(weights=[1.0]), ((0, "weights"), "weights_length")),
        (exp(variations=["a", "zzz"]), ((0, "variations", 1), "unknown_variant")),
        (exp(variations=["b", "c"]), ((0, "variations"), "baseline_missing")),
        (exp(variations=["a"]), ((0, "variations"), "too_few_variations")),
        (exp(variations=["a", "a"]), ((0, "variations"), "duplicate_variation")),
        (
            exp(namespace=Namespace("ns", 0.5, 1.2)),
            ((0, "namespace"), "namespace_range"),
        ),
        (
            exp(namespace=Namespace("ns", 0.6, 0.4)),
            ((0, "namespace"), "namespace_range"),
        ),
        (exp(coverage=1.5), ((0, "coverage"), "coverage_range")),
        (exp(hash_version=3), ((0, "hash_version"), "hash_version")),
        (exp(ranges=[(0, 0.5)]), ((0, "ranges"), "ranges_length")),
        (exp(ranges=[(0, 0.5), (0.5, 1.5)]), ((0, "ranges", 1), "invalid_range")),
        (
            exp(filters=[Filter(seed="", ranges=[(0, 1)])]),
            ((0, "filters", 0, "seed"), "filter_seed"),
        ),
        (
            exp(bucket_version=1, min_bucket_version=2),
            ((0, "min_bucket_version"), "bucket_version"),
        ),
        (PersonaliseRule(id="p", variant="nope"), ((0, "variant"), "unknown_variant")),
        (
            PersonaliseRule(id="p", variant="b", audiences=("x",)),
            ((0, "audiences", 0), "unknown_audience"),
        ),
        (
            RolloutRule(id="r", variant="b", coverage=-0.1),
            ((0, "coverage"), "coverage_range"),
        ),
    ],
)
def test_rule_problems(rule: Rule, expected: tuple[tuple[str | int, ...], str]) -> None:
    loc, kind = expected
    assert (("rules", *loc), kind) in problems(make_ruleset(rule))


def test_duplicate_rule_ids_and_experiment_keys() -> None:
    rs = make_ruleset(
        PersonaliseRule(id="same", variant="b"),
        exp(id="same", key="k"),
        exp(id="other", key="k"),
    )
    found = problems(rs)
    assert (("rules", 1, "id"), "duplicate_rule_id") in found
    assert (("rules", 2, "key"), "duplicate_experiment_key") in found


@pytest.mark.parametrize(
    ("condition", "loc", "kind"),
    [
        ({"age": {"$regx": "a"}}, ("age", "$regx"), "unknown_operator"),
        ({"$xor": []}, ("$xor",), "unknown_operator"),
        ({"name": {"$regex": "("}}, ("name", "$regex"), "invalid_regex"),
        ({"name": {"$regex": 5}}, ("name", "$regex"), "invalid_operand"),
        ({"country": {"$in": "US"}}, ("country", "$in"), "invalid_operand"),
        ({"age": {"$gt": [1]}}, ("age", "$gt"), "invalid_operand"),
        ({"age": {"$exists": "yes"}}, ("age", "$exists"), "invalid_operand"),
        ({"age": {"$type": "int"}}, ("age", "$type"), "invalid_operand"),
        ({"$or": {"a": 1}}, ("$or",), "invalid_operand"),
        ({"$and": [{"a": {"$bad": 1}}]}, ("$and", 0, "a", "$bad"), "unknown_operator"),
        (
            {"tags": {"$elemMatch": {"$foo": 1}}},
            ("tags", "$elemMatch", "$foo"),
            "unknown_operator",
        ),
        ({"id": {"$inGroup": "missing"}}, ("id", "$inGroup"), "unknown_saved_group"),
        ({"a": {"$eq": 1, "b": 2}}, ("a",), "invalid_condition"),
    ],
)
def test_condition_problems(
    condition: dict[str, Any], loc: tuple[Any, ...], kind: str
) -> None:
    rs = make_ruleset(PersonaliseRule(id="p", variant="b", condition=condition))
    assert (("rules", 0, "condition", *loc), kind) in problems(
        rs, saved_groups={"g": []}
    )


def test_validate_raises_one_error_listing_all_problems() -> None:
    rs = make_ruleset(exp(weights=[0.2, 0.2], namespace=Namespace("n", 0, 2)))
    with pytest.raises(InvalidRuleSetError) as info:
        validate_ruleset(rs)
    assert isinstance(info.value, VariantsError)
    kinds = {p.type for p in info.value.errors}
    assert kinds == {"weights_sum", "namespace_range"}
    assert "rules.0.weights" in str(info.value)


def test_validate_condition_and_audience() -> None:
    validate_condition({"country": {"$in": ["US"]}})
    with pytest.raises(InvalidRuleSetError):
        validate_condition({"country": {"$inn": ["US"]}})
    with pytest.raises(InvalidRuleSetError) as info:
        validate_audience(Audience(key="x", condition={"v": {"$vgt": None}}))
    assert info.value.errors[0] == Problem(
        loc=("condition", "v", "$vgt"),
        msg="$vgt needs a version string",
        type="invalid_operand",
    )


class TestParse:
    def test_schema_errors_carry_a_path(self) -> None:
        data = b"""{"key": "hero", "baseline": "a", "variants": ["b"],
            "rules": [{"type": "experiment", "id": "e", "variations": ["a", "b"],
                       "coverage": 1.5}]}"""
        with pytest.raises(InvalidRuleSetError) as info:
            parse_ruleset(data)
        (problem,) = info.value.errors
        assert problem.loc == ("rules", 0, "coverage")
        assert problem.type == "invalid_json"

    def test_unknown_rule_type(self) -> None:
        data = b'{"key": "k", "baseline": "a", "rules": [{"type": "magic", "id": "x"}]}'
        with pytest.raises(InvalidRuleSetError) as info:
            parse_ruleset(data)
        assert info.value.errors[0].loc == ("rules", 0, "type")

    def test_semantic_errors_after_decoding(self) -> None:
        data = b"""{"key": "hero", "baseline": "a", "variants": ["b"],
            "rules": [{"type": "personalise", "id": "p", "variant": "zzz"}]}"""
        with pytest.raises(InvalidRuleSetError) as info:
            parse_ruleset(data)
        assert info.value.errors[0].loc == ("rules", 0, "variant")

    def test_valid_json_round_trips(self) -> None:
        rs = make_ruleset(exp(weights=[0.5, 0.5]), PersonaliseRule(id="p", variant="b"))
        assert parse_ruleset(msgspec.json.encode(rs)) == rs

    def test_parse_audience(self) -> None:
        assert (
            parse_audience(b'{"key": "vip", "condition": {"segments": "vip"}}').key
            == "vip"
        )
        with pytest.raises(InvalidRuleSetError):
            parse_audience(b'{"key": "vip", "condition": {"age": {"$gte": []}}}')
