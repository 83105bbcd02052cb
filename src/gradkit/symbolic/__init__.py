"""Formulas typed by people: an allowlisted parser, exact derivatives, compiled evaluation."""

from gradkit.symbolic.errors import FormulaError
from gradkit.symbolic.expression import Expression

__all__ = ["Expression", "FormulaError"]
