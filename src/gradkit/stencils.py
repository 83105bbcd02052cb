"""Finite-difference weights for any derivative order on any set of offsets.

The weights come from Fornberg's recursion (Fornberg 1988, "Generation of
finite difference formulas on arbitrarily spaced grids", Math. Comp. 51),
which builds the weights for every order up to the requested one at once and
stays stable where solving the Vandermonde system for the same weights loses
most of its digits (eleven points are enough to see it).

This module is the single source of weights for both the grid operators and
the differentiation of callables.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

__all__ = [
    "central_radius",
    "fornberg_weights",
    "one_sided_size",
    "stencil",
]


def fornberg_weights(order: int, offsets: np.ndarray) -> np.ndarray:
    """Weights of the derivative of `order` at 0 from values at `offsets`.

    Vectorised over leading axes: `offsets` has shape ``(..., m)`` and the
    result has the same shape, so many non-uniform stencils (one per grid
    point) are computed in one pass. Complex offsets (complex coordinates)
    give complex weights, in complex128; real ones float64. No validation:
    callers check that the offsets are finite and distinct and that ``m > order``.
    """
    z = np.asarray(offsets)
    z = z.astype(np.complex128 if np.iscomplexobj(z) else np.float64, copy=False)
    m = z.shape[-1]
    batch = z.shape[:-1]
    # c[j, k]: weight of point j for derivative k, with the points 0..i seen so far.
    c = np.zeros((m, order + 1, *batch), dtype=z.dtype)
    c[0, 0] = 1.0
    c1 = np.ones(batch, dtype=z.dtype)
    c4 = z[..., 0]
    for i in range(1, m):
        top = min(i, order)
        c2 = np.ones(batch, dtype=z.dtype)
        c5 = c4
        c4 = z[..., i]
        for j in range(i):
            c3 = z[..., i] - z[..., j]
            c2 = c2 * c3
            if j == i - 1:
                for k in range(top, 0, -1):
                    c[i, k] = c1 * (k * c[i - 1, k - 1] - c5 * c[i - 1, k]) / c2
                c[i, 0] = -c1 * c5 * c[i - 1, 0] / c2
            for k in range(top, 0, -1):
                c[j, k] = (c4 * c[j, k] - k * c[j, k - 1]) / c3
            c[j, 0] = c4 * c[j, 0] / c3
        c1 = c2
    return np.moveaxis(c[:, order], 0, -1)


def _check_order(order: object) -> int:
    try:
        value = operator.index(order)
    except TypeError:
        raise TypeError(f"order must be an integer, got {order!r}") from None
    if value < 0:
        raise ValueError(f"order must be >= 0, got {value}")
    return value


def _check_offsets(order: int, offsets: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    try:
        points = np.asarray(offsets, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"offsets must be a 1-D sequence of real numbers, got {offsets!r}") from None
    if points.ndim != 1:
        raise ValueError(f"offsets must be 1-D, got an array of shape {points.shape}")
    if not np.all(np.isfinite(points)):
        raise ValueError(f"offsets must be finite, got {points.tolist()}")
    if len(np.unique(points)) != len(points):
        raise ValueError(f"offsets must be distinct, got repeated values in {points.tolist()}")
    if len(points) <= order:
        raise ValueError(f"a derivative of order {order} needs at least {order + 1} offsets, got {len(points)}")
    return tuple(points.tolist())


@lru_cache(maxsize=512)
def _cached_stencil(order: int, offsets: tuple[float, ...]) -> np.ndarray:
    weights = fornberg_weights(order, np.array(offsets))
    weights.setflags(write=False)
    return weights


def stencil(order: int, offsets: Sequence[float] | np.ndarray) -> np.ndarray:
    """Finite-difference weights for the `order`-th derivative at 0.

    Parameters
    ----------
    order : int
        Derivative order, ``>= 0`` (0 gives interpolation weights).
    offsets : sequence of float
        Distinct, finite sample positions relative to the point where the
        derivative is taken, in units of the grid step. Integer or real, in
        any order, uniform or not. At least ``order + 1`` of them.

    Returns
    -------
    numpy.ndarray
        Read-only float64 weights ``w`` with ``f^(order)(0) ~ sum(w * f(offsets))``,
        one per offset, in the order given. Cached by ``(order, offsets)``.

    Raises
    ------
    ValueError
        If the offsets repeat, are not finite, or are too few for `order`.

    Examples
    --------
    >>> import gradkit as gk
    >>> gk.stencil(1, [-2, -1, 0, 1, 2]) * 12
    array([ 1., -8.,  0.,  8., -1.])
    >>> gk.stencil(1, [0, 1, 2])
    array([-1.5,  2. , -0.5])
    """
    order = _check_order(order)
    return _cached_stencil(order, _check_offsets(order, offsets))


def central_radius(order: int, accuracy: int) -> int:
    """Half-width of the central stencil of derivative `order` with even `accuracy`."""
    return (order + 1) // 2 + accuracy // 2 - 1


def one_sided_size(order: int, accuracy: int) -> int:
    """Number of points of a one-sided stencil of derivative `order` and `accuracy`."""
    return order + accuracy
