"""The automatic choice: tune every candidate estimator, keep the one with the smallest GCV score.

It knows nothing about the estimators beyond their tuning functions and compares only their scores. GCV
(Craven & Wahba 1979) estimates the prediction error of each fit from its residuals and its effective number
of parameters, so families with different parameters (a window, a penalty, a cutoff) compete on one scale.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from gradkit.smooth.fit import Fit

Tuner = Callable[[np.ndarray, np.ndarray], Fit]

#: How much lower than the first candidate's score another's must be to win. GCV scores the fitted values;
#: between fits that match the values about equally, the first candidate (the smoothing spline, or the
#: spectral filter on periodic data) gives the better derivative on the noisy benchmark, so the others need
#: a clear win: 1 %, and 3 % for total variation, whose degrees of freedom are themselves an estimate (the
#: linear pieces of an iterative, approximate solution).
MARGIN = 0.01
MARGINS = {"tv": 0.03}


def choose(
    x: np.ndarray, y: np.ndarray, candidates: Sequence[tuple[str, Tuner]], deadline: float
) -> tuple[str, Fit, dict[str, float]]:
    """The best candidate by GCV, its fit, and every score computed.

    Candidates are tried in order until ``deadline`` (a ``time.perf_counter`` value); the first is always tried,
    and the others must beat it by a margin (``MARGINS``).
    """
    scores: dict[str, float] = {}
    best: tuple[float, str, Fit] | None = None
    for name, tune in candidates:
        if best is not None and time.perf_counter() > deadline:
            break
        fit = tune(x, y)
        score = fit.gcv(y)
        scores[name] = score
        if best is not None:
            score *= 1.0 + MARGINS.get(name, MARGIN)
        if best is None or score < best[0]:
            best = (score, name, fit)
    assert best is not None
    return best[1], best[2], scores
