"""The reference kernel: executes an `AxisPlan` with whole-array slicing.

It is the oracle every faster kernel is tested against. It works on NumPy
arrays and their subclasses (masked arrays keep their masks) because it only
slices, multiplies, adds and divides.
"""

from __future__ import annotations

import numpy as np

from gradkit.grid.plan import AxisPlan, Piece


def execute(f: np.ndarray, plan: AxisPlan, out: np.ndarray) -> np.ndarray:
    """Write the derivative described by `plan` of `f` into `out` and return `out`."""
    source = _wrap(f, plan.axis, plan.halo) if plan.halo else f
    for piece in plan.pieces:
        out[_along(f.ndim, plan.axis, piece.target)] = _evaluate(source, plan.axis, piece)
    return out


def _evaluate(source: np.ndarray, axis: int, piece: Piece) -> object:
    total = None
    for term in piece.terms:
        sample = source[_along(source.ndim, axis, term.source)]
        weight = term.weight
        if isinstance(weight, np.ndarray):
            weight = weight.reshape(_column(source.ndim, axis))
        if type(weight) is int and weight in (1, -1):
            # NumPy writes these as plain sums and differences; so do we, for identical rounding.
            if total is None:
                total = sample if weight == 1 else -sample
            else:
                total = total + sample if weight == 1 else total - sample
        else:
            total = weight * sample if total is None else total + weight * sample
    if piece.divisor is not None:
        total = total / piece.divisor
    return total


def _wrap(f: np.ndarray, axis: int, halo: int) -> np.ndarray:
    n = f.shape[axis]
    parts = (f[_along(f.ndim, axis, slice(n - halo, n))], f, f[_along(f.ndim, axis, slice(0, halo))])
    concatenate = np.ma.concatenate if isinstance(f, np.ma.MaskedArray) else np.concatenate
    return concatenate(parts, axis=axis)


def _along(ndim: int, axis: int, index: slice) -> tuple[slice, ...]:
    key = [slice(None)] * ndim
    key[axis] = index
    return tuple(key)


def _column(ndim: int, axis: int) -> tuple[int, ...]:
    shape = [1] * ndim
    shape[axis] = -1
    return tuple(shape)
