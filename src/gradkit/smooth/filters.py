"""Gaussian-derivative filtering (scipy.ndimage) of evenly spaced samples in any number of dimensions.

The data are smoothed with a Gaussian of width ``sigma`` samples along every axis, and the derivative along an
axis is the convolution with the Gaussian's derivative. Each axis is first extended by point reflection about
its end sample (2y₀ − y_k), which continues straight lines, so the edges are not pulled flat: a linear function
comes back exactly. The width is chosen by GCV; the hat matrix's diagonal is the kernel's central weight.
"""

from __future__ import annotations

import numpy as np

from gradkit.smooth.fit import Fit, cubic_trend, scipy_part

MIN_SAMPLES = 3
_TRUNCATE = 4.0


def _kernel(sigma: float, order: int) -> np.ndarray:
    """Correlation weights: the sampled Gaussian with unit sum, or its derivative with unit first moment.

    Normalising the derivative weights so that Σ k·w_k = 1 makes them exact for straight lines at any width
    (the sampled derivative of a narrow Gaussian is not).
    """
    radius = max(1, int(_TRUNCATE * sigma + 0.5))
    k = np.arange(-radius, radius + 1, dtype=float)
    g = np.exp(-0.5 * (k / sigma) ** 2)
    if order == 0:
        return g / g.sum()
    w = k * g
    return w / np.sum(k * w)


def _filter(y: np.ndarray, axis: int, weights: np.ndarray, periodic: bool) -> np.ndarray:
    return scipy_part("scipy.ndimage").correlate1d(y, weights, axis=axis, mode="wrap" if periodic else "nearest")


def gaussian_nd(
    y: np.ndarray, steps: list[float], axes: tuple[int, ...], sigma: float, *, periodic: bool = False
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Smoothed values and one derivative per axis in ``axes`` (steps in the coordinate's units)."""
    smooth_w, slope_w = _kernel(sigma, 0), _kernel(sigma, 1)
    padded, crop = _extend(y, axes, len(smooth_w) // 2, periodic)
    smooth = padded
    for a in axes:
        smooth = _filter(smooth, a, smooth_w, periodic)
    derivatives = []
    for a, step in zip(axes, steps):
        d = padded
        for b in axes:
            d = _filter(d, b, slope_w if a == b else smooth_w, periodic)
        derivatives.append(d[crop] / step)
    return smooth[crop], derivatives


def _extend(y: np.ndarray, axes: tuple[int, ...], radius: int, periodic: bool):
    """``y`` continued past its ends by point reflection (nothing for periodic axes), and the crop back."""
    if periodic:
        return y, tuple(slice(None) for _ in range(y.ndim))
    pad = [(radius, radius) if a in axes else (0, 0) for a in range(y.ndim)]
    padded = np.pad(y, pad, mode="reflect", reflect_type="odd")
    return padded, tuple(slice(p[0], p[0] + n) for p, n in zip(pad, y.shape))


def gaussian_fit(x: np.ndarray, y: np.ndarray, sigma: float, *, periodic: bool = False) -> Fit:
    """One evenly spaced line (coordinates in units of the step)."""
    step = float(x[1] - x[0])
    # Filtering the residual of a cubic trend keeps curvature at the ends from biasing them (see cubic_trend).
    trend, trend_slope = (np.zeros_like(y), np.zeros_like(y)) if periodic else cubic_trend(x, y)
    fitted, (slope,) = gaussian_nd(y - trend, [step], (0,), sigma, periodic=periodic)
    fitted, slope = fitted + trend, slope + trend_slope
    center = _kernel(sigma, 0)
    unit_std = np.full(len(y), float(np.sqrt(np.sum(_kernel(sigma, 1) ** 2))) / step)
    return Fit(fitted, slope, float(len(y) * center[len(center) // 2]), {"sigma": sigma}, unit_std)


def sigmas(n: int) -> np.ndarray:
    """Widths from half a sample to a sixth of the samples (at most 1000), a factor of about 1.25 apart."""
    largest = max(1.0, min(n / 6.0, 1000.0))
    return np.geomspace(0.5, largest, max(2, int(np.log(largest / 0.5) / np.log(1.25)) + 1))


def gaussian_tune(x: np.ndarray, y: np.ndarray, *, periodic: bool = False) -> Fit:
    best = None
    for s in sigmas(len(y)):
        fit = gaussian_fit(x, y, float(s), periodic=periodic)
        score = fit.gcv(y)
        if best is None or score < best[0]:
            best = (score, fit)
    return best[1]


def gaussian_tune_nd(y: np.ndarray, axes: tuple[int, ...], *, periodic: bool = False) -> tuple[float, float]:
    """The width (samples, the same on every axis in ``axes``) with the smallest GCV score, and that score."""
    best = None
    size = y.size
    for s in sigmas(min(y.shape[a] for a in axes)):
        weights = _kernel(float(s), 0)
        smooth, crop = _extend(y, axes, len(weights) // 2, periodic)
        for a in axes:
            smooth = _filter(smooth, a, weights, periodic)
        df = size * center_weight(float(s)) ** len(axes)
        score = size * float(np.sum((y - smooth[crop]) ** 2)) / max(size - df, 0.5) ** 2
        if best is None or score < best[0]:
            best = (score, float(s))
    return best[1], best[0]


def center_weight(sigma: float) -> float:
    """The central weight of the normalised Gaussian kernel (a smoother's hat diagonal per axis)."""
    k = _kernel(sigma, 0)
    return float(k[len(k) // 2])


def center_norm(sigma: float) -> float:
    """‖kernel‖₂: the noise left by smoothing along one axis, per unit noise."""
    return float(np.sqrt(np.sum(_kernel(sigma, 0) ** 2)))


def derivative_norm(sigma: float) -> float:
    """‖derivative kernel‖₂ per unit step: the derivative's noise per unit noise."""
    return float(np.sqrt(np.sum(_kernel(sigma, 1) ** 2)))


def fill_gaps(y: np.ndarray, mask: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
    """NaN samples replaced by a normalised convolution of their valid neighbours (Knutsson & Westin 1993)."""
    ndimage = scipy_part("scipy.ndimage")
    weights = (~mask).astype(float)
    filled = np.where(mask, 0.0, y)
    sigma = 1.0
    while True:
        num, den = filled, weights
        for a in axes:
            num = ndimage.gaussian_filter1d(num, sigma, axis=a, mode="mirror")
            den = ndimage.gaussian_filter1d(den, sigma, axis=a, mode="mirror")
        if np.all(den[mask] > 1e-8) or sigma > max(y.shape):
            break
        sigma *= 2.0  # a wide gap needs a wider neighbourhood
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(mask, num / den, y)
