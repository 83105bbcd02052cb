"""f as the descent loop sees it: the value and gradient at a flat float64 point, with counts.

A Python callable gets its gradient from the user's `jac`, or from `gk.grad` (finite differences, or
automatic differentiation when x0 is a torch tensor or JAX array); an `Expression` (or formula text) from its
exact partial derivatives, compiled once. Sampled grids live in `sampled.py`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from gradkit.function.autodiff import backend_of
from gradkit.function.native import as_numpy


class Objective:
    """Value and gradient of f at points of shape ``(n,)``, counting evaluations of each.

    Subclasses implement `_value` and `_gradient`; `value_and_gradient` may share work between them.
    `box` is the region where f is known (a grid's extent), None when f is defined everywhere.
    """

    box: tuple[np.ndarray, np.ndarray] | None = None

    def __init__(self, n: int):
        self.n = n
        self.nfev = 0
        self.njev = 0

    def value(self, x: np.ndarray) -> float:
        self.nfev += 1
        return self._value(x)

    def gradient(self, x: np.ndarray) -> np.ndarray:
        self.njev += 1
        return self._gradient(x)

    def value_and_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        return self.value(x), self.gradient(x)

    def _value(self, x: np.ndarray) -> float:
        raise NotImplementedError

    def _gradient(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class CallableObjective(Objective):
    """A Python callable ``f(x, *args)`` of an array shaped like x0."""

    def __init__(self, f: Callable, x0: object, *, jac=None, method: str = "auto", args: tuple = ()):
        shape = tuple(np.shape(x0))
        super().__init__(int(np.prod(shape, dtype=int)))
        self.f, self.shape, self.args, self.jac, self.method = f, shape, tuple(args), jac, method
        # AD needs f called with x0's own library (torch or JAX); the loop keeps NumPy points.
        self.library = backend_of(x0)
        self._like = x0 if self.library is not None else None

    def _point(self, x: np.ndarray) -> object:
        point = x.reshape(self.shape)
        if self.library == "torch":
            import torch

            return torch.as_tensor(point, dtype=self._like.dtype, device=self._like.device)
        if self.library == "jax":
            import jax.numpy as jnp

            return jnp.asarray(point, dtype=self._like.dtype)
        return point

    def _value(self, x: np.ndarray) -> float:
        out = self.f(self._point(x), *self.args)
        if self.jac is True:
            out = out[0]
        return _scalar(as_numpy(out), "f(x)")

    def _gradient(self, x: np.ndarray) -> np.ndarray:
        if self.jac is True:
            self.nfev += 1
            return _flat(as_numpy(self.f(self._point(x), *self.args)[1]), self.n, "the gradient f returns")
        if callable(self.jac):
            return _flat(as_numpy(self.jac(self._point(x), *self.args)), self.n, "jac(x)")
        from gradkit.function import grad

        found = grad(self.f, self._point(x), method=self.method, args=self.args, full_output=True)
        # As SciPy counts: every call of f, those made by finite differences included.
        self.nfev += found.nfev if found.method != "ad" else 0
        return _flat(as_numpy(found.value), self.n, "the gradient")

    def value_and_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        if self.jac is True:  # scipy's convention: f returns (value, gradient) in one call
            self.nfev += 1
            self.njev += 1
            value, gradient = self.f(self._point(x), *self.args)
            return _scalar(as_numpy(value), "f(x)"), _flat(as_numpy(gradient), self.n, "the gradient f returns")
        return super().value_and_gradient(x)


class ExpressionObjective(Objective):
    """An `Expression` in n variables, its partial derivatives differentiated once, exactly.

    f and its gradient are compiled together into one function of n scalars (sympy's common
    subexpressions shared between them), called with NumPy scalars: a point costs a few microseconds, where
    `Expression.evaluate`'s array handling costs tens. NumPy scalars (not Python floats) so that a point
    outside f's domain gives nan or inf, as arrays do, instead of raising.
    """

    def __init__(self, expression):
        super().__init__(len(expression.variables))
        self.expression = expression
        self._f, self._both = _compiled(expression.expr, tuple(expression.variables))

    def _value(self, x: np.ndarray) -> float:
        with np.errstate(all="ignore"):  # a point outside f's domain is reported as non-finite, not warned
            return _real_scalar(self._f(*x))

    def _gradient(self, x: np.ndarray) -> np.ndarray:
        return self._evaluate_both(x)[1:]

    def value_and_gradient(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        self.nfev += 1
        self.njev += 1
        both = self._evaluate_both(x)
        return float(both[0]), both[1:]

    def _evaluate_both(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.array([_real_scalar(v) for v in self._both(*x)])


@functools.lru_cache(maxsize=32)
def _compiled(expr, variables: tuple[str, ...]):
    """f and (f, gradient) compiled, kept for the next path on the same formula (the explorer asks often)."""
    import sympy

    from gradkit.symbolic.compile import compile_expression

    symbols = tuple(sympy.Symbol(v, real=True) for v in variables)
    partials = [sympy.diff(expr, s) for s in symbols]
    return compile_expression(expr, symbols), compile_expression(sympy.Tuple(expr, *partials), symbols)


def _real_scalar(value: object) -> float:
    # A complex result (a real formula outside its domain) is nan, as `Expression.evaluate` makes it.
    value = complex(value) if np.iscomplexobj(value) else value
    if isinstance(value, complex):
        return value.real if value.imag == 0 else float("nan")
    return float(value)


def make_objective(f: object, x0: object, *, jac=None, method: str = "auto", args: tuple = (), coords=None):
    """The `Objective` for f: an array with `coords` (a grid), an Expression or formula text, or a callable."""
    if isinstance(f, np.ndarray) or coords is not None:
        if jac is not None:
            raise ValueError("jac applies to a callable f, not to a grid of values")
        from gradkit.paths.sampled import GridObjective

        return GridObjective(f, coords)
    if isinstance(f, str) or _is_expression(f):
        if jac is not None:
            raise ValueError("jac applies to a callable f; an Expression's gradient is exact")
        from gradkit.symbolic import Expression

        return ExpressionObjective(f if isinstance(f, Expression) else Expression(f))
    if not callable(f):
        raise TypeError(
            f"f must be a callable, an Expression, formula text or an array of values on a grid, got {type(f).__name__}"
        )
    if not (jac is None or jac is True or callable(jac)):
        raise TypeError(f"jac must be None, True (f returns value and gradient) or a callable, got {jac!r}")
    return CallableObjective(f, x0, jac=jac, method=method, args=args)


def read_start(x0: object, objective: Objective) -> tuple[np.ndarray, tuple[int, ...]]:
    """x0 as a flat float64 array, checked against f, and the shape f takes its points in."""
    array = np.asarray(as_numpy(x0))
    if array.dtype.kind not in "biuf":
        raise TypeError(f"x0 must be real numbers, got dtype {array.dtype}")
    shape = array.shape if hasattr(objective, "shape") else (objective.n,)
    if array.size != objective.n:
        raise ValueError(f"x0 must have {objective.n} coordinates (one per variable of f), got shape {array.shape}")
    start = array.astype(np.float64).reshape(-1)
    if not np.isfinite(start).all():
        raise ValueError(f"x0 must be finite, got {array.tolist()}")
    return start, shape


def _is_expression(f: object) -> bool:
    # Without importing sympy: only an Expression can be one, and then gradkit.symbolic is loaded.
    import sys

    symbolic = sys.modules.get("gradkit.symbolic.expression")
    return symbolic is not None and isinstance(f, symbolic.Expression)


def _scalar(value: object, name: str) -> float:
    array = np.asarray(value)
    if array.size != 1:
        raise ValueError(f"{name} must return a single number, got shape {array.shape}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be a real number, got dtype {array.dtype}")
    return float(array.reshape(()))


def _flat(value: object, n: int, name: str) -> np.ndarray:
    array = np.asarray(value, dtype=np.float64).reshape(-1)
    if array.size != n:
        raise ValueError(f"{name} must have one value per coordinate of x0 ({n}), got {array.size}")
    return array
