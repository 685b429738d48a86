"""``run(experiment)``: GrowthBook's experiment evaluation, step by step."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from variants._conditions import compile_condition
from variants._hashing import (
    choose_variation,
    gb_hash,
    get_bucket_ranges,
    get_query_string_override,
    in_namespace,
)
from variants._js import js_truthy
from variants._sdk_context import EvalContext, hash_attribute, to_string
from variants._sticky import sticky_attribute_key, sticky_experiment_key

__all__ = ["FeatureEvaluator", "experiment_result", "run"]

FeatureEvaluator = Callable[[str, EvalContext], dict[str, Any]]


def _sticky_enabled(exp: Mapping[str, Any], ctx: EvalContext) -> bool:
    return ctx.sticky_service is not None and not exp.get("disableStickyBucketing")


def experiment_result(
    ctx: EvalContext,
    exp: Mapping[str, Any],
    index: int,
    hash_used: bool,
    feature_id: str | None,
    *,
    bucket: float | None = None,
    sticky_used: bool = False,
) -> dict[str, Any]:
    """GrowthBook's ``Result`` for variation ``index`` (-1: not in experiment)."""
    variations = exp.get("variations") or []
    in_experiment = True
    if not isinstance(index, int) or index < 0 or index >= len(variations):
        index = 0
        in_experiment = False
    fallback = exp.get("fallbackAttribute") if _sticky_enabled(exp, ctx) else None
    attr, value = hash_attribute(ctx.attributes, exp.get("hashAttribute"), fallback)
    metas = exp.get("meta")
    meta: Mapping[str, Any] = (
        metas[index] if isinstance(metas, list) and index < len(metas) else {}
    ) or {}
    result: dict[str, Any] = {
        "key": meta.get("key") or str(index),
        "featureId": feature_id,
        "inExperiment": in_experiment,
        "hashUsed": hash_used,
        "variationId": index,
        "value": variations[index] if variations else None,
        "hashAttribute": attr,
        "hashValue": value,
        "stickyBucketUsed": bool(sticky_used),
    }
    if meta.get("name"):
        result["name"] = meta["name"]
    if bucket is not None:
        result["bucket"] = bucket
    if meta.get("passthrough"):
        result["passthrough"] = meta["passthrough"]
    return result


def _sticky_variation(ctx: EvalContext, exp: Mapping[str, Any]) -> tuple[int, bool]:
    """``(index, blocked)`` from the user's sticky documents (-1 if none)."""
    key = exp["key"]
    version = exp.get("bucketVersion") or 0
    min_version = exp.get("minBucketVersion") or 0
    attrs = ctx.attributes
    name, value = hash_attribute(attrs, exp.get("hashAttribute") or "id")
    fb_name, fb_value = hash_attribute(attrs, exp.get("fallbackAttribute"))
    assignments: dict[str, str] = {}
    if fb_value:
        doc = ctx.sticky_docs.get(sticky_attribute_key(fb_name, to_string(fb_value)))
        if doc:
            assignments.update(doc.get("assignments") or {})
    doc = ctx.sticky_docs.get(sticky_attribute_key(name, to_string(value)))
    if doc:
        assignments.update(doc.get("assignments") or {})
    for old in range(min_version):
        if sticky_experiment_key(key, old) in assignments:
            return -1, True
    variation_key = assignments.get(sticky_experiment_key(key, version))
    if variation_key is None:
        return -1, False
    for i, meta in enumerate(exp.get("meta") or []):
        if (meta or {}).get("key") == variation_key:
            return i, False
    return -1, False


def _excluded_before_hash(
    ctx: EvalContext,
    exp: Mapping[str, Any],
    hash_value: Any,
    eval_feature: FeatureEvaluator,
) -> bool:
    """Steps 7-8.1: filters or namespace, condition, prerequisites, groups."""
    if exp.get("filters"):
        if ctx.is_filtered_out(exp["filters"]):
            return True
    elif exp.get("namespace") and not in_namespace(hash_value, exp["namespace"]):
        return True
    condition = exp.get("condition")
    if condition and not ctx.condition_passes(condition):
        return True
    parents = exp.get("parentConditions")
    if parents:
        snapshot = set(ctx.evaluated)
        for parent in parents:
            ctx.evaluated = set(snapshot)
            parent_result = eval_feature(parent["id"], ctx)
            if parent_result["source"] == "cyclicPrerequisite":
                return True
            check = compile_condition(parent.get("condition") or {})
            if not check({"value": parent_result["value"]}, {}):
                return True
    groups = exp.get("groups")  # 8.1: legacy groups must overlap the context's
    if js_truthy(groups):
        return not any(js_truthy(ctx.groups.get(g)) for g in groups or ())
    return False


def run(
    exp: Mapping[str, Any],
    feature_id: str | None,
    ctx: EvalContext,
    eval_feature: FeatureEvaluator,
) -> dict[str, Any]:
    """GrowthBook's ``runExperiment`` (steps numbered as in the SDK).

    Browser-only steps are not implemented: remote overrides (2.5), URL
    patterns (2.6), the ``include`` callback (7.5), legacy URL regexes (8.2) and
    tracking callbacks (14); ``decide`` reports exposures instead.
    """
    key = exp["key"]
    variations = exp.get("variations") or []
    n_variations = len(variations)

    def out(index: int = -1, hash_used: bool = False) -> dict[str, Any]:
        return experiment_result(ctx, exp, index, hash_used, feature_id)

    if n_variations < 2 or not ctx.enabled:  # 1, 2
        return out()
    forced = get_query_string_override(key, ctx.url, n_variations)  # 3
    if forced is not None:
        return out(forced)
    if key in ctx.forced_variations:  # 4
        return out(ctx.forced_variations[key])
    if exp.get("status") == "draft" or exp.get("active") is False:  # 5
        return out()
    sticky = _sticky_enabled(exp, ctx)
    fallback = exp.get("fallbackAttribute") if sticky else None
    attr, hash_value = hash_attribute(
        ctx.attributes, exp.get("hashAttribute"), fallback
    )
    if not js_truthy(hash_value):  # 6
        return out()
    assigned, found_sticky, blocked = -1, False, False
    if sticky:  # 6.5
        assigned, blocked = _sticky_variation(ctx, exp)
        found_sticky = assigned >= 0
    if not found_sticky and _excluded_before_hash(ctx, exp, hash_value, eval_feature):
        return out()
    n = gb_hash(exp.get("seed") or key, hash_value, exp.get("hashVersion") or 1)  # 9
    if n is None:
        return out()
    if not found_sticky:
        ranges = exp.get("ranges") or get_bucket_ranges(
            n_variations,
            exp.get("coverage", 1),
            exp.get("weights"),
        )
        assigned = choose_variation(n, ranges)
    if blocked:  # 9.5
        return experiment_result(ctx, exp, -1, False, feature_id, sticky_used=True)
    if assigned < 0:  # 10
        return out()
    if "force" in exp:  # 11
        force = exp["force"]
        return out(-1 if force is None else force)
    if ctx.qa_mode or exp.get("status") == "stopped":  # 12, 12.5
        return out()
    result = experiment_result(
        ctx, exp, assigned, True, feature_id, bucket=n, sticky_used=found_sticky
    )
    if sticky:  # 13.5
        ctx.save_sticky(
            attr,
            to_string(hash_value),
            {sticky_experiment_key(key, exp.get("bucketVersion")): result["key"]},
        )
    return result
