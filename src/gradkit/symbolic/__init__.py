"""Formulas typed by people: an allowlisted parser, exact derivatives, compiled evaluation."""

from gradkit.symbolic.errors import FormulaError
from gradkit.symbolic.expression import Expression
from gradkit.symbolic.vector import ExpressionVector

__all__ = ["Expression", "ExpressionVector", "FormulaError"]
