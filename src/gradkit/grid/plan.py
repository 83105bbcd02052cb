"""The plan of a grid derivative: what to compute along one axis, as data.

A plan says which input samples, with which weights, make each output sample.
It is built once from the user's arguments (`gradient.py`, `rules.py`) and
executed by a kernel (`reference.py`), so kernels never look at arguments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: A weight is a scalar shared by every output position of a piece, a 1-D
#: array with one weight per output position along the axis, or (spacing per
#: point) an array with the data's dimensions that broadcasts against them.
Weight = int | float | np.floating | np.ndarray


@dataclass(frozen=True)
class Term:
    """One sample of the stencil: ``weight * source[source_slice]`` along the axis."""

    source: slice
    weight: Weight


@dataclass(frozen=True)
class Piece:
    """Output positions ``target`` along the axis = ``(sum of terms) / divisor``.

    Terms are summed left to right, and a divisor of ``None`` means none. The
    order and the form (weights of 1 and -1 as plain sums and differences, a
    separate divisor) are kept so that NumPy's own formulas are reproduced bit
    for bit.
    """

    target: slice
    terms: tuple[Term, ...]
    divisor: object = None


@dataclass(frozen=True)
class AxisPlan:
    """Everything a kernel needs to differentiate along one axis.

    ``halo`` is the number of samples wrapped around at each end for a
    periodic axis; the sources of the pieces then index the wrapped array,
    which is ``halo`` samples longer at both ends. ``radius`` is how far the
    stencils reach (the halo a chunked kernel needs). ``central_coords``, when
    set, means positions ``1..n-2`` use NumPy's three-point formula on these
    coordinates and no piece covers them (only fused kernels take such plans).
    ``numpy_rounding`` marks NumPy's own formulas, which a kernel computing in
    a wider type rounds as NumPy's operations do (single precision included).
    """

    axis: int
    pieces: tuple[Piece, ...]
    halo: int = 0
    radius: int = 1
    central_coords: np.ndarray | None = None
    numpy_rounding: bool = False


def moved_piece(piece: Piece, axis: int) -> Piece:
    """`piece` with its N-D weights and divisor (spacing per point), computed with the axis last, moved to
    `axis` so that they broadcast against the data."""

    def move(value: object) -> object:
        return np.moveaxis(value, -1, axis) if isinstance(value, np.ndarray) and value.ndim > 1 else value

    return Piece(piece.target, tuple(Term(t.source, move(t.weight)) for t in piece.terms), move(piece.divisor))
