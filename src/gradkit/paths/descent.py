"""`descend` and `ascend`: one loop that follows a step rule from x0 until a stopping rule holds."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import numpy as np

from gradkit.paths.box import Box, read_bounds
from gradkit.paths.objective import Objective, make_objective, read_start
from gradkit.paths.result import Iterate, PathResult
from gradkit.paths.rules import make_rule
from gradkit.paths.stopping import Status, Tolerances, converged, message


def descend(
    f: object,
    x0: object,
    *,
    rule: object = "fixed",
    step: float | None = None,
    momentum: float | None = None,
    jac: object = None,
    method: str = "auto",
    args: tuple = (),
    coords: object = None,
    bounds: object = None,
    gtol: float = 1e-6,
    xtol: float = 0.0,
    ftol: float = 0.0,
    maxiter: int = 1000,
    blowup: float = 1e12,
    callback: Callable | None = None,
) -> PathResult:
    """Follow the negative gradient of f from x0 (gradient descent), recording the path.

    Parameters
    ----------
    f : callable, Expression, str or ndarray
        A Python function ``f(x, *args)`` of an array shaped like x0 returning a number; an `Expression` or
        formula text (its variables in `Expression.variables` order are x's coordinates; exact gradient);
        or an n-D array of values on a grid, with `coords`.
    x0 : array_like
        The start. A torch tensor or JAX array makes the default gradient automatic differentiation.
    rule : {"fixed", "armijo", "heavy-ball", "nesterov", "adam"} or a rule object
        How to step: ``x - step*g``; a backtracking line search from `step` that halves until f decreases
        enough (Armijo); Polyak's heavy ball or Nesterov's momentum; Adam. A rule object (`Fixed`,
        `Armijo`, `HeavyBall`, `Nesterov`, `Adam` in `gradkit.paths`) sets the other parameters.
    step : float, optional
        The step (learning rate); the first trial step for "armijo". Defaults: 0.1, "armijo" 1.0,
        "adam" 0.001.
    momentum : float, optional
        For "heavy-ball" and "nesterov", in [0, 1); 0.9 by default.
    jac : callable or True, optional
        For a callable f: the gradient ``jac(x, *args)``, or True when f returns ``(value, gradient)``.
        By default ``gk.grad(f, x, method=method)``.
    method : str
        `gk.grad`'s method when f is a callable without `jac` ("auto": automatic differentiation for torch
        and JAX inputs, Richardson-extrapolated differences otherwise).
    args : tuple
        Extra arguments to f (and `jac`).
    coords : sequence, optional
        For an array f: one increasing 1-D coordinate array (or a scalar spacing) per axis; axis i runs
        along x's coordinate i. Unit spacing from 0 by default. The gradient is `gk.gradient`'s
        (second-order), value and gradient are interpolated linearly, and the path stops at the grid's edge.
    bounds : sequence of (low, high) or scipy.optimize.Bounds, optional
        The path stops where it would leave this box (None for no limit on one side).
    gtol, xtol, ftol : float
        Success when ``|grad f| <= gtol``, ``|x_{k+1} - x_k| <= xtol``, or ``|f_{k+1} - f_k| <= ftol *
        max(|f_k|, |f_{k+1}|, 1)``. xtol and ftol are off (0) by default.
    maxiter : int
        The most steps.
    blowup : float
        Divergence when ``|x - x0| > blowup * (1 + |x0|)`` or ``|f - f0| > blowup * (1 + |f0|)`` (also when x
        or f stops being finite).
    callback : callable, optional
        Called after each step with the point, ``callback(xk)``, or with an `Iterate` (x, fun, jac, nit) when
        its one parameter is named ``intermediate_result`` (as in SciPy). Returning True, or raising
        StopIteration, stops the path.

    Returns
    -------
    PathResult
        x, fun, jac, nit, nfev, njev, success, status, message (as `scipy.optimize.OptimizeResult`), and the
        path: points, values, grad_norms, step_sizes.

    Notes
    -----
    A fixed step larger than 2 / (the largest curvature) overshoots further at each step and diverges;
    one much smaller crawls. The line search adapts the step to the curvature, at the price of more
    evaluations of f; momentum speeds up narrow valleys. On a grid the path is as accurate as the
    differences and the interpolation: its error shrinks with the square of the spacing.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> r = gk.descend(lambda p: (p[0] - 1) ** 2 + 4 * (p[1] + 2) ** 2, [0.0, 0.0], jac=lambda p: np.array(
    ...     [2 * (p[0] - 1), 8 * (p[1] + 2)]), step=0.1, gtol=1e-10)
    >>> r.success, np.round(r.x, 8), r.message
    (True, array([ 1., -2.]), 'gradient norm below gtol after 107 steps: |grad f| = 8.5e-11 <= 1e-10')

    Each step multiplies x's distance to 1 by 1 - 0.1*2 = 0.8, so |grad f| ~ 2 * 0.8**k first falls below 1e-10
    at k = 107:

    >>> int(np.ceil(np.log(1e-10 / 2) / np.log(0.8))), r.points.shape, float(r.values[0])
    (107, (108, 2), 17.0)
    """
    return _follow(1.0, f, x0, locals())  # the keyword arguments, the same for both directions


def ascend(
    f: object,
    x0: object,
    *,
    rule: object = "fixed",
    step: float | None = None,
    momentum: float | None = None,
    jac: object = None,
    method: str = "auto",
    args: tuple = (),
    coords: object = None,
    bounds: object = None,
    gtol: float = 1e-6,
    xtol: float = 0.0,
    ftol: float = 0.0,
    maxiter: int = 1000,
    blowup: float = 1e12,
    callback: Callable | None = None,
) -> PathResult:
    """Follow the gradient of f uphill from x0 (gradient ascent): the descent of -f, reported in f.

    Takes `descend`'s parameters.

    Examples
    --------
    >>> import gradkit as gk
    >>> r = gk.ascend("exp(-x^2 - (y - 1)^2)", [0.5, 0.2], step=0.5)
    >>> r.success, [round(float(v), 6) for v in r.x], round(r.fun, 12)
    (True, [0.0, 1.0], 1.0)
    """
    return _follow(-1.0, f, x0, locals())


def _follow(sign: float, f: object, x0: object, options: dict) -> PathResult:
    objective = make_objective(
        f, x0, jac=options["jac"], method=options["method"], args=options["args"], coords=options["coords"]
    )
    start, shape = read_start(x0, objective)
    rule = make_rule(options["rule"], options["step"], options["momentum"])
    box = read_bounds(options["bounds"], objective.n, objective.box)
    if not box.contains(start):
        raise ValueError(f"x0 must lie inside bounds (and a grid's extent), got {start.reshape(shape).tolist()}")
    tol = Tolerances(options["gtol"], options["xtol"], options["ftol"], options["maxiter"], options["blowup"])
    callback = options["callback"]
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {callback!r}")
    return _loop(sign, objective, start, shape, rule, box, tol, callback)


def _loop(sign, objective: Objective, x0, shape, rule, box: Box, tol: Tolerances, callback) -> PathResult:
    def value(x):
        return sign * objective.value(x)

    def gradient(x):
        return sign * objective.gradient(x)

    stepper = rule.start(objective.n, value, gradient)
    wants_iterate = callback is not None and _takes_intermediate_result(callback)
    f0, g = objective.value_and_gradient(x0)
    if not np.isfinite(f0):
        raise ValueError(f"f(x0) must be finite, got {f0}")
    x, fx = x0, f0
    points, values, norms, sizes = [x0], [f0], [_norm(g)], []
    status, detail = None, ""
    if not np.isfinite(g).all():
        status, detail = Status.NONFINITE_GRADIENT, f"grad f(x0) = {g.tolist()}"
    elif norms[0] <= tol.gtol:
        status, detail = Status.GRADIENT, f"|grad f| = {norms[0]:.2g} <= {tol.gtol:g}"
    elif tol.maxiter == 0:
        status = Status.MAXITER
    while status is None:
        taken = _step(stepper, objective, sign, x, fx, g, x0, box, tol)
        if len(taken) == 2:  # (status, detail): no step could be taken
            status, detail = taken
            break
        x_new, f_new, g_new, left = taken
        step_norm = float(_norm(x_new - x))
        g_norm = float(_norm(g_new))
        points.append(x_new)
        values.append(f_new)
        norms.append(g_norm)
        sizes.append(step_norm)
        f_old, x, fx, g = fx, x_new, f_new, g_new
        nit = len(sizes)
        if abs(f_new - f0) > tol.blowup * (1 + abs(f0)):
            status, detail = Status.DIVERGED, f"f grew without bound (f = {f_new:.3g})"
        elif not np.isfinite(g_norm):
            status, detail = Status.NONFINITE_GRADIENT, f"at {x_new.tolist()}"
        elif left:
            status = Status.BOUNDS
        else:
            status = converged(tol, step_norm=step_norm, f_old=f_old, f_new=f_new, g_norm=g_norm)
            detail = _detail(status, tol, step_norm, f_old, f_new, g_norm)
        if callback is not None and _asks_to_stop(callback, wants_iterate, x, fx, g, nit, shape) and status is None:
            status = Status.CALLBACK
        if status is None and nit >= tol.maxiter:
            status = Status.MAXITER
    nit = len(sizes)
    return PathResult(
        x=x.reshape(shape).copy(),
        fun=float(fx),
        jac=g.reshape(shape).copy(),
        nit=nit,
        nfev=objective.nfev,
        njev=objective.njev,
        success=status.success,
        status=int(status),
        message=message(status, nit, detail),
        points=np.array(points).reshape((nit + 1, *shape)),
        values=np.array(values),
        grad_norms=np.array(norms),
        step_sizes=np.array(sizes),
    )


def _step(stepper, objective: Objective, sign: float, x, fx, g, x0, box: Box, tol: Tolerances):
    """The next point with f and its gradient there and whether it is where the path left the box, or
    (status, detail) when no step can be taken (the line search failed, x diverged, f is not finite)."""
    # Overflow in a step is divergence, reported in the result: not also a warning.
    with np.errstate(over="ignore", invalid="ignore"):
        proposal = stepper(x, sign * fx, sign * g)
    if proposal.failed:
        return Status.LINE_SEARCH, ""
    x_new = proposal.x
    if not np.isfinite(x_new).all():
        return Status.DIVERGED, "x is not finite"
    distance = _norm(x_new - x0)
    if distance > tol.blowup * (1 + _norm(x0)):
        return Status.DIVERGED, f"x grew without bound (|x - x0| = {distance:.3g})"
    left = not box.contains(x_new)
    if left:
        x_new = box.exit(x, x_new)
        if np.array_equal(x_new, x):
            return Status.BOUNDS, ""
        f_new, g_new = objective.value_and_gradient(x_new)
    elif proposal.value is not None:  # the line search evaluated f there already
        f_new, g_new = sign * proposal.value, objective.gradient(x_new)
    else:
        f_new, g_new = objective.value_and_gradient(x_new)
    if not np.isfinite(f_new):
        return Status.DIVERGED, f"f is not finite at {x_new.tolist()}"
    return x_new, f_new, g_new, left


def _norm(v: np.ndarray) -> float:
    """The Euclidean norm, scaled first so that a finite vector (a gradient of 1e200) has a finite norm."""
    largest = float(np.abs(v).max(initial=0.0))
    if largest == 0 or not np.isfinite(largest):
        return largest
    return largest * float(np.sqrt(np.sum((v / largest) ** 2)))


def _detail(status, tol: Tolerances, step_norm: float, f_old: float, f_new: float, g_norm: float) -> str:
    if status == Status.GRADIENT:
        return f"|grad f| = {g_norm:.2g} <= {tol.gtol:g}"
    if status == Status.STEP:
        return f"|step| = {step_norm:.2g} <= {tol.xtol:g}"
    if status == Status.VALUE:
        return f"|change of f| = {abs(f_new - f_old):.2g} <= {tol.ftol:g} * max(|f|, 1)"
    return ""


def _takes_intermediate_result(callback: Callable) -> bool:
    try:
        parameters = inspect.signature(callback).parameters
    except (TypeError, ValueError):
        return False
    return list(parameters) == ["intermediate_result"]


def _asks_to_stop(callback, wants_iterate: bool, x, fx, g, nit: int, shape) -> bool:
    if wants_iterate:
        argument = Iterate(x.reshape(shape).copy(), float(fx), g.reshape(shape).copy(), nit)
    else:
        argument = x.reshape(shape).copy()
    try:
        return callback(argument) is True
    except StopIteration:
        return True
