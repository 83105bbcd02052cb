"""`smooth_gradient`: derivatives of noisy samples, with NumPy-style spacing and return shapes."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from gradkit.grid.spacing import normalize_spacing
from gradkit.smooth import filters
from gradkit.smooth.fit import scipy_part
from gradkit.smooth.line import METHODS, LineAnswer, smooth_line
from gradkit.smooth.result import SmoothResult


def smooth_gradient(
    y,
    *spacing,
    axis: int | tuple[int, ...] | None = None,
    method: str = "auto",
    full_output: bool = False,
    periodic: bool = False,
    smoothing: float | None = None,
    degree: int | None = None,
    time_budget: float = 1.0,
):
    """Derivatives of noisy samples along one or more axes, smoothing chosen from the data.

    Differencing amplifies noise; this fits a smooth curve (or surface) to the samples first and
    differentiates the fit. ``method="auto"`` tunes every suitable estimator on each line of data and keeps
    the one with the smallest generalised cross-validation (GCV) score.

    Parameters
    ----------
    y : array_like
        Samples, real, any number of dimensions. NaN marks a gap: those samples are left out of the fit and
        the answer there is interpolated from it (NaN before the first and after the last valid sample).
    *spacing : scalar or 1-D array, optional
        As in `numpy.gradient`: nothing (unit steps), one step for every axis, or one step or coordinate
        array (strictly monotonic, possibly uneven) per axis.
    axis : int or tuple of int, optional
        The axes to differentiate along; all by default.
    method : {"auto", "regression", "spline", "savgol", "tv", "kalman", "gaussian", "spectral"}
        ``"regression"``: least-squares spline of degree 5 (or ``degree``) with knots added by FITPACK until
        the residual matches the noise level (estimated by the GCV spline). ``"spline"``: cubic smoothing
        spline, penalty by GCV. ``"savgol"``: local polynomials
        (Savitzky–Golay; uneven samples too), window and degree by GCV. ``"tv"``: total-variation regularised
        differentiation (Chartrand), for kinks and steps. ``"kalman"``: Kalman/RTS smoother of a
        constant-velocity model, noise variances by maximum likelihood. ``"gaussian"``: Gaussian-derivative
        filter, even spacing, joint over all requested axes of an n-D array. ``"spectral"``: Fourier
        filter for periodic data (``periodic=True`` implied). ``"auto"``: the best of the suitable ones
        (all but ``"tv"``) by GCV; on an n-D array differentiated along several evenly spaced axes, ``"gaussian"``.
    full_output : bool
        Return a `SmoothResult` (smoothed values, gradient, method, parameters, noise level, per-point
        standard deviations) instead of the gradient alone.
    periodic : bool
        The samples along each axis are one period (``"auto"`` then compares spectral, Gaussian and
        Savitzky–Golay filters with wrap-around).
    smoothing : float, optional
        The method's smoothing parameter instead of choosing it (in units where the mean step is 1):
        regression: the noise level (units of ``y``); spline: λ; Savitzky–Golay: the window (samples);
        TV: the weight α; Kalman: the variance ratio r/q; Gaussian: the width (samples); spectral: the
        cutoff (harmonics). Not with ``"auto"``.
    degree : int, optional
        The Savitzky–Golay polynomial degree (chosen among 3 and 5 by default), or the regression spline's
        (5 by default, at most 5).
    time_budget : float
        Seconds for choosing per call: once spent, "auto" stops trying further candidates on a line, and
        later lines of an n-D array reuse the first line's method and parameters.

    Returns
    -------
    ndarray or tuple of ndarray, or SmoothResult
        One array per axis (a tuple for several axes), the dtype of ``y`` for float32, else float64.

    Raises
    ------
    ValueError
        Too few samples along an axis (naming ``y``), an unknown ``method``, a bad ``smoothing``,
        ``degree``, ``time_budget`` or ``axis``, infinite samples, or uneven spacing for a method that needs
        even steps.
    TypeError
        Complex or non-numeric ``y``, or a wrong number of spacing arguments.

    Notes
    -----
    GCV scores the fitted values, not the derivative; it is the criterion that needs no knowledge of the
    noise ("auto" compares candidates by modified GCV, which weights degrees of freedom by 1.4 and so
    penalises fits whose slopes follow the noise). Lines longer than 4000 samples are averaged over runs of
    consecutive samples first (the value at every sample comes from the cubic Hermite interpolant of the fit,
    the slope from a cubic spline through its slopes), which keeps 10⁶ samples to about a second.
    ``std`` is the spread the noise alone causes; smoothing also biases the derivative where it changes fast
    (peaks, kinks), which ``std`` does not include.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> t = np.linspace(-3, 3, 501)
    >>> rng = np.random.default_rng(0)
    >>> y = np.exp(-t**2) + 0.01 * rng.standard_normal(t.size)
    >>> true = -2 * t * np.exp(-t**2)
    >>> rms = lambda d: float(np.sqrt(np.mean((d - true) ** 2)))
    >>> rms(np.gradient(y, t)) > 0.4
    True
    >>> r = gk.smooth_gradient(y, t, full_output=True)
    >>> rms(r.gradient) < 0.03, round(r.noise, 3)
    (True, 0.01)
    """
    data, out_dtype = _samples(y)
    axes = _axes(axis, data.ndim)
    _check_options(method, smoothing, degree, time_budget)
    _check_sizes(data.shape, axes)
    periodic = bool(periodic) or method == "spectral"
    coords = [_coordinates(s, data.shape[a]) for s, a in zip(normalize_spacing(data.shape, axes, spacing), axes)]
    for part in ("scipy.linalg", "scipy.signal", "scipy.ndimage", "scipy.optimize", "scipy.interpolate"):
        scipy_part(part)  # imported before the clock starts: the budget is for choosing, not for imports
    deadline = time.perf_counter() + time_budget
    gaps = int(np.count_nonzero(np.isnan(data)))
    evenly = all(c[1] is not None for c in coords)
    if data.ndim > 1 and evenly and (method == "gaussian" or (method == "auto" and len(axes) > 1)):
        result = _gaussian_nd(data, axes, [c[1] for c in coords], periodic, smoothing, gaps)
    else:
        result = _by_lines(data, axes, coords, method, periodic, smoothing, degree, deadline, gaps)
    return _finish(result, out_dtype, full_output)


def _check_sizes(shape: tuple[int, ...], axes: tuple[int, ...]) -> None:
    """Some samples along every axis differentiated, and some lines of them (how many samples each method needs
    is said where the method runs: the n-D Gaussian filter and the line estimators need different counts)."""
    for a in axes:
        if shape[a] == 0:
            raise ValueError(f"y: has no samples along axis {a} (shape {shape})")
    if 0 in shape:
        raise ValueError(f"y: has no samples (shape {shape})")


def _samples(y) -> tuple[np.ndarray, np.dtype]:
    arr = np.asanyarray(y)
    if arr.dtype.kind == "c":
        raise TypeError("y: complex samples are not supported; differentiate the real and imaginary parts")
    if arr.dtype.kind not in "biuf":
        raise TypeError(f"y: samples must be real numbers, got dtype {arr.dtype}")
    if arr.ndim == 0:
        raise ValueError("y: needs at least one axis of samples, got a scalar")
    data = np.asarray(arr, dtype=np.float64)
    if np.isinf(data).any():
        raise ValueError("y: contains infinite values (NaN marks a gap; inf is not a measurement)")
    out = np.dtype(np.float32) if arr.dtype in (np.float32, np.float16) else np.dtype(np.float64)
    return data, out


def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    raw = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    try:
        axes = tuple(int(np.lib.array_utils.normalize_axis_index(int(a), ndim)) for a in raw)
    except (TypeError, np.exceptions.AxisError) as exc:
        raise ValueError(f"axis: {axis!r} is not an axis of an array with {ndim} dimensions") from exc
    if len(set(axes)) != len(axes) or not axes:
        raise ValueError(f"axis: repeated or empty axes {axis!r}")
    return axes


def _check_options(method, smoothing, degree, time_budget) -> None:
    if method not in METHODS:
        raise ValueError(f"method: must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    if smoothing is not None:
        if method == "auto":
            raise ValueError("smoothing: choose a method to set its smoothing parameter (method='auto' tunes it)")
        if not (np.ndim(smoothing) == 0 and np.isfinite(smoothing) and smoothing > 0):
            raise ValueError(f"smoothing: must be a positive finite number, got {smoothing!r}")
        if method == "savgol" and (int(smoothing) != smoothing or int(smoothing) % 2 == 0):
            raise ValueError(f"smoothing: the Savitzky-Golay window must be an odd number of samples, got {smoothing}")
    if degree is not None and (not isinstance(degree, (int, np.integer)) or not 0 <= degree <= 8):
        raise ValueError(f"degree: must be an integer from 0 to 8, got {degree!r}")
    if method == "regression" and degree is not None and not 1 <= degree <= 5:
        raise ValueError(f"degree: a regression spline's degree is 1 to 5, got {degree}")
    if not (np.ndim(time_budget) == 0 and np.isfinite(time_budget) and time_budget > 0):
        raise ValueError(f"time_budget: must be a positive number of seconds, got {time_budget!r}")


def _coordinates(spacing, length: int) -> tuple[np.ndarray, float | None]:
    """Coordinates of one axis, and its step when even."""
    if spacing.is_uniform:
        step = float(spacing.step)
        return np.arange(length) * step, step
    x = np.asarray(spacing.coords, dtype=np.float64)
    steps = np.diff(x)
    even = np.allclose(steps, steps.mean(), rtol=1e-6, atol=0.0) if len(steps) else True
    return x, (float(steps.mean()) if even and len(steps) else None)


def _by_lines(data, axes, coords, method, periodic, smoothing, degree, deadline, gaps) -> SmoothResult:
    gradients, stds, answers = [], [], []
    values = None
    reuse = None
    for a, (x, _) in zip(axes, coords):
        lines = np.moveaxis(data, a, -1)
        flat = lines.reshape(-1, lines.shape[-1])
        descending = x[-1] < x[0]
        xs = x[::-1] if descending else x
        fitted = np.empty_like(flat)
        slope = np.empty_like(flat)
        spread = np.empty_like(flat)
        has_std = True
        for i, row in enumerate(flat):
            # Past the time budget, further lines reuse the first line's choice (no tuning).
            answer = smooth_line(
                xs,
                row[::-1] if descending else row,
                method,
                periodic=periodic,
                smoothing=smoothing,
                degree=degree,
                reuse=reuse if time.perf_counter() > deadline else None,
                deadline=deadline,
            )
            if reuse is None:
                reuse = (answer.method, answer.params)
            order = slice(None, None, -1) if descending else slice(None)
            fitted[i], slope[i] = answer.fitted[order], answer.derivative[order]
            if answer.std is None:
                has_std = False
            else:
                spread[i] = answer.std[order]
            answers.append(answer)
        reuse = None
        shape = lines.shape
        gradients.append(np.moveaxis(slope.reshape(shape), -1, a))
        stds.append(np.moveaxis(spread.reshape(shape), -1, a) if has_std else None)
        if values is None:
            values = np.moveaxis(fitted.reshape(shape), -1, a)
    return _collect(gradients, stds, values, answers, gaps)


def _collect(gradients, stds, values, answers: list[LineAnswer], gaps: int) -> SmoothResult:
    methods = [a.method for a in answers]
    first = answers[0]
    std = None if any(s is None for s in stds) else (stds[0] if len(stds) == 1 else tuple(stds))
    return SmoothResult(
        gradient=gradients[0] if len(gradients) == 1 else tuple(gradients),
        values=values,
        std=std,
        method=Counter(methods).most_common(1)[0][0],
        params=first.params,
        noise=float(np.median([a.noise for a in answers])),
        gaps=gaps,
        scores=first.scores,
        methods=methods,
    )


def _gaussian_nd(data, axes, steps, periodic, smoothing, gaps) -> SmoothResult:
    for a in axes:
        if data.shape[a] < filters.MIN_SAMPLES:
            raise ValueError(f"y: method 'gaussian' needs at least {filters.MIN_SAMPLES} samples along axis {a}")
    mask = np.isnan(data)
    if gaps:
        data = filters.fill_gaps(data, mask, axes)
    if smoothing is None:
        sigma, _ = filters.gaussian_tune_nd(data, axes, periodic=periodic)
    else:
        sigma = float(smoothing)
    fitted, gradients = filters.gaussian_nd(data, steps, axes, sigma, periodic=periodic)
    df = data.size * filters.center_weight(sigma) ** len(axes)
    noise = float(np.sqrt(np.sum((data - fitted)[~mask] ** 2) / max(data.size - gaps - df, 1.0)))
    unit = filters.derivative_norm(sigma) * filters.center_norm(sigma) ** (len(axes) - 1)
    stds = [np.full(data.shape, noise * unit / abs(s)) for s in steps]
    return SmoothResult(
        gradient=gradients[0] if len(gradients) == 1 else tuple(gradients),
        values=fitted,
        std=stds[0] if len(stds) == 1 else tuple(stds),
        method="gaussian",
        params={"sigma": sigma},
        noise=noise,
        gaps=gaps,
        methods=["gaussian"],
    )


def _finish(result: SmoothResult, dtype: np.dtype, full_output: bool):
    def cast(v):
        if v is None:
            return None
        if isinstance(v, tuple):
            return tuple(np.asarray(a, dtype=dtype) for a in v)
        return np.asarray(v, dtype=dtype)

    result.gradient = cast(result.gradient)
    result.values = cast(result.values)
    result.std = cast(result.std)
    return result if full_output else result.gradient
