"""Richardson extrapolation of a sequence of finite-difference estimates, with error estimates.

Given estimates D(h) at steps h0, h0/2, h0/4, ... whose error is a series in
h**p, h**2p, ... (p = 2 for symmetric stencils, 1 for one-sided ones), each new
row of the Neville table cancels one more term. The error of an entry is
estimated as the larger of its distances to the entries it was built from,
plus the rounding noise of its row, amplified by the extrapolation; for each
element the entry with the smallest estimate wins. The sequence stops when
the estimate reaches the rounding floor, or when it has grown for two rows in
a row (the steps have become too small), or after `max_rows`. `extrapolate` runs
the table on arrays (many derivatives at once); `extrapolate_floats` runs the same
table on Python floats for one derivative, where NumPy's per-call cost would dominate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: How much extrapolation can amplify the rounding noise of one row (sum of |coefficients|, bounded).
NOISE_GAIN = 3.0
#: Every sequence evaluates at least this many steps: the third row checks the first extrapolation.
MIN_ROWS = 3


@dataclass
class Extrapolation:
    value: np.ndarray
    error: np.ndarray
    steps_used: int


def extrapolate(
    estimate: Callable[[float], tuple[np.ndarray, np.ndarray]],
    *,
    power: int,
    max_rows: int = 16,
    min_rows: int = MIN_ROWS,
    target: float = 1e-15,
) -> Extrapolation:
    """Run the Richardson sequence; `estimate(k)` returns arrays (D, noise) for the k-th step h0 / 2**k."""
    previous: list = []
    best = best_error = None
    grown = 0
    factors = _factors(power, max_rows)
    for k in range(max_rows):
        first, noise = estimate(k)
        floor = NOISE_GAIN * noise
        if k == 0:
            best, best_error = first, np.full(np.shape(first), np.inf)
            previous = [first]
        else:
            # The Neville row; each entry's error is its distance to the entries it came from plus the noise.
            # Elementwise, the entry with the smallest finite error is this row's pick.
            row = [first]
            entry = first
            row_best = row_error = None
            for m in range(1, k + 1):
                below = previous[m - 1]
                entry, last = entry + (entry - below) / factors[m], entry
                row.append(entry)
                error = np.maximum(np.abs(entry - last), np.abs(entry - below)) + floor
                if row_best is None:
                    row_best, row_error = entry, np.where(np.isfinite(error), error, np.inf)
                else:
                    better = error < row_error
                    row_best, row_error = np.where(better, entry, row_best), np.where(better, error, row_error)
            # Growth only means "the steps are too small now" when rounding noise explains it; before the
            # steps are small enough for the function (sin(1000 x)), errors grow too, and we go on.
            noisy = np.all(row_error <= 1000 * NOISE_GAIN * noise)
            grown = grown + 1 if k >= min_rows and noisy and np.all(row_error > 2 * best_error) else 0
            better = row_error < best_error
            best, best_error = np.where(better, row_best, best), np.where(better, row_error, best_error)
            previous = row
        if k + 1 >= min_rows and np.all(best_error <= np.maximum(target * np.abs(best), 4 * floor)):
            return Extrapolation(best, best_error, k + 1)
        if grown >= 2:
            return Extrapolation(best, best_error, k + 1)
    return Extrapolation(best, best_error, max_rows)


def extrapolate_floats(
    estimate: Callable[[int], tuple[float, float]],
    *,
    power: int,
    max_rows: int = 16,
    min_rows: int = MIN_ROWS,
    target: float = 1e-15,
) -> Extrapolation:
    """`extrapolate` for one derivative, in Python floats: the same table, picks and stopping tests.

    A table of a few floats costs microseconds in plain Python and tens of them in NumPy calls; this is
    the table of a scalar f evaluated point by point. Its results equal `extrapolate`'s bit for bit (NaN
    propagates through the error maxima as `np.maximum` propagates it).
    """
    factors = _factors(power, max_rows)
    previous: list[float] = []
    best = best_error = math.nan
    grown = 0
    for k in range(max_rows):
        first, noise = estimate(k)
        floor = NOISE_GAIN * noise
        if k == 0:
            best, best_error = first, math.inf
            previous = [first]
        else:
            row = [first]
            entry = first
            row_best = row_error = math.nan
            for m in range(1, k + 1):
                below = previous[m - 1]
                entry, last = entry + (entry - below) / factors[m], entry
                row.append(entry)
                a, b = abs(entry - last), abs(entry - below)
                error = (a if (a >= b or a != a) else b) + floor
                if m == 1:
                    row_best, row_error = entry, error if math.isfinite(error) else math.inf
                elif error < row_error:
                    row_best, row_error = entry, error
            noisy = row_error <= 1000 * NOISE_GAIN * noise
            grown = grown + 1 if k >= min_rows and noisy and row_error > 2 * best_error else 0
            if row_error < best_error:
                best, best_error = row_best, row_error
            previous = row
        if k + 1 >= min_rows:
            relative, rounding = target * abs(best), 4 * floor
            if best_error <= (relative if (relative >= rounding or relative != relative) else rounding):
                return Extrapolation(best, best_error, k + 1)
        if grown >= 2:
            return Extrapolation(best, best_error, k + 1)
    return Extrapolation(best, best_error, max_rows)


@lru_cache(maxsize=16)
def _factors(power: int, rows: int) -> tuple[float, ...]:
    """2**(power*m) - 1 for m = 0 .. rows-1: the divisors of the extrapolation (the first is unused)."""
    return tuple(2.0 ** (power * m) - 1.0 for m in range(rows))
