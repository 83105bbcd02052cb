"""A fit-free estimate of the noise level, from differences of neighbouring samples."""

from __future__ import annotations

import math

import numpy as np

#: MAD of a standard normal sample.
_MAD_NORMAL = 0.6744897501960817


def difference_noise(y: np.ndarray, order: int = 2) -> float:
    """Robust σ of white noise on a smooth signal, from differences of `order` (second by default).

    The `order`-th difference of white noise has variance C(2 order, order) σ² (6σ² for the second) while a
    smooth signal's is of the order of its `order`-th derivative times the step to that power; the median
    absolute deviation ignores the few large values at kinks. Higher orders see less of a smooth signal and
    more of the noise: the sixth differences of sin(1.5πt) at steps of 0.02 are 1e-6, the second 1e-2.

    Examples
    --------
    >>> import numpy as np
    >>> y = np.sin(np.linspace(0, 3, 301)) + 1e-3 * np.random.default_rng(0).standard_normal(301)
    >>> [round(difference_noise(y, k) / 1e-3, 1) for k in (2, 6)]  # noise 1e-3: within its sampling error
    [1.0, 1.2]
    >>> round(difference_noise(np.sin(np.linspace(0, 3, 301)), 6), 12)  # no noise: sixth differences see none
    0.0
    """
    return noise_of_differences(np.diff(y, order), order)


def noise_of_differences(d: np.ndarray, order: int) -> float:
    """`difference_noise` from the `order`-th differences `d` themselves (0 where there are none)."""
    if len(d) == 0:
        return 0.0
    spread = np.median(np.abs(d - np.median(d))) / _MAD_NORMAL
    return float(spread / np.sqrt(math.comb(2 * order, order)))
