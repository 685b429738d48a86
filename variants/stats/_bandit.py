"""Multi-armed bandit weights by Thompson sampling (GrowthBook's scheme).

Each arm gets a normal posterior for its mean, prior ``N(0, 10^4)``:
``var_post = 1 / (1/10^4 + n / s^2)``, ``mu_post = var_post * (n / s^2) * ybar``.
``draws`` joint samples are taken from a seeded generator (deterministic); an
arm's raw weight is the share of draws in which it is best (``top_two``: best or
second best, halved). Every arm keeps at least ``min_share``:
``p_i = f + (1 - k f) w_i`` with ``f = min_share``. Before every arm has
``burn_in_units`` units, weights stay equal.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence

from variants._errors import VariantsError
from variants._models import ExperimentRule
from variants.stats._results import VariationData, mean_and_variance

__all__ = ["rule_bandit_weights", "thompson_weights"]

_PRIOR_VARIANCE = 1e4


def thompson_weights(
    arms: Sequence[VariationData],
    *,
    min_share: float = 0.01,
    draws: int = 10_000,
    seed: int = 0,
    top_two: bool = False,
    burn_in_units: int = 0,
    inverse: bool = False,
) -> list[float]:
    """New allocation weights (summing to 1) for the bandit's arms."""
    k = len(arms)
    if k < 2:
        raise VariantsError("a bandit needs at least two arms")
    if not 0 <= min_share * k <= 1:
        raise VariantsError("min_share times the number of arms must lie in [0, 1]")
    if any(a.units < burn_in_units for a in arms):
        return [1 / k] * k
    posteriors = []
    for arm in arms:
        mean, var = mean_and_variance(arm)
        precision = 1 / _PRIOR_VARIANCE + (arm.units / var if var > 0 else 0.0)
        post_var = 1 / precision
        post_mean = post_var * ((arm.units / var) * mean if var > 0 else 0.0)
        posteriors.append((post_mean, math.sqrt(post_var)))
    rng = random.Random(seed)
    wins = [0.0] * k
    sign = -1.0 if inverse else 1.0
    for _ in range(draws):
        sample = [sign * rng.gauss(mu, sd) for mu, sd in posteriors]
        order = sorted(range(k), key=sample.__getitem__, reverse=True)
        if top_two:
            wins[order[0]] += 0.5
            wins[order[1]] += 0.5
        else:
            wins[order[0]] += 1
    raw = [w / draws for w in wins]
    return [min_share + (1 - k * min_share) * w for w in raw]


def rule_bandit_weights(
    rule: ExperimentRule, arms: Sequence[VariationData], *, draws: int = 10_000
) -> list[float]:
    """New weights for a bandit experiment rule, from its :class:`BanditConfig`.

    ``arms`` follow ``rule.variations``; the service stores the result as the
    rule's ``weights`` (sticky bucketing keeps returning customers stable).
    """
    if rule.bandit is None:
        raise VariantsError(f"rule {rule.id!r} is not a bandit")
    if len(arms) != len(rule.variations):
        raise VariantsError("one VariationData per variation is needed")
    config = rule.bandit
    return thompson_weights(
        arms,
        min_share=config.min_share,
        draws=draws,
        seed=config.seed,
        burn_in_units=config.burn_in_units,
    )
