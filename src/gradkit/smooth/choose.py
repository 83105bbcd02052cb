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

#: How much lower a score must be to win for a candidate whose degrees of freedom are themselves an estimate
#: (total variation counts the linear pieces of an iterative, approximate solution): measured on the noisy
#: benchmark, a 3 % margin keeps it for kinks and steps and off smooth signals.
MARGIN = {"tv": 0.03}


def choose(
    x: np.ndarray, y: np.ndarray, candidates: Sequence[tuple[str, Tuner]], deadline: float
) -> tuple[str, Fit, dict[str, float]]:
    """The best candidate by GCV, its fit, and every score computed.

    Candidates are tried in order until ``deadline`` (a ``time.perf_counter`` value); the first is always tried.
    """
    scores: dict[str, float] = {}
    best: tuple[float, str, Fit] | None = None
    for name, tune in candidates:
        if best is not None and time.perf_counter() > deadline:
            break
        fit = tune(x, y)
        score = fit.gcv(y)
        scores[name] = score
        score *= 1.0 + MARGIN.get(name, 0.0)
        if best is None or score < best[0]:
            best = (score, name, fit)
    assert best is not None
    return best[1], best[2], scores
