"""Richardson extrapolation of a sequence of finite-difference estimates, with error estimates.

Given estimates D(h) at steps h0, h0/r, h0/r**2, ... (r = `STEP_RATIO`, or the caller's) whose error
is a series in h**p, h**2p, ... (p = 2 for symmetric stencils, 1 for one-sided ones), each
new row of the Neville table cancels one more term. The error of an entry is estimated
as the largest of its distances to the entries it was built from and to the entry of its
own column one step before (two columns stalling alike agree by chance), plus the rounding noise
of its row, amplified by the extrapolation; for each element the entry with the smallest
estimate wins.

The rounding noise of a row is the larger of two: the caller's model (f's precision times
its values, over h**order), and the noise the table itself shows. While truncation errors
dominate, the changes down the table's first extrapolated column shrink by r**(2p) a row;
where they stop shrinking, although small against D, they are f's rounding, which the model
misses when f loses digits inside (exp(x) - 1 - x near 0 carries exp's rounding on a value
of 1e-10). That noise, grown like h**-order, floors every later row and the best entry kept.

The sequence stops when the estimate reaches the rounding floor, or when it has grown for
two rows in a row (the steps have become too small), or after `max_rows`. `extrapolate`
runs the table on arrays (many derivatives at once); `extrapolate_floats` runs the same
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
#: Each step of a sequence is the previous one divided by this. Not 2: the rounding errors of f at the points
#: x +- h0 / 2**k repeat from row to row where f's values are coarse (f computed by cancellation, as
#: exp(x) - 1 - x near 0), so that successive estimates agree exactly and look converged when they are not.
STEP_RATIO = 2.1


def nth_step(h0, k: int):
    """The k-th step of a sequence that starts at `h0`: ``h0 / STEP_RATIO**k``."""
    return h0 / STEP_RATIO**k


#: A one-sided sequence takes a stalled change of its noise column this far above the row's modelled rounding
#: for noise only when the change before it stalled too (`_confirmed`).
CONFIRM_BEYOND = 1000.0
#: The Neville column whose changes from row to row tell noise from truncation: the first extrapolated one.
NOISE_COLUMN = 1
#: A row difference counts as rounding noise only while it is this small against the entries: larger
#: differences are those of steps still too long for f (sin(1000 x) at h = 0.01), not noise.
NOISE_RELATIVE = 1e-2


@dataclass
class Extrapolation:
    value: np.ndarray
    error: np.ndarray
    steps_used: int


def extrapolate(
    estimate: Callable[[float], tuple[np.ndarray, np.ndarray]],
    *,
    power: int,
    order: int = 1,
    max_rows: int = 16,
    min_rows: int = MIN_ROWS,
    target: float = 1e-15,
    ratio: float = STEP_RATIO,
    caution: float = 1.0,
) -> Extrapolation:
    """Run the Richardson sequence; `estimate(k)` returns arrays (D, noise) for the k-th step, ``h0 / ratio**k``
    (``nth_step(h0, k)`` for the default `ratio`).

    `order` is the derivative's: the rounding noise of D grows like ``h**-order`` as the steps shrink.
    `caution` multiplies the distances that estimate each entry's truncation error, where successive
    columns gain little on each other (one-sided tables at steps closer than STEP_RATIO).
    """
    previous: list = []
    best = best_error = None
    grown = 0
    factors = _factors(power, max_rows, ratio)
    slowest, growth = _noise_test(power, order, ratio)
    gain = noise_gain(power, ratio)
    seen = last_change = best_decay = None
    was_stalled = False
    steps_changes: list = []  # of the raw estimates, row to row
    for k in range(max_rows):
        first, noise = estimate(k)
        if k == 0:
            seen = np.zeros(np.shape(first))
            best, best_error = first, np.full(np.shape(first), np.inf)
            best_decay = np.ones(np.shape(first))
            previous = [first]
            floor = gain * noise
        else:
            row = [first]
            entry = first
            if k <= NOISE_COLUMN + 1:
                steps_changes.append(np.abs(first - previous[0]))
            for m in range(1, k + 1):
                entry = entry + (entry - previous[m - 1]) / factors[m]
                row.append(entry)
            # The noise seen in the rows so far, grown to this row's step; and this row's, where its change
            # in the noise column stopped shrinking as truncation errors shrink, and is small against D.
            seen = seen * growth
            if k > NOISE_COLUMN:
                change = np.abs(row[NOISE_COLUMN] - previous[NOISE_COLUMN])
                if last_change is not None:
                    stalled = (change > slowest * last_change) & (change <= NOISE_RELATIVE * np.abs(row[NOISE_COLUMN]))
                    # noise only where the changes stalled twice running: `_confirmed`
                    seen = np.maximum(
                        seen, np.where(_confirmed(stalled, was_stalled, power, change, noise), 2 * change, 0.0)
                    )
                    was_stalled = stalled
                last_change = change
            noise = np.maximum(noise, seen)
            floor = gain * noise
            # The Neville row; each entry's error is its distance to the entries it came from plus the noise.
            # Elementwise, the entry with the smallest finite error is this row's pick.
            row_best = row_error = None
            for m in range(1, k + 1):
                entry, last, below = row[m], row[m - 1], previous[m - 1]
                error = np.maximum(np.abs(entry - last), np.abs(entry - below))
                if m < k:  # and to the entry of its own column a step before: two columns that stall alike
                    error = np.maximum(error, np.abs(entry - previous[m]))  # agree by chance, not converged
                error = caution * error + floor
                if row_best is None:
                    row_best, row_error = entry, np.where(np.isfinite(error), error, np.inf)
                else:
                    better = error < row_error
                    row_best, row_error = np.where(better, entry, row_best), np.where(better, error, row_error)
            # Growth only means "the steps are too small now" when rounding noise explains it; before the
            # steps are small enough for the function (sin(1000 x)), errors grow too, and we go on.
            noisy = np.all(row_error <= 1000 * gain * noise)
            grown = grown + 1 if k >= min_rows and noisy and np.all(row_error > 2 * best_error) else 0
            # The best entry so far carries at least the noise now seen, at its own row's step.
            best_decay = best_decay * growth
            best_error = np.maximum(best_error, gain * seen / best_decay)
            better = row_error < best_error
            best, best_error = np.where(better, row_best, best), np.where(better, row_error, best_error)
            best_decay = np.where(better, 1.0, best_decay)
            previous = row
        converged = k + 1 >= min_rows and np.all(best_error <= np.maximum(target * np.abs(best), 4 * floor))
        # before the noise test has run, a stop also needs the raw estimates' last changes to look settled
        tested = k > NOISE_COLUMN + 1 or len(steps_changes) < 2
        if converged and (tested or np.all(_settled(*steps_changes[-2:], 4 * floor, ratio**power))):
            return Extrapolation(best, best_error, k + 1)
        if grown >= 2:
            return Extrapolation(best, best_error, k + 1)
    return Extrapolation(best, best_error, max_rows)


def extrapolate_floats(
    estimate: Callable[[int], tuple[float, float]],
    *,
    power: int,
    order: int = 1,
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
    slowest, growth = _noise_test(power, order)
    gain = noise_gain(power)
    settling = STEP_RATIO**power
    previous: list[float] = []
    best = best_error = math.nan
    grown = 0
    seen, last_change, best_decay = 0.0, math.nan, 1.0
    was_stalled = False
    steps_changes: list[float] = []
    for k in range(max_rows):
        first, noise = estimate(k)
        if k == 0:
            best, best_error = first, math.inf
            previous = [first]
            floor = gain * noise
        else:
            row = [first]
            entry = first
            if k <= NOISE_COLUMN + 1:
                steps_changes.append(abs(first - previous[0]))
            for m in range(1, k + 1):
                entry = entry + (entry - previous[m - 1]) / factors[m]
                row.append(entry)
            if seen:  # (zero stays zero: the checks below are the array version's, skipped when they cannot act)
                seen = seen * growth
            if k > NOISE_COLUMN:
                change = abs(row[NOISE_COLUMN] - previous[NOISE_COLUMN])
                if k > NOISE_COLUMN + 1:
                    stalled = change > slowest * last_change and change <= NOISE_RELATIVE * abs(row[NOISE_COLUMN])
                    if _confirmed(stalled, was_stalled, power, change, noise):
                        seen = 2 * change if 2 * change > seen else seen
                    was_stalled = stalled
                last_change = change
            if seen:
                noise = noise if (noise >= seen or noise != noise) else seen
            floor = gain * noise
            row_best = row_error = math.nan
            for m in range(1, k + 1):
                entry, last, below = row[m], row[m - 1], previous[m - 1]
                a, b = abs(entry - last), abs(entry - below)
                error = a if (a >= b or a != a) else b
                if m < k:  # as in `extrapolate`
                    c = abs(entry - previous[m])
                    error = error if (error >= c or error != error) else c
                error = error + floor
                if m == 1:
                    row_best, row_error = entry, error if math.isfinite(error) else math.inf
                elif error < row_error:
                    row_best, row_error = entry, error
            noisy = row_error <= 1000 * gain * noise
            grown = grown + 1 if k >= min_rows and noisy and row_error > 2 * best_error else 0
            best_decay = best_decay * growth
            if seen:
                carried = gain * seen / best_decay
                best_error = best_error if (best_error >= carried or best_error != best_error) else carried
            if row_error < best_error:
                best, best_error, best_decay = row_best, row_error, 1.0
            previous = row
        if k + 1 >= min_rows:
            relative, rounding = target * abs(best), 4 * floor
            converged = best_error <= (relative if (relative >= rounding or relative != relative) else rounding)
            if converged and (
                k > NOISE_COLUMN + 1 or len(steps_changes) < 2 or _settled(*steps_changes[-2:], rounding, settling)
            ):
                return Extrapolation(best, best_error, k + 1)
        if grown >= 2:
            return Extrapolation(best, best_error, k + 1)
    return Extrapolation(best, best_error, max_rows)


def _confirmed(stalled, was_stalled, power: int, change, noise):
    """Whether a change of the noise column that failed to shrink (`stalled`) is rounding noise. For central
    sequences (power 2) one such change is. One-sided sequences (power 1) carry every power of h, whose
    terms of either sign make the first extrapolated column's error ``c2 h**2 + c3 h**3 + ...`` pass
    through zero: one change may fail to shrink by truncation alone (1 / (exp(x) + cos(y) + 10) backward at
    x = 1, where it is 1e7 times the rounding f's values show). There, one change is noise only where the
    row's modelled rounding can account for it (`CONFIRM_BEYOND`); far above it, two in a row are. Elementwise
    on arrays."""
    if power > 1:
        return stalled
    return stalled & (was_stalled | (change <= CONFIRM_BEYOND * noise))


def _settled(earlier, later, floor, ratio):
    """Whether two successive changes of the raw estimates look like truncation error (shrinking by `ratio`,
    within a factor 2) or both lie within the rounding `floor`. Before the table's own noise test can run,
    a stop needs this: estimates that agree by chance (f's values coarse) would otherwise pass for converged.
    Elementwise on arrays; NaN is never settled."""
    shrinking = (earlier >= 0.5 * ratio * later) & (earlier <= 2.0 * ratio * later)
    return shrinking | ((earlier <= floor) & (later <= floor))


@lru_cache(maxsize=32)
def _noise_test(power: int, order: int, ratio: float = STEP_RATIO) -> tuple[float, float]:
    """How a table tells rounding noise from truncation error: (slowest, growth).

    Down column `NOISE_COLUMN` of the Neville table, the change from row to row shrinks by
    ``ratio**(2*power)`` while truncation errors dominate, and grows by `growth` = ``ratio**order``
    once rounding noise does. A change more than `slowest` times the last one, halfway between the two on a
    log scale, is noise.
    """
    return ratio ** ((order - 2 * power) / 2), ratio**order


@lru_cache(maxsize=8)
def noise_gain(power: int, ratio: float = STEP_RATIO) -> float:
    """How much the table can amplify one row's rounding noise: `NOISE_GAIN`, or more where the extrapolation
    coefficients are larger, as for one-sided sequences (power 1), whose Neville entries sum the noise of their
    rows with weights ``prod (r**(p j) + 1) / (r**(p j) - 1)``: about 6.7 in all at r = 2.1 (1.8 for power 2),
    and 37 at r = 1.6 (3.8 for power 2)."""
    product = math.prod((ratio ** (power * j) + 1) / (ratio ** (power * j) - 1) for j in range(1, 17))
    return max(NOISE_GAIN, product)


@lru_cache(maxsize=32)
def _factors(power: int, rows: int, ratio: float = STEP_RATIO) -> tuple[float, ...]:
    """ratio**(power*m) - 1 for m = 0 .. rows-1: the divisors of the extrapolation (the first is unused)."""
    return tuple(ratio ** (power * m) - 1.0 for m in range(rows))


def reconciled(kept, kept_error, other, other_error):
    """The error of `kept` once a second, independent estimate `other` is known (the same derivative from
    another sequence of steps): where the two lie further apart than their errors allow, one of them is
    wrong, and only ``|kept - other| + other_error`` covers the truth whichever it is. NaN stays as it is."""
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(kept - other)
        apart = np.isfinite(other) & np.isfinite(other_error) & (gap > kept_error + other_error)
        return np.where(apart, np.maximum(kept_error, gap + other_error), kept_error)


def replayed(estimate: Callable[[int], tuple], taken: list) -> Callable[[int], tuple]:
    """`estimate` for a second extrapolation of the same sequence (in other powers of h): the steps in
    `taken` (what `estimate` returned for steps 0, 1, ..., recorded by it) are reused, and only the steps
    beyond them evaluated."""
    return lambda k: taken[k] if k < len(taken) else estimate(k)
