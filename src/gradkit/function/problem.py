"""Validation of the arguments shared by the derivative functions, once, at the edge."""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gradkit.function.evaluate import FLOAT64_EPS, Evaluator, off_single_grid
from gradkit.function.steps import check_step

METHODS = ("auto", "ad", "complex", "central", "forward", "backward", "richardson")
DEFAULT_RTOL = 1e-8
FLOAT64 = np.dtype(np.float64)
TINY = float(np.finfo(np.float64).tiny)


@dataclass
class Problem:
    """A validated request: f as an evaluator, the point, the coordinates to differentiate."""

    evaluator: Evaluator
    x0: np.ndarray  # float64 (n,): the point, flattened
    shape: tuple[int, ...]  # the shape of x
    coords: np.ndarray  # int (m,): flat indices of the coordinates to differentiate
    f0: np.ndarray  # f(x)
    step: np.ndarray | None  # (n,) user steps
    bounds: tuple[np.ndarray, np.ndarray] | None
    subset: bool  # wrt was given: the derivative axis has length m instead of x's shape
    dtype: np.dtype = FLOAT64  # of the results: float32 for a float32 x

    @property
    def size(self) -> int:
        return self.x0.size


def check_callable(f: object) -> None:
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")


def check_method(method: str, allowed: tuple[str, ...] = METHODS) -> str:
    if method not in allowed:
        raise ValueError(f"method must be one of {', '.join(map(repr, allowed))}, got {method!r}")
    return method


def floating_type(x: object) -> np.dtype:
    """The floating type of the results for x: float32 for a float32 (or float16) array, float64 otherwise."""
    dtype = getattr(x, "dtype", None)
    if isinstance(dtype, np.dtype) and dtype.kind == "f" and dtype.itemsize < 8:
        return np.dtype(np.float32)
    return np.dtype(np.float64)


def as_point(x: object, name: str = "x") -> np.ndarray:
    """x as a float64 array; anything that is not real numbers is a TypeError naming the argument."""
    try:
        array = np.asarray(x)
    except Exception:
        raise TypeError(f"{name} must be an array of real numbers, got {type(x).__name__}") from None
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {array.dtype}")
    array = array.astype(np.float64)
    if not all_finite(array):
        raise ValueError(f"{name} must be finite")
    return array


def prepare(
    f: Callable,
    x: object,
    *,
    wrt=None,
    args=(),
    kwargs=None,
    vectorized=False,
    workers=None,
    step=None,
    bounds=None,
    dtype=np.float64,
    estimated=True,
) -> Problem:
    """Validate everything and evaluate f(x) (which must be finite).

    `estimated`: an error estimate will be made, which needs to know f's precision (see below).
    """
    check_callable(f)
    point = as_point(x)
    if not isinstance(args, tuple):
        args = (args,)
    if kwargs is not None and not isinstance(kwargs, dict):
        raise TypeError(f"kwargs must be a dict, got {type(kwargs).__name__}")
    coords = wrt_indices(wrt, point.shape)
    x0 = point.reshape(-1)
    result_type = floating_type(x)
    single = np.float32 if result_type == np.float32 else None
    evaluator = Evaluator(
        f, args, kwargs, point.shape, vectorized=vectorized, workers=workers, dtype=dtype, point_type=single
    )
    box = check_bounds(bounds, x0)
    steps = check_step(step, x0, coords, real=np.dtype(dtype).kind != "c")
    f0 = evaluator.at(x0)
    if not all_finite(f0):
        shown = float(np.asarray(f0)) if np.ndim(f0) == 0 else f"{np.asarray(f0).tolist()}"
        raise ValueError(f"f(x) is not finite: {shown}; the derivative needs f defined at x")
    # f(x) is a float32 number: single precision, or exact arithmetic (a polynomial at 0.5)? One point
    # off float32's grid, inside the bounds and moving only the coordinates differentiated, tells them
    # apart before any step is judged by it.
    if estimated and len(coords) and evaluator.precision > FLOAT64_EPS:
        probe = x0.copy()
        upward = True if box is None else off_single_grid(x0[coords]) <= box[1][coords]
        probe[coords] = off_single_grid(x0[coords], upward)
        evaluator.probe_precision(probe)
    return Problem(evaluator, x0, point.shape, coords, np.asarray(f0), steps, box, wrt is not None, result_type)


def all_finite(values: object) -> bool:
    """Whether every element is finite; ``np.isfinite(values).all()`` without its fixed cost on few elements."""
    if isinstance(values, float):  # f(x) of a scalar f, most often (NumPy's float64 is a float)
        return math.isfinite(values)
    finite = np.isfinite(values)
    return np.count_nonzero(finite) == finite.size


def wrt_indices(wrt: object, shape: tuple[int, ...]) -> np.ndarray:
    """Flat indices selected by `wrt`: None (all), an int, a sequence of ints, a slice or a boolean mask."""
    size = math.prod(shape)
    if wrt is None:
        return np.arange(size)
    if isinstance(wrt, slice):
        indices = np.arange(size)[wrt]
    elif isinstance(wrt, (list, tuple)) and len(wrt) == 0:
        raise ValueError("wrt selects no element of x")
    else:
        selection = np.asarray(wrt)
        if selection.dtype == np.bool_:
            if selection.size != size:
                raise ValueError(f"wrt as a mask must have one entry per element of x ({size}), got {selection.size}")
            indices = np.flatnonzero(selection.reshape(-1))
        elif selection.dtype.kind in "iu":
            indices = selection.reshape(-1).astype(np.int64)
            out_of_range = indices[(indices < -size) | (indices >= size)]
            if len(out_of_range):
                raise ValueError(f"wrt index {int(out_of_range[0])} is out of range for x with {size} elements")
            indices = np.where(indices < 0, indices + size, indices)
        else:
            raise TypeError(f"wrt must be an int, a sequence of ints, a slice or a boolean mask, got {wrt!r}")
    if len(indices) == 0:
        raise ValueError("wrt selects no element of x")
    if len(np.unique(indices)) != len(indices):
        raise ValueError(f"wrt repeats an index: {indices.tolist()}")
    return indices


def check_bounds(bounds: object, x0: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    if bounds is None:
        return None
    try:
        lower, upper = bounds
        lower = np.broadcast_to(np.asarray(lower, dtype=np.float64).reshape(-1), x0.shape).copy()
        upper = np.broadcast_to(np.asarray(upper, dtype=np.float64).reshape(-1), x0.shape).copy()
    except (TypeError, ValueError):
        raise ValueError("bounds must be (lower, upper), each a number or one per element of x") from None
    if np.isnan(lower).any() or np.isnan(upper).any():
        raise ValueError("bounds must not be NaN (use -inf or inf for a side without a bound)")
    if np.any(lower >= upper):
        i = int(np.flatnonzero(lower >= upper)[0])
        raise ValueError(f"bounds must have lower < upper; for x[{i}] they are {lower[i]:g} and {upper[i]:g}")
    outside = (lower > x0) | (upper < x0)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise ValueError(f"x must lie inside bounds: x[{i}] = {x0[i]:g} is outside [{lower[i]:g}, {upper[i]:g}]")
    return lower, upper


def default_rtol(dtype=np.float64) -> float:
    """1e-8 for double precision; the square root of the precision for narrower floats (3.5e-4, float32)."""
    eps = float(np.finfo(dtype).eps) if np.dtype(dtype).kind == "f" else FLOAT64_EPS
    return DEFAULT_RTOL if eps <= FLOAT64_EPS else math.sqrt(eps)


def check_tolerances(rtol: object, atol: object, dtype=np.float64) -> tuple[float, float | None]:
    """`rtol` and `atol` as non-negative floats; rtol None is `default_rtol`, atol None stays None (the
    default depends on f: `resolved_atol`)."""
    checked = []
    for name, value, default in (("rtol", rtol, default_rtol(dtype)), ("atol", atol, None)):
        if value is None:
            checked.append(default)
            continue
        if not isinstance(value, numbers.Real):
            raise TypeError(f"{name} must be a number, got {value!r}")
        number = float(value)
        if not number >= 0 or math.isinf(number):
            raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        checked.append(number)
    return checked[0], checked[1]


def resolved_atol(
    atol: float | None, rtol: float, size: np.ndarray, x: np.ndarray, order: int = 1, *, elementwise=False
):
    """The absolute tolerance: the caller's, or by default `rtol` times the size of a derivative on f's own
    scale, ``|f| / max(|x|, 1)**order``, and never below the smallest normal number.

    `size` is f's size near x: the largest finite |f| at x and at the points evaluated (at most an eighth of
    ``max(|x|, 1)`` away). A fixed default (such as 1e-12) lets a problem whose values are all near 1e-13
    succeed with any error; this one scales with f. Where f is 0 everywhere it was evaluated the default is
    the smallest normal number, as SciPy's. With `elementwise`, one per element (size and x alike);
    otherwise the largest over f's outputs and x.
    """
    if atol is not None:
        return atol
    if not elementwise:  # one number, in Python floats (a few of them are cheaper so than in NumPy)
        largest = abs(np.asarray(size).item()) if np.size(size) == 1 else float(np.abs(size).max(initial=0.0))
        x = np.asarray(x, dtype=np.float64)
        if 0 < x.size <= 8:  # (NaN wins, as in NumPy's max, wherever it stands)
            sizes = [abs(v) for v in x.ravel().tolist()]
            farthest = math.nan if any(v != v for v in sizes) else max(sizes)
        else:
            farthest = float(np.abs(x).max(initial=0.0))
        try:
            size = largest / max(farthest, 1.0) ** order
        except OverflowError:  # |x|**order beyond float64 (a Hessian at 1e200): a derivative that much smaller
            size = 0.0
        return (rtol * size if math.isfinite(size) else 0.0) + TINY
    with np.errstate(over="ignore", invalid="ignore"):
        size = np.abs(size) / np.maximum(np.abs(x), 1.0) ** order
        atol = np.where(np.isfinite(size), rtol * size, 0.0) + TINY
    return float(atol) if np.ndim(atol) == 0 else atol


#: Where a retry on the other step scale is worth its evaluations: an error above this (or above rtol
#: relative), whatever the tolerance a caller's success needs.
RETRY_ATOL = 1e-12


def retry_atol(atol) -> object:
    """The absolute tolerance below which an answer is not retried on the other step scale: the smaller of
    `atol` (None: the default) and `RETRY_ATOL` (an f-scaled default atol of a large f would let coarse
    answers stand)."""
    return RETRY_ATOL if atol is None else np.minimum(atol, RETRY_ATOL)


def check_accuracy(accuracy: object) -> int:
    try:
        value = operator.index(accuracy)
    except TypeError:
        raise TypeError(f"accuracy must be an even integer from 2 to 10, got {accuracy!r}") from None
    if value < 1 or value > 10:
        raise ValueError(f"accuracy must be from 1 to 10 (even for central differences), got {value}")
    return value
