"""Derivatives of arrays sampled on grids."""

from gradkit.grid.gradient import differentiate, gradient
from gradkit.grid.operators import curl, divergence, laplacian

__all__ = ["curl", "differentiate", "divergence", "gradient", "laplacian"]
