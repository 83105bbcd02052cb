"""The explorer's computations: what a worker process runs for /api/parse, /api/field and /api/path.

Each worker keeps the formulas it prepared (parsed, differentiated, checked, compiled) in a small cache, so
a client that asks for the same formula again (a zoom, a pan, a new parameter value) pays only for the
evaluation. Every answer is plain data (dicts of numbers, lists and base64 text), cheap to send back.
"""

from __future__ import annotations

import base64
import functools
import time
from collections.abc import Mapping, Sequence

import numpy as np

from gradkit.explorer.formula import Prepared, prepare
from gradkit.symbolic import FormulaError

DEFAULT_FORMULA = "exp(-x^2)*exp(-y^2)"  # the page's first formula, compiled before any worker starts
MAX_GRID = 512
MAX_STEPS = 10_000
COMPILED_FORMULAS = 32
DTYPE = "<f8"  # the fields travel as little-endian float64, so nothing a double holds is lost on the way


@functools.lru_cache(maxsize=COMPILED_FORMULAS)
def _prepared(formula: str, axes: tuple[str, str] | None) -> Prepared:
    return prepare(formula, axes)


def parse(formula: str, axes: tuple[str, str] | None = None) -> dict:
    """The formula's letters, axes and parameters, its exact gradient (text, LaTeX) and JSON trees.

    Examples
    --------
    >>> reply = parse("a*x^2 + y")
    >>> reply["letters"], reply["axes"], reply["parameters"], reply["gradient"]
    (['a', 'x', 'y'], ['x', 'y'], ['a'], ['2*a*x', '1'])
    """
    prepared = _prepared(formula, axes)
    expression, partials = prepared.expression, prepared.partials
    return {
        "formula": formula,
        "expression": str(expression),
        "latex": expression.latex,
        "letters": list(prepared.letters),
        "axes": None if prepared.axes is None else list(prepared.axes),
        "parameters": list(prepared.parameters),
        "tree": prepared.tree,
        "gradient": None if partials is None else [str(d) for d in partials],
        "gradient_latex": None if partials is None else [d.latex for d in partials],
        "gradient_tree": None if prepared.gradient_tree is None else list(prepared.gradient_tree),
    }


def field(
    formula: str,
    axes: tuple[str, str] | None,
    params: Mapping[str, float],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    n: int,
    gradient: bool = False,
) -> dict:
    """f (and on request its exact gradient) on an n x n grid, as base64 float64 arrays with rows along y.

    Values beyond double precision stay infinite and are counted (``infinite``), as are undefined ones.

    Examples
    --------
    >>> reply = field("a*x + y", None, {"a": 2.0}, (0.0, 1.0), (0.0, 1.0), 2)
    >>> np.frombuffer(base64.b64decode(reply["values"]), dtype=DTYPE).reshape(2, 2).tolist()
    [[0.0, 2.0], [1.0, 3.0]]
    """
    start = time.perf_counter()
    prepared, values = _ready(formula, axes, params)
    # A row of x and a column of y: the compiled formula broadcasts them, so the parts of a formula that
    # depend on one variable only (exp(-x^2) in exp(-x^2)*exp(-y^2)) are computed n times, not n^2.
    x, y = np.linspace(*xlim, n)[np.newaxis, :], np.linspace(*ylim, n)[:, np.newaxis]
    f = _evaluate(prepared.expression, x, y, values)
    reply = {
        "n": n,
        "xlim": list(xlim),
        "ylim": list(ylim),
        "axes": list(prepared.axes),
        "params": dict(zip(prepared.parameters, values)),
        "dtype": DTYPE,
        "values": _encode(f),
        **_summary(f),
    }
    if gradient:
        gx, gy = (_evaluate(d, x, y, values) for d in prepared.partials)
        reply["gx"], reply["gy"] = _encode(gx), _encode(gy)
        reply["gradient_infinite"] = int(np.isinf(gx).sum() + np.isinf(gy).sum())
        reply["gradient_undefined"] = int(np.isnan(gx).sum() + np.isnan(gy).sum())
    reply["compute_ms"] = (time.perf_counter() - start) * 1e3
    return reply


def path(
    formula: str,
    axes: tuple[str, str] | None,
    params: Mapping[str, float],
    start: tuple[float, float],
    step: float,
    steps: int,
    momentum: float,
    ascent: bool,
) -> dict:
    """A gradient ascent or descent path (heavy ball; plain steps at momentum 0), with f at each point and
    why it stopped, from `gradkit.paths`' loop on the exact gradient."""
    from gradkit.paths import ascend, descend
    from gradkit.paths.rules import HeavyBall
    from gradkit.paths.stopping import Status

    prepared, values = _ready(formula, axes, params)

    def f(point: np.ndarray) -> float:
        return float(prepared.expression.evaluate(point[:1], point[1:], *values)[0])

    def gradient(point: np.ndarray) -> np.ndarray:
        return np.array([float(d.evaluate(point[:1], point[1:], *values)[0]) for d in prepared.partials])

    follow = ascend if ascent else descend
    with np.errstate(all="ignore"):
        if not np.isfinite(f(np.asarray(start, dtype=float))):
            points, status, message = np.array([start], dtype=float), Status.DIVERGED, "f is not finite at the start"
        else:
            result = follow(
                f,
                np.asarray(start, dtype=float),
                jac=gradient,
                rule=HeavyBall(step=step, momentum=momentum),
                maxiter=steps,
                gtol=PATH_GTOL,
            )
            points, status, message = result.points, Status(result.status), result.message
        trail = np.asarray(points, dtype=float)
        f_values = prepared.expression.evaluate(trail[:, 0], trail[:, 1], *values)
    return {
        "axes": list(prepared.axes),
        "params": dict(zip(prepared.parameters, values)),
        "points": trail.tolist(),
        "values": [v if np.isfinite(v) else None for v in f_values.tolist()],
        "status": int(status),
        "reason": status.name.lower(),
        "message": message,
    }


#: Below this gradient norm a path has arrived (the page draws nothing shorter than a pixel anyway).
PATH_GTOL = 1e-12


def _ready(formula: str, axes: tuple[str, str] | None, params: Mapping[str, float]) -> tuple[Prepared, list[float]]:
    """The prepared formula with its axes chosen, and the parameters' values in its variables' order."""
    prepared = _prepared(formula, axes)
    if prepared.axes is None:
        letters = ", ".join(prepared.letters)
        raise FormulaError(f"choose two of the letters {letters} as the axes (the request's axes field)")
    extra = sorted(set(params) - set(prepared.parameters))
    if extra:
        raise ValueError(f"params: {_names(extra)} not among the formula's parameters ({_names(prepared.parameters)})")
    missing = [name for name in prepared.parameters if name not in params]
    if missing:
        raise ValueError(f"params: no value for the parameter{'s' * (len(missing) > 1)} {_names(missing)}")
    return prepared, [float(params[name]) for name in prepared.parameters]


def _names(names: Sequence[str]) -> str:
    shown = ", ".join(name[:32] for name in names[:8])
    return shown + (", ..." if len(names) > 8 else "") if names else "none"


def _evaluate(expression, x: np.ndarray, y: np.ndarray, values: list[float]) -> np.ndarray:
    """`expression` at a row of x and a column of y (broadcast to the grid), with the parameters' values."""
    with np.errstate(all="ignore"):
        result = expression.evaluate(x, y, *values)
    return np.broadcast_to(result, (y.shape[0], x.shape[1]))


def _summary(values: np.ndarray) -> dict:
    """The finite range, and how many values are beyond double precision (infinite) or undefined (nan)."""
    finite = values[np.isfinite(values)]
    infinite, undefined = int(np.isinf(values).sum()), int(np.isnan(values).sum())
    warnings = []
    if infinite:
        warnings.append(f"{infinite} of {values.size} values are beyond double precision (sent as +-inf)")
    return {
        "min": float(finite.min()) if finite.size else None,
        "max": float(finite.max()) if finite.size else None,
        "infinite": infinite,
        "undefined": undefined,
        "warnings": warnings,
    }


def _encode(array: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(array, dtype=DTYPE).tobytes()).decode("ascii")
