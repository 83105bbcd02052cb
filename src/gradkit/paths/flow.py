"""Gradient flow lines: solutions of dx/dt = grad f (ascent) or -grad f (descent), by SciPy's `solve_ivp`.

A flow line is the path gradient descent approaches as its step goes to zero, integrated with an adaptive
Runge-Kutta method and error control instead of fixed steps. It ends at a critical point (where |grad f|
falls to `gtol`, which it reaches in finite time only approximately: the gradient decays exponentially
near a minimum), where it leaves `bounds` (or a grid's extent), or at `t_max`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradkit.paths.box import read_bounds
from gradkit.paths.objective import make_objective, read_start


@dataclass(frozen=True)
class FlowLine:
    """A flow line: times `t`, `points` (one row per time), f's `values`, and why it ended.

    `status` is "critical point", "bounds", "t_max" or "failed"; `message` says it in words.
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
        `solve_ivp`'s tolerances (RK45).

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
    lines = []
    for x0 in starts:
        start, _ = read_start(x0, objective)
        if not box.contains(start):
            raise ValueError(f"x0 must lie inside bounds (and a grid's extent), got {start.tolist()}")
        lines.append(_integrate(objective, box, start, 1.0 if ascent else -1.0, float(t_max), gtol, rtol, atol))
    return lines


def _integrate(objective, box, start, sign, t_max, gtol, rtol, atol) -> FlowLine:
    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        raise ImportError('flow lines need scipy: pip install "gradkit[symbolic]"') from None

    last: list = [None, None]  # the events ask for the gradient at the point the right-hand side just had

    def gradient(x):
        if last[0] is None or not np.array_equal(last[0], x):
            last[0], last[1] = x.copy(), objective.gradient(x)
        return last[1]

    def velocity(t, x):
        return sign * gradient(x)

    def critical(t, x):
        return float(np.linalg.norm(gradient(x))) - gtol

    def outside(t, x):
        return float(min((x - box.lower).min(), (box.upper - x).min()))

    critical.terminal, critical.direction = True, -1
    outside.terminal, outside.direction = True, -1
    if np.linalg.norm(objective.gradient(start)) <= gtol:
        points = start[np.newaxis]
        return FlowLine(np.zeros(1), points, _values(objective, points), "critical point", "x0 is a critical point")
    solution = solve_ivp(velocity, (0.0, t_max), start, rtol=rtol, atol=atol, events=(critical, outside))
    t, points = solution.t, solution.y.T
    if solution.status == -1:
        status = "failed"
    elif solution.t_events[0].size:
        status = "critical point"
    elif solution.t_events[1].size:
        status = "bounds"
        points = np.vstack([points[:-1], np.clip(points[-1], box.lower, box.upper)])
    else:
        status = "t_max"
    messages = {
        "failed": f"the integration failed: {solution.message}",
        "critical point": f"reached a critical point (|grad f| <= {gtol:g}) at t = {t[-1]:.4g}",
        "bounds": f"left bounds at t = {t[-1]:.4g}",
        "t_max": f"reached t_max = {t_max:g}",
    }
    return FlowLine(t, points, _values(objective, points), status, messages[status])


def _values(objective, points: np.ndarray) -> np.ndarray:
    return np.array([objective.value(p) for p in points])
