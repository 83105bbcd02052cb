"""No wait on first use: the fused kernel is compiled out of the caller's way.

Compiling the fused kernel takes seconds, and loading it from numba's on-disk
cache still costs most of a second in a new process, where `numpy.gradient`
answers a large array in a fraction of that. So ``kernel="auto"`` takes the
fused kernel only once it is loaded in this process; until then it answers
with NumPy or the reference kernel (the same results), and the first time it
would have wanted the fused kernel it starts, once per process, a background
thread that, for each kind of array (dimensions and dtype) asked for,

1. runs a low-priority subprocess that compiles that variant of the kernel
   into numba's cache (``cache=True``; where the package directory is
   read-only numba keeps its cache in the user's cache directory, and with
   ``NUMBA_CACHE_DIR`` there; a warm cache makes this a quick load), waiting
   for it so that it never lingers as a zombie, and then
2. loads the cached kernel into this process (numba imports, no compiling).

If the subprocess fails (no writable cache, no numba), ``auto`` simply keeps
to NumPy and the reference kernel in this process. ``kernel="fused"`` never
waits for any of this: it compiles or loads in the caller, as asked.
Set ``GRADKIT_WARMUP=0`` to leave things as numba does them (``auto`` then
compiles in the caller on its first large call).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading

import numpy as np

_lock = threading.Lock()
_loaded: set[tuple[int, str]] = set()
_asked: list[tuple[int, str]] = []  # variants asked for, in order; each is warmed once
_state = {"thread": None, "failed": False}


def _after_fork_in_child() -> None:
    """A forked child has no warm-up thread (threads do not survive fork) and may inherit a held lock: it
    starts afresh, keeping the variants that are loaded (compiled code survives fork)."""
    global _lock
    _lock = threading.Lock()
    _state["thread"] = None
    _asked[:] = [variant for variant in _asked if variant in _loaded]


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def enabled() -> bool:
    if getattr(sys, "frozen", False) or not sys.executable:  # sys.executable may not run Python code
        return False
    return os.environ.get("GRADKIT_WARMUP", "1").strip().lower() not in ("0", "off", "no", "false")


def ready(ndim: int, dtype: np.dtype) -> bool:
    """Whether the fused kernel for arrays of `ndim` dimensions and `dtype` is loaded in this process."""
    return (ndim, np.dtype(dtype).name) in _loaded


def mark_loaded(ndim: int, dtype: np.dtype) -> None:
    """Record that the fused kernel ran (so is loaded) for this kind of array."""
    _loaded.add((ndim, np.dtype(dtype).name))


def state() -> str:
    """The warm-up's state: "idle" (nothing asked for), "warming", "failed" or "done"."""
    thread = _state["thread"]
    if _state["failed"]:
        return "failed"
    if not _asked:
        return "idle"
    return "warming" if thread is not None else "done"


def start(ndim: int, dtype: np.dtype) -> None:
    """Have the kernel for this kind of array compiled and loaded in the background; returns at once. One
    thread per process does it, one variant after another, each at most once."""
    variant = (ndim, np.dtype(dtype).name)
    with _lock:
        if variant in _asked or _state["failed"]:
            return
        _asked.append(variant)
        if _state["thread"] is not None:
            return  # the running thread takes it up before it ends (it checks under this lock)
        thread = threading.Thread(target=_warm, name="gradkit-fused-warmup", daemon=True)
        _state["thread"] = thread
    thread.start()


def wait(timeout: float | None = None) -> str:
    """Wait for the warm-up to finish (for tests and benchmarks); its `state`."""
    thread = _state["thread"]
    if thread is not None:
        thread.join(timeout)
    return state()


def _child_environment() -> dict:
    """This process's environment, with this copy of gradkit first on the child's path, so that the child
    fills the cache of the very code this process loads."""
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # holds gradkit/
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": here if not path else here + os.pathsep + path}


def _warm() -> None:
    done = 0
    while True:
        with _lock:
            if done == len(_asked):
                _state["thread"] = None
                return
            ndim, dtype = _asked[done]
        try:
            child = subprocess.Popen(
                [sys.executable, "-c", f"from gradkit.grid.warmup import run; run({ndim}, {dtype!r}, background=True)"],
                env=_child_environment(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # the caller's Ctrl-C is not meant for it
            )
            if child.wait() != 0:  # waited for: reaped, never a zombie
                raise RuntimeError("the fused kernel could not be compiled")
            run(ndim, dtype)  # loads what the subprocess cached
        except Exception:  # never disturb the caller: auto keeps to NumPy and the reference kernel
            with _lock:
                _state["failed"] = True
                _state["thread"] = None
            return
        done += 1


def run(ndim: int, dtype: str, *, background: bool = False) -> None:
    """Run the fused kernel on a small array of `ndim` dimensions and `dtype` (steps, coordinates and
    accuracies share one compiled signature): that compiles it into numba's cache (in the subprocess,
    `background`) or loads it from there (in the caller's thread, which then marks the variant loaded)."""
    if background:
        with contextlib.suppress(AttributeError, OSError):
            os.nice(10)  # compiling is background work
    from gradkit.grid.gradient import gradient

    gradient(np.ones((8,) * ndim, dtype=dtype), kernel="fused")
    if not background:
        mark_loaded(ndim, dtype)
