"""Vector-calculus operators on grids: laplacian, divergence and curl.

Component ``i`` of a field goes with axis ``i`` of the arrays (``indexing='ij'``,
as `numpy.mgrid` lays them out); with ``indexing='xy'`` (``numpy.meshgrid``'s
default layout) component 0 (x) goes with the arrays' second axis and component
1 (y) with the first, and the spacing is given in x, y order. Like `gradient`, they take NumPy arrays, any
array-API array (the result is of the same library), Dask arrays (a lazy
result) and xarray DataArrays (their coordinates are the spacing, the result is
a DataArray).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gradkit.grid.gradient import array_axes, as_grid_array, derivative_plan, run_derivative
from gradkit.grid.libraries import is_xarray
from gradkit.grid.options import (
    INDEXINGS,
    NAN_POLICIES,
    check_choice,
    check_conflicts,
    per_axis_flags,
    per_axis_periods,
)
from gradkit.grid.spacing import normalize_spacing
from gradkit.grid.units import has_quantities


def laplacian(
    f: object,
    *spacing: object,
    accuracy: int = 2,
    periodic: bool | Sequence[bool] = False,
    period: float | Sequence[float | None] | None = None,
    nan_policy: str = "propagate",
    indexing: str = "ij",
) -> np.ndarray:
    """Sum of the second derivatives of `f` along every axis.

    Parameters
    ----------
    f : array_like
        Samples on an N-dimensional grid: NumPy, array-API, Dask or xarray.
    *spacing : scalar or 1-D array_like, optional
        As in `gradient`: none, one scalar, or one per axis.
    accuracy : even int, optional
        Order of accuracy of every stencil, edges included (2, 4, 6, ...).
    periodic, period : optional
        Wrap-around axes, as in `gradient`.
    nan_policy : {"propagate", "omit", "raise"}, optional
        NaN samples as in `gradient`: "omit" bridges them as gaps.
    indexing : {"ij", "xy"}, optional
        "xy" for `numpy.meshgrid`'s default layout: spacing in x, y order.

    Returns
    -------
    array
        The Laplacian, shaped like `f`, of `f`'s library.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x, y = np.mgrid[0:1:11j, 0:2:21j]
    >>> bool(np.allclose(gk.laplacian(x**2 + 3 * y**2, 0.1, 0.1), 8.0))
    True
    """
    keywords = dict(accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy, indexing=indexing)
    if is_xarray(f):
        return _labelled(laplacian, [f], spacing, keywords)
    if has_quantities(f, *spacing):
        from gradkit.grid.units import quantity_operator

        return quantity_operator(laplacian, f, spacing, **keywords)
    f = as_grid_array(f)
    nan_policy, indexing = _choices(nan_policy, indexing)
    axes = array_axes(tuple(range(f.ndim)), f.ndim, indexing)
    return _sum(_derivatives(f, axes, spacing, [2] * f.ndim, accuracy, periodic, period, nan_policy, "laplacian"))


def divergence(
    field: Sequence[object],
    *spacing: object,
    accuracy: int = 2,
    periodic: bool | Sequence[bool] = False,
    period: float | Sequence[float | None] | None = None,
    nan_policy: str = "propagate",
    indexing: str = "ij",
) -> np.ndarray:
    """Divergence ``sum_i dF_i/dx_i`` of a vector field given as N components on an N-D grid.

    Parameters
    ----------
    field : sequence of array_like
        N arrays of one N-dimensional shape (or one array with the components
        along its first axis); component i goes with axis i.
    *spacing, accuracy, periodic, period, nan_policy
        As in `laplacian`.
    indexing : {"ij", "xy"}, optional
        "xy" for `numpy.meshgrid`'s default layout: components and spacing in
        x, y, z order (component 0 varies along the arrays' second axis).

    Returns
    -------
    array
        The divergence, shaped like one component, of the components' library.

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x, y = np.mgrid[0:1:11j, 0:1:11j]
    >>> bool(np.allclose(gk.divergence([x * y, y**2], 0.1), 3 * y))
    True
    """
    keywords = dict(accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy, indexing=indexing)
    if has_quantities(field, *spacing):
        from gradkit.grid.units import quantity_operator

        return quantity_operator(divergence, list(field), spacing, **keywords)
    components = _components(field, "divergence")
    if is_xarray(components[0]):
        return _labelled(divergence, components, spacing, keywords)
    nan_policy, indexing = _choices(nan_policy, indexing)
    ndim = components[0].ndim
    if len(components) != ndim:
        raise ValueError(f"field must have one component per axis: {len(components)} components of {ndim}-D arrays")
    options = (spacing, accuracy, periodic, period, nan_policy, indexing, "divergence")
    return _sum([_first_derivative(component, ax, *options) for ax, component in enumerate(components)])


def curl(
    field: Sequence[object],
    *spacing: object,
    accuracy: int = 2,
    periodic: bool | Sequence[bool] = False,
    period: float | Sequence[float | None] | None = None,
    nan_policy: str = "propagate",
    indexing: str = "ij",
) -> np.ndarray | tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Curl of a 2-D or 3-D vector field.

    Parameters
    ----------
    field : sequence of array_like
        Two components on a 2-D grid, or three on a 3-D grid; component i goes
        with axis i.
    *spacing, accuracy, periodic, period, nan_policy
        As in `laplacian`.
    indexing : {"ij", "xy"}, optional
        "xy" for `numpy.meshgrid`'s default layout: components and spacing in
        x, y, z order (component 0 varies along the arrays' second axis).

    Returns
    -------
    array or tuple of three arrays
        The scalar curl ``dFy/dx - dFx/dy`` for a 2-D field; the three
        components for a 3-D field (of the components' library).

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x, y = np.mgrid[-1:1:21j, -1:1:21j]
    >>> bool(np.allclose(gk.curl([-y, x], 0.1), 2.0))
    True
    """
    keywords = dict(accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy, indexing=indexing)
    if has_quantities(field, *spacing):
        from gradkit.grid.units import quantity_operator

        return quantity_operator(curl, list(field), spacing, **keywords)
    components = _components(field, "curl")
    if is_xarray(components[0]):
        return _labelled(curl, components, spacing, keywords)
    nan_policy, indexing = _choices(nan_policy, indexing)
    ndim = components[0].ndim
    if (len(components), ndim) not in ((2, 2), (3, 3)):
        raise ValueError(
            f"curl needs 2 components on a 2-D grid or 3 on a 3-D grid, got {len(components)} "
            f"components of {ndim}-D arrays"
        )

    def partial(component: int, axis: int) -> np.ndarray:
        options = (spacing, accuracy, periodic, period, nan_policy, indexing, "curl")
        return _first_derivative(components[component], axis, *options)

    if ndim == 2:
        return partial(1, 0) - partial(0, 1)
    return (partial(2, 1) - partial(1, 2), partial(0, 2) - partial(2, 0), partial(1, 0) - partial(0, 1))


def _first_derivative(component, axis, spacing, accuracy, periodic, period, nan_policy, indexing, name):
    """d component / d x_axis (`axis` counted in `indexing` order), picking this axis' entries out of the
    field-wide spacing and options."""
    ndim = component.ndim
    flag = per_axis_flags(periodic, ndim)[axis]
    length = per_axis_periods(period, ndim)[axis]
    if length is not None and not flag:
        check_conflicts(edge_order=None, accuracy=accuracy, periodic=per_axis_flags(periodic, ndim), period=period)
        length = None
    (array_axis,) = array_axes((axis,), ndim, indexing)
    chosen = _select(spacing, axis, ndim)
    return _derivatives(component, (array_axis,), chosen, [1], accuracy, flag, length, nan_policy, name)[0]


def _derivatives(f, axes, spacing, orders, accuracy, periodic, period, nan_policy, name):
    spacings = normalize_spacing(f.shape, axes, tuple(spacing), name=name)
    flags = per_axis_flags(periodic, len(axes))
    periods = per_axis_periods(period, len(axes))
    check_conflicts(edge_order=None, accuracy=accuracy, periodic=flags, period=period)
    every = list(zip(axes, spacings, orders, flags, periods))
    plans = [  # every check before any work
        derivative_plan(f.shape, ax, sp, order=k, accuracy=accuracy, periodic=wrap, period=length)
        for ax, sp, k, wrap, length in every
    ]
    return [
        run_derivative(f, plan, sp, order=k, accuracy=accuracy, periodic=wrap, period=length, nan_policy=nan_policy)
        for plan, (_, sp, k, wrap, length) in zip(plans, every)
    ]


def _choices(nan_policy: object, indexing: object) -> tuple[str, str]:
    return check_choice(nan_policy, "nan_policy", NAN_POLICIES), check_choice(indexing, "indexing", INDEXINGS)


def _labelled(operator, components, spacing, keywords):
    """`operator` on DataArrays: on their data, against the coordinates of the first (unless `spacing` is
    given), labelled like it and named after the operator."""
    from gradkit.grid.labelled import coordinate_spacing, labelled_like

    template = components[0]
    if any(not is_xarray(c) or c.dims != template.dims for c in components):
        raise ValueError(f"{operator.__name__}: DataArray components must share one set of dimensions")
    data = [c.data for c in components]
    result = operator(
        data[0] if operator is laplacian else data, *(spacing or coordinate_spacing(template)), **keywords
    )
    subject = template.name if operator is laplacian and template.name is not None else "f"
    if isinstance(result, tuple):
        return tuple(
            labelled_like(template, r, f"{operator.__name__}({subject})[{dim}]")
            for r, dim in zip(result, template.dims)
        )
    return labelled_like(template, result, f"{operator.__name__}({subject})")


def _components(field: object, name: str) -> list:
    if isinstance(field, Sequence) and not isinstance(field, (str, bytes)):
        components = [c if is_xarray(c) else as_grid_array(c) for c in field]
    elif len(getattr(field, "shape", ())) > 0:  # one array with the components along its first axis
        components = [field[i, ...] for i in range(field.shape[0])]
    else:
        raise TypeError(f"{name}: field must be a sequence of component arrays, got {type(field).__name__}")
    if not components:
        raise ValueError(f"{name}: field has no components")
    shapes = {c.shape for c in components}
    if len(shapes) != 1:
        raise ValueError(f"{name}: field components must share one shape, got {sorted(shapes)}")
    return components


def _select(spacing: tuple, axis: int, ndim: int) -> tuple:
    """The spacing argument of one axis out of NumPy-style `spacing` for all axes."""
    if len(spacing) <= 1:
        return spacing
    if len(spacing) != ndim:
        raise TypeError(f"invalid number of arguments: expected 0, 1 or {ndim} spacing arguments, got {len(spacing)}")
    return (spacing[axis],)


def _sum(terms: list[np.ndarray]) -> np.ndarray:
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total
