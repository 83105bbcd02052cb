"""Spectral differentiation of periodic, evenly spaced samples with a low-pass filter chosen by GCV.

The samples are taken as one period. Each Fourier coefficient of frequency k is multiplied by the gain
1/(1 + (k/k_c)⁸), flat below the cutoff k_c and steep above it, and by ik for the derivative. The smoother is
diagonal in the Fourier basis, so its degrees of freedom are the sum of the gains and GCV is exact and cheap
for every cutoff. Trigonometric polynomials below the cutoff come back exactly (to the filter's flatness).
"""

from __future__ import annotations

import numpy as np

from gradkit.smooth.fit import Fit

MIN_SAMPLES = 4
_ORDER = 8


def _gains(n: int, cutoff: float) -> np.ndarray:
    k = np.arange(n // 2 + 1, dtype=float)
    return 1.0 / (1.0 + (k / cutoff) ** _ORDER)


def _weights(n: int) -> np.ndarray:
    """How often each rfft coefficient appears in the full spectrum (for Parseval's sums)."""
    w = np.full(n // 2 + 1, 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    return w


def spectral_fit(x: np.ndarray, y: np.ndarray, cutoff: float, spectrum: np.ndarray | None = None) -> Fit:
    """Filtered values and derivative for a cutoff in harmonics of the period (coordinates: unit step)."""
    n = len(y)
    step = float(x[1] - x[0])
    period = n * step
    spectrum = np.fft.rfft(y) if spectrum is None else spectrum
    gain = _gains(n, cutoff)
    omega = 2 * np.pi * np.arange(n // 2 + 1) / period
    if n % 2 == 0:
        omega[-1] = 0.0  # the Nyquist term is its own mirror image: its derivative is not determined
    fitted = np.fft.irfft(spectrum * gain, n)
    slope = np.fft.irfft(1j * omega * gain * spectrum, n)
    weights = _weights(n)
    df = float(np.sum(weights * gain))
    unit_std = np.full(n, float(np.sqrt(np.sum(weights * (omega * gain) ** 2) / n)))
    return Fit(fitted, slope, df, {"cutoff": cutoff}, unit_std)


def spectral_tune(x: np.ndarray, y: np.ndarray) -> Fit:
    """The cutoff minimising GCV, over 32 cutoffs from 1 harmonic to the Nyquist frequency."""
    n = len(y)
    weights = _weights(n)
    spectrum = np.fft.rfft(y)
    power = weights * np.abs(spectrum) ** 2 / n  # Parseval: Σ power = Σ y²
    k8 = np.arange(n // 2 + 1, dtype=float) ** _ORDER
    best = None
    for cutoff in np.geomspace(1.0, max(n / 2, 1.5), 32):
        gain = 1.0 / (1.0 + k8 / cutoff**_ORDER)
        rss = float(np.sum(power * (1 - gain) ** 2))
        df = float(np.sum(weights * gain))
        score = n * rss / max(n - df, 0.5) ** 2
        if best is None or score < best[0]:
            best = (score, cutoff)
    return spectral_fit(x, y, float(best[1]), spectrum)
