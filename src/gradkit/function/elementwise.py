"""The n-th derivative of an elementwise function at every element of an array."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gradkit.function import autodiff, native
from gradkit.function.evaluate import PrecisionWatch, off_single_grid
from gradkit.function.problem import as_point, check_accuracy, check_callable, check_method, check_tolerances
from gradkit.function.richardson import MIN_ROWS, extrapolate, nth_step, replayed
from gradkit.function.smoothness import GROWING, KINKED, curvature_kinks, kinks, not_twice_differentiable, rising
from gradkit.function.steps import (
    EPS,
    check_step,
    first_richardson_step,
    fixed_step,
    relative_first,
    rescalable,
    step_scale,
)
from gradkit.function.verdict import elementwise_verdict, within
from gradkit.grid.options import check_order
from gradkit.stencils import central_radius, stencil


def derivative(
    f: Callable,
    x: object,
    *,
    order: int = 1,
    method: str = "auto",
    args: tuple = (),
    kwargs: dict | None = None,
    step=None,
    accuracy: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    backend: str | None = None,
    full_output: bool = False,
):
    """The `order`-th derivative of an elementwise function at each element of x.

    f must act elementwise on arrays (as ``np.sin`` does): it is called with arrays of x's shape.

    Parameters
    ----------
    f : callable
        ``f(x, *args, **kwargs)``, elementwise.
    x : array_like
        Points.
    order : int, optional
        Derivative order, 1 or more.
    method : {"auto", "richardson", "central", "complex", "ad"}, optional
        Adaptive extrapolation, one central step, the complex step (order 1 only), or automatic
        differentiation of ``sum(f(x))`` `order` times with torch or JAX. "auto" (the default) is "ad" for a
        torch tensor or JAX array and "richardson" otherwise.
    accuracy : int, optional
        Order of the central stencil of method "central" (even, default 2); its error estimate evaluates
        the stencil again at twice the step.
    backend : {"torch", "jax"}, optional
        The library f is written with when x is a NumPy array ("ad" differentiates with it; the other
        methods call f with its arrays).
    step, rtol, atol, full_output
        As in `jacobian`; `nfev` counts scalar evaluations.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x = np.array([0.0, 0.5, 1.0])
    >>> bool(np.allclose(gk.derivative(np.sin, x), np.cos(x), rtol=1e-12, atol=1e-13))
    True
    >>> bool(np.allclose(gk.derivative(np.exp, 1.0, order=3), np.e, rtol=1e-8))
    True
    """
    check_callable(f)
    check_method(method, ("auto", "richardson", "central", "complex", "ad"))
    rtol, atol = check_tolerances(rtol, atol)
    order = check_order(order)
    accuracy = check_accuracy(accuracy)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        autodiff.check_no_step(step=step, accuracy=accuracy)
        name = autodiff.resolve_backend(x, backend)
        value = autodiff.ad_elementwise(f, x, order, name, args, kwargs)
        return autodiff.finished(value, name, full_output)
    f, x = native.numerical_call(f, x, backend)
    method = "richardson" if method == "auto" else method
    if method == "complex" and order != 1:
        raise ValueError("method='complex' gives first derivatives only")
    if accuracy % 2:
        raise ValueError(f"central differences need an even accuracy, got {accuracy}")
    point = as_point(x)
    if step is not None:  # one positive step, or one per element, that moves it
        flat = point.reshape(-1)
        step = check_step(step, flat, np.arange(flat.size), real=method != "complex").reshape(point.shape)
    kwargs = kwargs or {}
    calls = [0]

    watch = PrecisionWatch()  # float32's rounding while f's values look single precision

    def call(points):
        calls[0] += points.size
        with np.errstate(all="ignore"):
            values = np.asarray(f(points, *args, **kwargs))
        watch.note(values)
        return values

    f0 = call(point)
    if f0.shape != point.shape:
        raise ValueError(f"f must be elementwise: f(x) has shape {f0.shape} for x of shape {point.shape}")
    if not np.all(np.isfinite(f0)):
        raise ValueError("f(x) is not finite at some elements of x")
    if watch.precision > EPS:  # f(x) are float32 numbers: single precision or exact arithmetic? (see prepare)
        call(off_single_grid(point))
    scale = step_scale(point)
    notes: list[str] = []

    def estimate_at(h, at=point, f_at=f0, accuracy=2, seen=None):
        radius = central_radius(order, accuracy)
        offsets = np.arange(-radius, radius + 1)
        weights = stencil(order, offsets)
        h = (at + h) - at
        samples = [call(at + o * h) if o else f_at for o in offsets]
        value = sum(w * s for w, s in zip(weights, samples)) / h**order
        # rounding of each sample: f's own, and f's change over the rounding of its argument x + o h
        slope = np.abs(samples[radius + 1] - samples[radius - 1]) / (2 * h)
        spread = sum(
            abs(w) * (np.abs(s) + 0.5 * np.abs(at + o * h) * slope) for w, s, o in zip(weights, samples, offsets)
        )
        if seen is not None:  # what shows a kink (see smoothness.py)
            slopes, curvature = seen
            below, above = samples[radius - 1], samples[radius + 1]
            if order == 1:  # the one-sided slopes' difference and its rounding
                slopes.append((np.abs(above - 2 * f_at + below) / h, watch.precision * spread / h))
            # the points x +- h, and how far f moves over x's rounding
            curvature.append((h, above, below, 0.5 * watch.precision * (np.abs(at) + h) * slope))
        return value, watch.precision * spread / h**order

    def extrapolated(h0, at=point, f_at=f0):
        """The sequence at steps ``nth_step(h0, k)``. For first derivatives, where the one-sided slopes stay
        apart (a kink: no derivative), an error of at least half their difference, and where f'' jumps, the
        same estimates extrapolated in every power of h; for second derivatives, where f'' jumps, an error
        covering both sides."""
        slopes, curvature = [], []
        quotients = []

        def row(k):
            value, noise = estimate_at(nth_step(h0, k), at, f_at, seen=(slopes, curvature) if order <= 2 else None)
            quotients.append((value, noise))
            return value, noise

        fit = extrapolate(row, power=2, order=order)
        value, error = np.array(fit.value), np.array(fit.error)
        kinked = np.zeros(value.shape, dtype=bool)
        slope_kinked, spread = False, 0.0
        if len(curvature) >= MIN_ROWS and (order == 2 or fit.steps_used > MIN_ROWS):  # f'' jumps: see smoothness.py
            with np.errstate(all="ignore"):  # steps near the smallest floats
                slope_kinked, spread = curvature_kinks(curvature, f_at, watch.precision)
        if order == 1 and np.count_nonzero(slope_kinked):  # f' exists, f'' jumps
            again = extrapolate(replayed(row, quotients), power=1, order=order)
            better = slope_kinked & (again.error < error)
            value, error = np.where(better, again.value, value), np.where(better, again.error, error)
        if order == 1 and len(slopes) >= 3:
            spreads = [spread for spread, _ in slopes]
            kinked = kinks(spreads, slopes[-1][1])
            error = np.where(kinked, np.maximum(error, spreads[-1] / 2), error)
            if np.count_nonzero(kinked):
                notes.append(f"f does not look differentiable at some elements: {KINKED}")
        elif order == 2 and np.count_nonzero(slope_kinked):
            kinked = slope_kinked
            error = np.where(kinked, np.maximum(error, spread / 2), error)
            notes.append(not_twice_differentiable("some elements"))
        growing = rising(quotients) & ~kinked
        if np.count_nonzero(growing):
            error = np.where(growing, np.maximum(error, np.abs(value)), error)
            notes.append(f"f does not look differentiable at some elements: {GROWING}")
        return value, error

    def sequence(at, f_at, *, relative):
        return extrapolated(2.0 ** (order - 1) * first_richardson_step(at, relative=relative, order=order), at, f_at)

    if method == "complex":
        h = 1e-20 * scale if step is None else step
        values = call(point + 1j * h)
        if not np.iscomplexobj(values):
            raise TypeError("method='complex' needs f to keep complex input complex; use method='richardson'")
        value = values.imag / h
        error = 2 * max(EPS, watch.precision) * np.abs(value)  # as in `complex_columns`
    elif method == "central":
        h = fixed_step(point, order, accuracy) if step is None else step
        value, noise = estimate_at(h, accuracy=accuracy)
        coarse, _ = estimate_at(2 * h, accuracy=accuracy)
        error = np.abs(value - coarse) + 4 * noise
    elif step is not None:
        value, error = extrapolated(step)
    else:
        # As in `jacobian`: steps relative to |x| where |x| < 1/8, and where a small |x| is left unsure
        # the other scale on those elements, keeping the more certain estimate.
        first = relative_first(point)
        value, error = sequence(point, f0, relative=first)
        again = np.flatnonzero(~within(value, error, rtol, atol).reshape(-1) & rescalable(point, order).reshape(-1))
        if len(again):
            retry_value, retry_error = sequence(
                point.reshape(-1)[again], f0.reshape(-1)[again], relative=~first.reshape(-1)[again]
            )
            better = retry_error < error.reshape(-1)[again]
            value.reshape(-1)[again] = np.where(better, retry_value, value.reshape(-1)[again])
            error.reshape(-1)[again] = np.where(better, retry_error, error.reshape(-1)[again])
    return elementwise_verdict(value, error, calls[0], method, rtol, atol, full_output, notes)
