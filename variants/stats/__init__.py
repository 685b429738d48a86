"""Experiment statistics: uplift, Bayesian and frequentist summaries, SRM, bandits.

Pure Python (``math`` and ``random``); the formulas are in each module's
docstring and follow GrowthBook's statistics documentation.
"""

from variants.stats._bandit import rule_bandit_weights, thompson_weights
from variants.stats._dist import (
    chi2_sf,
    normal_cdf,
    normal_pdf,
    normal_ppf,
    t_cdf,
    t_ppf,
    t_sf,
)
from variants.stats._results import (
    Comparison,
    ExperimentResults,
    VariationData,
    VariationSummary,
    compare,
    experiment_results,
    mean_and_variance,
    mean_interval,
)
from variants.stats._srm import SrmResult, srm_check

__all__ = [
    "Comparison",
    "ExperimentResults",
    "SrmResult",
    "VariationData",
    "VariationSummary",
    "chi2_sf",
    "compare",
    "experiment_results",
    "mean_and_variance",
    "mean_interval",
    "normal_cdf",
    "normal_pdf",
    "normal_ppf",
    "rule_bandit_weights",
    "srm_check",
    "t_cdf",
    "t_ppf",
    "t_sf",
    "thompson_weights",
]
