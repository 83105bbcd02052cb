"""Exact derivatives of a formula object, such as gradkit's `Expression`, passed where a callable is expected.

The function layer does not import the symbolic layer (layers depend downwards only). It recognises a
formula by its public methods instead: ``variables`` (a tuple of names), ``diff(name)`` (the exact partial
derivative, another formula), ``gradient()`` and ``evaluate(*values)`` (vectorized over arrays). Its
derivatives are then formulas too: evaluated at the point, they are exact, with error 0 and no
evaluation of a difference (``nfev`` 0).

Examples
--------
>>> import gradkit as gk
>>> r = gk.grad(gk.Expression("x^2*y"), [1.0, 2.0], full_output=True)
>>> r.value.tolist(), r.error.tolist(), r.nfev, r.method
([4.0, 1.0], [0.0, 0.0], 0, 'exact')
"""

from __future__ import annotations

import numpy as np

from gradkit.function.result import Result

#: What a formula object must have, read off gradkit's `Expression`.
FORMULA_API = ("variables", "diff", "gradient", "evaluate")


def is_formula(f: object) -> bool:
    """Whether f is a formula object with exact derivatives (duck-typed on `FORMULA_API`)."""
    return all(hasattr(f, name) for name in FORMULA_API) and isinstance(getattr(f, "variables", None), tuple)


def as_function(formula) -> callable:
    """The formula as ``f(point)`` over its variables in order, for the finite-difference methods."""

    def f(point):
        values = np.asarray(point)
        return formula.evaluate(*(values.T if values.ndim > 1 else values))  # a batch (k, n): one array per variable

    return f


def check_exact_options(**given: object) -> None:
    """An exact derivative takes no step: a finite-difference option given with it is an error, not ignored."""
    for name, value in given.items():
        if value is not None:
            raise ValueError(
                f"{name} is an option of finite differences; a formula is differentiated exactly (method='auto'). "
                "Pass method='richardson' (or another numerical method) to difference it instead"
            )


def _point(formula, x: object, dtype) -> tuple[np.ndarray, np.ndarray]:
    """x as (its array, its values flattened), one value per variable of the formula."""
    array = np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"x must be an array of real numbers, got dtype {array.dtype}")
    if array.size != len(formula.variables):
        raise ValueError(
            f"x must have one value per variable of the formula {formula.variables}: expected "
            f"{len(formula.variables)}, got {array.size}"
        )
    return array, array.reshape(-1).astype(np.float64)


def _verdict(value: np.ndarray, dtype, full_output: bool, nfev=0, elementwise: bool = False):
    """The exact value (in x's floating type), or a `Result` with error 0 where it is finite."""
    value = np.asarray(value).astype(np.result_type(value.dtype, dtype), copy=False)
    finite = np.isfinite(value)
    error = np.where(finite, 0.0, np.inf).astype(value.real.dtype)
    message = "exact" if finite.all() else "the exact derivative is not finite at some elements"
    if not full_output:
        if not finite.all():
            from gradkit.function.verdict import warn_inaccurate

            warn_inaccurate("exact", message)
        return value[()] if value.ndim == 0 else value
    if elementwise:
        status = np.where(finite, 0, -3)
        return Result(value, error, np.zeros(value.shape, dtype=np.int64), "exact", finite, message, status)
    return Result(value, error, nfev, "exact", bool(finite.all()), message)


def _float_type(array: np.ndarray):
    return array.dtype if array.dtype.kind == "f" and array.dtype.itemsize < 8 else np.float64


def exact_jacobian(formula, x, *, wrt_indices, full_output: bool, hessian: bool = False):
    """The gradient (or with `hessian`, the Hessian) of a formula at x: x's shape (+ x's shape), or ``(m,)``
    (``(m, m)``) for the flat indices `wrt_indices` (None: all)."""
    array, values = _point(formula, x, None)
    names = formula.variables
    chosen = range(len(names)) if wrt_indices is None else [int(i) for i in wrt_indices]
    with np.errstate(all="ignore"):
        if hessian:
            first = [formula.diff(names[i]) for i in chosen]
            value = np.array([[float(d.diff(names[j]).evaluate(*values)) for j in chosen] for d in first])
        else:
            value = np.array([float(formula.diff(names[i]).evaluate(*values)) for i in chosen])
    if wrt_indices is None:
        value = value.reshape(array.shape + array.shape if hessian else array.shape)
    return _verdict(value, _float_type(array), full_output)


def exact_directional(formula, x, v, *, full_output: bool):
    """``grad f . v`` of a formula at x."""
    array, values = _point(formula, x, None)
    direction = np.asarray(v, dtype=np.float64)
    if direction.shape != array.shape:
        raise ValueError(f"v must have x's shape {array.shape}, got {direction.shape}")
    with np.errstate(all="ignore"):
        gradient = np.array([float(d.evaluate(*values)) for d in formula.gradient()])
    return _verdict(np.asarray(gradient @ direction.reshape(-1)), _float_type(array), full_output)


def exact_derivative(formula, x, *, order: int, full_output: bool):
    """The `order`-th derivative of a formula of one variable at every element of x, with per-element results."""
    if len(formula.variables) != 1:
        raise ValueError(
            f"derivative differentiates a function of one variable; the formula has {formula.variables}: "
            "use gk.grad or gk.jacobian"
        )
    array = np.asarray(x)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"x must be an array of real numbers, got dtype {array.dtype}")
    derivative = formula
    for _ in range(order):
        derivative = derivative.diff(formula.variables[0])
    with np.errstate(all="ignore"):
        value = np.asarray(derivative.evaluate(array.astype(np.float64)))
    return _verdict(value, _float_type(array), full_output, elementwise=True)
