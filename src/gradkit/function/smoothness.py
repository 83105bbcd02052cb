"""Signs, read off a sequence of shrinking steps, that the derivative asked for does not exist.

A kink (|x| at 0): the one-sided slopes stay apart however small the step (`kinks`). A jump or an infinite
slope (sign or cbrt at 0): the difference quotients grow as the step shrinks (`rising`). A kink of the
slope (x|x| or max(x, 0)**2 at 0): the one-sided second derivatives each settle, apart (`curvature_kinks`),
while the symmetric second differences settle too, on 0 or on the mean of the two sides. Each test asks the
signal to stand far above its rounding. Arrays (any shape) or Python floats.

A kink of the slope also slows first derivatives: where f' exists but f'' jumps (the Huber loss at its
corner, a quadratic spline at a knot), the error of central differences has every power of h,
h (f''(x+) - f''(x-)) / 4 first, and an extrapolation in even powers stalls. Where `curvature_kinks` sees
the jump, first derivatives extrapolate the same estimates again in every power of h
(`richardson.replayed`) and keep the more certain answer.

Examples
--------
>>> import numpy as np
>>> f = lambda x: x * np.abs(x)  # f'' is 2 on the right of 0 and -2 on the left
>>> steps = [(h, f(h), f(-h), 0.0) for h in 0.1 / 2.1 ** np.arange(3)]
>>> kinked, spread = curvature_kinks(steps, 0.0, 1e-16)
>>> bool(kinked), round(float(spread), 12)
(True, 4.0)
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from gradkit.function.richardson import STEP_RATIO

#: Why f does not look differentiable: the one-sided slopes differ (`kinks`), or the quotients grow (`rising`).
KINKED = "the one-sided slopes differ"
GROWING = "its difference quotients grow as the step shrinks (a jump, or an infinite slope)"
#: Why f does not look twice differentiable (`curvature_kinks`).
CURVATURE_KINKED = "the one-sided second derivatives differ (its slope has a kink)"


def rising(quotients: list, steps: int = 3, ratio: float = STEP_RATIO):
    """Where the difference quotients grew over the last `steps` steps, each time by more than sqrt(ratio)
    (halfway to 1/h's growth on a log scale, for steps shrinking by `ratio`), to far above their rounding: a
    jump (they grow like 1/h) or an infinite derivative (cbrt at 0: like h**(-2/3)). `quotients` holds
    (quotient, its rounding) per step, arrays or floats; False before ``steps + 1`` of them. (Rounding alone
    also grows like 1/h, where the derivative is about 0.)"""
    if len(quotients) <= steps:
        last = quotients[-1][0] if quotients else 0.0
        return np.zeros(np.shape(last), dtype=bool) if np.ndim(last) else False
    sizes = [abs(q) for q, _ in quotients[-steps - 1 :]]
    grew = sizes[-1] > 100 * quotients[-1][1]
    least = ratio**0.5
    for before, after in pairwise(sizes):
        grew = grew & (after > least * before)
    return grew


def kinks(spreads: list, noise):
    """Where the one-sided slopes stopped converging to each other over the last three steps: their
    difference (`spreads`, one per step) kept more than 3/4 of its size twice, and stands far above its
    rounding `noise`. For a differentiable f it shrinks like the step (by 2.1 a step); at a kink it tends to
    the jump."""
    a, b, c = spreads[-3], spreads[-2], spreads[-1]
    stalled = (b > 0.75 * a) & (c > 0.75 * b)
    # Rounding noise also stops the spread from shrinking; a kink's spread stands far above it.
    return stalled & (c > 100 * noise)


def one_sided_curvatures(a, b, above: tuple, below: tuple, f0, precision, moved=0.0):
    """The one-sided second derivatives at x from the points x +- a and x +- b (a > b > 0), and the rounding
    of their difference: ``(2 f[x, x+b, x+a], 2 f[x, x-b, x-a], rounding)``.

    `above` is (f(x+a), f(x+b)), `below` (f(x-a), f(x-b)); `precision` is f's relative rounding and `moved`
    how far f's value moves over the rounding of its argument (at the points of either step). Each is off by about
    (a + b) / 3 times the third derivative.
    """
    (f_a, f_b), (f_minus_a, f_minus_b) = above, below
    right = 2 * ((f_a - f_b) / (a - b) - (f_b - f0) / b) / a
    left = 2 * ((f_minus_a - f_minus_b) / (a - b) - (f_minus_b - f0) / b) / a
    outer = (precision * (abs(f_a) + abs(f_b) + abs(f_minus_a) + abs(f_minus_b)) + 4 * moved) / (a - b)
    inner = (precision * (abs(f_b) + abs(f_minus_b) + 2 * abs(f0)) + 4 * moved) / b
    return right, left, 2 * (outer + inner) / a


def curvature_kinks(steps: list, f0, precision):
    """Where f's slope has a kink: (where, the last difference of the one-sided second derivatives).

    `steps` holds (h, f(x+h), f(x-h), moved) from the longest step down, at least three. Each two successive
    steps give the one-sided second derivatives (`one_sided_curvatures`). For a twice differentiable f they
    close in on each other like the steps, each side moving by about as much as the two differ; where f''
    jumps (x|x| at 0) each side settles on its own value. A kink: over the last three steps each side moved
    by less than half their difference, which stands far above its rounding. (Rounding noise, and the
    digits f loses inside, move the sides about as much as they set them apart.)
    """
    (a, above_a, below_a, moved_a), (b, above_b, below_b, moved_b), (c, above_c, below_c, moved_c) = steps[-3:]
    sides_before = one_sided_curvatures(a, b, (above_a, above_b), (below_a, below_b), f0, precision, moved_a + moved_b)
    right, left, rounding = one_sided_curvatures(
        b, c, (above_b, above_c), (below_b, below_c), f0, precision, moved_b + moved_c
    )
    right_before, left_before, _ = sides_before
    spread = abs(right - left)
    settled = abs(right - right_before) + abs(left - left_before) < spread / 2
    return settled & (spread > 100 * rounding), spread


def not_differentiable(coordinate: int, kinked: bool) -> str:
    """The note for a kink (the one-sided slopes differ) or for quotients that grow (`rising`)."""
    return f"f does not look differentiable at x[{coordinate}]: {KINKED if kinked else GROWING}"


def not_twice_differentiable(where: str) -> str:
    """The note for a kink of f's slope at `where` (``"x[3]"``, ``"some elements"``)."""
    return f"f does not look twice differentiable at {where}: {CURVATURE_KINKED}"
