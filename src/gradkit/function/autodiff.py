"""Automatic differentiation through PyTorch or JAX, chosen by the type of x or by `backend`."""

from __future__ import annotations

import sys

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


def ad_jacobian(f, x, backend: str, args=(), kwargs=None):
    """The Jacobian of f at x (output shape + input shape) in x's library."""
    return _differentiate("jacobian", f, x, backend, args, kwargs)


def ad_hessian(f, x, backend: str, args=(), kwargs=None):
    """The Hessian of scalar f at x in x's library."""
    return _differentiate("hessian", f, x, backend, args, kwargs)


def _differentiate(kind: str, f, x, backend: str, args, kwargs):
    kwargs = kwargs or {}
    library = _import(backend)
    x = as_backend_array(x, backend)

    def bound(t):
        return f(t, *args, **kwargs)

    if backend == "torch":
        import torch.autograd.functional as functional

        return getattr(functional, kind)(bound, x)
    return {"jacobian": library.jacrev, "hessian": library.hessian}[kind](bound)(x)
