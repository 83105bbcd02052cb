"""The automatic choice: tune every candidate estimator, keep the one with the smallest GCV score.

It knows nothing about the estimators beyond their tuning functions and compares only their scores. GCV
(Craven & Wahba 1979) estimates the prediction error of each fit from its residuals and its effective number
of parameters, so families with different parameters (a window, a penalty, a cutoff) compete on one scale.
Plain GCV did as well on the noisy benchmark as making later candidates win by a margin (n <= 10^4, 84 cases:
median 0.67 of the best contender's error without one, 0.72 with 5 %), so there is none.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import numpy as np

from gradkit.smooth.fit import Fit

Tuner = Callable[[np.ndarray, np.ndarray], Fit]


def choose(
    x: np.ndarray, y: np.ndarray, candidates: Sequence[tuple[str, Tuner]], deadline: float
) -> tuple[str, Fit, dict[str, float]]:
    """The best candidate by GCV, its fit, and every score computed.

    Candidates are tried in order while the next one is expected to end before ``deadline`` (a
    ``time.perf_counter`` value; the expected cost is that of the slowest so far); the first is always tried.
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
        if best is None or score < best[0]:
            best = (score, name, fit)
    assert best is not None
    return best[1], best[2], scores
