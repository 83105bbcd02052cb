"""The explorer's computations, each run in a separate process with a time limit.

Formulas are already bounded by `gk.Expression`'s limits, but sympy's differentiation and compilation,
and evaluation on a large grid, can still take long for a large formula; and a signal cannot interrupt long
big-integer arithmetic. So every request's work runs in a child process started from a clean, preloaded
fork server, and is killed when it runs past the limit; the server process stays responsive.
"""

from __future__ import annotations

import base64
import multiprocessing
import time

import numpy as np

TIME_LIMIT = 5.0
MAX_GRID = 512
MAX_STEPS = 10_000

_CONTEXT = None


class ComputeTimeoutError(RuntimeError):
    """The computation ran past the time limit and was stopped."""


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["numpy", "sympy", "gradkit.symbolic", "gradkit.explorer.compute"])
    return _CONTEXT


def _child(connection, function, arguments):
    try:
        connection.send(("ok", function(*arguments)))
    except Exception as error:  # sent back and re-raised in the server as the same type
        connection.send(("error", error))
    finally:
        connection.close()


def bounded(function, *arguments, limit: float = TIME_LIMIT):
    """`function(*arguments)` in a child process; ComputeTimeoutError after `limit` seconds."""
    context = _context()
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sending, function, arguments), daemon=True)
    process.start()
    sending.close()
    try:
        if not receiving.poll(limit):
            raise ComputeTimeoutError(f"the computation took longer than {limit:g} s and was stopped")
        status, value = receiving.recv()
    except EOFError:
        raise ComputeTimeoutError("the computation ended without an answer") from None
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join(1)
    if status == "error":
        raise value
    return value


def parse(formula: str) -> dict:
    """Variables, exact gradient formulas, LaTeX and JSON trees of f and its partial derivatives."""
    from gradkit.explorer.tree import to_tree
    from gradkit.viz.field import _expression

    expression = _expression(formula)
    partials = expression.gradient()
    return {
        "formula": formula,
        "expression": str(expression),
        "variables": list(expression.variables),
        "latex": expression.latex,
        "gradient": [str(d) for d in partials],
        "gradient_latex": [d.latex for d in partials],
        "tree": to_tree(expression.expr),
        "gradient_tree": [to_tree(d.expr) for d in partials],
    }


def field(formula: str, xlim: tuple[float, float], ylim: tuple[float, float], n: int) -> dict:
    """f and its exact gradient on an n x n grid, as base64 float32 arrays (rows along y)."""
    from gradkit.viz.field import _expression

    start = time.perf_counter()
    expression = _expression(formula)
    partials = expression.gradient()
    X, Y = np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))  # noqa: N806
    with np.errstate(all="ignore"):
        values = expression.evaluate(X, Y)
        gx, gy = (d.evaluate(X, Y) for d in partials)
    finite = values[np.isfinite(values)]
    return {
        "n": n,
        "xlim": list(xlim),
        "ylim": list(ylim),
        "values": _encode(values),
        "gx": _encode(gx),
        "gy": _encode(gy),
        "min": float(finite.min()) if finite.size else 0.0,
        "max": float(finite.max()) if finite.size else 0.0,
        "compute_ms": (time.perf_counter() - start) * 1e3,
    }


def path(formula: str, start: tuple[float, float], step: float, steps: int, momentum: float, ascent: bool) -> dict:
    """A gradient ascent or descent path with f at each point."""
    from gradkit.viz.field import _expression

    expression = _expression(formula)
    partials = expression.gradient()
    sign = 1.0 if ascent else -1.0
    point, velocity = np.array(start, dtype=float), np.zeros(2)
    points = [point.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            g = np.array([float(d.evaluate(*point)) for d in partials])
            if not np.all(np.isfinite(g)) or np.hypot(*g) < 1e-12:
                break
            velocity = momentum * velocity + sign * step * g
            point = point + velocity
            if not np.all(np.isfinite(point)) or np.abs(point).max() > 1e12:
                break
            points.append(point.copy())
        trail = np.array(points)
        values = expression.evaluate(trail[:, 0], trail[:, 1])
    return {"points": trail.tolist(), "values": [v if np.isfinite(v) else None for v in values.tolist()]}


def _encode(array: np.ndarray) -> str:
    data = np.where(np.isfinite(array), array, np.nan).astype("<f4")
    return base64.b64encode(data.tobytes()).decode("ascii")
