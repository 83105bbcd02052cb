"""Draw docs/paths.png: one start in Rosenbrock's valley, four ways down.

Run from the repository root: ``python docs/paths_picture.py``.
"""

from __future__ import annotations

from pathlib import Path

ROSENBROCK = "(1 - x)^2 + 100*(y - x^2)^2"
START = (-1.2, 1.0)
STEPS = 20_000


def runs():
    """(title, result) for each way down, all from START with at most STEPS steps."""
    import gradkit as gk

    return [
        ("fixed step 0.01", gk.descend(ROSENBROCK, START, step=0.01, maxiter=STEPS)),
        ("fixed step 0.0002", gk.descend(ROSENBROCK, START, step=2e-4, maxiter=STEPS)),
        ("Armijo line search", gk.descend(ROSENBROCK, START, rule="armijo", maxiter=STEPS)),
        (
            "heavy ball, step 0.001, momentum 0.9",
            gk.descend(ROSENBROCK, START, rule="heavy-ball", step=1e-3, maxiter=STEPS),
        ),
    ]


def draw(target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    results = runs()
    x, y = np.meshgrid(np.linspace(-2, 2, 400), np.linspace(-1, 3, 400))
    f = (1 - x) ** 2 + 100 * (y - x**2) ** 2
    figure = plt.figure(figsize=(13, 7.5), layout="constrained")
    grid = figure.add_gridspec(2, 3)
    colours = ["#d62728", "#8c564b", "#1f77b4", "#ff7f0e"]
    chart = figure.add_subplot(grid[:, 2])
    for index, ((title, result), colour) in enumerate(zip(results, colours)):
        ax = figure.add_subplot(grid[index // 2, index % 2])
        ax.contour(x, y, np.log10(f + 1e-3), levels=18, cmap="viridis", linewidths=0.7)
        points = result.points
        ax.plot(points[:, 0], points[:, 1], "-", color=colour, linewidth=1.4)
        markers = points[:: max(1, len(points) // 40)]  # about 40 dots: where the path lingers, they gather
        ax.plot(markers[:, 0], markers[:, 1], "o", color=colour, markersize=2.5)
        ax.plot(*START, "o", color="white", markeredgecolor="black", zorder=3)
        ax.plot(1, 1, "*", color="black", markersize=10, zorder=3)
        ax.set_xlim(-2, 2)
        ax.set_ylim(-1, 3)
        ax.set_aspect("equal")
        ax.set_title(f"{title}\n{result.message.split(':')[0]}", fontsize=9)
        chart.semilogy(np.arange(result.nit + 1), result.values, color=colour, label=title)
    chart.set_xscale("symlog", linthresh=10)
    chart.set_xlabel("step")
    chart.set_ylabel("f (Rosenbrock)")
    chart.set_ylim(1e-14, 1e6)
    chart.legend(fontsize=8)
    chart.set_title("f along each path", fontsize=9)
    figure.suptitle("Gradient descent from (-1.2, 1) on Rosenbrock's function (minimum at (1, 1), the star)")
    figure.savefig(target, dpi=80)


if __name__ == "__main__":
    draw(Path(__file__).with_name("paths.png"))
