"""A fit-free estimate of the noise level, from differences of neighbouring samples."""

from __future__ import annotations

import numpy as np

#: MAD of a standard normal sample.
_MAD_NORMAL = 0.6744897501960817


def difference_noise(y: np.ndarray) -> float:
    """Robust σ of white noise on a smooth signal, from second differences.

    The second difference of white noise has variance 6σ² while a smooth signal's is of the order of its
    curvature times the step squared; the median absolute deviation ignores the few large values at kinks.
    """
    d2 = np.diff(y, 2)
    if len(d2) == 0:
        return 0.0
    return float(np.median(np.abs(d2 - np.median(d2))) / _MAD_NORMAL / np.sqrt(6.0))
