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
    nfev : int or ndarray
        The number of points at which the function was evaluated (`derivative`: per element).
    method : str
        The method that produced `value`.
    success : bool or ndarray
        Whether every element met the tolerance (``error <= atol + rtol*|value|``)
        and nothing suspicious (a kink, a non-finite value) was seen. `derivative`,
        whose elements are independent problems, gives one per element.
    message : str
        What happened, in words.
    status : ndarray or None
        `derivative` by differences (or exactly) only: a code per element, 0 success, -1 the error estimate
        exceeds the tolerance, -2 f does not look differentiable there (or, for the
        complex step, complex-analytic), -3 f is not finite at the element (or on
        both sides of it); None for the other functions.
    """

    value: np.ndarray
    error: np.ndarray
    nfev: int
    method: str
    success: bool
    message: str
    status: np.ndarray | None = None

    def __repr__(self) -> str:
        names = ("value", "error", "nfev", "method", "success", "message") + (
            ("status",) if self.status is not None else ()
        )
        lines = [f"{name}: {getattr(self, name)!r}" for name in names]
        return "Result(\n  " + ",\n  ".join(lines) + "\n)"
