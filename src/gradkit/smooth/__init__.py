"""Derivatives of noisy samples: smoothing estimators, the automatic choice among them, `smooth_gradient`.

Each estimator module is a function of (coordinates, samples, parameters) returning a `Fit`; `choose.py`
compares tuned fits by their GCV scores; `line.py` runs one line of samples (gaps, long lines, scaling);
`api.py` holds the public function. SciPy is imported only when a fit runs (extra ``smooth``).
"""

from gradkit.smooth.api import smooth_gradient
from gradkit.smooth.result import SmoothResult

__all__ = ["SmoothResult", "smooth_gradient"]
