"""Derivatives of Python functions at a point: grad, jacobian, hessian, derivative, directional, check_grad.

Every public function here is a thin layer over one mechanism: validate the
request (`problem.py`), compute the columns of the Jacobian by the chosen
method (`finite.py`, `complex_step.py`, `autodiff.py`), and assemble a value,
an error estimate and a verdict (`_finish`).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gradkit.function import autodiff
from gradkit.function.complex_step import complex_columns
from gradkit.function.finite import Columns, fixed_columns, richardson_columns
from gradkit.function.problem import (
    Problem,
    check_accuracy,
    check_callable,
    check_method,
    check_tolerances,
    prepare,
    wrt_indices,
)
from gradkit.function.result import Result
from gradkit.function.richardson import extrapolate
from gradkit.function.steps import (
    EPS,
    first_richardson_step,
    fixed_step,
    relative_first,
    rescalable,
    step_scale,
)
from gradkit.stencils import central_radius, stencil


def jacobian(
    f: Callable,
    x: object,
    *,
    method: str = "auto",
    wrt=None,
    args: tuple = (),
    kwargs: dict | None = None,
    vectorized: bool = False,
    workers=None,
    step=None,
    accuracy: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    bounds=None,
    backend: str | None = None,
    full_output: bool = False,
):
    """Jacobian of a function at a point.

    Parameters
    ----------
    f : callable
        ``f(x, *args, **kwargs)`` returning a number or an array of a fixed shape.
    x : array_like
        The point. A torch tensor or JAX array selects automatic differentiation.
    method : {"auto", "richardson", "central", "forward", "backward", "complex", "ad"}
        "richardson" (the default for NumPy input) shrinks the step adaptively and extrapolates, with an
        error estimate; "central", "forward" and "backward" use one step and a stencil of `accuracy`
        (with `full_output`, one more point per coordinate gives their error estimate);
        "complex" the complex step (f must be complex-safe); "ad" torch or JAX ("auto" picks it for their
        arrays).
    wrt : int, sequence of int, slice or bool mask, optional
        Differentiate with respect to these elements of the flattened x only; the others are held fixed.
    args, kwargs : optional
        Extra arguments of f.
    vectorized : bool, optional
        f takes a batch of points ``(k, *x.shape)`` and returns ``(k, *output_shape)``: every point of a
        step goes in one call.
    workers : int or map-like, optional
        Evaluate points in a process pool of this many workers (f must be picklable), or with
        ``workers(function, iterable)``, as SciPy's `workers`. Serial by default.
    step : float or array_like, optional
        The step (the largest one for "richardson"), one number or one per element of x; it must move x.
        By default relative to ``max(|x|, 1)``; "richardson" starts at 1/8 of it, or of ``|x|`` where
        ``|x| < 1/8`` (a step that would reach across zero), and retries a small ``|x|`` left unsure
        on the other scale.
    accuracy : int, optional
        Order of the fixed-step stencils (default 2).
    rtol, atol : float, optional
        ``success`` needs ``error <= atol + rtol * |value|`` for every element (defaults 1e-8 and 1e-12).
    bounds : (lower, upper), optional
        Never evaluate f outside this box; near its faces one-sided differences are used.
    backend : {"torch", "jax"}, optional
        The AD library when x is a NumPy array.
    full_output : bool, optional
        Return a `Result` (value, error, nfev, method, success, message) instead of the value.

    Returns
    -------
    ndarray or Result
        Shape ``output_shape + x.shape`` (``output_shape + (len(wrt),)`` with `wrt`), as JAX and autograd.
        Without `full_output`, an untrustworthy result also raises a `RuntimeWarning` (the fixed-step
        methods, which then estimate no error, warn where f was not finite at their points).

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: np.array([p[0] * p[1], np.sin(p[0])])
    >>> np.round(gk.jacobian(f, [1.0, 2.0]), 12)
    array([[2.        , 1.        ],
           [0.54030231, 0.        ]])
    """
    return _derivative_of(
        f,
        x,
        method=method,
        wrt=wrt,
        args=args,
        kwargs=kwargs,
        vectorized=vectorized,
        workers=workers,
        step=step,
        accuracy=accuracy,
        rtol=rtol,
        atol=atol,
        bounds=bounds,
        backend=backend,
        full_output=full_output,
        scalar=False,
    )


def grad(
    f: Callable,
    x: object,
    *,
    method: str = "auto",
    wrt=None,
    args: tuple = (),
    kwargs: dict | None = None,
    vectorized: bool = False,
    workers=None,
    step=None,
    accuracy: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
    bounds=None,
    backend: str | None = None,
    full_output: bool = False,
):
    """Gradient of a scalar function at a point.

    Takes the options of `jacobian`; f must return a single number. The gradient has x's shape (or
    ``(len(wrt),)``).

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: np.exp(-p[0] ** 2) * np.exp(-p[1] ** 2)
    >>> r = gk.grad(f, [0.3, -0.7], full_output=True)
    >>> exact = np.array([-2 * 0.3, 2 * 0.7]) * f([0.3, -0.7])
    >>> bool(np.all(np.abs(r.value - exact) <= r.error)), bool(np.abs(r.value - exact).max() < 1e-11), r.success
    (True, True, True)
    >>> loss = lambda par: (par[0] - 1) ** 2 + par[1] ** 2 + par[2] * par[3]
    >>> np.round(gk.grad(loss, [3.0, 2.0, 5.0, 7.0], wrt=slice(0, 2)), 9)
    array([4., 4.])
    """
    return _derivative_of(
        f,
        x,
        method=method,
        wrt=wrt,
        args=args,
        kwargs=kwargs,
        vectorized=vectorized,
        workers=workers,
        step=step,
        accuracy=accuracy,
        rtol=rtol,
        atol=atol,
        bounds=bounds,
        backend=backend,
        full_output=full_output,
        scalar=True,
    )


def _derivative_of(
    f,
    x,
    *,
    method="auto",
    wrt=None,
    args=(),
    kwargs=None,
    vectorized=False,
    workers=None,
    step=None,
    accuracy=2,
    rtol=None,
    atol=None,
    bounds=None,
    backend=None,
    full_output=False,
    scalar=False,
):
    check_callable(f)
    check_method(method)
    accuracy = check_accuracy(accuracy)
    rtol, atol = check_tolerances(rtol, atol)
    array_library = autodiff.backend_of(x)
    if method == "ad" or (method == "auto" and array_library is not None):
        return _autodiff(f, x, wrt, args, kwargs, backend, full_output, scalar)
    if array_library is not None:
        x = np.asarray(x.detach().cpu() if hasattr(x, "detach") else x)
    method = "richardson" if method == "auto" else method
    if method == "central" and accuracy % 2:
        raise ValueError(f"central differences need an even accuracy, got {accuracy}")
    problem = prepare(
        f,
        x,
        wrt=wrt,
        args=args,
        kwargs=kwargs,
        vectorized=vectorized,
        workers=workers,
        step=step,
        bounds=bounds,
        dtype=np.complex128 if method == "complex" else np.float64,
    )
    if scalar and problem.f0.shape != ():
        raise TypeError(
            f"grad needs f to return a single number, got shape {problem.f0.shape}; use gk.jacobian for vector "
            "output (or reduce f to a scalar)"
        )
    columns = _columns(problem, method, accuracy, rtol, atol, full_output)
    return _finish(problem, columns, method, rtol, atol, full_output)


def _columns(problem: Problem, method: str, accuracy: int, rtol, atol, full_output: bool) -> Columns:
    ev, x0, f0, coords = problem.evaluator, problem.x0, problem.f0, problem.coords
    if not len(coords):  # an empty x: an empty derivative, as NumPy and JAX give
        empty = np.empty((0, *f0.shape))
        return Columns(empty, empty.copy(), np.zeros(0, dtype=bool))
    if method == "complex":
        return complex_columns(ev, x0, f0, coords, problem.step)
    if method in ("central", "forward", "backward"):
        # the error estimate costs one more point per coordinate: only where it is returned
        return fixed_columns(
            ev,
            x0,
            f0,
            coords,
            scheme=method,
            accuracy=accuracy,
            step=problem.step,
            bounds=problem.bounds,
            estimate=full_output,
        )
    first = relative_first(x0[coords])
    columns = richardson_columns(ev, x0, f0, coords, bounds=problem.bounds, step=problem.step, relative=first)
    # Where a small |x| is left unsure, the other scale: steps against max(|x|, 1) where the steps relative
    # to |x| were too fine for f (exp(x) at 1e-20), steps relative to |x| where those against max(|x|, 1)
    # were too coarse for it; the more certain estimate is kept.
    unsure = _unsure(columns, rtol, atol)
    if problem.step is not None or not np.count_nonzero(unsure):
        return columns
    again = np.flatnonzero(unsure & rescalable(x0[coords]))
    if len(again):
        retry = richardson_columns(ev, x0, f0, coords[again], bounds=problem.bounds, relative=~first[again])
        better = retry.error < columns.error[again]
        columns.value[again] = np.where(better, retry.value, columns.value[again])
        columns.error[again] = np.where(better, retry.error, columns.error[again])
        kept = better.reshape(len(again), -1).all(axis=1)
        columns.suspect[again] = np.where(kept, retry.suspect, columns.suspect[again])
        if kept.any():
            columns.notes = [n for n in columns.notes if not any(f"x[{c}]" in n for c in coords[again][kept])]
            columns.notes += retry.notes
    return columns


def _unsure(columns: Columns, rtol, atol) -> np.ndarray:
    fine = _within(columns.value, columns.error, rtol, atol)
    if fine.ndim > 1:
        fine = fine.reshape(len(fine), -1).all(axis=1)
    return ~fine | columns.suspect


def _finish(
    problem: Problem,
    columns: Columns,
    method: str,
    rtol: float,
    atol: float,
    full_output: bool,
    normwise: bool = False,
):
    """Value, error and verdict in x's shapes. `normwise`: rtol is relative to the largest |value| (a
    Hessian's zero elements carry the rounding of f, which is small next to its other elements)."""
    value = _assemble(problem, columns.value)
    error = _assemble(problem, columns.error)
    magnitude = np.full_like(value, np.abs(value).max(initial=0.0)) if normwise else value
    within = _all(_within(magnitude, error, rtol, atol)) if columns.estimated else True
    success = within and not np.count_nonzero(columns.suspect)
    notes = list(dict.fromkeys(columns.notes))
    if not within:
        with np.errstate(divide="ignore", invalid="ignore"):
            excess = np.where(np.isfinite(error), error / (atol + rtol * np.abs(magnitude)), np.inf)
        worst = np.unravel_index(np.nanargmax(np.where(np.isnan(excess), np.inf, excess)), error.shape)
        notes.append(
            f"the error estimate {error[worst]:.3g} at index {tuple(int(i) for i in worst)} exceeds "
            f"atol + rtol*{'max|value|' if normwise else '|value|'} (rtol={rtol:g}, atol={atol:g})"
        )
    message = "; ".join(notes) if notes else "converged within tolerance"
    if full_output:
        return Result(value, error, problem.evaluator.nfev, method, success, message)
    if not success:
        warnings.warn(f"gradkit: the {method} derivative may be inaccurate: {message}", RuntimeWarning, stacklevel=3)
    return value


def _assemble(problem: Problem, columns: np.ndarray) -> np.ndarray:
    """Columns (m, *output_shape) -> output_shape + x.shape (or + (m,) for a subset)."""
    moved = np.moveaxis(columns, 0, -1) if columns.ndim > 1 else columns
    if problem.subset:
        return moved
    return moved.reshape(problem.f0.shape + problem.shape)


def _autodiff(f, x, wrt, args, kwargs, backend, full_output, scalar):
    name = autodiff.resolve_backend(x, backend)
    value = autodiff.ad_jacobian(f, x, name, args, kwargs)
    point = autodiff.as_backend_array(x, name)
    in_shape = tuple(point.shape)
    out_shape = tuple(value.shape[: value.ndim - len(in_shape)])
    if scalar and out_shape != ():
        raise TypeError(f"grad needs f to return a single number, got shape {out_shape}; use gk.jacobian")
    if wrt is not None:
        indices = wrt_indices(wrt, in_shape)
        flat = value.reshape((*out_shape, -1))
        value = flat[..., list(indices)] if name == "torch" else flat[..., np.asarray(indices)]
    if not full_output:
        return value
    zeros = value * 0
    return Result(value, zeros, 1, "ad", True, f"exact to rounding: automatic differentiation with {name}")


# --- Hessian -----------------------------------------------------------------------------------------


def hessian(
    f: Callable,
    x: object,
    *,
    method: str = "auto",
    wrt=None,
    args: tuple = (),
    kwargs: dict | None = None,
    vectorized: bool = False,
    workers=None,
    step=None,
    rtol: float | None = None,
    atol: float | None = None,
    backend: str | None = None,
    full_output: bool = False,
):
    """Hessian of a scalar function at a point, symmetric by construction, with an error estimate.

    "richardson" (default) extrapolates second differences over shrinking steps; "central" uses one step
    (with `full_output`, a second step gives its error estimate); "ad" (or "auto" with a torch tensor or JAX
    array) differentiates twice through torch or JAX. The other options are those of `jacobian` (without
    `accuracy` and `bounds`). The result has shape ``x.shape + x.shape`` (``(m, m)`` with `wrt`).
    ``success`` needs ``error <= atol + rtol * max|value|`` for every element: an element that is zero
    (f separable in two coordinates) is known only to the rounding of f, small beside the others.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: p[0] ** 2 * p[1] + np.exp(p[1])
    >>> np.round(gk.hessian(f, [1.0, 0.0]), 8)
    array([[0., 2.],
           [2., 1.]])
    """
    check_callable(f)
    check_method(method, ("auto", "ad", "central", "richardson"))
    rtol, atol = check_tolerances(rtol, atol)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        name = autodiff.resolve_backend(x, backend)
        value = autodiff.ad_hessian(f, x, name, args, kwargs)
        if wrt is not None:
            in_shape = tuple(autodiff.as_backend_array(x, name).shape)
            indices = wrt_indices(wrt, in_shape)
            picked = list(indices) if name == "torch" else np.asarray(indices)
            size = math.prod(in_shape)
            value = value.reshape((size, size))[picked][:, picked]
        return (
            Result(value, value * 0, 1, "ad", True, f"exact to rounding: automatic differentiation with {name}")
            if full_output
            else value
        )
    method = "richardson" if method == "auto" else method
    problem = prepare(f, x, wrt=wrt, args=args, kwargs=kwargs, vectorized=vectorized, workers=workers, step=step)
    if problem.f0.shape != ():
        raise TypeError(f"hessian needs f to return a single number, got shape {problem.f0.shape}")
    # one step's second differences; their error estimate (a second step) only where it is returned
    estimated = method == "richardson" or full_output
    value, error = _hessian_matrix(problem, method, estimated)
    m = len(problem.coords)
    columns = Columns(value.reshape(m, m), error.reshape(m, m), ~np.isfinite(value).all(axis=1), [], None, estimated)
    if columns.suspect.any():
        columns.notes.append("f is not finite at some of the Hessian's stencil points")
    shape = problem.shape if not problem.subset else (m,)
    problem.f0 = np.zeros(shape)  # the Hessian's "output" axes are the gradient's: assemble to shape + shape
    return _finish(problem, columns, method, rtol, atol, full_output, normwise=True)


def _hessian_matrix(problem: Problem, method: str, estimated: bool) -> tuple[np.ndarray, np.ndarray]:
    ev, x0, f0, coords = problem.evaluator, problem.x0, problem.f0, problem.coords
    m = len(coords)
    x = x0[coords]
    if not m:
        return np.empty((0, 0)), np.empty((0, 0))
    upper = np.triu_indices(m, 1)

    def second_differences(h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        eye = np.zeros((m, x0.size))
        eye[np.arange(m), coords] = h
        diagonal = np.concatenate([x0 + eye, x0 - eye])
        i, j = upper
        mixed = np.concatenate([x0 + eye[i] + eye[j], x0 + eye[i] - eye[j], x0 - eye[i] + eye[j], x0 - eye[i] - eye[j]])
        values = ev.many(np.concatenate([diagonal, mixed]))
        plus, minus = values[:m], values[m : 2 * m]
        pp, pm, mp, mm = np.split(values[2 * m :], 4) if len(i) else ([], [], [], [])
        matrix = np.empty((m, m))
        noise = np.empty((m, m))
        matrix[np.arange(m), np.arange(m)] = (plus - 2 * f0 + minus) / h**2
        noise[np.arange(m), np.arange(m)] = EPS * (np.abs(plus) + 2 * abs(f0) + np.abs(minus)) / h**2
        if len(i):
            scale = 4 * h[i] * h[j]
            matrix[i, j] = matrix[j, i] = (pp - pm - mp + mm) / scale
            noise[i, j] = noise[j, i] = EPS * (np.abs(pp) + np.abs(pm) + np.abs(mp) + np.abs(mm)) / scale
        return matrix, noise

    if method == "central":
        h = fixed_step(x, 2, 2) if problem.step is None else problem.step[coords]
        h = (x + h) - x
        fine, noise = second_differences(h)
        if not estimated:
            return fine, np.full_like(fine, np.nan)
        coarse, _ = second_differences(2 * h)
        return fine, np.abs(fine - coarse) / 3 + 4 * noise
    h0 = first_richardson_step(x) if problem.step is None else problem.step[coords]
    fit = extrapolate(lambda k: second_differences((x + h0 / 2.0**k) - x), power=2)
    return fit.value, fit.error


# --- Elementwise and directional derivatives ---------------------------------------------------------


def derivative(
    f: Callable,
    x: object,
    *,
    order: int = 1,
    method: str = "richardson",
    args: tuple = (),
    kwargs: dict | None = None,
    step=None,
    accuracy: int = 2,
    rtol: float | None = None,
    atol: float | None = None,
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
    method : {"richardson", "central", "complex"}, optional
        Adaptive extrapolation (default), one central step, or the complex step (order 1 only).
    accuracy : int, optional
        Order of the central stencil of method "central" (even, default 2); its error estimate evaluates
        the stencil again at twice the step.
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
    check_method(method, ("richardson", "central", "complex"))
    rtol, atol = check_tolerances(rtol, atol)
    from gradkit.function.problem import as_point
    from gradkit.grid.options import check_order

    order = check_order(order)
    accuracy = check_accuracy(accuracy)
    if method == "complex" and order != 1:
        raise ValueError("method='complex' gives first derivatives only")
    if accuracy % 2:
        raise ValueError(f"central differences need an even accuracy, got {accuracy}")
    point = as_point(x)
    kwargs = kwargs or {}
    calls = [0]

    def call(points):
        calls[0] += points.size
        with np.errstate(all="ignore"):
            return np.asarray(f(points, *args, **kwargs))

    f0 = call(point)
    if f0.shape != point.shape:
        raise ValueError(f"f must be elementwise: f(x) has shape {f0.shape} for x of shape {point.shape}")
    if not np.all(np.isfinite(f0)):
        raise ValueError("f(x) is not finite at some elements of x")
    scale = step_scale(point)

    def estimate_at(h, at=point, f_at=f0, accuracy=2):
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
        return value, EPS * spread / h**order

    def sequence(at, f_at, *, relative):
        h0 = 2.0 ** (order - 1) * first_richardson_step(at, relative=relative, order=order)
        return extrapolate(lambda k: estimate_at(h0 / 2.0**k, at, f_at), power=2)

    if method == "complex":
        h = 1e-20 * scale if step is None else np.broadcast_to(step, point.shape)
        values = np.asarray(f(point + 1j * h, *args, **kwargs))
        calls[0] += point.size
        if not np.iscomplexobj(values):
            raise TypeError("method='complex' needs f to keep complex input complex; use method='richardson'")
        value, error = values.imag / h, 2 * EPS * np.abs(values.imag / h)
    elif method == "central":
        h = fixed_step(point, order, accuracy) if step is None else np.broadcast_to(step, point.shape)
        value, noise = estimate_at(h, accuracy=accuracy)
        coarse, _ = estimate_at(2 * h, accuracy=accuracy)
        error = np.abs(value - coarse) + 4 * noise
    elif step is not None:
        h0 = np.broadcast_to(step, point.shape)
        fit = extrapolate(lambda k: estimate_at(h0 / 2.0**k), power=2)
        value, error = fit.value, fit.error
    else:
        # As in `jacobian`: steps relative to |x| where |x| < 1/8, and where a small |x| is left unsure
        # the other scale on those elements, keeping the more certain estimate.
        first = relative_first(point)
        fit = sequence(point, f0, relative=first)
        value, error = np.array(fit.value), np.array(fit.error)
        again = np.flatnonzero(~_within(value, error, rtol, atol).reshape(-1) & rescalable(point, order).reshape(-1))
        if len(again):
            retry = sequence(point.reshape(-1)[again], f0.reshape(-1)[again], relative=~first.reshape(-1)[again])
            better = retry.error < error.reshape(-1)[again]
            value.reshape(-1)[again] = np.where(better, retry.value, value.reshape(-1)[again])
            error.reshape(-1)[again] = np.where(better, retry.error, error.reshape(-1)[again])
    return _verdict(value, error, calls[0], method, rtol, atol, full_output)


def directional(f: Callable, x: object, v: object, *, method: str = "richardson", full_output: bool = False, **options):
    """Derivative of f at x along v: ``d/dt f(x + t v)`` at t = 0 (``grad f . v``, v not normalised).

    Takes the options of `jacobian`; the result has f's output shape.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: p[0] ** 2 + 3 * p[1]
    >>> round(float(gk.directional(f, [1.0, 2.0], [1.0, 1.0])), 10)
    5.0
    """
    check_callable(f)
    from gradkit.function.problem import as_point

    point = as_point(x)
    direction = as_point(v, "v")
    if direction.shape != point.shape:
        raise ValueError(f"v must have x's shape {point.shape}, got {direction.shape}")
    length = float(np.abs(direction).max())
    if length == 0:
        raise ValueError("v must not be zero")
    args = options.pop("args", ())
    kwargs = options.pop("kwargs", None) or {}
    if "step" not in options:
        options["step"] = 0.125 * float(step_scale(np.abs(point).max())) / length
    line = lambda t: f(point + t[0] * direction, *args, **kwargs)  # noqa: E731
    return (
        jacobian(line, [0.0], method=method, full_output=full_output, **options)[..., 0]
        if not full_output
        else _squeeze(jacobian(line, [0.0], method=method, full_output=True, **options))
    )


def _squeeze(result: Result) -> Result:
    return Result(
        result.value[..., 0], result.error[..., 0], result.nfev, result.method, result.success, result.message
    )


def _all(mask: np.ndarray) -> bool:
    """``mask.all()`` in a fraction of its fixed cost (it is called on a few elements, per derivative)."""
    return bool(np.count_nonzero(mask) == mask.size)


def _within(value, error, rtol, atol) -> np.ndarray:
    """Elementwise: the error estimate meets the tolerance (False where either is NaN)."""
    # rtol = 0 must not meet an infinite value (0 * inf); NaN compares False without a warning.
    return np.asarray(error <= (atol + rtol * np.abs(value) if rtol else atol))


def _verdict(value, error, nfev, method, rtol, atol, full_output):
    success = _all(_within(value, error, rtol, atol))
    message = "converged within tolerance" if success else "the error estimate exceeds atol + rtol*|value|"
    value = value[()] if np.ndim(value) == 0 else value
    if full_output:
        return Result(np.asarray(value), np.asarray(error), nfev, method, success, message)
    if not success:
        warnings.warn(f"gradkit: the {method} derivative may be inaccurate: {message}", RuntimeWarning, stacklevel=3)
    return value


# --- Checking a hand-written gradient ----------------------------------------------------------------


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of `check_grad`: whether the given gradient matches, and where it differs most."""

    ok: bool
    max_error: float
    index: tuple
    given: np.ndarray
    numerical: np.ndarray
    numerical_error: np.ndarray

    def __bool__(self) -> bool:
        return self.ok


def check_grad(
    f: Callable, grad_f: Callable, x: object, *, args: tuple = (), rtol: float = 1e-6, atol: float = 1e-8, **options
) -> GradientCheck:
    """Compare a hand-written gradient ``grad_f(x, *args)`` with gradkit's numerical one.

    They match where ``|given - numerical| <= atol + rtol*|numerical| + numerical error estimate``.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: np.sum(p**3)
    >>> bool(gk.check_grad(f, lambda p: 3 * p**2, [1.0, 2.0]))
    True
    >>> check = gk.check_grad(f, lambda p: 3 * p, [1.0, 2.0])
    >>> check.ok, check.index
    (False, (1,))
    """
    check_callable(grad_f)
    numerical = grad(f, x, args=args, full_output=True, **options)
    given = np.asarray(grad_f(np.asarray(x, dtype=np.float64), *args), dtype=np.float64)
    if given.shape != numerical.value.shape:
        raise ValueError(f"grad_f returned shape {given.shape}, expected {numerical.value.shape}")
    difference = np.abs(given - numerical.value)
    allowed = atol + rtol * np.abs(numerical.value) + numerical.error
    index = np.unravel_index(int(np.argmax(difference - allowed)), difference.shape)
    return GradientCheck(
        bool(np.all(difference <= allowed)),
        float(difference.max()),
        tuple(int(i) for i in index),
        given,
        numerical.value,
        numerical.error,
    )
