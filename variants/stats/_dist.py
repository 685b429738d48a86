"""Distribution functions implemented with ``math`` only (no SciPy at runtime).

* ``normal_cdf(x) = erfc(-x / sqrt 2) / 2``; ``normal_ppf`` by Acklam's rational
  approximation refined with two Newton steps (|error| < 1e-12).
* ``chi2_sf(x, k) = Q(k/2, x/2)``, the regularised upper incomplete gamma
  function, by its series for ``x < a + 1`` and Lentz's continued fraction
  otherwise (Numerical Recipes 6.2).
* ``t_cdf(t, nu)`` through the regularised incomplete beta function
  ``I_{nu/(nu+t^2)}(nu/2, 1/2)`` (continued fraction, NR 6.4); ``t_ppf`` by
  bisection on it.
"""

from __future__ import annotations

import math

__all__ = [
    "chi2_sf",
    "normal_cdf",
    "normal_pdf",
    "normal_ppf",
    "t_cdf",
    "t_ppf",
    "t_sf",
]

_EPS = 1e-15
_TINY = 1e-300
_MAX_ITER = 10_000


def normal_pdf(x: float) -> float:
    """Standard normal density."""
    return math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def normal_cdf(x: float) -> float:
    """Standard normal CDF, accurate in both tails."""
    return 0.5 * math.erfc(-x / math.sqrt(2))


_A = (
    -39.69683028665376,
    220.9460984245205,
    -275.9285104469687,
    138.3577518672690,
    -30.66479806614716,
    2.506628277459239,
)
_B = (
    -54.47609879822406,
    161.5858368580409,
    -155.6989798598866,
    66.80131188771972,
    -13.28068155288572,
)
_C = (
    -0.007784894002430293,
    -0.3223964580411365,
    -2.400758277161838,
    -2.549732539343734,
    4.374664141464968,
    2.938163982698783,
)
_D = (0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416)


def normal_ppf(p: float) -> float:
    """Inverse of :func:`normal_cdf` for ``0 < p < 1``."""
    if not 0 < p < 1:
        if p == 0:
            return -math.inf
        if p == 1:
            return math.inf
        raise ValueError("p must lie in [0, 1]")
    low = 0.02425
    if p < low:
        q = math.sqrt(-2 * math.log(p))
        x = (
            ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
        ) / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1)
    elif p > 1 - low:
        q = math.sqrt(-2 * math.log(1 - p))
        x = -(
            ((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]
        ) / ((((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1)
    else:
        q = p - 0.5
        r = q * q
        x = (
            (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5])
            * q
            / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1)
        )
    for _ in range(2):  # Newton refinement
        err = normal_cdf(x) - p
        x -= err / max(normal_pdf(x), _TINY)
    return x


def _gamma_series(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x) by its series."""
    term = total = 1.0 / a
    ap = a
    for _ in range(_MAX_ITER):
        ap += 1
        term *= x / ap
        total += term
        if abs(term) < abs(total) * _EPS:
            break
    return total * math.exp(-x + a * math.log(x) - math.lgamma(a))


def _gamma_cf(a: float, x: float) -> float:
    """Regularised upper incomplete gamma Q(a, x) by Lentz's continued fraction."""
    b = x + 1 - a
    c = 1 / _TINY
    d = 1 / b
    h = d
    for i in range(1, _MAX_ITER):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return math.exp(-x + a * math.log(x) - math.lgamma(a)) * h


def chi2_sf(x: float, dof: float) -> float:
    """Survival function ``P(X > x)`` of the chi-squared distribution."""
    if dof <= 0:
        raise ValueError("dof must be positive")
    if x <= 0:
        return 1.0
    a, half = dof / 2, x / 2
    if half < a + 1:
        return max(0.0, 1 - _gamma_series(a, half))
    return _gamma_cf(a, half)


def _beta_cf(a: float, b: float, x: float) -> float:
    qab, qap, qam = a + b, a + 1, a - 1
    c = 1.0
    d = 1 - qab * x / qap
    d = _TINY if abs(d) < _TINY else d
    d = 1 / d
    h = d
    for m in range(1, _MAX_ITER):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d
        d = _TINY if abs(d) < _TINY else d
        c = 1 + aa / c
        c = _TINY if abs(c) < _TINY else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return h


def _beta_inc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta ``I_x(a, b)``."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b)
        - math.lgamma(a)
        - math.lgamma(b)
        + a * math.log(x)
        + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1) / (a + b + 2):
        return front * _beta_cf(a, b, x) / a
    return 1 - front * _beta_cf(b, a, 1 - x) / b


def t_sf(t: float, dof: float) -> float:
    """``P(T > t)`` for Student's t with ``dof`` degrees of freedom."""
    if math.isinf(dof):
        return normal_cdf(-t)
    tail = 0.5 * _beta_inc(dof / 2, 0.5, dof / (dof + t * t))
    return tail if t > 0 else 1 - tail


def t_cdf(t: float, dof: float) -> float:
    """``P(T <= t)`` for Student's t."""
    return 1 - t_sf(t, dof)


def t_ppf(p: float, dof: float) -> float:
    """Inverse of :func:`t_cdf` by bisection (|error| < 1e-10)."""
    if math.isinf(dof):
        return normal_ppf(p)
    if p == 0.5:
        return 0.0
    sign = 1.0 if p > 0.5 else -1.0
    tail = 1 - p if p > 0.5 else p
    lo, hi = 0.0, 1.0
    while t_sf(hi, dof) > tail:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if t_sf(mid, dof) > tail:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-12:
            break
    return sign * (lo + hi) / 2
