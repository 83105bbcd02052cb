"""Side-by-side timings of grid gradients: gradkit against NumPy, torch, findiff and Dask.

Run with ``make bench-grid`` (or ``.venv/bin/python benchmarks/grid.py``). One run prints, for float64 data of
32M points (1-D), 4096**2 and 256**3, the best of a few calls of each contender in each case, as time, GB/s
(bytes of one read of the input plus one write per output, divided by the time) and ratios to the bytes
floor (the time a memory copy of those bytes takes) and to NumPy. "plain" calls allocate their outputs (page
faults and all); "out=" calls write into preallocated ones. A bare numba loop of central differences (interior
only) shows what the least kernel costs here, beside the time the operating system takes to hand out each
fresh output (its pages faulted in and zeroed). Then: the first call in a fresh process with an empty numba
cache (``--first-use`` runs only that), compile and cache-load times of the fused kernel, peak memory above
input + outputs (measured as RSS in subprocesses), and a Dask run on a Zarr store.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

import numpy as np

import gradkit as gk

SIZES = {"1-D 32M": (32 * 1024 * 1024,), "4096^2": (4096, 4096), "256^3": (256, 256, 256)}


def best_time(call: Callable[[], object], repeats: int) -> float:
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def copy_bandwidth(source: np.ndarray) -> float:
    """Bytes per second of np.copyto of `source` into a preallocated array, counting read and write."""
    target = np.empty_like(source)
    seconds = best_time(lambda: np.copyto(target, source), 5)
    return 2 * source.nbytes / seconds


def zeroing_time(source: np.ndarray) -> float:
    """Seconds the operating system takes to hand out one fresh array of `source`'s size: a first write into
    a new array (its pages faulted in and zeroed) less a write into one already touched."""
    warm = np.empty_like(source)
    warm.fill(0.0)
    fresh = best_time(lambda: np.empty_like(source).fill(1.0), 5)
    return max(fresh - best_time(lambda: warm.fill(1.0), 5), 0.0)


def bare_loop(ndim: int) -> Callable:
    """A numba loop that only takes central differences of the interior in one pass (no edges, no checks, no
    NumPy rounding rules): about the least a kernel can do, to show what a call costs on this machine."""
    import numba

    @numba.njit(parallel=True)
    def bare_1d(f, g):
        n, block = f.shape[0], 1 << 16
        for p in numba.prange((n + block - 1) // block):
            start, stop = max(1, p * block), min(n - 1, (p + 1) * block)
            # slices indexed from 0, so that no index can be negative and the loop vectorizes
            left, right, target = f[start - 1 : stop - 1], f[start + 1 : stop + 1], g[start:stop]
            for i in range(stop - start):
                target[i] = (right[i] - left[i]) * 0.5

    @numba.njit(parallel=True)
    def bare_2d(f, g0, g1):
        n0, n1 = f.shape
        for i in numba.prange(1, n0 - 1):
            for j in range(n1):
                g0[i, j] = (f[i + 1, j] - f[i - 1, j]) * 0.5
            for j in range(1, n1 - 1):
                g1[i, j] = (f[i, j + 1] - f[i, j - 1]) * 0.5

    @numba.njit(parallel=True)
    def bare_3d(f, g0, g1, g2):
        n0, n1, n2 = f.shape
        for i in numba.prange(1, n0 - 1):
            for j in range(1, n1 - 1):
                for k in range(n2):
                    g0[i, j, k] = (f[i + 1, j, k] - f[i - 1, j, k]) * 0.5
                for k in range(n2):
                    g1[i, j, k] = (f[i, j + 1, k] - f[i, j - 1, k]) * 0.5
                for k in range(1, n2 - 1):
                    g2[i, j, k] = (f[i, j, k + 1] - f[i, j, k - 1]) * 0.5

    return {1: bare_1d, 2: bare_2d, 3: bare_3d}[ndim]


def contenders(f: np.ndarray, case: str, threads: int) -> dict[str, Callable[[], object]]:
    import numba

    ndim = f.ndim
    coords = [np.cumsum(np.random.default_rng(k).uniform(0.5, 1.5, n)) for k, n in enumerate(f.shape)]
    spacing = {"unit": (), "coords": tuple(coords), "edge_order=2": (), "accuracy=4": ()}[case]
    options = {"unit": {}, "coords": {}, "edge_order=2": {"edge_order": 2}, "accuracy=4": {"accuracy": 4}}[case]
    outputs = tuple(np.empty_like(f) for _ in range(ndim))

    def gradkit_call(nthreads: int, preallocated: bool) -> Callable[[], object]:
        def call() -> object:
            numba.set_num_threads(nthreads)
            return gk.gradient(f, *spacing, out=outputs if preallocated else None, kernel="fused", **options)

        return call

    calls: dict[str, Callable[[], object]] = {}
    if case != "accuracy=4":
        calls["numpy"] = lambda: np.gradient(f, *spacing, **options)
    else:
        calls["numpy (2nd order)"] = lambda: np.gradient(f)
    calls.update(_peer_calls(f, case, spacing, options, threads))
    if case == "unit":
        bare = bare_loop(ndim)

        def bare_call(preallocated: bool) -> Callable[[], object]:
            def call() -> object:
                numba.set_num_threads(1)
                targets = outputs if preallocated else tuple(np.empty_like(f) for _ in range(ndim))
                bare(f, *targets)
                return targets

            return call

        calls["bare loop 1 thread (no edges)"] = bare_call(False)
        calls["bare loop 1 thread, out="] = bare_call(True)
    calls["gradkit 1 thread"] = gradkit_call(1, False)
    calls[f"gradkit {threads} threads"] = gradkit_call(threads, False)
    calls["gradkit 1 thread, out="] = gradkit_call(1, True)
    calls[f"gradkit {threads} threads, out="] = gradkit_call(threads, True)
    return calls


def _peer_calls(f, case, spacing, options, threads):
    calls = {}
    try:
        import torch

        torch.set_num_threads(threads)
        tensor = torch.from_numpy(f)
        if case in ("unit", "edge_order=2"):
            order = options.get("edge_order", 1)
            calls["torch.gradient"] = lambda: torch.gradient(tensor, edge_order=order)
        elif case == "coords":
            tcoords = tuple(torch.from_numpy(c) for c in spacing)
            calls["torch.gradient"] = lambda: torch.gradient(tensor, spacing=tcoords)
    except ImportError:
        pass
    try:
        from findiff import Diff

        if case in ("unit", "accuracy=4"):
            acc = 4 if case == "accuracy=4" else 2
            operators = [Diff(axis, 1.0, acc=acc) for axis in range(f.ndim)]
            calls[f"findiff acc={acc}"] = lambda: [d(f) for d in operators]
    except ImportError:
        pass
    try:
        import dask
        import dask.array as da

        if case in ("unit", "edge_order=2"):
            order = options.get("edge_order", 1)
            chunks = {1: (4 * 1024 * 1024,), 2: (512, 4096), 3: (32, 256, 256)}[f.ndim]
            lazy = da.from_array(f, chunks=chunks)

            def dask_call():
                with dask.config.set(scheduler="threads", num_workers=threads):
                    return dask.compute(*da.gradient(lazy, edge_order=order) if f.ndim > 1 else [da.gradient(lazy)])

            calls["dask.array.gradient"] = dask_call
    except ImportError:
        pass
    return calls


def timing_table(repeats: int, threads: int, sizes: list[str]) -> None:
    print(f"{threads} threads available\n")
    header = f"{'case':<14} {'contender':<28} {'time ms':>9} {'GB/s':>7} {'x floor':>8} {'vs numpy':>9}"
    for label in sizes:
        f = np.random.default_rng(1).standard_normal(SIZES[label])
        moved = f.nbytes * (1 + f.ndim)
        bandwidth = copy_bandwidth(f)
        floor = moved / bandwidth
        print(
            f"== {label} float64: bytes floor {floor * 1e3:.1f} ms (one read of {f.nbytes / 2**20:.0f} MiB "
            f"+ {f.ndim} output writes at the {bandwidth / 1e9:.1f} GB/s of a copy of this array)"
        )
        zeroing = zeroing_time(f)
        print(
            f"   a fresh output costs {zeroing * 1e3:.1f} ms more to fill than a touched one (its pages are faulted "
            "in and zeroed by the operating system)"
        )
        print(header)
        for case in ("unit", "coords", "edge_order=2", "accuracy=4"):
            numpy_time = None
            for name, call in contenders(f, case, threads).items():
                seconds = best_time(call, repeats)
                if name.startswith("numpy"):
                    numpy_time = seconds
                speedup = f"{numpy_time / seconds:8.2f}x" if numpy_time else ""
                print(
                    f"{case:<14} {name:<28} {seconds * 1e3:9.1f} {moved / seconds / 1e9:7.1f} "
                    f"{seconds / floor:8.2f} {speedup:>9}"
                )
        print()


_CHILD = r"""
import json, os, sys, time
import numpy as np
shape, kind, cache = json.loads(sys.argv[1])
f = np.random.default_rng(0).standard_normal(shape)
def status(field):
    with open("/proc/self/status") as lines:
        return next(int(l.split()[1]) * 1024 for l in lines if l.startswith(field))
def reset_peak():
    with open("/proc/self/clear_refs", "w") as control:
        control.write("5")  # resets the peak resident set size (VmHWM)
import gradkit as gk
if kind == "compile":
    start = time.perf_counter()
    gk.gradient(f, kernel="fused")
    print(json.dumps(time.perf_counter() - start))
    sys.exit()
if kind == "gradkit":
    outs = [np.empty_like(f) for _ in shape]
    for o in outs: o.fill(0.0)
    gk.gradient(f[:64 if len(shape) > 1 else 1 << 16], kernel="fused")  # load the compiled kernel first
base = status("VmRSS:")
reset_peak()
if kind == "numpy":
    result = np.gradient(f)
    extra = status("VmHWM:") - base - sum(r.nbytes for r in (result if isinstance(result, tuple) else (result,)))
else:
    gk.gradient(f, out=tuple(outs) if len(shape) > 1 else outs[0], kernel="fused")
    extra = status("VmHWM:") - base
print(json.dumps(extra / (f.nbytes * (1 + len(shape)))))
"""


def child(arguments: list, env: dict | None = None) -> float:
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, json.dumps(arguments)],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def compile_and_memory(sizes: list[str]) -> None:
    print("== fused kernel compile: first call in a fresh process, empty cache vs loaded from the disk cache")
    with tempfile.TemporaryDirectory() as cache:
        env = {"NUMBA_CACHE_DIR": cache}
        for label in ("4096^2", "256^3"):
            shape = [64] * len(SIZES[label])
            cold = child([shape, "compile", cache], env)
            warm = child([shape, "compile", cache], env)
            print(f"{len(shape)}-D: first process {cold:.2f} s, second process {warm:.2f} s")
    print("\n== peak memory above input + outputs (RSS in a subprocess), share of input + outputs")
    for label in sizes:
        shape = list(SIZES[label])
        numpy_extra = child([shape, "numpy", None])
        ours = child([shape, "gradkit", None])
        print(f"{label:<8} numpy.gradient {numpy_extra:6.1%}   gradkit (out=) {ours:6.1%}")
    print()


_FIRST_USE = r"""
import json, sys, time
import numpy as np
which = sys.argv[1]
f = np.random.default_rng(0).standard_normal((4096, 4096))
np.negative(f, out=np.empty_like(f))  # page the input in: only the gradient's own first-call costs remain
start = time.perf_counter()
if which == "numpy":
    np.gradient(f)
    print(json.dumps(time.perf_counter() - start))
    sys.exit()
import gradkit as gk
from gradkit.grid import warmup
gk.gradient(f, kernel=which)
first = time.perf_counter() - start
fused = sys.modules.get("gradkit.grid.fused")
compiled = 0 if fused is None else len(fused.fused_2d.signatures)
state = warmup.wait(timeout=600) if which == "auto" else "n/a"
start = time.perf_counter()
gk.gradient(f, kernel=which)
print(json.dumps([first, compiled, state, time.perf_counter() - start]))
"""


def first_use() -> None:
    """The first call in a fresh process with an empty numba cache: kernel="auto" against NumPy and against
    an explicit kernel="fused" (which compiles in the caller)."""
    print("== first call in a fresh process, empty numba cache, 4096^2 float64 (import time excluded)")
    for which in ("numpy", "auto", "fused"):
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "NUMBA_CACHE_DIR": cache}
            env.pop("GRADKIT_WARMUP", None)
            run = subprocess.run(
                [sys.executable, "-c", _FIRST_USE, which], capture_output=True, text=True, env=env, check=True
            )
            result = json.loads(run.stdout.strip().splitlines()[-1])
        if which == "numpy":
            numpy_first = result
            print(f"numpy.gradient        first call {result:6.3f} s")
            continue
        first, compiled, state, second = result
        print(
            f"gradkit kernel={which!r:9} first call {first:6.3f} s ({first / numpy_first:5.1f}x NumPy's), "
            f"signatures compiled in the caller: {compiled}; "
            + (f"after the background warm-up ({state}) " if which == "auto" else "")
            + f"next call {second:.3f} s"
        )
    print()


def zarr_run(gib: float, threads: int) -> None:
    import dask
    import dask.array as da
    import zarr  # noqa: F401

    rows = int(gib * 2**30 / 8 / 8192)
    shape, chunks = (rows, 8192), (256, 8192)
    print(f"== Dask + Zarr: {rows}x8192 float64 ({gib:g} GiB) on disk -> gradient along both axes -> Zarr")
    with tempfile.TemporaryDirectory(dir=os.environ.get("GRADKIT_BENCH_DIR")) as folder:
        source = os.path.join(folder, "input.zarr")
        with dask.config.set(scheduler="threads", num_workers=threads):
            da.random.default_rng(0).standard_normal(shape, chunks=chunks).to_zarr(source)
        script = f"""
import time, dask, dask.array as da, gradkit as gk
f = da.from_zarr({source!r})
start = time.perf_counter()
with dask.config.set(scheduler="threads", num_workers={threads}):
    gx, gy = gk.gradient(f, 0.5)
    dask.compute(da.to_zarr(gx, {os.path.join(folder, "gx.zarr")!r}, compute=False, overwrite=True),
                 da.to_zarr(gy, {os.path.join(folder, "gy.zarr")!r}, compute=False, overwrite=True))
seconds = time.perf_counter() - start
# VmHWM is this process' own peak; ru_maxrss would include the parent's, inherited through fork.
with open("/proc/self/status") as lines:
    peak = next(int(line.split()[1]) * 1024 for line in lines if line.startswith("VmHWM:"))
print(seconds, peak)
"""
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
        seconds, peak = map(float, out.stdout.split())
        moved = 3 * gib * 2**30
        print(
            f"time {seconds:.1f} s, {moved / seconds / 1e9:.2f} GB/s (read input + write 2 outputs), "
            f"peak RSS {peak / 2**30:.2f} GiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--sizes", default=",".join(SIZES), help="comma-separated subset of: " + ", ".join(SIZES))
    parser.add_argument("--zarr-gib", type=float, default=4.0, help="size of the Dask/Zarr run; 0 skips it")
    parser.add_argument("--first-use", action="store_true", help="only the first call in a fresh process (quick)")
    arguments = parser.parse_args()
    if arguments.first_use:
        first_use()
        return
    import numba

    threads = numba.config.NUMBA_NUM_THREADS
    sizes = [s.strip() for s in arguments.sizes.split(",")]
    timing_table(arguments.repeats, threads, sizes)
    first_use()
    compile_and_memory(sizes)
    if arguments.zarr_gib > 0:
        zarr_run(arguments.zarr_gib, threads)


if __name__ == "__main__":
    main()
