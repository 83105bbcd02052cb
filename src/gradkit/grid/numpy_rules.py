"""Plans that reproduce `numpy.gradient` exactly: second-order interior, edge_order 1 or 2.

Every weight and divisor is computed with the same expression, the same
operand types and the same order of operations as NumPy's own implementation,
so results agree bit for bit, dtype quirks included (a Python-float step keeps
float16 in float16, a float64 NumPy scalar step does not).
"""

from __future__ import annotations

import numpy as np

from gradkit.grid.plan import AxisPlan, Piece, Term, moved_piece
from gradkit.grid.spacing import BLOCK, AxisSpacing


def numpy_steps(spacing: AxisSpacing, *, whole: bool = True) -> object:
    """The step NumPy works with: a scalar, or the array of coordinate differences.

    Constant differences collapse to their first value, as in NumPy. With ``whole=False``, non-constant
    differences come back as their first two and last two only, all the edges of a plan read.
    """
    if spacing.is_uniform:
        return spacing.step
    coords = spacing.coords
    if spacing.collapse and _constant_steps(coords):
        return coords[1] - coords[0]
    if whole or len(coords) <= 6:
        return np.diff(coords)
    return np.concatenate((np.diff(coords[:3]), np.diff(coords[-3:])))


def _constant_steps(coords: np.ndarray) -> bool:
    """``(np.diff(coords) == first).all()``, a piece at a time: no difference array of the axis' length,
    and an answer from the first piece for most coordinates that are not uniform."""
    first = coords[1] - coords[0]
    pieces = (coords[start : start + BLOCK + 1] for start in range(0, len(coords) - 1, BLOCK))
    return all((np.diff(piece) == first).all() for piece in pieces)


def check_length(axis: int, length: int, edge_order: int) -> None:
    """NumPy's error for an axis too short for its edge formulas, naming the axis."""
    if length < edge_order + 1:
        raise ValueError(
            "Shape of array too small to calculate a numerical gradient, at least "
            f"(edge_order + 1) elements are required: axis {axis} has {length}, "
            f"edge_order={edge_order} needs {edge_order + 1}"
        )


def numpy_axis_plan(
    axis: int, length: int, spacing: AxisSpacing, edge_order: int, *, tabulate: bool = True
) -> AxisPlan:
    """The plan of `numpy.gradient` along `axis` (second-order central interior).

    With ``tabulate=False`` and non-uniform float64 coordinates, the interior
    is left to the kernel, which computes NumPy's three-point weights from
    ``plan.central_coords`` as it goes instead of holding three arrays of the
    axis' length. (NumPy computes the weights of other coordinates in their
    own type, so those are tabulated.)
    """
    check_length(axis, length, edge_order)
    if spacing.per_point:
        return _per_point_plan(axis, length, spacing, edge_order)
    # the kernel computes NumPy's interior weights from float64 coordinates: the edges need only end steps
    left_to_kernel = not tabulate and spacing.coords is not None and spacing.coords.dtype == np.float64
    dx = numpy_steps(spacing, whole=not left_to_kernel)
    edges = _first_order_edges(dx, length) if edge_order == 1 else _second_order_edges(dx, length)
    if left_to_kernel and np.ndim(dx) != 0:
        return AxisPlan(axis=axis, pieces=edges, central_coords=spacing.coords, numpy_rounding=True)
    return AxisPlan(axis=axis, pieces=(_central_interior(dx, length), *edges), numpy_rounding=True)


def _per_point_plan(axis: int, n: int, spacing: AxisSpacing, edge_order: int) -> AxisPlan:
    """NumPy's formulas on spacing that varies along other axes: each line gets the weights `numpy.gradient`
    would give it with its own step or coordinates (computed along the last axis, then moved to `axis`)."""
    if spacing.is_uniform:
        dx, uniform = np.moveaxis(spacing.step, axis, -1), True
    else:
        dx, uniform = np.diff(np.moveaxis(spacing.coords, axis, -1), axis=-1), False
    interior = _central_interior(dx, n, uniform=uniform)
    edges = (_first_order_edges if edge_order == 1 else _second_order_edges)(dx, n, uniform=uniform)
    pieces = tuple(moved_piece(piece, axis) for piece in (interior, *edges))
    return AxisPlan(axis=axis, pieces=pieces, numpy_rounding=True)


def _end(dx: np.ndarray, k: int) -> object:
    """Step `k` of `dx`: a scalar for 1-D steps, a length-1 last axis for steps per line."""
    return dx[k] if dx.ndim == 1 else dx[..., k : (k + 1) or None]


def _central_interior(dx: object, n: int, *, uniform: bool | None = None) -> Piece:
    left, middle, right = slice(0, n - 2), slice(1, n - 1), slice(2, n)
    if np.ndim(dx) == 0 if uniform is None else uniform:
        return Piece(middle, (Term(right, 1), Term(left, -1)), divisor=2.0 * dx)
    dx1 = dx[..., 0:-1]
    dx2 = dx[..., 1:]
    a = -(dx2) / (dx1 * (dx1 + dx2))
    b = (dx2 - dx1) / (dx1 * dx2)
    c = dx1 / (dx2 * (dx1 + dx2))
    return Piece(middle, (Term(left, a), Term(middle, b), Term(right, c)))


def _first_order_edges(dx: object, n: int, *, uniform: bool | None = None) -> tuple[Piece, Piece]:
    uniform = np.ndim(dx) == 0 if uniform is None else uniform
    dx_0 = dx if uniform else _end(dx, 0)
    dx_n = dx if uniform else _end(dx, -1)
    first = Piece(slice(0, 1), (Term(slice(1, 2), 1), Term(slice(0, 1), -1)), divisor=dx_0)
    last = Piece(slice(n - 1, n), (Term(slice(n - 1, n), 1), Term(slice(n - 2, n - 1), -1)), divisor=dx_n)
    return first, last


def _second_order_edges(dx: object, n: int, *, uniform: bool | None = None) -> tuple[Piece, Piece]:
    if np.ndim(dx) == 0 if uniform is None else uniform:
        a, b, c = -1.5 / dx, 2.0 / dx, -0.5 / dx
        p, q, r = 0.5 / dx, -2.0 / dx, 1.5 / dx
    else:
        dx1, dx2 = _end(dx, 0), _end(dx, 1)
        a = -(2.0 * dx1 + dx2) / (dx1 * (dx1 + dx2))
        b = (dx1 + dx2) / (dx1 * dx2)
        c = -dx1 / (dx2 * (dx1 + dx2))
        dx1, dx2 = _end(dx, -2), _end(dx, -1)
        p = (dx2) / (dx1 * (dx1 + dx2))
        q = -(dx2 + dx1) / (dx1 * dx2)
        r = (2.0 * dx2 + dx1) / (dx2 * (dx1 + dx2))
    first = Piece(slice(0, 1), (Term(slice(0, 1), a), Term(slice(1, 2), b), Term(slice(2, 3), c)))
    last = Piece(
        slice(n - 1, n),
        (Term(slice(n - 3, n - 2), p), Term(slice(n - 2, n - 1), q), Term(slice(n - 1, n), r)),
    )
    return first, last
