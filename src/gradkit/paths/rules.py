"""Step rules: from the point, its value and gradient, the next point of a descent.

Each rule is a frozen, validated configuration; `start(n)` makes a fresh stepper with its own state
(velocity, moments), so one rule can serve many descents. A stepper minimises; ascent is the descent of -f.

- `Fixed`: ``x - step * g``.
- `Armijo`: backtracking line search: the largest ``t = step * shrink**j`` with
  ``phi(x - t g) <= phi(x) - c t |g|^2`` (Nocedal & Wright, Numerical Optimization, algorithm 3.1).
- `HeavyBall`: Polyak's momentum, ``v = momentum v - step g(x); x = x + v``.
- `Nesterov`: ``v = momentum v - step g(x + momentum v); x = x + v`` (Sutskever et al. 2013).
- `Adam`: Kingma & Ba 2015, with bias-corrected moments.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

#: The names `descend` takes for `rule`.
RULES = ("fixed", "armijo", "heavy-ball", "nesterov", "adam")


@dataclass(frozen=True)
class Proposal:
    """The next point, its value when the rule evaluated it (else None), and whether the rule failed."""

    x: np.ndarray
    value: float | None = None
    failed: bool = False


Stepper = Callable[[np.ndarray, float, np.ndarray], Proposal]


def _positive(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be positive and finite, got {value!r}")
    return float(value)


def _fraction(value: float, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {value!r}")
    if not 0 <= value < 1:
        raise ValueError(f"{name} must be in [0, 1), got {value!r}")
    return float(value)


@dataclass(frozen=True)
class Fixed:
    """``x - step * grad``."""

    step: float = 0.1

    def __post_init__(self):
        _positive(self.step, "step")

    def start(self, n: int, value, gradient) -> Stepper:
        return lambda x, fx, g: Proposal(x - self.step * g)


@dataclass(frozen=True)
class Armijo:
    """Backtracking from `step`, shrinking by `shrink`, until f decreases by at least ``c * t * |g|^2``."""

    step: float = 1.0
    shrink: float = 0.5
    c: float = 1e-4
    max_backtracks: int = 60

    def __post_init__(self):
        _positive(self.step, "step")
        if not 0 < _positive(self.shrink, "shrink") < 1:
            raise ValueError(f"shrink must be in (0, 1), got {self.shrink!r}")
        if not 0 < _positive(self.c, "c") < 1:
            raise ValueError(f"c must be in (0, 1), got {self.c!r}")
        if not (isinstance(self.max_backtracks, int) and self.max_backtracks >= 1):
            raise ValueError(f"max_backtracks must be a positive integer, got {self.max_backtracks!r}")

    def start(self, n: int, value, gradient) -> Stepper:
        def stepper(x, fx, g):
            slope = float(g @ g)
            t = self.step
            for _ in range(self.max_backtracks + 1):
                trial = x - t * g
                f_trial = value(trial)
                # A nan value (outside f's domain) compares False: the step shrinks, as for too little decrease.
                if f_trial <= fx - self.c * t * slope:
                    return Proposal(trial, f_trial)
                t *= self.shrink
            return Proposal(x, fx, failed=True)

        return stepper


@dataclass(frozen=True)
class HeavyBall:
    """Polyak's heavy ball: the step keeps `momentum` of the previous one."""

    step: float = 0.1
    momentum: float = 0.9

    def __post_init__(self):
        _positive(self.step, "step")
        _fraction(self.momentum, "momentum")

    def start(self, n: int, value, gradient) -> Stepper:
        velocity = np.zeros(n)

        def stepper(x, fx, g):
            nonlocal velocity
            velocity = self.momentum * velocity - self.step * self._slope(x, g, velocity, gradient)
            return Proposal(x + velocity)

        return stepper

    def _slope(self, x, g, velocity, gradient) -> np.ndarray:
        return g


@dataclass(frozen=True)
class Nesterov(HeavyBall):
    """Nesterov's accelerated gradient: the gradient is taken at the look-ahead point ``x + momentum v``."""

    def _slope(self, x, g, velocity, gradient) -> np.ndarray:
        # At rest the look-ahead point is x itself, whose gradient the loop already has.
        return g if not velocity.any() else gradient(x + self.momentum * velocity)


@dataclass(frozen=True)
class Adam:
    """Adam: steps of about `step` along the bias-corrected mean gradient over its root mean square."""

    step: float = 1e-3
    beta1: float = 0.9
    beta2: float = 0.999
    eps: float = 1e-8

    def __post_init__(self):
        _positive(self.step, "step")
        _fraction(self.beta1, "beta1")
        _fraction(self.beta2, "beta2")
        _positive(self.eps, "eps")

    def start(self, n: int, value, gradient) -> Stepper:
        mean, square, count = np.zeros(n), np.zeros(n), 0

        def stepper(x, fx, g):
            nonlocal mean, square, count
            count += 1
            mean = self.beta1 * mean + (1 - self.beta1) * g
            square = self.beta2 * square + (1 - self.beta2) * g * g
            corrected_mean = mean / (1 - self.beta1**count)
            corrected_square = square / (1 - self.beta2**count)
            return Proposal(x - self.step * corrected_mean / (np.sqrt(corrected_square) + self.eps))

        return stepper


_BY_NAME = {"fixed": Fixed, "armijo": Armijo, "heavy-ball": HeavyBall, "nesterov": Nesterov, "adam": Adam}


def make_rule(rule: object, step: float | None, momentum: float | None):
    """The rule object for `rule` (a name in `RULES` or a rule object), with `step` and `momentum` applied."""
    if isinstance(rule, str):
        if rule not in _BY_NAME:
            raise ValueError(f"rule must be one of {RULES} or a rule object, got {rule!r}")
        kind = _BY_NAME[rule]
        options = {} if step is None else {"step": step}
        if momentum is not None:
            if kind not in (HeavyBall, Nesterov):
                raise ValueError(f"momentum applies to rule='heavy-ball' or 'nesterov', not {rule!r}")
            options["momentum"] = momentum
        return kind(**options)
    if not isinstance(rule, tuple(_BY_NAME.values())):
        raise TypeError(f"rule must be one of {RULES} or a rule object (Fixed, Armijo...), got {rule!r}")
    if step is not None or momentum is not None:
        raise ValueError("step and momentum are set on the rule object itself; pass them there")
    return rule
