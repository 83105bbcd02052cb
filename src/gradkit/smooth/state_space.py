"""Kalman/RTS smoothing of a constant-velocity state-space model, its noise variances fitted by likelihood.

The state at sample k is (value, slope); between samples h apart the slope takes a random walk (white
acceleration of spectral density q, the integrated Wiener process), and each sample is the value plus white
noise of variance r. The Rauch–Tung–Striebel smoother's answer is the posterior mean of all states given all
samples, the solution of one symmetric block-tridiagonal system (the model's information form); it is solved
here with a banded Cholesky factorisation, O(n) like the recursions and without a Python loop. The ratio
λ = r/q maximises the marginal likelihood of the samples (r profiled out, the initial state diffuse), whose
log-determinant comes from the same factor (Kohn & Ansley 1987). The posterior mean of the value equals the
cubic smoothing spline with penalty λ (Wahba 1978); the criterion, not the model, differs from ``spline``.
"""

from __future__ import annotations

import numpy as np

from gradkit.smooth.fit import Fit, probe_std, probes, scipy_part

MIN_SAMPLES = 3


def _noise_precision(h: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Entries a, b, c of the inverse process-noise covariance [[a, b], [b, c]] per unit q, per interval."""
    hq = np.maximum(h, 0.25)
    return 12 / hq**3, -6 / hq**2, 4 / hq


def _quadratic(h: np.ndarray, lam: float, y: np.ndarray, values: np.ndarray, slopes: np.ndarray) -> float:
    """yᵀ(y − ŷ) at the optimum, as the sum of its two non-negative parts (no cancellation for large y)."""
    a, b, c = _noise_precision(h)
    dv = values[1:] - values[:-1] - h * slopes[:-1]
    ds = slopes[1:] - slopes[:-1]
    penalty = np.sum(a * dv * dv + 2 * b * dv * ds + c * ds * ds)
    return float(np.sum((y - values) ** 2) + lam * penalty)


def _precision(h: np.ndarray, lam: float) -> np.ndarray:
    """Lower band (4 rows) of HᵀH + λ Σ Dₖᵀ Q̃ₖ⁻¹ Dₖ for states ordered value₀, slope₀, value₁, slope₁, …"""
    size = 2 * (len(h) + 1)
    ab = np.zeros((4, size))
    ab[0, 0::2] = 1.0  # each sample observes its value
    # Q̃⁻¹ = [[a, b], [b, c]] grows like h⁻³: over nearly coincident samples (random sampling has them) it
    # would make the system numerically singular, so process noise accrues over at least a quarter mean step.
    a, b, c = (lam * w for w in _noise_precision(h))
    # Earlier state: FᵀQ̃⁻¹F with F = [[1, h], [0, 1]]; later state: Q̃⁻¹; between them: −Q̃⁻¹F.
    ab[0, 0:-2:2] += a
    ab[1, 0:-2:2] += a * h + b
    ab[0, 1:-2:2] += a * h * h + 2 * b * h + c
    ab[0, 2::2] += a
    ab[1, 2::2] += b
    ab[0, 3::2] += c
    ab[2, 0:-2:2] = -a  # value_{k+1}, value_k
    ab[1, 1:-2:2] = -(a * h + b)  # value_{k+1}, slope_k
    ab[3, 0:-2:2] = -b  # slope_{k+1}, value_k
    ab[2, 1:-2:2] = -(b * h + c)  # slope_{k+1}, slope_k
    return ab


def _solve(h: np.ndarray, lam: float, columns: np.ndarray):
    linalg = scipy_part("scipy.linalg")
    factor = linalg.cholesky_banded(_precision(h, lam), lower=True)
    rhs = np.zeros((2 * len(columns), columns.shape[1]))
    rhs[0::2] = columns
    states = linalg.cho_solve_banded((factor, True), rhs)
    return factor, states


def _neg_log_likelihood(h: np.ndarray, y: np.ndarray, t: float) -> float:
    lam = 10.0**t
    n = len(y)
    try:
        factor, states = _solve(h, lam, y[:, None])
    except np.linalg.LinAlgError:
        return np.inf  # so stiff a model that the system is singular to working precision: not the optimum
    # yᵀ(y − ŷ): the profiled residual quadratic form; −2 log L up to a constant (see the module docstring).
    quad = _quadratic(h, lam, y, states[0::2, 0], states[1::2, 0])
    logdet = 2.0 * np.sum(np.log(factor[0]))
    return (n - 2) * np.log(max(quad, 1e-300) / (n - 2)) - 2 * (n - 1) * np.log(lam) + logdet


def kalman_fit(x: np.ndarray, y: np.ndarray, ratio: float) -> Fit:
    """The smoother for the variance ratio ``ratio`` = r/q (coordinates in units of the mean step)."""
    h = np.diff(x)
    z = probes(len(y))
    _, states = _solve(h, ratio, np.column_stack([y, z]))
    values, slopes = states[0::2], states[1::2]
    n = len(y)
    df = float(np.mean(np.sum(z * values[:, 1:], axis=0)))
    noise_var = _quadratic(h, ratio, y, values[:, 0], slopes[:, 0]) / max(n - 2, 1)
    params = {"ratio": ratio, "process_var": noise_var / ratio, "noise_var": noise_var}
    return Fit(values[:, 0], slopes[:, 0], df, params, unit_std=probe_std(slopes[:, 1:]), noise_var=noise_var)


def kalman_tune(x: np.ndarray, y: np.ndarray) -> Fit:
    """The smoother whose variance ratio maximises the marginal likelihood."""
    optimize = scipy_part("scipy.optimize")
    h = np.diff(x)
    grid = np.arange(-3.0, 4.0 * np.log10(len(y)) + 1.0, 1.0)
    scores = [_neg_log_likelihood(h, y, t) for t in grid]
    best = int(np.argmin(scores))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    t = optimize.minimize_scalar(
        lambda s: _neg_log_likelihood(h, y, s), bounds=(lo, hi), method="bounded", options={"xatol": 0.02}
    ).x
    return kalman_fit(x, y, 10.0**t)
