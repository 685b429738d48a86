"""Typed rule sets -> GrowthBook feature JSON that buckets exactly like ``decide``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from variants._compiled import AudienceMap, audience_map, rule_condition
from variants._models import Audience, ExperimentRule, PersonaliseRule, RuleSet

__all__ = ["to_growthbook_feature", "to_growthbook_payload"]


def _experiment_rule(rule: ExperimentRule, ruleset: RuleSet) -> dict[str, Any]:
    key = rule.key or ruleset.key
    out: dict[str, Any] = {
        "id": rule.id,
        "key": key,
        "variations": list(rule.variations),
        "meta": [{"key": v} for v in rule.variations],
        "coverage": rule.coverage,
        "hashAttribute": rule.hash_attribute or "id",
        "seed": rule.seed or key,
        "hashVersion": rule.hash_version,
        "bucketVersion": rule.bucket_version,
        "minBucketVersion": rule.min_bucket_version,
    }
    if rule.weights is not None:
        out["weights"] = list(rule.weights)
    if rule.fallback_attribute:
        out["fallbackAttribute"] = rule.fallback_attribute
    if rule.disable_sticky_bucketing:
        out["disableStickyBucketing"] = True
    if rule.namespace is not None:
        ns = rule.namespace
        out["namespace"] = [ns.id, ns.start, ns.end]
    if rule.filters:
        out["filters"] = [
            {
                "seed": f.seed,
                "ranges": [list(r) for r in f.ranges],
                "hashVersion": f.hash_version,
                "attribute": f.attribute,
            }
            for f in rule.filters
        ]
    if rule.ranges:
        out["ranges"] = [list(r) for r in rule.ranges]
    if rule.name:
        out["name"] = rule.name
    return out


def to_growthbook_feature(
    ruleset: RuleSet,
    audiences: AudienceMap | Iterable[Audience] | None = None,
) -> dict[str, Any]:
    """The GrowthBook feature definition (``{"defaultValue", "rules"}``).

    Audience references are inlined (ANDed with the rule's condition), rules that
    are disabled or whose experiment is not running are left out, seeds and hash
    versions are written explicitly, and variation ``meta`` keys are the variant
    keys so sticky-bucket documents survive re-ordering of variations. Segments
    are the ``segments`` attribute, so the SDK must be given it too.
    """
    auds = audience_map(audiences)
    rules: list[dict[str, Any]] = []
    for rule in ruleset.rules:
        if not rule.enabled:
            continue
        if isinstance(rule, ExperimentRule) and rule.status != "running":
            continue
        condition = rule_condition(rule, auds)
        if isinstance(rule, ExperimentRule):
            out = _experiment_rule(rule, ruleset)
        elif isinstance(rule, PersonaliseRule):
            out = {"id": rule.id, "force": rule.variant}
        else:
            out = {"id": rule.id, "force": rule.variant}
            if rule.coverage < 1:
                out.update(
                    coverage=rule.coverage,
                    hashAttribute=rule.hash_attribute or "id",
                    seed=rule.seed or ruleset.key,
                    hashVersion=rule.hash_version,
                )
        if condition is not None:
            out["condition"] = condition
        rules.append(out)
    return {"defaultValue": ruleset.baseline, "rules": rules}


def to_growthbook_payload(
    rulesets: Iterable[RuleSet],
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """An SDK payload (``{"features", "savedGroups"}``) for many rule sets."""
    auds = audience_map(audiences)
    payload: dict[str, Any] = {
        "features": {rs.key: to_growthbook_feature(rs, auds) for rs in rulesets}
    }
    if saved_groups:
        payload["savedGroups"] = saved_groups
    return payload
