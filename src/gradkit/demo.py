"""The tour printed by ``gradkit demo``: gradkit on the examples it started from."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import gradkit as gk


def seed_parabola(echo: Callable[[str], None]) -> None:
    """np.gradient(x**2, x) on five points, and the wrong answer a popular post prints."""
    x = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    echo("1. Sampled data: the derivative of x**2 on x = [1, 2, 3, 4, 5]")
    echo(f"   gk.gradient(x**2, x)             = {_fmt(gk.gradient(x**2, x))}")
    echo(f"   np.gradient(x**2, x)             = {_fmt(np.gradient(x**2, x))}   (the same, bit for bit)")
    echo("   Central differences inside, one-sided at the ends: [3, 4, 6, 8, 9] is right for these")
    echo("   formulas. A popular blog post prints [2, 2.5, 3, 3.5, 4] for this call; that is wrong.")
    exact = gk.gradient(x**2, x, accuracy=2)
    echo(f"   gk.gradient(x**2, x, accuracy=2) = {_fmt(exact)}   (exactly 2x: second-order edges)")


def seed_potential(echo: Callable[[str], None]) -> None:
    """The field E = grad V of V = 2x^2 + 3y^2 - 4z sampled on an mgrid."""
    x, y, z = np.mgrid[-100:101:25.0, -100:101:25.0, -100:101:25.0]
    potential = 2 * x**2 + 3 * y**2 - 4 * z
    ex, ey, ez = gk.gradient(potential, 25.0)
    echo("2. A potential on np.mgrid[-100:101:25., -100:101:25., -100:101:25.]: V = 2x^2 + 3y^2 - 4z")
    echo("   Ex, Ey, Ez = gk.gradient(V, 25.0)   # exact field: (4x, 6y, -4)")
    i, j, k = 6, 3, 4
    echo(
        f"   at (x, y, z) = ({x[i, j, k]:g}, {y[i, j, k]:g}, {z[i, j, k]:g}): "
        f"E = ({ex[i, j, k]:g}, {ey[i, j, k]:g}, {ez[i, j, k]:g})"
    )
    echo(f"   Ex along x at y = z = 0: {_fmt(ex[:, 4, 4])}")
    inside = (slice(1, -1),) * 3
    echo(
        f"   max |Ex - 4x| inside: {np.abs(ex - 4 * x)[inside].max():g};"
        f" on the faces (first-order edges): {np.abs(ex - 4 * x).max():g}"
    )
    ex2, _, _ = gk.gradient(potential, 25.0, edge_order=2)
    echo(f"   with edge_order=2 the faces are exact too: max |Ex - 4x| = {np.abs(ex2 - 4 * x).max():g}")


def seed_nonuniform_sine(echo: Callable[[str], None]) -> None:
    """Error of accuracy 2, 4 and 6 on sin(x) sampled at non-uniform points."""
    n = 40
    u = np.linspace(0.0, 1.0, n)
    x = 2 * np.pi * (u + 0.08 * np.sin(2 * np.pi * u))
    steps = np.diff(x)
    echo(f"3. sin(x) on {n} non-uniform points in [0, 2*pi] (steps from {steps.min():.3f} to {steps.max():.3f})")
    for accuracy in (2, 4, 6):
        error = np.abs(gk.gradient(np.sin(x), x, accuracy=accuracy) - np.cos(x)).max()
        echo(f"   accuracy={accuracy}: max |error| = {error:.2e}")
    error = np.abs(np.gradient(np.sin(x), x, edge_order=2) - np.cos(x)).max()
    echo(f"   np.gradient(edge_order=2): max |error| = {error:.2e}")


def seed_function_at_a_point(echo: Callable[[str], None]) -> None:
    """The seed function f(x, y) = exp(-x^2) exp(-y^2) at (0.3, -0.7) by every method."""
    import warnings

    point = np.array([0.3, -0.7])

    def f(p):
        return np.exp(-(p[0] ** 2)) * np.exp(-(p[1] ** 2))

    exact = -2 * point * f(point)
    echo("4. A Python function at a point: f(x, y) = exp(-x^2)*exp(-y^2) at (0.3, -0.7)")
    echo(f"   exact gradient: ({exact[0]:.15f}, {exact[1]:.15f})")
    echo(f"   {'method':<11} {'gradient':<40} {'true error':>10} {'estimate':>10} {'nfev':>5}")
    for method in ("richardson", "central", "forward", "backward", "complex"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = gk.grad(f, point, method=method, full_output=True)
        value = f"({r.value[0]:.15f}, {r.value[1]:.15f})"
        echo(f"   {method:<11} {value:<40} {np.abs(r.value - exact).max():10.1e} {r.error.max():10.1e} {r.nfev:5d}")
    echo("   (automatic differentiation: pass a torch tensor or a JAX array, or method='ad', backend='torch')")

    def loss(par):
        return (par[0] - 1.0) ** 2 + 3.0 * par[1] ** 2 + par[0] * par[2] + np.sin(par[3])

    par = np.array([2.0, 0.5, -1.0, 0.3])
    partial = gk.grad(loss, par, wrt=slice(0, 2))
    echo("   Only some inputs: loss(par) = (par0 - 1)^2 + 3 par1^2 + par0 par2 + sin(par3), par = [2, 0.5, -1, 0.3]")
    echo(f"   gk.grad(loss, par, wrt=slice(0, 2)) = {_fmt(partial)}   (exact: [1, 3])")


def seed_noisy_derivative(echo: Callable[[str], None]) -> None:
    """np.gradient on noisy samples against gk.smooth_gradient."""
    t = np.linspace(-3, 3, 501)
    y = np.exp(-(t**2)) + 0.01 * np.random.default_rng(0).standard_normal(t.size)
    true = -2 * t * np.exp(-(t**2))

    def rms(d: np.ndarray) -> float:
        return float(np.sqrt(np.mean((d - true) ** 2)))

    echo("5. Measured data: exp(-t^2) on 501 points plus noise of 0.01; differencing amplifies the noise")
    try:
        r = gk.smooth_gradient(y, t, full_output=True)
    except ImportError:
        echo('   (gk.smooth_gradient needs SciPy: pip install "gradkit[smooth]")')
        return
    echo(f"   np.gradient(y, t): RMS error of the derivative {rms(np.gradient(y, t)):.2f}")
    echo(
        f"   gk.smooth_gradient(y, t): RMS error {rms(r.gradient):.3f} "
        f"(chose {r.method}; noise estimated {r.noise:.4f}, true 0.01)"
    )


def write_picture(path) -> str:
    """The seed function's field, gradient arrows and an ascent path, written to `path`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    drawn = gk.plot.field("exp(-x^2)*exp(-y^2)", (-2, 2), (-2, 2))
    gk.plot.path("exp(-x^2)*exp(-y^2)", (1.6, -1.2), step=0.3, steps=60, ax=drawn.ax)
    drawn.ax.set_title("f(x, y) = exp(-x^2) exp(-y^2): gradient arrows point uphill", fontsize=10)
    drawn.ax.figure.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(drawn.ax.figure)
    return str(path)


def run(echo: Callable[[str], None] = print) -> None:
    """Print the whole tour."""
    sections = (seed_parabola, seed_potential, seed_nonuniform_sine, seed_function_at_a_point, seed_noisy_derivative)
    for section in sections:
        section(echo)
        echo("")


def _fmt(values: np.ndarray) -> str:
    return np.array2string(np.asarray(values), precision=6, separator=", ", suppress_small=True)
