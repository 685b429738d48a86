"""The experiment results story in Chromium against a real hub: an
experiment with deliberately skewed exposures (a 50/50 rule, 1,000 against
700 units, conversions over four days) shows its three charts as SVG, the
sample-ratio warning, a CSV download with the right rows, every control on
the keyboard, and axe-core finds no serious violation."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from content_hub.cli import _create_key
from content_hub.domain.keys import Scope
from content_hub.settings import Settings
from tests.studio.browser import screens, tab_walk
from tests.studio.conftest import in_thread
from tests.studio.experiment_support import experiment_events, send_events

CHARTS = ("chart-exposures", "chart-conversion", "chart-intervals")


@pytest.fixture
def render_key(demo: Settings) -> str:
    return in_thread(lambda: _create_key(demo, "orchestrator", [Scope.RENDER]))


def test_skewed_experiment_results_page(
    page: Any, live: Any, render_key: str, tmp_path: Path
) -> None:
    with httpx.Client(base_url=live.url, timeout=30) as client:
        send_events(
            client,
            render_key,
            experiment_events("spring-headline", (1000, 700), (120, 98), days=4),
        )
        send_events(
            client,
            render_key,
            experiment_events("spring-headline", (0, 0), (0, 0), goal="signup")
            | {
                "conversions": [
                    {
                        "event_id": f"signup-{n}",
                        "goal": "signup",
                        "hash_value": f"spring-headline-v{n % 2}-u{n}",
                        "at": "2026-04-06T12:00:00+00:00",
                    }
                    for n in range(40)
                ]
            },
        )
    page.goto("/studio/experiments")
    page.get_by_role("link", name="Experiments", exact=True).wait_for()
    page.get_by_role("link", name="spring-headline", exact=True).click()
    page.wait_for_url("**/studio/experiments/spring-headline")
    for chart in CHARTS:
        page.locator(
            f"#{chart}[data-drawn='true'] svg .marks, #{chart}[data-drawn='true'] svg"
        ).first.wait_for()
        box = page.locator(f"#{chart}")
        assert box.get_attribute("role") == "img"
        assert box.get_attribute("aria-label")
        assert box.locator("svg path, svg line, svg circle").count() > 0, chart
    alert = page.get_by_role("alert")
    assert alert.is_visible()
    assert "Sample ratio mismatch" in alert.inner_text()
    assert "1000" in alert.inner_text() and "700" in alert.inner_text()

    with page.expect_download() as info:
        page.get_by_role("link", name="Download results (CSV)").click()
    saved = tmp_path / "results.csv"
    info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    by = {(r["goal"], r["variant"]): r for r in rows}
    assert sorted(by) == [
        ("purchase", "default"),
        ("purchase", "headline_b"),
        ("signup", "default"),
        ("signup", "headline_b"),
    ]
    assert (
        by["purchase", "default"]["units"],
        by["purchase", "headline_b"]["units"],
    ) == ("1000", "700")
    assert (
        by["purchase", "default"]["conversions"],
        by["purchase", "headline_b"]["conversions"],
    ) == ("120", "98")
    assert {r["srm_flagged"] for r in rows} == {"true"}

    focused = list(tab_walk(page, 40))
    names = {f["name"] for f in focused} | {f["text"] for f in focused}
    for control in ("goal", "bucket", "Show", "Download results (CSV)"):
        assert control in names, (control, focused)
    assert any(f["tag"] == "summary" for f in focused)
    assert all(
        f["outline"] for f in focused if f["tag"] in ("select", "button", "summary")
    )

    page.get_by_label("Goal", exact=True).select_option("signup")
    page.get_by_label("Time buckets", exact=True).select_option("hour")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**goal=signup**")
    page.locator("#chart-conversion[data-drawn='true'] svg").wait_for()
    page.get_by_text("Data table: Cumulative units per variation").click()
    assert (
        page.get_by_role("cell", name="1000").first.is_visible()
        or page.locator("text=1000").first.is_visible()
    )
    screens(page, "experiment-results")
