"""Derivatives of xarray DataArrays: the DataArray's own coordinates are the spacing."""

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
    from gradkit.grid.gradient import gradient

    dims = _dims(da, axis)
    axes = tuple(da.get_axis_num(dim) for dim in dims)
    spacing = varargs if varargs else tuple(_coordinate(da, dim) for dim in dims)
    results = gradient(da.data, *spacing, axis=axes, kernel=kernel, **options)
    results = results if isinstance(results, tuple) else (results,)
    labelled = tuple(labelled_like(da, r, f"d({_name(da)})/d({dim})") for r, dim in zip(results, dims))
    return labelled[0] if len(labelled) == 1 else labelled


def labelled_derivative(da, *spacing, axis, order, **options):
    """`differentiate` of a DataArray along one dimension (a name or an integer); see `gradkit.differentiate`."""
    from gradkit.grid.gradient import differentiate

    if not isinstance(axis, (str, int, np.integer)):
        raise TypeError(f"axis must be a dimension name or an integer, got {axis!r}")
    (dim,) = _dims(da, axis)
    spacing = spacing if spacing else (_coordinate(da, dim),)
    result = differentiate(da.data, *spacing, axis=da.get_axis_num(dim), order=order, **options)
    power = "" if order == 1 else f"^{order}"
    return labelled_like(da, result, f"d{power}({_name(da)})/d({dim}){power}")


def coordinate_spacing(da) -> tuple:
    """The spacing of every dimension of `da`, from its coordinates (unit spacing where it has none)."""
    return tuple(_coordinate(da, dim) for dim in da.dims)


def labelled_like(template, data, name: str):
    """`data` as a DataArray with the dimensions, coordinates and attributes of `template`."""
    import xarray as xr

    return xr.DataArray(data, coords=template.coords, dims=template.dims, name=name, attrs=dict(template.attrs))


def _name(da) -> str:
    return da.name if da.name is not None else "f"


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
