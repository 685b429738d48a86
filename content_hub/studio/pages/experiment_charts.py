"""Vega-Lite specs (plain dicts, embedded in the page as JSON and drawn by
vega-embed) and the data tables beside them, from one goal's results and
timeline. The tables are the charts' text alternative: the same numbers,
readable without JavaScript and by screen readers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from content_hub.domain.experiments import (
    ExperimentResults,
    ExperimentTimeline,
    GoalResults,
)

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
WIDTH = "container"
NONE = "\N{EN DASH}"
"""What a table shows for an undefined statistic."""


def percent(value: float | None, digits: int = 2) -> str:
    """``0.1234`` → ``12.34 %``; an undefined value is an en dash."""
    if value is None or math.isnan(value):
        return NONE
    return f"{value * 100:.{digits}f} %"


def number(value: float | None, digits: int = 4) -> str:
    """A statistic to ``digits`` significant digits (en dash when undefined)."""
    if value is None or math.isnan(value):
        return NONE
    return f"{value:.{digits}g}"


def metric_text(value: float | None, metric: str) -> str:
    """A rate as a percentage, a mean value as a number."""
    return percent(value) if metric == "conversion" else number(value)


@dataclass
class Chart:
    """One chart: its id, title, accessible label, spec and data table."""

    id: str
    title: str
    label: str
    spec: dict[str, Any]
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _base(title: str, values: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "$schema": SCHEMA,
        "description": title,
        "width": WIDTH,
        "height": 240,
        "autosize": {"type": "fit", "contains": "padding"},
        "data": {"values": values},
        "config": {"font": "system-ui, sans-serif"},
    }


def _line(
    title: str, values: list[dict[str, Any]], y: dict[str, Any], unit: str
) -> dict[str, Any]:
    time_unit = "yearmonthdatehours" if unit == "hour" else "yearmonthdate"
    return {
        **_base(title, values),
        "mark": {"type": "line", "point": True, "interpolate": "step-after"},
        "encoding": {
            "x": {
                "field": "at",
                "type": "temporal",
                "timeUnit": time_unit,
                "title": "Time (UTC)",
            },
            "y": y,
            "color": {"field": "variant", "type": "nominal", "title": "Variation"},
            "tooltip": [
                {"field": "variant", "title": "Variation"},
                {
                    "field": "at",
                    "type": "temporal",
                    "timeUnit": time_unit,
                    "title": "Bucket",
                },
                {
                    "field": y["field"],
                    "title": y["title"],
                    "format": y.get("axis", {}).get("format", ""),
                },
            ],
        },
    }


def exposure_chart(timeline: ExperimentTimeline) -> Chart:
    values = [
        {"at": _iso(p.at), "variant": s.variant, "units": p.cumulative_units}
        for s in timeline.exposures
        for p in s.points
    ]
    y = {"field": "units", "type": "quantitative", "title": "Units (cumulative)"}
    chart = Chart(
        id="chart-exposures",
        title="Cumulative units per variation",
        label="Line chart of the cumulative number of exposed units per "
        "variation over time; the table below has the same numbers.",
        spec=_line("Cumulative units per variation", values, y, timeline.bucket),
        columns=["Bucket (UTC)", *(s.variant for s in timeline.exposures)],
    )
    for i, at in enumerate(timeline.buckets):
        chart.rows.append(
            [_bucket_text(at, timeline.bucket)]
            + [str(s.points[i].cumulative_units) for s in timeline.exposures]
        )
    return chart


def conversion_chart(timeline: ExperimentTimeline, goal: str) -> Chart | None:
    found = next((g for g in timeline.goals if g.goal == goal), None)
    if found is None:
        return None
    rate = found.metric == "conversion"
    name = "Conversion rate" if rate else "Mean value per unit"
    values = [
        {"at": _iso(p.at), "variant": s.variant, "mean": p.mean}
        for s in found.series
        for p in s.points
        if p.mean is not None
    ]
    y: dict[str, Any] = {
        "field": "mean",
        "type": "quantitative",
        "title": f"{name} (cumulative)",
    }
    if rate:
        y["axis"] = {"format": ".1%"}
    chart = Chart(
        id="chart-conversion",
        title=f"Cumulative {name.lower()} of “{goal}” per variation",
        label=f"Line chart of the cumulative {name.lower()} of the goal {goal} per "
        "variation over time; the table below has the same numbers.",
        spec=_line(f"Cumulative {name.lower()}: {goal}", values, y, timeline.bucket),
        columns=["Bucket (UTC)", *(s.variant for s in found.series)],
    )
    for i, at in enumerate(timeline.buckets):
        chart.rows.append(
            [_bucket_text(at, timeline.bucket)]
            + [metric_text(s.points[i].mean, found.metric) for s in found.series]
        )
    return chart


def interval_chart(results: ExperimentResults, goal: GoalResults) -> Chart:
    rate = goal.metric == "conversion"
    name = "Conversion rate" if rate else "Mean value per unit"
    values = [
        {"variant": v.variant, "mean": v.mean, "low": v.ci_low, "high": v.ci_high}
        for v in goal.variations
        if v.mean is not None
    ]
    x: dict[str, Any] = {"type": "quantitative", "title": f"{name} with 95 % interval"}
    if rate:
        x["axis"] = {"format": ".1%"}
    fmt = ".2%" if rate else ".4g"
    y = {"field": "variant", "type": "nominal", "title": "Variation", "sort": None}
    spec = {
        **_base(f"{name} and 95 % interval: {goal.goal}", values),
        "height": {"step": 36},
        "encoding": {"y": y},
        "layer": [
            {
                "mark": {"type": "rule", "strokeWidth": 3},
                "encoding": {
                    "x": {"field": "low", **x},
                    "x2": {"field": "high"},
                    "color": {"field": "variant", "type": "nominal", "legend": None},
                },
            },
            {
                "mark": {"type": "point", "filled": True, "size": 90},
                "encoding": {
                    "x": {"field": "mean", **x},
                    "color": {"field": "variant", "type": "nominal", "legend": None},
                    "tooltip": [
                        {"field": "variant", "title": "Variation"},
                        {"field": "mean", "title": name, "format": fmt},
                        {"field": "low", "title": "95 % low", "format": fmt},
                        {"field": "high", "title": "95 % high", "format": fmt},
                    ],
                },
            },
        ],
    }
    chart = Chart(
        id="chart-intervals",
        title=f"{name} and 95 % interval per variation",
        label=f"Interval chart of each variation's {name.lower()} for the goal "
        f"{goal.goal} with its 95 % interval; the table below has the same numbers.",
        spec=spec,
        columns=["Variation", name, "95 % low", "95 % high"],
    )
    for v in goal.variations:
        chart.rows.append(
            [
                v.variant,
                metric_text(v.mean, goal.metric),
                metric_text(v.ci_low, goal.metric),
                metric_text(v.ci_high, goal.metric),
            ]
        )
    return chart


def _bucket_text(at: datetime, bucket: str) -> str:
    return at.strftime("%Y-%m-%d %H:00" if bucket == "hour" else "%Y-%m-%d")


def charts(
    results: ExperimentResults, timeline: ExperimentTimeline, goal: GoalResults | None
) -> list[Chart]:
    """The page's charts: exposures always; conversion and intervals per goal."""
    out = [exposure_chart(timeline)]
    if goal is not None:
        conversion = conversion_chart(timeline, goal.goal)
        if conversion is not None:
            out.append(conversion)
        out.append(interval_chart(results, goal))
    return out
