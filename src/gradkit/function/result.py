"""`Result`: a derivative with its error estimate and how it was obtained."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Result:
    """What ``full_output=True`` returns.

    Attributes
    ----------
    value : ndarray
        The derivative (gradient, Jacobian, Hessian...).
    error : ndarray
        An estimate of the absolute error of each element of `value`.
    nfev : int
        The number of points at which the function was evaluated.
    method : str
        The method that produced `value`.
    success : bool
        Whether every element met the tolerance (``error <= atol + rtol*|value|``)
        and nothing suspicious (a kink, a non-finite value) was seen.
    message : str
        What happened, in words.
    """

    value: np.ndarray
    error: np.ndarray
    nfev: int
    method: str
    success: bool
    message: str

    def __repr__(self) -> str:
        lines = [
            f"{name}: {getattr(self, name)!r}" for name in ("value", "error", "nfev", "method", "success", "message")
        ]
        return "Result(\n  " + ",\n  ".join(lines) + "\n)"
