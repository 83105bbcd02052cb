"""Ascent and descent paths on a picture: `gradkit.paths` follows the gradient, this draws the path."""

from __future__ import annotations

import numpy as np

from gradkit.viz.field import _limits, _real, _start


def path(
    f: object,
    start: tuple[float, float],
    *,
    ascent: bool = True,
    step: float = 0.1,
    steps: int = 100,
    momentum: float = 0.0,
    rule: object = None,
    xlim=(-2.0, 2.0),
    ylim=(-2.0, 2.0),
    ax=None,
    full_output: bool = False,
    variables=None,
):
    """Follow the gradient from `start` (ascent, or descent with ``ascent=False``) and draw the path.

    Gradient steps ``p += step * grad f(p)`` (``-=`` for descent), with optional heavy-ball `momentum`
    (`gk.ascend` / `gk.descend` with ``rule=HeavyBall(step, momentum)``), or any other `rule` of theirs. The
    gradient is exact for formulas, by finite differences for callables ``f(x, y)``, and from the samples
    for a 2-D array spanning `xlim` x `ylim` (rows along y). The path stops after `steps` steps, where the
    gradient vanishes (below 1e-12), where it diverges, or where it leaves the region.

    `start` and the points are (horizontal, vertical) in the variables `gk.plot.field` puts on its axes:
    `variables` (``"t,s"``) if given, else an Expression's own, a formula's in the order written, or x and y.

    Returns
    -------
    ndarray or PathResult
        The points, shape ``(k, 2)``; with `full_output`, the whole `PathResult` (with the reason it stopped).
        With `ax`, the path is drawn on it.

    Examples
    --------
    >>> import gradkit as gk
    >>> points = gk.plot.path("exp(-x^2)*exp(-y^2)", (1.0, -0.5), step=0.5, steps=200)
    >>> bool(abs(points[-1]).max() < 1e-3)
    True
    >>> gk.plot.path("x^2 + y^2", (1.0, 0.5), ascent=False, step=1.2, full_output=True).message
    'the path left bounds; it stops where it crossed them after 3 steps'
    >>> gk.plot.path("(t - 1)^2 + s^2", (0.5, 0.5), ascent=False, step=0.5, variables="t,s").tolist()
    [[0.5, 0.5], [1.0, 0.0]]
    """
    from gradkit.paths import HeavyBall, ascend, descend

    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    point = _start(start)
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    if rule is None:
        rule = HeavyBall(step=step, momentum=momentum)  # momentum 0: plain gradient steps
    follow = ascend if ascent else descend
    result = follow(
        **_source(f, xlim, ylim, variables), x0=point, rule=rule, maxiter=int(steps), gtol=1e-12, bounds=[xlim, ylim]
    )
    if ax is not None:
        trail = result.points
        ax.plot(trail[:, 0], trail[:, 1], "-o", color="#ff6f3c", markersize=2.5, linewidth=1.5)
        ax.plot(*trail[0], "o", color="white", markeredgecolor="black")
    return result if full_output else result.points


def _source(f: object, xlim, ylim, variables=None) -> dict:
    """`descend`'s f (and coords) for a picture's field: an Expression, a callable of (x, y) or a grid."""
    if isinstance(f, np.ndarray) or (isinstance(f, (list, tuple)) and np.ndim(f) == 2):
        values = _real(f, "an array field")
        if values.ndim != 2 or min(values.shape) < 3:
            raise ValueError(f"an array field must be 2-D with at least 3 points per side, got shape {values.shape}")
        coords = (np.linspace(*xlim, values.shape[1]), np.linspace(*ylim, values.shape[0]))
        return {"f": values.T, "coords": coords}  # rows along y: axis 0 of the transpose runs along x
    if isinstance(f, str) or hasattr(f, "gradient"):
        from gradkit.viz.axes import plane

        return {"f": plane(f, variables)}
    if not callable(f):
        raise TypeError(
            f"f must be an Expression, formula text, a callable f(x, y) or a 2-D array, got {type(f).__name__}"
        )
    return {"f": lambda p: f(p[0], p[1])}
