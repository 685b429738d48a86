"""Experiment results from exposure and conversion counts (GrowthBook's formulas).

Per variation ``i`` with ``n_i`` exposed units and goal sums ``S_i`` (and
``Q_i`` = sum of squares for value goals):

* mean ``mu_i = S_i / n_i`` (for a conversion goal the conversion rate);
* per-unit variance: proportions ``mu (1 - mu)``; means
  ``s^2 = (Q - S^2 / n) / (n - 1)``.

Treatment ``T`` against control ``C`` (variation 0):

* relative uplift ``D = (mu_T - mu_C) / mu_C`` with the delta-method variance
  ``V = s_C^2 mu_T^2 / (mu_C^4 n_C) + s_T^2 / (mu_C^2 n_T)``, ``se = sqrt V``;
* frequentist (Welch): ``t = D / se``, degrees of freedom by Welch-Satterthwaite
  ``nu = (a_C + a_T)^2 / (a_C^2/(n_C-1) + a_T^2/(n_T-1))`` with
  ``a = s^2 / n``; two-sided ``p = 2 P(T_nu > |t|)``; interval
  ``D +/- t_{nu, 0.975} se``;
* Bayesian (normal posterior on ``D``, flat prior, GrowthBook's default):
  chance to beat control ``1 - Phi(-D / se)``; expected loss (risk) of choosing
  the treatment ``se phi(D/se) - D Phi(-D/se)`` (= ``-E[min(X, 0)]``) and of
  keeping control ``se phi(D/se) + D Phi(D/se)`` (= ``E[max(X, 0)]``), in units
  of relative uplift; credible interval ``D +/- z_{0.975} se``.

A variation's own interval (:func:`mean_interval`) is the normal (Wald)
interval ``mu +/- z_{0.975} sqrt(s^2 / n)``; a conversion rate's is clipped
to ``[0, 1]``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated

import msgspec
from msgspec import Meta

from variants.stats._dist import normal_cdf, normal_pdf, normal_ppf, t_ppf, t_sf
from variants.stats._srm import SrmResult, srm_check

__all__ = [
    "Comparison",
    "ExperimentResults",
    "VariationData",
    "VariationSummary",
    "compare",
    "experiment_results",
    "mean_and_variance",
    "mean_interval",
]


class VariationData(msgspec.Struct, frozen=True, kw_only=True):
    """Counts for one variation: units exposed and the goal's sum(s).

    For a conversion goal ``total`` is the number of converted units and
    ``sum_squares`` stays None; for a value goal give both sums.
    """

    key: str
    units: Annotated[int, Meta(ge=0)]
    total: float
    sum_squares: float | None = None


class VariationSummary(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    units: int
    mean: float
    """Conversion rate (or mean value) per exposed unit."""
    variance: float


class Comparison(msgspec.Struct, frozen=True, kw_only=True):
    """A treatment against control (variation 0)."""

    key: str
    uplift: float
    """Relative uplift ``(mu_T - mu_C) / mu_C``."""
    std_error: float
    ci_low: float
    ci_high: float
    p_value: float
    dof: float
    chance_to_beat_control: float
    risk_treatment: float
    risk_control: float
    credible_low: float
    credible_high: float


class ExperimentResults(msgspec.Struct, frozen=True, kw_only=True):
    variations: list[VariationSummary]
    comparisons: list[Comparison]
    srm: SrmResult


def mean_and_variance(data: VariationData) -> tuple[float, float]:
    """Mean and per-unit variance from counts, sums and sums of squares."""
    n = data.units
    if n <= 0:
        return 0.0, 0.0
    mean = data.total / n
    if data.sum_squares is None:
        return mean, mean * (1 - mean)
    if n < 2:
        return mean, 0.0
    return mean, max(0.0, (data.sum_squares - data.total**2 / n) / (n - 1))


def mean_interval(data: VariationData, *, alpha: float = 0.05) -> tuple[float, float]:
    """The ``1 - alpha`` interval of a variation's mean (NaN without units)."""
    if data.units <= 0:
        return math.nan, math.nan
    mean, variance = mean_and_variance(data)
    half = normal_ppf(1 - alpha / 2) * math.sqrt(variance / data.units)
    if data.sum_squares is None:
        return max(0.0, mean - half), min(1.0, mean + half)
    return mean - half, mean + half


def compare(
    control: VariationData, treatment: VariationData, *, alpha: float = 0.05
) -> Comparison:
    """Relative uplift of ``treatment`` over ``control`` (see the module doc)."""
    mu_c, var_c = mean_and_variance(control)
    mu_t, var_t = mean_and_variance(treatment)
    n_c, n_t = control.units, treatment.units
    if n_c < 2 or n_t < 2 or mu_c == 0:
        nan = math.nan
        return Comparison(
            key=treatment.key,
            uplift=nan,
            std_error=nan,
            ci_low=nan,
            ci_high=nan,
            p_value=nan,
            dof=nan,
            chance_to_beat_control=nan,
            risk_treatment=nan,
            risk_control=nan,
            credible_low=nan,
            credible_high=nan,
        )
    uplift = (mu_t - mu_c) / mu_c
    variance = var_c * mu_t**2 / (mu_c**4 * n_c) + var_t / (mu_c**2 * n_t)
    se = math.sqrt(variance)
    a_c, a_t = var_c / n_c, var_t / n_t
    denom = a_c**2 / (n_c - 1) + a_t**2 / (n_t - 1)
    dof = (a_c + a_t) ** 2 / denom if denom > 0 else math.inf
    if se == 0:
        p_value = 1.0 if uplift == 0 else 0.0
        chance = 0.5 if uplift == 0 else float(uplift > 0)
        risk_t = max(0.0, -uplift)
        risk_c = max(0.0, uplift)
        half_t = half_z = 0.0
    else:
        z = uplift / se
        p_value = min(1.0, 2 * t_sf(abs(z), dof))
        chance = normal_cdf(z)
        risk_t = se * normal_pdf(z) - uplift * normal_cdf(-z)
        risk_c = se * normal_pdf(z) + uplift * normal_cdf(z)
        half_t = t_ppf(1 - alpha / 2, dof) * se
        half_z = normal_ppf(1 - alpha / 2) * se
    return Comparison(
        key=treatment.key,
        uplift=uplift,
        std_error=se,
        ci_low=uplift - half_t,
        ci_high=uplift + half_t,
        p_value=p_value,
        dof=dof,
        chance_to_beat_control=chance,
        risk_treatment=risk_t,
        risk_control=risk_c,
        credible_low=uplift - half_z,
        credible_high=uplift + half_z,
    )


def experiment_results(
    variations: Sequence[VariationData],
    weights: Sequence[float] | None = None,
    *,
    alpha: float = 0.05,
    srm_threshold: float = 0.001,
) -> ExperimentResults:
    """Summaries, comparisons against variation 0 and the SRM check."""
    summaries = []
    for v in variations:
        mean, var = mean_and_variance(v)
        summaries.append(
            VariationSummary(key=v.key, units=v.units, mean=mean, variance=var)
        )
    comparisons = [compare(variations[0], v, alpha=alpha) for v in variations[1:]]
    expected = list(weights) if weights is not None else [1.0] * len(variations)
    srm = srm_check([v.units for v in variations], expected, threshold=srm_threshold)
    return ExperimentResults(variations=summaries, comparisons=comparisons, srm=srm)
