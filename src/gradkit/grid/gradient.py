"""`gradient` and `differentiate`: NumPy-style arguments in, one plan per axis, a kernel out."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from gradkit.grid import gaps as gaps_module
from gradkit.grid import kernels, options
from gradkit.grid.libraries import array_namespace_of, is_dask_array, is_xarray, is_xarray_dataset
from gradkit.grid.numpy_rules import check_length, numpy_axis_plan
from gradkit.grid.plan import AxisPlan
from gradkit.grid.reference import execute
from gradkit.grid.spacing import AxisSpacing, normalize_spacing
from gradkit.grid.stencil_rules import stencil_axis_plan
from gradkit.grid.units import has_quantities, quantity_derivatives


def gradient(
    f: object,
    *varargs: object,
    axis: int | Sequence[int] | None = None,
    edge_order: int | None = None,
    accuracy: int | None = None,
    periodic: bool | Sequence[bool] = False,
    period: float | Sequence[float | None] | None = None,
    nan_policy: str = "propagate",
    indexing: str = "ij",
    out: np.ndarray | Sequence[np.ndarray] | None = None,
    kernel: str = "auto",
    coord: str | Sequence[str] | None = None,
    datetime_unit: str | None = None,
) -> object:
    """Gradient of an N-dimensional array: a drop-in superset of `numpy.gradient`.

    With the default options the result is the one `numpy.gradient` gives, bit
    for bit, with the same dtype and return type: second-order central
    differences inside and first- or second-order one-sided differences at
    the edges.

    Parameters
    ----------
    f : array_like
        Samples of a function on a grid: a NumPy array or subclass (masked
        arrays are kept), any array-API array (torch, CuPy, JAX,
        array-api-strict: the result is of the same library, on the same
        device), a Dask array (a lazy result), or an xarray DataArray (its
        coordinates are the spacing).
    *varargs : scalar or array_like, optional
        Spacing, as in `numpy.gradient`: nothing (unit spacing), one scalar for
        every axis, or one scalar step or 1-D coordinate array per axis. Real
        or complex, of any array library (bfloat16 included); weights are
        computed in float64 (complex128), as NumPy does. Spacing per point: an
        N-D array that broadcasts to `f` and has, along its axis, length 1 (a
        step that varies along the other axes, e.g. ``dx`` shrinking with
        latitude), the axis' length (each line's coordinates) or one less
        (the steps between samples).
    axis : int or tuple of ints, optional
        Axes to differentiate along; all by default. Negative values count
        from the end. Dimension names for a DataArray. With ``indexing="xy"``
        axis 0 is x (the arrays' second axis) and axis 1 is y.
    edge_order : {1, 2}, optional
        Accuracy of the one-sided differences at the edges (1 if not given);
        a ValueError together with `accuracy` or when every axis is periodic.
    accuracy : even int, optional
        Keyword-only. Order of accuracy of every stencil, interior and edges
        (one-sided near the edges): 2, 4, 6, ... as high as the axis length
        allows (``accuracy + 1`` points). None keeps NumPy's behaviour.
    periodic : bool or tuple of bool, optional
        Keyword-only. Treat the axis (or each of `axis`) as periodic: stencils
        wrap around and there are no edge formulas. Second order unless
        `accuracy` says otherwise.
    period : float or sequence of float, optional
        Keyword-only. Length of the periodic domain, required for a periodic
        axis given by coordinates (the distance from the last sample back to
        the first is ``period - (x[-1] - x[0])``).
    nan_policy : {"propagate", "omit", "raise"}, optional
        Keyword-only, as in SciPy. "propagate": NaN samples spoil the stencils
        that read them (NumPy's behaviour). "omit": NaN samples (and masked
        ones) are gaps; points beside a gap take one-sided stencils of the same
        order as at an edge, runs too short for any stencil give NaN, and only
        those and the gaps are NaN; masked arrays keep their mask. "raise": a
        ValueError if `f` has NaN.
    indexing : {"ij", "xy"}, optional
        Keyword-only. "xy" for arrays laid out as `numpy.meshgrid`'s default
        (y along the first axis, x along the second): the spacing and the
        returned components are then in x, y, z order.
    out : ndarray or tuple of ndarray, optional
        Keyword-only. Preallocated outputs, one per differentiated axis, each
        with `f`'s shape and the result dtype; returned filled. NumPy input only.
    kernel : {"auto", "fused", "reference", "numpy"}, optional
        Keyword-only. "fused" is the one-pass numba kernel (extra ``fast``) for
        C-contiguous 1-D to 3-D float and complex NumPy arrays; "reference" the
        slicing kernel that works on everything; "numpy" calls
        `numpy.gradient` (NumPy's own options only); "auto" picks the fused
        kernel where it applies and the array is large, else `numpy.gradient`
        for a plain ndarray with NumPy's options (the same answer, faster
        than the reference kernel), and the reference kernel otherwise.
    coord : str or sequence of str, optional
        Keyword-only, for xarray input: the one-dimensional coordinates to
        differentiate against, by name (a non-dimension coordinate too),
        instead of `axis`.
    datetime_unit : str, optional
        Keyword-only, for xarray input: the unit of time ("s", "h", "D", ...)
        of datetime64 and cftime coordinates, as in
        `xarray.DataArray.differentiate` (default: the coordinate's own unit,
        seconds for cftime).

    Returns
    -------
    ndarray or tuple of ndarray
        One array per differentiated axis, shaped like `f`; a single array when
        one axis is differentiated. Integer input gives float64,
        datetime64 input gives timedelta64, as in NumPy. pint Quantities give
        Quantities in the units of a derivative (data units over spacing
        units, ``delta_degC / meter`` for degC), as NumPy's gradient does
        with pint. A DataArray gives DataArrays, a Dataset gives Datasets
        (one per dimension, holding every data variable with that dimension).

    Raises
    ------
    TypeError
        For a wrong number of spacing arguments.
    ValueError
        For coordinates of the wrong shape, axes too short for the stencils,
        bad outputs, options that conflict (naming both), and, where NumPy
        returns garbage instead: an `edge_order` other than 1 or 2, a zero
        step, or coordinates that are not strictly monotonic.

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
    >>> gk.gradient(np.array([1.0, 2.0, np.nan, 4.0, 5.0, 6.0]), nan_policy="omit")
    array([ 1.,  1., nan,  1.,  1.,  1.])
    >>> t = np.linspace(0, 2 * np.pi, 64, endpoint=False)
    >>> bool(np.abs(gk.gradient(np.sin(t), t[1], periodic=True, accuracy=8) - np.cos(t)).max() < 1e-9)
    True
    """
    keywords = dict(
        axis=axis,
        edge_order=edge_order,
        accuracy=accuracy,
        periodic=periodic,
        period=period,
        nan_policy=nan_policy,
        indexing=indexing,
    )
    if is_xarray(f) or is_xarray_dataset(f):
        from gradkit.grid.labelled import labelled_gradient

        _refuse_out(out, "xarray DataArrays")
        return labelled_gradient(f, *varargs, coord=coord, datetime_unit=datetime_unit, kernel=kernel, **keywords)
    _refuse_labelled_options(coord, datetime_unit)
    if has_quantities(f, *varargs, period):
        return quantity_derivatives(gradient, f, varargs, out=out, kernel=kernel, **keywords)
    if is_dask_array(f):
        from gradkit.grid.chunked import chunked_gradient

        _refuse_out(out, "Dask arrays")
        return chunked_gradient(_known_chunks(f), *varargs, **keywords)
    xp = array_namespace_of(f)
    if xp is not None:
        _refuse_out(out, f"{type(f).__module__}.{type(f).__name__} arrays")
        request = GradientRequest(f.shape, varargs, **keywords)
        if request.nan_policy != "propagate" and _array_api_has_nan(f, xp, request.nan_policy):
            # gaps are found and filled on the host, by the NumPy path; the result goes back to f's device
            host = gradient(_host_array(f), *_plain_spacing(request), **_host_keywords(request), kernel=kernel)
            return _single_or_tuple([_back(r, f, xp) for r in _as_list(host)])
        return _single_or_tuple([_array_api_derivative(f, plan, xp) for plan in request.plans(tabulate=True)])

    f = np.asanyarray(f)
    request = GradientRequest(f.shape, varargs, **keywords)
    results = _ndarray_gradient(f, request, out, kernel)
    if request.nan_policy == "propagate" and np.ma.getmask(f) is not np.ma.nomask:
        # NumPy's propagation masks a masked sample's neighbours but computes the sample itself from them;
        # a sample that was masked stays masked in its derivatives
        for result in _as_list(results):
            result.mask = np.ma.getmaskarray(result) | np.ma.getmaskarray(f)
    return results


def _ndarray_gradient(f: np.ndarray, request: GradientRequest, out: object, kernel: str) -> object:
    """`gradient` of a NumPy array (or subclass) for a validated request, by the kernel that suits it."""
    work, result_dtype = working_array(f)
    gaps, mask = None, None
    if request.nan_policy != "propagate":
        work, mask = gaps_module.as_gapped(work, result_dtype) if request.nan_policy == "omit" else (work, None)
        gaps = gaps_module.gap_mask(work)
        if request.nan_policy == "raise":
            gaps_module.refuse_nan(gaps is not None)
    outs = kernels.check_out(out, work, result_dtype, len(request.axes))
    per_point = any(s.per_point for s in request.spacings)
    native = out is None and request.accuracy is None and not any(request.periodic) and not per_point
    chosen = kernels.choose_kernel(kernel, work, outs, request.spacings, native=native)
    if chosen == "numpy":  # with gradkit's checks, which NumPy lacks where it returns garbage or an IndexError
        for ax in request.axes:
            check_length(ax, f.shape[ax], request.edge_order)
        results = np.gradient(work, *_plain_spacing(request), axis=request.axes, edge_order=request.edge_order)
        if gaps is None and mask is None:
            return results
        outs = _as_list(results)
        return _single_or_tuple(_filled(work, gaps, outs, request, mask))
    if outs is None:
        outs = [np.empty_like(work, dtype=result_dtype) for _ in request.axes]
    # Only a fused 1-D pass computes NumPy's non-uniform weights as it goes (no tables as long as the data);
    # along the axes of 2-D and 3-D arrays a table of weights is small and read many times.
    tabulate = chosen != "fused" or work.ndim > 1
    if chosen == "fused":  # the tables come from a cache where they can (planning costs more than small work)
        cached = [request.cached_tables(k, work.dtype, tabulate=tabulate) for k in range(len(request.axes))]
        if all(table is not None for table in cached):
            results = kernels.run_tables(work, dict(zip(request.axes, cached)), outs)
            return _single_or_tuple(_filled(work, gaps, results, request, mask))
    plans = request.plans(tabulate=tabulate)
    return _single_or_tuple(_filled(work, gaps, kernels.run(chosen, work, plans, outs), request, mask))


def _filled(work, gaps, results: list, request: GradientRequest, mask) -> list:
    """`results` with the points beside gaps recomputed (nan_policy="omit"), masked like the input."""
    if gaps is not None:
        for k, result in enumerate(results):
            gaps_module.fill_gaps(work, gaps, result, request.gap_rule(k))
    return [gaps_module.remasked(result, mask) for result in results]


def _plain_spacing(request: GradientRequest) -> list:
    """The normalised spacing of each differentiated axis, as NumPy-style arguments."""
    return [s.step if s.is_uniform else s.coords for s in request.spacings]


def _host_keywords(request: GradientRequest) -> dict:
    """`gradient` keywords that repeat `request` on array axes (its spacing comes in the axes' order)."""
    return dict(
        axis=request.axes,
        edge_order=None if request.accuracy is not None or all(request.periodic) else request.edge_order,
        accuracy=request.accuracy,
        periodic=request.periodic,
        period=request.periods if any(request.periodic) else None,
        nan_policy=request.nan_policy,
    )


def _as_list(results: object) -> list:
    return list(results) if isinstance(results, (tuple, list)) else [results]


class GradientRequest:
    """Validated `gradient` arguments for an array of a given shape, and the plans they make.

    The arguments are checked in the constructor and the axis lengths when the
    plans are made; callers make every plan before they start any work.
    """

    def __init__(
        self, shape, varargs, *, axis, edge_order, accuracy, periodic, period, nan_policy="propagate", indexing="ij"
    ):
        self.shape = tuple(shape)
        self.indexing = options.check_choice(indexing, "indexing", options.INDEXINGS)
        self.nan_policy = options.check_choice(nan_policy, "nan_policy", options.NAN_POLICIES)
        self.axes = array_axes(_normalize_axes(axis, len(self.shape)), len(self.shape), self.indexing)
        self.spacings = normalize_spacing(self.shape, self.axes, varargs)
        self.accuracy = options.check_accuracy(accuracy, optional=True)
        self.periodic = options.per_axis_flags(periodic, len(self.axes))
        self.periods = options.per_axis_periods(period, len(self.axes))
        options.check_conflicts(edge_order=edge_order, accuracy=accuracy, periodic=self.periodic, period=period)
        self.edge_order = options.check_edge_order(edge_order)

    def gap_rule(self, k: int) -> gaps_module.GapRule:
        """How gaps are bridged along the `k`-th differentiated axis (nan_policy="omit")."""
        ax, spacing = self.axes[k], self.spacings[k]
        if self.accuracy is None and not self.periodic[k]:
            return gaps_module.GapRule.for_numpy(ax, spacing, edge_order=self.edge_order)
        return gaps_module.GapRule.for_stencils(
            ax, spacing, order=1, accuracy=self.accuracy or 2, periodic=self.periodic[k], period=self.periods[k]
        )

    def plans(self, *, tabulate: bool) -> list[AxisPlan]:
        return [self.plan(k, tabulate=tabulate) for k in range(len(self.axes))]

    def plan(self, k: int, *, tabulate: bool = True, spacing: AxisSpacing | None = None) -> AxisPlan:
        """The plan of the `k`-th differentiated axis (optionally with another spacing)."""
        ax = self.axes[k]
        spacing = self.spacings[k] if spacing is None else spacing
        options = (self.edge_order, self.accuracy, self.periodic[k], self.periods[k])
        return _axis_plan(ax, self.shape[ax], spacing, *options, tabulate=tabulate)

    def cached_tables(self, k: int, dtype: np.dtype, *, tabulate: bool) -> object:
        """The fused kernel's tables (`AxisTables`) of the `k`-th axis for data of `dtype`, from a cache: for
        a scalar step (a Python or NumPy number), and for tabulated coordinates of up to `CACHED_COORDINATES`
        values. None otherwise."""
        spacing = self.spacings[k]
        ax = self.axes[k]
        options = (self.edge_order, self.accuracy, self.periodic[k], self.periods[k], np.dtype(dtype))
        step = spacing.step
        if spacing.per_point:
            return None
        if spacing.is_uniform and isinstance(step, (int, float, np.integer, np.floating)):
            # the step's type is part of the key: NumPy rounds with a Python float as with the data's type
            return _uniform_tables(ax, self.shape[ax], type(step), step, *options)
        coords = spacing.coords
        if coords is not None and tabulate and coords.size <= CACHED_COORDINATES:
            key = (coords.dtype.str, coords.tobytes(), spacing.collapse)
            return _coordinate_tables(ax, self.shape[ax], key, *options)
        return None


#: Coordinate arrays up to this long have their tables cached (by value: the key holds their bytes).
CACHED_COORDINATES = 1 << 13


def _axis_plan(axis, length, spacing, edge_order, accuracy, periodic, period, *, tabulate) -> AxisPlan:
    if accuracy is None and not periodic:
        return numpy_axis_plan(axis, length, spacing, edge_order, tabulate=tabulate)
    return stencil_axis_plan(axis, length, spacing, order=1, accuracy=accuracy or 2, periodic=periodic, period=period)


@lru_cache(maxsize=64)
def _uniform_tables(axis, length, step_type, step, edge_order, accuracy, periodic, period, dtype) -> object:
    return _tables(axis, length, AxisSpacing(step=step), edge_order, accuracy, periodic, period, dtype)


@lru_cache(maxsize=16)
def _coordinate_tables(axis, length, key, edge_order, accuracy, periodic, period, dtype) -> object:
    kind, values, collapse = key
    spacing = AxisSpacing(coords=np.frombuffer(values, dtype=kind).copy(), collapse=collapse)
    return _tables(axis, length, spacing, edge_order, accuracy, periodic, period, dtype)


def _tables(axis, length, spacing, edge_order, accuracy, periodic, period, dtype) -> object:
    from gradkit.grid.tables import axis_tables

    plan = _axis_plan(axis, length, spacing, edge_order, accuracy, periodic, period, tabulate=True)
    return axis_tables(plan, length, dtype)


def differentiate(
    f: object,
    *spacing: object,
    axis: int = -1,
    order: int = 1,
    accuracy: int = 2,
    periodic: bool = False,
    period: float | None = None,
    nan_policy: str = "propagate",
    coord: str | None = None,
    datetime_unit: str | None = None,
) -> np.ndarray:
    """Derivative of any order of an array along one axis.

    Parameters
    ----------
    f : array_like
        Samples on a grid (NumPy or any array-API array).
    *spacing : scalar or array_like, optional
        Step along `axis` or the coordinates of its samples; unit spacing if
        omitted. Spacing per point as in `gradient`.
    axis : int, optional
        The axis to differentiate along (default: the last).
    order : int, optional
        Derivative order, 1 or more.
    accuracy : even int, optional
        Order of accuracy, interior and edges: 2, 4, 6, ... as the axis
        length allows.
    periodic : bool, optional
        Wrap around instead of using one-sided stencils at the edges.
    period : float, optional
        Domain length of a periodic axis given by coordinates.
    nan_policy : {"propagate", "omit", "raise"}, optional
        NaN samples as in `gradient`: "omit" bridges them as gaps.
    coord, datetime_unit : optional
        For xarray input, as in `gradient` (`coord` names one coordinate).

    Returns
    -------
    ndarray
        The derivative, shaped like `f` (a Quantity in units of data over
        spacing to the `order` for pint input; a DataArray or Dataset for
        xarray input).

    Examples
    --------
    >>> import numpy as np
    >>> import gradkit as gk
    >>> x = np.linspace(0.0, 1.0, 6)
    >>> bool(np.allclose(gk.differentiate(x**3, x, order=2), 6 * x))
    True
    """
    keywords = dict(axis=axis, order=order, accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy)
    if is_xarray(f) or is_xarray_dataset(f):
        from gradkit.grid.labelled import labelled_derivative

        return labelled_derivative(f, *spacing, coord=coord, datetime_unit=datetime_unit, **keywords)
    _refuse_labelled_options(coord, datetime_unit)
    if has_quantities(f, *spacing, period):
        return quantity_derivatives(differentiate, f, spacing, **keywords)
    f = as_grid_array(f)
    nan_policy = options.check_choice(nan_policy, "nan_policy", options.NAN_POLICIES)
    (ax,) = _normalize_axes(axis, f.ndim, single=True)
    (axis_spacing,) = normalize_spacing(f.shape, (ax,), spacing, name="differentiate")
    (wraps,) = options.per_axis_flags(periodic, 1)
    (length,) = options.per_axis_periods(period, 1)
    options.check_conflicts(edge_order=None, accuracy=accuracy, periodic=(wraps,), period=period)
    return derivative_of(
        f, ax, axis_spacing, order=order, accuracy=accuracy, periodic=wraps, period=length, nan_policy=nan_policy
    )


def as_grid_array(f: object) -> object:
    """`f` itself for Dask and array-API arrays, a NumPy array (or subclass) for anything else."""
    if is_dask_array(f):
        return _known_chunks(f)
    if array_namespace_of(f) is not None:
        return f
    return np.asanyarray(f)


def _known_chunks(f: object) -> object:
    """Dask array `f`, after checking that its chunk sizes are known (a boolean mask leaves them unknown)."""
    if any(np.isnan(size) for size in f.shape):
        raise ValueError(
            f"f has unknown chunk sizes (shape {f.shape}); call f.compute_chunk_sizes() first, as Dask says"
        )
    return f


def derivative_of(
    f: object,
    axis: int,
    spacing: AxisSpacing,
    *,
    order: object,
    accuracy: object,
    periodic: bool,
    period: object,
    nan_policy: str = "propagate",
) -> object:
    """The `order`-th derivative along `axis` of an array from `as_grid_array`, in its own library."""
    plan = derivative_plan(f.shape, axis, spacing, order=order, accuracy=accuracy, periodic=periodic, period=period)
    keywords = dict(order=order, accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy)
    return run_derivative(f, plan, spacing, **keywords)


def run_derivative(
    f: object,
    plan: AxisPlan,
    spacing: AxisSpacing,
    *,
    order: object,
    accuracy: object,
    periodic: bool,
    period: object,
    nan_policy: str = "propagate",
) -> object:
    """`derivative_of` with its `derivative_plan` already made (Dask builds its blocks' plans from the rest)."""
    order, accuracy = options.check_order(order), options.check_accuracy(accuracy)
    keywords = dict(order=order, accuracy=accuracy, periodic=periodic, period=period, nan_policy=nan_policy)
    if is_dask_array(f):
        from gradkit.grid.chunked import chunked_derivative

        return chunked_derivative(f, plan, spacing, **keywords)
    xp = array_namespace_of(f)
    if xp is not None:
        if nan_policy != "propagate" and _array_api_has_nan(f, xp, nan_policy):
            return _back(run_derivative(_host_array(f), plan, spacing, **keywords), f, xp)
        return _array_api_derivative(f, plan, xp)
    work, result_dtype = working_array(f)
    if nan_policy == "propagate":
        return execute(work, plan, np.empty_like(work, dtype=result_dtype))
    work, mask = gaps_module.as_gapped(work, result_dtype) if nan_policy == "omit" else (work, None)
    gaps = gaps_module.gap_mask(work)
    if nan_policy == "raise":
        gaps_module.refuse_nan(gaps is not None)
    result = execute(work, plan, np.empty_like(work, dtype=result_dtype))
    if gaps is not None:
        rule = gaps_module.GapRule.for_stencils(
            plan.axis, spacing, order=order, accuracy=accuracy, periodic=periodic, period=period
        )
        gaps_module.fill_gaps(work, gaps, result, rule)
    return gaps_module.remasked(result, mask)


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


def _array_api_derivative(f: object, plan: AxisPlan, xp: object) -> object:
    if xp.isdtype(f.dtype, "bool"):  # as NumPy, which cannot subtract booleans
        raise TypeError("f is boolean; differences of booleans are not defined (convert it to a number type)")
    if not xp.isdtype(f.dtype, ("real floating", "complex floating")):
        f = xp.astype(f, xp.float64)
    return _in_type_of(execute(f, plan, xp=xp), f, xp)


def _in_type_of(result: object, f: object, xp: object) -> object:
    """`result` in the type of floating array `f`, as NumPy writes into an output of the data's type: complex
    results of real data (complex spacing) lose their imaginary part with NumPy's ComplexWarning."""
    if not xp.isdtype(f.dtype, ("real floating", "complex floating")):
        return result
    if xp.isdtype(result.dtype, "complex floating") and not xp.isdtype(f.dtype, "complex floating"):
        warnings.warn(
            "Casting complex values to real discards the imaginary part (complex spacing, real data)",
            np.exceptions.ComplexWarning,
            stacklevel=4,
        )
        result = xp.real(result)
    return result if result.dtype == f.dtype else xp.astype(result, f.dtype)


def _array_api_has_nan(f: object, xp: object, nan_policy: str) -> bool:
    """Whether array-API array `f` has NaN samples to omit (a ValueError for nan_policy="raise")."""
    if not xp.isdtype(f.dtype, ("real floating", "complex floating")):
        return False
    has_nan = bool(xp.any(xp.isnan(f)))
    if nan_policy == "raise":
        gaps_module.refuse_nan(has_nan)
        return False
    return has_nan


def _host_array(f: object) -> np.ndarray:
    from gradkit.grid.spacing import as_numpy

    return np.asarray(as_numpy(f))


def _back(result: np.ndarray, f: object, xp: object) -> object:
    """NumPy `result` as an array of `f`'s library, type and device."""
    from array_api_compat import device

    return _in_type_of(xp.asarray(np.ascontiguousarray(result), device=device(f)), f, xp)


def array_axes(axes: tuple[int, ...], ndim: int, indexing: str) -> tuple[int, ...]:
    """The arrays' axes for axes counted in `indexing` order: with "xy" (meshgrid's layout), x is axis 1 and
    y axis 0."""
    if indexing != "xy" or ndim < 2:
        return axes
    return tuple({0: 1, 1: 0}.get(a, a) for a in axes)


def _single_or_tuple(results: list) -> object:
    return results[0] if len(results) == 1 else tuple(results)


def _refuse_out(out: object, what: str) -> None:
    if out is not None:
        raise TypeError(f"out= is for NumPy arrays; {what} return new arrays")


def _refuse_labelled_options(coord: object, datetime_unit: object) -> None:
    for name, value in (("coord", coord), ("datetime_unit", datetime_unit)):
        if value is not None:
            raise TypeError(f"{name}= is for xarray DataArrays and Datasets, which have named coordinates")


def _normalize_axes(axis: object, ndim: int, *, single: bool = False) -> tuple[int, ...]:
    if axis is None and not single:
        return tuple(range(ndim))
    if single and not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an integer, got {axis!r}")
    return normalize_axis_tuple(axis, ndim)
