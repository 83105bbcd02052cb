"""What every estimator returns, and the pieces they share: scores, probes, SciPy."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np

#: Random sign vectors estimate traces and variances of linear smoothers (Hutchinson 1989). A fixed seed keeps
#: results reproducible and the score a smooth function of the smoothing parameter.
PROBES = 16
_SEED = 20260


@dataclass
class Fit:
    """One estimator's answer on one line of samples.

    ``df`` is the trace of the smoother's hat matrix (the effective number of parameters), which turns the
    residuals into a score comparable across families (generalised cross-validation). ``unit_std`` is the
    standard deviation of the derivative for unit noise (multiply by the noise level), or None.
    """

    fitted: np.ndarray
    derivative: np.ndarray
    df: float
    params: dict = field(default_factory=dict)
    unit_std: np.ndarray | None = None
    #: The noise variance the method estimated itself (the state-space likelihood does); else None.
    noise_var: float | None = None

    def rss(self, y: np.ndarray) -> float:
        return float(np.sum((y - self.fitted) ** 2))

    def gcv(self, y: np.ndarray) -> float:
        """Generalised cross-validation score n·RSS/(n − df)² (Craven & Wahba 1979)."""
        n = len(y)
        room = max(n - self.df, 0.5)
        return n * self.rss(y) / room**2

    def noise_level(self, y: np.ndarray) -> float:
        if self.noise_var is not None:
            return float(np.sqrt(self.noise_var))
        return float(np.sqrt(self.rss(y) / max(len(y) - self.df, 1.0)))


def probes(n: int, count: int = PROBES) -> np.ndarray:
    """``count`` random ±1 columns of length ``n``, the same for every call."""
    rng = np.random.default_rng(_SEED)
    return rng.choice(np.array([-1.0, 1.0]), size=(n, count))


def probe_std(responses: np.ndarray) -> np.ndarray:
    """Per-point standard deviation of a linear map's output for unit white noise, from its responses to probes.

    E[(Gz)_i²] = Σ_j G_ij² for random signs z; a moving average over neighbours (whose variances differ
    little) steadies the estimate.
    """
    var = np.mean(responses**2, axis=1)
    width = min(len(var) - (1 - len(var) % 2), 2 * responses.shape[1] + 1)  # odd: centred on each point
    kernel = np.ones(width) / width
    padded = np.pad(var, width // 2, mode="edge")
    return np.sqrt(np.convolve(padded, kernel, mode="valid"))


def scipy_part(name: str):
    """Import a SciPy module, or say which extra to install."""
    try:
        return importlib.import_module(name)
    except ImportError as exc:  # pragma: no cover - SciPy is installed with the extra
        raise ImportError('smooth_gradient needs SciPy: pip install "gradkit[smooth]"') from exc


def uniform_step(x: np.ndarray) -> float | None:
    """The common step of evenly spaced coordinates, or None."""
    steps = np.diff(x)
    step = (x[-1] - x[0]) / (len(x) - 1)
    return float(step) if np.allclose(steps, step, rtol=1e-6, atol=0.0) else None


def cubic_trend(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and slopes of the least-squares cubic through the samples.

    A filter continued past the ends by point reflection sees a straight line there: a signal that curves at
    its ends (an exponential, most records cut from a longer one) is pulled straight, and its slope with it.
    Filtering the residual of a global cubic instead removes most of that bias, and makes the fit exact for
    cubics.
    """
    if len(x) < 8:
        return np.zeros_like(y), np.zeros_like(y)
    poly = np.polynomial.Polynomial.fit(x, y, 3)
    return poly(x), poly.deriv()(x)
