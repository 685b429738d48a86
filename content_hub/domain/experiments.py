"""Experiment results as the management API returns them."""

from __future__ import annotations

import msgspec


class GoalTotals(msgspec.Struct, frozen=True, kw_only=True):
    """One goal within one variation: converted units and value sums."""

    goal: str
    units: int
    """Units that converted after their first exposure."""
    conversions: int
    """Conversion events of those units (after their first exposure)."""
    value_sum: float = 0.0
    value_sum_squares: float = 0.0
    """Per unit: sums of the unit's total value (for value goals)."""


class VariationCounts(msgspec.Struct, frozen=True, kw_only=True):
    variation_id: int
    variant: str
    units: int
    """Unique hash values exposed to this variation."""
    exposures: int


class VariationStats(msgspec.Struct, frozen=True, kw_only=True):
    variation_id: int
    variant: str
    units: int
    conversions: int
    mean: float | None
    """Conversion rate (or mean value per exposed unit)."""


class ComparisonStats(msgspec.Struct, frozen=True, kw_only=True):
    """A treatment against the control (variation 0); null when undefined."""

    variation_id: int
    variant: str
    uplift: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    chance_to_beat_control: float | None
    expected_loss: float | None
    """Risk of choosing the treatment (expected relative loss)."""
    expected_loss_control: float | None
    std_error: float | None


class SrmStats(msgspec.Struct, frozen=True, kw_only=True):
    """Sample-ratio mismatch: chi-squared test of units against the weights."""

    weights: list[float]
    weights_source: str
    """``rules``: the published experiment rule; ``equal``: not in the published
    rules, so equal weights over the observed variations were assumed."""
    expected_units: list[float]
    chi2: float
    dof: int
    p_value: float
    flagged: bool


class GoalResults(msgspec.Struct, frozen=True, kw_only=True):
    goal: str
    metric: str
    """``conversion`` (rate of units that converted) or ``value`` (mean value)."""
    variations: list[VariationStats]
    comparisons: list[ComparisonStats]


class ExperimentResults(msgspec.Struct, frozen=True, kw_only=True):
    experiment_key: str
    known: bool
    """Whether the experiment is in the published rules."""
    notes: list[str] = []
    variations: list[VariationCounts]
    srm: SrmStats
    goals: list[GoalResults] = []
    multiple_exposures: int = 0
    """Units exposed to more than one variation (GrowthBook's data-quality check)."""
