"""``decide``: which variant of an entry one customer gets, with a trace.

Evaluates a compiled rule set exactly as a GrowthBook SDK evaluates the
feature ``to_growthbook_feature`` produces (first applicable rule wins, the
baseline is the default), so web, email and app agree on every assignment.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from variants._compiled import (
    AudienceMap,
    CompiledExperiment,
    CompiledRule,
    CompiledRuleSet,
    compile_ruleset,
)
from variants._errors import UnknownVariantError
from variants._hashing import FNV_OFFSET, fnv1a32, fnv1a32_pair, hash_value_string
from variants._js import js_truthy
from variants._models import Audience, Customer, RuleSet
from variants._sticky import StickyBucketService
from variants._sticky_decide import StickyLookup
from variants._trace import Decision, Reason, TraceStep

__all__ = ["decide"]

_NO_GROUPS: Mapping[str, Sequence[Any]] = {}


def _resolve(attrs: Mapping[str, Any], name: str) -> Any:
    if name in attrs:
        return attrs[name]
    if "." in name:
        current: Any = attrs
        for part in name.split("."):
            if isinstance(current, dict) and part in current:
                current = current[part]
            else:
                return ""
        return "" if current is None else current
    return ""


def _hash(seed: str, seed_state: int, value: str, version: int) -> float | None:
    if version == 2:
        inner = fnv1a32(value, seed_state)
        return (fnv1a32(str(inner)) % 10000) / 10000
    if version == 1:
        return (fnv1a32(seed, fnv1a32(value)) % 1000) / 1000
    return None


def _step(rule: CompiledRule, reason: Reason, **extra: Any) -> TraceStep:
    return TraceStep(rule_id=rule.id, rule_type=rule.kind, reason=reason, **extra)


def _filtered_out(exp: CompiledExperiment, attrs: Mapping[str, Any]) -> bool:
    for attribute, seed, version, ranges in exp.filters:
        value = _resolve(attrs, attribute)
        if not js_truthy(value):
            return True
        n = _hash(seed, fnv1a32(seed), hash_value_string(value), version)
        if n is None or not any(a <= n < b for a, b in ranges):
            return True
    return False


def _experiment(
    rule: CompiledRule,
    exp: CompiledExperiment,
    attrs: Mapping[str, Any],
    groups: Mapping[str, Sequence[Any]],
    sticky: StickyBucketService | None,
) -> TraceStep:
    """GrowthBook's ``run`` for a compiled experiment rule, as one trace step."""
    use_sticky = sticky is not None and not exp.sticky_disabled
    attr = exp.hash_attribute
    raw = attrs.get(attr, "") if "." not in attr else _resolve(attrs, attr)
    if not js_truthy(raw) and use_sticky and exp.fallback_attribute:
        fallback = _resolve(attrs, exp.fallback_attribute)
        if js_truthy(fallback):
            attr, raw = exp.fallback_attribute, fallback
    key = exp.key
    if (
        not use_sticky
        and rule.predicate is not None
        and not rule.predicate(attrs, groups)
    ):
        return rule.step_condition_false
    if exp.filters and _filtered_out(exp, attrs):
        return TraceStep(
            rule_id=rule.id, rule_type=_EXP, reason=_FILTERED, experiment_key=key
        )
    if not (raw.__class__ is str and raw) and not js_truthy(raw):
        return TraceStep(
            rule_id=rule.id, rule_type=_EXP, reason=_MISSING, experiment_key=key
        )
    value = raw if raw.__class__ is str else hash_value_string(raw)
    lookup = StickyLookup(exp, attrs, sticky) if use_sticky and sticky else None
    assigned = lookup.variation if lookup else -1
    reason = _APPLIED
    inner = -1  # the v2 inner hash, when computed alongside the namespace hash
    if assigned < 0:
        if (
            use_sticky
            and rule.predicate is not None
            and not rule.predicate(attrs, groups)
        ):
            reason = _CONDITION_FALSE
        elif exp.namespace is not None:
            ns_suffix, start, end = exp.namespace
            if exp.hash_version == 2:
                prefix, inner = fnv1a32_pair(value, _FNV_OFFSET, exp.seed_state)
            else:
                prefix = fnv1a32(value)
            n_ns = (ns_suffix(prefix) % 1000) / 1000
            if not start <= n_ns < end:
                reason = _NAMESPACE
    n = None
    if reason is _APPLIED:
        if exp.hash_version == 2:
            if inner < 0:
                inner = fnv1a32(value, exp.seed_state)
            n = (fnv1a32(str(inner)) % 10000) / 10000
        else:
            n = _hash(exp.seed, exp.seed_state, value, exp.hash_version)
        if n is None:
            reason = _NOT_IN_COVERAGE
        elif lookup is not None and lookup.blocked:
            reason = _BLOCKED
        elif assigned < 0:
            for i, (a, b) in enumerate(exp.ranges):
                if a <= n < b:
                    assigned = i
                    break
            else:
                reason = _NOT_IN_COVERAGE
    if reason is not _APPLIED:
        return TraceStep(
            rule_id=rule.id,
            rule_type=_EXP,
            reason=reason,
            experiment_key=key,
            hash_attribute=attr,
            hash_value=value,
            bucket=n,
        )
    found_sticky = lookup is not None and lookup.variation >= 0
    if lookup is not None:
        lookup.save(attr, value, exp.variations[assigned])
    return TraceStep(
        rule_id=rule.id,
        rule_type=_EXP,
        reason=_APPLIED,
        experiment_key=key,
        variation_index=assigned,
        hash_attribute=attr,
        hash_value=value,
        bucket=n,
        sticky_bucket_used=found_sticky,
    )


_FNV_OFFSET = FNV_OFFSET
_EXP = "experiment"
_APPLIED = Reason.APPLIED
_FILTERED = Reason.FILTERED_OUT
_MISSING = Reason.HASH_ATTRIBUTE_MISSING
_CONDITION_FALSE = Reason.CONDITION_FALSE
_NAMESPACE = Reason.NAMESPACE_EXCLUDED
_NOT_IN_COVERAGE = Reason.NOT_IN_COVERAGE
_BLOCKED = Reason.STICKY_VERSION_BLOCKED


def _rollout(rule: CompiledRule, attrs: Mapping[str, Any]) -> TraceStep:
    ro = rule.rollout
    assert ro is not None
    if ro.coverage >= 1:  # converted without ``coverage``: no hashing, as in GrowthBook
        return _step(rule, Reason.APPLIED)
    if ro.coverage <= 0:
        return _step(rule, Reason.NOT_IN_COVERAGE)
    raw = _resolve(attrs, ro.hash_attribute)
    if not js_truthy(raw):
        return _step(rule, Reason.HASH_ATTRIBUTE_MISSING)
    value = hash_value_string(raw)
    n = _hash(ro.seed, ro.seed_state, value, ro.hash_version)
    extra = {"hash_attribute": ro.hash_attribute, "hash_value": value, "bucket": n}
    if n is None or n > ro.coverage:
        return _step(rule, Reason.NOT_IN_COVERAGE, **extra)
    return _step(rule, Reason.APPLIED, **extra)


def decide(
    ruleset: RuleSet | CompiledRuleSet,
    customer: Customer,
    *,
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: Mapping[str, Sequence[Any]] | None = None,
    forced_variant: str | None = None,
    sticky: StickyBucketService | None = None,
    attributes: Mapping[str, Any] | None = None,
) -> Decision:
    """Decide the variant of ``ruleset`` for ``customer``.

    ``forced_variant`` (an editor's preview) short-circuits every rule and is
    never an exposure. ``sticky`` enables sticky bucketing (and experiments'
    fallback attributes, as in GrowthBook). ``attributes`` is
    ``customer.condition_attributes()`` when the caller has it already (it
    must be exactly that; it is read, never changed).
    """
    compiled = (
        ruleset
        if ruleset.__class__ is CompiledRuleSet
        else compile_ruleset(ruleset, audiences)
    )
    if forced_variant is not None:
        if forced_variant not in compiled.variant_keys:
            raise UnknownVariantError(
                f"{forced_variant!r} is not a variant of {compiled.key!r}"
            )
        return Decision(
            variant=forced_variant, rule_id=None, reason=_FORCED, trace=[_FORCED_STEP]
        )
    attrs = customer.condition_attributes() if attributes is None else attributes
    groups = saved_groups or _NO_GROUPS
    trace: list[TraceStep] = []
    for rule in compiled.rules:
        if rule.inactive:
            trace.append(rule.step_inactive)
            continue
        exp = rule.experiment
        if exp is not None:
            step = _experiment(rule, exp, attrs, groups, sticky)
            trace.append(step)
            if step.reason is _APPLIED:
                index = step.variation_index
                assert index is not None
                return Decision(
                    variant=exp.variations[index],
                    rule_id=rule.id,
                    reason=_APPLIED,
                    experiment_key=exp.key,
                    variation_index=index,
                    hash_attribute=step.hash_attribute,
                    hash_value=step.hash_value,
                    bucket=step.bucket,
                    in_experiment=True,
                    sticky_bucket_used=step.sticky_bucket_used,
                    log_exposure=True,
                    trace=trace,
                )
            continue
        if rule.predicate is not None and not rule.predicate(attrs, groups):
            trace.append(rule.step_condition_false)
            continue
        step = _rollout(rule, attrs) if rule.rollout else rule.step_applied
        trace.append(step)
        if step.reason is _APPLIED:
            assert rule.variant is not None
            return Decision(
                variant=rule.variant,
                rule_id=rule.id,
                reason=_APPLIED,
                bucket=step.bucket,
                trace=trace,
            )
    trace.append(_DEFAULT_STEP)
    return Decision(
        variant=compiled.baseline, rule_id=None, reason=_DEFAULT, trace=trace
    )


_FORCED = Reason.FORCED
_DEFAULT = Reason.DEFAULT
_FORCED_STEP = TraceStep(rule_id=None, rule_type="preview", reason=Reason.FORCED)
_DEFAULT_STEP = TraceStep(rule_id=None, rule_type="default", reason=Reason.DEFAULT)
