"""Step sizes: relative to |x|, with an absolute floor near zero."""

from __future__ import annotations

import numpy as np

EPS = float(np.finfo(np.float64).eps)  # a Python float: the scalar paths stay in Python floats
#: Below this |x| a step is taken relative to 1 instead (an absolute floor).
FLOOR = 1.0


def step_scale(x: np.ndarray) -> np.ndarray:
    """The length a step is measured against: ``max(|x|, 1)``."""
    return np.maximum(np.abs(x), FLOOR)


def fixed_step(x: np.ndarray, order: int, accuracy: int) -> np.ndarray:
    """The step balancing truncation (~h**accuracy) and rounding (~eps/h**order) errors."""
    return EPS ** (1.0 / (accuracy + order)) * step_scale(x)


def first_richardson_step(x: np.ndarray, *, relative: bool = False) -> np.ndarray:
    """The largest step of a Richardson sequence: 1/8 of ``max(|x|, 1)``, or of ``|x|`` when `relative`."""
    scale = np.where(np.abs(x) > 0, np.abs(x), FLOOR) if relative else step_scale(x)
    return 0.125 * scale


def check_step(step: object, size: int) -> np.ndarray | None:
    """A user's `step` (scalar or one per coordinate) as positive floats, or None."""
    if step is None:
        return None
    try:
        values = np.broadcast_to(np.asarray(step, dtype=np.float64), (size,)).copy()
    except (TypeError, ValueError):
        raise ValueError(f"step must be a positive number or one per coordinate ({size}), got {step!r}") from None
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError(f"step must be positive and finite, got {step!r}")
    return values
