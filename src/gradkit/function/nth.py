"""The n-th derivative of an elementwise f at many elements at once: stencils, steps that resolve f, Richardson.

Every element is its own problem; they share calls of f only. A sequence of stencils at steps shrinking by
a fixed ratio (`ratio_for`) is first walked down from a long step until the estimates behave as a Taylor
series says they must once the stencil resolves f's own scale (`resolving_start`), and extrapolated from
there. A fixed rule for the first step cannot know that scale: the n-th differences of cos at steps of 64
are all about zero, agree, and would pass for a converged zero. A sequence that never settles is reported
unresolved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

import numpy as np

from gradkit.function.evaluate import PrecisionWatch
from gradkit.function.richardson import MIN_ROWS, STEP_RATIO, extrapolate, noise_gain, replayed
from gradkit.function.smoothness import curvature_kinks, kinks, rising
from gradkit.stencils import central_radius, stencil

#: How far below the first step `resolving_start` looks at most: 2.1**24 (its rows 0 to 23 at STEP_RATIO).
SEARCH_SPAN = STEP_RATIO**24
#: Successive changes of a resolved sequence shrink by ratio**power, within this factor either way at steps
#: STEP_RATIO apart; at other ratios within the same share of a step on a log scale (`settling_slack`).
SETTLING_SLACK = 2.0
#: The step ratio of one-sided sequences for derivatives of order 3 and up. Their rounding grows like
#: ratio**order a step while each extrapolation cancels only one power of the step: at STEP_RATIO a fifth
#: derivative's rounding grows 41-fold a step and overtakes the truncation error after about four steps, too
#: few for the table to cancel enough. Steps 1.6 apart give it more (mpmath, orders 3 to 8 of nine functions
#: at five points, either side: median errors 3 to 10 times smaller, for 20% to 60% more evaluations).
#: Central sequences cancel two powers a step and keep STEP_RATIO.
HIGH_ORDER_RATIO = 1.6
#: How much the distances between a one-sided table's entries count towards their errors at HIGH_ORDER_RATIO:
#: its columns gain only a factor of about 1.6 each on the one before, and an entry's distance to the column
#: before can be as small as its own error (cos's third derivative forward from -0.4: 3.0e-9 against 6.2e-9).
CLOSE_STEPS_CAUTION = 2.0


def ratio_for(order: int, side: int) -> float:
    """The ratio between successive steps of a sequence for derivatives of `order` on `side`:
    `HIGH_ORDER_RATIO` for one-sided ones of order 3 and up, `STEP_RATIO` (as every other finite-difference
    table) for the rest."""
    return HIGH_ORDER_RATIO if order >= 3 and side else STEP_RATIO


def caution_for(ratio: float) -> float:
    """The `caution` of `extrapolate` for a table at steps `ratio` apart: 1 at STEP_RATIO."""
    return 1.0 if ratio >= STEP_RATIO else CLOSE_STEPS_CAUTION


def settling_slack(ratio: float) -> float:
    """`SETTLING_SLACK` for steps `ratio` apart: the factor that is as large a share of one step's shrinking
    (on a log scale) as SETTLING_SLACK is at STEP_RATIO. A fixed factor would let steps closer together pass
    for shrinking when they barely change (cos's 10th differences, about 0 at steps of whole periods)."""
    return SETTLING_SLACK ** (math.log(ratio) / math.log(STEP_RATIO))


def search_rows(ratio: float) -> int:
    """How many steps `resolving_start` walks down at most: `SEARCH_SPAN` at steps `ratio` apart."""
    return math.ceil(math.log(SEARCH_SPAN) / math.log(ratio) - 1e-9)


@dataclass
class Sampler:
    """Calls an elementwise f on some of the elements, counting each element's evaluations.

    `dtype` is the floating type f is given its points in (x's): float32 points for a float32 x, so that f
    computes as the caller does and its steps are those single precision can represent.
    """

    f: object
    args: tuple
    kwargs: dict
    dtype: np.dtype
    nfev: np.ndarray
    watch: PrecisionWatch = field(default_factory=PrecisionWatch)

    shape: tuple = ()  # x's: arguments of f of that shape go with their elements

    def __call__(self, points: np.ndarray, idx: np.ndarray) -> np.ndarray:
        self.nfev[idx] += 1
        if self.dtype != np.float64:
            points = points.astype(np.complex64 if np.iscomplexobj(points) else self.dtype)
        args = self.args if points.shape == self.shape else tuple(self._elements_of(a, idx) for a in self.args)
        with np.errstate(all="ignore"):
            values = np.asarray(self.f(points, *args, **self.kwargs))
        if values.shape != points.shape:
            raise ValueError(f"f must be elementwise: f(x) has shape {values.shape} for x of shape {points.shape}")
        if values.dtype.kind not in "fc":
            if values.dtype.kind not in "biu":
                raise TypeError(f"f must return numbers, got an array of dtype {values.dtype}")
            values = values.astype(np.float64)
        self.watch.note(values)
        return values.astype(np.result_type(values.dtype, np.float64), copy=False)

    def _elements_of(self, argument: object, idx: np.ndarray) -> object:
        """An argument of x's shape (or one that broadcasts to it, as SciPy's `args`) at the elements `idx`;
        any other argument as it is."""
        if np.ndim(argument) == 0 or not isinstance(argument, (np.ndarray, list, tuple)):
            return argument
        try:
            return np.broadcast_to(np.asarray(argument), self.shape).reshape(-1)[idx]
        except ValueError:
            return argument

    @property
    def precision(self) -> float:
        """f's relative rounding: float32's while its values look single precision, and always for float32
        points (rounded to float32 whatever f computes with them)."""
        if np.dtype(self.dtype).itemsize < 8:
            return max(self.watch.precision, float(np.finfo(np.float32).eps))
        return self.watch.precision

    def step(self, at: np.ndarray, h: np.ndarray) -> np.ndarray:
        """The step nearest `h` that moves `at` exactly in f's floating type: ``(at + h) - at``."""
        if np.dtype(self.dtype).itemsize < 8:
            return (at + h).astype(self.dtype).astype(np.float64) - at
        return (at + h) - at


@dataclass
class Elements:
    """Some elements: their flat indices, points and f's values there."""

    idx: np.ndarray
    at: np.ndarray
    f_at: np.ndarray

    def take(self, positions: np.ndarray) -> Elements:
        return Elements(self.idx[positions], self.at[positions], self.f_at[positions])


@lru_cache(maxsize=128)
def scheme(order: int, side: int, accuracy: int) -> tuple[tuple[int, ...], np.ndarray]:
    """Offsets and weights: central (side 0) of `accuracy`, or one-sided (+1 forward, -1 backward) with
    ``order + accuracy`` points."""
    if side == 0:
        radius = central_radius(order, accuracy)
        offsets = tuple(range(-radius, radius + 1))
    else:
        offsets = tuple(side * k for k in range(order + accuracy))
    return offsets, stencil(order, offsets)


def reach(order: int, side: int, accuracy: int) -> int:
    """How many steps from x the scheme evaluates."""
    return max(abs(o) for o in scheme(order, side, accuracy)[0])


@dataclass
class Row:
    """One step's estimates for some elements, and what the smoothness checks read off its points."""

    value: np.ndarray
    noise: np.ndarray
    above: np.ndarray  # bool: f not finite at a point above x
    below: np.ndarray
    slopes: tuple | None  # (spread of the one-sided slopes, its rounding): central first derivatives
    curvature: tuple | None  # (h, f(x+h), f(x-h), moved): central, orders 1 and 2
    magnitude: np.ndarray | None = None  # the largest finite |f| at the stencil's points: f's own scale there


def estimate(sampler: Sampler, el: Elements, h: np.ndarray, order: int, side: int, accuracy: int) -> Row:
    """The stencil of `scheme` at steps `h` (positive, per element) and its rounding."""
    offsets, weights = scheme(order, side, accuracy)
    h = sampler.step(el.at, h)
    samples = [sampler(el.at + o * h, el.idx) if o else el.f_at for o in offsets]
    with np.errstate(all="ignore"):
        value = over_power(sum(w * s for w, s in zip(weights, samples)), h, order)
        if side == 0:
            r = offsets.index(0)
            near_above, near_below = samples[r + 1], samples[r - 1]
            slope = np.abs(near_above - near_below) / (2 * h)
        else:
            slope = np.abs(samples[1] - samples[0]) / h
        # rounding of each sample: f's own, and f's change over the rounding of its argument x + o h, at f's
        # slope there (not at x: cos's is about 0 at x = 1e-12 and about 1 a step of 1 away)
        local = _local_slopes(samples, h)
        spread = sum(
            abs(w) * (np.abs(s) + 0.5 * np.abs(el.at + o * h) * g)
            for w, s, o, g in zip(weights, samples, offsets, local)
        )
        noise = over_power(sampler.precision * spread, h, order)
        # f's values at a zero of f may carry the rounding of the larger numbers f cancelled to get them
        # (x**5 - 2 x**3 + x near 1): their differences all lie on that coarser grid, far above eps |f|
        noise = np.maximum(noise, over_power(0.5 * grid_of(samples) * sum(abs(w) for w in weights), h, order))
    above, below = np.zeros(len(h), dtype=bool), np.zeros(len(h), dtype=bool)
    for sample, o in zip(samples, offsets):
        if o:
            bad = ~np.isfinite(sample)
            above, below = (above | bad, below) if o > 0 else (above, below | bad)
    slopes = curvature = None
    if side == 0 and order <= 2:
        with np.errstate(all="ignore"):
            if order == 1:
                slopes = (np.abs(near_above - 2 * el.f_at + near_below) / h, sampler.precision * spread / h)
            curvature = (h, near_above, near_below, 0.5 * sampler.precision * (np.abs(el.at) + h) * slope)
    with np.errstate(invalid="ignore"):
        magnitude = np.max([np.where(np.isfinite(s), np.abs(s), 0.0) for s in samples], axis=0)
    return Row(value, noise, above, below, slopes, curvature, magnitude)


def over_power(values, h, order: int):
    """``values / h**order``, dividing by h once per power: h**order alone overflows where the quotient does
    not (second differences at |x| = 1e160, whose steps are about 1e156)."""
    for _ in range(order):
        values = values / h
    return values


def grid_of(samples: list) -> np.ndarray:
    """Per element, the spacing of the coarsest binary grid on which every difference of a sample to the
    first lies: its least set bit. f's values computed with their own relative precision differ by about
    eps times their size on that scale; values that cancelled larger numbers (0 = 1 - 2 + 1 at x = 1 for
    x**5 - 2 x**3 + x) lie on the grid of those numbers, and are rounded on it. 0 where no difference is a
    nonzero finite real number (f constant: nothing rounded), or none spans more than two grid steps."""
    first = samples[0]
    if np.iscomplexobj(first) or any(np.iscomplexobj(s) for s in samples):
        return np.zeros(np.shape(first))
    grid, widest = np.full(np.shape(first), np.inf), np.zeros(np.shape(first))
    with np.errstate(all="ignore"):
        for sample in samples[1:]:
            gap = np.abs(np.asarray(sample, dtype=np.float64) - first)
            usable = np.isfinite(gap) & (gap > 0)
            mantissa, exponent = np.frexp(np.where(usable, gap, 1.0))
            whole = (mantissa * 2.0**53).astype(np.int64)
            least = np.ldexp((whole & -whole).astype(np.float64), exponent - 53)
            grid = np.where(usable, np.minimum(grid, least), grid)
            widest = np.where(usable, np.maximum(widest, gap), widest)
    # gaps of one or two grid steps are no sign of rounding: f's values may be that coarse (sign(x): 1, 2)
    return np.where(np.isfinite(grid) & (widest > 2 * grid), grid, 0.0)


def _local_slopes(samples: list, h: np.ndarray) -> list:
    """|f'| near each sample of a stencil (its points a step apart, in order): the larger of its differences
    to its neighbours, over the step. A finite value where one neighbour is not finite."""
    gaps = [np.abs(b - a) / h for a, b in pairwise(samples)]
    gaps = [np.where(np.isfinite(g), g, 0.0) for g in gaps]
    if not gaps:
        return [np.zeros_like(h) for _ in samples]
    return [gaps[0]] + [np.maximum(a, b) for a, b in pairwise(gaps)] + [gaps[-1]]


def changes_settle(values: list, floor: list, power: int, lowest: int, ratio: float = STEP_RATIO) -> np.ndarray:
    """Where the changes of successive estimates (steps `ratio` apart; four of them at STEP_RATIO, as many as
    `settling_rows` says at other ratios) behave as a resolved sequence's: each shrinks by about ratio**p from
    the one before, p from `lowest` to `power` (the leading term of the truncation error: h**1 where f''
    jumps), or lies within the rounding `floor` of its own rows (one per change). Estimates at steps too long
    for f do not: they grow like h**-order as the steps shrink (or fall faster than any power, for exp at long
    steps), or wander."""
    changes = [np.abs(b - a) for a, b in pairwise(values)]
    c1, c2 = changes[0], changes[1]
    slack = settling_slack(ratio)
    fastest, slowest = ratio**power, ratio**lowest
    with np.errstate(invalid="ignore"):

        def shrinks(before, after):
            return (after <= slack * before / slowest) & (after >= before / (slack * fastest))

        # (a floor of 0 is f exactly 0 at every point: rounded to nothing, no sign of convergence). A second
        # change lost in rounding says nothing of the first unless it is smaller, or the first is rounding
        # too: a first change above the rounding, followed by a larger one within it, is truncation error
        # never seen to shrink (cos's 9th derivative at 1e-12, whose steps resolve it only at the rounding)
        # (the first change counts as rounding within the modelled rounding of its later row, not the floor,
        # which allows for the amplification of an extrapolation that has not happened yet: the model
        # bounds the rounding of f's values, and a change above it is truncation still)
        noise_after = (c2 <= c1 / ratio) | (c1 <= floor[0] / (4 * noise_gain(power, ratio)))
        settled = shrinks(c1, c2) | ((c2 <= floor[1]) & (floor[1] > 0) & noise_after)
        for j in range(2, len(changes)):
            settled &= shrinks(changes[j - 1], changes[j]) | ((changes[j] <= floor[j]) & (floor[j] > 0))
    return settled & np.isfinite(values[0])


def settling_rows(ratio: float) -> int:
    """How many successive estimates `changes_settle` reads: four at STEP_RATIO, and at closer steps as many
    as span as long a stretch of steps (STEP_RATIO**3), so that the test is no weaker there: changes a little
    apart shrink little, and estimates at steps far too long for f can pass three of them by chance (cos's
    10th differences, about 0 at steps of whole periods, at steps 1.5 apart)."""
    return 1 + math.ceil(3 * math.log(STEP_RATIO) / math.log(ratio) - 1e-9)


class Ladder:
    """The estimates of one sequence at steps ``longest / ratio**k``, computed for the elements that need them;
    `ratio` is `ratio_for(order, side)`."""

    def __init__(self, sampler: Sampler, el: Elements, longest: np.ndarray, order: int, side: int, accuracy: int):
        self.sampler, self.el, self.longest = sampler, el, longest
        self.order, self.side, self.accuracy = order, side, accuracy
        self.ratio = ratio_for(order, side)
        self.rows: list[tuple[np.ndarray, dict]] = []  # per k: (computed mask, field -> full-size array)

    def row(self, k: int, positions: np.ndarray) -> Row:
        """Row k for `positions` (indices into the elements), computing what is missing."""
        m = len(self.el.idx)
        while len(self.rows) <= k:
            self.rows.append((np.zeros(m, dtype=bool), {}))
        done, store = self.rows[k]
        missing = positions[~done[positions]]
        if len(missing):
            part = self.el.take(missing)
            computed = estimate(
                self.sampler, part, self.longest[missing] / self.ratio**k, self.order, self.side, self.accuracy
            )
            for name, values in _fields(computed):
                if name not in store:
                    store[name] = np.zeros(m, dtype=np.result_type(values.dtype, np.float64))
                elif np.result_type(values.dtype, store[name].dtype) != store[name].dtype:
                    store[name] = store[name].astype(np.result_type(values.dtype, store[name].dtype))
                store[name][missing] = values
            done[missing] = True
        picked = {name: values[positions] for name, values in store.items()}
        pair = lambda prefix, n: tuple(picked[f"{prefix}{i}"] for i in range(n)) if f"{prefix}0" in picked else None  # noqa: E731
        return Row(
            picked["value"],
            picked["noise"],
            picked["above"].astype(bool),
            picked["below"].astype(bool),
            pair("slopes", 2),
            pair("curvature", 4),
            picked["magnitude"],
        )


def _fields(row: Row):
    yield "value", np.asarray(row.value)
    yield "noise", np.asarray(row.noise, dtype=np.float64)
    yield "above", np.asarray(row.above, dtype=np.float64)
    yield "below", np.asarray(row.below, dtype=np.float64)
    yield "magnitude", np.asarray(row.magnitude, dtype=np.float64)
    for prefix, group in (("slopes", row.slopes), ("curvature", row.curvature)):
        if group is not None:
            for i, values in enumerate(group):
                yield f"{prefix}{i}", np.asarray(values)


def resolving_start(ladder: Ladder, power: int) -> np.ndarray:
    """Per element, the first k from which the sequence is resolved (`changes_settle`), or -1 if it never
    is within `search_rows` steps."""
    m = len(ladder.el.idx)
    start = np.full(m, -1)
    open_ = np.arange(m)
    span = settling_rows(ladder.ratio) - 1
    for k in range(span, search_rows(ladder.ratio)):
        rows = [ladder.row(j, open_) for j in range(k - span, k + 1)]
        # each change against the rounding of its own rows: the noise of the shortest step, which grows like
        # h**-order, would pass the changes of longer steps for rounding
        floor = [4 * noise_gain(power, ladder.ratio) * r.noise for r in rows[1:]]
        # a kink of f's slope leaves central first and second differences an error in every power of h
        lowest = 1 if ladder.order <= 2 else power
        settled = changes_settle([r.value for r in rows], floor, power, lowest, ladder.ratio)
        start[open_[settled]] = k - span
        open_ = open_[~settled]
        if not len(open_):
            break
    return start


@dataclass
class Outcome:
    """Per element: value, error, and what was seen."""

    value: np.ndarray
    error: np.ndarray
    kinked: np.ndarray  # the one-sided slopes (or, second derivatives: second derivatives) differ
    growing: np.ndarray  # the quotients grow as the steps shrink (a jump, an infinite slope)
    unresolved: np.ndarray  # the sequence never behaved as a resolved one
    above: np.ndarray  # f was not finite at some point above x in the steps used
    below: np.ndarray
    magnitude: np.ndarray  # the largest finite |f| at the points of the table's first step


def sequence(sampler: Sampler, el: Elements, longest: np.ndarray, order: int, side: int) -> Outcome:
    """Richardson extrapolation for `el` from steps ``longest / ratio_for(order, side)**k`` on, starting where
    the steps resolve f."""
    power = 2 if side == 0 else 1
    accuracy = 2 if side == 0 else 1
    ladder = Ladder(sampler, el, longest, order, side, accuracy)
    start = resolving_start(ladder, power)
    m = len(el.idx)
    out = Outcome(
        np.zeros(m, dtype=el.f_at.dtype),
        np.zeros(m),
        np.zeros(m, bool),
        np.zeros(m, bool),
        start < 0,
        np.zeros(m, bool),
        np.zeros(m, bool),
        np.zeros(m),
    )
    for s in np.unique(np.maximum(start, 0)).tolist():
        positions = np.flatnonzero(np.maximum(start, 0) == s)
        _extrapolated(ladder, positions, s, order, side, power, out)
    with np.errstate(invalid="ignore"):
        out.error = np.where(out.unresolved & ~out.growing, np.maximum(out.error, np.abs(out.value)), out.error)
    return out


def _extrapolated(ladder: Ladder, positions: np.ndarray, s: int, order: int, side: int, power: int, out: Outcome):
    """The table from row `s` on for `positions`; for central first derivatives, where the one-sided slopes
    stay apart (a kink), an error of at least half their difference, and where f'' jumps the same estimates
    extrapolated in every power of h; for second derivatives, where f'' jumps, an error covering both sides."""
    slopes, curvature, quotients = [], [], []
    above = np.zeros(len(positions), bool)
    below = np.zeros(len(positions), bool)
    precision = ladder.sampler.precision
    f_at = ladder.el.f_at[positions]

    def row(k):
        nonlocal above, below
        r = ladder.row(s + k, positions)
        if k == 0:
            out.magnitude[positions] = r.magnitude
        above, below = above | r.above, below | r.below
        if r.slopes is not None:
            slopes.append(r.slopes)
        if r.curvature is not None:
            curvature.append(r.curvature)
        quotients.append((r.value, r.noise))
        return r.value, r.noise

    with np.errstate(all="ignore"):
        fit = extrapolate(row, power=power, order=order, ratio=ladder.ratio, caution=caution_for(ladder.ratio))
        value, error = np.array(fit.value), np.array(fit.error)
        kinked = np.zeros(value.shape, dtype=bool)
        slope_kinked, spread = False, 0.0
        if len(curvature) >= MIN_ROWS and (order == 2 or fit.steps_used > MIN_ROWS):  # see smoothness.py
            slope_kinked, spread = curvature_kinks(curvature, f_at, precision)
        if order == 1 and np.count_nonzero(slope_kinked):  # f' exists, f'' jumps
            again = extrapolate(
                replayed(row, quotients), power=1, order=order, ratio=ladder.ratio, caution=caution_for(ladder.ratio)
            )
            better = slope_kinked & (again.error < error)
            value, error = np.where(better, again.value, value), np.where(better, again.error, error)
        if order == 1 and len(slopes) >= 3:
            spreads = [spread for spread, _ in slopes]
            kinked = kinks(spreads, slopes[-1][1])
            error = np.where(kinked, np.maximum(error, spreads[-1] / 2), error)
        elif order == 2 and np.count_nonzero(slope_kinked):
            kinked = np.asarray(slope_kinked)
            error = np.where(kinked, np.maximum(error, spread / 2), error)
        # over as long a stretch of steps as at STEP_RATIO: three steps 1.6 apart see converging quotients grow
        growing = rising(quotients, steps=settling_rows(ladder.ratio) - 1, ratio=ladder.ratio) & ~kinked
        error = np.where(growing, np.maximum(error, np.abs(value)), error)
    out.value[positions], out.error[positions] = value, error
    out.kinked[positions], out.growing[positions] = kinked, growing
    out.above[positions], out.below[positions] = above, below
