"""Finite-difference Jacobians: fixed-step stencils, and adaptive Richardson extrapolation.

Both work column by column of the Jacobian (one input coordinate at a time),
evaluating all coordinates' points of a step in one batch. Both redo a
coordinate one-sided where f is not finite at a point (on the good side), and
keep every point inside `bounds`. The adaptive method also watches for a kink
(the one-sided slopes stay apart however small the step).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from gradkit.function.evaluate import FLOAT32_EPS, Evaluator, NotRealError
from gradkit.function.nth import over_power
from gradkit.function.richardson import MIN_ROWS, STEP_RATIO, extrapolate, extrapolate_floats, nth_step, replayed
from gradkit.function.smoothness import curvature_kinks, kinks, not_differentiable, rising
from gradkit.function.steps import EPS, bounded_first_steps, first_richardson_step, fixed_step
from gradkit.stencils import stencil


@dataclass
class Columns:
    """Derivative columns for some coordinates: value and error ``(m, *output_shape)``, per-coordinate notes."""

    value: np.ndarray
    error: np.ndarray
    suspect: np.ndarray  # bool (m,): a kink or a failure seen for this coordinate
    notes: list[str] = field(default_factory=list)
    nonfinite: np.ndarray | None = None  # bool (m,): f was not finite (or raised) at some sample
    estimated: bool = True  # False: `error` holds no estimate (fixed steps asked for the value only)
    failed_side: np.ndarray | None = None  # int (m,): +1 (-1) where f failed above (below) x only, else 0
    second: np.ndarray | None = None  # central fixed steps: |f''| from x +- h, for the complex step's rounding


def _column(values: np.ndarray, extra_dims: int) -> np.ndarray:
    return values.reshape(values.shape + (1,) * extra_dims)


def _argument_noise(ev: Evaluator, value, reach):
    """The error of a difference quotient `value` from f rounding what it computes from its arguments.

    f rounds each point x + o h, or what it computes from it (20 x in sin(20 x); each coordinate of a
    single-precision f to float32), moving it by up to half a unit there and its value by that times f'
    (about `value`); `reach()` gives ``sum |w_o| |x + o h| / |h|`` over the stencil.
    """
    return 0.5 * ev.precision * reach() * abs(value)


def fixed_columns(
    ev: Evaluator,
    x0: np.ndarray,
    f0: np.ndarray,
    coords: np.ndarray,
    *,
    scheme: str,
    accuracy: int,
    step=None,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
    estimate: bool = True,
) -> Columns:
    """Central, forward or backward differences of the given `accuracy` at one step per coordinate.

    With `estimate`, an error estimate from the stencil one order more accurate, which adds one point per
    coordinate (the next one outwards); without, the error is NaN. A coordinate whose stencil would leave
    `bounds` takes a one-sided stencil that stays inside (with a shorter step if neither fits); one where f
    is not finite at a stencil point takes a one-sided stencil on the other side.
    """
    x = x0[coords]
    single = ev.point_type is not None  # a float32 x: steps for single precision, exact in it
    h = fixed_step(x, 1, accuracy, FLOAT32_EPS if single else EPS) if step is None else step[coords]
    h = ((x + h).astype(np.float32).astype(np.float64) if single else x + h) - x  # a step x + h represents
    chosen = [scheme] * len(coords)
    notes: list[str] = []
    if bounds is None:
        room = None
        result = _fixed_stencil(ev, x0, f0, coords, h, scheme, accuracy, estimate)
    else:
        room = (x - bounds[0][coords], bounds[1][coords] - x)
        for i in np.flatnonzero(~_fits(scheme, accuracy, h, room, estimate)):
            inside = [s for s in ("forward", "backward") if _fits(s, accuracy, h[i], _at(room, i), estimate)]
            if inside:
                chosen[i] = inside[0]
            else:  # neither side has room for the step: the side with more, at a step that fits
                chosen[i] = "forward" if room[1][i] >= room[0][i] else "backward"
                reach = max(abs(o) for o in _reached(chosen[i], accuracy, estimate))
                h[i] = 0.999 * max(room[0][i], room[1][i]) / reach
            notes.append(f"x[{coords[i]}] is near a bound: {chosen[i]} differences")
        result = _empty_columns(len(coords), f0)
        for name in dict.fromkeys(chosen):
            rows = np.array([i for i, c in enumerate(chosen) if c == name])
            _store(result, rows, _fixed_stencil(ev, x0, f0, coords[rows], h[rows], name, accuracy, estimate))
    failed = np.flatnonzero(result.suspect) if np.count_nonzero(result.suspect) else ()
    for i in failed:
        # f failed at a point of this stencil: the one-sided stencils that stay inside, in turn.
        for other in ("forward", "backward"):
            if other == chosen[i] or (room is not None and not _fits(other, accuracy, h[i], _at(room, i), estimate)):
                continue
            retry = _fixed_stencil(ev, x0, f0, coords[[i]], h[[i]], other, accuracy, estimate)
            if not retry.suspect[0]:
                _store(result, np.array([i]), retry)
                notes.append(f"f is not finite or raised near x[{coords[i]}]: used a {other} difference there")
                break
        else:
            notes.append(f"f is not finite at a stencil point of x[{coords[i]}] on either side")
    result.notes = notes
    result.estimated = estimate
    return result


def _reached(scheme: str, accuracy: int, estimate: bool) -> tuple[int, ...]:
    """The offsets a scheme evaluates: its stencil's, and the extra point of the error estimate."""
    offsets, _, with_extra, *_ = _fixed_scheme(scheme, accuracy)
    return with_extra if estimate else offsets


def _at(room: tuple[np.ndarray, np.ndarray], i: int) -> tuple[float, float]:
    return room[0][i], room[1][i]


def _fits(scheme: str, accuracy: int, h, room: tuple, estimate: bool):
    """Where every point the scheme evaluates lies within `room` (below, above) of x."""
    reached = _reached(scheme, accuracy, estimate)
    return (-min(reached) * h <= room[0]) & (max(reached) * h <= room[1])


def _fixed_stencil(ev: Evaluator, x0, f0, coords, h, scheme: str, accuracy: int, estimate: bool) -> Columns:
    """One scheme for `coords` at steps `h`: values and (with `estimate`) errors against the stencil one
    order higher."""
    offsets, weights, reached, higher_weights, lower_offsets, lower_weights = _fixed_scheme(scheme, accuracy)
    samples = {0: f0}  # broadcasts against the other samples' (m, *output_shape)
    moved = [o for o in _reached(scheme, accuracy, estimate) if o != 0]
    values = _moved_values(ev, x0, f0, coords, [o * h for o in moved])
    for k, o in enumerate(moved):
        samples[o] = values[k * len(coords) : (k + 1) * len(coords)]
    hc = _column(h, f0.ndim)
    xc = _column(x0[coords], f0.ndim)

    def quotient(offsets, weights):
        return sum(w * samples[o] for o, w in zip(offsets, weights)) / hc

    def combined(offsets, weights):
        value = quotient(offsets, weights)
        noise = ev.precision * sum(abs(w) * np.abs(samples[o]) for o, w in zip(offsets, weights)) / hc
        reach = lambda: sum(abs(w) * np.abs(xc + o * hc) for o, w in zip(offsets, weights)) / hc  # noqa: E731
        return value, noise + _argument_noise(ev, value, reach)

    if not estimate:  # the value only: no rounding to model
        value = quotient(offsets, weights)
        bad = ~np.isfinite(value)
        suspect = bad if bad.ndim == 1 else bad.reshape(len(coords), -1).any(axis=1)
        return Columns(value, np.full(value.shape, np.nan), suspect, [], np.zeros(len(coords), dtype=bool))
    value, noise = combined(offsets, weights)
    bad = ~np.isfinite(value)
    suspect = bad if bad.ndim == 1 else bad.reshape(len(coords), -1).any(axis=1)
    higher, higher_noise = combined(reached, higher_weights)
    # value - f' = (value - higher) + (higher - f'): the first part is measured; the second, the higher
    # stencil's own error, is its rounding plus a truncation error a step's length smaller than the first
    # part's (unless the step is long for f). Twice both bounds it with room: values off by two units in
    # the last place, a next term up to the size of the first. Where f is not finite at the extra point
    # only, the stencil one order lower on the same samples bounds the error instead, far less tightly.
    with np.errstate(invalid="ignore", over="ignore"):
        error = 2 * (np.abs(value - higher) + higher_noise)
        reached_all = np.isfinite(higher)
        if np.count_nonzero(reached_all) < reached_all.size:  # (the lower stencil only where it is needed)
            lower = quotient(lower_offsets, lower_weights) if lower_weights is not None else np.inf
            error = np.where(reached_all, error, np.abs(value - lower) + noise)
    columns = Columns(value, np.where(bad, np.inf, error), suspect, [], np.zeros(len(coords), dtype=bool))
    if 1 in samples and -1 in samples:
        with np.errstate(invalid="ignore", over="ignore"):
            columns.second = over_power(np.abs(samples[1] - 2 * f0 + samples[-1]), hc, 2)
    return columns


@lru_cache(maxsize=64)
def _fixed_scheme(scheme: str, accuracy: int) -> tuple:
    """A fixed-step scheme: its offsets and weights; every offset it reaches with the extra point (the next
    one outwards: above x for central and forward, below for backward) and the weights on those; the
    stencil one order less accurate on its own offsets and its weights."""
    p = accuracy
    offsets = {"central": range(-(p // 2), p // 2 + 1), "forward": range(p + 1), "backward": range(-p, 1)}[scheme]
    offsets = tuple(offsets)
    extra = {"central": p // 2 + 1, "forward": p + 1, "backward": -(p + 1)}[scheme]
    reached = tuple(sorted((*offsets, extra)))
    lower = tuple(sorted(offsets, key=lambda o: (abs(o), o))[:-1])
    lower_weights = stencil(1, lower) if len(lower) > 1 else None  # first order has no lower stencil
    return offsets, stencil(1, offsets), reached, stencil(1, reached), lower, lower_weights


def _point_by_point(ev: Evaluator, f0: np.ndarray) -> bool:
    """f returns one real number and its points are evaluated one call each: the scalar fast paths apply."""
    return ev.serial and f0.ndim == 0 and f0.dtype.kind in "biuf"


def _moved_values(ev: Evaluator, x0, f0, coords, offsets: list[np.ndarray]) -> np.ndarray:
    """f at x0 + o[i] e_coords[i] for each array o of `offsets`, offset-major (`Evaluator.displaced`).

    A scalar f evaluated point by point goes through `Evaluator.scalars`: f back to back, its values as floats.
    """
    if _point_by_point(ev, f0):
        points = []
        for o in offsets:
            for column, value in zip(coords.tolist(), (x0[coords] + o).tolist()):
                point = x0.copy()
                point[column] = value
                points.append(point)
        try:
            with np.errstate(all="ignore"):
                return np.array(ev.scalars(points), dtype=np.float64)
        except NotRealError:
            pass
    return ev.displaced(x0, coords, offsets)


def richardson_columns(
    ev: Evaluator,
    x0: np.ndarray,
    f0: np.ndarray,
    coords: np.ndarray,
    *,
    bounds: tuple[np.ndarray, np.ndarray] | None = None,
    step=None,
    relative: bool | np.ndarray = False,
) -> Columns:
    """Adaptive central differences with Richardson extrapolation, falling back to one-sided ones."""
    x = x0[coords]
    h0 = first_richardson_step(x, relative=relative) if step is None else step[coords].copy()
    side = np.zeros(len(coords), dtype=int)  # 0 central, +1 forward, -1 backward
    notes: list[str] = []
    if bounds is not None:
        side, h0 = bounded_first_steps(x, h0, bounds[0][coords], bounds[1][coords])
        notes += [f"x[{c}] is near a bound: one-sided differences" for c in coords[side != 0]]
    if bounds is None:
        result = _sequence(ev, x0, f0, coords, h0, 0)
    else:
        result = _empty_columns(len(coords), f0)
        for direction in (0, 1, -1):
            chosen = np.flatnonzero(side == direction)
            if len(chosen):
                _store(result, chosen, _sequence(ev, x0, f0, coords[chosen], h0[chosen], direction))
    failed = ()
    if np.count_nonzero(result.nonfinite):
        failed = np.flatnonzero(result.suspect & result.nonfinite & (side == 0))
    for i in failed:
        # f failed somewhere on one side: redo this coordinate on the side where it is finite.
        sides = (-1, 1) if result.failed_side is not None and result.failed_side[i] == 1 else (1, -1)
        for direction in sides:  # the side where f was finite first
            retry = _sequence(ev, x0, f0, coords[[i]], h0[[i]], direction)
            if np.all(np.isfinite(retry.value)):
                _store(result, np.array([i]), retry)
                word = "forward" if direction == 1 else "backward"
                notes.append(f"f is not finite or raised near x[{coords[i]}]: used a {word} difference there")
                break
        else:
            notes.append(f"f is not finite on either side of x[{coords[i]}]")
    result.notes = notes + result.notes
    return result


def _empty_columns(m: int, f0: np.ndarray) -> Columns:
    shape = (m, *f0.shape)
    empty = Columns(np.full(shape, np.nan), np.full(shape, np.inf), np.zeros(m, dtype=bool), [], np.zeros(m, bool))
    empty.failed_side = np.zeros(m, dtype=int)
    return empty


def _store(target: Columns, rows: np.ndarray, part: Columns) -> None:
    target.value[rows] = part.value
    target.error[rows] = part.error
    target.suspect[rows] = part.suspect
    target.nonfinite[rows] = part.nonfinite
    if target.failed_side is not None:
        target.failed_side[rows] = 0 if part.failed_side is None else part.failed_side
    target.notes += part.notes


def _sequence(ev: Evaluator, x0, f0, coords, h0, direction: int) -> Columns:
    """One Richardson sequence for `coords`: central (direction 0) or one-sided (+1 forward, -1 backward)."""
    if _point_by_point(ev, f0):
        scalar = _scalar_sequences(ev, x0, float(f0), coords, h0, direction)
        if scalar is not None:
            return scalar
    extra = f0.ndim
    x = x0[coords]
    spreads: list[np.ndarray] = []
    spread_noise: list[np.ndarray] = []
    quotients: list[tuple] = []  # (difference quotient, its rounding) per step
    curvature: list[tuple] = []  # (h, f(x+h), f(x-h), f's move over x's rounding) per central step
    nonfinite = np.zeros(len(coords), dtype=bool)
    failed_above, failed_below = np.zeros(len(coords), dtype=bool), np.zeros(len(coords), dtype=bool)

    def estimate(k: int):
        h = (x + nth_step(h0, k)) - x
        if direction == 0:
            both = ev.displaced(x0, coords, (h, -h))
            plus, minus = both[: len(coords)], both[len(coords) :]
            failed_above[:] |= ~np.isfinite(plus).reshape(len(coords), -1).all(axis=1)
            failed_below[:] |= ~np.isfinite(minus).reshape(len(coords), -1).all(axis=1)
            nonfinite[:] = failed_above | failed_below
            hc = _column(h, extra)
            value = (plus - minus) / (2 * hc)
            # |f(x+h) - 2 f(x) + f(x-h)| / h: the gap between the one-sided slopes, which shrinks like h
            # for a differentiable f and stays put at a kink.
            reach = lambda: _column(np.abs(x + h) + np.abs(x - h), extra) / hc  # noqa: E731
            spreads.append(np.abs(plus - 2 * f0 + minus) / hc)
            spread_noise.append(
                ev.precision * (np.abs(plus) + 2 * np.abs(f0) + np.abs(minus)) / hc + _argument_noise(ev, value, reach)
            )
            noise = ev.precision * (np.abs(plus) + np.abs(minus)) / (2 * hc) + EPS * np.abs(value)
            noise = noise + _argument_noise(ev, value, lambda: reach() / 2)
            quotients.append((value, noise))
            curvature.append((hc, plus, minus, 0.5 * ev.precision * _column(np.abs(x) + h, extra) * np.abs(value)))
            return value, noise
        signed = direction * h
        shifted = ev.displaced(x0, coords, (signed,))
        nonfinite[:] |= ~np.isfinite(shifted).reshape(len(coords), -1).all(axis=1)
        hc = _column(signed, extra)
        value = (shifted - f0) / hc
        reach = lambda: _column(np.abs(x + signed) + np.abs(x), extra) / np.abs(hc)  # noqa: E731
        noise = ev.precision * (np.abs(shifted) + np.abs(f0)) / np.abs(hc) + EPS * np.abs(value)
        noise = noise + _argument_noise(ev, value, reach)
        quotients.append((value, noise))
        return value, noise

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # a step too small for x is no row
        fit = extrapolate(estimate, power=2 if direction == 0 else 1)
        value, error = fit.value, fit.error
        if direction == 0 and fit.steps_used > MIN_ROWS:  # (a jump in f'' stalls the first extrapolation)
            slope_kinked, _ = curvature_kinks(curvature, f0, ev.precision)
            if np.count_nonzero(slope_kinked):  # f' exists, f'' jumps (see smoothness.py)
                again = extrapolate(replayed(estimate, quotients), power=1)
                better = slope_kinked & (again.error < error)
                value, error = np.where(better, again.value, value), np.where(better, again.error, error)
    m = len(coords)
    kinked = np.zeros(np.shape(error), dtype=bool)
    if direction == 0 and len(spreads) >= 3:
        kinked = kinks(spreads, spread_noise[-1])
        error = np.where(kinked, np.maximum(error, spreads[-1] / 2), error)
    growing = rising(quotients) & ~kinked
    error = np.where(growing, np.maximum(error, np.abs(value)), error)
    kinked_columns, growing_columns = kinked.reshape(m, -1).any(axis=1), growing.reshape(m, -1).any(axis=1)
    notes: list[str] = []
    for i in np.flatnonzero(kinked_columns | growing_columns):
        notes.append(not_differentiable(coords[i], kinked_columns[i]))
    suspect = kinked_columns | growing_columns
    if direction == 0:
        suspect |= nonfinite  # a central sequence that met a non-finite value is redone one-sided
    else:
        suspect |= ~np.isfinite(value).reshape(len(coords), -1).all(axis=1)
    failed_side = failed_above.astype(int) - failed_below.astype(int)
    return Columns(value, error, suspect, notes, nonfinite, failed_side=failed_side)


def _scalar_sequences(ev: Evaluator, x0, f0: float, coords, h0, direction: int) -> Columns | None:
    """`_sequence` for a scalar f evaluated point by point: each coordinate's table in Python floats.

    f runs first at the points of the first `MIN_ROWS` steps of every coordinate (every sequence
    evaluates them), back to back; then each coordinate's table asks for more steps as it needs them.
    The same sequence, estimates and checks as the array version; None where it cannot be used (f returns
    complex numbers, or a user step too small to move x), and the caller runs the array version.
    """
    columns, firsts = coords.tolist(), h0.tolist()
    signs = (1.0, -1.0) if direction == 0 else (float(direction),)
    points = []  # step-major, as the array version evaluates them
    xs = x0[coords].tolist()
    for k in range(MIN_ROWS):
        for x, column, first_step in zip(xs, columns, firsts):
            h = (x + first_step / STEP_RATIO**k) - x  # as the table computes it (`nth_step`, inline)
            if not h > 0:
                return None
            for sign in signs:
                point = x0.copy()
                point[column] = x + sign * h
                points.append(point)
    per_step = len(signs) * len(columns)
    sequences = []
    with np.errstate(all="ignore"):
        try:
            first = ev.scalars(points)
        except NotRealError:
            return None
        for i, (coordinate, first_step) in enumerate(zip(columns, firsts)):
            try:
                one = _scalar_sequence(ev, x0, f0, coordinate, first_step, direction, (first, i * len(signs), per_step))
            except (NotRealError, ZeroDivisionError):
                return None
            sequences.append(one)
    values, errors, suspect, nonfinite, notes, failed_side = zip(*sequences)
    every_note = [n for some in notes for n in some]
    return Columns(
        np.array(values),
        np.array(errors),
        np.array(suspect),
        every_note,
        np.array(nonfinite),
        failed_side=np.array(failed_side),
    )


def _scalar_sequence(ev: Evaluator, x0, f0: float, coordinate: int, h0: float, direction: int, samples: tuple):
    """One coordinate's sequence. `samples` is (evaluated, start, stride): f at this coordinate's points of step k
    of the first `MIN_ROWS` begins at ``evaluated[start + k * stride]``."""
    evaluated, start, stride = samples
    x = float(x0[coordinate])
    spreads: list[float] = []
    quotients: list[tuple] = []
    spread_noise = 0.0  # of the last step
    curvature: list[tuple] = []  # (h, f(x+h), f(x-h), f's move over x's rounding) per step
    nonfinite = failed_above = failed_below = False
    moved = ev.moved

    def estimate(k: int):
        nonlocal nonfinite, failed_above, failed_below, spread_noise
        h = (x + h0 / STEP_RATIO**k) - x  # `nth_step`, inline on this path of Python floats
        if direction == 0:
            if k < MIN_ROWS:
                plus, minus = evaluated[start + k * stride], evaluated[start + k * stride + 1]
            else:
                plus, minus = moved(x0, coordinate, (x + h, x - h))
            failed_above = failed_above or not math.isfinite(plus)
            failed_below = failed_below or not math.isfinite(minus)
            nonfinite = failed_above or failed_below
            value = (plus - minus) / (2 * h)
            precision, size = ev.precision, abs(value)
            spreads.append(abs(plus - 2 * f0 + minus) / h)
            spread_noise = precision * (abs(plus) + 2 * abs(f0) + abs(minus)) / h
            noise = precision * (abs(plus) + abs(minus)) / (2 * h) + EPS * size
            # as `_argument_noise`, inline on this path of Python floats
            arguments = 0.5 * precision * (abs(x + h) + abs(x - h)) / h * size
            spread_noise += arguments
            noise = noise + arguments / 2
            quotients.append((value, noise))
            curvature.append((h, plus, minus, 0.5 * precision * (abs(x) + h) * size))
            return value, noise
        signed = direction * h
        (shifted,) = (evaluated[start + k * stride],) if k < MIN_ROWS else moved(x0, coordinate, (x + signed,))
        nonfinite = nonfinite or not math.isfinite(shifted)
        value = (shifted - f0) / signed
        noise = ev.precision * (abs(shifted) + abs(f0)) / h + EPS * abs(value)
        noise = noise + 0.5 * ev.precision * (abs(x + signed) + abs(x)) / h * abs(value)
        quotients.append((value, noise))
        return value, noise

    fit = extrapolate_floats(estimate, power=2 if direction == 0 else 1)
    value, error = fit.value, fit.error
    if direction == 0 and fit.steps_used > MIN_ROWS and curvature_kinks(curvature, f0, ev.precision)[0]:
        again = extrapolate_floats(replayed(estimate, quotients), power=1)  # f'' jumps (see smoothness.py)
        if again.error < error:
            value, error = again.value, again.error
    suspect, notes = False, []
    if direction == 0 and len(spreads) >= 3 and kinks(spreads, spread_noise):
        notes.append(not_differentiable(coordinate, True))
        half_spread = spreads[-1] / 2  # np.maximum's rule: NaN stays NaN
        error = error if (error >= half_spread or error != error) else half_spread
        suspect = True
    elif rising(quotients):
        notes.append(not_differentiable(coordinate, False))
        error = error if (error >= abs(value) or error != error) else abs(value)
        suspect = True
    suspect = suspect or (nonfinite if direction == 0 else not math.isfinite(value))
    return value, error, suspect, nonfinite, notes, int(failed_above) - int(failed_below)
