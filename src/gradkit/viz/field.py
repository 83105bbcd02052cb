"""Heat map, contours, gradient arrows at true data-space angles and gradient flow lines."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from gradkit.viz.axes import PLANE, axis_names, plane

#: A perceptually uniform colormap.
COLORMAP = "viridis"


@dataclass
class Sampled:
    """A scalar field on a grid: values, and its gradient where the arrows go."""

    xs: np.ndarray
    ys: np.ndarray
    values: np.ndarray  # (len(ys), len(xs)), rows along y
    gradient: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
    label: str
    expression: object | None = None  # the Expression in the axis variables for formulas: exact flow lines
    variables: tuple[str, str] = PLANE  # the names of the horizontal and vertical axes
    value: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None  # f anywhere in the region


@dataclass
class FieldPlot:
    """What `field` drew: the axes and each artist (None where not drawn)."""

    ax: object
    image: object
    colorbar: object
    contours: object | None
    quiver: object | None
    streamlines: object | None
    sampled: Sampled
    not_finite: float = 0.0  # the fraction of the picture where f is not finite (undefined or infinite)
    note: str | None = None  # where f is not finite, in words; None where it is finite everywhere


def sample(f: object, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), n: int = 200, *, variables=None) -> Sampled:
    """Sample a field given as an Expression, formula text, callable ``f(x, y)`` or 2-D array (rows along y).

    `variables` names the horizontal and vertical variables (see `field`). Where f is undefined the samples
    are nan, without NumPy's warnings: `field` says where, once.
    """
    xlim, ylim = _limits(xlim, "xlim"), _limits(ylim, "ylim")
    names = axis_names(variables)
    with np.errstate(all="ignore"):
        return _sample(f, xlim, ylim, n, names)


def _sample(f: object, xlim, ylim, n: int, names: tuple[str, str] | None) -> Sampled:
    from gradkit.grid import gradient as grid_gradient

    labels = names or PLANE
    if isinstance(f, np.ndarray) or (isinstance(f, (list, tuple)) and np.ndim(f) == 2):
        values = _real(f, "an array field")
        if values.ndim != 2 or min(values.shape) < 3:
            raise ValueError(f"an array field must be 2-D with at least 3 points per side, got shape {values.shape}")
        xs = np.linspace(*xlim, values.shape[1])
        ys = np.linspace(*ylim, values.shape[0])
        gy, gx = grid_gradient(values, ys, xs, accuracy=4)
        return Sampled(xs, ys, values, _interpolated(xs, ys, gx, gy), "array", None, labels, _nearest(xs, ys, values))
    expression = plane(f, names) if isinstance(f, str) or hasattr(f, "gradient") else None
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)  # noqa: N806
    if expression is not None:
        partials = expression.gradient()
        values = expression.evaluate(X, Y)
        return Sampled(
            xs,
            ys,
            values,
            lambda x, y: (partials[0].evaluate(x, y), partials[1].evaluate(x, y)),
            str(expression),
            expression,
            expression.variables,
            expression.evaluate,
        )
    if not callable(f):
        raise TypeError(
            f"f must be an Expression, formula text, a callable f(x, y) or a 2-D array, got {type(f).__name__}"
        )
    values = _real(f(X, Y), "f(x, y)")
    if values.shape != X.shape:
        raise ValueError(f"f(x, y) must return an array of the grid's shape {X.shape}, got {values.shape}")
    gy, gx = grid_gradient(values, ys, xs, accuracy=4)
    return Sampled(xs, ys, values, _interpolated(xs, ys, gx, gy), getattr(f, "__name__", "f"), None, labels, f)


def field(
    f: object,
    xlim=(-2.0, 2.0),
    ylim=(-2.0, 2.0),
    *,
    vectors: bool = True,
    contours: bool = True,
    streamlines: bool = False,
    ax=None,
    resolution: int = 200,
    arrows: int = 17,
    variables: str | Sequence[str] | None = None,
) -> FieldPlot:
    """Draw a scalar field with its gradient.

    Parameters
    ----------
    f : Expression, str, callable or 2-D array
        ``"exp(-x^2)*exp(-y^2)"``, an `Expression` in at most two variables, ``f(X, Y)`` on arrays, or
        values on a grid spanning `xlim` x `ylim` (rows along y). A formula in one variable (``"t^2"``) is
        drawn against a second axis it does not depend on (y).
    xlim, ylim : (float, float)
        The region.
    vectors : bool
        Arrows of the gradient on an `arrows` x `arrows` grid, all of one length, coloured by |grad f|, at true
        data-space angles (the axes have an equal aspect, so arrows cross the contours at right angles).
    contours : bool
        Contour lines.
    streamlines : bool
        Gradient flow lines (``gradkit.paths.flow_lines``: dx/dt = grad f integrated with error control, exact
        for formulas, on the sampled grid otherwise), from seeds spread over the region, each followed up
        and down until it reaches a critical point or leaves the region; drawn as a LineCollection.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.
    variables : str or (str, str), optional
        The horizontal and vertical variables, ``"t,s"`` or ``("t", "s")``; the axes are labelled with them.
        By default an Expression's own `variables`, formula text's variables in the order written, and x
        and y for a formula in x and y, a callable or an array.

    Returns
    -------
    FieldPlot
        The axes and the artists; `not_finite` and `note` say where f is not finite. No arrow is drawn where
        f or its gradient is not finite (the quiver's U and V are masked there), and a RuntimeWarning says
        where that is.

    Warns
    -----
    RuntimeWarning
        Where f is not finite somewhere in the picture (``"log(x)"``), with the share of the picture.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import gradkit as gk
    >>> drawn = gk.plot.field("exp(-x^2)*exp(-y^2)", (-2, 2), (-2, 2))
    >>> drawn.quiver is not None, drawn.ax.get_aspect()
    (True, 1.0)
    >>> drawn = gk.plot.field("s + t^2", variables="t,s")
    >>> drawn.ax.get_xlabel(), drawn.ax.get_ylabel()
    ('t', 's')
    """
    import matplotlib.pyplot as plt

    sampled = sample(f, xlim, ylim, resolution, variables=variables)
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 5.6))
    extent = (sampled.xs[0], sampled.xs[-1], sampled.ys[0], sampled.ys[-1])
    image = ax.imshow(sampled.values, origin="lower", extent=extent, cmap=COLORMAP, aspect="equal")
    colorbar = ax.figure.colorbar(image, ax=ax, label=sampled.label if len(sampled.label) < 40 else "f")
    drawn_contours = None
    if contours:
        drawn_contours = ax.contour(
            sampled.xs, sampled.ys, sampled.values, levels=12, colors="white", linewidths=0.7, alpha=0.8
        )
    quiver = _arrows(ax, sampled, arrows) if vectors else None
    stream = _flow_lines(ax, sampled) if streamlines else None
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel(sampled.variables[0])
    ax.set_ylabel(sampled.variables[1])
    share, note = _not_finite(sampled)
    if note is not None:
        warnings.warn(note, RuntimeWarning, stacklevel=2)
    return FieldPlot(ax, image, colorbar, drawn_contours, quiver, stream, sampled, share, note)


def _not_finite(sampled: Sampled) -> tuple[float, str | None]:
    """The fraction of the samples where f is not finite, and where that is in words."""
    bad = ~np.isfinite(sampled.values)
    if not bad.any():
        return 0.0, None
    rows, columns = np.nonzero(bad)
    xs, ys = sampled.xs[columns], sampled.ys[rows]
    across, up = sampled.variables
    return float(bad.mean()), (
        f"f is not finite (undefined or infinite) on {100 * bad.mean():.3g}% of the picture, within "
        f"{across} in [{xs.min():.3g}, {xs.max():.3g}] and {up} in [{ys.min():.3g}, {ys.max():.3g}]; "
        "it is left blank there, without arrows"
    )


def _flow_lines(ax, sampled: Sampled, seeds: int = 9, cells: int = 30):
    from matplotlib.collections import LineCollection

    from gradkit.paths import flow_lines

    xs, ys = sampled.xs, sampled.ys
    source = (
        {"f": sampled.expression} if sampled.expression is not None else {"f": sampled.values.T, "coords": (xs, ys)}
    )
    gx, gy = (np.asarray(g, dtype=np.float64) for g in sampled.gradient(*np.meshgrid(xs[::8], ys[::8])))
    speed = np.hypot(gx, gy)
    top = float(speed[np.isfinite(speed)].max(initial=0.0))
    if top == 0:
        return ax.add_collection(LineCollection([], colors="white"))
    # A line ends where the field is a thousandth of its fastest: on the picture, at the critical point. At
    # that speed or more, a line ten diagonals long takes at most t_max.
    gtol = 1e-3 * top
    t_max = 10 * np.hypot(xs[-1] - xs[0], ys[-1] - ys[0]) / gtol
    margin_x, margin_y = (xs[-1] - xs[0]) / (2 * seeds), (ys[-1] - ys[0]) / (2 * seeds)
    sx, sy = np.meshgrid(
        np.linspace(xs[0] + margin_x, xs[-1] - margin_x, seeds), np.linspace(ys[0] + margin_y, ys[-1] - margin_y, seeds)
    )
    starts = np.column_stack([sx.ravel(), sy.ravel()])
    options = dict(t_max=t_max, gtol=gtol, bounds=[(xs[0], xs[-1]), (ys[0], ys[-1])], rtol=1e-6, atol=1e-9, **source)
    with np.errstate(all="ignore"):
        up = flow_lines(ascent=True, starts=starts, **options)
        down = flow_lines(ascent=False, starts=starts, **options)
    # Like matplotlib's streamplot, skip a seed that an earlier line already passed through.
    visited = np.zeros((cells, cells), dtype=bool)

    def cell(points):
        i = np.clip(((points[:, 1] - ys[0]) / (ys[-1] - ys[0]) * cells).astype(int), 0, cells - 1)
        j = np.clip(((points[:, 0] - xs[0]) / (xs[-1] - xs[0]) * cells).astype(int), 0, cells - 1)
        return i, j

    segments = []
    for start, rising, falling in zip(starts, up, down):
        if visited[cell(start[np.newaxis])].any():
            continue
        line = np.vstack([falling.points[::-1], rising.points[1:]])
        visited[cell(line)] = True
        segments.append(line)
    return ax.add_collection(LineCollection(segments, colors="white", linewidths=0.7, alpha=0.9))


def _arrows(ax, sampled: Sampled, count: int):
    xs = np.linspace(sampled.xs[0], sampled.xs[-1], count + 2)[1:-1]
    ys = np.linspace(sampled.ys[0], sampled.ys[-1], count + 2)[1:-1]
    X, Y = np.meshgrid(xs, ys)  # noqa: N806
    with np.errstate(all="ignore"):
        gx, gy = (np.broadcast_to(np.asarray(g, dtype=np.float64), X.shape) for g in sampled.gradient(X, Y))
        values = np.broadcast_to(np.asarray(sampled.value(X, Y), dtype=np.float64), X.shape)
        magnitude = np.hypot(gx, gy)
        length = 0.8 * min(xs[1] - xs[0], ys[1] - ys[0])
        u = np.where(magnitude > 0, gx / magnitude, 0.0) * length
        v = np.where(magnitude > 0, gy / magnitude, 0.0) * length
    # The gradient may be finite where f is not (1/x beside log(x) at x < 0): no arrow where either is not.
    undefined = ~(np.isfinite(values) & np.isfinite(gx) & np.isfinite(gy))
    u, v, magnitude = (np.ma.masked_where(undefined, a) for a in (u, v, magnitude))
    # angles="xy" and scale_units="xy" with scale=1 draw (u, v) in data units, so angles are true on an
    # equal-aspect plot (the default measures angles on the screen).
    return ax.quiver(
        X,
        Y,
        u,
        v,
        magnitude,
        angles="xy",
        scale_units="xy",
        scale=1.0,
        cmap="autumn",
        pivot="tail",
        width=0.005,
        headwidth=4,
        edgecolor="black",
        linewidth=0.4,
    )


def _nearest(xs, ys, values):
    """f between the samples of an array: the nearest sample (only used to find where f is not finite)."""
    from scipy.interpolate import RegularGridInterpolator

    nearest = RegularGridInterpolator((ys, xs), values, method="nearest", bounds_error=False, fill_value=None)

    def value(x, y):
        y, x = np.broadcast_arrays(y, x)
        return nearest(np.stack((y, x), axis=-1).reshape(-1, 2)).reshape(x.shape)

    return value


def _real(values: object, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be real numbers, got dtype {array.dtype}")
    return array.astype(np.float64)


def _start(start: object) -> np.ndarray:
    try:
        point = np.array(start, dtype=np.float64)
    except (TypeError, ValueError):
        point = None
    if point is None or point.shape != (2,) or not np.isfinite(point).all():
        raise ValueError(f"start must be two finite numbers (x, y), got {start!r}")
    return point


def _limits(limits: object, name: str) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in limits)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be two numbers (low, high), got {limits!r}") from None
    if not (np.isfinite(low) and np.isfinite(high) and low < high):
        raise ValueError(f"{name} must be finite with low < high, got {limits!r}")
    return low, high


def _interpolated(xs, ys, gx, gy):
    from scipy.interpolate import RegularGridInterpolator

    fx = RegularGridInterpolator((ys, xs), gx, bounds_error=False, fill_value=None)
    fy = RegularGridInterpolator((ys, xs), gy, bounds_error=False, fill_value=None)

    def gradient(x, y):
        y, x = np.broadcast_arrays(y, x)
        points = np.stack((y, x), axis=-1).reshape(-1, 2)
        return fx(points).reshape(x.shape), fy(points).reshape(x.shape)

    return gradient
