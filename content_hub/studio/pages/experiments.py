"""Experiment results in the Studio: the list of experiments (every
published experiment rule, and experiment keys with exposures but no rule),
a results page per experiment (the numbers of ``GET
/manage/v1/experiments/{key}/results``, the sample-ratio check, three charts
with their data tables) and the CSV export of the same numbers."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from litestar import Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter

from content_hub.domain.errors import FieldError, ValidationFailed
from content_hub.domain.experiments import ExperimentResults, GoalResults
from content_hub.domain.keys import Principal
from content_hub.live.features import FeaturePayloads
from content_hub.services.base import Deps
from content_hub.services.experiment_catalog import ExperimentCatalog
from content_hub.services.experiment_export import (
    CSV_MEDIA_TYPE,
    csv_headers,
    results_csv,
)
from content_hub.services.experiment_timeline import ExperimentTimelineService
from content_hub.services.experiments import ExperimentService, published_rule
from content_hub.studio.pages.experiment_charts import (
    NONE,
    charts,
    metric_text,
    number,
    percent,
)
from content_hub.studio.views import page

GoalParam = Annotated[str | None, QueryParameter(max_length=200)]
BucketParam = Annotated[str, QueryParameter(max_length=8)]


def experiment_url(key: str) -> str:
    """The results page of ``key`` (the key as one path segment)."""
    return "/studio/experiments/" + quote(key, safe="")


def entry_experiments(
    deps: Deps, payloads: FeaturePayloads, type_key: str, key: str
) -> list[tuple[str, str]]:
    """(key, results page) of the published experiments of an entry."""
    keys = ExperimentCatalog(deps, payloads).of_entry(type_key, key)
    return [(k, experiment_url(k)) for k in keys]


@get("/experiments", name="studio_experiments")
async def list_experiments(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    feature_payloads: NamedDependency[FeaturePayloads],
) -> Response[str]:
    summaries = await ExperimentCatalog(studio_deps, feature_payloads).summaries()
    return page(
        request,
        "experiments.html",
        principal=studio_principal,
        experiments=[(s, experiment_url(s.key)) for s in summaries],
    )


def _chosen_goal(results: ExperimentResults, goal: str | None) -> GoalResults | None:
    if not goal:
        return results.goals[0] if results.goals else None
    for found in results.goals:
        if found.goal == goal:
            return found
    raise ValidationFailed(
        f"The experiment has no goal {goal!r}.",
        errors=[FieldError(loc=["query", "goal"], msg="unknown goal")],
    )


def _rows(results: ExperimentResults, goal: GoalResults | None) -> list[dict[str, Any]]:
    """One row per variation: counts, rate, interval and the comparison."""
    exposures = {v.variation_id: v for v in results.variations}
    comparisons = {c.variation_id: c for c in goal.comparisons} if goal else {}
    rows = []
    for i, v in enumerate(results.variations):
        stats = goal.variations[i] if goal else None
        c = comparisons.get(v.variation_id)
        metric = goal.metric if goal else "conversion"
        rows.append(
            {
                "variant": v.variant,
                "control": i == 0,
                "units": exposures[v.variation_id].units,
                "exposures": exposures[v.variation_id].exposures,
                "expected": number(results.srm.expected_units[i], 6)
                if i < len(results.srm.expected_units)
                else "",
                "weight": percent(results.srm.weights[i], 1)
                if i < len(results.srm.weights)
                else "",
                "conversions": stats.conversions if stats else None,
                "mean": metric_text(stats.mean if stats else None, metric),
                "interval": (
                    f"{metric_text(stats.ci_low, metric)} to "
                    f"{metric_text(stats.ci_high, metric)}"
                )
                if stats and stats.ci_low is not None
                else NONE,
                "uplift": percent(c.uplift) if c else "",
                "uplift_interval": (
                    f"{percent(c.ci_low)} to {percent(c.ci_high)}"
                    if c and c.ci_low is not None
                    else ""
                ),
                "chance": percent(c.chance_to_beat_control, 1) if c else "",
                "p_value": number(c.p_value) if c else "",
            }
        )
    return rows


@get("/experiments/{key:str}", name="studio_experiment")
async def show_experiment(
    request: Request[Any, Any, Any],
    studio_deps: NamedDependency[Deps],
    studio_principal: NamedDependency[Principal],
    feature_payloads: NamedDependency[FeaturePayloads],
    key: FromPath[str],
    goal: GoalParam = None,
    bucket: BucketParam = "day",
) -> Response[str]:
    rule = published_rule(feature_payloads, key)
    results = await ExperimentService(studio_deps).results(key, **rule)
    chosen = _chosen_goal(results, goal)
    timeline = await ExperimentTimelineService(studio_deps).timeline(
        key, bucket=bucket, goals=[chosen.goal] if chosen else [], **rule
    )
    summary = ExperimentCatalog(studio_deps, feature_payloads).published(key)
    url = experiment_url(key)
    return page(
        request,
        "experiment.html",
        principal=studio_principal,
        results=results,
        summary=summary,
        goal=chosen,
        bucket=timeline.bucket,
        rows=_rows(results, chosen),
        charts=charts(results, timeline, chosen),
        srm_p=number(results.srm.p_value),
        url=url,
        csv_url=url + "/results.csv",
    )


@get("/experiments/{key:str}/results.csv", name="studio_experiment_csv")
async def experiment_csv(
    studio_deps: NamedDependency[Deps],
    feature_payloads: NamedDependency[FeaturePayloads],
    key: FromPath[str],
    goal: GoalParam = None,
) -> Response[str]:
    """Every goal by default, or the one chosen on the page."""
    results = await ExperimentService(studio_deps).results(
        key, goals=[goal] if goal else None, **published_rule(feature_payloads, key)
    )
    return Response(
        results_csv(results), media_type=CSV_MEDIA_TYPE, headers=csv_headers(key)
    )


EXPERIMENT_PAGES = [list_experiments, show_experiment, experiment_csv]
