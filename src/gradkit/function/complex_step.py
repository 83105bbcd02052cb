"""The complex-step derivative: Im f(x + i h e_j) / h, exact to rounding for real-analytic f.

There is no subtraction, so the step can be tiny (1e-20 relative) and the
result is accurate to machine precision in one evaluation per coordinate. It
needs f to carry complex numbers through unchanged: NumPy's arithmetic, exp,
sin, log... do; ``abs``, ``np.real``, ``float()``, comparisons and ``max``
do not. A function that returns real values for complex input is rejected
rather than silently differentiated to zero.
"""

from __future__ import annotations

import numpy as np

from gradkit.function.evaluate import Evaluator
from gradkit.function.finite import Columns, _column
from gradkit.function.steps import EPS, step_scale

STEP = 1e-20


def complex_columns(ev: Evaluator, x0: np.ndarray, f0: np.ndarray, coords: np.ndarray, step=None) -> Columns:
    """Derivative columns for `coords` by the complex step; `ev` must accept complex points."""
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
    suspect = bad.reshape(len(coords), -1).any(axis=1)
    notes = [f"f is not finite at the complex step of x[{c}]" for c in coords[suspect]]
    return Columns(value, np.where(bad, np.inf, error), suspect, notes)
