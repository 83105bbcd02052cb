"""Evaluating a function at many points: one batched call, a pool of workers, or one by one.

Every point really evaluated is counted, and a point where the function raises
or returns non-finite values gives NaN there instead of stopping the others
(the caller decides what to do with it).
"""

from __future__ import annotations

import math
import pickle
import weakref
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import numpy as np

FLOAT32_EPS = float(np.finfo(np.float32).eps)
FLOAT64_EPS = float(np.finfo(np.float64).eps)


class NotRealError(Exception):
    """f returned a complex number where the fast path expected a real one (the caller falls back)."""


class Evaluator:
    """Calls ``func(point, *args, **kwargs)`` for points of shape ``input_shape``.

    Parameters
    ----------
    func, args, kwargs
        The user's function and its extra arguments.
    input_shape : tuple
        Shape of one point.
    vectorized : bool or int
        `func` takes a batch ``(k, *input_shape)`` and returns ``(k, *output_shape)``; an int is the most
        points one call takes (`batch_size`).
    workers : int or map-like, optional
        An int runs a process pool of that many workers (`func` must be picklable);
        a callable ``workers(function, iterable)`` is used as a map, as in SciPy.
    """

    def __init__(
        self, func, args, kwargs, input_shape, *, vectorized=False, workers=None, dtype=np.float64, point_type=None
    ):
        self.func = func
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.input_shape = tuple(input_shape)
        self.vectorized, self.batch_size = check_vectorized(vectorized)
        if self.vectorized and self.batch_size is None:
            self.batch_size = cache_batch(math.prod(self.input_shape))
        # float32 for a float32 x: f gets its points in the caller's type (and computes as the caller does)
        self.point_type = point_type
        self.workers = workers
        self.dtype = dtype
        self.nfev = 0
        self.output_shape: tuple[int, ...] | None = None
        self.watch = PrecisionWatch()
        self.magnitude = 0.0  # the largest finite |f| seen: f's own scale, for the default atol
        self._pool: ProcessPoolExecutor | None = None
        if self.vectorized and workers is not None and not (isinstance(workers, int) and workers == 1):
            raise ValueError(
                f"vectorized={vectorized!r} evaluates the points in batched calls of f, so workers={workers!r} "
                "has nothing to share out; pass one or the other"
            )
        if isinstance(workers, int) and not isinstance(workers, bool) and workers > 1:
            self._check_picklable()

    def _check_picklable(self) -> None:
        """A process pool sends f and its arguments to other processes: say so before any work if it cannot."""
        try:
            pickle.dumps((self.func, self.args, self.kwargs))
        except Exception as error:  # pickle raises PicklingError, AttributeError or TypeError
            raise TypeError(
                f"workers={self.workers} evaluates f in other processes, so f, args and kwargs must be picklable "
                f"(a function defined at module level, not a lambda or a local function): {error}. "
                "Pass workers=<a map-like>, such as a ThreadPoolExecutor's map, to evaluate in this process."
            ) from None

    @property
    def precision(self) -> float:
        """Relative rounding of f's values: float32's while f looks computed in single precision, and always
        for a float32 x (f's arguments are rounded to float32, whatever it computes with them)."""
        if self.point_type is not None:
            return max(self.watch.precision, FLOAT32_EPS)
        return self.watch.precision

    @property
    def serial(self) -> bool:
        """Points are evaluated one call each, in this process (not in batches or a pool)."""
        return not self.vectorized and (self.workers is None or self.workers == 1)

    def scalars(self, points) -> list[float]:
        """A scalar f at each of `points` (flat points: a list, or the rows of an array), as floats.

        The fast path of serial evaluation for a scalar f: the same counting, failure handling (NaN where
        f fails) and precision detection as `many`, calling f back to back. Call it inside ``np.errstate``.
        Raises `NotRealError` (having counted the points evaluated) if f returns a complex number.
        """
        func, args, kwargs, shape = self.func, self.args, self.kwargs, self.input_shape
        if len(shape) != 1:  # a flat point already has the shape of a 1-D x
            points = [point.reshape(shape) for point in points]
        if self.point_type is not None:
            points = [self.typed(point) for point in points]
        results = []
        try:
            for point in points:
                try:
                    out = func(point, *args, **kwargs) if args or kwargs else func(point)
                except (ArithmeticError, ValueError, FloatingPointError):
                    out = math.nan
                results.append(float(out) if isinstance(out, float) else self._scalar(out))
        except NotRealError:
            self.nfev += len(results) + 1
            raise
        self.nfev += len(results)
        largest = max((abs(r) for r in results if r - r == 0), default=0.0)  # r - r == 0: finite
        self.magnitude = largest if largest > self.magnitude else self.magnitude
        if self.precision >= 1e-10:
            self.watch.note(np.array(results))
        return results

    def moved(self, x0: np.ndarray, coordinate: int, values) -> list[float]:
        """`scalars` at x0 with x0[coordinate] set to each of `values`."""
        points = []
        for value in values:
            point = x0.copy()
            point[coordinate] = value
            points.append(point)
        return self.scalars(points)

    def _scalar(self, out: object) -> float:
        array = np.asarray(out)
        if array.dtype.kind not in "biuf":
            if array.dtype.kind == "c":
                raise NotRealError
            raise TypeError(f"f must return numbers, got {type(out).__name__}")
        if array.shape != ():
            raise ValueError(f"f returned shape {array.shape} at one point and {self.output_shape} at x")
        return float(array)

    def at(self, point: np.ndarray) -> np.ndarray:
        """f at one point (raising what f raises): used for f(x) itself."""
        if self.vectorized:
            (value,) = self.many(point[None], raise_errors=True)
            return value
        self.nfev += 1
        value = self._checked(self.func(self.typed(point.reshape(self.input_shape)), *self.args, **self.kwargs))
        return self._noted(value[None])[0]

    def probe_precision(self, point: np.ndarray) -> None:
        """f at one more point, `point` (off float32's grid: see `off_single_grid`), only to tell exact
        arithmetic from single precision while f's values are all float32 numbers. Counted; a failure there
        teaches nothing and is ignored."""
        if self.precision < 1e-10:
            return
        self.nfev += 1
        shaped = self.typed(point.reshape(self.input_shape))
        try:
            with np.errstate(all="ignore"):
                value = self.func(shaped[None] if self.vectorized else shaped, *self.args, **self.kwargs)
        except (ArithmeticError, ValueError, FloatingPointError):
            return
        self.watch.note(np.asarray(value))

    def many(self, points: np.ndarray, *, raise_errors: bool = False) -> np.ndarray:
        """f at each of `points` (shape ``(k, n)``): an array ``(k, *output_shape)``."""
        points = np.asarray(points)
        k = points.shape[0]
        if k == 0:
            return np.empty((0, *(self.output_shape or ())))
        shaped = self.typed(points.reshape((k, *self.input_shape)))
        self.nfev += k
        if self.vectorized:
            size = k if self.batch_size is None else self.batch_size
            parts = [self._batch_call(shaped[start : start + size]) for start in range(0, k, size)]
            return self._noted(parts[0] if len(parts) == 1 else np.concatenate(parts))
        results = self._map(shaped, raise_errors)
        return self._noted(np.stack([self._checked(v) for v in results]))

    def displaced(self, x0: np.ndarray, coords: np.ndarray, offsets) -> np.ndarray:
        """f at x0 + o[i] * e_coords[i] for each array o of `offsets` (one offset per coordinate of `coords`),
        offset-major: `many` of those points. With a batch size the points are made one batch at a time, so
        that no array of them all is ever made (for a central step in n dimensions, 2n points of n values)."""
        k, m = len(offsets), len(coords)
        size = self.batch_size
        if size is None or not self.vectorized or k * m <= size:
            points = np.empty((k, m, x0.size))
            points[...] = x0
            points[:, np.arange(m), coords] += np.asarray(offsets)
            return self.many(points.reshape(k * m, x0.size))
        moves, columns = np.asarray(offsets).reshape(k * m), np.tile(coords, k)
        values = []
        for start in range(0, k * m, size):
            stop = min(start + size, k * m)
            points = np.empty((stop - start, x0.size))
            points[...] = x0
            points[np.arange(stop - start), columns[start:stop]] += moves[start:stop]
            values.append(self.many(points))
        return np.concatenate(values)

    def typed(self, points: np.ndarray) -> np.ndarray:
        """Points in the type f is given them: as they are, or in single precision for a float32 x."""
        if self.point_type is None:
            return points
        return points.astype(np.complex64 if np.iscomplexobj(points) else self.point_type)

    def _batch_call(self, shaped: np.ndarray) -> np.ndarray:
        """A vectorized f at the batch `shaped`, checked."""
        k = shaped.shape[0]
        values = np.asarray(self.func(shaped, *self.args, **self.kwargs))
        if values.shape[:1] != (k,):
            raise ValueError(
                f"vectorized f must return one value per point: got shape {values.shape} for "
                f"{k} point{'s' if k != 1 else ''} of shape {tuple(shaped.shape)}"
            )
        return np.stack([self._checked(v) for v in values]) if self.output_shape is None else self._batch(values)

    def _noted(self, values: np.ndarray) -> np.ndarray:
        self.watch.note(values)
        if values.size == 1:  # f(x) of a scalar f, most often: no array work
            number = abs(values.item())
            largest = number if math.isfinite(number) else 0.0
        else:
            with np.errstate(invalid="ignore"):
                largest = float(np.max(np.abs(values), initial=0.0, where=np.isfinite(values)))
        self.magnitude = max(self.magnitude, largest)
        return values

    def _batch(self, values: np.ndarray) -> np.ndarray:
        if values.shape[1:] != self.output_shape:
            raise ValueError(f"f returned shape {values.shape[1:]} at some points and {self.output_shape} at x")
        if values.dtype.kind not in "fc":
            if values.dtype.kind not in "biu":
                raise TypeError(f"f must return numbers, got an array of dtype {values.dtype}")
            values = values.astype(np.float64)
        return values

    def _map(self, shaped: np.ndarray, raise_errors: bool) -> list:
        call = _Call(self.func, self.args, self.kwargs, raise_errors)
        if self.workers is None or self.workers == 1:
            with np.errstate(all="ignore" if not raise_errors else "warn"):
                return [call(p) for p in shaped]
        if callable(self.workers):
            with np.errstate(all="ignore"):
                return list(self.workers(call, list(shaped)))
        if isinstance(self.workers, int) and self.workers > 1:
            return list(self._processes().map(call, list(shaped)))
        raise ValueError(f"workers must be None, an int >= 1 or a map-like callable, got {self.workers!r}")

    def _processes(self) -> ProcessPoolExecutor:
        """One pool for all the rounds of evaluation of this call, shut down when the evaluator is released."""
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
            weakref.finalize(self, self._pool.shutdown)
        return self._pool

    def _checked(self, value: object) -> np.ndarray:
        array = np.asarray(value)
        if array.dtype.kind not in "biufc":
            raise TypeError(f"f must return numbers, got {type(value).__name__}")
        if array.dtype.kind in "biu":  # booleans and integers take part in the differences as floats
            array = array.astype(np.float64)
        if self.output_shape is None:
            self.output_shape = array.shape
        elif array.shape != self.output_shape and array.shape != ():
            raise ValueError(f"f returned shape {array.shape} at one point and {self.output_shape} at x")
        elif array.shape == () and self.output_shape != ():
            return np.full(self.output_shape, np.nan)  # a failed point
        return array


def off_single_grid(x: np.ndarray, upward=True) -> np.ndarray:
    """x moved by about 2**-30 of max(|x|, 1) to numbers that are not float32 numbers.

    A function computed in single precision rounds them back to float32 and still returns float32 numbers;
    exact arithmetic on them (a polynomial at 0.5 + 2**-31) gives numbers with more than 24 bits, which
    tells it from single precision at once. `upward` (one bool per element) says which way each moves.
    """
    nudge = np.maximum(np.abs(x), 1.0) * 2.0**-30 * (1 + 2.0**-26)
    return np.where(upward, x + nudge, x - nudge)


class PrecisionWatch:
    """Whether f computes in single precision, judged from every value it has returned.

    f's values are float32 numbers if it computes in float32, whatever type it returns. Exact arithmetic
    on short binary fractions (a polynomial at x +- 1/8) gives float32 numbers too, but with short
    mantissas (13 of the 24 bits or fewer in the cases measured), where float32 results use 23 in the median:
    a few use fewer where f's terms cancel, one in 32 has five trailing zero bits by chance. So neither one
    value nor a few decide: the verdict "double" needs `EVIDENCE` float32 values whose median uses fewer
    than 17 bits, or one value that is not a float32 number, and is final. The derivative functions make
    sure of the latter early: f at one point off float32's grid (`off_single_grid`) is a float32 number
    only in single precision.
    """

    EVIDENCE = 4

    def __init__(self):
        self.precision = FLOAT32_EPS
        self._bits = np.zeros(25, dtype=np.int64)  # how many float32 values used each number of bits
        self._count = 0

    def note(self, values: np.ndarray) -> None:
        if self.precision < 1e-10:
            return
        values = np.asarray(values)
        if values.dtype.kind not in "fc":
            return
        if values.size == 1 and values.dtype.kind == "f":  # f(x) of a scalar f, most often: no array work
            number = float(values.reshape(()))
            if not math.isfinite(number) or number == 0:
                return
            if abs(number) >= 3e38 or float(np.float32(number)) != number:
                self.precision = FLOAT64_EPS
            else:
                self._bits[_mantissa_bits(number)] += 1
                self._count += 1
                self._judge()
            return
        finite = values[np.isfinite(values)]
        parts = (finite.real, finite.imag) if finite.dtype.kind == "c" else (finite,)
        with np.errstate(over="ignore"):
            single = all(np.array_equal(p.astype(np.float32), p) for p in parts)
        if not single:
            self.precision = FLOAT64_EPS
            return
        for part in parts:
            nonzero = part[part != 0]  # zero is a float32 number in every precision: it tells nothing
            self._bits += np.bincount(_significant_bits(nonzero).astype(np.int64), minlength=25)
            self._count += nonzero.size
        self._judge()

    def _judge(self) -> None:
        """Double once there is evidence enough and the median value uses fewer than 17 bits."""
        if self._count >= self.EVIDENCE and int(self._bits[:17].sum()) >= (self._count + 1) // 2:
            self.precision = FLOAT64_EPS


def _mantissa_bits(number: float) -> int:
    """`_significant_bits` of one float32 number, in Python."""
    integer = int(abs(math.frexp(number)[0]) * 2**24)
    return 24 - ((integer & -integer).bit_length() - 1) if integer else 0


def _significant_bits(values: np.ndarray) -> np.ndarray:
    """Bits of the 24-bit mantissa that float32-exact `values` use (0 for zero)."""
    mantissa, _ = np.frexp(values)
    integers = np.abs(mantissa * 2.0**24).astype(np.int64)
    lowest = integers & -integers
    with np.errstate(divide="ignore"):
        trailing = np.where(integers > 0, np.log2(np.maximum(lowest, 1)), 24)
    return 24 - trailing


class _Call:
    """A picklable ``point -> f(point, *args, **kwargs)`` that turns failures into NaN."""

    def __init__(self, func: Callable, args: tuple, kwargs: dict, raise_errors: bool):
        self.func, self.args, self.kwargs, self.raise_errors = func, args, kwargs, raise_errors

    def __call__(self, point: np.ndarray) -> object:
        if self.raise_errors:
            return self.func(point, *self.args, **self.kwargs)
        try:
            return self.func(point, *self.args, **self.kwargs)
        except (ArithmeticError, ValueError, FloatingPointError):
            return np.nan


#: The bytes of points one call of a vectorized f gets by default: f's own arrays of that size stay in a
#: core's cache (measured: the 1000-D Rosenbrock function runs 2.5x faster on 128 points a call than on 2000).
CACHE_BYTES = 1 << 20


def cache_batch(point_size: int) -> int:
    """How many points of `point_size` float64 values make a cache-sized batch (`CACHE_BYTES`)."""
    return max(1, CACHE_BYTES // (8 * max(point_size, 1)))


def check_vectorized(vectorized: object) -> tuple[bool, int | None]:
    """(vectorized, batch size) from the `vectorized` argument: False, True (every point in one call) or the
    most points one call takes, an int >= 1."""
    if vectorized is None or isinstance(vectorized, (bool, np.bool_)):
        return bool(vectorized), None
    if isinstance(vectorized, (int, np.integer)):
        if vectorized < 1:
            raise ValueError(f"vectorized must be True, False or a batch size >= 1, got {vectorized}")
        return True, int(vectorized)
    raise TypeError(f"vectorized must be True, False or a batch size (an int), got {type(vectorized).__name__}")
