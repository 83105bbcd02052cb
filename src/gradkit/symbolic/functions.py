"""The functions and constants a formula may use, as sympy objects."""

from __future__ import annotations

import sympy


class cbrt(sympy.Function):  # noqa: N801 - the name a formula uses
    """The real cube root (sympy's own cbrt is the principal, complex one for negative x).

    It stays unevaluated in sympy and becomes `numpy.cbrt` when compiled.
    """

    def fdiff(self, argindex=1):
        return 1 / (3 * cbrt(self.args[0]) ** 2)

    def _eval_evalf(self, prec):
        """The real root of a real number (cbrt(-8) is -2), so constant parts evaluate as NumPy does."""
        value = self.args[0]._eval_evalf(prec)
        if value is None or not value.is_extended_real:
            return None
        return sympy.sign(value) * (sympy.Abs(value) ** sympy.Rational(1, 3))._eval_evalf(prec)

    def _latex(self, printer, exp=None):
        root = r"\sqrt[3]{" + printer._print(self.args[0]) + "}"
        return root if exp is None else rf"\left({root}\right)^{{{exp}}}"


def _log(base: int):
    return lambda x: sympy.log(x, base)


def _dirac(x, order=0):
    return sympy.DiracDelta(x, order) if order else sympy.DiracDelta(x)


# name -> (number of arguments: an int, None for two or more, or (fewest, most); builder).
# heaviside and dirac are there because derivatives of max, min and sign contain them, and what gradkit
# prints must parse back; pow is built by the parser itself, which checks its size as it does for ^.
FUNCTIONS = {
    "sin": (1, sympy.sin),
    "cos": (1, sympy.cos),
    "tan": (1, sympy.tan),
    "sec": (1, sympy.sec),
    "csc": (1, sympy.csc),
    "cot": (1, sympy.cot),
    "asin": (1, sympy.asin),
    "acos": (1, sympy.acos),
    "atan": (1, sympy.atan),
    "atan2": (2, sympy.atan2),
    "sinh": (1, sympy.sinh),
    "cosh": (1, sympy.cosh),
    "tanh": (1, sympy.tanh),
    "asinh": (1, sympy.asinh),
    "acosh": (1, sympy.acosh),
    "atanh": (1, sympy.atanh),
    "exp": (1, sympy.exp),
    "log": (1, sympy.log),
    "log10": (1, _log(10)),
    "log2": (1, _log(2)),
    "sqrt": (1, sympy.sqrt),
    "cbrt": (1, cbrt),
    "pow": (2, sympy.Pow),
    "abs": (1, sympy.Abs),
    "sign": (1, sympy.sign),
    "heaviside": (1, sympy.Heaviside),
    "dirac": ((1, 2), _dirac),
    "erf": (1, sympy.erf),
    "min": (None, sympy.Min),
    "max": (None, sympy.Max),
    "hypot": (2, lambda x, y: sympy.sqrt(x**2 + y**2)),
}

#: Other names people type for the same functions (NumPy's arc names, ln).
ALIASES = {
    "ln": "log",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arctan2": "atan2",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "absolute": "abs",
    "power": "pow",
}

CONSTANTS = {"pi": sympy.pi, "e": sympy.E}

#: How our own sympy functions become NumPy functions in `lambdify`.
NUMPY_TRANSLATIONS = {"cbrt": "cbrt"}
