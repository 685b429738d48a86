"""/manage/v1/experiments/{key}/results (JSON and CSV) and /timeline:
statistics over the recorded events and their course over time."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.experiments import ExperimentResults, ExperimentTimeline
from content_hub.domain.keys import Scope
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.experiment_export import (
    CSV_MEDIA_TYPE,
    csv_headers,
    results_csv,
)
from content_hub.services.experiment_timeline import ExperimentTimelineService
from content_hub.services.experiments import ExperimentService, published_rule

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
            key, goals=goal, **published_rule(feature_payloads, key)
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
            key, goals=goal, **published_rule(feature_payloads, key)
        )
        return Response(
            results_csv(results), media_type=CSV_MEDIA_TYPE, headers=csv_headers(key)
        )

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
            key, bucket=bucket, goals=goal, **published_rule(feature_payloads, key)
        )
