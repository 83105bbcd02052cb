"""Hessians of scalar functions: second differences with Richardson extrapolation, one step, or AD."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace

import numpy as np

from gradkit.function import autodiff, native
from gradkit.function.evaluate import check_vectorized
from gradkit.function.exact import as_function, check_exact_options, exact_jacobian, is_formula
from gradkit.function.finite import Columns
from gradkit.function.nth import changes_settle, over_power, search_rows
from gradkit.function.problem import (
    Problem,
    all_finite,
    check_callable,
    check_method,
    check_tolerances,
    floating_type,
    prepare,
    resolved_atol,
    retry_atol,
    wrt_indices,
)
from gradkit.function.richardson import STEP_RATIO, extrapolate, noise_gain, nth_step
from gradkit.function.smoothness import (
    curvature_kinks,
    not_differentiable,
    not_twice_differentiable,
    rising,
)
from gradkit.function.steps import (
    bounded_first_steps,
    first_richardson_step,
    fixed_step,
    relative_first,
    rescalable,
)
from gradkit.function.verdict import finish, within


def hessian(
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
    rtol: float | None = None,
    atol: float | None = None,
    bounds=None,
    backend: str | None = None,
    full_output: bool = False,
):
    """Hessian of a scalar function at a point, symmetric by construction, with an error estimate.

    "richardson" (default) extrapolates second differences over shrinking steps; "central" uses one step
    (with `full_output`, a second step gives its error estimate); "ad" (or "auto" with a torch tensor or JAX
    array) differentiates twice through torch or JAX. The other options are those of `jacobian` (without
    `accuracy`); near a face of `bounds`, or where f is not finite (or raises) on one side, a coordinate
    takes one-sided second differences. The result has shape ``x.shape + x.shape`` (``(m, m)`` with
    `wrt`). ``success`` needs ``error <= atol + rtol * max|value|`` for every element: an element that is
    zero (f separable in two coordinates) is known only to the rounding of f, small beside the others.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> f = lambda p: p[0] ** 2 * p[1] + np.exp(p[1])
    >>> np.round(gk.hessian(f, [1.0, 0.0]), 8)
    array([[0., 2.],
           [2., 1.]])
    >>> nll = lambda p: p[0] - 3 * np.log(p[0]) + (p[1] - 1) ** 2  # p[0] > 0
    >>> np.round(gk.hessian(nll, [1e-3, 0.5], bounds=([0, -np.inf], np.inf)), 3)
    array([[3.e+06, 0.e+00],
           [0.e+00, 2.e+00]])
    """
    check_method(method, ("auto", "ad", "central", "richardson"))
    rtol, atol = check_tolerances(rtol, atol, floating_type(x))
    if is_formula(f):
        if method == "auto":
            check_exact_options(
                step=step, bounds=bounds, backend=backend, args=args or None, kwargs=kwargs or None, workers=workers
            )
            indices = None if wrt is None else wrt_indices(wrt, np.shape(x))
            return exact_jacobian(f, x, wrt_indices=indices, full_output=full_output, hessian=True)
        f = as_function(f)
    check_callable(f)
    if method == "ad" or (method == "auto" and autodiff.backend_of(x) is not None):
        autodiff.check_no_step(step=step)
        f = autodiff.OnePoint(f) if check_vectorized(vectorized)[0] else f
        return _automatic(f, x, wrt, args, kwargs, backend, full_output)
    f, x = native.numerical_call(f, x, backend)
    method = "richardson" if method == "auto" else method
    # one step's second differences; their error estimate (a second step) only where it is returned
    estimated = method == "richardson" or full_output
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
        estimated=estimated,
    )
    if problem.f0.shape != ():
        raise TypeError(f"hessian needs f to return a single number, got shape {problem.f0.shape}")
    failed = np.zeros(len(problem.coords), dtype=bool)
    value, error, notes = _hessian_matrix(problem, method, estimated, rtol, atol, failed)
    if np.count_nonzero(failed):
        # f is not finite (or raises) at some points: where that is on one side of a coordinate, that side
        # becomes a bound and the coordinate takes one-sided differences on the other
        first_try = (value, error, notes)
        value, error, notes, failed = _around_failures(problem, method, estimated, rtol, atol, failed, first_try)
    size = max(abs(complex(problem.f0)), problem.evaluator.magnitude)  # f's size near x
    atol = resolved_atol(atol, rtol, np.asarray(size), problem.x0[problem.coords], order=2)
    m = len(problem.coords)
    suspect = failed | ~np.isfinite(value).all(axis=1)
    if suspect.any():
        notes.append("f is not finite at some of the Hessian's stencil points")
    columns = Columns(value.reshape(m, m), error.reshape(m, m), suspect, notes, None, estimated)
    shape = problem.shape if not problem.subset else (m,)
    problem.f0 = np.zeros(shape)  # the Hessian's "output" axes are the gradient's: assemble to shape + shape
    return finish(problem, columns, method, rtol, atol, full_output, normwise=True)


def _automatic(f, x, wrt, args, kwargs, backend, full_output):
    name = autodiff.resolve_backend(x, backend)
    value = autodiff.ad_hessian(f, x, name, args, kwargs)
    if wrt is not None:
        in_shape = tuple(autodiff.as_backend_array(x, name).shape)
        indices = wrt_indices(wrt, in_shape)
        picked = list(indices) if name == "torch" else np.asarray(indices)
        size = math.prod(in_shape)
        value = value.reshape((size, size))[picked][:, picked]
    return autodiff.finished(value, name, full_output)


def _around_failures(problem: Problem, method: str, estimated: bool, rtol, atol, failed, first_try):
    """The Hessian again with a bound at x on each side where f fails at the first step of a failed coordinate.

    `first_try` is (value, error, notes) as they are. Returns value, error, notes, and the coordinates that
    met a failure in the Hessian returned.
    """
    columns = problem.coords[failed]
    x = problem.x0[columns]
    if problem.step is not None:
        h = problem.step[columns]
    else:
        h = (
            fixed_step(x, 2, 2)
            if method == "central"
            else first_richardson_step(x, relative=relative_first(x), order=2)
        )
    h = 2 * h if method == "central" else h  # the longest step taken
    if problem.bounds is not None:  # only coordinates with room on both sides were central: probe those
        room = (x - problem.bounds[0][columns] >= h) & (problem.bounds[1][columns] - x >= h)
        columns, x, h = columns[room], x[room], h[room]
    k = len(columns)
    probes = np.repeat(problem.x0[None], 2 * k, axis=0)
    probes[np.arange(k), columns] += h
    probes[k + np.arange(k), columns] -= h
    above, below = np.isfinite(problem.evaluator.many(probes)).reshape(2, k)
    one_side = above != below
    if not np.count_nonzero(one_side):
        return (*first_try, failed)
    if problem.bounds is None:
        lower, upper = np.full_like(problem.x0, -np.inf), np.full_like(problem.x0, np.inf)
    else:
        lower, upper = problem.bounds[0].copy(), problem.bounds[1].copy()
    lower[columns[above & ~below]] = problem.x0[columns[above & ~below]]
    upper[columns[below & ~above]] = problem.x0[columns[below & ~above]]
    again = np.zeros_like(failed)
    value, error, notes = _hessian_matrix(replace(problem, bounds=(lower, upper)), method, estimated, rtol, atol, again)
    redone = columns[one_side]
    notes = [n for n in notes if not any(n.startswith(f"x[{c}] is near a bound") for c in redone)]
    notes += [f"f is not finite on one side of x[{c}]: one-sided differences" for c in redone]
    return value, error, notes, again


def _hessian_matrix(
    problem: Problem, method: str, estimated: bool, rtol: float, atol: float, failed: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Value and error estimate ``(m, m)`` for the coordinates differentiated, and notes; `failed` (m,) is
    set where f was not finite at some point of a coordinate's differences."""
    x = problem.x0[problem.coords]
    failed = np.zeros(len(x), dtype=bool) if failed is None else failed
    if not len(x):
        return np.empty((0, 0)), np.empty((0, 0)), []
    if method == "central":
        return _one_step(problem, estimated, failed)
    if problem.step is not None:
        value, error, side, jumping, kinked = _extrapolated(problem, problem.step[problem.coords], failed)
        return value, _unknown_where_jumping(error, jumping), _notes(problem.coords, side != 0, jumping, kinked)
    # As for gradients: steps relative to |x| where |x| < 1/8; where the result is unsure, the other scale
    # for the coordinates where it differs, keeping each element's more certain estimate.
    first = relative_first(x)
    value, error, side, jumping, kinked = _extrapolated(
        problem, first_richardson_step(x, relative=first, order=2), failed
    )
    magnitude = np.abs(value).max(initial=0.0)
    # an exact 0 with error 0 is what an f flat at these steps gives (log(1 + x**2) at 1e-9): unsure too
    flat = (value == 0) & (error == 0)
    unsure = ~within(magnitude, error, rtol, retry_atol(atol)) | flat
    # a coordinate's scale shows in its diagonal element; a mixed element only says one of two is off
    diagonal = np.diagonal(unsure)
    again = rescalable(x, order=2) & (diagonal if np.count_nonzero(diagonal) else unsure.any(axis=1))
    one_sided = side != 0
    if np.count_nonzero(again):
        relative = np.where(again, ~first, first)
        retry_value, retry_error, retry_side, retry_jumping, retry_kinked = _extrapolated(
            problem, first_richardson_step(x, relative=relative, order=2), failed
        )
        better = (retry_error < error) | flat
        value, error = np.where(better, retry_value, value), np.where(better, retry_error, error)
        kept = better.any(axis=1)
        one_sided = np.where(kept, (retry_side != 0) | (one_sided & ~better.all(axis=1)), one_sided)
        jumping, kinked = jumping | retry_jumping, kinked | retry_kinked
    return value, _unknown_where_jumping(error, jumping), _notes(problem.coords, one_sided, jumping, kinked)


def _unknown_where_jumping(error: np.ndarray, jumping: np.ndarray) -> np.ndarray:
    """Where f jumps along a coordinate (or its slope is infinite) its row and column of the Hessian do not
    exist: their error is infinite."""
    if np.count_nonzero(jumping):
        error = np.where(jumping[:, None] | jumping[None, :], np.inf, error)
    return error


def _one_step(problem: Problem, estimated: bool, failed: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Second differences at one step (and, for the error estimate, at twice that step)."""
    ev, x0, f0, coords = problem.evaluator, problem.x0, problem.f0, problem.coords
    x = x0[coords]
    h = fixed_step(x, 2, 2) if problem.step is None else problem.step[coords]
    if problem.bounds is not None and problem.step is None:
        lower, upper = problem.bounds[0][coords], problem.bounds[1][coords]
        fits = (x - lower >= 2 * h) & (upper - x >= 2 * h)
        h = np.where(fits, h, fixed_step(x, 2, 1))  # where one-sided: the step of first-order differences
    # the estimate's second step is twice as long: that one must fit in the bounds too
    side, h = _sides(problem, 2 * h)
    notes = _notes(coords, side != 0)
    h = (x + h / 2) - x
    fine, noise = _second_differences(ev, x0, f0, coords, h, side, failed)
    if not estimated:
        return fine, np.full_like(fine, np.nan), notes
    coarse, _ = _second_differences(ev, x0, f0, coords, 2 * h, side, failed)
    return fine, np.abs(fine - coarse) / (2 ** _power(side) - 1) + 4 * noise, notes


def _extrapolated(problem: Problem, h0: np.ndarray, failed: np.ndarray) -> tuple[np.ndarray, ...]:
    """Richardson extrapolation of second differences at the steps ``nth_step(h0, k)``; also the sides taken,
    and where f's own difference quotients grow as the steps shrink (a jump: no Hessian there)."""
    ev, x0, f0, coords = problem.evaluator, problem.x0, problem.f0, problem.coords
    x = x0[coords]
    side, h0 = _sides(problem, h0)
    trace: list = []
    rows: list = []  # the second differences and their rounding at the steps nth_step(h0, k), k = 0, 1, ...

    def at_step(k):
        while len(rows) <= k:
            h = (x + nth_step(h0, len(rows))) - x
            rows.append(_second_differences(ev, x0, f0, coords, h, side, failed, trace))
        return rows[k]

    power = _power(side)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # steps too small for x (h**2 is 0)
        start = _resolving_start(at_step, power, len(x))
        value = np.zeros((len(x), len(x)), dtype=np.result_type(f0, np.float64))
        error = np.zeros((len(x), len(x)))
        for s in np.unique(np.maximum(start, 0)).tolist():
            chosen = np.maximum(start, 0) == s
            fit = extrapolate(lambda k, s=s, c=chosen: tuple(a[c] for a in at_step(s + k)), power=power, order=2)
            if np.iscomplexobj(fit.value) and not np.iscomplexobj(value):
                value = value.astype(np.complex128)
            value[chosen], error[chosen] = fit.value, fit.error
        # a sequence that never settled, as the steps shrank, has no estimate its table can vouch for
        error = np.where(start < 0, np.maximum(error, np.abs(value)), error)
        # second differences may settle at once where f jumps (sign at 0 gives 0 at every step): two steps'
        # growth
        jumping = rising([(slope, rounding) for *_, slope, rounding in trace], steps=2)
        # ... and where f's slope has a kink (x|x| at 0 gives 0, max(x, 0)**2 the mean of the two sides)
        kinked, spread = curvature_kinks([point for *point, _, _ in trace], f0, ev.precision)
    kinked = kinked & (side == 0) & ~jumping
    if np.count_nonzero(kinked):  # the diagonal element is one side's or the other's, or their mean
        error = np.maximum(error, np.diag(np.where(kinked, spread / 2, 0.0)))
    return value, error, side, jumping, kinked


def _resolving_start(at_step: Callable, power: int, m: int) -> np.ndarray:
    """Per element of the Hessian, the first step k from which its second differences behave as a Taylor
    series says they must once the steps resolve f (`nth.changes_settle`), or -1 if they never do within
    `search_rows` steps. A long first step (a user's, or one of 1/8 of x) may span f's whole scale: second
    differences of exp(-z**2) at steps of 10 are all about 0, agree, and would pass for a converged 0."""
    start = np.full((m, m), -1)
    open_ = np.ones((m, m), dtype=bool)
    for k in range(3, search_rows(STEP_RATIO)):
        rows = [at_step(j) for j in range(k - 3, k + 1)]
        floor = [4 * noise_gain(power) * noise for _, noise in rows[1:]]
        # a kink of f's slope leaves second differences an error in every power of h
        settled = changes_settle([value for value, _ in rows], floor, power, 1) & open_
        start[settled] = k - 3
        open_ &= ~settled
        if not open_.any():
            break
    return start


def _sides(problem: Problem, h0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Directions (0 central, +-1 one-sided) and first steps that keep every point inside the bounds."""
    coords = problem.coords
    if problem.bounds is None:
        return np.zeros(len(coords), dtype=int), h0
    # a one-sided second difference reaches two steps from x
    x = problem.x0[coords]
    return bounded_first_steps(x, h0, problem.bounds[0][coords], problem.bounds[1][coords], reach=2)


def _notes(
    coords: np.ndarray, one_sided: np.ndarray, jumping: np.ndarray | None = None, kinked: np.ndarray | None = None
) -> list[str]:
    notes = [f"x[{c}] is near a bound: one-sided differences" for c in coords[one_sided]]
    if jumping is not None:
        notes += [not_differentiable(c, kinked=False) for c in coords[jumping]]
    if kinked is not None:
        notes += [not_twice_differentiable(f"x[{c}]") for c in coords[kinked & ~jumping]]
    return notes


def _power(side: np.ndarray) -> int:
    """The error of one-sided differences has every power of h, that of central ones the even powers."""
    return 1 if np.count_nonzero(side) else 2


def _second_differences(
    ev, x0, f0, coords, h: np.ndarray, side: np.ndarray, failed: np.ndarray, trace: list | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The matrix of second differences at steps `h` and its rounding, one-sided where `side` is +-1;
    marks in `failed` the coordinates of the differences where f was not finite, and appends to `trace`
    the diagonal's steps, points and argument rounding (central: f(x+h), f(x-h), for `curvature_kinks`)
    and their first differences with their rounding (for `rising`).

    Diagonal: ``(f(x+h) - 2 f(x) + f(x-h)) / h**2``, or one-sided ``(f(x+2sh) - 2 f(x+sh) + f(x)) / h**2``.
    Mixed: ``(f(x+P_i+P_j) - f(x+P_i+M_j) - f(x+M_i+P_j) + f(x+M_i+M_j)) / (D_i D_j)`` with
    ``(P, M, D) = (h, -h, 2h)`` central and ``(sh, 0, sh)`` one-sided.
    """
    m = len(coords)
    one_sided = side != 0
    eye = np.zeros((m, x0.size))
    eye[np.arange(m), coords] = 1.0
    near = np.where(one_sided, side, 1) * h  # the diagonal's two points: x + near, x + far
    far = np.where(one_sided, 2 * side, -1) * h
    plus = near  # P
    minus = np.where(one_sided, 0.0, -h)  # M
    width = plus - minus  # D
    i, j = np.triu_indices(m, 1)
    points = [x0 + eye * near[:, None], x0 + eye * far[:, None]]
    for a, b in ((plus, plus), (plus, minus), (minus, plus), (minus, minus)):
        points.append(x0 + eye[i] * a[i, None] + eye[j] * b[j, None])
    values = ev.many(np.concatenate(points))
    at_near, at_far = values[:m], values[m : 2 * m]
    pp, pm, mp, mm = np.split(values[2 * m :], 4) if len(i) else ([], [], [], [])
    matrix, noise = np.empty((m, m), dtype=np.result_type(values.dtype, np.float64)), np.empty((m, m))
    if not all_finite(values):
        failed |= ~np.isfinite(at_near) | ~np.isfinite(at_far)
        for part in (pp, pm, mp, mm):
            bad = ~np.isfinite(part)
            failed[i[bad]] = failed[j[bad]] = True
    diagonal = np.arange(m)
    # central: f(x+h) + f(x-h) - 2 f(x); one-sided: -2 f(x+sh) + f(x+2sh) + f(x)
    weight_near = np.where(one_sided, -2.0, 1.0)
    weight_x = np.where(one_sided, 1.0, -2.0)
    matrix[diagonal, diagonal] = over_power(weight_near * at_near + at_far + weight_x * f0, h, 2)
    precision = ev.precision  # f's relative rounding: float32's while its values look single precision
    # f rounds what it computes from x (20 x in sin(20 x)) too: half a unit of x_i moves its value by
    # about precision / 2 * |x_i| * |df/dx_i| at each point (a slope from the diagonal's two points).
    slope = np.abs(at_near - at_far) / np.abs(near - far)
    moved = 0.5 * precision * np.abs(x0[coords]) * slope
    if trace is not None:
        first_rounding = (precision * (np.abs(at_near) + np.abs(at_far)) + 2 * moved) / np.abs(near - far)
        trace.append((h, at_near, at_far, moved, slope, first_rounding))
    noise[diagonal, diagonal] = over_power(
        precision * (np.abs(weight_near * at_near) + np.abs(at_far) + abs(2 * f0)) + 4 * moved, h, 2
    )
    if len(i):
        # divided by each width in turn: their product overflows at |x| = 1e160, where the quotient does not
        across, along = np.abs(width[i]), np.abs(width[j])
        sign = np.sign(width[i]) * np.sign(width[j])
        matrix[i, j] = matrix[j, i] = sign * ((pp - pm - mp + mm) / across) / along
        rounding = precision * (np.abs(pp) + np.abs(pm) + np.abs(mp) + np.abs(mm)) + 4 * (moved[i] + moved[j])
        noise[i, j] = noise[j, i] = (rounding / across) / along
    return matrix, noise
