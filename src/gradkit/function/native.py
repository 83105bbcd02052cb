"""Finite differences of a function written with torch or JAX: its points go to it in its own library.

The finite-difference methods build their points with NumPy. When x is a torch tensor or a JAX array (or
`backend=` names the library), f is written with that library's operations and may not accept NumPy
arrays. Each point then goes to f as an array of that library, in double precision (as torch's own
``gradcheck`` asks: a single-precision step is too coarse for differences) and on x's device; what f
returns comes back as NumPy.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np

from gradkit.function.autodiff import BACKENDS, backend_of


class LibraryCall:
    """``point -> f(point as a torch tensor or JAX array, *args, **kwargs)`` returned as NumPy; picklable
    (for a pool of workers) when f is."""

    def __init__(self, func: Callable, library: str, device: object = None):
        self.func, self.library, self.device = func, library, device

    def __call__(self, point: np.ndarray, *args, **kwargs) -> object:
        if self.library == "torch":
            import torch

            return as_numpy(self.func(torch.as_tensor(point, device=self.device), *args, **kwargs))
        import jax.numpy as jnp

        with _jax_double_precision():  # JAX's arrays are single precision unless asked
            return as_numpy(self.func(jnp.asarray(point), *args, **kwargs))


def _jax_double_precision():
    """A context in which JAX makes double-precision arrays (its ``enable_x64``)."""
    import jax

    if hasattr(jax, "enable_x64"):
        return jax.enable_x64(True)
    from jax.experimental import enable_x64

    return enable_x64()


def as_numpy(value: object) -> object:
    """A torch tensor (detached, on the CPU) or JAX array as NumPy; anything else as it is."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(value, torch.Tensor):
        return value.numpy(force=True)
    jax = sys.modules.get("jax")
    if jax is not None and isinstance(value, jax.Array):
        return np.asarray(value)
    return value


def numerical_call(f: Callable, x: object, backend: str | None = None) -> tuple[Callable, object]:
    """f and x for finite differences: f called with arrays of x's library (or `backend`'s), x as NumPy.

    A NumPy x without `backend` returns both as they are.

    Examples
    --------
    >>> import torch
    >>> f, x = numerical_call(lambda t: torch.sin(t).sum(), torch.tensor([0.5]))
    >>> type(x).__name__, round(float(f(x + 1.0)), 6)
    ('ndarray', 0.997495)
    """
    library = backend_of(x)
    if library is None and backend is not None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
        library = backend
    if library is None:
        return f, x
    device = x.device if library == "torch" and backend_of(x) == "torch" else None
    # the points go to f in double precision whatever x's own type (see the module's docstring)
    return LibraryCall(f, library, device), np.asarray(as_numpy(x), dtype=np.float64)
