"""Richardson extrapolation of a sequence of finite-difference estimates, with error estimates.

Given estimates D(h) at steps h0, h0/2, h0/4, ... whose error is a series in
h**p, h**2p, ... (p = 2 for symmetric stencils, 1 for one-sided ones), each new
row of the Neville table cancels one more term. The error of an entry is
estimated as the larger of its distances to the entries it was built from,
plus the rounding noise of its row, amplified by the extrapolation; for each
element the entry with the smallest estimate wins. The sequence stops when
the estimate reaches the rounding floor, or when it has grown for two rows in
a row (the steps have become too small), or after `max_rows`.
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


class ArrayOps:
    """The elementwise operations the table needs, on NumPy arrays (many derivatives at once)."""

    where = staticmethod(np.where)
    maximum = staticmethod(np.maximum)
    abs = staticmethod(np.abs)
    all = staticmethod(np.all)

    @staticmethod
    def finite_or_inf(a):
        return np.where(np.isfinite(a), a, np.inf)

    @staticmethod
    def inf_like(a):
        return np.full(np.shape(a), np.inf)


class FloatOps:
    """The same operations on Python floats (one derivative): the table costs microseconds, not NumPy calls.

    `maximum` propagates NaN as `np.maximum` does.
    """

    abs = staticmethod(abs)
    all = staticmethod(bool)

    @staticmethod
    def where(condition, a, b):
        return a if condition else b

    @staticmethod
    def maximum(a, b):
        return a if (a >= b or a != a) else b

    @staticmethod
    def finite_or_inf(a):
        return a if math.isfinite(a) else math.inf

    @staticmethod
    def inf_like(a):
        return math.inf


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
    ops=ArrayOps,
) -> Extrapolation:
    """Run the Richardson sequence; `estimate(k)` returns (D, noise) for the k-th step h0 / 2**k.

    D and noise are arrays (with `ops=ArrayOps`) or floats (with `ops=FloatOps`).
    """
    where, maximum, absolute, every = ops.where, ops.maximum, ops.abs, ops.all
    previous: list = []
    best = best_error = None
    grown = 0
    factors = _factors(power, max_rows)
    for k in range(max_rows):
        first, noise = estimate(k)
        floor = NOISE_GAIN * noise
        if k == 0:
            best, best_error = first, ops.inf_like(first)
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
                error = maximum(absolute(entry - last), absolute(entry - below)) + floor
                if row_best is None:
                    row_best, row_error = entry, ops.finite_or_inf(error)
                else:
                    better = error < row_error
                    row_best, row_error = where(better, entry, row_best), where(better, error, row_error)
            # Growth only means "the steps are too small now" when rounding noise explains it; before the
            # steps are small enough for the function (sin(1000 x)), errors grow too, and we go on.
            noisy = every(row_error <= 1000 * NOISE_GAIN * noise)
            grown = grown + 1 if k >= min_rows and noisy and every(row_error > 2 * best_error) else 0
            better = row_error < best_error
            best, best_error = where(better, row_best, best), where(better, row_error, best_error)
            previous = row
        if k + 1 >= min_rows and every(best_error <= maximum(target * absolute(best), 4 * floor)):
            return Extrapolation(best, best_error, k + 1)
        if grown >= 2:
            return Extrapolation(best, best_error, k + 1)
    return Extrapolation(best, best_error, max_rows)


@lru_cache(maxsize=16)
def _factors(power: int, rows: int) -> tuple[float, ...]:
    """2**(power*m) - 1 for m = 0 .. rows-1: the divisors of the extrapolation (the first is unused)."""
    return tuple(2.0 ** (power * m) - 1.0 for m in range(rows))
