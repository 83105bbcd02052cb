"""A formula as the explorer draws it: its letters in the order written, two axes, the other letters as parameters.

Everything `prepare` accepts can be drawn: the formula and its partial derivatives along the axes are
checked to be real, with every constant a finite double, and to have a JSON tree the page can evaluate.
What cannot be drawn raises a `FormulaError` with a message (and the column, where one is known).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from gradkit.explorer.tree import to_tree
from gradkit.symbolic import Expression, FormulaError
from gradkit.symbolic.functions import CONSTANTS, FUNCTIONS

DEFAULT_AXES = ("x", "y")
#: Numbers first, so the e of 2e5 and the x of 0x1f are not taken for letters; then names.
_TOKEN = re.compile(
    r"(?P<number>0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d[\d_]*)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
)


@dataclass(frozen=True)
class Prepared:
    """A parsed formula with its axes chosen (or `axes` None when the user must choose them)."""

    expression: Expression  # its variables: the two axes, then the parameters (all letters when axes is None)
    letters: tuple[str, ...]
    axes: tuple[str, str] | None
    parameters: tuple[str, ...]
    partials: tuple[Expression, Expression] | None
    tree: list  # JSON trees the page evaluates (see `tree.to_tree`)
    gradient_tree: tuple[list, list] | None


def letters_in_order(text: str, names: frozenset[str]) -> tuple[str, ...]:
    """The letters (variable names) of `text` in the order they are first written.

    Examples
    --------
    >>> letters_in_order("b*sin(a) + 2e5*x + b", frozenset({"a", "b", "x"}))
    ('b', 'a', 'x')
    """
    seen: dict[str, None] = {}
    for match in _TOKEN.finditer(text):
        name = match.group("name")
        if name in names and name not in FUNCTIONS and name not in CONSTANTS:
            seen.setdefault(name)
    return tuple(seen)


def choose_axes(letters: Sequence[str], axes: Sequence[str] | None) -> tuple[str, str] | None:
    """The two axis letters: `axes` when given, x and y when the formula uses either, else None (ask the user).

    A formula with one letter other than x and y has no pair of axes to offer; it is refused.

    Examples
    --------
    >>> choose_axes(("a", "x"), None), choose_axes(("a", "b", "c"), None), choose_axes(("a", "b"), ("b", "a"))
    (('x', 'y'), None, ('b', 'a'))
    """
    if axes is not None:
        pair = tuple(axes)
        if len(pair) != 2 or pair[0] == pair[1]:
            raise FormulaError("axes must be two different letters")
        return pair  # type: ignore[return-value]
    if not letters or set(letters) & set(DEFAULT_AXES):
        return DEFAULT_AXES
    if len(letters) >= 2:
        return None
    raise FormulaError(
        f"a field needs two letters for its axes: the formula has only {letters[0]!r}; write it in x and y, "
        "or choose the axes"
    )


def prepare(text: str, axes: Sequence[str] | None = None) -> Prepared:
    """Parse `text`, choose its axes, differentiate along them and check that all of it can be drawn.

    Parameters
    ----------
    text : str
        The formula.
    axes : pair of str, optional
        The letters on the horizontal and vertical axes. By default x and y (when the formula uses either);
        a formula in other letters only then comes back with ``axes=None`` for the user to choose.

    Raises
    ------
    FormulaError
        The parser's refusal, or a part that cannot be drawn (not real, or a number beyond double precision).

    Examples
    --------
    >>> p = prepare("a*x^2 + y")
    >>> p.letters, p.axes, p.parameters
    (('a', 'x', 'y'), ('x', 'y'), ('a',))
    >>> [str(d) for d in p.partials]
    ['2*a*x', '1']
    """
    letters = letters_in_order(text, frozenset(Expression(text).variables))
    chosen = choose_axes(letters, axes)
    if chosen is None:
        expression = Expression(text, variables=letters)
        return Prepared(expression, letters, None, (), None, _drawable(expression.expr, "the formula"), None)
    parameters = tuple(name for name in letters if name not in chosen)
    expression = Expression(text, variables=(*chosen, *parameters))
    tree = _drawable(expression.expr, "the formula")
    partials = tuple(_without_heaviside(expression.diff(axis)) for axis in chosen)
    trees = tuple(_drawable(p.expr, f"its derivative along {a}") for a, p in zip(chosen, partials))
    return Prepared(expression, letters, chosen, parameters, partials, tree, trees)  # type: ignore[arg-type]


def _without_heaviside(partial: Expression) -> Expression:
    """`partial` with each Heaviside(u) (from derivatives of max and min) written (1 + sign(u))/2.

    The two are the same function (sympy's Heaviside is 1/2 at 0); but NumPy code for Heaviside of a max or
    min is a nest of numpy.select whose conditions come out as floats, which numpy.select refuses.
    """
    if not partial.expr.has(sympy.Heaviside):
        return partial

    def rewrite(u, *at_zero):
        if at_zero not in ((), (sympy.S.Half,)):
            return sympy.Heaviside(u, *at_zero)
        return (1 + sympy.sign(u)) / 2

    return Expression._from_tree(partial.expr.replace(sympy.Heaviside, rewrite), partial.variables, partial.text)


def _drawable(expr: sympy.Expr, what: str) -> list:
    """The JSON tree of `expr`, refused if it is complex, holds non-finite constants or numbers beyond doubles."""
    for power in expr.atoms(sympy.Pow):
        base, exponent = power.args
        if base.is_number and base.is_extended_negative and not exponent.is_number:
            raise FormulaError(
                f"{what} raises a negative number ({_short(base)}) to a variable power, which is not real for most "
                "values of it"
            )
    if expr.has(sympy.I):
        raise FormulaError(f"{what} is not a real number (it holds the imaginary unit)")
    if expr.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        raise FormulaError(f"{what} is undefined or infinite")
    for number in expr.atoms(sympy.Number):
        if not math.isfinite(float(number)):
            raise FormulaError(f"{what} holds the number {_short(number)}, beyond double precision (about 1.8e308)")
    try:
        return to_tree(expr)
    except ValueError as error:
        raise FormulaError(f"{what}: {error}") from None


def _short(number: sympy.Expr) -> str:
    value = float(number)
    return f"{value:.4g}" if math.isfinite(value) else str(sympy.N(number, 4))
