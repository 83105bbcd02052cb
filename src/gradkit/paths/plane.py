"""Fields on the plane: a formula read as an `Expression` in x and y, for pictures and the explorer."""

from __future__ import annotations


def plane_expression(f: object):
    """f (an Expression or formula text) as an Expression whose variables are ("x", "y").

    A formula in x, in y, in both or in neither is read in (x, y); one in two other names keeps them, in
    sorted order; more than two variables is a `FormulaError`.

    Examples
    --------
    >>> plane_expression("y^2").variables, plane_expression("a*b").variables
    (('x', 'y'), ('a', 'b'))
    """
    from gradkit.symbolic import Expression, FormulaError

    expression = f if isinstance(f, Expression) else Expression(f)
    used = set(expression.variables)
    if used <= {"x", "y"}:
        return Expression._from_tree(expression.expr, ("x", "y"), expression.text)
    if len(used) == 2:
        return expression
    raise FormulaError(f"a field needs a formula in two variables (x and y), got {expression.variables}")
