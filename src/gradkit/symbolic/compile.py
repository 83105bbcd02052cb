"""Compiling a sympy tree that gradkit built into a vectorised NumPy function."""

from __future__ import annotations

import numpy as np
import sympy


def compile_expression(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]):
    """`lambdify` of our own tree (never of user text), with common subexpressions shared.

    Arguments are replaced by dummy names, so no variable name can reach the generated code.
    """
    modules = [{"cbrt": np.cbrt, "DiracDelta": dirac_delta}, "numpy"]
    if expr.has(sympy.erf):  # only erf needs scipy, which is slow to import
        modules.append("scipy")
    return sympy.lambdify(symbols, expr, modules=modules, cse=True, dummify=True)


def dirac_delta(value, order=0):
    """DiracDelta (and its derivatives) as values: 0 away from 0, nan at 0, where the derivative does not exist.

    It appears in derivatives of sign(x) (and of abs(x), twice); sympy's own printer has no NumPy form for it.
    """
    value = np.asarray(value, dtype=np.float64)
    return np.where(value == 0, np.nan, 0.0)
