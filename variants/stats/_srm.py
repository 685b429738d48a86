"""Sample-ratio mismatch: Pearson's chi-squared goodness of fit.

``x = sum_i (o_i - e_i)^2 / e_i`` over variations with positive weight, with
``e_i = w_i / sum(w) * sum(o)``; ``p = chi2_sf(x, k - 1)``; flagged when
``p < threshold`` (GrowthBook's default 0.001) and every variation has at
least ``min_units`` units (GrowthBook shows the warning from 8 per variation).
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from variants._errors import VariantsError
from variants.stats._dist import chi2_sf

__all__ = ["SrmResult", "srm_check"]


class SrmResult(msgspec.Struct, frozen=True, kw_only=True):
    chi2: float
    dof: int
    p_value: float
    flagged: bool


def srm_check(
    observed: Sequence[int],
    weights: Sequence[float],
    *,
    threshold: float = 0.001,
    min_units: int = 8,
) -> SrmResult:
    """Test the observed unit counts against the expected split ``weights``."""
    if len(observed) != len(weights):
        raise VariantsError("observed counts and weights differ in length")
    pairs = [(o, w) for o, w in zip(observed, weights, strict=True) if w > 0]
    total_w = sum(w for _, w in pairs)
    total_o = sum(o for o, _ in pairs)
    if len(pairs) < 2 or total_o == 0:
        return SrmResult(
            chi2=0.0, dof=max(0, len(pairs) - 1), p_value=1.0, flagged=False
        )
    x = 0.0
    for o, w in pairs:
        e = w / total_w * total_o
        x += (o - e) ** 2 / e
    dof = len(pairs) - 1
    p = chi2_sf(x, dof)
    enough = all(o >= min_units for o, _ in pairs)
    return SrmResult(chi2=x, dof=dof, p_value=p, flagged=enough and p < threshold)
