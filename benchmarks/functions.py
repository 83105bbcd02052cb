"""Side-by-side gradients of Python functions: gradkit's methods against SciPy, numdifftools and torch.

Run with ``make bench-functions`` (or ``.venv/bin/python benchmarks/functions.py``). For each test function
it prints the relative error against the exact gradient, the number of function evaluations and the wall
time per call (best of several), then times a 1000-dimensional Rosenbrock gradient evaluated in batches.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
from scipy.optimize import approx_fprime, rosen, rosen_der

import gradkit as gk


def best_time(call: Callable[[], object], budget: float = 0.3) -> float:
    call()
    times = []
    deadline = time.perf_counter() + budget
    while time.perf_counter() < deadline or len(times) < 3:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


class Counted:
    def __init__(self, f):
        self.f, self.calls = f, 0

    def __call__(self, x, *args):
        self.calls += 1
        return self.f(x)


def cases():
    def exp_sin(x):
        return np.exp(x[0]) * np.sin(x[0])

    def gaussian(x):
        return np.exp(-(x[0] ** 2)) * np.exp(-(x[1] ** 2))

    def inverse(x):
        return 1.0 / x[0]

    return [
        (
            "exp(x)sin(x) @1",
            exp_sin,
            np.array([1.0]),
            np.array([np.exp(1.0) * (np.sin(1.0) + np.cos(1.0))]),
            lambda lib: lambda x: lib.exp(x[0]) * lib.sin(x[0]),
        ),
        (
            "Rosenbrock 10-D @0.5",
            rosen,
            np.full(10, 0.5),
            rosen_der(np.full(10, 0.5)),
            lambda lib: lambda x: (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum(),
        ),
        (
            "Gaussian 2-D",
            gaussian,
            np.array([0.3, -0.7]),
            -2 * np.array([0.3, -0.7]) * np.exp(-0.09 - 0.49),
            lambda lib: lambda x: lib.exp(-(x[0] ** 2)) * lib.exp(-(x[1] ** 2)),
        ),
        ("1/x @1e-3", inverse, np.array([1e-3]), np.array([-1e6]), lambda lib: lambda x: 1.0 / x[0]),
    ]


def contenders(f, x, written_with):
    rows = {}
    for method in ("richardson", "central", "forward", "complex"):

        def run(method=method):
            counted = Counted(f)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = gk.grad(counted, x, method=method)
            return value, counted.calls

        rows[f"gradkit {method}"] = run

    def numdifftools_call():
        import numdifftools as nd

        counted = Counted(f)
        return np.atleast_1d(nd.Gradient(counted)(x)), counted.calls

    def scipy_differentiate():
        from scipy.differentiate import jacobian

        result = jacobian(f, x)
        return result.df, int(np.sum(result.nfev))

    def fprime():
        counted = Counted(f)
        return approx_fprime(x, counted), counted.calls

    rows["scipy.differentiate"] = scipy_differentiate
    rows["numdifftools Gradient"] = numdifftools_call
    rows["scipy approx_fprime"] = fprime
    try:
        import torch

        gradient = torch.func.grad(written_with(torch))
        tensor = torch.tensor(x)
        rows["torch autograd"] = lambda: (gradient(tensor).numpy(), 1)
    except ImportError:
        pass
    try:
        import jax
        import jax.numpy as jnp

        jax.config.update("jax_enable_x64", True)
        jitted = jax.jit(jax.grad(written_with(jnp)))
        rows["jax.jit(grad)"] = lambda: (np.asarray(jitted(jnp.asarray(x))), 1)
    except ImportError:
        pass
    return rows


def accuracy_table() -> None:
    print(f"{'case':<22} {'method':<24} {'rel. error':>10} {'nfev':>6} {'time/call':>11}")
    against = []
    for name, f, x, exact, written_with in cases():
        measured = {}
        for label, call in contenders(f, x, written_with).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value, nfev = call()
                seconds = best_time(call)
            error = np.max(np.abs(np.asarray(value) - exact) / np.abs(exact))
            measured[label] = (error, nfev, seconds)
            print(f"{name:<22} {label:<24} {error:10.1e} {nfev:6d} {seconds * 1e6:9.1f} us")
        print()
        ours, theirs = measured["gradkit richardson"], measured["numdifftools Gradient"]
        against.append((name, ours, theirs))
    print("gradkit richardson against numdifftools Gradient (its default, adaptive too):")
    print(f"{'case':<22} {'error, ours':>12} {'theirs':>10} {'evaluations':>13} {'less time':>10}")
    for name, ours, theirs in against:
        print(f"{name:<22} {ours[0]:12.1e} {theirs[0]:10.1e} {ours[1] / theirs[1]:12.2f}x {theirs[2] / ours[2]:9.1f}x")
    print()


def rosenbrock_1000() -> None:
    x = np.random.default_rng(0).uniform(-1, 1, 1000)
    exact = rosen_der(x)

    def batch(points):
        return rosen(points.T)

    fprime = best_time(lambda: approx_fprime(x, rosen), 1.0)
    print("Rosenbrock 1000-D gradient, f vectorized over a batch of points:")
    floors = {1001: "the least any first-order difference costs", 2000: "the points of gradkit's second-order stencils"}
    for points, meaning in floors.items():
        same_batch = np.repeat(x[None], points, axis=0)
        floor = best_time(lambda same_batch=same_batch: batch(same_batch), 1.0)
        print(f"{f'f alone on one batch of {points} points':<44} {floor * 1e3:8.2f} ms   ({meaning})")
        pieces = [same_batch[i : i + 128] for i in range(0, points, 128)]
        in_pieces = best_time(lambda pieces=pieces: [batch(piece) for piece in pieces], 1.0)
        print(f"{f'f alone on {points} points, 128 a call':<44} {in_pieces * 1e3:8.2f} ms")
    print(
        f"{'scipy approx_fprime (1001 calls)':<44} {fprime * 1e3:8.2f} ms   rel. error "
        f"{np.max(np.abs(approx_fprime(x, rosen) - exact) / np.abs(exact).max()):.1e}"
    )
    # first order, as approx_fprime, then gradkit's defaults; vectorized=True picks cache-sized batches itself
    runs = [("forward", 1, True), ("forward", 1, 128), ("forward", 2, True), ("central", 2, True)]
    runs += [("central", 2, 128), ("richardson", 2, True), ("richardson", 2, 128)]
    print(f"{'':<44} {'gradkit':>8}    {'f alone':>8}   (f on the same points, in the same calls)")
    for method, accuracy, vectorized in runs:
        calls = []
        options = {"vectorized": vectorized, "method": method, "accuracy": accuracy}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            seconds = best_time(lambda options=options: gk.grad(batch, x, **options), 1.0)
            value = gk.grad(lambda p, calls=calls: calls.append(p.copy()) or batch(p), x, **options)
        alone = best_time(lambda calls=calls: [batch(points) for points in calls], 1.0)
        label = f"gradkit {method}{', accuracy=1' if accuracy == 1 else ''}, vectorized={vectorized}"
        print(
            f"{label:<44} {seconds * 1e3:8.2f} ms {alone * 1e3:8.2f} ms  {seconds / alone:4.2f}x f's own time   "
            f"rel. error {np.max(np.abs(value - exact) / np.abs(exact).max()):.1e}   {fprime / seconds:5.1f}x faster "
            f"than approx_fprime   nfev {sum(len(points) for points in calls)} in {len(calls)} calls"
        )


if __name__ == "__main__":
    accuracy_table()
    rosenbrock_1000()
