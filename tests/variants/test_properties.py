"""Property tests of assignment (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from variants import (
    Customer,
    ExperimentRule,
    Namespace,
    RuleSet,
    choose_variation,
    decide,
    evaluate_feature,
    gb_hash,
    get_bucket_ranges,
    in_namespace,
    to_growthbook_feature,
)

ids = st.text(min_size=1, max_size=40).filter(lambda s: s.strip() != "")
seeds = st.text(min_size=0, max_size=20)


@st.composite
def weights(draw: st.DrawFn) -> list[float]:
    raw = draw(st.lists(st.integers(1, 100), min_size=2, max_size=5))
    total = sum(raw)
    return [r / total for r in raw]


def ruleset(ws: list[float], coverage: float = 1.0, seed: str = "s") -> RuleSet:
    keys = [f"v{i}" for i in range(len(ws))]
    rule = ExperimentRule(
        id="e", key="exp", variations=keys, weights=ws, coverage=coverage, seed=seed
    )
    return RuleSet(key="entry", baseline="v0", variants=keys[1:], rules=[rule])


@given(ids, weights(), st.sampled_from([1, 2]))
def test_assignment_is_deterministic(user: str, ws: list[float], version: int) -> None:
    rs = ruleset(ws)
    first = decide(rs, Customer(id=user))
    again = decide(rs, Customer(id=user, attributes={"unrelated": 1}))
    assert (first.variant, first.bucket) == (again.variant, again.bucket)
    assert gb_hash("seed", user, version) == gb_hash("seed", user, version)


@settings(max_examples=15, deadline=None)
@given(weights(), seeds)
def test_observed_split_matches_weights(ws: list[float], seed: str) -> None:
    n = 4_000
    rs = ruleset(ws, seed=seed)
    counts = [0] * len(ws)
    for i in range(n):
        idx = decide(rs, Customer(id=f"customer-{i}")).variation_index
        assert idx is not None
        counts[idx] += 1
    for count, w in zip(counts, ws, strict=True):
        tolerance = 5 * math.sqrt(w * (1 - w) / n) + 0.002  # 5 sigma
        assert abs(count / n - w) <= tolerance


@given(
    ids,
    weights(),
    st.floats(0, 1),
    st.floats(0, 1),
    seeds,
)
def test_lowering_coverage_never_moves_an_included_user(
    user: str, ws: list[float], a: float, b: float, seed: str
) -> None:
    high, low = max(a, b), min(a, b)
    n = gb_hash(seed, user, 2)
    assert n is not None
    at_low = choose_variation(n, get_bucket_ranges(len(ws), low, ws))
    at_high = choose_variation(n, get_bucket_ranges(len(ws), high, ws))
    if at_low >= 0:
        assert at_high == at_low
    d_low = decide(ruleset(ws, low, seed), Customer(id=user))
    d_high = decide(ruleset(ws, high, seed), Customer(id=user))
    if d_low.in_experiment:
        assert d_high.variation_index == d_low.variation_index


@given(
    ids,
    st.text(max_size=10),
    st.lists(st.floats(0, 1), min_size=3, max_size=3).map(sorted),
)
def test_disjoint_namespaces_never_both_include(
    user: str, namespace: str, cuts: list[float]
) -> None:
    lo, mid, hi = cuts
    first = in_namespace(user, [namespace, lo, mid])
    second = in_namespace(user, [namespace, mid, hi])
    assert not (first and second)
    rs_a = RuleSet(
        key="x",
        baseline="a",
        variants=["b"],
        rules=[
            ExperimentRule(
                id="e",
                variations=["a", "b"],
                namespace=Namespace(namespace, lo, mid),
            )
        ],
    )
    rs_b = RuleSet(
        key="y",
        baseline="a",
        variants=["b"],
        rules=[
            ExperimentRule(
                id="e",
                variations=["a", "b"],
                namespace=Namespace(namespace, mid, hi),
            )
        ],
    )
    c = Customer(id=user)
    assert not (decide(rs_a, c).in_experiment and decide(rs_b, c).in_experiment)


@st.composite
def experiment_rules(draw: st.DrawFn) -> ExperimentRule:
    ws = draw(weights())
    keys = ["v0", "v1", "v2", "v3", "v4"][: len(ws)]
    lo = draw(st.floats(0, 1))
    hi = draw(st.floats(0, 1))
    use_ns = draw(st.booleans())
    return ExperimentRule(
        id="e",
        key=draw(st.text(min_size=1, max_size=10)),
        variations=keys,
        weights=ws,
        coverage=draw(st.floats(0, 1)),
        seed=draw(st.one_of(st.none(), st.text(max_size=10))),
        hash_version=draw(st.sampled_from([1, 2])),
        namespace=Namespace("ns", min(lo, hi), max(lo, hi)) if use_ns else None,
        condition=draw(st.sampled_from([None, {"age": {"$gte": 18}}])),
    )


@settings(max_examples=60, deadline=None)
@given(experiment_rules(), st.lists(ids, min_size=1, max_size=20), st.integers(0, 90))
def test_converted_feature_buckets_like_decide(
    rule: ExperimentRule, users: list[str], age: int
) -> None:
    rs = RuleSet(key="entry", baseline="v0", variants=rule.variations[1:], rules=[rule])
    feature = to_growthbook_feature(rs)
    for user in users:
        c = Customer(id=user, attributes={"age": age})
        d = decide(rs, c)
        ctx = {"attributes": c.condition_attributes(), "features": {"entry": feature}}
        gb = evaluate_feature(ctx, "entry")
        assert gb["value"] == d.variant
        result = gb.get("experimentResult")
        assert (result is not None and result["inExperiment"]) == d.in_experiment
        if d.in_experiment:
            assert result is not None
            assert result["bucket"] == d.bucket
