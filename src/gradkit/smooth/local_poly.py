"""Local polynomial least squares (Savitzky–Golay), on even or uneven samples, window chosen by GCV.

On evenly spaced samples this is ``scipy.signal.savgol_filter`` (with ``delta`` set, so the derivative is per
unit of the coordinate, and polynomial fits at the edges). On uneven samples each point gets its own least-squares
polynomial over the ``window`` samples around it (shifted inward at the edges), solved for all points at once.
A fit of degree p reproduces polynomials of degree p exactly.
"""

from __future__ import annotations

import numpy as np

from gradkit.smooth.fit import Fit, scipy_part, uniform_step

#: Degrees tried when tuning. Odd degrees cost nothing over the even one below: on a symmetric window the
#: fitted value of degree 2k+1 is that of degree 2k, and the slope is that of degree 2k+2.
DEGREES = (3, 5)
MIN_SAMPLES = 5
#: Uneven samples cost a least-squares solve per point and window: a shorter, coarser list of windows.
_UNEVEN_WIDEST = 501
#: Points per batch of local fits (bounds memory to a few tens of MB).
_BATCH_ENTRIES = 1 << 21


def savgol_fit(x: np.ndarray, y: np.ndarray, window: int, degree: int, *, periodic: bool = False) -> Fit:
    """The local polynomial fit of ``degree`` over ``window`` samples (coordinates in units of the mean step)."""
    step = uniform_step(x)
    if step is None:
        return _uneven_fit(x, y, window, degree)
    signal = scipy_part("scipy.signal")
    mode = "wrap" if periodic else "interp"
    fitted = signal.savgol_filter(y, window, degree, mode=mode)
    slope = signal.savgol_filter(y, window, degree, deriv=1, delta=step, mode=mode)
    slope_weights = signal.savgol_coeffs(window, degree, deriv=1, delta=step)
    # Interior values; the fits at the edges, evaluated off centre, are somewhat noisier.
    unit_std = np.full(len(y), float(np.sqrt(np.sum(slope_weights**2))))
    return Fit(
        fitted, slope, _even_trace(len(y), window, degree, periodic), {"window": window, "degree": degree}, unit_std
    )


def _even_trace(n: int, window: int, degree: int, periodic: bool) -> float:
    """Trace of the hat matrix: the central weight inside, and at each end the leverages of the edge fit.

    Near an edge ``savgol_filter`` evaluates one polynomial fitted to the first (last) ``window`` samples; the
    hat diagonal there is that fit's leverage, much larger than the central weight for wide windows.
    """
    t = np.linspace(-1.0, 1.0, window)
    q, _ = np.linalg.qr(np.vander(t, degree + 1))
    leverage = np.sum(q * q, axis=1)
    center = float(scipy_part("scipy.signal").savgol_coeffs(window, degree)[window // 2])
    if periodic:
        return center * n
    half = window // 2
    return float(center * (n - 2 * half) + 2 * np.sum(leverage[:half]))


def _uneven_fit(x: np.ndarray, y: np.ndarray, window: int, degree: int) -> Fit:
    n = len(x)
    half = window // 2
    starts = np.clip(np.arange(n) - half, 0, n - window)
    fitted = np.empty(n)
    slope = np.empty(n)
    hat = np.empty(n)
    unit_std = np.empty(n)
    batch = max(1, _BATCH_ENTRIES // (window * (degree + 1)))
    offsets = np.arange(window)
    for lo in range(0, n, batch):
        idx = np.arange(lo, min(lo + batch, n))
        cols = starts[idx, None] + offsets
        dx = x[cols] - x[idx, None]
        scale = np.max(np.abs(dx), axis=1, keepdims=True)
        t = dx / scale
        v = np.empty((*t.shape, degree + 1))
        v[..., 0] = 1.0
        for k in range(1, degree + 1):
            v[..., k] = v[..., k - 1] * t
        vt = v.transpose(0, 2, 1)
        gram_inv = np.linalg.inv(vt @ v)
        coef = (gram_inv @ (vt @ y[cols][..., None]))[..., 0]
        fitted[idx] = coef[:, 0]
        slope[idx] = coef[:, 1] / scale[:, 0]
        # The point's own row of the design is (1, 0, 0, ...): its hat weight is (VᵀV)⁻¹₀₀, and the slope's
        # weights have squared norm (VᵀV)⁻¹₁₁ (before rescaling).
        hat[idx] = gram_inv[:, 0, 0]
        unit_std[idx] = np.sqrt(gram_inv[:, 1, 1]) / scale[:, 0]
    return Fit(fitted, slope, float(np.sum(hat)), {"window": window, "degree": degree}, unit_std)


def windows(n: int, degree: int, count: int = 24) -> np.ndarray:
    """``count`` odd windows, geometrically spaced from the smallest to all samples (at most 2001)."""
    smallest = degree + 2 + (degree % 2 == 0)
    largest = max(smallest, min(n, 2001) - (1 - min(n, 2001) % 2))
    grid = np.unique(np.geomspace(smallest, largest, count).astype(int) | 1)
    return grid[(grid >= smallest) & (grid <= largest)]


def savgol_tune(x: np.ndarray, y: np.ndarray, *, periodic: bool = False, degree: int | None = None) -> Fit:
    """The window and degree with the smallest GCV score (the slopes are computed for the winner only)."""
    even = uniform_step(x) is not None
    best = None
    for p in (degree,) if degree is not None else DEGREES:
        if p + 2 > len(y):
            continue
        for w in windows(len(y), p, 16) if even else windows(min(len(y), _UNEVEN_WIDEST), p, 10):
            score = _even_score(y, int(w), p, periodic) if even else savgol_fit(x, y, int(w), p).gcv(y)
            if best is None or score < best[0]:
                best = (score, int(w), p)
    if best is None:
        raise ValueError(f"y: local polynomials need at least {MIN_SAMPLES} samples along the axis, got {len(y)}")
    return savgol_fit(x, y, best[1], best[2], periodic=periodic)


def _even_score(y: np.ndarray, window: int, degree: int, periodic: bool) -> float:
    fitted = scipy_part("scipy.signal").savgol_filter(y, window, degree, mode="wrap" if periodic else "interp")
    n = len(y)
    room = max(n - _even_trace(n, window, degree, periodic), 0.5)
    return n * float(np.sum((y - fitted) ** 2)) / room**2
