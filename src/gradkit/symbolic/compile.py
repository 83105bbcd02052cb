"""Compiling a sympy tree that gradkit built into a vectorised NumPy function."""

from __future__ import annotations

import numpy as np
import sympy


def compile_expression(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]):
    """`lambdify` of our own tree (never of user text), with common subexpressions shared.

    Arguments are replaced by dummy names, so no variable name can reach the generated code.
    """
    modules = [{"cbrt": np.cbrt}, "numpy"]
    if expr.has(sympy.erf):  # only erf needs scipy, which is slow to import
        modules.append("scipy")
    return sympy.lambdify(symbols, expr, modules=modules, cse=True, dummify=True)
