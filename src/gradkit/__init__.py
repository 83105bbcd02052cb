"""gradkit: compute, check and show gradients.

Sampled data on grids (a drop-in superset of `numpy.gradient` with higher
accuracy orders and periodic axes), finite-difference weights for any
stencil, vector-calculus operators, and derivatives of Python functions at
points (adaptive finite differences with honest error estimates, complex
step, automatic differentiation through torch or JAX).

Examples
--------
>>> import numpy as np
>>> import gradkit as gk
>>> gk.gradient(np.array([1.0, 4.0, 9.0, 16.0, 25.0]), np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
array([3., 4., 6., 8., 9.])
"""

from gradkit.function import (
    GradientCheck,
    Result,
    check_grad,
    derivative,
    directional,
    grad,
    hessian,
    jacobian,
)
from gradkit.grid import curl, differentiate, divergence, gradient, laplacian
from gradkit.paths import PathResult, ascend, descend
from gradkit.smooth import SmoothResult, smooth_gradient
from gradkit.stencils import stencil

__version__ = "0.1.0"

_LAZY = {
    "Expression": "gradkit.symbolic",
    "ExpressionVector": "gradkit.symbolic",
    "FormulaError": "gradkit.symbolic",
    "plot": "gradkit.viz",
}


def __getattr__(name: str):
    # Formulas need sympy and pictures matplotlib (optional extras): import them on first use only.
    if name in _LAZY:
        import importlib

        module = importlib.import_module(_LAZY[name])
        return module if name == "plot" else getattr(module, name)
    raise AttributeError(f"module 'gradkit' has no attribute {name!r}")


__all__ = [
    "Expression",
    "ExpressionVector",
    "FormulaError",
    "GradientCheck",
    "PathResult",
    "Result",
    "SmoothResult",
    "__version__",
    "ascend",
    "check_grad",
    "curl",
    "derivative",
    "descend",
    "differentiate",
    "directional",
    "divergence",
    "grad",
    "gradient",
    "hessian",
    "jacobian",
    "laplacian",
    "plot",
    "smooth_gradient",
    "stencil",
]
