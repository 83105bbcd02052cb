"""Automatic differentiation through PyTorch or JAX, chosen by the type of x or by `backend`."""

from __future__ import annotations

import sys

from gradkit.function.result import Result

BACKENDS = ("torch", "jax")


def backend_of(x: object) -> str | None:
    """'torch' for a torch tensor, 'jax' for a JAX array, None otherwise (without importing either)."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(x, torch.Tensor):
        return "torch"
    jax = sys.modules.get("jax")
    if jax is not None and isinstance(x, jax.Array):
        return "jax"
    return None


def _import(backend: str):
    try:
        if backend == "torch":
            import torch

            return torch
        import jax

        return jax
    except ImportError:
        raise ImportError(
            f'method="ad" with backend={backend!r} needs {backend}: pip install "gradkit[{backend}]"'
        ) from None


def resolve_backend(x: object, backend: str | None) -> str:
    if backend is not None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        return backend
    found = backend_of(x)
    if found is None:
        raise TypeError(
            f"method='ad' differentiates torch tensors and JAX arrays; x is {type(x).__name__}. "
            "Pass backend='torch' or backend='jax' (f must then be written with that library), "
            "or use method='richardson'"
        )
    return found


def as_backend_array(x: object, backend: str):
    """x in the backend's array type: its own arrays as they are (they must be floating point), others as
    float64 (JAX: its default float type)."""
    library = _import(backend)
    if backend == "torch":
        if isinstance(x, library.Tensor):
            if not (x.is_floating_point() or x.is_complex()):
                raise TypeError(f"x must be a floating-point tensor for automatic differentiation, got {x.dtype}")
            return x
        return library.as_tensor(x, dtype=library.float64)
    import jax.numpy as jnp

    if isinstance(x, library.Array):
        if not jnp.issubdtype(x.dtype, jnp.inexact):
            raise TypeError(f"x must be a floating-point array for automatic differentiation, got {x.dtype}")
        return x
    return jnp.asarray(x, dtype=float)


def check_no_step(*, step=None, accuracy: int = 2) -> None:
    """Automatic differentiation takes no step: a finite-difference option given with it is an error, not
    silently ignored."""
    for name, given in (("step", step is not None), ("accuracy", accuracy != 2)):
        if given:
            raise ValueError(
                f"{name} is an option of finite differences; automatic differentiation (method='ad', which "
                "'auto' picks for torch tensors and JAX arrays) takes none. For finite differences of f, pass "
                "method='richardson', 'central', 'forward' or 'backward'"
            )


def finished(value, backend: str, full_output: bool):
    """The value, or with `full_output` a `Result` whose error is zero (exact to rounding) and nfev 1."""
    if not full_output:
        return value
    return Result(value, value * 0, 1, "ad", True, f"exact to rounding: automatic differentiation with {backend}")


class OnePoint:
    """A vectorized f (batches ``(k, *shape) -> (k, ...)``) at one point, as automatic differentiation calls it."""

    def __init__(self, func):
        self.func = func

    def __call__(self, point, *args, **kwargs):
        values = self.func(point[None], *args, **kwargs)
        shape = tuple(getattr(values, "shape", ()))
        if shape[:1] != (1,):
            raise ValueError(
                f"vectorized f must return one value per point: got shape {shape} for 1 point of shape "
                f"{(1, *tuple(point.shape))}"
            )
        return values[0]


def ad_jacobian(f, x, backend: str, args=(), kwargs=None):
    """The Jacobian of f at x (output shape + input shape) in x's library."""
    return _differentiate("jacobian", f, x, backend, args, kwargs)


def ad_hessian(f, x, backend: str, args=(), kwargs=None):
    """The Hessian of scalar f at x in x's library."""
    return _differentiate("hessian", f, x, backend, args, kwargs)


def ad_directional(f, x, v, backend: str, args=(), kwargs=None):
    """The derivative of f at x along v (a Jacobian-vector product), in x's library."""
    library, x, bound = _prepared(f, x, backend, args, kwargs)
    if backend == "torch":
        import torch.autograd.functional as functional

        direction = library.as_tensor(v, dtype=x.dtype, device=x.device)
        return functional.jvp(bound, x, direction)[1]
    import jax.numpy as jnp

    return library.jvp(bound, (x,), (jnp.asarray(v, dtype=x.dtype),))[1]


def ad_elementwise(f, x, order: int, backend: str, args=(), kwargs=None):
    """The `order`-th derivative of an elementwise f at each element of x, in x's library.

    f acts elementwise, so the gradient of ``sum(f(x))`` is f' at every element; differentiating that
    sum again gives f'', and so on.
    """
    library, x, bound = _prepared(f, x, backend, args, kwargs)
    if backend == "torch":
        point = x.detach().requires_grad_(True)
        values = bound(point)
        _check_elementwise(values, x)
        for k in range(order):
            if not values.requires_grad:  # no longer depends on x: every higher derivative is zero
                return library.zeros_like(x)
            (values,) = library.autograd.grad(values.sum(), point, create_graph=k < order - 1, allow_unused=True)
            if values is None:
                return library.zeros_like(x)
        return values.detach()

    def derivative(g):
        return lambda t: library.grad(lambda s: g(s).sum())(t)

    g = bound
    _check_elementwise(g(x), x)
    for _ in range(order):
        g = derivative(g)
    return g(x)


def _check_elementwise(values, x) -> None:
    if tuple(values.shape) != tuple(x.shape):
        raise ValueError(f"f must be elementwise: f(x) has shape {tuple(values.shape)} for x of shape {tuple(x.shape)}")


def _prepared(f, x, backend: str, args, kwargs):
    """The library, x as its array, and f of one argument (its extra arguments bound)."""
    kwargs = kwargs or {}

    def bound(t):
        return f(t, *args, **kwargs)

    return _import(backend), as_backend_array(x, backend), bound


def _differentiate(kind: str, f, x, backend: str, args, kwargs):
    library, x, bound = _prepared(f, x, backend, args, kwargs)
    if backend == "torch":
        import torch.autograd.functional as functional

        return getattr(functional, kind)(bound, x)
    return {"jacobian": library.jacrev, "hessian": library.hessian}[kind](bound)(x)
