"""Derivatives of Python functions at points: finite differences, complex step, automatic differentiation."""

from gradkit.function.api import GradientCheck, check_grad, directional, grad, jacobian
from gradkit.function.elementwise import derivative
from gradkit.function.hessian import hessian
from gradkit.function.result import Result

__all__ = ["GradientCheck", "Result", "check_grad", "derivative", "directional", "grad", "hessian", "jacobian"]
