"""The explorer, timed as users meet it: the page in headless Chromium, and the API's server time.

Run with ``make bench-explorer`` (or ``.venv/bin/python benchmarks/explorer.py``; ``--page`` or ``--api`` for
one half). The page half starts the app with uvicorn on 127.0.0.1 and drives Debian's Chromium
(``/usr/bin/chromium``, never a downloaded browser) with Playwright. Each time is measured inside the page,
from the user's action to the moment the full 512 x 512 map (heat map, contours, colour bar) is on the canvas:

- Apply: a formula the server has not seen (parse and differentiation on the server, compile, evaluate and draw
  in the page);
- zoom (a wheel event), pan (Shift+arrow), slider (an input event on a parameter's slider): no round trip.

Targets (issue 20): Apply <= 60 ms median, zoom/pan/slider <= 30 ms median. The API half times each endpoint
with FastAPI's TestClient, as before, with NumPy evaluating the same field directly for comparison.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
import time
import warnings

import numpy as np

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPEATS = 15
WARM_UP = 3

# In-page timers: each resolves with the milliseconds from the action to the full map being drawn.
_WAIT = """
const drawn = () => new Promise((resolve) => {
  const listen = (event) => {
    if (!event.detail.final) return;
    document.removeEventListener('fielddrawn', listen);
    window.lastDraw = event.detail;
    resolve(performance.now());
  };
  document.addEventListener('fielddrawn', listen);
});
"""
APPLY = (
    "async (formula) => {"
    + _WAIT
    + """
  const done = drawn();
  const started = performance.now();
  document.getElementById('formula').value = formula;
  document.getElementById('formula-form').requestSubmit();
  return (await done) - started;
}"""
)
ZOOM = (
    "async (deltaY) => {"
    + _WAIT
    + """
  const canvas = document.getElementById('field');
  const box = canvas.getBoundingClientRect();
  const done = drawn();
  const started = performance.now();
  canvas.dispatchEvent(new WheelEvent('wheel', { deltaY, clientX: box.left + box.width / 2,
    clientY: box.top + box.height / 3, bubbles: true, cancelable: true }));
  return (await done) - started;
}"""
)
PAN = (
    "async (key) => {"
    + _WAIT
    + """
  const done = drawn();
  const started = performance.now();
  document.getElementById('field').dispatchEvent(new KeyboardEvent('keydown', { key, shiftKey: true,
    bubbles: true, cancelable: true }));
  return (await done) - started;
}"""
)
SLIDER = (
    "async (value) => {"
    + _WAIT
    + """
  const slider = document.getElementById('param-a');
  const done = drawn();
  const started = performance.now();
  slider.value = String(value);
  slider.dispatchEvent(new Event('input', { bubbles: true }));
  return (await done) - started;
}"""
)

# New formulas, each text different so the server parses and differentiates every one afresh.
FORMULAS = [
    "exp(-(x - {k})^2)*exp(-y^2)",
    "(x^2 + y - 11 + {k})^2 + (x + y^2 - 7)^2",
    "sin({k} + x)*cos(y)",
    "exp(-((x - 1)^2 + y^2)) + 0.8*exp(-((x + {k})^2 + (y - 0.5)^2)/0.5)",
]


def _serve():
    import uvicorn

    from gradkit.explorer.app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the explorer server did not start")
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{port}/"


def _summary(label: str, samples: list[float], target: float) -> None:
    median = statistics.median(samples)
    p90 = float(np.percentile(samples, 90))
    verdict = "meets" if median <= target else "MISSES"
    print(f"{label:<40}{median:>9.1f}{p90:>9.1f}{min(samples):>9.1f}   {verdict} the {target:g} ms target")


PARTS = """() => {
  const d = window.lastDraw;
  const parse = performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/parse')).pop();
  return [d.evaluateMs, d.describeMs, d.drawMs, parse ? parse.duration : NaN];
}"""


def page_benchmark(repeats: int = REPEATS) -> dict[str, list[float]]:
    """Milliseconds from each action to the full map drawn, measured in the page."""
    from playwright.sync_api import sync_playwright

    server, thread, url = _serve()
    results: dict[str, list[float]] = {}
    breakdown: dict[str, np.ndarray] = {}
    load = os.getloadavg()[0]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            page.wait_for_selector("body[data-ready=true]")
            page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 1")

            def measure(label, script, arguments):
                totals, parts = [], []
                for k, argument in enumerate(arguments):
                    elapsed = page.evaluate(script, argument)
                    if k >= WARM_UP:
                        totals.append(elapsed)
                        parts.append(page.evaluate(PARTS))
                results[label] = totals
                breakdown[label] = np.median(np.array(parts, dtype=float), axis=0)

            formulas = [FORMULAS[k % len(FORMULAS)].format(k=f"{0.01 * (k + 1):.2f}") for k in range(WARM_UP + repeats)]
            measure("Apply, a new formula", APPLY, formulas)
            page.evaluate(APPLY, "exp(-x^2)*exp(-y^2)")
            measure("zoom (wheel)", ZOOM, [-120 if k % 2 else 100 for k in range(WARM_UP + repeats)])
            measure("pan (Shift+arrow)", PAN, ["ArrowRight" if k % 2 else "ArrowUp" for k in range(WARM_UP + repeats)])
            page.evaluate(APPLY, "a*x^2 + b*y^2 + c*x*y")
            measure("slider (parameter a)", SLIDER, [0.25 * (k % 9) - 1 for k in range(WARM_UP + repeats)])
            browser.close()
    finally:
        server.should_exit = True
        thread.join(10)
    print(f"page in headless Chromium, 1280x900, ms from the action to the full 512x512 map, {repeats} each")
    print(f"(load average {load:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):")
    print(f"{'action':<40}{'median':>9}{'p90':>9}{'min':>9}")
    for label, samples in results.items():
        _summary(label, samples, 60 if label.startswith("Apply") else 30)
    print("medians of the parts, ms: the worker evaluating the 512x512 grid / its colours and contours / drawing")
    print("it on the page / the /api/parse round trip (Apply only)")
    for label, (evaluate, describe, draw, parse) in breakdown.items():
        parse_text = f"{parse:9.1f}" if label.startswith("Apply") else f"{'':>9}"
        print(f"{label:<40}{evaluate:>9.1f}{describe:>9.1f}{draw:>9.1f}{parse_text}")
    return results


def _timed(client, endpoint: str, payload: dict) -> tuple[float, float]:
    start = time.perf_counter()
    reply = client.post(endpoint, json=payload)
    round_trip = (time.perf_counter() - start) * 1e3
    reply.raise_for_status()
    return reply.json()["server_ms"], round_trip


def _numpy_field(n: int) -> float:
    start = time.perf_counter()
    x, y = np.linspace(-2, 2, n), np.linspace(-2, 2, n)
    X, Y = np.meshgrid(x, y)  # noqa: N806
    f = np.exp(-(X**2)) * np.exp(-(Y**2))
    gx, gy = -2 * X * f, -2 * Y * f
    for array in (f, gx, gy):
        array.tobytes()
    return (time.perf_counter() - start) * 1e3


def api_benchmark(repeats: int = REPEATS) -> None:
    """Server time of each endpoint (FastAPI's TestClient, in process)."""
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from fastapi.testclient import TestClient

    from gradkit.explorer.app import DEFAULT_FORMULA, create_app

    started = time.perf_counter()
    with TestClient(create_app()) as client:
        print(
            f"API start-up (fork server, a worker compiling the default formula): {time.perf_counter() - started:.2f} s"
        )
        print(f"{'request':<44}{'server ms':>10}{'round trip ms':>15}")
        rows = [
            ("parse, default formula (compiled at start)", "/api/parse", {"formula": DEFAULT_FORMULA}),
            ("field 512x512, default formula", "/api/field", {"formula": DEFAULT_FORMULA, "n": 512}),
            ("path, 100 steps", "/api/path", {"formula": DEFAULT_FORMULA, "start": [1.2, -0.8], "steps": 100}),
        ]
        for label, endpoint, payload in rows:
            samples = [_timed(client, endpoint, payload) for _ in range(repeats)]
            server = statistics.median(s for s, _ in samples)
            trip = statistics.median(t for _, t in samples)
            print(f"{label:<44}{server:>10.1f}{trip:>15.1f}")
        server, trip = _timed(client, "/api/parse", {"formula": "exp(-(x-0.5)^2)*cos(y)"})
        print(f"{'parse, a formula not seen before':<44}{server:>10.1f}{trip:>15.1f}")
    direct = statistics.median(_numpy_field(512) for _ in range(repeats))
    print(f"{'NumPy by hand, the 512x512 field (no server)':<44}{direct:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--page", action="store_true", help="only the page in Chromium")
    parser.add_argument("--api", action="store_true", help="only the API")
    parser.add_argument("--repeats", type=int, default=REPEATS)
    arguments = parser.parse_args()
    both = not (arguments.page or arguments.api)
    if arguments.page or both:
        page_benchmark(arguments.repeats)
    if arguments.api or both:
        api_benchmark(arguments.repeats)


if __name__ == "__main__":
    main()
