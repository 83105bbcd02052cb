"""gradkit: compute, check and show gradients.

Sampled data on grids (a drop-in superset of `numpy.gradient` with higher
accuracy orders and periodic axes), finite-difference weights for any
stencil, and vector-calculus operators.

Examples
--------
>>> import numpy as np
>>> import gradkit as gk
>>> gk.gradient(np.array([1.0, 4.0, 9.0, 16.0, 25.0]), np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
array([3., 4., 6., 8., 9.])
"""

from gradkit.grid import curl, differentiate, divergence, gradient, laplacian
from gradkit.stencils import stencil

__version__ = "0.1.0"

__all__ = ["__version__", "curl", "differentiate", "divergence", "gradient", "laplacian", "stencil"]
