"""The reference kernel: executes an `AxisPlan` with whole-array slicing.

It is the oracle every faster kernel is tested against, and it is written once
for every array library: NumPy arrays and their subclasses (masked arrays keep
their masks) are written into a preallocated output with NumPy's own
arithmetic, and any other array-API array (torch, CuPy, JAX,
array-api-strict) is assembled with its own namespace's operations by
concatenating the pieces, so it stays on its device and never needs item
assignment.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from gradkit.grid.plan import AxisPlan, Piece


def execute(f: object, plan: AxisPlan, out: np.ndarray | None = None, xp: ModuleType | None = None) -> object:
    """The derivative described by `plan` of `f`.

    With `out` (NumPy only) the result is written there and `out` returned;
    otherwise the pieces are concatenated with the array namespace `xp`.
    """
    xp = np if xp is None else xp
    axis = plan.axis
    source = _wrap(f, axis, plan.halo, xp) if plan.halo else f
    values = [(piece.target, _evaluate(source, axis, piece, xp)) for piece in plan.pieces]
    if out is not None:
        for target, value in values:
            out[_along(f.ndim, axis, target)] = value
        return out
    values.sort(key=lambda item: item[0].start)
    return xp.concat([value for _, value in values], axis=axis)


def _evaluate(source: object, axis: int, piece: Piece, xp: ModuleType) -> object:
    total = None
    numpy = xp is np
    for term in piece.terms:
        sample = source[_along(source.ndim, axis, term.source)]
        weight = term.weight
        if isinstance(weight, np.ndarray):
            weight = weight.reshape(_column(source.ndim, axis))
            if not numpy:
                weight = xp.asarray(weight, dtype=_real_dtype(sample, xp), device=_device(sample))
        elif not numpy:
            weight = float(weight) if type(weight) is not int else weight
        if type(weight) is int and weight in (1, -1):
            # NumPy writes these as plain sums and differences; so do we, for identical rounding.
            if total is None:
                total = sample if weight == 1 else -sample
            else:
                total = total + sample if weight == 1 else total - sample
        else:
            total = weight * sample if total is None else total + weight * sample
    if piece.divisor is not None:
        total = total / (piece.divisor if numpy else float(piece.divisor))
    return total


def _real_dtype(sample: object, xp: ModuleType) -> object:
    dtype = sample.dtype
    if xp.isdtype(dtype, "complex floating"):
        return xp.float32 if dtype == xp.complex64 else xp.float64
    return dtype


def _device(array: object) -> object:
    from array_api_compat import device

    return device(array)


def _wrap(f: object, axis: int, halo: int, xp: ModuleType) -> object:
    n = f.shape[axis]
    parts = (f[_along(f.ndim, axis, slice(n - halo, n))], f, f[_along(f.ndim, axis, slice(0, halo))])
    if xp is np:
        concatenate = np.ma.concatenate if isinstance(f, np.ma.MaskedArray) else np.concatenate
        return concatenate(parts, axis=axis)
    return xp.concat(parts, axis=axis)


def _along(ndim: int, axis: int, index: slice) -> tuple[slice, ...]:
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


def _column(ndim: int, axis: int) -> tuple[int, ...]:
    shape = [1] * ndim
    shape[axis] = -1
    return tuple(shape)
