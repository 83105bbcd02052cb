"""Normalisation of NumPy-style spacing arguments into one spacing per axis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AxisSpacing:
    """The spacing of one axis: a scalar step, or 1-D coordinates of its samples.

    ``step`` keeps the object the user passed (a Python float, a NumPy
    scalar, a 0-d array) because NumPy's dtype rules depend on it.

    Spacing per point: ``step`` may also be an array with the data's number of
    dimensions and length 1 along the axis (a step that varies along the other
    axes), and ``coords`` one with the axis' length along it (each line's own
    coordinates); both broadcast against the data.
    """

    step: object = None
    coords: np.ndarray | None = None
    #: Whether coordinates with constant differences may be treated as a scalar step. A piece of a
    #: non-uniform axis (a Dask block) must not be, to round exactly as the whole axis does.
    collapse: bool = True

    @property
    def is_uniform(self) -> bool:
        return self.coords is None

    @property
    def per_point(self) -> bool:
        """Whether the spacing varies along other axes (an N-D step or N-D coordinates)."""
        value = self.step if self.coords is None else self.coords
        if isinstance(value, (int, float, complex, np.generic)):  # a scalar step, most often: no NumPy call
            return False
        return np.ndim(value) > 1


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
    varargs = tuple(as_numpy(value) for value in varargs)
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
    return [_axis_spacing(value, shape, axis) for value, axis in zip(varargs, axes)]


def as_numpy(value: object) -> object:
    """Spacing of another array library (a torch tensor, a JAX or array-API array) as a NumPy array on the
    host; anything else unchanged. Types NumPy lacks (bfloat16) are widened exactly to float64, in which
    NumPy computes the weights of double-precision coordinates."""
    module = type(value).__module__.split(".")[0]
    if module in ("numpy", "builtins") or not hasattr(value, "shape"):
        return value
    if module == "torch":
        value = value.detach().cpu()
        if str(value.dtype) == "torch.bfloat16":
            value = value.double()
        return value.numpy()
    try:
        return np.asarray(value)
    except (TypeError, ValueError, RuntimeError):
        return np.from_dlpack(value)


def _axis_spacing(value: object, shape: tuple[int, ...], axis: int) -> AxisSpacing:
    length = shape[axis]
    coords = np.asanyarray(value)
    if coords.dtype.kind not in "iufcbmMO":
        raise TypeError(f"spacing for axis {axis} must be numeric, got an array of {coords.dtype}")
    if coords.ndim == 0:
        return AxisSpacing(step=_check_step(value, axis))
    if coords.ndim > 1:
        return _per_point_spacing(coords, shape, axis)
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


def _per_point_spacing(values: np.ndarray, shape: tuple[int, ...], axis: int) -> AxisSpacing:
    """An N-D spacing array broadcastable to the data: along `axis` of length 1 (a step per line), the
    axis' length (each line's coordinates) or one less (the steps between samples, as MetPy's deltas)."""
    ndim = len(shape)
    if values.ndim > ndim:
        raise ValueError(f"spacing for axis {axis} has shape {values.shape}, more dimensions than f {shape}")
    values = values.reshape((1,) * (ndim - values.ndim) + values.shape)
    n = shape[axis]
    along = values.shape[axis]
    other = [s for k, s in enumerate(values.shape) if k != axis]
    expected = [s for k, s in enumerate(shape) if k != axis]
    if any(s not in (1, e) for s, e in zip(other, expected)) or along not in (1, n - 1, n):
        raise ValueError(
            f"spacing for axis {axis} has shape {values.shape}, which does not broadcast to f {shape}: along "
            f"axis {axis} it needs 1 (a step per line), {n} (coordinates) or {n - 1} (steps between samples)"
        )
    if np.issubdtype(values.dtype, np.integer) or values.dtype == np.bool_:
        values = values.astype(np.float64)
    if along == 1:
        finite = np.isfinite(values) if values.dtype.kind in "fc" else True
        if not np.all(finite & (values != 0)):
            raise ValueError(f"spacing for axis {axis} must hold nonzero finite steps")
        return AxisSpacing(step=values)
    if along == n - 1:
        zero = np.zeros_like(np.take(values, [0], axis=axis))
        values = np.concatenate((zero, np.cumsum(values, axis=axis)), axis=axis)
    steps = np.diff(values, axis=axis)
    first = np.take(steps, [0], axis=axis)
    ordered = (np.sign(steps.real) == np.sign(first.real)) & (steps != 0) if steps.size else np.array(True)
    if not (np.all(ordered) and np.all(np.isfinite(values))):
        raise ValueError(f"coordinates for axis {axis} must be finite and strictly monotonic along every line")
    return AxisSpacing(coords=values, collapse=False)


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
