"""Server time of the explorer's API: the 512 x 512 field of the default formula, cold and warm.

Run with ``make bench-explorer`` (or ``.venv/bin/python benchmarks/explorer.py``). It starts the app in
process (FastAPI's TestClient, which runs the start-up that warms a worker), then times each endpoint as the
page calls it: `server_ms` is measured inside the server, `round trip` includes JSON encoding and decoding.
For comparison it evaluates the same field with NumPy directly, in this process.
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
from fastapi.testclient import TestClient  # noqa: E402

from gradkit.explorer.app import DEFAULT_FORMULA, create_app  # noqa: E402

REPEATS = 15


def timed(client: TestClient, endpoint: str, payload: dict) -> tuple[float, float]:
    start = time.perf_counter()
    reply = client.post(endpoint, json=payload)
    round_trip = (time.perf_counter() - start) * 1e3
    reply.raise_for_status()
    return reply.json()["server_ms"], round_trip


def numpy_field(n: int) -> float:
    start = time.perf_counter()
    x, y = np.linspace(-2, 2, n), np.linspace(-2, 2, n)
    X, Y = np.meshgrid(x, y)  # noqa: N806
    f = np.exp(-(X**2)) * np.exp(-(Y**2))
    gx, gy = -2 * X * f, -2 * Y * f
    for array in (f, gx, gy):
        array.astype("<f4").tobytes()
    return (time.perf_counter() - start) * 1e3


def main() -> None:
    started = time.perf_counter()
    with TestClient(create_app()) as client:
        print(f"start-up (fork server, a worker compiling the default formula): {time.perf_counter() - started:.2f} s")
        print(f"{'request':<44}{'server ms':>10}{'round trip ms':>15}")
        rows = [
            ("parse, default formula (compiled at start)", "/api/parse", {"formula": DEFAULT_FORMULA}),
            ("field 512x512, default formula", "/api/field", {"formula": DEFAULT_FORMULA, "n": 512}),
            ("field 256x256, default formula", "/api/field", {"formula": DEFAULT_FORMULA, "n": 256}),
            ("path, 100 steps", "/api/path", {"formula": DEFAULT_FORMULA, "start": [1.2, -0.8], "steps": 100}),
        ]
        for label, endpoint, payload in rows:
            samples = [timed(client, endpoint, payload) for _ in range(REPEATS)]
            server = statistics.median(s for s, _ in samples)
            trip = statistics.median(t for _, t in samples)
            print(f"{label:<44}{server:>10.1f}{trip:>15.1f}")
        fresh = "exp(-(x-0.5)^2)*cos(y)"
        server, trip = timed(client, "/api/field", {"formula": fresh, "n": 512})
        print(f"{'field 512x512, a formula not seen before':<44}{server:>10.1f}{trip:>15.1f}")
    direct = statistics.median(numpy_field(512) for _ in range(REPEATS))
    print(f"{'NumPy by hand, same 512x512 field (no server)':<44}{direct:>10.1f}")


if __name__ == "__main__":
    main()
