"""decide(): trace reasons, exposures, forced previews, sticky bucketing, segments."""

from __future__ import annotations

import random
import uuid
from typing import Any

import pytest

from variants import (
    Audience,
    Customer,
    Decision,
    ExperimentRule,
    Filter,
    InMemoryStickyBucketService,
    Namespace,
    PersonaliseRule,
    Reason,
    RolloutRule,
    Rule,
    RuleSet,
    UnknownAudienceError,
    UnknownVariantError,
    decide,
    decide_batch,
    evaluate_feature,
    to_growthbook_feature,
)

AUDIENCES = {
    "vip": Audience(key="vip", condition={"segments": "vip"}),
    "adults": Audience(key="adults", condition={"age": {"$gte": 18}}),
}


def make_ruleset(*rules: Rule, variants: tuple[str, ...] = ("b", "c")) -> RuleSet:
    return RuleSet(key="hero", baseline="a", variants=list(variants), rules=list(rules))


def experiment(**overrides: Any) -> ExperimentRule:
    fields: dict[str, Any] = {"id": "exp", "key": "hero-test", "variations": ["a", "b"]}
    fields.update(overrides)
    return ExperimentRule(**fields)


def customer(i: int | str = 1, **attributes: Any) -> Customer:
    segments = attributes.pop("segments", [])
    return Customer(id=f"user-{i}", attributes=attributes, segments=segments)


def reasons(decision: Decision) -> list[str]:
    return [str(step.reason) for step in decision.trace]


class TestTrace:
    def test_personalise_rule_applies(self) -> None:
        rs = make_ruleset(PersonaliseRule(id="vip", audiences=("vip",), variant="b"))
        d = decide(rs, customer(segments=["new", "vip"]), audiences=AUDIENCES)
        assert (d.variant, d.rule_id, d.reason) == ("b", "vip", Reason.APPLIED)
        assert reasons(d) == ["applied"]
        assert d.log_exposure is False

    def test_condition_false_then_default(self) -> None:
        rs = make_ruleset(PersonaliseRule(id="vip", audiences=("vip",), variant="b"))
        d = decide(rs, customer(segments=["new"]), audiences=AUDIENCES)
        assert d.variant == "a"
        assert reasons(d) == ["condition_false", "default"]

    def test_experiment_applied_logs_exposure(self) -> None:
        d = decide(make_ruleset(experiment()), customer(1))
        assert d.reason is Reason.APPLIED
        assert d.in_experiment
        assert d.log_exposure
        assert d.experiment_key == "hero-test"
        assert d.hash_attribute == "id"
        assert d.hash_value == "user-1"
        assert d.variation_index in (0, 1)
        assert d.variant == ["a", "b"][d.variation_index or 0]
        assert d.bucket is not None
        assert 0 <= d.bucket < 1

    def test_not_in_coverage(self) -> None:
        d = decide(make_ruleset(experiment(coverage=0.0)), customer(1))
        assert reasons(d) == ["not_in_coverage", "default"]
        assert d.trace[0].bucket is not None
        assert d.log_exposure is False

    def test_namespace_excluded(self) -> None:
        rs_in = make_ruleset(experiment(namespace=Namespace("ns", 0.0, 1.0)))
        rs_out = make_ruleset(experiment(namespace=Namespace("ns", 0.0, 0.0001)))
        assert decide(rs_in, customer(1)).reason is Reason.APPLIED
        assert reasons(decide(rs_out, customer(1))) == ["namespace_excluded", "default"]

    def test_hash_attribute_missing(self) -> None:
        d = decide(make_ruleset(experiment()), Customer(attributes={"age": 30}))
        assert reasons(d) == ["hash_attribute_missing", "default"]

    def test_filtered_out(self) -> None:
        flt = Filter(seed="holdout", ranges=[(0.0, 0.0)])
        d = decide(make_ruleset(experiment(filters=[flt])), customer(1))
        assert reasons(d) == ["filtered_out", "default"]

    @pytest.mark.parametrize("status", ["draft", "stopped"])
    def test_experiment_inactive(self, status: str) -> None:
        d = decide(make_ruleset(experiment(status=status)), customer(1))
        assert reasons(d) == ["experiment_inactive", "default"]

    def test_disabled_rule(self) -> None:
        rs = make_ruleset(PersonaliseRule(id="p", variant="b", enabled=False))
        assert reasons(decide(rs, customer(1))) == ["disabled", "default"]

    def test_rollout(self) -> None:
        rs = make_ruleset(RolloutRule(id="r", variant="c", coverage=0.5))
        decisions = [decide(rs, customer(i)) for i in range(400)]
        applied = [d for d in decisions if d.reason is Reason.APPLIED]
        assert 120 < len(applied) < 280
        assert all(d.variant == "c" and not d.log_exposure for d in applied)
        skipped = [d for d in decisions if d.reason is Reason.DEFAULT]
        assert all(reasons(d) == ["not_in_coverage", "default"] for d in skipped)

    def test_first_applicable_rule_wins(self) -> None:
        rs = make_ruleset(
            PersonaliseRule(id="adult", audiences=("adults",), variant="c"),
            experiment(),
        )
        adult = decide(rs, customer(1, age=40), audiences=AUDIENCES)
        child = decide(rs, customer(1, age=12), audiences=AUDIENCES)
        assert (adult.variant, adult.rule_id) == ("c", "adult")
        assert child.rule_id == "exp"
        assert reasons(child) == ["condition_false", "applied"]

    def test_unknown_audience_raises(self) -> None:
        rs = make_ruleset(PersonaliseRule(id="p", audiences=("nope",), variant="b"))
        with pytest.raises(UnknownAudienceError):
            decide(rs, customer(1), audiences=AUDIENCES)


class TestForcedVariant:
    def test_forced_variant_never_logs_exposure(self) -> None:
        d = decide(make_ruleset(experiment()), customer(1), forced_variant="b")
        assert (d.variant, d.reason, d.log_exposure) == ("b", Reason.FORCED, False)
        assert reasons(d) == ["forced"]

    def test_forced_baseline(self) -> None:
        d = decide(make_ruleset(experiment()), customer(1), forced_variant="a")
        assert d.variant == "a"
        assert not d.log_exposure

    def test_unknown_forced_variant(self) -> None:
        with pytest.raises(UnknownVariantError):
            decide(make_ruleset(experiment()), customer(1), forced_variant="zzz")


class TestSegments:
    @pytest.mark.parametrize(
        "condition",
        [
            {"segments": "cart_abandoner"},
            {"segments": {"$elemMatch": {"$eq": "cart_abandoner"}}},
            {"segments": {"$in": ["cart_abandoner"]}},
        ],
    )
    def test_segment_membership(self, condition: dict[str, Any]) -> None:
        rs = make_ruleset(PersonaliseRule(id="p", condition=condition, variant="b"))
        member = customer(1, segments=["vip", "cart_abandoner", "new"])
        other = customer(2, segments=["vip"])
        assert decide(rs, member).variant == "b"
        assert decide(rs, other).variant == "a"
        feature = to_growthbook_feature(rs)
        for c in (member, other):
            ctx = {
                "attributes": c.condition_attributes(),
                "features": {"hero": feature},
            }
            assert evaluate_feature(ctx, "hero")["value"] == decide(rs, c).variant


class TestSticky:
    def test_assignment_survives_a_weight_change(self) -> None:
        store = InMemoryStickyBucketService()
        before = make_ruleset(experiment(weights=[0.5, 0.5]))
        after = make_ruleset(experiment(weights=[0.05, 0.95]))
        people = [customer(i) for i in range(200)]
        first = {c.id: decide(before, c, sticky=store).variant for c in people}
        moved_without_sticky = [
            c for c in people if decide(after, c).variant != first[c.id]
        ]
        assert moved_without_sticky, "the weight change must move someone"
        for c in people:
            d = decide(after, c, sticky=store)
            assert d.variant == first[c.id]
            assert d.sticky_bucket_used
            assert d.log_exposure

    def test_bucket_version_bump_rerandomises_and_min_version_blocks(self) -> None:
        store = InMemoryStickyBucketService()
        c = customer(7)
        decide(make_ruleset(experiment()), c, sticky=store)
        v1 = make_ruleset(experiment(bucket_version=1))
        assert decide(v1, c, sticky=store).sticky_bucket_used is False
        blocked = make_ruleset(experiment(bucket_version=2, min_bucket_version=2))
        d = decide(blocked, c, sticky=store)
        assert reasons(d) == ["sticky_version_blocked", "default"]

    def test_fallback_attribute_upgrades_to_hash_attribute(self) -> None:
        store = InMemoryStickyBucketService()
        rs = make_ruleset(experiment(fallback_attribute="anonymousId"))
        anon = Customer(anonymous_id="anon-1")
        first = decide(rs, anon, sticky=store)
        assert first.hash_attribute == "anonymousId"
        logged_in = Customer(id="user-x", anonymous_id="anon-1")
        second = decide(rs, logged_in, sticky=store)
        assert second.variant == first.variant
        assert second.sticky_bucket_used
        assert store.get_assignments("id", "user-x") is not None


def _random_customer(rng: random.Random) -> Customer:
    return Customer(
        id=str(uuid.UUID(int=rng.getrandbits(128))) if rng.random() < 0.95 else None,
        anonymous_id=f"anon-{rng.getrandbits(32)}",
        attributes={
            "country": rng.choice(["US", "DE", "FR", "JP"]),
            "age": rng.randint(10, 70),
            "plan": rng.choice(["free", "pro", None]),
        },
        segments=rng.sample(["vip", "new", "churn_risk"], rng.randint(0, 3)),
    )


AGREEMENT_RULESET = make_ruleset(
    PersonaliseRule(id="vip", audiences=("vip", "adults"), variant="c"),
    RolloutRule(id="ro", variant="b", coverage=0.1, condition={"country": "JP"}),
    experiment(
        id="e1",
        key="hero-a",
        variations=["a", "b", "c"],
        weights=[0.2, 0.3, 0.5],
        coverage=0.8,
        namespace=Namespace("hero", 0.0, 0.7),
        condition={"country": {"$in": ["US", "DE"]}},
        fallback_attribute="anonymousId",
    ),
    experiment(
        id="e2",
        key="hero-b",
        variations=["a", "b"],
        filters=[Filter(seed="holdout", ranges=[(0.0, 0.9)])],
        hash_version=1,
    ),
)


@pytest.mark.parametrize("use_sticky", [False, True])
def test_decide_agrees_with_growthbook_feature(use_sticky: bool) -> None:
    rng = random.Random(20261123)
    feature = to_growthbook_feature(AGREEMENT_RULESET, AUDIENCES)
    store_decide = InMemoryStickyBucketService()
    store_gb = InMemoryStickyBucketService()
    seen: set[str] = set()
    for _ in range(3000):
        c = _random_customer(rng)
        d = decide(
            AGREEMENT_RULESET,
            c,
            audiences=AUDIENCES,
            sticky=store_decide if use_sticky else None,
        )
        ctx = {"attributes": c.condition_attributes(), "features": {"hero": feature}}
        gb = evaluate_feature(ctx, "hero", store_gb if use_sticky else None)
        assert gb["value"] == d.variant
        assert gb["ruleId"] == (d.rule_id or "")
        result = gb.get("experimentResult")
        if d.in_experiment:
            assert result is not None
            assert result["variationId"] == d.variation_index
            assert result["bucket"] == d.bucket
            assert result["hashAttribute"] == d.hash_attribute
        seen.add(d.rule_id or "default")
    assert seen == {"vip", "ro", "e1", "e2", "default"}
    if use_sticky:
        assert store_decide.docs == store_gb.docs


class CountingStore(InMemoryStickyBucketService):
    def __init__(self) -> None:
        super().__init__()
        self.reads = 0
        self.writes = 0

    def get_many(self, keys: Any) -> Any:
        self.reads += 1
        return super().get_many(keys)

    def save_many(self, docs: Any) -> None:
        self.writes += 1
        super().save_many(docs)


def test_decide_batch_reads_and_writes_sticky_docs_once() -> None:
    rs = make_ruleset(experiment(weights=[0.5, 0.5]))
    people = [customer(i) for i in range(300)]
    store = CountingStore()
    batch = decide_batch(rs, people, sticky=store)
    assert (store.reads, store.writes) == (1, 1)
    reference = InMemoryStickyBucketService()
    assert [d.variant for d in batch] == [
        decide(rs, c, sticky=reference).variant for c in people
    ]
    assert store.docs == reference.docs
    changed = make_ruleset(experiment(weights=[0.01, 0.99]))
    again = decide_batch(changed, people, sticky=store)
    assert [d.variant for d in again] == [d.variant for d in batch]
    assert all(d.sticky_bucket_used for d in again)
