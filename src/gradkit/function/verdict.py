"""Judging a derivative: error estimates against the tolerances, the message, the warning or the `Result`."""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np

from gradkit.function.finite import Columns
from gradkit.function.problem import Problem
from gradkit.function.result import Result

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def finish(
    problem: Problem,
    columns: Columns,
    method: str,
    rtol: float,
    atol: float | None,
    full_output: bool,
    normwise: bool = False,
):
    """Value, error and verdict in x's shapes: the value (warning when untrustworthy) or a `Result`.

    `normwise`: rtol is relative to the largest |value| (a Hessian's zero elements carry the rounding of
    f, which is small next to its other elements).
    """
    value, error = narrowed(assemble(problem, columns.value), assemble(problem, columns.error), problem.dtype)
    magnitude = np.full_like(value, np.abs(value).max(initial=0.0)) if normwise else value
    fine = all_true(within(magnitude, error, rtol, atol)) if columns.estimated else True
    success = fine and not np.count_nonzero(columns.suspect)
    notes = list(dict.fromkeys(columns.notes))
    if not fine:
        with np.errstate(divide="ignore", invalid="ignore"):
            excess = np.where(np.isfinite(error), error / (atol + rtol * np.abs(magnitude)), np.inf)
        worst = np.unravel_index(np.nanargmax(np.where(np.isnan(excess), np.inf, excess)), error.shape)
        notes.append(
            f"the error estimate {error[worst]:.3g} at index {tuple(int(i) for i in worst)} exceeds "
            f"atol + rtol*{'max|value|' if normwise else '|value|'} (rtol={rtol:g}, atol={atol:g})"
        )
    message = "; ".join(notes) if notes else "converged within tolerance"
    if full_output:
        return Result(value, error, problem.evaluator.nfev, method, success, message)
    if not success:
        warn_inaccurate(method, message)
    return value


def narrowed(value: np.ndarray, error: np.ndarray, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Value and error in the results' floating type (complex values in its complex counterpart); the error
    grows by what rounding the value to that type moved it, so that it still bounds the truth."""
    if np.dtype(dtype) == np.float64:
        return value, error
    typed = value.astype(np.complex64 if np.iscomplexobj(value) else dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        moved = np.abs(typed.astype(value.dtype) - value)
        wider = np.where(np.isfinite(moved), error + moved, error).astype(np.float32)
    # rounding the error itself to float32 must not shrink it
    wider = np.where(
        wider.astype(np.float64) < error + np.nan_to_num(moved), np.nextafter(wider, np.float32(np.inf)), wider
    )
    return typed, wider


def assemble(problem: Problem, columns: np.ndarray) -> np.ndarray:
    """Columns (m, *output_shape) -> output_shape + x.shape (or + (m,) for a subset)."""
    moved = np.moveaxis(columns, 0, -1) if columns.ndim > 1 else columns
    if problem.subset:
        return moved
    return moved.reshape(problem.f0.shape + problem.shape)


def all_true(mask: np.ndarray) -> bool:
    """``mask.all()`` in a fraction of its fixed cost (it is called on a few elements, per derivative)."""
    return bool(np.count_nonzero(mask) == mask.size)


def within(value, error, rtol: float, atol: float) -> np.ndarray:
    """Elementwise: the error estimate meets the tolerance (False where either is NaN)."""
    # rtol = 0 must not meet an infinite value (0 * inf); NaN compares False without a warning.
    return np.asarray(error <= (atol + rtol * np.abs(value) if rtol else atol))


def warn_inaccurate(method: str, message: str) -> None:
    """A `RuntimeWarning` attributed to the line that called gradkit."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(f"gradkit: the {method} derivative may be inaccurate: {message}", RuntimeWarning, stacklevel=level)
