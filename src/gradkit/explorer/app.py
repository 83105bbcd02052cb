"""The explorer's HTTP API (FastAPI): parse a formula, sample its field, follow its gradient; and the page.

Every refusal is a 4xx with a small JSON body ``{"detail": {"message", "column", "field"}}`` that never
echoes the input: 400 for formulas the parser or the explorer refuses (with the column where known), 413
for a body over the size limit, 422 for malformed requests (not strict JSON, wrong types, numbers out of
range: ``field`` names the field) and for computations past the time limit, 503 with ``Retry-After`` when
every worker is busy and the queue is full. Computations run in a pool of at most one worker process per
core (`workers.WorkerPool`), admitted by `admission.Admission`; the event loop itself never computes, so
``/api/health`` and the page answer at once whatever the load.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import math
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints, field_validator

from gradkit.explorer import compute
from gradkit.explorer.admission import QUEUE, QUEUE_WAIT, Admission, BusyError
from gradkit.explorer.compute import DEFAULT_FORMULA
from gradkit.explorer.hardening import MAX_BODY, BodyLimit, StrictJSONRoute, install_error_handlers
from gradkit.explorer.workers import TIME_LIMIT, ComputeTimeoutError, WorkerPool
from gradkit.symbolic import FormulaError

MAX_FORMULA = 2000
MAX_PARAMS = 64
PARSE_CACHE = 256
KNOWN_SECONDS = 0.5  # a formula whose computations all took less is "known": it may use every worker
STATIC = Path(__file__).parent / "static"

Letter = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{0,63}$")]


class FormulaRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    formula: str = Field(..., max_length=MAX_FORMULA, description="the formula, in the parser's syntax")
    axes: tuple[Letter, Letter] | None = Field(
        None, description="the letters on the horizontal and vertical axes (default: x and y when used)"
    )

    def key(self) -> tuple[str, tuple[str, str] | None]:
        return self.formula, self.axes


class FieldRequest(FormulaRequest):
    params: dict[Letter, float] = Field(default_factory=dict, max_length=MAX_PARAMS, description="parameter values")
    xlim: tuple[float, float] = (-2.0, 2.0)
    ylim: tuple[float, float] = (-2.0, 2.0)
    n: int = Field(256, ge=8, le=compute.MAX_GRID, description="points per side")
    gradient: StrictBool = Field(False, description="also send the exact gradient (gx, gy)")

    @field_validator("xlim", "ylim")
    @classmethod
    def _range(cls, value):
        low, high = value
        if not (low < high and high - low <= 1e6):
            raise ValueError("a range must have low < high and a span of at most 1e6")
        return value


class PathRequest(FormulaRequest):
    params: dict[Letter, float] = Field(default_factory=dict, max_length=MAX_PARAMS, description="parameter values")
    start: tuple[float, float]
    step: float = Field(0.1, gt=0, le=100)
    steps: int = Field(100, ge=1, le=compute.MAX_STEPS)
    momentum: float = Field(0.0, ge=0, lt=1)
    ascent: StrictBool = True


class ErrorDetail(BaseModel):
    message: str = Field(..., description="what was refused and why (never the input itself)")
    column: int | None = Field(None, description="the 1-based column in the formula, when known")
    field: str | None = Field(None, description="the request field at fault (xlim.0), for malformed requests")


class ErrorBody(BaseModel):
    detail: ErrorDetail


_REFUSALS = {
    status: {"model": ErrorBody, "description": description}
    for status, description in [
        (400, "a formula the parser refuses or that cannot be drawn"),
        (413, "a body over the size limit"),
        (422, "a malformed request, or a computation past the time limit"),
        (503, "every worker busy and the queue full (see Retry-After)"),
    ]
}


class _Explorer:
    """The server's state: the worker pool, admission to it, and the parse results by formula (an LRU)."""

    def __init__(self, time_limit: float, workers: int | None, queue: int, queue_wait: float):
        self.time_limit = time_limit
        self.pool = WorkerPool(workers)
        self.admission = Admission(self.pool.size, queue, queue_wait)
        # The blocking waits on workers run in threads of their own, never in the event loop's default
        # pool, which serves the static files.
        self.threads = ThreadPoolExecutor(self.pool.size, thread_name_prefix="explorer-worker")
        self.parsed: OrderedDict[tuple, dict | HTTPException] = OrderedDict()
        self.parsing: dict[tuple, asyncio.Future] = {}
        self.slowest: OrderedDict[tuple, float] = OrderedDict()

    def close(self) -> None:
        self.threads.shutdown(wait=True)
        self.pool.close()

    async def compute(self, key: tuple, function, *arguments) -> dict:
        """`function(*arguments)` in a worker, as an HTTP answer or an HTTPException."""
        known = self.slowest.get(key, math.inf) < KNOWN_SECONDS
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        try:
            async with self.admission.slot(known):
                waited = time.perf_counter()
                try:
                    result = await loop.run_in_executor(
                        self.threads, functools.partial(self.pool.run, function, *arguments, limit=self.time_limit)
                    )
                finally:
                    self._remember(key, time.perf_counter() - waited)
        except BusyError as busy:
            raise HTTPException(503, str(busy), headers={"Retry-After": str(busy.retry_after)}) from None
        except FormulaError as error:
            raise HTTPException(400, {"message": str(error), "column": error.column}) from None
        except (ComputeTimeoutError, ValueError, TypeError, ArithmeticError) as error:
            raise HTTPException(422, {"message": str(error)}) from None
        result["queue_ms"] = (waited - started) * 1e3
        return result

    def _remember(self, key: tuple, seconds: float) -> None:
        self.slowest[key] = max(seconds, self.slowest.pop(key, 0.0))
        while len(self.slowest) > PARSE_CACHE:
            self.slowest.popitem(last=False)

    async def parse(self, key: tuple) -> dict:
        """The parse answer for (formula, axes), computed once and kept (refusals too) in an LRU cache."""
        if key in self.parsed:
            self.parsed.move_to_end(key)
            answer = self.parsed[key]
        else:
            # One computation for many requests of the same formula at once, in a task of its own so that a
            # client that goes away does not cancel it for the others.
            task = self.parsing.get(key)
            if task is None:
                task = self.parsing[key] = asyncio.ensure_future(self._parse_once(key))
                task.add_done_callback(lambda _: self.parsing.pop(key, None))
            answer = await asyncio.shield(task)
        if isinstance(answer, HTTPException):
            raise answer
        return answer

    async def _parse_once(self, key: tuple) -> dict | HTTPException:
        try:
            answer = await self.compute(key, compute.parse, *key)
        except HTTPException as error:
            if error.status_code == 503:
                return error  # busy now, not a property of the formula: not kept
            answer = error
        self.parsed[key] = answer
        while len(self.parsed) > PARSE_CACHE:
            self.parsed.popitem(last=False)
        return answer


def create_app(
    time_limit: float = TIME_LIMIT,
    *,
    workers: int | None = None,
    queue: int = QUEUE,
    queue_wait: float = QUEUE_WAIT,
    max_body: int = MAX_BODY,
) -> FastAPI:
    """The explorer: the page (from `static/`) and its API.

    Parameters
    ----------
    time_limit : float
        Seconds of work a request's computation may take before its worker process is stopped (422).
    workers : int, optional
        Worker processes (computations at once); by default the number of cores.
    queue : int
        Requests of each lane (known formulas, others) that may wait for a worker; more are answered 503.
    queue_wait : float
        Seconds a request may wait for a worker before it is answered 503.
    max_body : int
        The largest request body in bytes; larger ones are answered 413.

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app()) as client:
    ...     reply = client.post("/api/parse", json={"formula": "a*x^2*y"})
    >>> body = reply.json()
    >>> body["letters"], body["axes"], body["parameters"], body["gradient"]
    (['a', 'x', 'y'], ['x', 'y'], ['a'], ['2*a*x*y', 'a*x^2'])
    """
    explorer = _Explorer(time_limit, workers, queue, queue_wait)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # Every worker started (forked with the default formula compiled, see `preload`) answers the
        # page's first requests at once.
        await asyncio.get_running_loop().run_in_executor(explorer.threads, explorer.pool.start)
        with contextlib.suppress(HTTPException):
            await explorer.parse((DEFAULT_FORMULA, None))
        yield
        explorer.close()

    app = FastAPI(title="gradkit explorer", version="0.2.0", lifespan=lifespan)
    app.router.route_class = StrictJSONRoute
    app.add_middleware(BodyLimit, limit=max_body)
    install_error_handlers(app)

    def timed(answer: dict, started: float) -> dict:
        return {**answer, "server_ms": (time.perf_counter() - started) * 1e3}

    @app.post("/api/parse", responses=_REFUSALS)
    async def parse(request: FormulaRequest) -> dict:
        """Letters (in the order written), axes, parameters, the exact gradient (text, LaTeX), JSON trees."""
        started = time.perf_counter()
        cached = request.key() in explorer.parsed
        return {**timed(await explorer.parse(request.key()), started), "cached": cached}

    @app.post("/api/field", responses=_REFUSALS)
    async def field(request: FieldRequest) -> dict:
        """f (and on request its gradient) on an n x n grid: base64 little-endian float64, rows along y."""
        started = time.perf_counter()
        await explorer.parse(request.key())  # the same checks (and refusals) as /api/parse
        arguments = (request.xlim, request.ylim, request.n, request.gradient)
        answer = await explorer.compute(request.key(), compute.field, *request.key(), request.params, *arguments)
        return timed(answer, started)

    @app.post("/api/path", responses=_REFUSALS)
    async def path(request: PathRequest) -> dict:
        """Gradient ascent (or descent) from a point, with f along the way."""
        started = time.perf_counter()
        await explorer.parse(request.key())
        arguments = (request.start, request.step, request.steps, request.momentum, request.ascent)
        answer = await explorer.compute(request.key(), compute.path, *request.key(), request.params, *arguments)
        return timed(answer, started)

    @app.get("/api/health")
    async def health() -> dict:
        """Whether the server answers, and how busy its workers are (answered without waiting for them)."""
        admission = explorer.admission
        return {
            "status": "ok",
            "workers": admission.workers,
            "running": admission.running,
            "waiting": admission.waiting,
        }

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
