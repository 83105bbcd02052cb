"""The complex-step derivative: Im f(x + i h e_j) / h, exact to rounding for real-analytic f.

There is no subtraction, so the step can be tiny (1e-20 relative) and the result is accurate to machine
precision in one evaluation per coordinate. It needs f to be complex-analytic: to carry complex numbers
through its arithmetic unchanged, as NumPy's arithmetic, exp, sin, log... do. ``abs``, ``np.real``,
``np.conj``, ``x * x.conj()``, ``np.vdot`` (which conjugates its first argument), ``float()``, comparisons
and ``max`` do not, and the imaginary part they leave is no derivative. A function that returns real values
for complex input is rejected (`TypeError`); one that returns complex values is checked against one central
difference (three more evaluations per coordinate): where the two disagree beyond their combined error, f is
not complex-analytic there and the result is not a success.
"""

from __future__ import annotations

import numpy as np

from gradkit.function.evaluate import Evaluator
from gradkit.function.finite import Columns, _column, fixed_columns
from gradkit.function.steps import EPS, step_scale

STEP = 1e-20
#: How far beyond the central difference's error estimate the complex step may lie before it is disbelieved.
#: The estimate bounds the true error on smooth functions; a non-analytic f is off by the derivative's size.
CHECK_SLACK = 10.0
NOT_ANALYTIC = (
    "the complex step disagrees with a central difference: f does not look complex-analytic (abs, np.real, "
    "np.conj, x * x.conj(), np.vdot, comparisons or max drop or conjugate the imaginary part); use "
    "method='richardson'"
)


def check_real_at_real(f0: np.ndarray) -> None:
    """The complex step reads f' off Im f(x + ih): f must be real at real x."""
    if np.iscomplexobj(f0) and np.any(np.asarray(f0).imag != 0):
        raise TypeError(
            "method='complex' needs f real at real x (Im f(x + ih) / h is then f'), but f(x) is complex: "
            "use method='richardson' for a complex-valued f"
        )


def disagrees(value, error, check_value, check_error) -> np.ndarray:
    """Where the complex step `value` lies beyond the combined error of it and a central difference."""
    with np.errstate(invalid="ignore", over="ignore"):
        gap = np.abs(value - check_value)
        allowed = CHECK_SLACK * check_error + error + 8 * EPS * (np.abs(value) + np.abs(check_value))
        return np.isfinite(check_value) & np.isfinite(check_error) & (gap > allowed)


def argument_rounding(x: np.ndarray, second: np.ndarray, extra_dims: int, precision: float) -> np.ndarray:
    """How far f' moves when f rounds its argument (or what it computes from it) by a unit there: about
    ``precision * |x| * |f''|``, with `second` the |f''| of a central difference (NaN taken as 0)."""
    with np.errstate(invalid="ignore", over="ignore"):
        moved = precision * _column(np.abs(x), extra_dims) * second
    return np.where(np.isfinite(moved), moved, 0.0)


def complex_columns(
    ev: Evaluator, x0: np.ndarray, f0: np.ndarray, coords: np.ndarray, step=None, bounds=None
) -> Columns:
    """Derivative columns for `coords` by the complex step; `ev` must accept complex points."""
    check_real_at_real(f0)
    h = STEP * step_scale(x0[coords]) if step is None else step[coords]
    points = np.repeat(x0.astype(np.complex128)[None], len(coords), axis=0)
    points[np.arange(len(coords)), coords] += 1j * h
    values = ev.many(points)
    if not np.iscomplexobj(values):
        raise TypeError(
            "method='complex' needs f to keep complex input complex, but f returned real values "
            "(abs, np.real, float() or comparisons drop the imaginary part); use method='richardson'"
        )
    value = values.imag / _column(h, f0.ndim)
    error = 2 * max(EPS, ev.precision) * np.abs(value)  # f in complex64 rounds its imaginary part so
    bad = ~np.isfinite(value)
    error = np.where(bad, np.inf, error)
    suspect = bad.reshape(len(coords), -1).any(axis=1)
    notes = [f"f is not finite at the complex step of x[{c}]" for c in coords[suspect]]
    check = fixed_columns(ev, x0, f0.real, coords, scheme="central", accuracy=2, bounds=bounds, estimate=True)
    if check.second is not None:  # f rounds what it computes from x (3y in cos(3y)): f' moves by f'' times that
        moved = argument_rounding(x0[coords], check.second, f0.ndim, ev.precision)
        error = np.where(bad, np.inf, error + moved)
    wrong = disagrees(value, error, check.value, check.error).reshape(len(coords), -1).any(axis=1)
    if np.count_nonzero(wrong):
        notes.append(f"{NOT_ANALYTIC} (x[{', '.join(str(c) for c in coords[wrong])}])")
        # where f is not analytic the central difference is the better guess: the error covers it and its error
        error = np.where(_column(wrong, f0.ndim), np.abs(value - check.value) + check.error, error)
    return Columns(value, error, suspect | wrong, notes)
