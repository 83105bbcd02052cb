"""Which variable of a formula goes on which axis of a picture, and the names the axes are labelled with."""

from __future__ import annotations

import re
from collections.abc import Sequence

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

#: The axes of a picture of a callable or an array, and of a formula in x and y.
PLANE = ("x", "y")


def axis_names(variables: str | Sequence[str] | None) -> tuple[str, str] | None:
    """`variables` as two names (horizontal, vertical): ``"t,s"`` or ``("t", "s")``; None stays None.

    Examples
    --------
    >>> axis_names("t, s"), axis_names(["a", "b"]), axis_names(None)
    (('t', 's'), ('a', 'b'), None)
    """
    if variables is None:
        return None
    names = [v.strip() for v in variables.split(",")] if isinstance(variables, str) else variables
    try:
        names = tuple(names)
    except TypeError:
        names = None
    if names is None or len(names) != 2 or not all(isinstance(v, str) and v.isidentifier() for v in names):
        raise ValueError(
            f"variables must name the horizontal and vertical variables, e.g. ('t', 's'); got {variables!r}"
        )
    if names[0] == names[1]:
        raise ValueError(f"variables must name two different variables, got {variables!r}")
    return names


def plane(f: object, variables: str | Sequence[str] | None = None):
    """f (formula text or an Expression) as an Expression in the picture's two axis variables, in axis order.

    With `variables`, those two names, horizontal first. Otherwise an Expression's own `variables` when it
    has two, and for formula text the variables in the order written; a formula in x and y (or in one of
    them, or in neither) is drawn in (x, y), and one in a single other letter t is drawn against y, which it
    does not depend on. More than two variables is a `FormulaError` (a ValueError).

    Examples
    --------
    >>> [plane(f).variables for f in ("s + t^2", "t + s^2", "t^2", "y^2 - x", "3")]
    [('s', 't'), ('t', 's'), ('t', 'y'), ('x', 'y'), ('x', 'y')]
    >>> plane("s + t^2", variables="t,s").variables
    ('t', 's')
    """
    from gradkit.symbolic import Expression, FormulaError

    axes = axis_names(variables)
    given = isinstance(f, Expression)
    expression = f if given else Expression(f)
    used = {symbol.name for symbol in expression.expr.free_symbols}
    if axes is not None:
        missing = sorted(used - set(axes))
        if missing:
            raise FormulaError(f"the formula uses {missing[0]!r}, which is not among the variables {axes}")
    elif given and len(expression.variables) == 2:
        axes = tuple(expression.variables)
    else:
        if given:
            written = [v for v in expression.variables if v in used]
        else:  # the order written: "t + s^2" puts t across
            written = list(dict.fromkeys(m.group() for m in _NAME.finditer(expression.text) if m.group() in used))
        if used <= set(PLANE):
            axes = PLANE
        elif len(written) == 1:
            axes = (written[0], "y")
        elif len(written) == 2:
            axes = (written[0], written[1])
        else:
            raise FormulaError(
                f"a picture has two axes, so it needs a formula in at most two variables, but this one uses "
                f"{len(written)} variables ({', '.join(written)}); put numbers in for the others"
            )
    return Expression._from_tree(expression.expr, axes, expression.text)
