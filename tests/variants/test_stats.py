"""Statistics checked against SciPy (tests only) and against direct simulation."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from variants.stats import (
    VariationData,
    chi2_sf,
    compare,
    experiment_results,
    mean_interval,
    normal_cdf,
    normal_ppf,
    srm_check,
    t_ppf,
    t_sf,
    thompson_weights,
)


@pytest.mark.parametrize("x", [-8.0, -3.1, -1.0, 0.0, 0.4, 1.96, 5.0])
def test_normal_cdf(x: float) -> None:
    assert normal_cdf(x) == pytest.approx(stats.norm.cdf(x), rel=1e-12, abs=1e-300)


@pytest.mark.parametrize("p", [1e-12, 1e-6, 0.01, 0.2, 0.5, 0.8, 0.975, 1 - 1e-9])
def test_normal_ppf(p: float) -> None:
    assert normal_ppf(p) == pytest.approx(stats.norm.ppf(p), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    ("x", "dof"),
    [
        (0.1, 1),
        (3.84, 1),
        (10.0, 3),
        (25.0, 4),
        (100.0, 2),
        (0.01, 5),
        (200.0, 30),
        (47.0, 49),
    ],
)
def test_chi2_sf(x: float, dof: int) -> None:
    assert chi2_sf(x, dof) == pytest.approx(stats.chi2.sf(x, dof), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("t", "dof"), [(1.96, 10), (-2.5, 3.3), (0.3, 1000.0), (5.0, 2), (12.0, 40)]
)
def test_t_sf_and_ppf(t: float, dof: float) -> None:
    assert t_sf(t, dof) == pytest.approx(stats.t.sf(t, dof), rel=1e-9, abs=1e-300)
    assert t_ppf(0.975, dof) == pytest.approx(stats.t.ppf(0.975, dof), rel=1e-9)


def _reference(c: VariationData, t: VariationData) -> dict[str, float]:
    """The same formulas written independently with numpy/scipy."""

    def mv(d: VariationData) -> tuple[float, float]:
        m = d.total / d.units
        if d.sum_squares is None:
            return m, m * (1 - m)
        return m, (d.sum_squares - d.total**2 / d.units) / (d.units - 1)

    (mc, vc), (mt, vt) = mv(c), mv(t)
    lift = mt / mc - 1
    se = np.sqrt(vc * mt**2 / (mc**4 * c.units) + vt / (mc**2 * t.units))
    ac, at = vc / c.units, vt / t.units
    dof = (ac + at) ** 2 / (ac**2 / (c.units - 1) + at**2 / (t.units - 1))
    post = stats.norm(loc=lift, scale=se)
    lo_mass = post.cdf(0)
    risk_t = (
        -stats.truncnorm.mean(-np.inf, (0 - lift) / se, loc=lift, scale=se) * lo_mass
    )
    risk_c = stats.truncnorm.mean((0 - lift) / se, np.inf, loc=lift, scale=se) * (
        1 - lo_mass
    )
    return {
        "uplift": lift,
        "std_error": se,
        "p_value": 2 * stats.t.sf(abs(lift / se), dof),
        "ci_low": lift - stats.t.ppf(0.975, dof) * se,
        "ci_high": lift + stats.t.ppf(0.975, dof) * se,
        "chance_to_beat_control": 1 - post.cdf(0),
        "risk_treatment": risk_t,
        "risk_control": risk_c,
        "credible_low": post.ppf(0.025),
        "credible_high": post.ppf(0.975),
    }


CASES = [
    (
        VariationData(key="c", units=10_000, total=1_000),
        VariationData(key="t", units=10_100, total=1_120),
    ),
    (
        VariationData(key="c", units=500, total=40),
        VariationData(key="t", units=480, total=31),
    ),
    (
        VariationData(key="c", units=2_000, total=61_000.0, sum_squares=4_100_000.0),
        VariationData(key="t", units=2_050, total=66_000.0, sum_squares=4_600_000.0),
    ),
]


@pytest.mark.parametrize(("control", "treatment"), CASES)
def test_compare_matches_reference(
    control: VariationData, treatment: VariationData
) -> None:
    got = compare(control, treatment)
    for field, value in _reference(control, treatment).items():
        assert getattr(got, field) == pytest.approx(value, rel=1e-7, abs=1e-12), field


def test_value_goal_variance_matches_numpy() -> None:
    rng = np.random.default_rng(3)
    values = rng.gamma(2.0, 15.0, size=3_000)
    data = VariationData(
        key="c",
        units=values.size,
        total=float(values.sum()),
        sum_squares=float((values**2).sum()),
    )
    res = experiment_results([data, data])
    assert res.variations[0].mean == pytest.approx(values.mean(), rel=1e-12)
    assert res.variations[0].variance == pytest.approx(values.var(ddof=1), rel=1e-9)


@pytest.mark.parametrize(
    ("observed", "weights"),
    [
        ([5_000, 5_000], [0.5, 0.5]),
        ([5_000, 5_250], [0.5, 0.5]),
        ([3_000, 3_400, 3_100], [1, 1, 1]),
        ([900, 100, 0], [0.9, 0.1, 0]),
    ],
)
def test_srm_matches_scipy(observed: list[int], weights: list[float]) -> None:
    res = srm_check(observed, weights)
    pairs = [(o, w) for o, w in zip(observed, weights, strict=True) if w > 0]
    total = sum(o for o, _ in pairs)
    expected = [w / sum(w for _, w in pairs) * total for _, w in pairs]
    ref = stats.chisquare([o for o, _ in pairs], expected)
    assert res.chi2 == pytest.approx(ref.statistic, rel=1e-12, abs=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-300)
    assert res.flagged is bool(ref.pvalue < 0.001)


def test_srm_flags_a_real_mismatch() -> None:
    assert srm_check([5_000, 5_400], [0.5, 0.5]).flagged
    assert not srm_check([5_000, 5_040], [0.5, 0.5]).flagged


def test_experiment_results_shape() -> None:
    res = experiment_results(list(CASES[0]), [0.5, 0.5])
    assert [v.key for v in res.variations] == ["c", "t"]
    assert res.variations[0].mean == pytest.approx(0.1)
    assert len(res.comparisons) == 1
    assert res.comparisons[0].chance_to_beat_control > 0.99


class TestThompson:
    ARMS = [
        VariationData(key="a", units=1_000, total=100),
        VariationData(key="b", units=1_000, total=130),
        VariationData(key="c", units=1_000, total=90),
    ]

    def test_deterministic_for_a_seed(self) -> None:
        assert thompson_weights(self.ARMS, seed=7, draws=2_000) == thompson_weights(
            self.ARMS, seed=7, draws=2_000
        )

    def test_weights_sum_to_one_and_keep_the_floor(self) -> None:
        weights = thompson_weights(self.ARMS, min_share=0.05, draws=4_000)
        assert math.fsum(weights) == pytest.approx(1.0)
        assert min(weights) >= 0.05
        assert max(range(3), key=weights.__getitem__) == 1

    def test_matches_best_arm_probability(self) -> None:
        rng = np.random.default_rng(0)
        means = [a.total / a.units for a in self.ARMS]
        sds = [math.sqrt(m * (1 - m) / 1_000) for m in means]
        samples = rng.normal(means, sds, size=(200_000, 3))
        best = np.bincount(samples.argmax(axis=1), minlength=3) / samples.shape[0]
        weights = thompson_weights(self.ARMS, min_share=0.0, draws=20_000)
        assert weights == pytest.approx(best.tolist(), abs=0.01)

    def test_burn_in_keeps_equal_weights(self) -> None:
        assert thompson_weights(self.ARMS, burn_in_units=5_000) == [1 / 3] * 3


def test_rule_bandit_weights_use_the_rule_config() -> None:
    from variants import BanditConfig, ExperimentRule, VariantsError
    from variants.stats import rule_bandit_weights

    rule = ExperimentRule(
        id="b",
        variations=["a", "b", "c"],
        bandit=BanditConfig(min_share=0.1, burn_in_units=100, seed=3),
    )
    weights = rule_bandit_weights(rule, TestThompson.ARMS, draws=2_000)
    assert min(weights) >= 0.1
    assert math.fsum(weights) == pytest.approx(1.0)
    with pytest.raises(VariantsError):
        rule_bandit_weights(
            ExperimentRule(id="x", variations=["a", "b"]), TestThompson.ARMS
        )


def test_srm_needs_a_minimum_of_units_per_variation() -> None:
    assert not srm_check([7, 40], [0.5, 0.5]).flagged
    assert srm_check([7, 40], [0.5, 0.5], min_units=0).flagged


@pytest.mark.parametrize(
    ("units", "converted"), [(1_000, 120), (50, 1), (7, 7), (400, 0)]
)
def test_mean_interval_of_a_rate_is_the_clipped_wald_interval(
    units: int, converted: int
) -> None:
    p = converted / units
    half = stats.norm.ppf(0.975) * math.sqrt(p * (1 - p) / units)
    low, high = mean_interval(VariationData(key="v", units=units, total=converted))
    assert low == pytest.approx(max(0.0, p - half), abs=1e-12)
    assert high == pytest.approx(min(1.0, p + half), abs=1e-12)
    assert 0.0 <= low <= p <= high <= 1.0


def test_mean_interval_of_a_value_goal_uses_the_sample_variance() -> None:
    values = np.random.default_rng(5).gamma(2.0, 10.0, size=500)
    data = VariationData(
        key="v",
        units=values.size,
        total=float(values.sum()),
        sum_squares=float((values**2).sum()),
    )
    low, high = mean_interval(data, alpha=0.1)
    half = stats.norm.ppf(0.95) * values.std(ddof=1) / math.sqrt(values.size)
    assert (low, high) == pytest.approx((values.mean() - half, values.mean() + half))
    assert all(
        math.isnan(x) for x in mean_interval(VariationData(key="e", units=0, total=0))
    )
