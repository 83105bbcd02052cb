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
    if not numpy:
        source, compute = _compute_type(source, piece, xp)
    for term in piece.terms:
        sample = source[_along(source.ndim, axis, term.source)]
        weight = term.weight
        if isinstance(weight, np.ndarray):
            if weight.ndim != source.ndim:  # one weight per position along the axis; N-D ones broadcast
                weight = weight.reshape(_column(source.ndim, axis))
            if not numpy:
                weight = xp.asarray(weight, dtype=compute, device=_device(sample))
        elif not numpy:
            weight = _python_number(weight)
        if type(weight) is int and weight in (1, -1):
            # NumPy writes these as plain sums and differences; so do we, for identical rounding.
            if total is None:
                total = sample if weight == 1 else -sample
            else:
                total = total + sample if weight == 1 else total - sample
        else:
            total = weight * sample if total is None else total + weight * sample
    if piece.divisor is not None:
        divisor = piece.divisor
        if not numpy:
            divisor = (
                _python_number(divisor)
                if np.ndim(divisor) == 0
                else xp.asarray(divisor, dtype=compute, device=_device(total))
            )
        total = total / divisor
    return total


#: NumPy's name of each floating dtype of the array libraries; types NumPy lacks compute in float32.
_NUMPY_NAMES = {"float16": "float16", "bfloat16": "float32", "float32": "float32", "float64": "float64"}


def _compute_type(source: object, piece: Piece, xp: ModuleType) -> tuple[object, object]:
    """`source` in the type NumPy would compute `piece` in (its data's type with the weights', Python
    numbers weakly), and that type in `xp`: float32 data with float64 coordinates computes in float64,
    any data with complex spacing in complex."""
    name = str(source.dtype).rsplit(".", 1)[-1]
    data = np.dtype(name if name.startswith("complex") else _NUMPY_NAMES.get(name, "float64"))
    operands = [w for w in (*(t.weight for t in piece.terms), piece.divisor) if w is not None and type(w) is not int]
    operands = [w.dtype if isinstance(w, np.ndarray) else w for w in operands]
    wanted = np.result_type(data, *operands)
    if wanted.kind == "c" and data.kind != "c":
        wanted = np.dtype(np.complex64 if wanted == np.complex64 else np.complex128)
    compute = getattr(xp, _available(wanted, xp).name)
    if source.dtype != compute:
        source = xp.astype(source, compute)
    return source, compute


def _available(wanted: np.dtype, xp: ModuleType) -> np.dtype:
    """`wanted`, or its single-precision counterpart where the library has no double precision (JAX
    without ``jax_enable_x64``)."""
    if "jax" in xp.__name__ and wanted.itemsize >= 8:
        import jax

        if not jax.config.jax_enable_x64:
            return np.dtype(np.complex64 if wanted.kind == "c" else np.float32)
    return wanted


def _python_number(value: object) -> object:
    """A scalar weight or divisor as a Python number, which every array library treats as weakly typed
    (the array's type decides, as it does for a Python float in NumPy)."""
    if type(value) in (int, float, complex):
        return value
    value = np.asarray(value).item()
    return value


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
