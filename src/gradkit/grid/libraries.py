"""Recognising arrays of other libraries without importing those libraries."""

from __future__ import annotations

import sys
from types import ModuleType

import numpy as np


def is_dask_array(f: object) -> bool:
    dask_array = sys.modules.get("dask.array")
    return dask_array is not None and isinstance(f, dask_array.Array)


def is_xarray(f: object) -> bool:
    xarray = sys.modules.get("xarray")
    return xarray is not None and isinstance(f, xarray.DataArray)


def is_xarray_dataset(f: object) -> bool:
    xarray = sys.modules.get("xarray")
    return xarray is not None and isinstance(f, xarray.Dataset)


def is_quantity(f: object) -> bool:
    """Whether `f` is a pint Quantity (of any unit registry)."""
    pint = sys.modules.get("pint")
    return pint is not None and isinstance(f, pint.Quantity)


def array_namespace_of(f: object) -> ModuleType | None:
    """The array-API namespace of a non-NumPy array, or None for NumPy and plain Python input."""
    if isinstance(f, (np.ndarray, np.generic, list, tuple, int, float, complex)) or is_quantity(f):
        return None
    if not hasattr(f, "__array_namespace__") and not _is_torch(f):
        return None
    try:
        import array_api_compat
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            f"{type(f).__module__}.{type(f).__name__} arrays need array-api-compat: pip install array-api-compat"
        ) from None
    return array_api_compat.array_namespace(f)


def _is_torch(f: object) -> bool:
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(f, torch.Tensor)
