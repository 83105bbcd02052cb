"""Plans built from Fornberg stencils: any derivative order, any even accuracy, periodic axes.

Interior points use the central stencil of the requested accuracy; the
points within its radius of an edge use one-sided stencils of the same
accuracy, so the whole axis has one order of accuracy. A periodic axis wraps
around instead and has no edges. Non-uniform coordinates get one stencil per
point, computed in one vectorised pass of Fornberg's recursion.
"""

from __future__ import annotations

import numpy as np

from gradkit.grid.plan import AxisPlan, Piece, Term, moved_piece
from gradkit.grid.spacing import AxisSpacing
from gradkit.stencils import central_radius, fornberg_weights, one_sided_size, stencil


def stencil_axis_plan(
    axis: int,
    length: int,
    spacing: AxisSpacing,
    *,
    order: int,
    accuracy: int,
    periodic: bool,
    period: float | None,
) -> AxisPlan:
    """The plan of the `order`-th derivative along `axis` with the given `accuracy`."""
    radius = central_radius(order, accuracy)
    spacing = _collapse_uniform(spacing)
    if periodic:
        return _periodic_plan(axis, length, spacing, order, accuracy, radius, period)
    needed = one_sided_size(order, accuracy)
    if length < needed:
        raise ValueError(
            f"axis {axis} has {length} points; derivative order {order} with "
            f"accuracy={accuracy} needs at least {needed}"
        )
    if spacing.is_uniform:
        pieces = _uniform_pieces(length, spacing.step, order, accuracy, radius)
    else:
        pieces = _coordinate_pieces(_along_last(spacing.coords, axis), order, accuracy, radius)
        pieces = tuple(moved_piece(piece, axis) for piece in pieces)
    return AxisPlan(axis=axis, pieces=pieces, radius=radius)


def _along_last(x: np.ndarray, axis: int) -> np.ndarray:
    """Coordinates with their axis last, in float64 (complex128 for complex coordinates)."""
    x = np.moveaxis(x, axis, -1) if x.ndim > 1 else x
    return x.astype(np.complex128 if np.iscomplexobj(x) else np.float64, copy=False)


def _collapse_uniform(spacing: AxisSpacing) -> AxisSpacing:
    if spacing.is_uniform or not spacing.collapse or spacing.per_point:
        return spacing
    steps = np.diff(spacing.coords)
    if steps.size and (steps == steps[0]).all():  # (no steps: too few samples, which the length check says)
        return AxisSpacing(step=float(steps[0]))
    return spacing


def _uniform_pieces(n: int, step: object, order: int, accuracy: int, radius: int) -> tuple[Piece, ...]:
    divisor = step**order
    central = stencil(order, range(-radius, radius + 1))
    interior = Piece(
        slice(radius, n - radius),
        tuple(Term(slice(k, k + n - 2 * radius), float(w)) for k, w in enumerate(central) if w != 0),
        divisor=divisor,
    )
    size = one_sided_size(order, accuracy)
    rows = np.arange(radius)
    # Row i of the left edge sees samples 0..size-1 at offsets k - i; the right
    # edge is the mirror image, whose weights change sign with odd orders.
    left = np.array([stencil(order, np.arange(size) - i) for i in rows]).reshape(radius, size)
    right = (-1) ** order * left[::-1, ::-1]
    return (
        interior,
        _edge_piece(slice(0, radius), 0, left, divisor),
        _edge_piece(slice(n - radius, n), n - size, right, divisor),
    )


def _coordinate_pieces(x: np.ndarray, order: int, accuracy: int, radius: int) -> tuple[Piece, ...]:
    n = x.shape[-1]
    windows = np.lib.stride_tricks.sliding_window_view(x, 2 * radius + 1, axis=-1)
    central = fornberg_weights(order, windows - x[..., radius : n - radius, None])
    interior = Piece(
        slice(radius, n - radius),
        tuple(Term(slice(k, k + n - 2 * radius), central[..., k]) for k in range(2 * radius + 1)),
    )
    size = one_sided_size(order, accuracy)
    left = fornberg_weights(order, x[..., None, :size] - x[..., :radius, None])
    right = fornberg_weights(order, x[..., None, n - size :] - x[..., n - radius :, None])
    return (
        interior,
        _edge_piece(slice(0, radius), 0, left, None),
        _edge_piece(slice(n - radius, n), n - size, right, None),
    )


def _edge_piece(target: slice, first: int, weights: np.ndarray, divisor: object) -> Piece:
    # Every row of an edge reads the same samples, so a term's source is one
    # sample that broadcasts against one weight per row.
    terms = tuple(
        Term(slice(first + k, first + k + 1), np.ascontiguousarray(weights[..., k])) for k in range(weights.shape[-1])
    )
    return Piece(target, terms, divisor=divisor)


def _periodic_plan(
    axis: int,
    n: int,
    spacing: AxisSpacing,
    order: int,
    accuracy: int,
    radius: int,
    period: float | None,
) -> AxisPlan:
    width = 2 * radius + 1
    if n < width:
        raise ValueError(
            f"periodic axis {axis} has {n} points; derivative order {order} with "
            f"accuracy={accuracy} needs at least {width}"
        )
    if spacing.is_uniform:
        _check_uniform_period(axis, n, spacing.step, period)
        central = stencil(order, range(-radius, radius + 1))
        terms = tuple(Term(slice(k, k + n), float(w)) for k, w in enumerate(central) if w != 0)
        piece = Piece(slice(0, n), terms, divisor=spacing.step**order)
    else:
        extended = _wrapped_coordinates(axis, _along_last(spacing.coords, axis), radius, period)
        windows = np.lib.stride_tricks.sliding_window_view(extended, width, axis=-1)
        weights = fornberg_weights(order, windows - extended[..., radius : n + radius, None])
        terms = tuple(Term(slice(k, k + n), weights[..., k]) for k in range(width))
        piece = moved_piece(Piece(slice(0, n), terms), axis)
    return AxisPlan(axis=axis, pieces=(piece,), halo=radius, radius=radius)


def _check_uniform_period(axis: int, n: int, step: object, period: float | None) -> None:
    if period is None:
        return
    implied = n * np.asarray(step)
    if not np.allclose(np.abs(implied), float(period), rtol=1e-9, atol=0.0):
        raise ValueError(
            f"period for axis {axis} is {period}, but {n} samples with spacing {step} "
            f"span {implied}; pass spacing={float(period) / n} or leave period out"
        )


def wrapped_coordinates(axis: int, x: np.ndarray, halo: int, period: float | None) -> np.ndarray:
    """`x` with `halo` coordinates wrapped around from the other end on each side."""
    x = np.asarray(x)
    return _wrapped_coordinates(axis, x.astype(np.complex128 if np.iscomplexobj(x) else np.float64), halo, period)


def _wrapped_coordinates(axis: int, x: np.ndarray, halo: int, period: float | None) -> np.ndarray:
    if period is None:
        raise ValueError(
            f"periodic axis {axis} has coordinate arrays, so period= (the length of the domain, e.g. 2*pi) is required"
        )
    period = float(period)
    span = np.abs(x[..., -1] - x[..., 0]).max()
    if not np.isfinite(period) or period <= span:
        raise ValueError(
            f"period for axis {axis} must be finite and larger than the span of its coordinates ({span}), got {period}"
        )
    direction = np.sign((x[..., 1:2] - x[..., 0:1]).real)
    n = x.shape[-1]
    return np.concatenate((x[..., n - halo :] - direction * period, x, x[..., :halo] + direction * period), axis=-1)
