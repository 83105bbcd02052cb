"""Step sizes: relative to |x|, with an absolute floor near zero."""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)  # a Python float: the scalar paths stay in Python floats
#: Below this |x| a step is taken relative to 1 instead (an absolute floor).
FLOOR = 1.0


def step_scale(x: np.ndarray) -> np.ndarray:
    """The length a step is measured against: ``max(|x|, 1)``."""
    return np.maximum(np.abs(x), FLOOR)


def fixed_step(x: np.ndarray, order: int, accuracy: int, eps: float = EPS) -> np.ndarray:
    """The step balancing truncation (~h**accuracy) and rounding (~eps/h**order) errors; `eps` is the
    precision of the floating type f computes in (float32's for a float32 x)."""
    return eps ** (1.0 / (accuracy + order)) * step_scale(x)


TINY = float(np.finfo(np.float64).tiny)


def relative_floor(order: int = 1) -> float:
    """The least |x| relative steps suit for an `order`-th derivative."""
    return TINY ** (1.0 / order) * 2.0**20


#: A Richardson sequence starts at this fraction of its scale.
FIRST_FRACTION = 0.125


def first_richardson_step(x: np.ndarray, *, relative: bool | np.ndarray = False, order: int = 1) -> np.ndarray:
    """The largest step of a Richardson sequence: 1/8 of ``max(|x|, 1)``, or of ``|x|`` where `relative`.

    `relative` is one flag or one per element. A relative step falls back to the absolute one where x is
    zero (or closer to it than `relative_floor`).
    """
    magnitude = np.abs(x)
    scale = np.maximum(magnitude, FLOOR)
    if relative is not False and np.count_nonzero(relative):
        scale = np.where(relative & (magnitude >= relative_floor(order)), magnitude, scale)
    return FIRST_FRACTION * scale


def relative_first(x: np.ndarray) -> np.ndarray:
    """Where a sequence starts with steps relative to |x|: where the first step against ``max(|x|, 1)``
    would reach across zero, the singular point of 1/x, log, roots and powers."""
    return np.abs(x) < FIRST_FRACTION


def rescalable(x: np.ndarray, order: int = 1) -> np.ndarray:
    """Where relative and absolute first steps differ: ``relative_floor(order) <= |x| < 1``."""
    return (np.abs(x) < FLOOR) & (np.abs(x) >= relative_floor(order))


def check_step(step: object, x0: np.ndarray, coords: np.ndarray, *, real: bool = True) -> np.ndarray | None:
    """A user's `step` (scalar or one per coordinate of flat `x0`) as positive floats, or None.

    A `real` step must move its coordinate: ``x0 + step != x0`` for the coordinates differentiated (the
    complex step ``x0 + i*step`` moves it whatever its size).
    """
    if step is None:
        return None
    size = x0.size
    try:
        values = np.broadcast_to(np.asarray(step, dtype=np.float64), (size,)).copy()
    except (TypeError, ValueError):
        raise ValueError(f"step must be a positive number or one per coordinate ({size}), got {step!r}") from None
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"step must be positive and finite, got {step!r}")
    if not real:
        return values
    still = coords[x0[coords] + values[coords] == x0[coords]]
    if len(still):
        i = int(still[0])
        raise ValueError(f"step {values[i]:g} is too small to move x[{i}] = {float(x0[i])!r}: x + step == x")
    return values


def bounded_first_steps(
    x: np.ndarray, h0: np.ndarray, lower: np.ndarray, upper: np.ndarray, *, reach: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Directions (0 central, +1 forward, -1 backward) and first steps of sequences that stay inside a box.

    Central where x +- h0 fits. Otherwise one-sided towards the side with more room, unless neither side
    has room for h0 and they are alike (a narrow box around x): central at half the smaller room. A
    one-sided sequence evaluates as far as ``reach * h0`` from x, and its first step shrinks to fit.
    """
    room_up, room_down = upper - x, x - lower
    narrow, broad = np.minimum(room_up, room_down), np.maximum(room_up, room_down)
    fits = narrow >= h0
    roomy = broad >= h0
    squeezed = ~fits & ~roomy
    lopsided = squeezed & (narrow < 0.25 * broad)  # x at (or next to) a face: the other side's room
    one_sided = (~fits & roomy) | lopsided
    side = np.where(one_sided, np.where(room_up >= room_down, 1, -1), 0)
    h0 = np.where(squeezed & ~lopsided, 0.5 * narrow, h0)
    h0 = np.where(one_sided, np.minimum(h0, broad / reach), h0)
    return side, h0
