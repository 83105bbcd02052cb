"""The explorer's HTTP API (FastAPI): parse a formula, sample its field, follow its gradient.

Bad input gets a 4xx with a message: 422 for malformed requests and out-of-range numbers (FastAPI's
validation), 400 for formulas the parser refuses (with the column), 422 for computations that run past the
time limit. The server keeps serving after any of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, field_validator

from gradkit.explorer import compute
from gradkit.symbolic import FormulaError

MAX_FORMULA = 2000
DEFAULT_FORMULA = "exp(-x^2)*exp(-y^2)"
STATIC = Path(__file__).parent / "static"


class FormulaRequest(BaseModel):
    formula: str = Field(..., max_length=MAX_FORMULA, description="a formula in x and y")


class FieldRequest(FormulaRequest):
    xlim: tuple[float, float] = (-2.0, 2.0)
    ylim: tuple[float, float] = (-2.0, 2.0)
    n: int = Field(256, ge=8, le=compute.MAX_GRID, description="points per side")

    @field_validator("xlim", "ylim")
    @classmethod
    def _range(cls, value):
        low, high = value
        if not (math.isfinite(low) and math.isfinite(high) and low < high and high - low <= 1e6):
            raise ValueError("a range must be finite, with low < high and a span of at most 1e6")
        return value


class PathRequest(FormulaRequest):
    start: tuple[float, float]
    step: float = Field(0.1, gt=0, le=100)
    steps: int = Field(100, ge=1, le=compute.MAX_STEPS)
    momentum: float = Field(0.0, ge=0, lt=1)
    ascent: bool = True

    @field_validator("start")
    @classmethod
    def _finite(cls, value):
        if not all(math.isfinite(v) for v in value):
            raise ValueError("start must be finite")
        return value


def create_app(time_limit: float = compute.TIME_LIMIT) -> FastAPI:
    """The explorer: the page (from `static/`) and its API.

    Parameters
    ----------
    time_limit : float
        Seconds a request's computation may take before its worker process is stopped (answered with 422).

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> with TestClient(create_app()) as client:
    ...     reply = client.post("/api/parse", json={"formula": "x^2*y"})
    >>> reply.json()["gradient"]
    ['2*x*y', 'x**2']
    """
    pool = compute.WorkerPool()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # A worker that has compiled the default formula answers the page's first requests at once.
        with contextlib.suppress(compute.ComputeTimeoutError):
            await asyncio.to_thread(pool.run, compute.parse, DEFAULT_FORMULA, limit=time_limit)
        yield
        pool.close()

    app = FastAPI(title="gradkit explorer", version="0.1.0", lifespan=lifespan)

    def run(function, *arguments):
        started = time.perf_counter()
        try:
            result = pool.run(function, *arguments, limit=time_limit)
        except FormulaError as error:
            raise HTTPException(400, {"message": str(error), "column": error.column}) from None
        except compute.ComputeTimeoutError as error:
            raise HTTPException(422, {"message": str(error), "column": None}) from None
        except (ValueError, TypeError, ArithmeticError) as error:
            raise HTTPException(422, {"message": str(error), "column": None}) from None
        result["server_ms"] = (time.perf_counter() - started) * 1e3
        return result

    @app.post("/api/parse")
    def parse(request: FormulaRequest) -> dict:
        """Variables, the exact gradient (text, LaTeX) and JSON trees the page evaluates."""
        return run(compute.parse, request.formula)

    @app.post("/api/field")
    def field(request: FieldRequest) -> dict:
        """f and its exact gradient on an n x n grid (base64 little-endian float32, rows along y)."""
        return run(compute.field, request.formula, request.xlim, request.ylim, request.n)

    @app.post("/api/path")
    def path(request: PathRequest) -> dict:
        """Gradient ascent (or descent) from a point, with f along the way."""
        return run(
            compute.path, request.formula, request.start, request.step, request.steps, request.momentum, request.ascent
        )

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
