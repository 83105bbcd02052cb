"""Draw docs/noisy.png: a noisy signal, its true derivative, numpy.gradient's and smooth_gradient's.

Run with ``python benchmarks/noisy_picture.py`` (needs the ``plot`` and ``smooth`` extras).
"""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

import gradkit as gk

OUT = pathlib.Path(__file__).resolve().parent.parent / "docs" / "noisy.png"


def main() -> None:
    t = np.linspace(-3, 3, 501)
    rng = np.random.default_rng(0)
    y = np.exp(-(t**2)) + 0.01 * rng.standard_normal(t.size)
    true = -2 * t * np.exp(-(t**2))
    plain = np.gradient(y, t)
    r = gk.smooth_gradient(y, t, full_output=True)

    def rms(d):
        return np.sqrt(np.mean((d - true) ** 2))

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6.5), sharex=True, height_ratios=[1, 1.6])
    top.plot(t, y, ".", ms=2, color="0.4", label="samples: exp(-t²) + noise (sd 0.01)")
    top.plot(t, r.values, color="C1", lw=1.5, label=f"smoothed ({r.method})")
    top.legend(loc="upper left", fontsize=9)
    top.set_ylabel("y")
    bottom.plot(t, plain, color="0.75", lw=0.8, label=f"np.gradient (RMS error {rms(plain):.2f})")
    bottom.plot(t, true, color="k", lw=2, label="true derivative")
    bottom.fill_between(t, r.gradient - 2 * r.std, r.gradient + 2 * r.std, color="C1", alpha=0.3, lw=0)
    bottom.plot(
        t, r.gradient, color="C1", lw=1.5, label=f"smooth_gradient, auto (RMS error {rms(r.gradient):.3f}) ± 2 std"
    )
    bottom.set_ylim(-1.6, 1.6)
    bottom.set_xlabel("t")
    bottom.set_ylabel("dy/dt")
    bottom.legend(loc="upper left", fontsize=9)
    fig.suptitle("Derivative of noisy samples: differencing vs. gk.smooth_gradient")
    fig.tight_layout()
    fig.savefig(OUT, dpi=110)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
