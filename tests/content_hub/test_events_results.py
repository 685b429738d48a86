"""GET /manage/v1/experiments/{key}/results against hand-computed numbers."""

from __future__ import annotations

import math
from typing import Any

import pytest
from litestar.testing import TestClient
from scipy import stats as sps

from tests.content_hub.conftest import Keys
from tests.content_hub.events_support import at, fake_render
from tests.content_hub.factories import add_entry, add_type, publish

RESULTS = "/manage/v1/experiments/hero-test/results"


def exposure(
    event_id: str, unit: str, variation: int, minute: float = 0
) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "experiment_key": "hero-test",
        "variation_id": variation,
        "hash_value": unit,
        "at": at(minute),
    }


def conversion(
    event_id: str,
    unit: str,
    minute: float,
    goal: str = "purchase",
    value: float | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "event_id": event_id,
        "goal": goal,
        "hash_value": unit,
        "at": at(minute),
    }
    if value is not None:
        body["value"] = value
    return body


def send(
    client: TestClient[Any],
    keys: Keys,
    exposures: list[dict[str, Any]],
    conversions: list[dict[str, Any]],
) -> None:
    response = client.post(
        "/render/v1/events",
        json={"exposures": exposures, "conversions": conversions},
        headers=keys.headers("render"),
    )
    assert response.status_code == 202, response.text


@pytest.fixture
def recorded(client: TestClient[Any], keys: Keys) -> None:
    """10 control units (2 convert), 10 treatment units (5 convert)."""
    exposures = [exposure(f"xa{i}", f"a{i}", 0) for i in range(10)]
    exposures += [exposure(f"xb{i}", f"b{i}", 1) for i in range(10)]
    exposures.append(exposure("xa0-again", "a0", 0, minute=1))
    conversions = [
        conversion("ca0", "a0", 5, value=None),
        conversion("ca1", "a1", 5),
        conversion("ca2-before", "a2", -5),  # before the first exposure: not counted
        conversion("cz", "z", 5),  # never exposed: not counted
        conversion("ra0", "a0", 5, goal="revenue", value=10.0),
        conversion("ra0b", "a0", 6, goal="revenue", value=5.0),
        conversion("rb0", "b0", 5, goal="revenue", value=20.0),
        conversion("rb1", "b1", 5, goal="revenue", value=30.0),
    ]
    conversions += [conversion(f"cb{i}", f"b{i}", 5) for i in range(5)]
    conversions.append(conversion("cb0-twice", "b0", 7))
    send(client, keys, exposures, conversions)


def welch(
    mu_c: float, var_c: float, n_c: int, mu_t: float, var_t: float, n_t: int
) -> dict[str, float]:
    uplift = (mu_t - mu_c) / mu_c
    se = math.sqrt(var_c * mu_t**2 / (mu_c**4 * n_c) + var_t / (mu_c**2 * n_t))
    a_c, a_t = var_c / n_c, var_t / n_t
    dof = (a_c + a_t) ** 2 / (a_c**2 / (n_c - 1) + a_t**2 / (n_t - 1))
    z = uplift / se
    half = sps.t.ppf(0.975, dof) * se
    return {
        "uplift": uplift,
        "std_error": se,
        "p_value": 2 * sps.t.sf(abs(z), dof),
        "ci_low": uplift - half,
        "ci_high": uplift + half,
        "chance_to_beat_control": sps.norm.cdf(z),
        "expected_loss": se * sps.norm.pdf(z) - uplift * sps.norm.cdf(-z),
    }


@pytest.mark.usefixtures("recorded")
class TestResults:
    def test_conversion_goal_matches_hand_computed_statistics(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        response = client.get(
            RESULTS, params={"goal": "purchase"}, headers=keys.headers("manage")
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["known"] is False
        assert body["variations"] == [
            {"variation_id": 0, "variant": "0", "units": 10, "exposures": 11},
            {"variation_id": 1, "variant": "1", "units": 10, "exposures": 10},
        ]
        [goal] = body["goals"]
        assert goal["metric"] == "conversion"
        assert [
            (v["units"], v["conversions"], v["mean"]) for v in goal["variations"]
        ] == [
            (10, 2, 0.2),
            (10, 5, 0.5),
        ]
        [comparison] = goal["comparisons"]
        expected = welch(0.2, 0.2 * 0.8, 10, 0.5, 0.25, 10)
        assert comparison["uplift"] == pytest.approx(1.5)
        for name, value in expected.items():
            assert comparison[name] == pytest.approx(value, rel=1e-6), name
        srm = body["srm"]
        assert srm["weights_source"] == "equal"
        assert (srm["chi2"], srm["p_value"], srm["flagged"]) == (0.0, 1.0, False)
        assert any("equal weights" in note for note in body["notes"])

    def test_value_goal_uses_unit_sums_and_squares(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        body = client.get(
            RESULTS, params={"goal": "revenue"}, headers=keys.headers("manage")
        ).json()
        [goal] = body["goals"]
        assert goal["metric"] == "value"
        control, treatment = goal["variations"]
        assert (control["conversions"], control["mean"]) == (1, 1.5)  # a0: 10 + 5
        assert (treatment["conversions"], treatment["mean"]) == (2, 5.0)  # 20 + 30
        var_c = (15.0**2 - 15.0**2 / 10) / 9
        var_t = (20.0**2 + 30.0**2 - 50.0**2 / 10) / 9
        expected = welch(1.5, var_c, 10, 5.0, var_t, 10)
        for name, value in expected.items():
            assert goal["comparisons"][0][name] == pytest.approx(value, rel=1e-6), name

    def test_all_goals_by_default(self, client: TestClient[Any], keys: Keys) -> None:
        body = client.get(RESULTS, headers=keys.headers("manage")).json()
        assert [g["goal"] for g in body["goals"]] == ["purchase", "revenue"]

    def test_needs_manage_scope_and_unknown_is_404(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        assert client.get(RESULTS, headers=keys.headers("render")).status_code == 403
        missing = client.get(
            "/manage/v1/experiments/nope/results", headers=keys.headers("manage")
        )
        assert missing.status_code == 404
        assert missing.json()["type"].endswith("/not-found")
        nul = client.get(
            "/manage/v1/experiments/a%00b/results", headers=keys.headers("manage")
        )
        assert nul.status_code == 404
        nul_goal = client.get(
            RESULTS, params={"goal": "a\x00b"}, headers=keys.headers("manage")
        )
        assert nul_goal.status_code == 400
        assert nul_goal.json()["errors"][0]["loc"] == ["query", "goal"]
        bad = client.get(RESULTS, params={"goals": "x"}, headers=keys.headers("manage"))
        assert bad.status_code == 400


class TestSampleRatio:
    def test_a_skewed_split_is_flagged_against_the_published_weights(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        manage = keys.headers("manage")
        add_type(client, manage)
        entry = publish(
            client, manage, add_entry(client, manage, "hero", {"title": {"en": "Hi"}})
        )
        rules = [
            {
                "type": "experiment",
                "id": "exp",
                "key": "hero-test",
                "variations": ["default", "bold"],
                "weights": [0.5, 0.5],
            }
        ]
        fake_render(
            client,
            {entry["id"]: {"variants": {"bold": {"fields": {}}}, "rules": rules}},
        )
        exposures = [exposure(f"s0-{i}", f"p{i}", 0) for i in range(100)]
        exposures += [exposure(f"s1-{i}", f"q{i}", 1) for i in range(40)]
        for start in range(0, len(exposures), 100):
            send(client, keys, exposures[start : start + 100], [])
        body = client.get(RESULTS, headers=manage).json()
        assert body["known"] is True
        assert [v["variant"] for v in body["variations"]] == ["default", "bold"]
        srm = body["srm"]
        assert srm["weights_source"] == "rules"
        assert srm["expected_units"] == [70.0, 70.0]
        assert srm["chi2"] == pytest.approx(2 * 30**2 / 70)
        assert srm["p_value"] == pytest.approx(sps.chi2.sf(2 * 30**2 / 70, 1), rel=1e-6)
        assert srm["flagged"] is True

    def test_a_balanced_split_is_not_flagged(
        self, client: TestClient[Any], keys: Keys
    ) -> None:
        exposures = [exposure(f"s0-{i}", f"p{i}", 0) for i in range(50)]
        exposures += [exposure(f"s1-{i}", f"q{i}", 1) for i in range(46)]
        send(client, keys, exposures, [])
        srm = client.get(RESULTS, headers=keys.headers("manage")).json()["srm"]
        assert srm["flagged"] is False
        assert srm["p_value"] > 0.5
