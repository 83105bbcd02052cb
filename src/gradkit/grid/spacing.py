"""Normalisation of NumPy-style spacing arguments into one spacing per axis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AxisSpacing:
    """The spacing of one axis: a scalar step, or 1-D coordinates of its samples.

    ``step`` keeps the object the user passed (a Python float, a NumPy
    scalar, a 0-d array) because NumPy's dtype rules depend on it.
    """

    step: object = None
    coords: np.ndarray | None = None
    #: Whether coordinates with constant differences may be treated as a scalar step. A piece of a
    #: non-uniform axis (a Dask block) must not be, to round exactly as the whole axis does.
    collapse: bool = True

    @property
    def is_uniform(self) -> bool:
        return self.coords is None


def normalize_spacing(
    shape: tuple[int, ...], axes: tuple[int, ...], varargs: tuple, *, name: str = "gradient"
) -> list[AxisSpacing]:
    """One `AxisSpacing` per axis in `axes`, from `varargs` as `numpy.gradient` reads them.

    Accepted: nothing (unit spacing), one scalar for every axis, or one scalar
    or 1-D coordinate array per axis. Raises `TypeError` for a wrong number of
    arguments and `ValueError` for arrays of the wrong shape, as NumPy does,
    and `ValueError` for coordinates that are not strictly monotonic (where
    NumPy would return inf or nan).
    """
    count = len(varargs)
    if count == 0:
        return [AxisSpacing(step=1.0) for _ in axes]
    if count == 1 and np.ndim(varargs[0]) == 0:
        return [AxisSpacing(step=_check_step(varargs[0], axis)) for axis in axes]
    if count != len(axes):
        raise TypeError(
            f"invalid number of arguments: {name} takes no spacing, one scalar, or one "
            f"scalar or 1-D coordinate array per axis ({len(axes)} here), got {count}"
        )
    return [_axis_spacing(value, shape[axis], axis) for value, axis in zip(varargs, axes)]


def _axis_spacing(value: object, length: int, axis: int) -> AxisSpacing:
    coords = np.asanyarray(value)
    if coords.ndim == 0:
        return AxisSpacing(step=_check_step(value, axis))
    if coords.ndim != 1:
        raise ValueError(f"distances must be either scalars or 1d: spacing for axis {axis} has shape {coords.shape}")
    if len(coords) != length:
        raise ValueError(
            f"when 1d, distances must match the length of the corresponding dimension: "
            f"axis {axis} has {length} samples but its coordinates have {len(coords)}"
        )
    if np.issubdtype(coords.dtype, np.integer) or coords.dtype == np.bool_:
        # Unsigned or narrow integers would wrap around in np.diff.
        coords = coords.astype(np.float64)
    _check_monotonic(coords, axis)
    return AxisSpacing(coords=coords)


def _check_step(step: object, axis: int) -> object:
    kind = np.asarray(step).dtype.kind
    if kind in "iufc" and (step == 0 or not np.isfinite(step)):
        raise ValueError(f"spacing for axis {axis} must be a nonzero finite step, got {step}")
    return step


#: Long coordinate arrays are checked in pieces of this many samples, each difference array staying in cache.
BLOCK = 1 << 16


def _check_monotonic(coords: np.ndarray, axis: int) -> None:
    """Strictly increasing or decreasing, and finite: a piece of the axis at a time, so that long
    coordinates are checked without temporaries of their length. (A strictly monotonic sequence is
    finite where its two ends are.)"""
    n = len(coords)
    if n < 2:
        return
    ordered = np.greater if coords[1] > coords[0] else np.less
    bad = None
    for start in range(0, n - 1, BLOCK):
        piece = coords[start : start + BLOCK + 1]
        fine = ordered(piece[1:], piece[:-1])
        if not fine.all():
            bad = start + int(np.flatnonzero(~fine)[0])
            break
    if bad is None and not (_finite(coords[0]) and _finite(coords[-1])):
        bad = 0 if not _finite(coords[0]) else n - 2
    if bad is not None:
        raise ValueError(
            f"coordinates for axis {axis} must be finite and strictly monotonic; "
            f"x[{bad}] = {coords[bad]} and x[{bad + 1}] = {coords[bad + 1]} break it"
        )


def _finite(value: object) -> bool:
    try:
        return bool(np.isfinite(value))
    except TypeError:  # objects NumPy cannot test (Fractions, Decimals): their order was checked
        return True
