"""Gaps in grids: NaN samples that split each line into runs (``nan_policy="omit"``).

A derivative is first computed as usual, by any kernel; that is already right
wherever a stencil reads no gap. The points whose stencil would read one are
then computed again, here: a gap ends a run of valid samples as an edge ends
an axis, so a point within a stencil's radius of a gap takes the one-sided
stencil of the same order of accuracy it would take at that distance from an
edge (on a uniform axis the very same weights, cached per offset by
`gradkit.stencils.stencil`; on coordinates Fornberg's weights for the run's
own samples). A run shorter than one such stencil has no derivative (NaN), and
the gaps stay NaN. Everything is vectorised over the points near gaps, grouped
by their distance to the run's end, so lines without gaps cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gradkit.grid.spacing import AxisSpacing
from gradkit.stencils import central_radius, fornberg_weights, one_sided_size, stencil


@dataclass(frozen=True)
class GapRule:
    """How one axis is differentiated, as far as gaps are concerned."""

    axis: int
    spacing: AxisSpacing
    order: int
    size: int  # samples of a one-sided stencil, the shortest run that has derivatives
    radius: int  # points closer than this to the end of a run take one-sided stencils
    periodic: bool = False
    period: float | None = None

    @classmethod
    def for_stencils(cls, axis, spacing, *, order, accuracy, periodic=False, period=None) -> GapRule:
        """The rule of `stencil_rules` plans: one-sided stencils of the interior's accuracy."""
        size, radius = one_sided_size(order, accuracy), central_radius(order, accuracy)
        return cls(axis, spacing, order, size, radius, periodic, period)

    @classmethod
    def for_numpy(cls, axis, spacing, *, edge_order) -> GapRule:
        """The rule of NumPy's formulas: three-point centres, `edge_order` + 1 points beside an end."""
        return cls(axis, spacing, 1, edge_order + 1, 1)


def gap_mask(f: np.ndarray) -> np.ndarray | None:
    """Where NumPy array `f` has NaN samples; None when it has none (or cannot hold NaN)."""
    if f.dtype.kind not in "fc":
        return None
    gaps = np.isnan(np.ma.getdata(f))
    return gaps if gaps.any() else None


def refuse_nan(has_nan: bool) -> None:
    if has_nan:
        raise ValueError('f contains NaN and nan_policy="raise"; use nan_policy="omit" to treat them as gaps')


def as_gapped(f: np.ndarray, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray | None]:
    """A masked array as plain data of `dtype` with NaN where it is masked, and its mask (None for others)."""
    if not isinstance(f, np.ma.MaskedArray):
        return f, None
    mask = np.ma.getmaskarray(f)
    data = np.array(np.ma.getdata(f), dtype=dtype)
    data[mask] = np.nan
    return data, mask


def remasked(result: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    """`result` masked where the input was masked and where it has no derivative (NaN)."""
    if mask is None:
        return result
    return np.ma.masked_array(result, mask=mask | np.isnan(result))


def fill_gaps(f: np.ndarray, gaps: np.ndarray, out: np.ndarray, rule: GapRule) -> np.ndarray:
    """Recompute `out`, the derivative of `f` along `rule.axis`, at the points whose stencils meet `gaps`.

    The work is proportional to the number of gaps: the runs are read off the gaps' positions (a run ends
    where a gap or the axis does), and only the points within `rule.radius` of a gap, and those of runs too
    short for a stencil, are touched.
    """
    axis, n, size = rule.axis, f.shape[rule.axis], rule.size
    found = np.nonzero(np.moveaxis(gaps, axis, -1))  # line by line, positions ascending within a line
    position = found[-1]
    if position.size == 0:
        return out
    other = found[:-1]
    other_shape = tuple(s for k, s in enumerate(f.shape) if k != axis)
    line = np.ravel_multi_index(other, other_shape) if other else np.zeros_like(position)
    first = np.r_[True, line[1:] != line[:-1]]  # the first gap of its line
    last = np.r_[line[1:] != line[:-1], True]
    previous = np.r_[-1, position[:-1]]
    # the run that ends at each gap, and, off a periodic axis, the run after the last gap of each line
    if rule.periodic:  # the run before a line's first gap starts after its last one, one period earlier
        last_of_line = position[last][np.cumsum(first) - 1]
        start = np.where(first, last_of_line + 1 - n, previous + 1)
        gap_of_run, stop = np.arange(position.size), position
        left_gap = np.ones(position.size, bool)
        right_gap = left_gap
    else:
        ends = np.flatnonzero(last)
        gap_of_run = np.r_[np.arange(position.size), ends]
        start = np.r_[np.where(first, 0, previous + 1), position[ends] + 1]
        stop = np.r_[position, np.full(ends.size, n)]
        left_gap = np.r_[~first, np.ones(ends.size, bool)]
        right_gap = np.r_[np.ones(position.size, bool), np.zeros(ends.size, bool)]
    length = stop - start
    keep = length > 0
    gap_of_run, start, stop, length = gap_of_run[keep], start[keep], stop[keep], length[keep]
    left_gap, right_gap = left_gap[keep], right_gap[keep]

    def index(runs: np.ndarray, positions: np.ndarray) -> tuple:
        """Index of `f`/`out` for axis `positions` (one row per run in `runs`, or one each), broadcasting."""
        multi = [o[gap_of_run[runs]].reshape((-1,) + (1,) * (positions.ndim - 1)) for o in other]
        return (*multi[:axis], positions % n, *multi[axis:])

    short = np.flatnonzero(length < size)
    if short.size:  # every point of a run too short for a stencil: no derivative
        counts = length[short]
        runs = np.repeat(short, counts)
        within = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        out[index(runs, start[runs] + within)] = np.nan
    long_enough = length >= size
    for k in range(rule.radius):
        # a point k samples from a run's end reads the same offsets as k samples from an edge
        for side, bounded in (("left", left_gap), ("right", right_gap)):
            runs = np.flatnonzero(long_enough & bounded)
            if runs.size == 0:
                continue
            points = start[runs] + k if side == "left" else stop[runs] - 1 - k
            offsets = np.arange(size) - (k if side == "left" else size - 1 - k)
            samples = points[:, None] + offsets
            out[index(runs, points)] = _one_sided(f, rule, index, runs, points, samples, offsets)
    out[gaps] = np.nan
    return out


def _one_sided(f, rule: GapRule, index, rows, points, samples, offsets) -> np.ndarray:
    """The derivative at (`rows`, `points`) from the samples at axis positions `samples` (one row each,
    `offsets` from the point)."""
    data = f[index(rows, samples)]
    spacing = rule.spacing
    if spacing.is_uniform:
        weights = stencil(rule.order, offsets)
        step = spacing.step
        if isinstance(step, np.ndarray) and step.ndim > 0:  # a step per line
            step = np.broadcast_to(step, _with_length(f.shape, rule.axis, 1))[index(rows, np.zeros_like(points))]
        return np.sum(weights * data, axis=-1) / np.asarray(step) ** rule.order
    x = _coordinates(f.shape, rule, index, rows, samples)
    centre = _coordinates(f.shape, rule, index, rows, points[:, None])
    return np.sum(fornberg_weights(rule.order, x - centre) * data, axis=-1)


def _coordinates(shape, rule: GapRule, index, rows, positions) -> np.ndarray:
    """Coordinates at axis `positions` of lines `rows`; past the ends of a periodic axis, shifted by the period."""
    coords = rule.spacing.coords
    n = shape[rule.axis]
    x = coords[positions % n] if coords.ndim == 1 else np.broadcast_to(coords, shape)[index(rows, positions)]
    x = x.astype(np.complex128 if np.iscomplexobj(x) else np.float64)
    if rule.periodic:
        direction = np.sign((_first_two(coords, rule.axis)[1] - _first_two(coords, rule.axis)[0]).real)
        x = x + np.floor_divide(positions, n) * direction * float(rule.period)
    return x


def _first_two(coords: np.ndarray, axis: int) -> tuple:
    if coords.ndim == 1:
        return coords[0], coords[1]
    return np.take(coords, 0, axis=axis).flat[0], np.take(coords, 1, axis=axis).flat[0]


def _with_length(shape: tuple[int, ...], axis: int, length: int) -> tuple[int, ...]:
    return (*shape[:axis], length, *shape[axis + 1 :])
