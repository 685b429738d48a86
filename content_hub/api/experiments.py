"""/manage/v1/experiments/{key}/results (JSON and CSV) and /timeline:
statistics over the recorded events and their course over time."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.experiments import ExperimentResults, ExperimentTimeline
from content_hub.domain.keys import Scope
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.experiment_export import csv_filename, results_csv
from content_hub.services.experiment_timeline import ExperimentTimelineService
from content_hub.services.experiments import ExperimentService, rule_weights

GoalParam = Annotated[
    list[str] | None,
    QueryParameter(
        name="goal",
        description="Goals to analyse (repeat for several); all goals by default.",
        max_items=20,
    ),
]
BucketParam = Annotated[
    str,
    QueryParameter(description="Bucket size: `day` or `hour` (UTC).", max_length=8),
]


def rule_of(payloads: FeaturePayloads, key: str) -> dict[str, Any]:
    """The published rule's weights and variant keys (none: unknown)."""
    rule = payloads.rules().experiment(key)
    if rule is None:
        return {"weights": None, "variations": None}
    return {"weights": rule_weights(rule), "variations": rule.variations}


class ExperimentController(Controller):
    path = "/manage/v1/experiments"
    tags = ["experiments"]
    opt = {"scopes": (Scope.MANAGE,)}

    @get(
        "/{key:str}/results",
        summary="Experiment results: units, conversions, uplift, SRM check",
    )
    async def results(
        self,
        deps: NamedDependency[Deps],
        feature_payloads: NamedDependency[FeaturePayloads],
        key: FromPath[str],
        goal: GoalParam = None,
    ) -> ExperimentResults:
        return await ExperimentService(deps).results(
            key, goals=goal, **rule_of(feature_payloads, key)
        )

    @get(
        "/{key:str}/results.csv",
        summary="Experiment results as CSV: one row per variation and goal",
        description=(
            "The numbers of `GET .../results` as `text/csv`: a header row, then "
            "per goal and variation units, exposures, conversions, mean and its "
            "95 % interval, uplift and its interval, chance to beat control, "
            "p-value, SRM p-value and flag. Text cells that start with = + - @ "
            "get a leading `'`."
        ),
        media_type="text/csv",
    )
    async def results_csv(
        self,
        deps: NamedDependency[Deps],
        feature_payloads: NamedDependency[FeaturePayloads],
        key: FromPath[str],
        goal: GoalParam = None,
    ) -> Response[str]:
        results = await ExperimentService(deps).results(
            key, goals=goal, **rule_of(feature_payloads, key)
        )
        return csv_response(results_csv(results), csv_filename(key))

    @get(
        "/{key:str}/timeline",
        summary="Experiment over time: units and conversions per variation",
        description=(
            "Per variation, units first exposed and goal conversions in `day` or "
            "`hour` buckets (UTC) with running totals and the running conversion "
            "rate (or mean value); one point per bucket in which anything "
            "happened. The last point equals the results' totals."
        ),
    )
    async def timeline(
        self,
        deps: NamedDependency[Deps],
        feature_payloads: NamedDependency[FeaturePayloads],
        key: FromPath[str],
        goal: GoalParam = None,
        bucket: BucketParam = "day",
    ) -> ExperimentTimeline:
        return await ExperimentTimelineService(deps).timeline(
            key, bucket=bucket, goals=goal, **rule_of(feature_payloads, key)
        )


def csv_response(text: str, filename: str) -> Response[str]:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )
