"""`ExpressionVector`: several formulas in shared variables, and their exact Jacobian."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

from gradkit.symbolic.errors import FormulaError
from gradkit.symbolic.expression import Expression, _check_variables


class ExpressionVector:
    """A vector of formulas F = (f_1, ..., f_m) in shared variables, differentiated exactly.

    Parameters
    ----------
    texts : sequence of str or Expression
        The formulas, at least one.
    variables : sequence of str, optional
        The variables, in the order `evaluate` and `jacobian_at` take them. By default every name that any
        formula uses, sorted.

    Examples
    --------
    >>> import gradkit as gk
    >>> F = gk.ExpressionVector(["x*y", "x + y^2"])
    >>> [[str(d) for d in row] for row in F.jacobian()]
    [['y', 'x'], ['1', '2*y']]
    >>> F.jacobian_at(2.0, 3.0).tolist()
    [[3.0, 2.0], [1.0, 6.0]]
    """

    def __init__(self, texts: Sequence[str | Expression], variables: Sequence[str] | None = None):
        if isinstance(texts, (str, Expression)) or not isinstance(texts, Sequence) or len(texts) == 0:
            raise TypeError("texts must be a non-empty sequence of formulas (str or Expression)")
        trees, used = [], set()
        for number, text in enumerate(texts, start=1):
            if isinstance(text, Expression):
                trees.append((text.expr, str(text)))
                used |= set(text.variables)
                continue
            try:
                expression = Expression(text)
            except FormulaError as error:  # say which formula, keep the column
                raise FormulaError(f"formula {number} ({str(text)[:40]!r}): {error.message}", error.column) from None
            trees.append((expression.expr, text))
            used |= set(expression.variables)
        self.variables = _check_variables(variables, frozenset(used))
        self.components = tuple(Expression._from_tree(expr, self.variables, text) for expr, text in trees)

    def jacobian(self) -> tuple[tuple[Expression, ...], ...]:
        """The exact Jacobian: ``jacobian()[i][j]`` is df_i/dv_j, an m x n matrix of Expressions."""
        return tuple(component.gradient() for component in self.components)

    def evaluate(self, *values: object, **named: object) -> np.ndarray:
        """The formulas at points, stacked: shape (m,) at one point, (m, ...) at arrays of points."""
        return np.stack([component.evaluate(*values, **named) for component in self.components])

    def jacobian_at(self, *values: float, **named: float) -> np.ndarray:
        """The exact Jacobian at one point, shape (m, n) (or (m, n, ...) at arrays of points)."""
        return np.stack([component.grad_at(*values, **named) for component in self.components])

    def __len__(self) -> int:
        return len(self.components)

    def __iter__(self) -> Iterator[Expression]:
        return iter(self.components)

    def __getitem__(self, index: int) -> Expression:
        return self.components[index]

    def __repr__(self) -> str:
        return f"ExpressionVector({[str(c) for c in self.components]!r}, variables={self.variables!r})"
