"""The automatic choice: tune every candidate estimator, keep the one with the smallest modified GCV score.

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

#: Weight of the degrees of freedom in the score n·RSS/(n − γ·df)², the modified GCV of Cummins, Filloon &
#: Nychka (2001) with Kim & Gu's (2004) γ = 1.4. Plain GCV (γ = 1) scores the fitted values, whose error is
#: nearly flat near its optimum; the derivative's is not, and fits that buy a slightly smaller residual with
#: more parameters follow the noise in their slopes. On the noisy benchmark (benchmarks/noisy.py, 140 cases)
#: plain GCV with a 5 % lead for the first candidate left 3 cases above 2x the best contender's error, plain
#: GCV alone 1; with γ = 1.4, and any γ tried from 1.4 to 2, none.
DF_WEIGHT = 1.4


def score(fit: Fit, y: np.ndarray) -> float:
    """Modified GCV n·RSS/(n − γ·df)² (``DF_WEIGHT`` is γ); smaller is better."""
    n = len(y)
    room = max(n - DF_WEIGHT * fit.df, 0.5)
    return n * fit.rss(y) / room**2


def choose(
    x: np.ndarray, y: np.ndarray, candidates: Sequence[tuple[str, Tuner]], deadline: float
) -> tuple[str, Fit, dict[str, float]]:
    """The best candidate by modified GCV, its fit, and every score computed.

    Candidates are tried in order while the next one is expected to end before ``deadline`` (a
    ``time.perf_counter`` value; the expected cost is that of the slowest so far); the first is always tried.
    On equal scores the earlier candidate stays.
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
        scores[name] = score(fit, y)
        if best is None or scores[name] < best[0]:
            best = (scores[name], name, fit)
    assert best is not None
    return best[1], best[2], scores
