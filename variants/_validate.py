"""Validation of rule sets and audiences before they are saved."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from variants._compiled import AudienceMap, audience_map
from variants._errors import InvalidRuleSetError, Problem
from variants._models import Audience, ExperimentRule, RolloutRule, RuleSet
from variants._validate_condition import condition_problems

__all__ = [
    "ruleset_problems",
    "validate_audience",
    "validate_condition",
    "validate_ruleset",
]

Loc = tuple[str | int, ...]
_WEIGHT_TOLERANCE = 1e-6


def _unit(value: float) -> bool:
    return math.isfinite(value) and 0 <= value <= 1


def _ranges_problems(ranges: Sequence[Sequence[float]], loc: Loc) -> list[Problem]:
    problems = []
    for i, rng in enumerate(ranges):
        if len(rng) != 2 or not all(_unit(x) for x in rng) or rng[0] > rng[1]:
            problems.append(
                Problem(
                    loc=(*loc, i),
                    msg="a range is [start, end] with 0 <= start <= end <= 1",
                    type="invalid_range",
                )
            )
    return problems


def _experiment_problems(
    rule: ExperimentRule, ruleset: RuleSet, loc: Loc
) -> list[Problem]:
    p: list[Problem] = []
    known = set(ruleset.variant_keys())
    if len(rule.variations) < 2:
        p.append(
            Problem(
                loc=(*loc, "variations"),
                msg="needs at least 2 variations",
                type="too_few_variations",
            )
        )
    if len(set(rule.variations)) != len(rule.variations):
        p.append(
            Problem(
                loc=(*loc, "variations"),
                msg="variations repeat a variant",
                type="duplicate_variation",
            )
        )
    if ruleset.baseline not in rule.variations:
        p.append(
            Problem(
                loc=(*loc, "variations"),
                msg=f"must include the baseline {ruleset.baseline!r}",
                type="baseline_missing",
            )
        )
    for i, key in enumerate(rule.variations):
        if key not in known:
            p.append(
                Problem(
                    loc=(*loc, "variations", i),
                    msg=f"unknown variant {key!r}",
                    type="unknown_variant",
                )
            )
    if rule.weights is not None:
        if len(rule.weights) != len(rule.variations):
            p.append(
                Problem(
                    loc=(*loc, "weights"),
                    msg="needs one weight per variation",
                    type="weights_length",
                )
            )
        elif not all(_unit(w) for w in rule.weights):
            p.append(
                Problem(
                    loc=(*loc, "weights"),
                    msg="weights must lie in [0, 1]",
                    type="weights_range",
                )
            )
        elif abs(math.fsum(rule.weights) - 1) > _WEIGHT_TOLERANCE:
            p.append(
                Problem(
                    loc=(*loc, "weights"),
                    msg=f"weights sum to {math.fsum(rule.weights):g}, not 1",
                    type="weights_sum",
                )
            )
    if not _unit(rule.coverage):
        p.append(
            Problem(
                loc=(*loc, "coverage"),
                msg="coverage must lie in [0, 1]",
                type="coverage_range",
            )
        )
    if rule.hash_version not in (1, 2):
        p.append(
            Problem(
                loc=(*loc, "hash_version"),
                msg="hash version must be 1 or 2",
                type="hash_version",
            )
        )
    ns = rule.namespace
    if ns is not None and not (_unit(ns.start) and _unit(ns.end) and ns.start < ns.end):
        p.append(
            Problem(
                loc=(*loc, "namespace"),
                msg="namespace range must satisfy 0 <= start < end <= 1",
                type="namespace_range",
            )
        )
    if ns is not None and not ns.id:
        p.append(
            Problem(
                loc=(*loc, "namespace"),
                msg="namespace needs an id",
                type="namespace_id",
            )
        )
    if rule.ranges is not None:
        if len(rule.ranges) != len(rule.variations):
            p.append(
                Problem(
                    loc=(*loc, "ranges"),
                    msg="needs one range per variation",
                    type="ranges_length",
                )
            )
        p += _ranges_problems(rule.ranges, (*loc, "ranges"))
    for i, flt in enumerate(rule.filters):
        floc = (*loc, "filters", i)
        if not flt.seed:
            p.append(
                Problem(
                    loc=(*floc, "seed"), msg="a filter needs a seed", type="filter_seed"
                )
            )
        if flt.hash_version not in (1, 2):
            p.append(
                Problem(
                    loc=(*floc, "hash_version"),
                    msg="hash version must be 1 or 2",
                    type="hash_version",
                )
            )
        p += _ranges_problems(flt.ranges, (*floc, "ranges"))
    if rule.min_bucket_version > rule.bucket_version:
        p.append(
            Problem(
                loc=(*loc, "min_bucket_version"),
                msg="must not exceed bucket_version",
                type="bucket_version",
            )
        )
    if rule.bandit is not None and rule.bandit.min_share * len(rule.variations) > 1:
        p.append(
            Problem(
                loc=(*loc, "bandit", "min_share"),
                msg="min_share times the number of arms exceeds 1",
                type="bandit_min_share",
            )
        )
    return p


def ruleset_problems(
    ruleset: RuleSet,
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """Every problem in ``ruleset``, each with its path (``loc``)."""
    auds = audience_map(audiences)
    p: list[Problem] = []
    keys = ruleset.variant_keys()
    if (
        len(keys) != len(ruleset.variants) + 1
        and ruleset.baseline not in ruleset.variants
    ):
        p.append(
            Problem(
                loc=("variants",), msg="variant keys repeat", type="duplicate_variant"
            )
        )
    seen_ids: dict[str, int] = {}
    seen_experiments: dict[str, int] = {}
    for i, rule in enumerate(ruleset.rules):
        loc: Loc = ("rules", i)
        if rule.id in seen_ids:
            p.append(
                Problem(
                    loc=(*loc, "id"),
                    msg=f"rule id {rule.id!r} repeats rules.{seen_ids[rule.id]}",
                    type="duplicate_rule_id",
                )
            )
        seen_ids.setdefault(rule.id, i)
        if rule.condition is not None:
            p += condition_problems(rule.condition, (*loc, "condition"), saved_groups)
        for j, key in enumerate(rule.audiences):
            if key not in auds:
                p.append(
                    Problem(
                        loc=(*loc, "audiences", j),
                        msg=f"unknown audience {key!r}",
                        type="unknown_audience",
                    )
                )
        if isinstance(rule, ExperimentRule):
            p += _experiment_problems(rule, ruleset, loc)
            exp_key = rule.key or ruleset.key
            if exp_key in seen_experiments:
                p.append(
                    Problem(
                        loc=(*loc, "key"),
                        msg=f"experiment key repeats rules.{seen_experiments[exp_key]}",
                        type="duplicate_experiment_key",
                    )
                )
            seen_experiments.setdefault(exp_key, i)
        else:
            if rule.variant not in keys:
                p.append(
                    Problem(
                        loc=(*loc, "variant"),
                        msg=f"unknown variant {rule.variant!r}",
                        type="unknown_variant",
                    )
                )
            if isinstance(rule, RolloutRule):
                if not _unit(rule.coverage):
                    p.append(
                        Problem(
                            loc=(*loc, "coverage"),
                            msg="coverage must lie in [0, 1]",
                            type="coverage_range",
                        )
                    )
                if rule.hash_version not in (1, 2):
                    p.append(
                        Problem(
                            loc=(*loc, "hash_version"),
                            msg="hash version must be 1 or 2",
                            type="hash_version",
                        )
                    )
    return p


def validate_ruleset(
    ruleset: RuleSet,
    audiences: AudienceMap | Iterable[Audience] | None = None,
    saved_groups: Mapping[str, Any] | None = None,
) -> None:
    """Raise :class:`InvalidRuleSetError` listing every problem, if there is any."""
    problems = ruleset_problems(ruleset, audiences, saved_groups)
    if problems:
        raise InvalidRuleSetError(problems)


def validate_condition(
    condition: Any, saved_groups: Mapping[str, Any] | None = None
) -> None:
    """Raise :class:`InvalidRuleSetError` if ``condition`` is malformed."""
    problems = condition_problems(condition, ("condition",), saved_groups)
    if problems:
        raise InvalidRuleSetError(problems)


def validate_audience(
    audience: Audience, saved_groups: Mapping[str, Any] | None = None
) -> None:
    """Raise :class:`InvalidRuleSetError` if the audience's condition is malformed."""
    problems = condition_problems(audience.condition, ("condition",), saved_groups)
    if problems:
        raise InvalidRuleSetError(problems)
