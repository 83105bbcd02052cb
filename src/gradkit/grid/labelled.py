"""Gradients of xarray DataArrays: the DataArray's own coordinates are the spacing."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def labelled_gradient(da, *varargs, axis, kernel, **options):
    """`gradient` of a DataArray; see `gradkit.gradient`.

    Dimensions are chosen by `axis` (names or integers; all by default). A
    dimension with a numeric coordinate is differentiated against it
    (datetime coordinates in seconds); one without, with unit spacing, unless
    spacing is passed explicitly. The results are DataArrays with the input's
    coordinates and names like ``d(T)/d(lat)``.
    """
    import xarray as xr

    from gradkit.grid.gradient import gradient

    dims = _dims(da, axis)
    axes = tuple(da.get_axis_num(dim) for dim in dims)
    spacing = varargs if varargs else tuple(_coordinate(da, dim) for dim in dims)
    results = gradient(da.data, *spacing, axis=axes, kernel=kernel, **options)
    results = results if isinstance(results, tuple) else (results,)
    name = da.name if da.name is not None else "f"
    labelled = tuple(
        xr.DataArray(r, coords=da.coords, dims=da.dims, name=f"d({name})/d({dim})", attrs=dict(da.attrs))
        for r, dim in zip(results, dims)
    )
    return labelled[0] if len(labelled) == 1 else labelled


def _dims(da, axis) -> tuple:
    if axis is None:
        return tuple(da.dims)
    names = axis if isinstance(axis, Sequence) and not isinstance(axis, str) else (axis,)
    dims = []
    for entry in names:
        if isinstance(entry, (int, np.integer)):
            dims.append(da.dims[entry])
        elif entry in da.dims:
            dims.append(entry)
        else:
            raise ValueError(f"axis {entry!r} is not a dimension of this DataArray; dimensions: {da.dims}")
    return tuple(dims)


def _coordinate(da, dim) -> object:
    if dim not in da.coords:
        return 1.0
    values = np.asarray(da.coords[dim].values)
    if np.issubdtype(values.dtype, np.datetime64):
        return (values - values[0]) / np.timedelta64(1, "s")
    if not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"coordinate {dim!r} is not numeric ({values.dtype}); pass the spacing explicitly")
    return values
