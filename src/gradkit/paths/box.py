"""`bounds`: reading them into a box, and where a step leaves it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Box:
    """Lower and upper limits per coordinate (infinite where there is none)."""

    lower: np.ndarray
    upper: np.ndarray

    def contains(self, x: np.ndarray) -> bool:
        return bool(np.all(x >= self.lower) and np.all(x <= self.upper))

    def exit(self, x: np.ndarray, x_new: np.ndarray) -> np.ndarray:
        """The point where the segment from x (inside) to x_new (outside) crosses the box's surface."""
        direction = x_new - x
        with np.errstate(divide="ignore", invalid="ignore"):
            to_upper = np.where(direction > 0, (self.upper - x) / direction, np.inf)
            to_lower = np.where(direction < 0, (self.lower - x) / direction, np.inf)
        to_surface = np.minimum(to_upper, to_lower)
        first = int(np.argmin(to_surface))
        fraction = float(np.clip(to_surface[first], 0.0, 1.0))
        crossing = np.clip(x + fraction * direction, self.lower, self.upper)
        # Exactly on the surface it crosses, whatever the rounding of x + fraction * direction.
        crossing[first] = self.upper[first] if direction[first] > 0 else self.lower[first]
        return crossing


def read_bounds(bounds: object, n: int, known: tuple[np.ndarray, np.ndarray] | None = None) -> Box:
    """A Box from ``None``, a sequence of n ``(low, high)`` pairs (None for no limit) or an object with ``lb``
    and ``ub`` (``scipy.optimize.Bounds``), intersected with `known` (where f is known: a grid's extent)."""
    lower, upper = np.full(n, -np.inf), np.full(n, np.inf)
    if bounds is not None:
        if hasattr(bounds, "lb") and hasattr(bounds, "ub"):
            low = np.broadcast_to(np.asarray(bounds.lb, dtype=np.float64), (n,))
            high = np.broadcast_to(np.asarray(bounds.ub, dtype=np.float64), (n,))
        else:
            try:
                pairs = [tuple(pair) for pair in bounds]
            except TypeError:
                raise TypeError(
                    f"bounds must be a sequence of (low, high) pairs or scipy Bounds, got {bounds!r}"
                ) from None
            if len(pairs) != n or any(len(p) != 2 for p in pairs):
                raise ValueError(f"bounds must hold {n} (low, high) pairs, one per coordinate of x0, got {bounds!r}")
            low = np.array([-np.inf if p[0] is None else p[0] for p in pairs], dtype=np.float64)
            high = np.array([np.inf if p[1] is None else p[1] for p in pairs], dtype=np.float64)
        if np.isnan(low).any() or np.isnan(high).any() or np.any(low >= high):
            raise ValueError(f"bounds must have low < high for every coordinate, got {bounds!r}")
        lower, upper = low.copy(), high.copy()
    if known is not None:
        lower, upper = np.maximum(lower, known[0]), np.minimum(upper, known[1])
        if np.any(lower >= upper):
            raise ValueError("bounds do not overlap the grid's extent")
    return Box(lower, upper)
