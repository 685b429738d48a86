"""Experiment results as the management API returns them."""

from __future__ import annotations

from datetime import datetime

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
    ci_low: float | None = None
    ci_high: float | None = None
    """95 % interval of ``mean`` (normal approximation, a rate clipped to
    [0, 1]; ``variants.stats.mean_interval``); null without units."""


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


class ExposurePoint(msgspec.Struct, frozen=True, kw_only=True):
    """One variation in one time bucket (see :class:`ExperimentTimeline`)."""

    at: datetime
    """Start of the bucket (UTC)."""
    units: int
    """Units whose first exposure falls in the bucket."""
    cumulative_units: int


class ExposureSeries(msgspec.Struct, frozen=True, kw_only=True):
    variation_id: int
    variant: str
    points: list[ExposurePoint]


class ConversionPoint(msgspec.Struct, frozen=True, kw_only=True):
    at: datetime
    converted: int
    """Units whose first conversion (after their first exposure) is in the bucket."""
    conversions: int
    """Conversion events in the bucket (after the unit's first exposure)."""
    value: float
    """Sum of their values."""
    cumulative_units: int
    cumulative_converted: int
    cumulative_conversions: int
    cumulative_value: float
    mean: float | None
    """The goal's metric so far: ``cumulative_converted / cumulative_units``
    (conversion goal) or ``cumulative_value / cumulative_units`` (value
    goal); null before the first unit."""


class ConversionSeries(msgspec.Struct, frozen=True, kw_only=True):
    variation_id: int
    variant: str
    points: list[ConversionPoint]


class GoalTimeline(msgspec.Struct, frozen=True, kw_only=True):
    goal: str
    metric: str
    series: list[ConversionSeries]


class ExperimentTimeline(msgspec.Struct, frozen=True, kw_only=True):
    """Exposures and conversions per variation in time buckets.

    ``buckets`` are the bucket starts (UTC) in which anything happened, and
    every series has one point per bucket (cumulative values carry over), so
    the last point of a series equals the variation's totals in the results.
    """

    experiment_key: str
    bucket: str
    """``day`` or ``hour`` (UTC)."""
    buckets: list[datetime]
    exposures: list[ExposureSeries]
    goals: list[GoalTimeline] = []
