"""The explorer's computations, run in worker processes with a time limit.

Formulas are already bounded by `gk.Expression`'s limits, but sympy's differentiation and compilation,
and evaluation on a large grid, can still take long for a large formula; and a signal cannot interrupt long
big-integer arithmetic. So every request's work runs in a worker process started from a clean, preloaded
fork server. A worker that runs past the limit is killed and replaced; the server process stays responsive.
Workers that answer in time are kept for the next request, with the formulas they compiled, so a page
that asks for the same formula again (a zoom, a pan, a path) pays only for the evaluation.
"""

from __future__ import annotations

import base64
import functools
import multiprocessing
import threading
import time

import numpy as np

TIME_LIMIT = 5.0
MAX_GRID = 512
MAX_STEPS = 10_000
IDLE_WORKERS = 4
COMPILED_FORMULAS = 32

_CONTEXT = None


class ComputeTimeoutError(RuntimeError):
    """The computation ran past the time limit and was stopped."""


def _context():
    global _CONTEXT
    if _CONTEXT is None:
        _CONTEXT = multiprocessing.get_context("forkserver")
        _CONTEXT.set_forkserver_preload(["numpy", "sympy", "gradkit.symbolic", "gradkit.explorer.compute"])
    return _CONTEXT


def _serve(connection) -> None:
    """A worker's loop: run each (function, arguments) it is sent and send back the answer or the error."""
    while True:
        try:
            function, arguments = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", function(*arguments)))
        except Exception as error:  # sent back and re-raised in the server as the same type
            connection.send(("error", error))


class _Worker:
    def __init__(self):
        context = _context()
        self.connection, child_end = context.Pipe()
        self.process = context.Process(target=_serve, args=(child_end,), daemon=True)
        self.process.start()
        child_end.close()

    def call(self, function, arguments, limit: float):
        self.connection.send((function, arguments))
        if not self.connection.poll(limit):
            raise ComputeTimeoutError(f"the computation took longer than {limit:g} s and was stopped")
        return self.connection.recv()

    def stop(self) -> None:
        self.connection.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(1)


class WorkerPool:
    """Worker processes reused while they answer in time; one that does not is killed."""

    def __init__(self, idle: int = IDLE_WORKERS):
        self._idle: list[_Worker] = []
        self._keep = idle
        self._lock = threading.Lock()

    def run(self, function, *arguments, limit: float = TIME_LIMIT):
        """`function(*arguments)` in a worker; ComputeTimeoutError after `limit` seconds."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker()
        try:
            status, value = worker.call(function, arguments, limit)
        except (EOFError, OSError, BrokenPipeError):
            worker.stop()
            raise ComputeTimeoutError("the computation ended without an answer") from None
        except BaseException:
            worker.stop()
            raise
        self._give_back(worker)
        if status == "error":
            raise value
        return value

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < self._keep:
                self._idle.append(worker)
                return
        worker.stop()

    def close(self) -> None:
        """Stop every idle worker."""
        with self._lock:
            workers, self._idle = self._idle, []
        for worker in workers:
            worker.stop()


@functools.lru_cache(maxsize=COMPILED_FORMULAS)
def _compiled(formula: str):
    """The field's expression and its exact partial derivatives, kept per worker for repeated requests."""
    from gradkit.viz.field import _expression

    expression = _expression(formula)
    return expression, expression.gradient()


def parse(formula: str) -> dict:
    """Variables, exact gradient formulas, LaTeX and JSON trees of f and its partial derivatives."""
    from gradkit.explorer.tree import to_tree

    expression, partials = _compiled(formula)
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
    start = time.perf_counter()
    expression, partials = _compiled(formula)
    # A row of x and a column of y: the compiled formula broadcasts them, so the parts of a formula that
    # depend on one variable only (exp(-x^2) in exp(-x^2)*exp(-y^2)) are computed n times, not n^2.
    x, y = np.linspace(*xlim, n)[np.newaxis, :], np.linspace(*ylim, n)[:, np.newaxis]
    with np.errstate(all="ignore"):
        values = expression.evaluate(x, y)
        gx, gy = (d.evaluate(x, y) for d in partials)
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
    """A gradient ascent or descent path (optionally with momentum), with f at each point."""
    expression, partials = _compiled(formula)
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
