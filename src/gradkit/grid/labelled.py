"""Derivatives of xarray DataArrays and Datasets: their own coordinates are the spacing.

A dimension with a numeric coordinate is differentiated against it; datetime64 and cftime coordinates in
`datetime_unit` (as `xarray.DataArray.differentiate`: the coordinate's own unit for datetime64, seconds for
cftime); a dimension without a coordinate with unit spacing. Results keep the coordinates and attributes,
except ``units``: a derivative's ``units`` attribute is the data's over the coordinate's (``K/m``,
``K/m^2``) when both are known and absent otherwise. Data held as pint Quantities (pint-xarray) are divided
by the coordinate's units and keep them in the data.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from gradkit.grid.libraries import is_quantity, is_xarray_dataset

#: Units numpy.timedelta64 and xarray's `datetime_unit` accept.
DATETIME_UNITS = ("W", "D", "h", "m", "s", "ms", "us", "ns", "ps", "fs", "as")


def labelled_gradient(obj, *varargs, axis, coord, datetime_unit, kernel, **options):
    """`gradient` of a DataArray (a DataArray per dimension) or a Dataset (a Dataset per dimension, holding
    the derivative of every data variable that has that dimension); see `gradkit.gradient`."""
    if is_xarray_dataset(obj):
        targets = _targets(obj, axis, coord)
        if len(varargs) not in (0, 1, len(targets)):
            raise TypeError(
                f"invalid number of arguments: expected 0, 1 or {len(targets)} spacing arguments, got {len(varargs)}"
            )
        per_target = [varargs[k if len(varargs) > 1 else 0 :][:1] if varargs else () for k in range(len(targets))]
        results = tuple(
            _dataset_derivative(
                obj,
                (dim, name),
                lambda da, dim=dim, name=name, spacing=spacing: labelled_gradient(
                    da,
                    *spacing,
                    axis=dim if name is None else None,
                    coord=name,
                    datetime_unit=datetime_unit,
                    kernel=kernel,
                    **options,
                ),
            )
            for (dim, name), spacing in zip(targets, per_target)
        )
        return results[0] if len(results) == 1 else results
    from gradkit.grid.gradient import gradient

    da = obj
    targets = _targets(da, axis, coord)
    axes = tuple(da.get_axis_num(dim) for dim, _ in targets)
    spacing = varargs if varargs else tuple(_coordinate(da, name, datetime_unit) for _, name in targets)
    spacing = _spacing_with_units(da, spacing, targets, explicit=bool(varargs))
    data = _numeric_data(da, _time_unit(da, targets, datetime_unit))
    # dimensions are chosen by name, so the array axes are already right: no meshgrid-layout swap on top
    options = {**options, "indexing": "ij"}
    results = gradient(data, *spacing, axis=axes, kernel=kernel, **options)
    results = results if isinstance(results, tuple) else (results,)
    labelled = tuple(
        labelled_like(
            da, r, f"d({_name(da)})/d({name or dim})", _units(da, name, datetime_unit, 1, explicit=bool(varargs))
        )
        for r, (dim, name) in zip(results, targets)
    )
    return labelled[0] if len(labelled) == 1 else labelled


def labelled_derivative(obj, *spacing, axis, coord, datetime_unit, order, **options):
    """`differentiate` of a DataArray or Dataset along one dimension (a name or an integer) or against one
    coordinate (`coord`); see `gradkit.differentiate`."""
    if coord is None and not isinstance(axis, (str, int, np.integer)):
        raise TypeError(f"axis must be a dimension name or an integer, got {axis!r}")
    if coord is not None and not isinstance(coord, str):
        raise TypeError(f"coord must be the name of one coordinate, got {coord!r}")
    (target,) = _targets(obj, None if coord is not None else axis, coord)
    if is_xarray_dataset(obj):
        return _dataset_derivative(
            obj, target, lambda da: _derivative(da, target, spacing, datetime_unit, order=order, **options)
        )
    return _derivative(obj, target, spacing, datetime_unit, order=order, **options)


def coordinate_spacing(da) -> tuple:
    """The spacing of every dimension of `da`, from its coordinates (unit spacing where it has none)."""
    return tuple(_coordinate(da, dim if dim in da.coords else None, None) for dim in da.dims)


def labelled_like(template, data, name: str, units: str | None = None):
    """`data` as a DataArray with the dimensions, coordinates and attributes of `template`; its ``units``
    attribute is `units` (the template's would be wrong for a derivative), absent when None."""
    import xarray as xr

    attrs = {key: value for key, value in template.attrs.items() if key != "units"}
    if units is not None:
        attrs["units"] = units
    return xr.DataArray(data, coords=template.coords, dims=template.dims, name=name, attrs=attrs)


def _derivative(da, target, spacing, datetime_unit, *, order, **options):
    from gradkit.grid.gradient import differentiate

    dim, name = target
    explicit = bool(spacing)
    spacing = spacing if explicit else (_coordinate(da, name, datetime_unit),)
    spacing = _spacing_with_units(da, spacing, [target], explicit=explicit)
    data = _numeric_data(da, _time_unit(da, [target], datetime_unit))
    result = differentiate(data, *spacing, axis=da.get_axis_num(dim), order=order, **options)
    power = "" if order == 1 else f"^{order}"
    units = _units(da, name, datetime_unit, order, explicit=explicit)
    return labelled_like(da, result, f"d{power}({_name(da)})/d({name or dim}){power}", units)


def _dataset_derivative(ds, target, derivative):
    """A Dataset of ``derivative(variable)`` for every data variable of `ds` that has `target`'s dimension.

    Variables without the dimension are left out: their derivative is not the variable itself (xarray keeps
    them unchanged)."""
    import xarray as xr

    dim, name = target
    variables = {}
    for key, variable in ds.data_vars.items():
        if dim in variable.dims:
            if name is not None and name not in variable.coords:
                variable = variable.assign_coords({name: ds.coords[name]})
            variables[key] = derivative(variable).rename(key)
    if not variables:
        raise ValueError(f"no data variable of this Dataset has the dimension {dim!r}")
    return xr.Dataset(variables, coords=ds.coords, attrs=dict(ds.attrs))


def _targets(obj, axis, coord) -> list[tuple[str, str | None]]:
    """(dimension, coordinate name or None) of each derivative asked for by `axis` or `coord`."""
    if coord is not None:
        if axis is not None:
            raise ValueError("axis and coord both choose what to differentiate against; pass only one of them")
        names = (coord,) if isinstance(coord, str) else tuple(coord)
        targets = []
        for name in names:
            if not isinstance(name, str) or name not in obj.coords:
                raise ValueError(f"coord {name!r} is not a coordinate here; coordinates: {tuple(obj.coords)}")
            if obj.coords[name].ndim != 1:
                raise ValueError(
                    f"coord {name!r} has dimensions {obj.coords[name].dims}; a coordinate to differentiate "
                    "against must be one-dimensional"
                )
            targets.append((obj.coords[name].dims[0], name))
        return targets
    dims = tuple(obj.dims)
    if axis is None:
        chosen = dims
    else:
        entries = axis if isinstance(axis, Sequence) and not isinstance(axis, str) else (axis,)
        chosen = []
        for entry in entries:
            if isinstance(entry, (int, np.integer)) and not isinstance(entry, bool):
                chosen.append(dims[entry])
            elif entry in dims:
                chosen.append(entry)
            else:
                raise ValueError(f"axis {entry!r} is not a dimension here; dimensions: {dims}")
    return [(dim, dim if dim in obj.coords else None) for dim in chosen]


def _name(da) -> str:
    return str(da.name) if da.name is not None else "f"


def _time_unit(da, targets, datetime_unit) -> str | None:
    """The unit of time of the derivative: `datetime_unit`, else that of the first time coordinate."""
    if datetime_unit is not None:
        return datetime_unit
    for _, name in targets:
        if name is not None:
            units = _coordinate_units(da, name, None) if _is_time(da.coords[name]) else None
            if units is not None:
                return units
    return None


def _is_time(coordinate) -> bool:
    kind = coordinate.dtype.kind
    return kind in "mM" or (kind == "O" and coordinate.size > 0 and _is_cftime(coordinate.values.flat[0]))


def _numeric_data(da, datetime_unit) -> object:
    """The data of `da`; datetime64 and cftime data as numbers in `datetime_unit`, as xarray does."""
    data = da.data
    kind = getattr(getattr(data, "dtype", None), "kind", None)
    if kind not in ("M", "m", "O"):
        return data
    values = np.asarray(data)
    if kind == "M":
        unit = _datetime_unit(datetime_unit, np.datetime_data(values.dtype)[0])
        return (values - np.datetime64("1970-01-01")) / np.timedelta64(1, unit)
    if kind == "m":
        return values / np.timedelta64(1, _datetime_unit(datetime_unit, np.datetime_data(values.dtype)[0]))
    if values.size and _is_cftime(values.flat[0]):
        origin = values.flat[0]
        offsets = np.array([value - origin for value in values.ravel()], dtype="timedelta64[us]")
        return (offsets / np.timedelta64(1, _datetime_unit(datetime_unit, "s"))).reshape(values.shape)
    return data


def _coordinate(da, name, datetime_unit) -> object:
    """The values of coordinate `name` as numbers (unit spacing for None)."""
    if name is None:
        return 1.0
    data = da.coords[name].data
    if is_quantity(data):  # pint-xarray: the units travel with the values
        return data
    values = np.asarray(data)
    if np.issubdtype(values.dtype, np.datetime64) or np.issubdtype(values.dtype, np.timedelta64):
        unit = _datetime_unit(datetime_unit, np.datetime_data(values.dtype)[0])
        origin = values[0] if np.issubdtype(values.dtype, np.datetime64) else np.timedelta64(0, "s")
        return (values - origin) / np.timedelta64(1, unit)
    if values.dtype.kind == "O" and values.size and _is_cftime(values.flat[0]):
        unit = _datetime_unit(datetime_unit, "s")
        offsets = np.array([value - values.flat[0] for value in values.ravel()], dtype="timedelta64[us]")
        return (offsets / np.timedelta64(1, unit)).reshape(values.shape)
    if not np.issubdtype(values.dtype, np.number):
        raise TypeError(f"coordinate {name!r} is not numeric ({values.dtype}); pass the spacing explicitly")
    return values


def _datetime_unit(datetime_unit, default: str) -> str:
    unit = default if datetime_unit is None else datetime_unit
    if unit not in DATETIME_UNITS:
        raise ValueError(f"datetime_unit must be one of {DATETIME_UNITS}, got {unit!r}")
    return unit


def _is_cftime(value) -> bool:
    return type(value).__module__.split(".")[0] == "cftime"


def _coordinate_units(da, name, datetime_unit) -> str | None:
    if name is None:
        return None
    coordinate = da.coords[name]
    dtype = coordinate.dtype
    if np.issubdtype(dtype, np.datetime64) or np.issubdtype(dtype, np.timedelta64):
        return _datetime_unit(datetime_unit, np.datetime_data(dtype)[0])
    if dtype.kind == "O" and coordinate.size and _is_cftime(coordinate.values.flat[0]):
        return _datetime_unit(datetime_unit, "s")
    units = coordinate.attrs.get("units")
    return str(units) if units else None


def _units(da, name, datetime_unit, order: int, *, explicit: bool) -> str | None:
    """The ``units`` attribute of a derivative of `da` against coordinate `name` (None when unknown)."""
    if is_quantity(da.data) or explicit:
        return None  # the units live in the data (pint), or the spacing passed explicitly has none we know
    data_units = da.attrs.get("units")
    axis_units = _coordinate_units(da, name, datetime_unit)
    if not data_units or axis_units is None:
        return None
    power = "" if order == 1 else f"^{order}"
    return f"{_grouped(str(data_units))}/{_grouped(axis_units)}{power}"


def _grouped(units: str) -> str:
    return f"({units})" if any(mark in units for mark in " /*") else units


def _spacing_with_units(da, spacing, targets, *, explicit: bool) -> tuple:
    """`spacing`, with each coordinate in its ``units`` attribute when the data are a pint Quantity."""
    if explicit or not is_quantity(da.data):
        return tuple(spacing)
    registry = da.data._REGISTRY
    entries = []
    for value, (_, name) in zip(spacing, targets):
        units = None if name is None or is_quantity(value) else da.coords[name].attrs.get("units")
        entries.append(registry.Quantity(value, units) if units else value)
    return tuple(entries)
