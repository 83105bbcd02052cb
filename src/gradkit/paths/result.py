"""`PathResult`: where a descent or ascent ended, with `scipy.optimize.OptimizeResult`'s names, and its path."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True)
class PathResult:
    """What `descend` and `ascend` return.

    Attributes
    ----------
    x : ndarray
        The last point of the path (x0's shape).
    fun : float
        f at `x`.
    jac : ndarray
        The gradient of f at `x` (x0's shape).
    nit : int
        Steps taken: the path has ``nit + 1`` points.
    nfev, njev : int
        Evaluations of f (those made by finite differences included) and of its gradient.
    success : bool
        Whether a convergence rule (gtol, xtol, ftol) stopped the path.
    status : int
        A `Status` code: 0 gradient, 1 step, 2 change of f, 3 maxiter, 4 left bounds, 5 diverged,
        6 gradient not finite, 7 line search failed, 8 callback.
    message : str
        Why it stopped, in words, with the numbers.
    points : ndarray
        Every point, x0 first, shape ``(nit + 1, *x0.shape)``.
    values : ndarray
        f at each point, shape ``(nit + 1,)``.
    grad_norms : ndarray
        The Euclidean norm of the gradient at each point (NaN where it was not computed).
    step_sizes : ndarray
        The length of each step, ``|points[k+1] - points[k]|``, shape ``(nit,)``.

    Items can also be read as ``result["x"]``, as from an ``OptimizeResult``.
    """

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
    nfev: int
    njev: int
    success: bool
    status: int
    message: str
    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    step_sizes: np.ndarray

    def __getitem__(self, name: str):
        if name not in self.keys():
            raise KeyError(name)
        return getattr(self, name)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]

    def __repr__(self) -> str:
        shown = ("message", "success", "status", "fun", "x", "nit", "nfev", "njev")
        return "PathResult(\n" + "\n".join(f"  {name}: {getattr(self, name)!r}" for name in shown) + "\n)"


@dataclass(frozen=True)
class Iterate:
    """What a callback that takes ``intermediate_result`` receives after each step (as in SciPy)."""

    x: np.ndarray
    fun: float
    jac: np.ndarray
    nit: int
