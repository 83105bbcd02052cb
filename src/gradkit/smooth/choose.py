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

#: How much lower than the best score so far a later candidate's must be to win. GCV scores the fitted
#: values, not the derivative; between fits that match the values about equally, the first candidates (the
#: quintic regression spline, or the spectral filter on periodic data) gave the better derivative on the
#: noisy benchmark (benchmarks/noisy.py, 140 cases: with 5 %, 3 cases above 2x the best contender's error;
#: with no margin, 13), so later ones need a clear win.
MARGIN = 0.05


def choose(
    x: np.ndarray, y: np.ndarray, candidates: Sequence[tuple[str, Tuner]], deadline: float
) -> tuple[str, Fit, dict[str, float]]:
    """The best candidate by GCV, its fit, and every score computed.

    Candidates are tried in order while the next one is expected to end before ``deadline`` (a
    ``time.perf_counter`` value; the expected cost is that of the slowest so far); the first is always tried,
    and each later one must beat the best so far by ``MARGIN``.
    """
    scores: dict[str, float] = {}
    best: tuple[float, str, Fit] | None = None
    slowest = 0.0
    for name, tune in candidates:
        start = time.perf_counter()
        # Stop when the next candidate, if it costs as much as the slowest so far, would end past the deadline.
        if best is not None and start + slowest > deadline:
            break
        fit = tune(x, y)
        slowest = max(slowest, time.perf_counter() - start)
        score = fit.gcv(y)
        scores[name] = score
        if best is not None:
            score *= 1.0 + MARGIN
        if best is None or score < best[0]:
            best = (score, name, fit)
    assert best is not None
    return best[1], best[2], scores
