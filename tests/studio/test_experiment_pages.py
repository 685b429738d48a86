"""The Studio's experiment pages over HTTP: the list, the results page (the
API's numbers, the sample-ratio warning only when the split is skewed, the
charts' specs and data tables) and the CSV export (the API's values, formula
cells defused)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest
from litestar.testing import TestClient

from content_hub.studio.pages.experiment_charts import metric_text, number, percent
from tests.content_hub.conftest import Keys
from tests.studio.experiment_support import experiment_events, send_events

HEADLINE = "spring-headline"  # the demo's published 50/50 experiment


def seed(
    studio: TestClient[Any],
    keys: Keys,
    units: tuple[int, ...],
    converted: tuple[int, ...],
    key: str = HEADLINE,
    **kw: Any,
) -> None:
    send_events(
        studio, keys.secrets["render"], experiment_events(key, units, converted, **kw)
    )


def api(studio: TestClient[Any], keys: Keys, path: str) -> Any:
    r = studio.get(path, headers=keys.headers("manage", Accept="*/*"))
    assert r.status_code == 200, r.text
    return r.json() if "json" in r.headers["content-type"] else r.text


def test_the_list_shows_published_experiments_and_their_exposures(
    studio: TestClient[Any], keys: Keys
) -> None:
    seed(studio, keys, (30, 20), (3, 2))
    seed(studio, keys, (5, 5), (0, 0), key="=orphan")
    r = studio.get("/studio/experiments")
    assert r.status_code == 200
    rows = {
        m[0]: m[1]
        for m in re.findall(
            r'<tr>\s*<th scope="row"><a href="([^"]+)">(.*?)</tr>', r.text, re.S
        )
    }
    headline = rows["/studio/experiments/spring-headline"]
    assert "offer.spring-city-one" in headline and "running" in headline
    assert (
        "<td>50</td>" in headline and "default" in headline and "headline_b" in headline
    )
    assert "offer.spring-city-one" not in rows["/studio/experiments/%3Dorphan"]
    assert "not published" in rows["/studio/experiments/%3Dorphan"]
    assert "spring-hero-image" in r.text
    assert 'href="/studio/experiments" aria-current="page"' in r.text  # nav
    entry = re.search(r'href="(/studio/entries/[^"]+)">offer.spring-city-one', headline)
    assert entry
    page = studio.get(entry[1]).text
    assert 'Experiment results: <a href="/studio/experiments/spring-headline">' in page


def test_a_skewed_split_shows_the_warning_and_the_apis_numbers(
    studio: TestClient[Any], keys: Keys
) -> None:
    seed(studio, keys, (1000, 700), (120, 98))
    body = api(studio, keys, f"/manage/v1/experiments/{HEADLINE}/results")
    assert body["srm"]["flagged"] is True
    html = studio.get(f"/studio/experiments/{HEADLINE}").text
    warning = re.search(r'<div class="srm-warning" role="alert".*?</div>', html, re.S)
    assert warning and "Sample ratio mismatch" in warning[0]
    assert number(body["srm"]["p_value"]) in warning[0]
    [goal] = body["goals"]
    control, treatment = goal["variations"]
    [comparison] = goal["comparisons"]
    for text in (
        metric_text(control["mean"], "conversion"),
        metric_text(treatment["ci_low"], "conversion"),
        metric_text(treatment["ci_high"], "conversion"),
        percent(comparison["uplift"]),
        percent(comparison["chance_to_beat_control"], 1),
        number(comparison["p_value"]),
    ):
        assert text in html, text
    assert "<td>1000</td>" in html and "<td>700</td>" in html
    specs = re.findall(
        r'<script type="application/json" id="(chart-[a-z]+)-spec">(.*?)</script>',
        html,
        re.S,
    )
    assert [name for name, _ in specs] == [
        "chart-exposures",
        "chart-conversion",
        "chart-intervals",
    ]
    for name, text in specs:
        spec = json.loads(text)
        assert spec["data"]["values"], name
        assert f'id="{name}" class="chart-box" role="img" aria-label="' in html
    exposures = json.loads(specs[0][1])["data"]["values"]
    last = {
        v["variant"]: v["units"]
        for v in exposures
        if v["at"] == max(e["at"] for e in exposures)
    }
    assert last == {"default": 1000, "headline_b": 700}
    assert "<summary>Data table:" in html


def test_a_balanced_split_has_no_warning(studio: TestClient[Any], keys: Keys) -> None:
    seed(studio, keys, (500, 490), (50, 60))
    html = studio.get(f"/studio/experiments/{HEADLINE}").text
    assert "srm-warning" not in html and 'role="alert"' not in html
    assert "Sample ratio check passed" in html


def test_goal_selector_and_hourly_buckets(studio: TestClient[Any], keys: Keys) -> None:
    seed(studio, keys, (40, 40), (4, 8))
    seed(studio, keys, (0, 0), (0, 0), goal="signup")
    send_events(
        studio,
        keys.secrets["render"],
        {
            "exposures": [],
            "conversions": [
                {
                    "event_id": "s1",
                    "goal": "signup",
                    "hash_value": f"{HEADLINE}-v1-u3",
                    "at": "2026-04-09T00:00:00+00:00",
                }
            ],
        },
    )
    html = studio.get(f"/studio/experiments/{HEADLINE}?goal=signup&bucket=hour").text
    assert '<label for="exp-goal">Goal</label>' in html
    assert '<option value="signup" selected>' in html
    assert '<option value="hour" selected>' in html
    assert "Results for the goal “signup”" in html
    assert re.search(r"<th scope=\"row\">2026-04-01 08:00</th>", html)


@pytest.mark.parametrize(
    ("query", "status", "marker"),
    [
        ("?bucket=week", 400, 'class="problem" role="alert"'),
        ("?goal=nope", 422, 'class="problem" role="alert"'),
        ("?goal=" + "g" * 201, 400, '"loc":["query","goal"]'),  # the framework's
    ],
)
def test_bad_queries_are_problem_pages(
    studio: TestClient[Any], keys: Keys, query: str, status: int, marker: str
) -> None:
    seed(studio, keys, (10, 10), (1, 1))
    r = studio.get(f"/studio/experiments/{HEADLINE}{query}")
    assert r.status_code == status, r.text
    assert marker in r.text


def test_an_unknown_experiment_is_a_404_page(studio: TestClient[Any]) -> None:
    r = studio.get("/studio/experiments/never-ran")
    assert r.status_code == 404 and 'class="problem"' in r.text


def test_csv_has_the_apis_values_and_defuses_formulas(
    studio: TestClient[Any], keys: Keys
) -> None:
    key = "=HYPERLINK(1)"
    seed(
        studio,
        keys,
        (300, 200),
        (30, 10),
        key=key,
        goal="@SUM(A1)",
        variants=("+cmd", "-x"),
    )
    seed(studio, keys, (0, 0), (0, 0), key=key, goal="plain")
    path = "/studio/experiments/%3DHYPERLINK%281%29/results.csv"
    r = studio.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert (
        api(studio, keys, "/manage/v1/experiments/%3DHYPERLINK%281%29/results.csv")
        == r.text
    )
    body = api(studio, keys, "/manage/v1/experiments/%3DHYPERLINK%281%29/results")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 2  # one goal with conversions, two variations
    [goal] = body["goals"]
    for row, v in zip(rows, goal["variations"], strict=True):
        assert row["experiment_key"] == "'=HYPERLINK(1)"
        assert row["goal"] == "'@SUM(A1)"
        assert row["variant"] == "'" + v["variant"]
        assert int(row["units"]) == v["units"]
        assert int(row["conversions"]) == v["conversions"]
        assert float(row["mean"]) == v["mean"]
        assert (
            float(row["ci_low"]) == v["ci_low"]
            and float(row["ci_high"]) == v["ci_high"]
        )
        assert float(row["srm_p_value"]) == body["srm"]["p_value"]
    [comparison] = goal["comparisons"]
    assert rows[0]["uplift"] == "" and rows[0]["p_value"] == ""
    assert float(rows[1]["uplift"]) == comparison["uplift"]
    assert float(rows[1]["p_value"]) == comparison["p_value"]
    assert (
        float(rows[1]["chance_to_beat_control"]) == comparison["chance_to_beat_control"]
    )
    for cells in csv.reader(io.StringIO(r.text)):
        assert not any(c[:1] in ("=", "+", "@") for c in cells)
        assert not any(
            c.startswith("-") and not re.fullmatch(r"-[0-9.e+-]+", c) for c in cells
        )
