"""f sampled on a grid: its gradient from `gk.gradient`, both interpolated multilinearly between samples.

Axis i of the values runs along coordinate i of x (``indexing="ij"``). The gradient is differentiated once,
with second-order differences inside and at the edges, and value and gradient are interpolated
multilinearly (what SciPy's ``RegularGridInterpolator(method="linear")`` does), so the path's error is of
the order of the grid's spacing squared. The grid's extent is the region where f is known: a path stops
at its edge.
"""

from __future__ import annotations

import numpy as np

from gradkit.paths.objective import Objective


class GridObjective(Objective):
    """Values on a rectilinear grid, with `coords` one 1-D increasing array (or a scalar spacing) per axis."""

    def __init__(self, values: object, coords: object):
        table = np.asarray(values)
        if table.dtype.kind not in "biuf":
            raise TypeError(f"f, an array of values on a grid, must be real numbers, got dtype {table.dtype}")
        if table.ndim == 0 or min(table.shape) < 3:
            raise ValueError(f"f, an array of values on a grid, needs at least 3 points per axis, got {table.shape}")
        table = table.astype(np.float64)
        super().__init__(table.ndim)
        self.coords = _coordinates(coords, table.shape)
        from gradkit.grid import gradient

        partials = gradient(table, *self.coords, edge_order=2)
        partials = [partials] if table.ndim == 1 else list(partials)
        # One table of (value, gradient) per grid point: one lookup interpolates all of them.
        self.table = np.stack([table, *partials], axis=-1)
        self.box = (np.array([c[0] for c in self.coords]), np.array([c[-1] for c in self.coords]))

    def _interpolate(self, x: np.ndarray) -> np.ndarray:
        corner, weights = [], []
        for c, xi in zip(self.coords, x):
            i = int(np.clip(np.searchsorted(c, xi), 1, len(c) - 1))
            corner.append(slice(i - 1, i + 1))
            weights.append((xi - c[i - 1]) / (c[i] - c[i - 1]))
        cell = self.table[tuple(corner)]
        for w in weights:  # contract one axis at a time: (1 - w) * low + w * high
            cell = cell[0] + w * (cell[1] - cell[0])
        return cell

    def _value(self, x: np.ndarray) -> float:
        return float(self._interpolate(x)[0])

    def _gradient(self, x: np.ndarray) -> np.ndarray:
        return self._interpolate(x)[1:].copy()

    def value_and_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        both = self._interpolate(x)
        return float(both[0]), both[1:].copy()


def _coordinates(coords: object, shape: tuple[int, ...]) -> list[np.ndarray]:
    if coords is None:
        return [np.arange(n, dtype=np.float64) for n in shape]
    if isinstance(coords, (int, float, np.number)) or (
        isinstance(coords, np.ndarray) and coords.ndim <= 1 and len(shape) == 1
    ):
        coords = (coords,)
    try:
        coords = list(coords)
    except TypeError:
        raise TypeError(f"coords must be a sequence of 1-D arrays or spacings, got {coords!r}") from None
    if len(shape) == 1 and len(coords) == shape[0] > 1:  # one axis: a plain list of coordinates
        coords = [coords]
    if len(coords) != len(shape):
        raise ValueError(
            f"coords must give one array or spacing per axis of the values ({len(shape)}), got {len(coords)}"
        )
    made = []
    for axis, (c, n) in enumerate(zip(coords, shape)):
        if np.ndim(c) == 0:
            spacing = float(c)
            if not (np.isfinite(spacing) and spacing > 0):
                raise ValueError(f"coords[{axis}] as a spacing must be positive and finite, got {c!r}")
            made.append(spacing * np.arange(n, dtype=np.float64))
            continue
        array = np.asarray(c, dtype=np.float64)
        if array.shape != (n,):
            raise ValueError(f"coords[{axis}] must have shape ({n},) like axis {axis} of the values, got {array.shape}")
        if not (np.isfinite(array).all() and np.all(np.diff(array) > 0)):
            raise ValueError(f"coords[{axis}] must be finite and strictly increasing")
        made.append(array)
    return made
