"""/manage/v1/experiments/{key}/results: statistics over the recorded events."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.experiments import ExperimentResults
from content_hub.domain.keys import Scope
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.experiments import ExperimentService, rule_weights

GoalParam = Annotated[
    list[str] | None,
    QueryParameter(
        name="goal",
        description="Goals to analyse (repeat for several); all goals by default.",
        max_items=20,
    ),
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
        rule = feature_payloads.rules().experiment(key)
        return await ExperimentService(deps).results(
            key,
            goals=goal,
            weights=rule_weights(rule) if rule is not None else None,
            variations=rule.variations if rule is not None else None,
        )
