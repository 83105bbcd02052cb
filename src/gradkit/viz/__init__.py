"""Pictures of scalar fields and their gradients (matplotlib, extra `plot`)."""

from gradkit.viz.field import FieldPlot, field, sample
from gradkit.viz.paths import path

__all__ = ["FieldPlot", "field", "path", "sample"]
