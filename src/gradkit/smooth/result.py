"""`SmoothResult`: what ``smooth_gradient(..., full_output=True)`` returns."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class SmoothResult:
    """Derivatives of noisy samples, with what was chosen and how sure it is.

    Attributes
    ----------
    gradient : ndarray or tuple of ndarray
        The derivative along each requested axis, shaped as ``gradkit.gradient`` returns it.
    values : ndarray
        The smoothed samples (along the first requested axis when lines are smoothed one axis at a time).
    std : ndarray or tuple of ndarray or None
        Per-point standard deviation of each derivative from the noise (not the smoothing bias), where the method
        gives one (all but ``"tv"``); None otherwise.
    method : str
        The estimator used; for several lines chosen separately, the most frequent one (see ``methods``).
    params : dict
        The first line's smoothing parameters, in units where the mean sample step is 1.
    noise : float
        The estimated standard deviation of the noise (median over lines).
    gaps : int
        How many NaN samples were dropped as gaps.
    scores : dict
        The modified GCV score (degrees of freedom weighted 1.4) of each candidate "auto" tried on the first line.
    methods : list of str
        The method of every line, in order.
    """

    gradient: np.ndarray | tuple[np.ndarray, ...]
    values: np.ndarray
    std: np.ndarray | tuple[np.ndarray, ...] | None
    method: str
    params: dict
    noise: float
    gaps: int = 0
    scores: dict = field(default_factory=dict)
    methods: list = field(default_factory=list)
