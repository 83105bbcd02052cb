"""Pictures of scalar fields and their gradients (matplotlib, extra `plot`)."""

from gradkit.viz.field import FieldPlot, field, path, sample

__all__ = ["FieldPlot", "field", "path", "sample"]
