"""Stopping rules: why a path ends, as a status code and a sentence.

Success is reaching a point where the gradient, the step or the change of f is below its tolerance. The
other reasons are reported as failures, as `scipy.optimize` does: running out of steps, leaving `bounds`,
diverging (x or f not finite, or growing without bound), a gradient that is not finite, a line search that
found no decrease, or a callback that asked to stop.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import IntEnum


class Status(IntEnum):
    """Why a path stopped (`PathResult.status`)."""

    GRADIENT = 0
    STEP = 1
    VALUE = 2
    MAXITER = 3
    BOUNDS = 4
    DIVERGED = 5
    NONFINITE_GRADIENT = 6
    LINE_SEARCH = 7
    CALLBACK = 8

    @property
    def success(self) -> bool:
        return self in (Status.GRADIENT, Status.STEP, Status.VALUE)


@dataclass(frozen=True)
class Tolerances:
    """The stopping rules' thresholds, validated.

    gtol: |grad f| <= gtol. xtol: |x_{k+1} - x_k| <= xtol. ftol: |f_{k+1} - f_k| <= ftol * max(|f_k|,
    |f_{k+1}|, 1) (L-BFGS-B's rule; the floor of 1 keeps it meaningful where f is near 0); 0 turns the xtol
    and ftol rules off. maxiter: the
    number of steps. blowup: |x - x0| > blowup * (1 + |x0|) or |f - f0| > blowup * (1 + |f0|) is divergence.
    """

    gtol: float = 1e-6
    xtol: float = 0.0
    ftol: float = 0.0
    maxiter: int = 1000
    blowup: float = 1e12

    def __post_init__(self):
        for name in ("gtol", "xtol", "ftol"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not (value >= 0 and math.isfinite(value))
            ):
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if isinstance(self.maxiter, bool) or not isinstance(self.maxiter, int) or self.maxiter < 0:
            raise ValueError(f"maxiter must be an integer >= 0, got {self.maxiter!r}")
        if isinstance(self.blowup, bool) or not isinstance(self.blowup, (int, float)) or not self.blowup > 0:
            raise ValueError(f"blowup must be a positive number, got {self.blowup!r}")


def converged(tol: Tolerances, *, step_norm: float, f_old: float, f_new: float, g_norm: float) -> Status | None:
    """The success a step reached, if any; the gradient first, then the step, then the change of f."""
    if g_norm <= tol.gtol:
        return Status.GRADIENT
    # A tolerance of 0 turns its rule off (rather than stopping where f stalls at its rounding floor).
    if tol.xtol > 0 and step_norm <= tol.xtol:
        return Status.STEP
    if tol.ftol > 0 and abs(f_new - f_old) <= tol.ftol * max(abs(f_old), abs(f_new), 1.0):
        return Status.VALUE
    return None


def message(status: Status, nit: int, detail: str = "") -> str:
    """The sentence for `status` after `nit` steps, with `detail` (numbers) appended."""
    text = {
        Status.GRADIENT: "gradient norm below gtol",
        Status.STEP: "step norm below xtol",
        Status.VALUE: "relative change of f below ftol",
        Status.MAXITER: "maximum number of steps reached",
        Status.BOUNDS: "the path left bounds; it stops where it crossed them",
        Status.DIVERGED: "diverged",
        Status.NONFINITE_GRADIENT: "the gradient is not finite",
        Status.LINE_SEARCH: "the line search found no decrease (gradient inaccurate or f at its rounding floor)",
        Status.CALLBACK: "callback asked to stop",
    }[status]
    return f"{text} after {nit} step{'s' if nit != 1 else ''}" + (f": {detail}" if detail else "")
