"""Rule sets compiled for the hot path: closures, seeds and ranges computed once."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from variants._conditions import Predicate, compile_condition
from variants._errors import UnknownAudienceError
from variants._hashing import SuffixHasher, fnv1a32, get_bucket_ranges
from variants._models import (
    Audience,
    Customer,
    ExperimentRule,
    PersonaliseRule,
    RolloutRule,
    Rule,
    RuleSet,
)
from variants._sticky import sticky_experiment_key
from variants._trace import Reason, TraceStep

__all__ = [
    "AudienceMap",
    "CompiledExperiment",
    "CompiledRollout",
    "CompiledRuleSet",
    "audience_map",
    "compile_ruleset",
    "customer_matches",
    "normalise_condition",
    "rule_condition",
]

AudienceMap = Mapping[str, Audience]


def audience_map(audiences: AudienceMap | Iterable[Audience] | None) -> AudienceMap:
    """Audiences by key, from a mapping or any iterable of :class:`Audience`."""
    if audiences is None:
        return {}
    if isinstance(audiences, Mapping):
        return audiences
    return {a.key: a for a in audiences}


SEGMENTS = "segments"


def normalise_condition(condition: dict[str, Any]) -> dict[str, Any]:
    """Make ``{"segments": "vip"}`` mean membership, as in MongoDB.

    GrowthBook compares a bare string with ``String(value)``, which for a list is
    its comma-joined text, so a segment test would only match a customer with
    exactly one segment. A bare string under the ``segments`` key (also inside
    ``$and``/``$or``/``$nor``/``$not``) is rewritten to
    ``{"$elemMatch": {"$eq": "vip"}}`` before compiling *and* before publishing
    to GrowthBook, so ``decide`` and the SDKs still agree.
    """
    out: dict[str, Any] = {}
    for key, value in condition.items():
        if key == SEGMENTS and isinstance(value, str):
            out[key] = {"$elemMatch": {"$eq": value}}
        elif key in ("$and", "$or", "$nor") and isinstance(value, list):
            out[key] = [
                normalise_condition(c) if isinstance(c, dict) else c for c in value
            ]
        elif key == "$not" and isinstance(value, dict):
            out[key] = normalise_condition(value)
        else:
            out[key] = value
    return out


def customer_matches(condition: Mapping[str, Any], customer: Customer) -> bool:
    """Whether ``customer`` is in the audience ``condition`` describes, exactly
    as a rule with that audience decides (segment membership included)."""
    predicate = compile_condition(normalise_condition(dict(condition)))
    return predicate(customer.condition_attributes(), {})


def rule_condition(rule: Rule, audiences: AudienceMap) -> dict[str, Any] | None:
    """The rule's own condition AND its audiences' conditions, as one condition."""
    parts: list[dict[str, Any]] = []
    if rule.condition:
        parts.append(normalise_condition(rule.condition))
    for key in rule.audiences:
        audience = audiences.get(key)
        if audience is None:
            raise UnknownAudienceError(f"rule {rule.id!r}: unknown audience {key!r}")
        if audience.condition:
            parts.append(normalise_condition(audience.condition))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return {"$and": parts}


@functools.lru_cache(maxsize=4096)
def suffix_hasher(suffix: str) -> Callable[[int], int]:
    """``state -> fnv1a32(suffix, state)``, in O(1) when ``suffix`` is Latin-1.

    Shared per suffix (hashers are immutable): experiments in one namespace,
    or with one seed, use the same table."""
    if all(ord(ch) <= 0xFF for ch in suffix):
        return SuffixHasher(suffix)
    return lambda state: fnv1a32(suffix, state)


class CompiledRollout:
    __slots__ = ("coverage", "hash_attribute", "hash_version", "seed", "seed_state")

    def __init__(self, rule: RolloutRule, ruleset_key: str) -> None:
        self.coverage = rule.coverage
        self.hash_attribute = rule.hash_attribute or "id"
        self.hash_version = rule.hash_version
        self.seed = rule.seed or ruleset_key
        self.seed_state = fnv1a32(self.seed)


class CompiledExperiment:
    __slots__ = (
        "bucket_version",
        "fallback_attribute",
        "filters",
        "hash_attribute",
        "hash_version",
        "key",
        "min_bucket_version",
        "namespace",
        "ranges",
        "seed",
        "seed_state",
        "sticky_blocked_keys",
        "sticky_disabled",
        "sticky_key",
        "variation_index",
        "variations",
    )

    def __init__(self, rule: ExperimentRule, ruleset_key: str) -> None:
        self.key = rule.key or ruleset_key
        self.variations = tuple(rule.variations)
        self.hash_attribute = rule.hash_attribute or "id"
        self.fallback_attribute = rule.fallback_attribute
        self.hash_version = rule.hash_version
        self.seed = rule.seed or self.key
        self.seed_state = fnv1a32(self.seed)
        if rule.ranges:
            self.ranges = tuple((float(a), float(b)) for a, b in rule.ranges)
        else:
            self.ranges = tuple(
                get_bucket_ranges(len(self.variations), rule.coverage, rule.weights)
            )
        self.namespace = (
            None
            if rule.namespace is None or rule.filters
            else (
                suffix_hasher("__" + rule.namespace.id),
                rule.namespace.start,
                rule.namespace.end,
            )
        )
        self.filters = tuple(
            (f.attribute or "id", f.seed, f.hash_version or 2, tuple(f.ranges))
            for f in rule.filters
        )
        self.bucket_version = rule.bucket_version
        self.min_bucket_version = rule.min_bucket_version
        self.sticky_disabled = rule.disable_sticky_bucketing
        self.sticky_key = sticky_experiment_key(self.key, self.bucket_version)
        """Where a sticky document keeps this experiment's assignment."""
        self.sticky_blocked_keys = tuple(
            sticky_experiment_key(self.key, v) for v in range(self.min_bucket_version)
        )
        """Assignments of bucket versions below the minimum (they exclude)."""
        self.variation_index = {
            key: index for index, key in reversed(list(enumerate(self.variations)))
        }
        """Each variation key's first index (``variations.index``)."""


class CompiledRule:
    """One rule, compiled; outcomes that do not depend on the customer are
    pre-built trace steps (they are frozen, so sharing them is safe)."""

    __slots__ = (
        "experiment",
        "id",
        "inactive",
        "kind",
        "predicate",
        "rollout",
        "step_applied",
        "step_condition_false",
        "step_inactive",
        "variant",
    )

    def __init__(self, rule: Rule, ruleset: RuleSet, audiences: AudienceMap) -> None:
        self.id = rule.id
        self.kind = str(rule.__struct_config__.tag)
        condition = rule_condition(rule, audiences)
        self.predicate: Predicate | None = (
            None if condition is None else compile_condition(condition)
        )
        self.inactive = not rule.enabled
        self.variant: str | None = None
        self.rollout: CompiledRollout | None = None
        self.experiment: CompiledExperiment | None = None
        if isinstance(rule, PersonaliseRule):
            self.variant = rule.variant
        elif isinstance(rule, RolloutRule):
            self.variant = rule.variant
            self.rollout = CompiledRollout(rule, ruleset.key)
        else:
            self.experiment = CompiledExperiment(rule, ruleset.key)
            self.inactive = self.inactive or rule.status != "running"
        exp_key = self.experiment.key if self.experiment else None
        self.step_applied = TraceStep(
            rule_id=self.id, rule_type=self.kind, reason=Reason.APPLIED
        )
        self.step_condition_false = TraceStep(
            rule_id=self.id,
            rule_type=self.kind,
            reason=Reason.CONDITION_FALSE,
            experiment_key=exp_key,
        )
        self.step_inactive = TraceStep(
            rule_id=self.id,
            rule_type=self.kind,
            reason=Reason.EXPERIMENT_INACTIVE if self.experiment else Reason.DISABLED,
            experiment_key=exp_key,
        )


class CompiledRuleSet:
    """A :class:`RuleSet` with audiences resolved and everything precomputed."""

    __slots__ = (
        "audiences",
        "baseline",
        "key",
        "rules",
        "ruleset",
        "sticky_attributes",
        "variant_keys",
    )

    def __init__(self, ruleset: RuleSet, audiences: AudienceMap) -> None:
        self.ruleset = ruleset
        self.audiences = audiences
        self.key = ruleset.key
        self.baseline = ruleset.baseline
        self.variant_keys = frozenset(ruleset.variant_keys())
        self.rules = tuple(CompiledRule(r, ruleset, audiences) for r in ruleset.rules)
        names: list[str] = []
        for rule in self.rules:
            exp = rule.experiment
            if exp is not None and not exp.sticky_disabled:
                names += (exp.hash_attribute, exp.fallback_attribute or "id")
        self.sticky_attributes = tuple(dict.fromkeys(names))
        """Attributes whose sticky-bucket documents ``decide`` may read: each
        sticky experiment's hash and fallback attribute, in rule order."""


_CACHE: dict[tuple[int, int], tuple[RuleSet, object, CompiledRuleSet]] = {}
_CACHE_LIMIT = 1024


def compile_ruleset(
    ruleset: RuleSet | CompiledRuleSet,
    audiences: AudienceMap | Iterable[Audience] | None = None,
) -> CompiledRuleSet:
    """Compile once; repeated calls with the same objects hit a small cache."""
    if isinstance(ruleset, CompiledRuleSet):
        return ruleset
    key = (id(ruleset), id(audiences))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is ruleset and hit[1] is audiences:
        return hit[2]
    compiled = CompiledRuleSet(ruleset, audience_map(audiences))
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    _CACHE[key] = (ruleset, audiences, compiled)
    return compiled
