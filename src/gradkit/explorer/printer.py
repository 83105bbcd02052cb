"""sympy trees printed in the formula syntax a person types: ``x^2``, ``abs``, ``min``, ``max``, ``e``."""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter


class _FormulaPrinter(StrPrinter):
    """sympy's own text, with the names of the parser's functions (abs, not Abs) and its constant e."""

    def _print_Abs(self, expr) -> str:  # noqa: N802
        return f"abs({self._print(expr.args[0])})"

    def _print_Min(self, expr) -> str:  # noqa: N802
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Max(self, expr) -> str:  # noqa: N802
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Exp1(self, expr) -> str:  # noqa: N802
        return "e"

    def _print_Heaviside(self, expr) -> str:  # noqa: N802
        # sympy's Heaviside is 1/2 at 0, as (1 + sign(u))/2 is, so this is the same function in the parser's words.
        if expr.args[1:] not in ((), (sympy.S.Half,)):
            return super()._print_Heaviside(expr)
        return f"(1 + sign({self._print(expr.args[0])}))/2"


_PRINTER = _FormulaPrinter({"full_prec": False})


def formula_text(expr: sympy.Expr) -> str:
    """`expr` as formula text: ``^`` for powers, the parser's function names, floats in their shortest form.

    Parameters
    ----------
    expr : sympy.Expr
        A tree gradkit built (a formula or one of its derivatives).

    Returns
    -------
    str
        Text the parser reads back to the same expression, except for DiracDelta (from derivatives of sign),
        which it prints under sympy's name because the parser has no such function.

    Examples
    --------
    >>> import gradkit as gk
    >>> [formula_text(d.expr) for d in gk.Expression("x^3*y + abs(y)").gradient()]
    ['3*x^2*y', 'x^3 + sign(y)']
    """
    # In sympy's text "**" appears only as the power operator (names and numbers never contain "*").
    return _PRINTER.doprint(expr).replace("**", "^")
