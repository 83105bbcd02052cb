"""Total-variation regularised differentiation (Chartrand 2011), for derivatives with kinks and steps.

Chartrand finds the derivative u minimising α·TV(u) + ½‖Au − (y − y₀)‖², A the antiderivative. Its fitted
values v = Au + y₀ are piecewise linear wherever u is piecewise constant, and TV(u) is the sum of the jumps of
v's slopes, so the same minimiser solves min_v ½‖v − y‖² + α Σ |s_{i+1} − s_i|, s_i the slope between samples
i and i+1 (L1 trend filtering; Kim, Koh, Boyd & Gorinevsky 2009). That form needs no dense antiderivative
matrix: Chartrand's own lagged-diffusivity iteration becomes a pentadiagonal solve per step, O(n).
α is chosen by GCV, the degrees of freedom of such a fit being the number of its linear pieces plus one
(Tibshirani & Taylor 2011).
"""

from __future__ import annotations

import numpy as np

from gradkit.smooth.fit import Fit, scipy_part
from gradkit.smooth.noise import difference_noise

MIN_SAMPLES = 4
_ITERATIONS = 40


class _SlopeJumps:
    """The (n−2)×n operator from values to jumps of the slopes between neighbouring samples."""

    def __init__(self, x: np.ndarray):
        h = np.diff(x)
        self.h = h
        self.a = 1.0 / h[:-1]
        self.c = 1.0 / h[1:]
        self.b = -(self.a + self.c)

    def apply(self, v: np.ndarray) -> np.ndarray:
        return self.a * v[:-2] + self.b * v[1:-1] + self.c * v[2:]

    def normal_band(self, weights: np.ndarray, alpha: float) -> np.ndarray:
        """Upper band of I + α Dᵀ W D (3 rows), W = diag(weights)."""
        a, b, c, w = self.a, self.b, self.c, alpha * weights
        n = len(a) + 2
        ab = np.zeros((3, n))
        ab[2] = 1.0
        ab[2, :-2] += w * a * a
        ab[2, 1:-1] += w * b * b
        ab[2, 2:] += w * c * c
        ab[1, 1:-1] += w * a * b
        ab[1, 2:] += w * b * c
        ab[0, 2:] += w * a * c
        return ab


def _solve(ops: _SlopeJumps, y: np.ndarray, alpha: float, start: np.ndarray, eps: float) -> np.ndarray:
    linalg = scipy_part("scipy.linalg")
    v = start
    for _ in range(_ITERATIONS):
        jumps = ops.apply(v)
        # Lagged diffusivity: |s| ≈ s²/√(s_old² + ε²) makes each step a linear, symmetric positive definite solve.
        weights = 1.0 / np.sqrt(jumps * jumps + eps * eps)
        new = linalg.solveh_banded(ops.normal_band(weights, alpha), y)
        change = np.max(np.abs(new - v))
        v = new
        if change <= 1e-7 * (np.max(np.abs(y)) + 1e-300):
            break
    return v


def _slopes(x: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Slope at each sample: the mean of the slopes of the pieces on either side (one-sided at the ends)."""
    s = np.diff(v) / np.diff(x)
    out = np.empty_like(v)
    out[0], out[-1] = s[0], s[-1]
    out[1:-1] = 0.5 * (s[:-1] + s[1:])
    return out


def _fit(x, y, alpha, ops, start, eps) -> Fit:
    v = _solve(ops, y, alpha, start, eps)
    jumps = np.abs(ops.apply(v))
    # The iteration leaves tiny nonzero jumps where the exact minimiser has none: count the ones that matter.
    pieces = 1 + int(np.count_nonzero(jumps > max(10 * eps, 1e-2 * float(np.max(jumps, initial=0.0)))))
    return Fit(v, _slopes(x, v), float(min(pieces + 1, len(y))), {"alpha": alpha})


def _eps(x: np.ndarray, y: np.ndarray) -> float:
    span = float(np.ptp(y)) or 1.0
    return 1e-4 * span / float(np.ptp(x))


def tv_fit(x: np.ndarray, y: np.ndarray, alpha: float) -> Fit:
    """The total-variation regularised fit for weight ``alpha`` (coordinates in units of the mean step)."""
    return _fit(x, y, alpha, _SlopeJumps(x), y.copy(), _eps(x, y))


def tv_tune(x: np.ndarray, y: np.ndarray) -> Fit:
    """The fit whose α minimises GCV over a geometric grid scaled by the noise level.

    Each α starts from the data (a warm start from a sparser fit keeps its zero jumps: the lagged weights
    there are 1/ε), and the grid stops at α = σ/3, below which the count of pieces undercounts the
    degrees of freedom of a fit that follows the noise.
    """
    ops = _SlopeJumps(x)
    eps = _eps(x, y)
    sigma = difference_noise(y) or 1e-3 * (float(np.ptp(y)) or 1.0)
    best = None
    for t in np.arange(3.0, -0.51, -0.5):
        fit = _fit(x, y, sigma * 10.0**t, ops, y.copy(), eps)
        score = fit.gcv(y)
        if best is None or score < best[0]:
            best = (score, fit)
    return best[1]
