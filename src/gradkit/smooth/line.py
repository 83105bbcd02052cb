"""One line of samples: gaps out, long lines binned, coordinates scaled, one estimator, answers put back in place."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gradkit.smooth import filters, local_poly, spectral, spline, state_space, total_variation
from gradkit.smooth.choose import choose
from gradkit.smooth.fit import Fit, scipy_part, uniform_step

METHODS = ("auto", "regression", "spline", "savgol", "tv", "kalman", "gaussian", "spectral")
#: The parameter ``smoothing=`` sets, per method.
PARAMETER = {
    "regression": "noise",
    "spline": "lam",
    "savgol": "window",
    "tv": "alpha",
    "kalman": "ratio",
    "gaussian": "sigma",
    "spectral": "cutoff",
}
MIN_SAMPLES = {
    "auto": local_poly.MIN_SAMPLES,
    "regression": spline.MIN_SAMPLES,
    "spline": spline.MIN_SAMPLES,
    "savgol": local_poly.MIN_SAMPLES,
    "tv": total_variation.MIN_SAMPLES,
    "kalman": state_space.MIN_SAMPLES,
    "gaussian": filters.MIN_SAMPLES,
    "spectral": spectral.MIN_SAMPLES,
}
#: Longer lines are averaged over runs of consecutive samples down to about this many points before fitting:
#: every estimator's tuning then costs the same however long the data, and the mean of b samples has the noise
#: of one divided by √b, so little is lost while the runs stay narrower than the smoothing.
MAX_POINTS = 4000


@dataclass
class LineAnswer:
    fitted: np.ndarray
    derivative: np.ndarray
    std: np.ndarray | None
    method: str
    params: dict
    noise: float
    scores: dict = field(default_factory=dict)


def _tuner(method: str, periodic: bool, degree: int | None):
    return {
        "regression": lambda x, y: spline.regression_tune(x, y, 5 if degree is None else degree),
        "spline": spline.spline_tune,
        "savgol": lambda x, y: local_poly.savgol_tune(x, y, periodic=periodic, degree=degree),
        "tv": total_variation.tv_tune,
        "kalman": state_space.kalman_tune,
        "gaussian": lambda x, y: filters.gaussian_tune(x, y, periodic=periodic),
        "spectral": spectral.spectral_tune,
    }[method]


def refit(method: str, x: np.ndarray, y: np.ndarray, params: dict, *, periodic: bool = False) -> Fit:
    """The fit of ``method`` with its parameters given (coordinates in units of the mean step)."""
    if method == "regression":
        return spline.regression_fit(x, y, float(params["noise"]), int(params.get("degree") or 5))
    if method == "spline":
        return spline.spline_fit(x, y, float(params["lam"]))
    if method == "savgol":
        window = min(int(params["window"]), len(y) - (1 - len(y) % 2))
        return local_poly.savgol_fit(x, y, window, min(int(params["degree"]), window - 1), periodic=periodic)
    if method == "tv":
        return total_variation.tv_fit(x, y, float(params["alpha"]))
    if method == "kalman":
        return state_space.kalman_fit(x, y, float(params["ratio"]))
    if method == "gaussian":
        return filters.gaussian_fit(x, y, float(params["sigma"]), periodic=periodic)
    return spectral.spectral_fit(x, y, float(params["cutoff"]))


def candidates(uniform: bool, periodic: bool, n: int = 0) -> tuple[str, ...]:
    """The estimators "auto" compares, the usual winners first.

    Total variation is left out: GCV needs its degrees of freedom, and the count of linear pieces of its
    approximate solution undercounts them on sharp, nearly noiseless features, where it then wins with a
    derivative as rough as differencing (benchmarks/noisy.py, "stepped" at 100 samples). It stays available
    as ``method="tv"`` for kinks.
    """
    if periodic and uniform:
        # Long periodic lines are not binned (the wrap-around would break): only the FFT stays fast there.
        return ("spectral",) if n > MAX_POINTS else ("spectral", "gaussian", "savgol")
    if uniform:
        return ("regression", "regression3", "spline", "savgol", "gaussian", "kalman")
    return ("regression", "regression3", "spline", "savgol", "kalman")


def _pool(names: tuple[str, ...], periodic: bool, degree: int | None):
    """Tuners for "auto": the regression splines take their noise level from the GCV spline, fitted once."""
    memo: dict[str, Fit] = {}

    def gcv_spline(x, y):
        if "spline" not in memo:
            memo["spline"] = spline.spline_tune(x, y)
        return memo["spline"]

    special = {
        "regression": lambda x, y: spline.regression_tune(x, y, 5, gcv_spline(x, y)),
        "regression3": lambda x, y: spline.regression_tune(x, y, 3, gcv_spline(x, y)),
        "spline": gcv_spline,
    }
    return [(name, special.get(name) or _tuner(name, periodic, degree)) for name in names]


def _bin(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Means over runs of b samples; a last run shorter than b is left out of the fit (it is extrapolated)."""
    b = -(-len(y) // MAX_POINTS)
    m = len(y) // b
    xb = x[: m * b].reshape(m, b).mean(axis=1)
    yb = y[: m * b].reshape(m, b).mean(axis=1)
    return xb, yb, b


def smooth_line(
    x: np.ndarray,
    y: np.ndarray,
    method: str,
    *,
    periodic: bool = False,
    smoothing: float | None = None,
    degree: int | None = None,
    reuse: tuple[str, dict] | None = None,
    deadline: float = float("inf"),
) -> LineAnswer:
    """Fit one line (``x`` its coordinates, ``y`` its samples with NaN for gaps) and return answers at every x."""
    valid = ~np.isnan(y)
    gaps = not bool(valid.all())
    xs, ys = x[valid], y[valid]
    span = (xs[0], xs[-1]) if len(xs) else (x[0], x[-1])
    needed = MIN_SAMPLES[reuse[0] if reuse else method]
    if len(ys) < needed:
        raise ValueError(
            f"y: method {method!r} needs at least {needed} samples along the axis, got {len(ys)}"
            + (f" ({len(y) - len(ys)} NaN gaps dropped)" if gaps else "")
        )
    evenly = uniform_step(x) is not None
    name = reuse[0] if reuse else method
    if gaps and evenly and name in ("gaussian", "spectral"):
        # Filters need every sample: fill the gaps by straight lines between their neighbours (reported).
        ys = np.interp(x, xs, ys)
        xs, valid, gaps = x, np.ones_like(valid), False
    periodic = periodic and not gaps
    b = 1
    if len(ys) > MAX_POINTS and not (periodic and name in ("spectral", "auto")):
        xs, ys, b = _bin(xs, ys)
    origin, step = xs[0], (xs[-1] - xs[0]) / (len(xs) - 1)
    xn = (xs - origin) / step
    uniform = uniform_step(xn) is not None
    if name in ("gaussian", "spectral") and not uniform:
        raise ValueError(f"spacing: method {name!r} needs evenly spaced samples; use 'spline' or 'savgol'")
    scores: dict = {}
    if reuse is not None:
        fit = refit(name, xn, ys, reuse[1], periodic=periodic)
    elif method == "auto":
        name, fit, scores = choose(xn, ys, _pool(candidates(uniform, periodic, len(ys)), periodic, degree), deadline)
        name = "regression" if name == "regression3" else name
    elif smoothing is not None:
        default_degree = 5 if method == "regression" else 3
        params = {PARAMETER[method]: smoothing, "degree": default_degree if degree is None else degree}
        fit = refit(method, xn, ys, params, periodic=periodic)
    else:
        fit = _tuner(method, periodic, degree)(xn, ys)
    sigma = fit.noise_level(ys)
    derivative = fit.derivative / step
    std = None if fit.unit_std is None else sigma * fit.unit_std / step
    fitted = fit.fitted
    if b > 1 or gaps:
        fitted, derivative, std = _resample(xs, fitted, derivative, std, x, valid, b, span)
    params = dict(fit.params, **({"binned": b} if b > 1 else {}))
    return LineAnswer(fitted, derivative, std, name, params, sigma * np.sqrt(b), scores)


def _resample(xs, fitted, derivative, std, x, valid, b, span):
    """Values at every x from the cubic Hermite interpolant of the fit, binned slopes by a cubic spline; NaN outside."""
    interpolate = scipy_part("scipy.interpolate")
    hermite = interpolate.CubicHermiteSpline(xs, fitted, derivative, extrapolate=True)
    new_fitted, new_derivative = hermite(x), hermite(x, 1)
    if b > 1 and len(xs) > 3:
        # Between bin centres the Hermite interpolant's slope also follows the small noise left in the fitted
        # values (divided by the bin spacing): a filter's values and slopes are not exactly consistent. The
        # slopes, smooth themselves, are interpolated on their own (exponential at 10⁴ samples, σ = 10⁻⁴ of the
        # range: RMS error 0.042 → 0.010).
        new_derivative = interpolate.CubicSpline(xs, derivative, extrapolate=True)(x)
    new_std = None if std is None else np.interp(x, xs, std)
    if b == 1:
        # Where samples were kept, the fit's own answers stand.
        new_fitted[valid] = fitted
        new_derivative[valid] = derivative
    outside = (x < span[0]) | (x > span[1])  # before the first valid sample and after the last: nothing
    for array in (new_fitted, new_derivative, new_std):
        if array is not None:
            array[outside] = np.nan
    return new_fitted, new_derivative, new_std
