"""pint Quantities on grids: differentiate the magnitudes, give the results the units of a derivative.

A derivative of data in units U along an axis in units L has units U/L (U/L**n for the n-th); for data in an
offset unit such as degC the numerator is the unit of a difference (delta_degC), as pint's own
`numpy.gradient` gives. Magnitudes travel unchanged, so masked arrays inside Quantities keep their masks.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from gradkit.grid.libraries import is_quantity


def has_quantities(*values: object) -> bool:
    """Whether any of `values` (or any entry of a list or tuple among them) is a pint Quantity."""
    if "pint" not in sys.modules:  # no Quantity can exist: no scan of long lists of numbers
        return False
    for value in values:
        if is_quantity(value):
            return True
        if isinstance(value, (list, tuple)) and any(is_quantity(entry) for entry in value):
            return True
    return False


def quantity_derivatives(
    compute: Callable[..., object],
    f: object,
    spacing: Sequence[object],
    *,
    period: object = None,
    **keywords: object,
) -> object:
    """``compute(magnitude of f, *magnitudes of spacing, **keywords)`` with units on every result.

    `compute` is `gradient` or `differentiate`: it returns one array per differentiated axis (a tuple for
    several), of order ``keywords["order"]`` (1 if absent). Spacing of one unit for every axis is given once,
    as in NumPy; a `period` in units is converted to the units of the spacing it goes with.
    """
    registry = _registry(f, *spacing, period)
    magnitude, data_units = split(f)
    parts = [split(entry) for entry in spacing]
    magnitudes = [part[0] for part in parts]
    axis_units = [part[1] for part in parts]
    if period is not None:
        keywords["period"] = _period_magnitude(
            period, [entry.units if is_quantity(entry) else None for entry in spacing]
        )
    result = compute(magnitude, *magnitudes, **keywords)
    results = result if isinstance(result, tuple) else (result,)
    if len(axis_units) == 1:
        axis_units = axis_units * len(results)
    elif len(axis_units) != len(results):
        axis_units = [None] * len(results)
    labelled = tuple(
        registry.Quantity(r, derivative_units(registry, data_units, units, keywords.get("order", 1)))
        for r, units in zip(results, axis_units)
    )
    return labelled if isinstance(result, tuple) else labelled[0]


def quantity_operator(operator: Callable[..., object], field: object, spacing: Sequence[object], **keywords):
    """A vector-calculus `operator` on Quantities: spacing converted to one length unit, results in units.

    The terms of a Laplacian, divergence or curl are summed, so every axis' spacing is expressed in the
    units of the first spacing that has units before differencing; components share the first one's units.
    """
    components = list(field) if isinstance(field, (list, tuple)) else [field]
    registry = _registry(*components, *spacing)
    first = next((component for component in components if is_quantity(component)), None)
    magnitudes = [_in_units(component, None if first is None else first.units) for component in components]
    length = next((entry for entry in spacing if is_quantity(entry)), None)
    spacing_magnitudes = [_in_units(entry, None if length is None else length.units) for entry in spacing]
    order = 2 if operator.__name__ == "laplacian" else 1
    data = magnitudes if isinstance(field, (list, tuple)) else magnitudes[0]
    result = operator(data, *spacing_magnitudes, **keywords)
    data_units = None if first is None else difference_units(first)
    length_units = None if length is None else difference_units(length)
    units = derivative_units(registry, data_units, length_units, order)
    if isinstance(result, tuple):
        return tuple(registry.Quantity(r, units) for r in result)
    return registry.Quantity(result, units)


def split(value: object) -> tuple[object, object]:
    """(magnitude, units of a difference) of a Quantity; (value, None) for anything else."""
    if not is_quantity(value):
        return value, None
    return value.magnitude, difference_units(value)


def difference_units(quantity: object) -> object:
    """The units of a difference of two values in `quantity`'s units (delta_degC for degC)."""
    registry = quantity._REGISTRY
    return (registry.Quantity(1.0, quantity.units) - registry.Quantity(0.0, quantity.units)).units


def derivative_units(registry: object, data_units: object, axis_units: object, order: int) -> object:
    """Units of the `order`-th derivative of data in `data_units` along an axis in `axis_units`."""
    numerator = registry.Unit("") if data_units is None else data_units
    if axis_units is None:
        return numerator
    return numerator / axis_units**order


def _in_units(value: object, units: object) -> object:
    if not is_quantity(value):
        return value
    if units is None:
        return value.magnitude
    return value.to(units).magnitude if value.units != units else value.magnitude


def _period_magnitude(period: object, axis_units: list) -> object:
    if isinstance(period, (list, tuple)):
        units = axis_units if len(axis_units) == len(period) else [axis_units[0] if axis_units else None] * len(period)
        return type(period)(_in_units(p, u) for p, u in zip(period, units))
    return _in_units(period, axis_units[0] if axis_units else None)


def _registry(*values: object) -> object:
    for value in values:
        if is_quantity(value):
            return value._REGISTRY
        if isinstance(value, (list, tuple)):
            for entry in value:
                if is_quantity(entry):
                    return entry._REGISTRY
    raise TypeError("expected a pint Quantity among the arguments")
