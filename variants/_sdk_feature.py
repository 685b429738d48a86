"""``evalFeature(key)`` and the dict-level public entry points."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from variants._hashing import gb_hash, in_range
from variants._js import js_truthy
from variants._sdk_context import EvalContext, hash_attribute
from variants._sdk_run import run
from variants._sticky import StickyBucketService

__all__ = ["evaluate_feature", "run_experiment"]

_COPIED_IF_SET = (
    "weights",
    "hashAttribute",
    "fallbackAttribute",
    "disableStickyBucketing",
    "namespace",
    "meta",
    "ranges",
    "name",
    "phase",
    "seed",
    "hashVersion",
    "filters",
    "condition",
)


def _feature_result(
    value: Any,
    source: str,
    rule_id: str | None = None,
    experiment: dict[str, Any] | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "value": value,
        "on": js_truthy(value),
        "off": not js_truthy(value),
        "source": source,
        "ruleId": rule_id or "",
    }
    if experiment is not None:
        out["experiment"] = experiment
    if result is not None:
        out["experimentResult"] = result
    return out


def _in_rollout(ctx: EvalContext, rule: Mapping[str, Any], seed: str) -> bool:
    rng = rule.get("range")
    coverage = rule.get("coverage")
    if not rng and coverage is None:
        return True
    if not rng and coverage == 0:
        return False
    fallback = (
        rule.get("fallbackAttribute")
        if ctx.sticky_service is not None and not rule.get("disableStickyBucketing")
        else None
    )
    _, value = hash_attribute(ctx.attributes, rule.get("hashAttribute"), fallback)
    if not js_truthy(value):
        return False
    n = gb_hash(seed, value, rule.get("hashVersion") or 1)
    if n is None:
        return False
    if rng:
        return in_range(n, rng)
    return coverage is None or n <= coverage


def _bandit_leaf(ctx: EvalContext, rule: Mapping[str, Any]) -> dict[str, Any] | None:
    """Resolve a contextual-bandit rule's leaf: its weights and metadata."""
    definition = ctx.contextual_bandits.get(rule.get("contextualBanditRef") or "")
    if not isinstance(definition, Mapping):
        return None
    for leaf in definition.get("contexts") or []:
        if ctx.condition_passes(leaf.get("condition") or {}):
            meta: dict[str, Any] = {
                "leafId": leaf.get("leafId"),
                "variationWeights": leaf.get("weights"),
            }
            break
    else:
        meta = {"leafId": -1, "variationWeights": rule.get("weights")}
    if "banditVersion" in definition:
        meta["banditVersion"] = definition["banditVersion"]
    return meta


def _experiment_from_rule(rule: Mapping[str, Any], key: str) -> dict[str, Any]:
    variations = rule.get("contextualVariations")
    if variations is None:
        variations = rule.get("variations")
    exp: dict[str, Any] = {"variations": variations, "key": rule.get("key") or key}
    if "coverage" in rule:
        exp["coverage"] = rule["coverage"]
    for name in _COPIED_IF_SET:
        if js_truthy(rule.get(name)):
            exp[name] = rule[name]
    for name in ("bucketVersion", "minBucketVersion"):
        if name in rule:
            exp[name] = rule[name]
    return exp


def _eval(key: str, ctx: EvalContext) -> dict[str, Any]:
    if key in ctx.evaluated:
        return _feature_result(None, "cyclicPrerequisite")
    ctx.evaluated.add(key)
    if key in ctx.forced_feature_values:
        return _feature_result(ctx.forced_feature_values[key], "override")
    feature = ctx.features.get(key)
    if not feature and not isinstance(feature, dict):
        return _feature_result(None, "unknownFeature")
    snapshot = set(ctx.evaluated)
    for rule in feature.get("rules") or []:
        skip = False
        for parent in rule.get("parentConditions") or []:
            ctx.evaluated = set(snapshot)
            parent_result = _eval(parent["id"], ctx)
            if parent_result["source"] == "cyclicPrerequisite":
                return _feature_result(None, "cyclicPrerequisite")
            if not EvalContext.value_passes(parent, parent_result["value"]):
                if parent.get("gate"):
                    return _feature_result(None, "prerequisite")
                skip = True
                break
        if skip:
            continue
        if rule.get("filters") and ctx.is_filtered_out(rule["filters"]):
            continue
        if "force" in rule:
            condition = rule.get("condition")
            if condition and not ctx.condition_passes(condition):
                continue
            if not _in_rollout(ctx, rule, rule.get("seed") or key):
                continue
            return _feature_result(rule["force"], "force", rule.get("id"))
        if not rule.get("variations") and not rule.get("contextualVariations"):
            continue
        exp = _experiment_from_rule(rule, key)
        bandit = _bandit_leaf(ctx, rule) if rule.get("contextualBanditRef") else None
        if bandit is not None:
            exp["weights"] = bandit["variationWeights"]
        result = run(exp, key, ctx, _eval)
        if result["inExperiment"] and not result.get("passthrough"):
            if bandit is not None and result["hashUsed"]:
                exp["contextualBandit"] = bandit
                result.update(bandit)
            return _feature_result(
                result["value"], "experiment", rule.get("id"), exp, result
            )
    default = feature.get("defaultValue")
    return _feature_result(default, "defaultValue")


def evaluate_feature(
    context: Mapping[str, Any],
    feature_key: str,
    sticky_bucket_service: StickyBucketService | None = None,
) -> dict[str, Any]:
    """GrowthBook's ``evalFeature(key)`` over a context dict -> FeatureResult dict.

    With a ``sticky_bucket_service`` the user's documents are loaded from it
    first and changed documents are saved back; if ``context`` is a mutable dict
    its ``stickyBucketAssignmentDocs`` is updated in place, as the SDK does.
    """
    ctx = EvalContext(context, sticky_bucket_service)
    result = _eval(feature_key, ctx)
    _write_back(context, ctx)
    return result


def run_experiment(
    context: Mapping[str, Any],
    experiment: Mapping[str, Any],
    sticky_bucket_service: StickyBucketService | None = None,
) -> dict[str, Any]:
    """GrowthBook's ``run(experiment)`` over a context dict -> Result dict."""
    ctx = EvalContext(context, sticky_bucket_service)
    result = run(experiment, None, ctx, _eval)
    _write_back(context, ctx)
    return result


def _write_back(context: Mapping[str, Any], ctx: EvalContext) -> None:
    if ctx.sticky_service is not None and isinstance(context, dict):
        context["stickyBucketAssignmentDocs"] = ctx.sticky_docs
