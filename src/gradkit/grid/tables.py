"""An `AxisPlan` as flat arrays: the form compiled kernels read.

A plan's pieces become one interior stencil with fixed relative offsets over
``[lo, hi)`` plus explicit rows (absolute, wrapped sample indices and weights)
for the positions ``[0, lo)`` and ``[hi, n)`` near the edges. Every weight and
divisor is the float64 value of the plan's own, so a kernel that adds the
terms in the same order rounds like the reference kernel.

A kernel computes in double precision. For single-precision data, NumPy's own
formulas (`AxisPlan.numpy_rounding`) run some operations in single precision
(a Python-float step stays float32, a float64 one does not); a rounding mode
per piece says which, and the kernel does those operations in single
precision, on the weights and divisors NumPy would convert, so that its
results are NumPy's bit for bit.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from gradkit.grid.plan import AxisPlan, Piece, Term

#: Rounding modes: all in double; terms and their sum in single, the division in double; all in single.
DOUBLE, SINGLE_SUM, SINGLE = 0, 1, 2
SINGLE_PRECISION = frozenset(np.dtype(t) for t in (np.float32, np.complex64))


class AxisTables(NamedTuple):
    """The arrays a compiled kernel reads for one axis; see the module docstring."""

    lo: int
    hi: int
    offsets: np.ndarray  # int64 (W,): sample offsets of the interior stencil
    weights: np.ndarray  # float64 (W, hi - lo), or (W, 1) when every interior position shares them
    divisor: float
    coords: np.ndarray  # float64 (n,): NumPy's three-point weights from these inside; (0,) otherwise
    row_index: np.ndarray  # int64 (lo + n - hi, M): samples of each edge row
    row_weight: np.ndarray  # float64 (lo + n - hi, M)
    row_count: np.ndarray  # int64 (lo + n - hi,): terms used in each row
    row_divisor: np.ndarray  # float64 (lo + n - hi,)
    mode: int  # rounding mode of the interior
    row_mode: np.ndarray  # int64 (lo + n - hi,): rounding mode of each edge row


def axis_tables(plan: AxisPlan, n: int, dtype: np.dtype | None = None) -> AxisTables:
    """Flatten `plan` for an axis of length `n` of data of type `dtype` (float64 if None)."""
    single = plan.numpy_rounding and dtype is not None and np.dtype(dtype) in SINGLE_PRECISION
    mode = DOUBLE
    if plan.central_coords is not None:
        lo, hi = 1, n - 1
        offsets = np.array([-1, 0, 1], dtype=np.int64)
        weights = np.zeros((3, 1))
        divisor = 1.0
        coords = np.ascontiguousarray(plan.central_coords, dtype=np.float64)
    else:
        interior = max((p for p in plan.pieces if _is_relative(p)), key=_length)
        if single:
            interior, mode = _rounded(interior, dtype)
        offsets = np.array([t.source.start - interior.target.start - plan.halo for t in interior.terms], dtype=np.int64)
        lo = max(interior.target.start, -int(offsets.min()))
        hi = max(lo, min(interior.target.stop, n - int(offsets.max())))
        weights = _interior_weights(interior, lo, hi)
        divisor = _as_float(interior.divisor)
        coords = np.zeros(0)
    rows = [_explicit_row(plan, n, i, dtype if single else None) for i in (*range(lo), *range(hi, n))]
    width = max((len(index) for index, *_ in rows), default=1)
    row_index = np.zeros((len(rows), width), dtype=np.int64)
    row_weight = np.zeros((len(rows), width))
    for r, (index, weight, *_) in enumerate(rows):
        row_index[r, : len(index)] = index
        row_weight[r, : len(weight)] = weight
    return AxisTables(
        lo=lo,
        hi=hi,
        offsets=offsets,
        weights=weights,
        divisor=divisor,
        coords=coords,
        row_index=row_index,
        row_weight=row_weight,
        row_count=np.array([len(index) for index, *_ in rows], dtype=np.int64),
        row_divisor=np.array([d for _, _, d, _ in rows], dtype=np.float64),
        mode=mode,
        row_mode=np.array([m for *_, m in rows], dtype=np.int64),
    )


def _rounded(piece: Piece, dtype: np.dtype) -> tuple[Piece, int]:
    """`piece` for single-precision data with NumPy's rounding: its mode, and the weights (and divisor) that
    NumPy converts to single precision before using them, converted."""
    # A weight of 1 or -1 is a plain sum or difference of samples, in the samples' type.
    types = [np.dtype(dtype) if type(t.weight) is int else np.result_type(dtype, t.weight) for t in piece.terms]
    total = np.result_type(*types)
    if total not in SINGLE_PRECISION:
        return piece, DOUBLE
    real = np.float32
    terms = tuple(Term(t.source, _converted(t.weight, real)) for t in piece.terms)
    if piece.divisor is None or np.result_type(total, piece.divisor) in SINGLE_PRECISION:
        divisor = None if piece.divisor is None else real(piece.divisor)
        return Piece(piece.target, terms, divisor), SINGLE
    return Piece(piece.target, terms, piece.divisor), SINGLE_SUM


def _converted(weight: object, real: type) -> object:
    return weight.astype(real) if isinstance(weight, np.ndarray) else real(weight)


def _length(piece: Piece) -> int:
    return piece.target.stop - piece.target.start


def _is_relative(piece: Piece) -> bool:
    return all(t.source.stop - t.source.start == _length(piece) for t in piece.terms)


def _interior_weights(piece: Piece, lo: int, hi: int) -> np.ndarray:
    if all(not isinstance(t.weight, np.ndarray) for t in piece.terms):
        return np.array([[_as_float(t.weight)] for t in piece.terms])
    start = piece.target.start
    columns = [np.broadcast_to(_weight_at(t, slice(lo - start, hi - start)), (hi - lo,)) for t in piece.terms]
    # One contiguous row per term, so a kernel streams the weights of consecutive positions.
    return np.ascontiguousarray(np.stack(columns, axis=0), dtype=np.float64)


def _explicit_row(plan: AxisPlan, n: int, i: int, single: np.dtype | None) -> tuple[list[int], list[float], float, int]:
    """Samples, weights, divisor and rounding mode of output position `i` (single: the data's type, when
    NumPy would round in single precision)."""
    piece = next(p for p in plan.pieces if p.target.start <= i < p.target.stop)
    piece, mode = (piece, DOUBLE) if single is None else _rounded(piece, single)
    row = i - piece.target.start
    index, weight = [], []
    for term in piece.terms:
        relative = term.source.stop - term.source.start == _length(piece)
        position = term.source.start + (row if relative else 0) - plan.halo
        index.append(position % n)
        weight.append(_as_float(_weight_at(term, row)))
    return index, weight, _as_float(piece.divisor), mode


def _weight_at(term: Term, row: int | slice) -> object:
    return term.weight[row] if isinstance(term.weight, np.ndarray) else term.weight


def _as_float(value: object) -> float:
    return 1.0 if value is None else float(value)
