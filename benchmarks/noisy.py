"""Derivatives of noisy samples: gradkit's smooth_gradient against NumPy, SciPy, `derivative` and PyNumDiff.

Run with ``python benchmarks/noisy.py`` (``--quick`` for a sanity run of a few minutes; ``--case
smooth:1000:1e-1``, repeatable, for single cases). Synthetic signals (smooth, oscillating, kinked, stepped,
periodic, exponential growth, and a smooth one at uneven random coordinates) with white noise of σ = 1e-4 …
1e-1 times the signal's range, at 100 to 10⁶ samples. Each contender differentiates the same noisy samples in
one run; the table shows the derivative's RMS error (over the whole record, edges included) and the time, and
then the ratios of "auto" to the best contender.

Contenders and how they are set up (as a user would, each with its own tuning where it has one):
- ``np.gradient(y, x)``: no smoothing.
- ``savgol_filter``: window n/10 (odd, at most 1001), degree 3, ``delta`` = the step (even samples only);
  it has no tuning.
- ``make_smoothing_spline``: SciPy's GCV (skipped above 10⁴ samples, where it takes many seconds or fails).
- ``derivative`` (``kind="spline"``): needs its smoothing by hand; it is given s = n·σ² with the *true* σ,
  an advantage no user has (skipped above 10⁵ samples: about a minute per call at 10⁶).
- PyNumDiff: ``optimize(rtsdiff, ...)`` with its default search and ``bandlimit`` set from the signal's known
  content, one process, under a time cap (``--pynumdiff-cap`` seconds; past it, the case counts as failed),
  on the few cases it runs on (its tuning takes minutes per case): ``--pynumdiff-signals`` at 100 samples
  (and 200 with ``--quick``), σ = 1e-2.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
import warnings
from collections.abc import Callable

import numpy as np

from gradkit.smooth import smooth_gradient

TAU = 2 * np.pi


def _bump(x):
    return np.exp(-(((x - 0.5) / 0.2) ** 2))


def _bump_slope(x):
    return -2 * (x - 0.5) / 0.04 * _bump(x)


def _wave(x):
    return np.sin(TAU * 6 * x) * (1 + x)


def _wave_slope(x):
    return TAU * 6 * np.cos(TAU * 6 * x) * (1 + x) + np.sin(TAU * 6 * x)


def _kink(x):
    return np.abs(x - 0.37) + 0.3 * np.sin(3 * x)


def _kink_slope(x):
    return np.sign(x - 0.37) + 0.9 * np.cos(3 * x)


def _step(x):
    return np.tanh((x - 0.52) / 0.02)


def _step_slope(x):
    return 1 / 0.02 / np.cosh((x - 0.52) / 0.02) ** 2


def _cycle(x):
    return np.sin(TAU * x) + 0.5 * np.cos(TAU * 3 * x)


def _cycle_slope(x):
    return TAU * np.cos(TAU * x) - 1.5 * TAU * np.sin(TAU * 3 * x)


#: name -> (f, f', bandlimit in cycles per unit x for PyNumDiff, periodic, uneven samples)
SIGNALS: dict[str, tuple[Callable, Callable, float, bool, bool]] = {
    "smooth": (_bump, _bump_slope, 3.0, False, False),
    "oscillating": (_wave, _wave_slope, 8.0, False, False),
    "kinked": (_kink, _kink_slope, 5.0, False, False),
    "stepped": (_step, _step_slope, 20.0, False, False),
    "periodic": (_cycle, _cycle_slope, 4.0, True, False),
    "exponential": (lambda x: np.exp(4 * x), lambda x: 4 * np.exp(4 * x), 2.0, False, False),
    "uneven": (lambda x: np.sin(5 * x) + x**2, lambda x: 5 * np.cos(5 * x) + 2 * x, 2.0, False, True),
}


def case(name: str, n: int, level: float, seed: int):
    f, df, _, periodic, uneven = SIGNALS[name]
    rng = np.random.default_rng(seed)
    if uneven:
        x = np.sort(rng.uniform(0, 1, n))
    elif periodic:
        x = np.arange(n) / n
    else:
        x = np.linspace(0, 1, n)
    clean = f(x)
    sigma = level * float(np.ptp(clean))
    return x, clean + sigma * rng.standard_normal(n), df(x), sigma


def contenders(name: str, sigma: float, n: int, uneven: bool, periodic: bool, pynumdiff_cap: float):
    from scipy.interpolate import make_smoothing_spline
    from scipy.signal import savgol_filter

    def savgol(x, y):
        window = max(5, min(n // 10, 1001) | 1)
        return None if uneven else savgol_filter(y, window, 3, deriv=1, delta=x[1] - x[0])

    def spline(x, y):
        return None if n > 10_000 else make_smoothing_spline(x, y).derivative()(x)

    def derivative_spline(x, y):
        import derivative

        return None if n > 100_000 else derivative.dxdt(y, x, kind="spline", s=n * sigma**2)

    def pynumdiff(x, y):
        return None if pynumdiff_cap <= 0 else _capped_pynumdiff(x, y, SIGNALS[name][2], pynumdiff_cap)

    return {
        "auto": lambda x, y: smooth_gradient(y, x, periodic=periodic),
        "np.gradient": lambda x, y: np.gradient(y, x),
        "savgol_filter": savgol,
        "make_smoothing_spline": spline,
        "derivative": derivative_spline,
        "pynumdiff": pynumdiff,
    }


def _pynumdiff_worker(x, y, bandlimit, queue):
    warnings.filterwarnings("ignore")
    from pynumdiff.kalman_smooth import rtsdiff
    from pynumdiff.optimize import optimize

    dt = float(x[1] - x[0])
    params, _ = optimize(rtsdiff, y, dt, bandlimit=bandlimit, parallel=False)
    queue.put(rtsdiff(y, x, **params)[1])


def _capped_pynumdiff(x, y, bandlimit, cap):
    queue = multiprocessing.get_context("fork").Queue()
    process = multiprocessing.get_context("fork").Process(target=_pynumdiff_worker, args=(x, y, bandlimit, queue))
    process.start()
    try:
        return queue.get(timeout=cap)
    except Exception:
        return "timeout"
    finally:
        process.kill()
        process.join()


def run(signals, lengths, levels, pynumdiff_cases, pynumdiff_cap, seed=0, pynumdiff_signals=(), only=None):
    rows = []
    for name in signals:
        for n in lengths:
            for level in levels:
                if only is not None and (name, n, level) not in only:
                    continue
                x, y, true, sigma = case(name, n, level, seed)
                uneven, periodic = SIGNALS[name][4], SIGNALS[name][3]
                cap = pynumdiff_cap if (n, level) in pynumdiff_cases and name in pynumdiff_signals else 0.0
                row = {"signal": name, "n": n, "level": level}
                for who, call in contenders(name, sigma, n, uneven, periodic, cap).items():
                    start = time.perf_counter()
                    try:
                        with warnings.catch_warnings():
                            warnings.simplefilter("ignore")
                            d = call(x, y)
                    except Exception as exc:  # a contender's failure is a result, recorded as such
                        d = f"fail: {type(exc).__name__}"
                    elapsed = time.perf_counter() - start
                    if d is None:
                        continue
                    if isinstance(d, str):
                        row[who] = (np.inf, elapsed, d)
                    else:
                        row[who] = (float(np.sqrt(np.mean((np.asarray(d) - true) ** 2))), elapsed, "")
                rows.append(row)
                print(_line(row), flush=True)
    return rows


NAMES = ("auto", "np.gradient", "savgol_filter", "make_smoothing_spline", "derivative", "pynumdiff")


def _line(row) -> str:
    cells = [f"{row['signal']:<12}{row['n']:>8}{row['level']:>8.0e}"]
    for who in NAMES:
        if who in row:
            err, t, note = row[who]
            cells.append(f"{(note or f'{err:.3g}'):>12} {t:>7.3f}s")
        else:
            cells.append(f"{'-':>12} {'':>8}")
    best = _best(row)
    ratio = row["auto"][0] / best if best else np.nan
    return " ".join(cells) + f"  auto/best {ratio:5.2f}"


def _best(row) -> float:
    errors = [row[w][0] for w in NAMES[1:] if w in row and np.isfinite(row[w][0])]
    return min(errors) if errors else 0.0


def summary(rows) -> None:
    ratios = np.array([r["auto"][0] / _best(r) for r in rows if _best(r) > 0])
    gradient = np.array([r["np.gradient"][0] / r["auto"][0] for r in rows])
    print(f"\n{len(rows)} cases. auto's RMSE / best contender's: median {np.median(ratios):.3f}, "
          f"90th percentile {np.quantile(ratios, 0.9):.3f}, worst {ratios.max():.3f}; cases above 2x: "
          f"{int(np.sum(ratios > 2))}")  # fmt: skip
    print(f"np.gradient's RMSE / auto's: median {np.median(gradient):.1f}, smallest {gradient.min():.2f}")
    wins = [r for r in rows if r["auto"][0] <= _best(r)]
    print(f"auto best or tied in {len(wins)} of {len(rows)} cases")
    pnd = [r for r in rows if "pynumdiff" in r]
    if pnd:
        speed = np.array([r["pynumdiff"][1] / r["auto"][1] for r in pnd])
        print(f"PyNumDiff tuning time / auto's: median {np.median(speed):.0f}x, smallest {speed.min():.0f}x "
              f"({len(pnd)} cases)")  # fmt: skip
    by_n: dict[int, list[float]] = {}
    for r in rows:
        by_n.setdefault(r["n"], []).append(r["auto"][1])
    print("auto's time by length (max): " + ", ".join(f"{n}: {max(t):.2f}s" for n, t in sorted(by_n.items())))
    worst = sorted(rows, key=lambda r: -r["auto"][0] / max(_best(r), 1e-300))[:5]
    print("worst cases: " + "; ".join(f"{r['signal']} n={r['n']} sigma={r['level']:.0e}" for r in worst))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few cases, a short PyNumDiff cap")
    parser.add_argument("--signals", default=",".join(SIGNALS))
    parser.add_argument("--pynumdiff-cap", type=float, default=None, help="seconds per PyNumDiff tuning")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pynumdiff-signals", default="smooth,kinked,periodic")
    parser.add_argument("--lengths", default=None, help="comma-separated lengths instead of the defaults")
    parser.add_argument(
        "--case",
        action="append",
        default=None,
        metavar="SIGNAL:N:LEVEL",
        help="run only this case, e.g. smooth:1000:1e-1 (repeatable; lengths and levels beyond the defaults allowed)",
    )
    args = parser.parse_args()
    signals = args.signals.split(",")
    if args.quick:
        lengths, levels = [200, 2000], [1e-3, 1e-2]
        pynumdiff_cases, cap = {(200, 1e-2)}, 20.0
    else:
        lengths, levels = [100, 1000, 10_000, 100_000, 1_000_000], [1e-4, 1e-3, 1e-2, 1e-1]
        pynumdiff_cases, cap = {(100, 1e-2)}, 120.0
    if args.lengths:
        lengths = [int(v) for v in args.lengths.split(",")]
    only = None
    if args.case:
        only = set()
        for spec in args.case:
            name, n, level = spec.split(":")
            only.add((name, int(n), float(level)))
        signals = [s for s in signals if s in {c[0] for c in only}]
        lengths = sorted({c[1] for c in only})
        levels = sorted({c[2] for c in only})
    if args.pynumdiff_cap is not None:
        cap = args.pynumdiff_cap
    header = f"{'signal':<12}{'n':>8}{'s/range':>8} " + " ".join(f"{w[:12]:>12} {'time':>8}" for w in NAMES)
    print("derivative RMSE and time per contender\n" + header)
    rows = run(signals, lengths, levels, pynumdiff_cases, cap, args.seed, args.pynumdiff_signals.split(","), only)
    summary(rows)


if __name__ == "__main__":
    main()
