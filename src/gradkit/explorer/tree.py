"""A sympy tree gradkit built, as JSON the page evaluates itself (no code is sent, only data)."""

from __future__ import annotations

import sympy

from gradkit.symbolic.functions import cbrt

_FUNCTIONS = {
    sympy.sin: "sin",
    sympy.cos: "cos",
    sympy.tan: "tan",
    sympy.asin: "asin",
    sympy.acos: "acos",
    sympy.atan: "atan",
    sympy.sinh: "sinh",
    sympy.cosh: "cosh",
    sympy.tanh: "tanh",
    sympy.asinh: "asinh",
    sympy.acosh: "acosh",
    sympy.atanh: "atanh",
    sympy.exp: "exp",
    sympy.log: "log",
    sympy.Abs: "abs",
    sympy.sign: "sign",
    sympy.erf: "erf",
    cbrt: "cbrt",
    sympy.atan2: "atan2",
    sympy.Min: "min",
    sympy.Max: "max",
}


def to_tree(expr: sympy.Expr) -> list:
    """Nested lists: ["num", v], ["var", name], ["add", ...], ["mul", ...], ["pow", b, e], ["call", name, ...].

    Functions sympy rewrote (sec, cot, Heaviside from derivatives of abs...) are expressed in the ones above.
    """
    if expr.is_Symbol:
        return ["var", expr.name]
    if expr.is_Number or expr in (sympy.pi, sympy.E) or expr.is_number:
        return ["num", float(expr.evalf(17))]
    if expr.is_Add:
        return ["add", *[to_tree(a) for a in expr.args]]
    if expr.is_Mul:
        return ["mul", *[to_tree(a) for a in expr.args]]
    if expr.is_Pow:
        return ["pow", to_tree(expr.base), to_tree(expr.exp)]
    if isinstance(expr, sympy.DiracDelta):
        return ["call", "dirac", to_tree(expr.args[0])]
    if isinstance(expr, sympy.Heaviside):
        return ["call", "heaviside", to_tree(expr.args[0])]
    if isinstance(expr, sympy.sec):
        return ["pow", ["call", "cos", to_tree(expr.args[0])], ["num", -1.0]]
    if isinstance(expr, sympy.csc):
        return ["pow", ["call", "sin", to_tree(expr.args[0])], ["num", -1.0]]
    if isinstance(expr, sympy.cot):
        return ["pow", ["call", "tan", to_tree(expr.args[0])], ["num", -1.0]]
    for function, name in _FUNCTIONS.items():
        if isinstance(expr, function):
            return ["call", name, *[to_tree(a) for a in expr.args]]
    raise ValueError(f"the page cannot evaluate {type(expr).__name__}")
