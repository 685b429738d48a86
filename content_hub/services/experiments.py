"""Experiment results: exposures and conversions from the event tables, the
statistics of ``variants.stats`` and the sample-ratio check.

Units are hash values; each unit counts in the variation of its first
exposure, and a conversion counts when it happened at or after that first
exposure. A goal whose conversions carry values is a mean metric (value per
exposed unit, from the sums and sums of squares of each unit's total);
otherwise it is a conversion rate (converted units per exposed unit).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from content_hub.domain.errors import BadRequest, FieldError, NotFound
from content_hub.domain.experiments import (
    ComparisonStats,
    ExperimentResults,
    GoalResults,
    SrmStats,
    VariationCounts,
    VariationStats,
)
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.store.repositories.events import EventRepository, GoalCount
from variants import ExperimentRule
from variants.stats import (
    VariationData,
    compare,
    mean_and_variance,
    mean_interval,
    srm_check,
)

UNKNOWN_NOTE = (
    "The experiment is not in the published rules: the sample-ratio check "
    "assumes equal weights over the observed variations."
)


def _num(value: float) -> float | None:
    return None if math.isnan(value) or math.isinf(value) else value


def _storable(text: str) -> bool:
    return bool(text) and "\x00" not in text


def rule_weights(rule: ExperimentRule) -> list[float]:
    """The split an experiment rule asks for (equal when it gives none)."""
    if rule.weights is not None and len(rule.weights) == len(rule.variations):
        return [float(w) for w in rule.weights]
    return [1.0 / len(rule.variations)] * len(rule.variations)


def check_keys(experiment_key: str, goals: Sequence[str] | None) -> None:
    """An unstorable experiment key is a 404, an unstorable goal a 400."""
    if not _storable(experiment_key) or len(experiment_key) > 200:
        raise NotFound(f"No experiment {experiment_key[:200]!r}.")
    bad = [g for g in goals or () if not _storable(g) or len(g) > 200]
    if bad:
        raise BadRequest(
            "A goal is 1-200 characters without NUL.",
            errors=[FieldError(loc=["query", "goal"], msg="invalid goal")],
        )


async def variation_rows(
    repo: EventRepository,
    experiment_key: str,
    weights: Sequence[float] | None,
    variations: Sequence[str] | None,
) -> tuple[list[VariationCounts], list[float], list[str]]:
    """The variations analysed (the rule's, or the observed ones when the
    experiment is not in the published rules), their split and notes."""
    counts = {c.variation_id: c for c in await repo.exposure_counts(experiment_key)}
    if not counts and weights is None:
        raise NotFound(
            f"No experiment {experiment_key!r}: it is not in the published "
            "rules and has no recorded exposures."
        )
    notes: list[str] = []
    if weights is not None:
        ids = list(range(len(weights)))
        extra = sorted(set(counts) - set(ids))
        if extra:
            notes.append(
                "Exposures to variations the published rule does not have "
                f"({', '.join(map(str, extra))}) are left out of the statistics."
            )
        split = [float(w) for w in weights]
    else:
        ids = sorted(counts)
        split = [1.0] * len(ids)
        notes.append(UNKNOWN_NOTE)
    names = list(variations or [])
    rows = [
        VariationCounts(
            variation_id=i,
            variant=(
                names[i]
                if i < len(names)
                else (counts[i].variant if i in counts else str(i))
            ),
            units=counts[i].units if i in counts else 0,
            exposures=counts[i].exposures if i in counts else 0,
        )
        for i in ids
    ]
    return rows, split, notes


def published_rule(payloads: FeaturePayloads, key: str) -> dict[str, Any]:
    """``weights`` and ``variations`` of the published rule of ``key`` (both
    None when it is not published), as :meth:`ExperimentService.results`
    and the timeline take them."""
    rule = payloads.rules().experiment(key)
    if rule is None:
        return {"weights": None, "variations": None}
    return {"weights": rule_weights(rule), "variations": list(rule.variations)}


class ExperimentService:
    def __init__(self, deps: Deps) -> None:
        self.repo = EventRepository(deps.session)

    async def results(
        self,
        experiment_key: str,
        *,
        goals: Sequence[str] | None = None,
        weights: Sequence[float] | None = None,
        variations: Sequence[str] | None = None,
    ) -> ExperimentResults:
        """Results of one experiment.

        ``weights`` and ``variations`` (variant keys by variation index) come
        from the published experiment rule; without them the experiment is
        treated as unknown: equal weights over the observed variations.
        """
        check_keys(experiment_key, goals)
        rows, split, notes = await variation_rows(
            self.repo, experiment_key, weights, variations
        )
        known = weights is not None
        multiple = await self.repo.multiple_exposures(experiment_key)
        if multiple:
            notes.append(
                f"{multiple} unit(s) saw more than one variation; each counts in "
                "the variation of its first exposure."
            )
        srm = srm_check([r.units for r in rows], split) if len(rows) >= 2 else None
        total_w = sum(split) or 1.0
        total_units = sum(r.units for r in rows)
        srm_stats = SrmStats(
            weights=[w / total_w for w in split],
            weights_source="rules" if known else "equal",
            expected_units=[w / total_w * total_units for w in split],
            chi2=srm.chi2 if srm else 0.0,
            dof=srm.dof if srm else 0,
            p_value=srm.p_value if srm else 1.0,
            flagged=srm.flagged if srm else False,
        )
        goal_names = (
            list(dict.fromkeys(goals))
            if goals
            else await self.repo.goals(experiment_key)
        )
        goal_results = [await self._goal(experiment_key, g, rows) for g in goal_names]
        return ExperimentResults(
            experiment_key=experiment_key,
            known=known,
            notes=notes,
            variations=rows,
            srm=srm_stats,
            goals=goal_results,
            multiple_exposures=multiple,
        )

    async def _goal(
        self, experiment_key: str, goal: str, rows: list[VariationCounts]
    ) -> GoalResults:
        per_variation: dict[int, GoalCount] = {
            g.variation_id: g for g in await self.repo.goal_counts(experiment_key, goal)
        }
        is_value = await self.repo.goal_has_values(goal)
        data: list[VariationData] = []
        stats: list[VariationStats] = []
        for row in rows:
            g = per_variation.get(row.variation_id)
            converted = g.units if g else 0
            if is_value:
                item = VariationData(
                    key=row.variant,
                    units=row.units,
                    total=g.value_sum if g else 0.0,
                    sum_squares=g.value_sum_squares if g else 0.0,
                )
            else:
                item = VariationData(key=row.variant, units=row.units, total=converted)
            data.append(item)
            mean, _ = mean_and_variance(item)
            low, high = mean_interval(item)
            stats.append(
                VariationStats(
                    variation_id=row.variation_id,
                    variant=row.variant,
                    units=row.units,
                    conversions=converted,
                    mean=mean if row.units else None,
                    ci_low=_num(low),
                    ci_high=_num(high),
                )
            )
        comparisons = []
        for row, item in zip(rows[1:], data[1:], strict=True):
            c = compare(data[0], item)
            comparisons.append(
                ComparisonStats(
                    variation_id=row.variation_id,
                    variant=row.variant,
                    uplift=_num(c.uplift),
                    ci_low=_num(c.ci_low),
                    ci_high=_num(c.ci_high),
                    p_value=_num(c.p_value),
                    chance_to_beat_control=_num(c.chance_to_beat_control),
                    expected_loss=_num(c.risk_treatment),
                    expected_loss_control=_num(c.risk_control),
                    std_error=_num(c.std_error),
                )
            )
        return GoalResults(
            goal=goal,
            metric="value" if is_value else "conversion",
            variations=stats,
            comparisons=comparisons,
        )
