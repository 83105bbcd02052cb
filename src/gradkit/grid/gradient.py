"""`gradient` and `differentiate`: NumPy-style arguments in, one plan per axis, a kernel out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from gradkit.grid import options
from gradkit.grid.numpy_rules import numpy_axis_plan
from gradkit.grid.plan import AxisPlan
from gradkit.grid.reference import execute
from gradkit.grid.spacing import AxisSpacing, normalize_spacing
from gradkit.grid.stencil_rules import stencil_axis_plan


def gradient(
    f: object,
    *varargs: object,
    axis: int | Sequence[int] | None = None,
    edge_order: int = 1,
    accuracy: int | None = None,
    periodic: bool | Sequence[bool] = False,
    period: float | Sequence[float | None] | None = None,
) -> np.ndarray | tuple[np.ndarray, ...]:
    """Gradient of an N-dimensional array: a drop-in superset of `numpy.gradient`.

    With the default options the result is the one `numpy.gradient` gives, bit
    for bit, with the same dtype and return type: second-order central
    differences inside and first- or second-order one-sided differences at
    the edges.

    Parameters
    ----------
    f : array_like
        Samples of a function on a grid. Subclasses (masked arrays) are kept.
    *varargs : scalar or 1-D array_like, optional
        Spacing, as in `numpy.gradient`: nothing (unit spacing), one scalar for
        every axis, or one scalar step or 1-D coordinate array per axis.
    axis : int or tuple of ints, optional
        Axes to differentiate along; all by default. Negative values count
        from the end.
    edge_order : {1, 2}, optional
        Accuracy of the one-sided differences at the edges when `accuracy`
        is None.
    accuracy : {2, 4, 6, 8, 10}, optional
        Keyword-only. Order of accuracy of every stencil, interior and edges
        (one-sided near the edges, so `edge_order` is not used). None keeps
        NumPy's behaviour.
    periodic : bool or tuple of bool, optional
        Keyword-only. Treat the axis (or each of `axis`) as periodic: stencils
        wrap around and there are no edge formulas. Second order unless
        `accuracy` says otherwise.
    period : float or sequence of float, optional
        Keyword-only. Length of the periodic domain, required for a periodic
        axis given by coordinates (the distance from the last sample back to
        the first is ``period - (x[-1] - x[0])``).

    Returns
    -------
    numpy.ndarray or tuple of numpy.ndarray
        One array per differentiated axis, shaped like `f`; a single array when
        one axis is differentiated. Integer input gives float64,
        datetime64 input gives timedelta64, as in NumPy.

    Raises
    ------
    TypeError
        For a wrong number of spacing arguments.
    ValueError
        For coordinates of the wrong shape, axes too short for the stencils,
        and, where NumPy returns garbage instead: an `edge_order` other than 1
        or 2, a zero step, or coordinates that are not strictly monotonic.

    See Also
    --------
    differentiate : a derivative of any order along one axis.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    >>> gk.gradient(x**2, x)
    array([3., 4., 6., 8., 9.])
    >>> gk.gradient(x**2, x, accuracy=2)
    array([ 2.,  4.,  6.,  8., 10.])
    >>> t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    >>> bool(np.abs(gk.gradient(np.sin(t), t[1], periodic=True, accuracy=8) - np.cos(t)).max() < 1e-9)
    True
    """
    f = np.asanyarray(f)
    axes = _normalize_axes(axis, f.ndim)
    spacings = normalize_spacing(f.shape, axes, varargs)
    edge_order = options.check_edge_order(edge_order)
    accuracy = options.check_accuracy(accuracy, optional=True)
    flags = options.per_axis_flags(periodic, len(axes))
    periods = options.per_axis_periods(period, len(axes))

    plans = []
    for ax, spacing, wraps, length in zip(axes, spacings, flags, periods):
        if accuracy is None and not wraps:
            plans.append(numpy_axis_plan(ax, f.shape[ax], spacing, edge_order))
        else:
            plans.append(
                stencil_axis_plan(
                    ax, f.shape[ax], spacing, order=1, accuracy=accuracy or 2, periodic=wraps, period=length
                )
            )
    results = run_plans(f, plans)
    return results[0] if len(axes) == 1 else tuple(results)


def differentiate(
    f: object,
    *spacing: object,
    axis: int = -1,
    order: int = 1,
    accuracy: int = 2,
    periodic: bool = False,
    period: float | None = None,
) -> np.ndarray:
    """Derivative of any order of an array along one axis.

    Parameters
    ----------
    f : array_like
        Samples on a grid.
    *spacing : scalar or 1-D array_like, optional
        Step along `axis` or the coordinates of its samples; unit spacing if
        omitted.
    axis : int, optional
        The axis to differentiate along (default: the last).
    order : int, optional
        Derivative order, 1 or more.
    accuracy : {2, 4, 6, 8, 10}, optional
        Order of accuracy, interior and edges.
    periodic : bool, optional
        Wrap around instead of using one-sided stencils at the edges.
    period : float, optional
        Domain length of a periodic axis given by coordinates.

    Returns
    -------
    numpy.ndarray
        The derivative, shaped like `f`.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x = np.linspace(0.0, 1.0, 6)
    >>> bool(np.allclose(gk.differentiate(x**3, x, order=2), 6 * x))
    True
    """
    f = np.asanyarray(f)
    (ax,) = _normalize_axes(axis, f.ndim, single=True)
    (axis_spacing,) = normalize_spacing(f.shape, (ax,), spacing, name="differentiate")
    plan = derivative_plan(f.shape, ax, axis_spacing, order=order, accuracy=accuracy, periodic=periodic, period=period)
    return run_plans(f, [plan])[0]


def derivative_plan(
    shape: tuple[int, ...],
    axis: int,
    spacing: AxisSpacing,
    *,
    order: object,
    accuracy: object,
    periodic: object,
    period: object,
) -> AxisPlan:
    """Validated plan for the `order`-th derivative along one axis (shared by the operators)."""
    (wraps,) = options.per_axis_flags(periodic, 1)
    (length,) = options.per_axis_periods(period, 1)
    return stencil_axis_plan(
        axis,
        shape[axis],
        spacing,
        order=options.check_order(order),
        accuracy=options.check_accuracy(accuracy),
        periodic=wraps,
        period=length,
    )


def run_plans(f: np.ndarray, plans: Sequence[AxisPlan]) -> list[np.ndarray]:
    """Execute each plan on `f` into a fresh output with NumPy's result dtype."""
    work, result_dtype = working_array(f)
    return [execute(work, plan, np.empty_like(work, dtype=result_dtype)) for plan in plans]


def working_array(f: np.ndarray) -> tuple[np.ndarray, np.dtype]:
    """The array to difference and the result dtype, by NumPy's rules.

    Integers are differenced in float64 (no wrap-around); datetime64 becomes
    timedelta64 of the same unit; other non-inexact types give float64.
    """
    result_dtype = f.dtype
    if result_dtype.type is np.datetime64:
        result_dtype = np.dtype(result_dtype.name.replace("datetime", "timedelta"))
        return f.view(result_dtype), result_dtype
    if result_dtype.type is np.timedelta64 or np.issubdtype(result_dtype, np.inexact):
        return f, result_dtype
    if np.issubdtype(result_dtype, np.integer):
        f = f.astype(np.float64)
    return f, np.dtype(np.float64)


def _normalize_axes(axis: object, ndim: int, *, single: bool = False) -> tuple[int, ...]:
    if axis is None and not single:
        return tuple(range(ndim))
    if single and not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    return normalize_axis_tuple(axis, ndim)
