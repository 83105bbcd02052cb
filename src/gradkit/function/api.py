"""Derivatives of Python functions at a point: grad, jacobian, directional, check_grad.

Every public function here is a thin layer over one mechanism: validate the
request (`problem.py`), compute the columns of the Jacobian by the chosen
method (`finite.py`, `complex_step.py`, `autodiff.py`), and assemble a value,
an error estimate and a verdict (`verdict.py`). `hessian.py` and
`elementwise.py` hold the Hessian and the elementwise n-th derivative.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gradkit.function import autodiff, native
from gradkit.function.complex_step import STEP, complex_columns
from gradkit.function.evaluate import FLOAT32_EPS, check_vectorized
from gradkit.function.exact import as_function, check_exact_options, exact_directional, exact_jacobian, is_formula
from gradkit.function.finite import Columns, _column, fixed_columns, richardson_columns
from gradkit.function.problem import (
    Problem,
    as_point,
    check_accuracy,
    check_callable,
    check_method,
    check_tolerances,
    floating_type,
    prepare,
    resolved_atol,
    retry_atol,
    wrt_indices,
)
from gradkit.function.result import Result
from gradkit.function.richardson import reconciled
from gradkit.function.steps import EPS, first_richardson_step, fixed_step, relative_first, rescalable, step_scale
from gradkit.function.verdict import finish, narrowed, within


def jacobian(
    f: Callable,
    x: object,
    *,
    method: str = "auto",
    wrt=None,
    args: tuple = (),
    kwargs: dict | None = None,
    vectorized: bool | int = False,
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
    f : callable or Expression
        ``f(x, *args, **kwargs)`` returning a number or an array of a fixed shape (real or complex). A formula
        object (gradkit's `Expression`) is differentiated exactly ("auto": error 0, nfev 0); x then holds one
        value per variable.
    x : array_like
        The point. A torch tensor or JAX array selects automatic differentiation ("auto"); the other
        methods then call f with that library's arrays, in double precision, and return NumPy arrays.
    method : {"auto", "richardson", "central", "forward", "backward", "complex", "ad"}
        "richardson" (the default for NumPy input) shrinks the step adaptively and extrapolates, with an
        error estimate; "central", "forward" and "backward" use one step and a stencil of `accuracy`
        (with `full_output`, one more point per coordinate gives their error estimate);
        "complex" the complex step (f must be real at real x and complex-analytic: each step is checked
        against one central difference, and a disagreement is no success); "ad" torch or JAX ("auto" picks
        it for their arrays).
    wrt : int, sequence of int, slice or bool mask, optional
        Differentiate with respect to these elements of the flattened x only; the others are held fixed.
    args, kwargs : optional
        Extra arguments of f.
    vectorized : bool or int, optional
        f takes a batch of points ``(k, *x.shape)`` and returns ``(k, *output_shape)``: the points of a step
        go in cache-sized batches (True: about 1 MiB of points a call), or at most this many points a call
        (an int). A batch size bounds the memory f's own arrays take and keeps them in cache.
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
        ``success`` needs ``error <= atol + rtol * |value|`` for every element. Defaults: rtol 1e-8 (3.5e-4
        for float32 x); atol rtol times f's size near x over ``max(|x|, 1)``, at least the smallest normal
        number, so that f and 1e-13 f succeed alike.
    bounds : (lower, upper), optional
        Never evaluate f outside this box; near its faces one-sided differences are used.
    backend : {"torch", "jax"}, optional
        The library f is written with when x is a NumPy array: "ad" differentiates with it, the other
        methods call f with its arrays.
    full_output : bool, optional
        Return a `Result` (value, error, nfev, method, success, message) instead of the value.

    Returns
    -------
    ndarray or Result
        In x's floating type (float32 for float32 x, float64 otherwise). Shape ``output_shape + x.shape``
        (``output_shape + (len(wrt),)`` with `wrt`), as JAX and autograd.
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
    vectorized: bool | int = False,
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
    check_method(method)
    accuracy = check_accuracy(accuracy)
    rtol, atol = check_tolerances(rtol, atol, floating_type(x))
    check_vectorized(vectorized)
    if is_formula(f):
        if method == "auto":
            check_exact_options(
                step=step, bounds=bounds, backend=backend, args=args or None, kwargs=kwargs or None, workers=workers
            )
            indices = None if wrt is None else wrt_indices(wrt, np.shape(x))
            return exact_jacobian(f, x, wrt_indices=indices, full_output=full_output)
        f = as_function(f)
    check_callable(f)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        autodiff.check_no_step(step=step, accuracy=accuracy)
        f = autodiff.OnePoint(f) if vectorized else f
        return _autodiff(f, x, wrt, args, kwargs, backend, full_output, scalar)
    f, x = native.numerical_call(f, x, backend)
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
        estimated=method in ("richardson", "complex") or full_output,
    )
    if scalar and problem.f0.shape != ():
        raise TypeError(
            f"grad needs f to return a single number, got shape {problem.f0.shape}; use gk.jacobian for vector "
            "output (or reduce f to a scalar)"
        )
    columns = _columns(problem, method, accuracy, rtol, atol, full_output)
    if atol is None and columns.estimated:  # f's size near x is needed only to judge an estimate by default
        atol = resolved_atol(atol, rtol, _size(problem), problem.x0[problem.coords])
    return finish(problem, columns, method, rtol, atol, full_output)


def _size(problem: Problem) -> float:
    """f's size near x: the largest finite |f| at x and at the points evaluated."""
    return max(float(np.abs(problem.f0).max(initial=0.0)), problem.evaluator.magnitude)


def _columns(problem: Problem, method: str, accuracy: int, rtol, atol, full_output: bool) -> Columns:
    ev, x0, f0, coords = problem.evaluator, problem.x0, problem.f0, problem.coords
    if not len(coords):  # an empty x: an empty derivative, as NumPy and JAX give
        empty = np.empty((0, *f0.shape))
        return Columns(empty, empty.copy(), np.zeros(0, dtype=bool))
    if method == "complex":
        return complex_columns(ev, x0, f0, coords, problem.step, problem.bounds)
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
    # an exact 0 with error 0 is what an f flat at these steps gives (log(1 + x**2) at 1e-9, where 1 + x**2
    # rounds to 1): the other scale tells a zero derivative from steps too fine for f
    flat = _flat(columns)
    unsure = _unsure(columns, rtol, retry_atol(atol)) | flat
    if problem.step is not None or not np.count_nonzero(unsure):
        return _rounded_away(problem, columns, flat)
    again = np.flatnonzero(unsure & rescalable(x0[coords]))
    if len(again):
        retry = richardson_columns(ev, x0, f0, coords[again], bounds=problem.bounds, relative=~first[again])
        better = (retry.error < columns.error[again]) | _column(flat[again], retry.error.ndim - 1)
        old_value, old_error = columns.value[again], columns.error[again]
        # two independent sequences: where they disagree beyond their errors, the kept one's error covers both
        kept_error = reconciled(old_value, old_error, retry.value, retry.error)
        retry_error = reconciled(retry.value, retry.error, old_value, old_error)
        retry_error = np.where(_column(flat[again], retry.error.ndim - 1), retry.error, retry_error)  # (no estimate)
        columns.value[again] = np.where(better, retry.value, old_value)
        columns.error[again] = np.where(better, retry_error, kept_error)
        kept = better.reshape(len(again), -1).all(axis=1)
        columns.suspect[again] = np.where(kept, retry.suspect, columns.suspect[again])
        if kept.any():
            columns.notes = [n for n in columns.notes if not any(f"x[{c}]" in n for c in coords[again][kept])]
            columns.notes += retry.notes
    return _rounded_away(problem, columns)


def _rounded_away(problem: Problem, columns: Columns, flat: np.ndarray | None = None) -> Columns:
    """Columns exactly 0 with error 0 although f changes along their coordinate (one more point, a first step
    away, tells): f's values rounded to one number at every step taken (log(1 + x**2) near 0 in float32,
    whose values are exactly 0 there). That is no estimate: the error is infinite. `flat`: `_flat(columns)`
    when already known."""
    flat = np.flatnonzero(_flat(columns) if flat is None else flat)
    if not len(flat):
        return columns
    coords = problem.coords[flat]
    x = problem.x0[coords]
    h = first_richardson_step(x)
    if problem.bounds is not None:  # towards the side with room
        up, down = problem.bounds[1][coords] - x, x - problem.bounds[0][coords]
        h = np.where(up >= h, h, -np.minimum(h, down))
    with np.errstate(all="ignore"):
        values = problem.evaluator.displaced(problem.x0, coords, (h,))
    moved = (values != problem.f0) & np.isfinite(values)
    varied = moved.reshape(len(coords), -1).any(axis=1) & (h != 0)
    columns.error[flat[varied]] = np.inf
    columns.notes += [
        f"f's values round to one number at every step taken along x[{c}] (though f changes further away): "
        "no estimate; pass a larger step="
        for c in coords[varied]
    ]
    return columns


def _flat(columns: Columns) -> np.ndarray:
    """Per coordinate: every element of its column is exactly 0 with an error of exactly 0."""
    flat = (columns.value == 0) & (columns.error == 0)
    return flat if flat.ndim == 1 else flat.reshape(len(flat), -1).all(axis=1)


def _unsure(columns: Columns, rtol, atol) -> np.ndarray:
    fine = within(columns.value, columns.error, rtol, atol)
    if fine.ndim > 1:
        fine = fine.reshape(len(fine), -1).all(axis=1)
    return ~fine | columns.suspect


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
    return autodiff.finished(value, name, full_output)


def directional(f: Callable, x: object, v: object, *, method: str = "auto", full_output: bool = False, **options):
    """Derivative of f at x along v: ``d/dt f(x + t v)`` at t = 0 (``grad f . v``, v not normalised).

    Takes the options of `jacobian`; the result has f's output shape. With a torch tensor or JAX array
    ("auto" or "ad"), a Jacobian-vector product of that library.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: p[0] ** 2 + 3 * p[1]
    >>> round(float(gk.directional(f, [1.0, 2.0], [1.0, 1.0])), 10)
    5.0
    """
    check_method(method)
    if is_formula(f) and method == "auto":
        given = {k: options.get(k) for k in ("step", "bounds", "backend", "workers")}
        check_exact_options(**given, args=options.get("args") or None, kwargs=options.get("kwargs") or None)
        return exact_directional(f, x, v, full_output=full_output)
    f = as_function(f) if is_formula(f) else f
    check_callable(f)
    args = options.pop("args", ())
    kwargs = options.pop("kwargs", None) or {}
    backend = options.pop("backend", None)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        return _directional_ad(f, x, v, args, kwargs, backend, full_output, options)
    f, x = native.numerical_call(f, x, backend)
    point = as_point(x)
    direction = as_point(native.as_numpy(v), "v")
    if direction.shape != point.shape:
        raise ValueError(f"v must have x's shape {point.shape}, got {direction.shape}")
    length = float(np.abs(direction).max())
    if length == 0:
        raise ValueError("v must not be zero")
    method = "richardson" if method == "auto" else method
    typed = floating_type(x)
    # The line is parameterised from t0 = max|x| / max|v| rather than from 0, so that the error estimate counts
    # the rounding of x + t v (half a unit of x, not of t) as it counts that of any other argument.
    start = 0.0
    if "step" not in options:  # each method's own step along x, in units of t
        scale = float(step_scale(np.abs(point).max()))
        if method in ("central", "forward", "backward"):  # the step that balances truncation and rounding
            accuracy = options.get("accuracy", 2)
            eps = FLOAT32_EPS if typed == np.float32 else EPS
            options["step"] = float(fixed_step(np.float64(scale), 1, accuracy, eps)) / length
        else:  # the complex step, or the first of a Richardson sequence
            options["step"] = (STEP if method == "complex" else 0.125) * scale / length
        start = float(np.abs(point).max()) / length
        if options.get("bounds") is not None:  # bounds on t keep their meaning on the shifted line
            low, high = options["bounds"]
            options["bounds"] = (np.asarray(low, dtype=float) + start, np.asarray(high, dtype=float) + start)
    if check_vectorized(options.get("vectorized", False))[0]:  # a batch of t, shape (k, 1): points along v

        def line(t):  # f gets its points in x's floating type
            points = point + (t - start).reshape((-1,) + (1,) * point.ndim) * direction
            return f(_in_type(points, typed), *args, **kwargs)

    else:

        def line(t):
            return f(_in_type(point + (t[0] - start) * direction, typed), *args, **kwargs)

    result = jacobian(line, [start], method=method, full_output=full_output, **options)
    if not full_output:
        value = result[..., 0]
        return narrowed(value, np.zeros(value.shape), typed)[0]
    return _squeeze(result, typed)


def _directional_ad(f, x, v, args, kwargs, backend, full_output, options):
    autodiff.check_no_step(step=options.get("step"), accuracy=options.get("accuracy", 2))
    name = autodiff.resolve_backend(x, backend)
    point = autodiff.as_backend_array(x, name)
    direction = native.as_numpy(v)
    if tuple(np.shape(direction)) != tuple(point.shape):
        raise ValueError(f"v must have x's shape {tuple(point.shape)}, got {tuple(np.shape(direction))}")
    f = autodiff.OnePoint(f) if check_vectorized(options.get("vectorized", False))[0] else f
    return autodiff.finished(autodiff.ad_directional(f, point, direction, name, args, kwargs), name, full_output)


def _in_type(points: np.ndarray, typed) -> np.ndarray:
    """Points in x's floating type: as they are for float64, float32 (complex64 for a complex step) otherwise."""
    if typed == np.float64:
        return points
    return points.astype(np.complex64 if np.iscomplexobj(points) else typed)


def _squeeze(result: Result, typed=np.float64) -> Result:
    value, error = narrowed(result.value[..., 0], result.error[..., 0], typed)
    return Result(value, error, result.nfev, result.method, result.success, result.message)


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

    The reference is `grad` with `options` (automatic differentiation for a torch tensor or JAX array x,
    Richardson extrapolation otherwise); grad_f gets x as f does.

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
    value, error = (np.asarray(native.as_numpy(a), dtype=np.float64) for a in (numerical.value, numerical.error))
    # grad_f is written like f: with a torch tensor or JAX array x, it gets one of that library's arrays
    grad_f, point = native.numerical_call(grad_f, x, options.get("backend"))
    given = np.asarray(grad_f(np.asarray(point, dtype=np.float64), *args), dtype=np.float64)
    if given.shape != value.shape:
        raise ValueError(f"grad_f returned shape {given.shape}, expected {value.shape}")
    difference = np.abs(given - value)
    allowed = atol + rtol * np.abs(value) + error
    index = np.unravel_index(int(np.argmax(difference - allowed)), difference.shape)
    return GradientCheck(
        bool(np.all(difference <= allowed)),
        float(difference.max()),
        tuple(int(i) for i in index),
        given,
        value,
        error,
    )
