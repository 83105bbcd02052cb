"""The explorer's path request answered by the descent loop: its arguments in, a JSON-ready dict out."""

from __future__ import annotations

import numpy as np

from gradkit.paths.descent import ascend, descend
from gradkit.paths.rules import HeavyBall
from gradkit.paths.stopping import Status

#: Below this gradient norm the page's path has arrived (it draws nothing shorter than a pixel anyway).
GTOL = 1e-12


def path_request(formula: object, start, step: float, steps: int, momentum: float, ascent: bool) -> dict:
    """A gradient ascent or descent path for the page, with f at each point and why it stopped.

    The page's step and momentum controls are Polyak's heavy ball (``v = momentum v - step grad``; plain
    gradient steps at momentum 0), at most `steps` steps, stopping where the gradient vanishes or the path
    diverges.

    Parameters
    ----------
    formula : str or Expression
        A formula in x and y (or an Expression already compiled, as the explorer's workers keep them).
    start : (float, float)
        Where the path starts.
    step, steps, momentum, ascent
        The page's controls.

    Returns
    -------
    dict
        ``points`` (lists [x, y]), ``values`` (f there, None where not finite), ``status`` (a `Status`
        code), ``reason`` (its name in lower case) and ``message``.

    Examples
    --------
    >>> answer = path_request("exp(-x^2)*exp(-y^2)", (1.0, -0.5), 0.5, 200, 0.0, True)
    >>> answer["reason"], len(answer["points"][0]), round(answer["values"][-1], 9)
    ('gradient', 2, 1.0)

    A step of 1.5 on x^2 + y^2 maps x to x - 3x = -2x, so f grows fourfold a step, past 1e12 * (1 + f0):

    >>> path_request("x^2 + y^2", (1.0, 1.0), 1.5, 100, 0.0, False)["message"]
    'diverged after 21 steps: f grew without bound (f = 8.8e+12)'
    """
    from gradkit.paths.plane import plane_expression

    expression = plane_expression(formula)
    point = np.array(start, dtype=np.float64)
    with np.errstate(all="ignore"):
        first = float(expression.evaluate(*point))
    if not np.isfinite(first):
        return {
            "points": [point.tolist()],
            "values": [None],
            "status": int(Status.DIVERGED),
            "reason": Status.DIVERGED.name.lower(),
            "message": "f is not finite at the start",
        }
    follow = ascend if ascent else descend
    result = follow(expression, point, rule=HeavyBall(step=step, momentum=momentum), maxiter=steps, gtol=GTOL)
    status = Status(result.status)
    return {
        "points": result.points.tolist(),
        "values": [v if np.isfinite(v) else None for v in result.values.tolist()],
        "status": int(status),
        "reason": status.name.lower(),
        "message": result.message,
    }
