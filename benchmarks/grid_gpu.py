"""Gradients on a CUDA GPU: gradkit on torch and CuPy arrays against torch.gradient and cupy.gradient.

Run with ``.venv/bin/python benchmarks/grid_gpu.py`` on a machine with a CUDA GPU (a CUDA build of torch
and/or ``cupy``). gradkit runs its reference kernel with the array's own library, so the data stays on the
device. Prints time per call (best of a few, synchronised) and the ratio to the library's own gradient, and
checks that both agree.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

import gradkit as gk

SHAPES = [(32 * 1024 * 1024,), (4096, 4096), (256, 256, 256)]


def best_time(call: Callable[[], object], synchronize: Callable[[], None], repeats: int = 5) -> float:
    call()
    synchronize()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        synchronize()
        times.append(time.perf_counter() - start)
    return min(times)


def torch_rows() -> list[tuple]:
    import torch

    if not torch.cuda.is_available():
        return []
    rows = []
    for shape in SHAPES:
        f = torch.randn(shape, dtype=torch.float64, device="cuda")
        theirs = best_time(lambda f=f: torch.gradient(f), torch.cuda.synchronize)
        ours = best_time(lambda f=f: gk.gradient(f), torch.cuda.synchronize)
        agree = all(
            torch.equal(a, b) or torch.allclose(a, b) for a, b in zip(_tuple(gk.gradient(f)), torch.gradient(f))
        )
        rows.append(("torch", shape, theirs, ours, agree))
    return rows


def cupy_rows() -> list[tuple]:
    import cupy

    rows = []
    for shape in SHAPES:
        f = cupy.random.standard_normal(shape)
        sync = cupy.cuda.Device().synchronize
        theirs = best_time(lambda f=f: cupy.gradient(f), sync)
        ours = best_time(lambda f=f: gk.gradient(f), sync)
        agree = all(bool(cupy.allclose(a, b)) for a, b in zip(_tuple(gk.gradient(f)), _tuple(cupy.gradient(f))))
        rows.append(("cupy", shape, theirs, ours, agree))
    return rows


def _tuple(result):
    return result if isinstance(result, tuple) else (result,)


def main() -> None:
    rows = []
    for source in (torch_rows, cupy_rows):
        try:
            rows += source()
        except ImportError as missing:
            print(f"skipped: {missing}")
    if not rows:
        print("no CUDA device or no CUDA array library: nothing to measure")
        return
    print(f"{'library':<8} {'shape':<16} {'library ms':>11} {'gradkit ms':>11} {'ratio':>7} agree")
    for library, shape, theirs, ours, agree in rows:
        print(f"{library:<8} {shape!s:<16} {theirs * 1e3:11.2f} {ours * 1e3:11.2f} {theirs / ours:7.2f} {agree}")


if __name__ == "__main__":
    np.random.seed(0)
    main()
