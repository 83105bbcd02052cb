"""Gradient descent and ascent paths, and gradient flow lines, for callables, Expressions and grids.

Above `function/`, `symbolic/` and `grid/` (which it uses) and below `viz/` and `explorer/` (which use it);
nothing below imports it.
"""

from gradkit.paths.descent import ascend, descend
from gradkit.paths.flow import FlowLine, flow_line, flow_lines
from gradkit.paths.result import Iterate, PathResult
from gradkit.paths.rules import RULES, Adam, Armijo, Fixed, HeavyBall, Nesterov
from gradkit.paths.stopping import Status

__all__ = [
    "RULES",
    "Adam",
    "Armijo",
    "Fixed",
    "FlowLine",
    "HeavyBall",
    "Iterate",
    "Nesterov",
    "PathResult",
    "Status",
    "ascend",
    "descend",
    "flow_line",
    "flow_lines",
]
