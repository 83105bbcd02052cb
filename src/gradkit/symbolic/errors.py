"""The error a rejected formula raises."""

from __future__ import annotations


class FormulaError(ValueError):
    """A formula that gradkit will not parse, with the 1-based column of the offending token when known."""

    def __init__(self, message: str, column: int | None = None):
        self.message = message
        self.column = column
        super().__init__(f"{message} at column {column}" if column is not None else message)
