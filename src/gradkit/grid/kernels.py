"""Choosing and running a kernel for a set of plans, and checking `out=`.

``kernel="auto"`` runs the fused numba kernel (`fused.py`) when it applies,
the array is large enough to repay a call into compiled code, and the kernel
is loaded in this process (until then `warmup.py` compiles and loads it in the
background and the call is answered as below). Otherwise a call
with NumPy's own options (no `accuracy`, `periodic` or `out`) on a plain
ndarray goes to `numpy.gradient` itself, whose answer ours equals and which is
faster than the reference kernel; anything else runs on the reference kernel
(`reference.py`). The fused kernel applies to plain
C-contiguous NumPy arrays of 1 to 3 dimensions in float32, float64,
complex64 or complex128, with C-contiguous outputs and real spacing of at most
double precision, when numba is installed. Everything else (other dtypes, 4-D
and more, strided views, subclasses such as masked arrays, other array
libraries, complex or long-double spacing, spacing per point) runs on the
reference kernel.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from functools import cache

import numpy as np

from gradkit.grid import warmup
from gradkit.grid.plan import AxisPlan
from gradkit.grid.reference import execute

KERNELS = ("auto", "fused", "reference", "numpy")
FUSED_DTYPES = frozenset(np.dtype(t) for t in (np.float32, np.float64, np.complex64, np.complex128))
#: Below this many elements "auto" stays off the fused kernel: calling compiled code costs tens of
#: microseconds, and `numpy.gradient` is as fast there.
FUSED_MIN_SIZE = 1 << 15


@cache
def numba_installed() -> bool:
    return importlib.util.find_spec("numba") is not None


def fused_obstacle(f: np.ndarray, outs: Sequence[np.ndarray] | None, spacings: Sequence = ()) -> str | None:
    """Why the fused kernel cannot run on `f` with these outputs and `AxisSpacing`s (None when it can)."""
    if not numba_installed():
        return 'numba is not installed (pip install "gradkit[fast]")'
    if type(f) is not np.ndarray:
        return f"it takes plain NumPy arrays, not {type(f).__name__}"
    if f.dtype not in FUSED_DTYPES:
        return f"it takes float32, float64, complex64 and complex128, not {f.dtype}"
    if not 1 <= f.ndim <= 3:
        return f"it takes 1-D to 3-D arrays, not {f.ndim}-D"
    if not f.flags.c_contiguous:
        return "it takes C-contiguous arrays (np.ascontiguousarray makes one)"
    if outs is not None and not all(o.flags.c_contiguous for o in outs):
        return "it writes C-contiguous outputs only"
    for spacing in spacings:
        if spacing.per_point:
            return "spacing that varies along other axes (N-D spacing) runs on the reference kernel"
        kind = np.asarray(spacing.step if spacing.is_uniform else spacing.coords).dtype
        if kind.kind == "c":
            return f"it takes real spacing, not {kind}"
        if kind.itemsize > 8:
            return f"it computes in double precision, and NumPy computes with {kind} spacing in {kind}"
    return None


def choose_kernel(
    kernel: str, f: np.ndarray, outs: Sequence[np.ndarray] | None, spacings: Sequence = (), *, native: bool = False
) -> str:
    """'fused', 'reference' or 'numpy' for the `kernel` option; `native`: the call has NumPy's own options
    (no `accuracy`, `periodic` or `out`), so that `numpy.gradient` can answer it."""
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {', '.join(map(repr, KERNELS))}, got {kernel!r}")
    if kernel == "reference":
        return kernel
    if kernel == "numpy":
        if not native:
            raise ValueError("kernel='numpy' runs numpy.gradient, which takes no accuracy=, periodic= or out=")
        return kernel
    if kernel == "auto" and native and type(f) is np.ndarray and f.size < FUSED_MIN_SIZE:
        return "numpy"  # small: the fused kernel would not be chosen, whatever stands in its way
    obstacle = fused_obstacle(f, outs, spacings)
    if kernel == "fused":
        if obstacle:
            raise ValueError(f"kernel='fused' cannot run here: {obstacle}")
        return kernel
    if obstacle is None and f.size >= FUSED_MIN_SIZE:
        if not warmup.enabled() or warmup.ready(f.ndim, f.dtype):
            return "fused"
        warmup.start(f.ndim, f.dtype)  # compiles and loads it out of the caller's way; until then NumPy answers
    return "numpy" if native and type(f) is np.ndarray else "reference"


def run(kernel: str, f: np.ndarray, plans: Sequence[AxisPlan], outs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Execute `plans` on NumPy array `f` into `outs` with the chosen kernel."""
    if kernel == "fused":
        from gradkit.grid.tables import axis_tables

        return run_tables(f, {plan.axis: axis_tables(plan, f.shape[plan.axis], f.dtype) for plan in plans}, outs)
    return [execute(f, plan, out) for plan, out in zip(plans, outs)]


def run_tables(f: np.ndarray, tables: dict, outs: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Run the fused kernel from ready tables (axis -> `AxisTables`) into `outs`, one per axis in order."""
    from gradkit.grid.fused import run_fused

    run_fused(f, tables, dict(zip(tables, outs)))
    warmup.mark_loaded(f.ndim, f.dtype)
    return list(outs)


def check_out(out: object, f: np.ndarray, dtype: np.dtype, count: int) -> list[np.ndarray] | None:
    """`out` as a list of `count` arrays shaped like `f` with `dtype`, or None when not given.

    One array is accepted for a single output, as NumPy's ufuncs do.
    """
    shape = f.shape
    if out is None:
        return None
    arrays = (out,) if isinstance(out, np.ndarray) else out
    if not isinstance(arrays, (tuple, list)):
        raise TypeError(f"out must be a tuple of arrays, one per differentiated axis, got {type(out).__name__}")
    if len(arrays) != count:
        raise ValueError(f"out has {len(arrays)} arrays but {count} axes are differentiated")
    for k, array in enumerate(arrays):
        if not isinstance(array, np.ndarray):
            raise TypeError(f"out[{k}] must be a NumPy array, got {type(array).__name__}")
        if array.shape != shape:
            raise ValueError(f"out[{k}] has shape {array.shape}, expected {shape}")
        if array.dtype != dtype:
            raise ValueError(f"out[{k}] has dtype {array.dtype}, expected {dtype}")
        if not array.flags.writeable:
            raise ValueError(f"out[{k}] is read-only")
        if np.may_share_memory(array, f):
            raise ValueError(f"out[{k}] overlaps the input f")
    if len({id(a) for a in arrays}) != len(arrays):
        raise ValueError("out must hold a distinct array for each axis")
    return list(arrays)
