"""Experiment results as CSV: one row per variation and goal.

Numbers are written as the JSON results carry them (Python's shortest
round-trip ``repr``; an undefined statistic is an empty cell). Text cells
(experiment key, goal, variant) that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) get a
leading ``'`` (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io

from content_hub.domain.experiments import (
    ComparisonStats,
    ExperimentResults,
    GoalResults,
)

COLUMNS = (
    "experiment_key",
    "goal",
    "metric",
    "variation_id",
    "variant",
    "units",
    "exposures",
    "conversions",
    "mean",
    "ci_low",
    "ci_high",
    "uplift",
    "uplift_ci_low",
    "uplift_ci_high",
    "chance_to_beat_control",
    "p_value",
    "srm_p_value",
    "srm_flagged",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` with a leading ``'`` when a spreadsheet would run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _number(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def _goal_rows(results: ExperimentResults, goal: GoalResults) -> list[list[str]]:
    exposures = {v.variation_id: v.exposures for v in results.variations}
    by_id: dict[int, ComparisonStats] = {c.variation_id: c for c in goal.comparisons}
    rows = []
    for v in goal.variations:
        c = by_id.get(v.variation_id)
        rows.append(
            [
                safe_text(results.experiment_key),
                safe_text(goal.goal),
                goal.metric,
                str(v.variation_id),
                safe_text(v.variant),
                str(v.units),
                str(exposures.get(v.variation_id, 0)),
                str(v.conversions),
                _number(v.mean),
                _number(v.ci_low),
                _number(v.ci_high),
                _number(c.uplift if c else None),
                _number(c.ci_low if c else None),
                _number(c.ci_high if c else None),
                _number(c.chance_to_beat_control if c else None),
                _number(c.p_value if c else None),
                _number(results.srm.p_value),
                "true" if results.srm.flagged else "false",
            ]
        )
    return rows


def results_csv(results: ExperimentResults) -> str:
    """The CSV text (a header row, then one row per variation and goal; with
    no goals, one row per variation with the goal cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for goal in results.goals:
        writer.writerows(_goal_rows(results, goal))
    if not results.goals:
        for v in results.variations:
            cells = [""] * len(COLUMNS)
            cells[0] = safe_text(results.experiment_key)
            cells[3:7] = [
                str(v.variation_id),
                safe_text(v.variant),
                str(v.units),
                str(v.exposures),
            ]
            cells[-2] = _number(results.srm.p_value)
            cells[-1] = "true" if results.srm.flagged else "false"
            writer.writerow(cells)
    return out.getvalue()


def csv_filename(experiment_key: str) -> str:
    """A safe download name: the key's letters, digits, ``-`` and ``_``."""
    stem = "".join(
        ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_"
        for ch in experiment_key
    )
    return f"{stem[:80] or 'experiment'}-results.csv"


CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def csv_headers(experiment_key: str) -> dict[str, str]:
    """Headers of a CSV download of ``experiment_key``'s results."""
    return {
        "Content-Disposition": f'attachment; filename="{csv_filename(experiment_key)}"',
        "X-Content-Type-Options": "nosniff",
    }
