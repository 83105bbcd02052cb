"""Splines: a penalised cubic smoothing spline (penalty by GCV) and a regression spline (knots to the noise).

The spline minimising Σ (y_i − g(x_i))² + λ ∫ g''² is the natural cubic spline through the knots x_i whose
values g and second derivatives γ solve Reinsch's banded system (R + λ QᵀQ) γ = Qᵀ y, g = y − λ Q γ
(Green & Silverman 1994, ch. 2): O(n) with a banded Cholesky factorisation. It is the same spline
``scipy.interpolate.make_smoothing_spline`` returns for the same λ, whose own GCV search breaks down on large
or finely sampled data (a failed Cholesky factorisation near 10⁴–2·10⁵ samples); here the trace of the hat
matrix comes from random probes through the same factorisation, which stays well posed.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from gradkit.smooth.fit import Fit, probe_std, probes, scipy_part
from gradkit.smooth.noise import noise_of_differences

MIN_SAMPLES = 4


class _Reinsch:
    """The banded matrices of one set of knots (coordinates scaled to a unit mean step)."""

    def __init__(self, x: np.ndarray):
        self.h = np.diff(x)
        self.a = 1.0 / self.h[:-1]
        self.c = 1.0 / self.h[1:]
        self.b = -(self.a + self.c)
        self.n = len(x)

    def qt(self, v: np.ndarray) -> np.ndarray:
        a, b, c = (w[:, None] for w in (self.a, self.b, self.c))
        return a * v[:-2] + b * v[1:-1] + c * v[2:]

    def q(self, g: np.ndarray) -> np.ndarray:
        a, b, c = (w[:, None] for w in (self.a, self.b, self.c))
        out = np.zeros((self.n, g.shape[1]))
        out[:-2] += a * g
        out[1:-1] += b * g
        out[2:] += c * g
        return out

    def factor(self, lam: float) -> np.ndarray:
        h, a, b, c = self.h, self.a, self.b, self.c
        ab = np.zeros((3, self.n - 2))
        ab[2] = (h[:-1] + h[1:]) / 3 + lam * (a * a + b * b + c * c)
        ab[1, 1:] = h[1:-1] / 6 + lam * (b[:-1] * a[1:] + c[:-1] * b[1:])
        ab[0, 2:] = lam * c[:-2] * a[2:]
        return scipy_part("scipy.linalg").cholesky_banded(ab)

    def smooth(self, cholesky: np.ndarray, lam: float, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Fitted values and second derivatives at the knots for each column of data."""
        gamma = scipy_part("scipy.linalg").cho_solve_banded((cholesky, False), self.qt(columns))
        return columns - lam * self.q(gamma), gamma

    def slopes(self, g: np.ndarray, gamma: np.ndarray) -> np.ndarray:
        """The natural cubic spline's first derivative at its knots."""
        h = self.h[:, None]
        full = np.zeros_like(g)
        full[1:-1] = gamma
        out = np.empty_like(g)
        out[:-1] = (g[1:] - g[:-1]) / h - h * (2 * full[:-1] + full[1:]) / 6
        out[-1] = (g[-1] - g[-2]) / h[-1] + h[-1] * (full[-2] + 2 * full[-1]) / 6
        return out


def spline_fit(x: np.ndarray, y: np.ndarray, lam: float) -> Fit:
    """The smoothing spline for penalty ``lam`` (coordinates in units of the mean step)."""
    system = _Reinsch(x)
    z = probes(len(x))
    cholesky = system.factor(lam)
    g, gamma = system.smooth(cholesky, lam, np.column_stack([y, z]))
    slopes = system.slopes(g, gamma)
    df = float(np.mean(np.sum(z * g[:, 1:], axis=0)))
    return Fit(g[:, 0], slopes[:, 0], df, {"lam": lam}, unit_std=probe_std(slopes[:, 1:]))


def spline_tune(x: np.ndarray, y: np.ndarray) -> Fit:
    """The smoothing spline whose λ minimises GCV: a coarse scan of log λ, then Brent's method around the best."""
    optimize = scipy_part("scipy.optimize")
    system = _Reinsch(x)
    z = probes(len(x))
    columns = np.column_stack([y, z])
    n = len(x)

    def score(t: float) -> float:
        lam = 10.0**t
        try:
            cholesky = system.factor(lam)
        except np.linalg.LinAlgError:
            # So stiff that the penalty swamps the rest in rounding: nearly a straight line, never the optimum
            # of noisy data worth smoothing.
            return np.inf
        g, _ = system.smooth(cholesky, lam, columns)
        df = float(np.mean(np.sum(z * g[:, 1:], axis=0)))
        rss = float(np.sum((y - g[:, 0]) ** 2))
        return n * rss / max(n - df, 0.5) ** 2

    # With a unit step the spline's equivalent kernel is about λ^(1/4) samples wide: from one sample to all.
    grid = np.arange(-3.0, 4.0 * np.log10(n) + 1.0, 1.0)
    scores = [score(t) for t in grid]
    best = int(np.argmin(scores))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    t = optimize.minimize_scalar(score, bounds=(lo, hi), method="bounded", options={"xatol": 0.02}).x
    return spline_fit(x, y, 10.0**t)


def regression_fit(x: np.ndarray, y: np.ndarray, noise: float, degree: int = 5) -> Fit:
    """Least-squares spline of ``degree`` with knots added until the residual reaches the noise.

    FITPACK (``scipy.interpolate.UnivariateSpline``, Dierckx 1993) adds knots until the residual sum of squares
    falls to s = n·noise², the smoothing criterion Reinsch proposed: the fit then explains everything but the
    noise, with as few knots as that takes, placed where the residual was largest. A fixed set of knots makes it
    a projection, so its degrees of freedom are exactly its number of coefficients.
    """
    interpolate = scipy_part("scipy.interpolate")
    n = len(y)
    degree = min(degree, n - 1)
    with warnings.catch_warnings():
        # FITPACK warns when it reaches its knot limit or cannot meet s exactly; the fit it returns stands.
        warnings.simplefilter("ignore")
        curve = interpolate.UnivariateSpline(x, y, k=degree, s=n * noise**2)
    fitted = curve(x)
    slopes = curve.derivative()(x)
    inner = curve.get_knots()[1:-1]
    knots = np.concatenate([[x[0]] * (degree + 1), inner, [x[-1]] * (degree + 1)])
    probe_fit = interpolate.make_lsq_spline(x, probes(n), knots, k=degree)
    df = float(len(knots) - degree - 1)
    params = {"noise": noise, "degree": degree, "knots": len(inner) + 2}
    return Fit(fitted, slopes, df, params, unit_std=probe_std(probe_fit.derivative()(x)))


#: The least noise level a tuned regression spline assumes, relative to the largest |y|. Values computed in
#: double precision carry rounding of up to about this much (the output of a derivative: 1e-14 of its size,
#: more than an ulp), which the GCV spline may fit as signal (a noise level of 4e-18 on a line with 3e-15 of
#: it); FITPACK asked to follow it (a knot at nearly every sample, degree 5) gave slopes off by 1e5 at the ends.
ROUNDING_FLOOR = 1e-13


#: The differences whose spread `regression_tune` compares with the GCV spline's residual, and by how much
#: that residual must exceed it to be taken for the fit's bias rather than noise. On nearly noiseless data the
#: residual is the GCV spline's own bias (2.3e-5 on sin(1.5πt) at steps of 0.02, where the sixth differences
#: say 1.6e-8), and a regression spline fitted down to it erred by 1e-2 at the ends; where there is noise the
#: two agree within a factor of about 1.5, and the residual stands.
DIFFERENCE_ORDER = 6
BIAS_FACTOR = 3.0


def _difference_level(y: np.ndarray) -> float:
    """`BIAS_FACTOR` times the spread of the sixth differences, where it can be read: infinite where they are
    fewer than 10, or a quarter of them exactly 0 (quantised samples, ADC readings or encoder counts, whose
    differences are mostly 0 although the rounding is noise: their spread would say there is none)."""
    differences = np.diff(y, DIFFERENCE_ORDER)
    if len(differences) < 10 or np.count_nonzero(differences == 0) >= len(differences) / 4:
        return math.inf
    spread = noise_of_differences(differences, DIFFERENCE_ORDER)
    return BIAS_FACTOR * spread if spread > 0 else math.inf


def regression_tune(x: np.ndarray, y: np.ndarray, degree: int = 5, smoothing: Fit | None = None) -> Fit:
    """The regression spline for the noise level the GCV smoothing spline (``smoothing``, or a new one) leaves,
    unless sixth differences put it below a third of that (`BIAS_FACTOR`), and at least `ROUNDING_FLOOR` of the
    largest |y|."""
    reference = smoothing if smoothing is not None else spline_tune(x, y)
    level = min(reference.noise_level(y), _difference_level(y))
    floor = ROUNDING_FLOOR * float(np.max(np.abs(y))) if len(y) else 0.0
    return regression_fit(x, y, max(level, floor), degree)
