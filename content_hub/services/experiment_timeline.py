"""An experiment over time: per variation, units first exposed and goal
conversions in day or hour buckets (UTC), with running totals.

The same variations as the results (:func:`variation_rows`) and the same
counting rules, so a series' last cumulative values are the variation's
totals in ``GET /manage/v1/experiments/{key}/results``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from content_hub.domain.errors import BadRequest, FieldError
from content_hub.domain.experiments import (
    ConversionPoint,
    ConversionSeries,
    ExperimentTimeline,
    ExposurePoint,
    ExposureSeries,
    GoalTimeline,
    VariationCounts,
)
from content_hub.services.base import Deps
from content_hub.services.experiments import check_keys, variation_rows
from content_hub.store.repositories.events import EventRepository
from content_hub.store.repositories.experiment_timeline import (
    Bucket,
    ConversionBucket,
    ExperimentTimelineRepository,
)

BUCKETS: tuple[Bucket, ...] = ("day", "hour")


def _bucket(value: str) -> Bucket:
    for bucket in BUCKETS:
        if value == bucket:
            return bucket
    raise BadRequest(
        "The bucket is `day` or `hour`.",
        errors=[FieldError(loc=["query", "bucket"], msg="expected day or hour")],
    )


def _running(
    buckets: list[datetime],
    rows: list[VariationCounts],
    found: dict[tuple[datetime, int], int],
) -> dict[int, list[tuple[int, int]]]:
    """Per variation: (in bucket, cumulative) for every bucket."""
    out: dict[int, list[tuple[int, int]]] = {}
    for row in rows:
        total = 0
        series = out.setdefault(row.variation_id, [])
        for at in buckets:
            here = found.get((at, row.variation_id), 0)
            total += here
            series.append((here, total))
    return out


class ExperimentTimelineService:
    def __init__(self, deps: Deps) -> None:
        self.events = EventRepository(deps.session)
        self.repo = ExperimentTimelineRepository(deps.session)

    async def timeline(
        self,
        experiment_key: str,
        *,
        bucket: str = "day",
        goals: Sequence[str] | None = None,
        weights: Sequence[float] | None = None,
        variations: Sequence[str] | None = None,
    ) -> ExperimentTimeline:
        """The timeline of one experiment (``weights`` and ``variations`` as
        for :meth:`ExperimentService.results`); all goals by default."""
        size = _bucket(bucket)
        check_keys(experiment_key, goals)
        rows, _, _ = await variation_rows(
            self.events, experiment_key, weights, variations
        )
        ids = {r.variation_id for r in rows}
        exposures = {
            (b.at, b.variation_id): b.units
            for b in await self.repo.exposure_buckets(experiment_key, size)
            if b.variation_id in ids
        }
        goal_names = (
            list(dict.fromkeys(goals))
            if goals
            else await self.events.goals(experiment_key)
        )
        by_goal: dict[str, dict[tuple[datetime, int], ConversionBucket]] = {}
        for goal in goal_names:
            by_goal[goal] = {
                (b.at, b.variation_id): b
                for b in await self.repo.conversion_buckets(experiment_key, goal, size)
                if b.variation_id in ids
            }
        buckets = sorted(
            {at for at, _ in exposures}.union(
                *({at for at, _ in found} for found in by_goal.values())
            )
        )
        units = _running(buckets, rows, exposures)
        exposure_series = [
            ExposureSeries(
                variation_id=r.variation_id,
                variant=r.variant,
                points=[
                    ExposurePoint(at=at, units=here, cumulative_units=total)
                    for at, (here, total) in zip(
                        buckets, units[r.variation_id], strict=True
                    )
                ],
            )
            for r in rows
        ]
        goal_series = [
            await self._goal(goal, by_goal[goal], buckets, rows, units)
            for goal in goal_names
        ]
        return ExperimentTimeline(
            experiment_key=experiment_key,
            bucket=size,
            buckets=buckets,
            exposures=exposure_series,
            goals=goal_series,
        )

    async def _goal(
        self,
        goal: str,
        found: dict[tuple[datetime, int], ConversionBucket],
        buckets: list[datetime],
        rows: list[VariationCounts],
        units: dict[int, list[tuple[int, int]]],
    ) -> GoalTimeline:
        is_value = await self.events.goal_has_values(goal)
        series = []
        for row in rows:
            converted = conversions = 0
            value = 0.0
            points = []
            for at, (_, cumulative_units) in zip(
                buckets, units[row.variation_id], strict=True
            ):
                b = found.get((at, row.variation_id))
                converted += b.converted if b else 0
                conversions += b.conversions if b else 0
                value += b.value if b else 0.0
                metric = value if is_value else converted
                points.append(
                    ConversionPoint(
                        at=at,
                        converted=b.converted if b else 0,
                        conversions=b.conversions if b else 0,
                        value=b.value if b else 0.0,
                        cumulative_units=cumulative_units,
                        cumulative_converted=converted,
                        cumulative_conversions=conversions,
                        cumulative_value=value,
                        mean=metric / cumulative_units if cumulative_units else None,
                    )
                )
            series.append(
                ConversionSeries(
                    variation_id=row.variation_id, variant=row.variant, points=points
                )
            )
        return GoalTimeline(
            goal=goal, metric="value" if is_value else "conversion", series=series
        )
