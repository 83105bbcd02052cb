"""Gradient flow lines: solutions of dx/dt = grad f (ascent) or -grad f (descent), by SciPy's RK45.

A flow line is the path gradient descent approaches as its step goes to zero, integrated with an adaptive
Runge-Kutta method and error control instead of fixed steps. It ends at a critical point (where |grad f|
falls to `gtol`, which it reaches in finite time only approximately: the gradient decays exponentially
near a minimum), where it leaves `bounds` (or a grid's extent), at `t_max`, or after `max_steps` steps.
The loop is `solve_ivp`'s (step, then look for the terminal events on the step's dense output), written
out so that the number of steps is bounded as well.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradkit.paths.box import read_bounds
from gradkit.paths.objective import make_objective, read_start


@dataclass(frozen=True)
class FlowLine:
    """A flow line: times `t`, `points` (one row per time), f's `values`, and why it ended.

    `status` is "critical point", "bounds", "t_max", "max_steps" or "failed"; `message` says it in words.
    """

    t: np.ndarray
    points: np.ndarray
    values: np.ndarray
    status: str
    message: str


def flow_line(
    f: object,
    x0: object,
    *,
    ascent: bool = True,
    t_max: float = 100.0,
    gtol: float = 1e-6,
    bounds: object = None,
    coords: object = None,
    jac: object = None,
    method: str = "auto",
    args: tuple = (),
    rtol: float = 1e-8,
    atol: float = 1e-11,
    max_steps: int = 10_000,
) -> FlowLine:
    """The gradient flow line of f through x0, up (``ascent=True``) or down.

    Parameters
    ----------
    f, jac, method, args, coords, bounds
        As in `descend`: a callable, an `Expression` or formula text, or values on a grid with `coords`.
    x0 : array_like
        The start, one coordinate per variable of f.
    ascent : bool
        Follow +grad f (True) or -grad f.
    t_max : float
        The longest time to integrate.
    gtol : float
        The line ends at a critical point: where |grad f| <= gtol.
    rtol, atol : float
        The Runge-Kutta method's tolerances (SciPy's RK45, as `solve_ivp` runs it).
    max_steps : int
        The most steps of the integrator.

    Returns
    -------
    FlowLine

    Notes
    -----
    Near an attracting critical point the integrator's own error leaves x off the point by about
    ``rtol * |x| + atol``, where |grad f| is about the curvature times that: a `gtol` below it is never
    reached and the line runs to `t_max`. The default tolerances are tight for that reason; raise `gtol`
    for strongly curved f.

    Examples
    --------
    >>> import numpy as np
    >>> from gradkit.paths import flow_line
    >>> line = flow_line("-(x^2 + 4*y^2)", [1.0, 1.0])
    >>> line.status, bool(np.abs(line.points[-1]).max() < 1e-6)
    ('critical point', True)

    On this field the flow line through (1, 1) is y = x^4 (dy/dx = 8y / 2x):

    >>> x, y = line.points.T
    >>> bool(np.abs(y - x**4).max() < 1e-7)
    True
    """
    return flow_lines(
        f,
        [x0],
        ascent=ascent,
        t_max=t_max,
        gtol=gtol,
        bounds=bounds,
        coords=coords,
        jac=jac,
        method=method,
        args=args,
        rtol=rtol,
        atol=atol,
        max_steps=max_steps,
    )[0]


def flow_lines(
    f: object,
    starts: object,
    *,
    ascent: bool = True,
    t_max: float = 100.0,
    gtol: float = 1e-6,
    bounds: object = None,
    coords: object = None,
    jac: object = None,
    method: str = "auto",
    args: tuple = (),
    rtol: float = 1e-8,
    atol: float = 1e-11,
    max_steps: int = 10_000,
) -> list[FlowLine]:
    """Flow lines of f from each of `starts` (a sequence of points), f prepared once; `flow_line`'s options.

    Examples
    --------
    >>> from gradkit.paths import flow_lines
    >>> [line.status for line in flow_lines("x*y", [(1.0, 1.0), (0.0, 0.0)], bounds=[(-2, 2), (-2, 2)])]
    ['bounds', 'critical point']
    """
    starts = list(starts) if not isinstance(starts, np.ndarray) else starts
    if len(starts) == 0:
        raise ValueError("starts must hold at least one point")
    objective = make_objective(f, starts[0], jac=jac, method=method, args=args, coords=coords)
    box = read_bounds(bounds, objective.n, objective.box)
    if not (np.isfinite(t_max) and t_max > 0):
        raise ValueError(f"t_max must be positive and finite, got {t_max!r}")
    if not (np.isfinite(gtol) and gtol >= 0):
        raise ValueError(f"gtol must be a finite number >= 0, got {gtol!r}")
    if isinstance(max_steps, bool) or not isinstance(max_steps, (int, np.integer)) or max_steps < 1:
        raise ValueError(f"max_steps must be an integer >= 1, got {max_steps!r}")
    lines = []
    for x0 in starts:
        start, _ = read_start(x0, objective)
        if not box.contains(start):
            raise ValueError(f"x0 must lie inside bounds (and a grid's extent), got {start.tolist()}")
        lines.append(
            _integrate(objective, box, start, 1.0 if ascent else -1.0, float(t_max), gtol, rtol, atol, max_steps)
        )
    return lines


def _integrate(objective, box, start, sign, t_max, gtol, rtol, atol, max_steps) -> FlowLine:
    try:
        from scipy.integrate import RK45
    except ImportError:
        raise ImportError('flow lines need scipy: pip install "gradkit[symbolic]"') from None

    def speed(x) -> float:
        return float(np.linalg.norm(objective.gradient(x)))

    def inside_by(x) -> float:  # > 0 inside the box, 0 on its surface
        return float(min((x - box.lower).min(), (box.upper - x).min()))

    first = speed(start)
    if not first > gtol:  # a critical point, or no gradient (SciPy's step size would become nan, forever)
        points = start[np.newaxis]
        status, text = (
            ("critical point", "x0 is a critical point") if first <= gtol else ("failed", "grad f(x0) is not finite")
        )
        return FlowLine(np.zeros(1), points, _values(objective, points), status, text)
    # A line running into a singularity of the gradient takes ever shorter steps: max_steps bounds them.
    solver = RK45(lambda t, x: sign * objective.gradient(x), 0.0, start, t_max, rtol=rtol, atol=atol)
    times, points, status, detail = [0.0], [start], "max_steps", ""
    with np.errstate(all="ignore"):
        for _ in range(max_steps):
            failure = solver.step()
            if solver.status == "failed" or not np.isfinite(solver.y).all():
                status, detail = "failed", failure or "the gradient is not finite"
                break
            t, x = solver.t, solver.y.copy()
            if not inside_by(x) >= 0:
                t, x = _crossing(solver, inside_by)
                times.append(t)
                points.append(np.clip(x, box.lower, box.upper))
                status = "bounds"
                break
            if speed(x) <= gtol:
                t, x = _crossing(solver, lambda y: speed(y) - gtol)
                times.append(t)
                points.append(x)
                status = "critical point"
                break
            times.append(t)
            points.append(x)
            if solver.status == "finished":
                status = "t_max"
                break
    t, points = np.array(times), np.array(points)
    messages = {
        "failed": f"the integration failed at t = {t[-1]:.4g}: {detail}",
        "critical point": f"reached a critical point (|grad f| <= {gtol:g}) at t = {t[-1]:.4g}",
        "bounds": f"left bounds at t = {t[-1]:.4g}",
        "t_max": f"reached t_max = {t_max:g}",
        "max_steps": f"stopped after max_steps = {max_steps} steps, at t = {t[-1]:.4g}",
    }
    return FlowLine(t, points, _values(objective, points), status, messages[status])


def _crossing(solver, distance) -> tuple[float, np.ndarray]:
    """Where `distance` of the point crosses 0 within the solver's last step (as `solve_ivp`'s events)."""
    from scipy.optimize import brentq

    dense = solver.dense_output()
    t = brentq(lambda s: distance(dense(s)), solver.t_old, solver.t, xtol=1e-14)
    return t, dense(t)


def _values(objective, points: np.ndarray) -> np.ndarray:
    return np.array([objective.value(p) for p in points])
