"""`Expression`: a formula typed by a person, its exact derivatives and a compiled vectorised function."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import sympy

from gradkit.symbolic.errors import FormulaError
from gradkit.symbolic.parse import parse
from gradkit.symbolic.printing import to_text


class Expression:
    """A formula in variables, parsed safely and differentiated exactly.

    Parameters
    ----------
    text : str
        The formula: numbers, variable names, ``+ - * / ** ^``, parentheses, ``|x|``, the functions sin cos
        tan sec csc cot asin acos atan atan2 sinh cosh tanh asinh acosh atanh exp log log10 log2 sqrt cbrt
        pow abs sign heaviside dirac erf min max hypot (and the aliases ln, arcsin, arctan...), and the
        constants pi and e. It is read by an allowlisted parser; nothing in it is ever executed.
    variables : sequence of str, optional
        The variables, in the order `evaluate` and `grad_at` take them. By default the names used, sorted.
        Variables listed but not used are allowed (their partial derivative is 0).

    Raises
    ------
    FormulaError
        A `ValueError` naming what was wrong and its column.

    Examples
    --------
    >>> import gradkit as gk
    >>> e = gk.Expression("exp(-x^2)*exp(-y^2)")
    >>> e.variables
    ('x', 'y')
    >>> [str(d) for d in e.gradient()]
    ['-2*x*exp(-x^2)*exp(-y^2)', '-2*y*exp(-x^2)*exp(-y^2)']
    >>> [round(float(v), 12) for v in e.grad_at(x=0.3, y=-0.7)]
    [-0.335939019939, 0.783857713192]
    """

    def __init__(self, text: str, variables: Sequence[str] | None = None):
        parsed = parse(text)
        self.text = text
        _check_real(parsed.expr)
        self.expr = _as_printed(parsed.expr)
        self.variables = _check_variables(variables, parsed.names)
        self._symbols = tuple(sympy.Symbol(v, real=True) for v in self.variables)
        self._compiled = None

    @classmethod
    def _from_tree(cls, expr: sympy.Expr, variables: tuple[str, ...], text: str) -> Expression:
        made = cls.__new__(cls)
        made.text = text
        made.expr = expr
        made.variables = variables
        made._symbols = tuple(sympy.Symbol(v, real=True) for v in variables)
        made._compiled = None
        return made

    def diff(self, variable: str, n: int = 1) -> Expression:
        """The exact `n`-th partial derivative with respect to `variable`, in the same variables.

        Examples
        --------
        >>> import gradkit as gk
        >>> str(gk.Expression("x^3*y").diff("x", 2))
        '6*x*y'
        """
        if variable not in self.variables:
            raise ValueError(f"variable must be one of {self.variables}, got {variable!r}")
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"n must be a whole number >= 0, got {n!r}")
        derivative = _as_printed(_evaluated(sympy.diff(self.expr, sympy.Symbol(variable, real=True), int(n))))
        return Expression._from_tree(derivative, self.variables, to_text(derivative))

    def gradient(self) -> tuple[Expression, ...]:
        """The exact partial derivatives, one per variable, each in all of the parent's variables."""
        return tuple(self.diff(v) for v in self.variables)

    def hessian(self) -> tuple[tuple[Expression, ...], ...]:
        """The exact second partial derivatives: ``hessian()[i][j]`` is d²f/(dv_i dv_j), a symmetric matrix.

        Examples
        --------
        >>> import gradkit as gk
        >>> [[str(d) for d in row] for row in gk.Expression("x^2*y + y^3").hessian()]
        [['2*y', '2*x'], ['2*x', '6*y']]
        """
        first = self.gradient()
        rows = [[None] * len(first) for _ in first]
        for i, partial in enumerate(first):
            for j in range(i, len(first)):
                rows[i][j] = rows[j][i] = partial.diff(self.variables[j])
        return tuple(tuple(row) for row in rows)

    def hessian_at(self, *values: float, **named: float) -> np.ndarray:
        """The exact Hessian at one point, shape (n, n) for n variables (or (n, n, ...) at arrays of points)."""
        arrays = self._arguments(values, named)
        return np.stack([np.stack([d.evaluate(*arrays).real for d in row]) for row in self.hessian()])

    def evaluate(self, *values: object, **named: object) -> np.ndarray:
        """The formula at arrays of points (broadcast together), compiled once.

        Values are given positionally in `variables` order or by name. A constant formula broadcasts to the
        inputs' shape. Points outside the domain (log of a negative number) give nan with a RuntimeWarning,
        as NumPy does, following ``np.errstate`` as NumPy's functions do.
        """
        arrays = self._arguments(values, named)
        if self._compiled is None:
            from gradkit.symbolic.compile import compile_expression

            self._compiled = compile_expression(self.expr, self._symbols)
        shape = np.broadcast_shapes(*(np.shape(a) for a in arrays)) if arrays else ()
        if self._elementwise_branches and arrays:
            # max, min and their slopes compile to numpy.select over comparisons, which need operands of one
            # shape: a row, a column and a scalar are broadcast to it first
            arrays = np.broadcast_arrays(*arrays)
        result = np.asarray(self._compiled(*arrays))
        complex_input = any(a.dtype.kind == "c" for a in arrays)
        if result.dtype.kind == "c" and not complex_input:
            result = np.where(np.abs(result.imag) > 0, np.nan, result.real)
        dtype = np.complex128 if complex_input else np.float64
        return np.array(np.broadcast_to(result, shape), dtype=dtype)

    @functools.cached_property
    def _elementwise_branches(self) -> bool:
        return self.expr.has(sympy.Max, sympy.Min, sympy.Heaviside, sympy.Piecewise)

    def grad_at(self, *values: float, **named: float) -> np.ndarray:
        """The exact gradient at one point (or at arrays of points, stacked along the first axis)."""
        arrays = self._arguments(values, named)
        return np.stack([np.asarray(d.evaluate(*arrays), dtype=np.float64) for d in self.gradient()])

    def __call__(self, *values: object, **named: object) -> np.ndarray:
        return self.evaluate(*values, **named)

    @property
    def latex(self) -> str:
        return sympy.latex(self.expr)

    def __str__(self) -> str:
        """The formula in gradkit's own syntax (``^``, ``abs``, ``min``...), which `Expression` reads back."""
        return to_text(self.expr)

    def __repr__(self) -> str:
        return f"Expression({to_text(self.expr)!r}, variables={self.variables!r})"

    def _arguments(self, values: tuple, named: dict) -> tuple:
        if values and named:
            raise TypeError("pass the variables either positionally or by name, not both")
        if named:
            unknown = set(named) - set(self.variables)
            if unknown:
                raise TypeError(f"unknown variable {sorted(unknown)[0]!r}; variables are {self.variables}")
            missing = [v for v in self.variables if v not in named]
            if missing:
                raise TypeError(f"missing a value for variable {missing[0]!r}")
            values = tuple(named[v] for v in self.variables)
        if len(values) != len(self.variables):
            raise TypeError(f"expected {len(self.variables)} values for {self.variables}, got {len(values)}")
        arrays = []
        for name, value in zip(self.variables, values):
            array = np.asarray(value)
            if array.dtype.kind not in "biufc":
                raise TypeError(f"the value of {name!r} must be numbers, got {array.dtype}")
            arrays.append(array.astype(np.complex128 if array.dtype.kind == "c" else np.float64))
        return tuple(arrays)


def _evaluated(derivative: sympy.Expr) -> sympy.Expr:
    """`derivative` with the derivatives sympy leaves unevaluated worked out: sign(u) of an argument that
    sympy cannot prove real (x/y, which is zoo at y = 0) is 2 heaviside(u) - 1, whose slope is 2 dirac(u) u'."""
    if not derivative.has(sympy.Derivative):
        return derivative

    def worked_out(node: sympy.Derivative) -> sympy.Expr:
        inner = node.expr.replace(sympy.sign, lambda u: 2 * sympy.Heaviside(u) - 1)
        return sympy.Derivative(inner, *node.variable_count).doit()

    return derivative.replace(lambda e: isinstance(e, sympy.Derivative) and e.expr.has(sympy.sign), worked_out)


def _check_real(expr: sympy.Expr) -> None:
    """Refuse a formula that sympy's own rewriting shows to be real at isolated points only: (-abs(x))^0.5 is
    built as I*abs(x)^0.5, (-abs(x))^(1/3) as (-1)^(1/3)*abs(x)^(1/3)."""
    negative_root = any(
        p.base.is_number and p.base.is_extended_negative and not p.exp.is_integer for p in expr.atoms(sympy.Pow)
    )
    if expr.has(sympy.I) or negative_root:
        raise FormulaError("the formula is not a real number where it is defined (it is the root of a negative number)")


def _as_printed(expr: sympy.Expr) -> sympy.Expr:
    """`expr` as the tree its printed text reads back to, with re(u) as u and im(u) as 0.

    sympy cannot tell that asin(x) is real, so the derivative of abs(asin(x)) holds re() and im() parts
    (and arg(), conjugate()), which no formula can write; where the formula is defined (real) they are u
    and 0. sympy also keeps
    trees that its own printer writes in another shape (x/(2*(x^2/4 + 1)) is built anew as x/(x^2/2 + 2),
    abs(1.0*abs(x)) as 1.0*abs(x)): reading the printed text back, until it no longer changes, gives the
    tree that every later print and parse keeps.
    """
    if expr.has(sympy.re, sympy.im, sympy.arg, sympy.conjugate):
        real = {sympy.re: lambda u: u, sympy.conjugate: lambda u: u}
        zero = (sympy.im, sympy.arg)  # arg(u) comes from im(log(u)), 0 where log(u) is real
        for function, rule in real.items():
            expr = expr.replace(function, rule)
        for function in zero:
            expr = expr.replace(function, lambda u: sympy.S.Zero)
        if expr.has(sympy.Derivative):
            expr = expr.doit()
    for _ in range(3):
        try:
            again = parse(to_text(expr), trusted=True).expr
        except FormulaError:  # a form the parser cannot write; the tree is still right
            return expr
        if again == expr:
            break
        expr = again
    return expr


def _check_variables(variables: Sequence[str] | None, used: frozenset[str]) -> tuple[str, ...]:
    if variables is None:
        return tuple(sorted(used))
    if isinstance(variables, str):
        variables = [v.strip() for v in variables.split(",") if v.strip()]
    names = tuple(variables)
    for name in names:
        if not isinstance(name, str) or not name.isidentifier() or not name.isascii() or "__" in name:
            raise FormulaError(f"variable name {name!r} is not allowed")
    if len(set(names)) != len(names):
        raise FormulaError(f"variables repeat a name: {names}")
    missing = sorted(used - set(names))
    if missing:
        raise FormulaError(f"the formula uses {missing[0]!r}, which is not among the variables {names}")
    return names
