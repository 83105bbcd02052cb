"""Formulas as text in gradkit's own syntax, which its parser reads back to the same tree.

sympy's printer writes ``Abs(x)``, ``Min(x, y)``, ``E`` and floats to 15 digits, which gradkit's parser would
refuse or read as something else; this one writes ``abs``, ``min``, ``e``, ``^`` and each float's shortest
exact form.
"""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter


class _Printer(StrPrinter):
    def _print_Abs(self, expr):  # noqa: N802 - sympy dispatches on these names
        return f"abs({self._print(expr.args[0])})"

    def _print_Min(self, expr):  # noqa: N802 - sympy dispatches on these names
        return f"min({', '.join(self._print(a) for a in expr.args)})"

    def _print_Max(self, expr):  # noqa: N802 - sympy dispatches on these names
        return f"max({', '.join(self._print(a) for a in expr.args)})"

    def _print_Exp1(self, expr):  # noqa: N802 - sympy dispatches on these names
        return "e"

    def _print_Heaviside(self, expr):  # noqa: N802 - sympy dispatches on these names
        return f"heaviside({self._print(expr.args[0])})"

    def _print_DiracDelta(self, expr):  # noqa: N802 - sympy dispatches on these names
        if len(expr.args) == 1 or expr.args[1] == 0:
            return f"dirac({self._print(expr.args[0])})"
        return f"dirac({self._print(expr.args[0])}, {self._print(expr.args[1])})"

    def _print_Float(self, expr):  # noqa: N802 - sympy dispatches on these names
        if expr._prec <= 53:  # a double: its shortest repr reads back to the same bits
            text = repr(float(expr))
            return text if "e" not in text else text.replace("e+", "e")
        return super()._print_Float(expr)

    def _print_Pow(self, expr, rational=False):  # noqa: N802 - sympy dispatches on these names
        return super()._print_Pow(expr, rational).replace("**", "^")


def to_text(expr: sympy.Expr) -> str:
    """`expr` as a formula in gradkit's syntax (``^`` for powers, ``abs``, ``min``, ``max``, ``e``).

    Examples
    --------
    >>> import sympy
    >>> x, y = sympy.symbols("x y", real=True)
    >>> to_text(sympy.Min(x, y) ** 2 + sympy.Float(0.1))
    'min(x, y)^2 + 0.1'
    >>> to_text(sympy.Abs(x) + sympy.E)
    'abs(x) + e'
    """
    return _Printer().doprint(expr)
