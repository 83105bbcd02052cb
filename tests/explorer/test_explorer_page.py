"""The explorer page end to end: Debian's Chromium driven by Playwright against a server on 127.0.0.1.

`make test` installs Chromium and sets GRADKIT_REQUIRE_BROWSER=1, so there a missing browser fails the run
instead of skipping these tests. Screenshots of the main states go to test-artifacts/ (ignored by git).
The page computes the field itself (a worker evaluates the formula's JSON trees in float64); expected values
here come from closed forms, the library's own evaluation (gk.Expression) or mpmath, never from the page.
"""

import base64
import io
import itertools
import json
import math
import os
import shutil
import socket
import sys
import threading
import time
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

pytest.importorskip("fastapi")
uvicorn = pytest.importorskip("uvicorn")

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
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts"
REFUSED = "the server responded with a status of 4"  # the browser's own log line for a refused request

if not (Path(CHROMIUM).exists() and shutil.which(CHROMIUM)):
    if os.environ.get("GRADKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium", pytrace=False)
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")

from gradkit.explorer.app import create_app  # noqa: E402


@pytest.fixture(scope="module")
def server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not running.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the explorer server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    running.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _open(browser, **options):
    context = browser.new_context(**options)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.console_errors = []
    opened.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    return context, opened


@pytest.fixture
def page(browser, server):
    context, opened = _open(browser, viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    yield opened
    context.close()
    assert [e for e in opened.console_errors if REFUSED not in e] == []


@pytest.fixture
def phone(browser, server):
    context, opened = _open(
        browser, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    yield opened
    context.close()
    assert [e for e in opened.console_errors if REFUSED not in e] == []


def load(page, url, fields=1):
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    if fields:
        page.wait_for_function(f"Number(document.body.dataset.fieldsDrawn) >= {fields}")


def apply(page, formula):
    drawn = page.evaluate("Number(document.body.dataset.fieldsDrawn ?? 0)")
    page.fill("#formula", formula)
    page.press("#formula", "Enter")
    page.wait_for_function(f"Number(document.body.dataset.fieldsDrawn) > {drawn}")


def snap(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"explorer-{name}.png")


def plot_box(page):
    """The plot area inside the field canvas, in CSS pixels: left, top, width, height."""
    return json.loads(page.get_attribute("#field", "data-plot"))


def plot_pixels(page):
    """The plot area of the field canvas as an (h, w, 4) array (sent as base64: a JSON list is slow)."""
    width, height, text = page.evaluate(
        """() => {
            const canvas = document.getElementById('field');
            const plot = JSON.parse(canvas.dataset.plot);
            const ratio = canvas.width / canvas.getBoundingClientRect().width;
            const image = canvas.getContext('2d').getImageData(
                Math.ceil(plot.left * ratio) + 1, Math.ceil(plot.top * ratio) + 1,
                Math.floor(plot.width * ratio) - 2, Math.floor(plot.height * ratio) - 2);
            let binary = '';
            for (let i = 0; i < image.data.length; i += 32768) {
                binary += String.fromCharCode.apply(null, image.data.subarray(i, i + 32768));
            }
            return [image.width, image.height, btoa(binary)];
        }"""
    )
    return np.frombuffer(base64.b64decode(text), dtype=np.uint8).reshape(height, width, 4)


def query_of(page):
    """The address bar's settings, once the page has written them (it throttles its writes)."""
    page.wait_for_function("document.body.dataset.urlPending === undefined")
    return parse_qs(urlparse(page.evaluate("location.href")).query)


def view_of(page):
    """(formula, xlim, ylim) from the address bar, as the page last wrote it."""
    query = query_of(page)
    return (
        query["f"][0],
        tuple(float(v) for v in query["x"][0].split(",")),
        tuple(float(v) for v in query["y"][0].split(",")),
    )


def screen_point(page, x, y, xlim=(-2, 2), ylim=(-2, 2)):
    """Page coordinates of the data point (x, y) in the current view."""
    box = page.locator("#field").bounding_box()
    plot = plot_box(page)
    px = plot["left"] + (x - xlim[0]) / (xlim[1] - xlim[0]) * plot["width"]
    py = plot["top"] + (ylim[1] - y) / (ylim[1] - ylim[0]) * plot["height"]
    return box["x"] + px, box["y"] + py


def move_to(page, x, y, xlim=(-2, 2), ylim=(-2, 2)):
    point = screen_point(page, x, y, xlim, ylim)
    page.mouse.move(*point)
    settle(page)
    return point


def settle(page):
    """Wait for the next two animation frames: the readout and overlay are drawn on the next frame."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def reading(page, name):
    return float(page.locator(f"#{name}").get_attribute("data-value"))


def ticks(page):
    return json.loads(page.get_attribute("#field", "data-ticks"))


def test_the_page_loads_and_draws_the_field(page, server):
    load(page, server)
    assert page.input_value("#formula") == "exp(-x^2)*exp(-y^2)"
    pixels = plot_pixels(page)
    colours = np.unique(pixels[..., :3].reshape(-1, 3), axis=0)
    assert len(colours) > 50, "the heat map is blank"
    centre, corner = pixels[pixels.shape[0] // 2, pixels.shape[1] // 2, :3], pixels[5, 5, :3]
    assert int(centre.sum()) > int(corner.sum()) + 200, "the Gaussian's top should be bright (viridis yellow)"
    assert page.evaluate("getComputedStyle(document.getElementById('field')).touchAction") == "none"
    # the exact gradient in mathematical notation: MathML, with the parser's syntax (^, never **) as its text
    math_x = page.locator("#gradient-x math")
    assert math_x.count() == 1 and math_x.locator("msup").count() >= 1
    assert math_x.get_attribute("data-text") == "-2*x*exp(-x^2)*exp(-y^2)"
    assert "**" not in page.inner_text("#gradient-x") + page.inner_text("#gradient-y")
    assert page.locator("#letters").is_hidden(), "x and y alone need no sliders"
    snap(page, "loaded")


def test_the_readout_at_the_pointer_matches_the_exact_gradient(page, server):
    load(page, server)
    move_to(page, 0.3, -0.7)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(x - 0.3) < 0.02 and abs(y + 0.7) < 0.02
    f = math.exp(-x * x - y * y)
    exact = (-2 * x * f, -2 * y * f)
    assert reading(page, "read-f") == pytest.approx(f, rel=1e-12, abs=1e-12)
    assert abs(reading(page, "read-fx") - exact[0]) <= 1e-12
    assert abs(reading(page, "read-fy") - exact[1]) <= 1e-12
    assert reading(page, "read-norm") == pytest.approx(math.hypot(*exact), rel=1e-12)
    # the finite-difference column is an estimate next to the exact value, with its error
    assert abs(reading(page, "fd-x") - exact[0]) < 1e-7 and abs(reading(page, "exact-y") - exact[1]) <= 1e-12
    assert reading(page, "error-x") == pytest.approx(abs(reading(page, "fd-x") - reading(page, "exact-x")))
    assert float(page.inner_text("#read-fx")) == pytest.approx(exact[0], rel=1e-5), "the text shows 6 digits"
    # the arrow points uphill: towards the centre, so the overlay is drawn on the centre's side of the cursor
    arrow = page.evaluate(
        """() => {
            const canvas = document.getElementById('overlay');
            const ratio = canvas.width / canvas.getBoundingClientRect().width;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let sx = 0, sy = 0, count = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200) {
                const p = i / 4; sx += (p % canvas.width) / ratio; sy += Math.floor(p / canvas.width) / ratio; count++;
            }
            return [sx / count, sy / count];
        }"""
    )
    plot = plot_box(page)
    cursor = (plot["left"] + (x + 2) / 4 * plot["width"], plot["top"] + (2 - y) / 4 * plot["height"])
    direction = np.subtract(arrow, cursor)
    uphill = np.array([exact[0], -exact[1]]) / math.hypot(*exact)
    assert direction @ uphill / np.linalg.norm(direction) > 0.95


def test_keyboard_probe_stays_in_view_and_keys_pan_and_zoom(page, server):
    load(page, server)
    page.focus("#field")
    page.keyboard.press("ArrowRight")
    settle(page)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert (x, y) == pytest.approx((0.08, 0.0))
    assert reading(page, "read-fx") == pytest.approx(-2 * x * math.exp(-x * x), rel=1e-12)
    for _ in range(40):  # 0.08 + 40 * 0.08 = 3.28: past the right edge at 2, so the view follows the probe
        page.keyboard.press("ArrowRight")
    settle(page)
    _, xlim, ylim = view_of(page)
    assert reading(page, "read-x") == pytest.approx(3.28)
    assert xlim[0] < 3.28 < xlim[1] and xlim[1] - xlim[0] == pytest.approx(4) and ylim == (-2, 2)
    page.keyboard.press("Shift+ArrowUp")  # pans by a tenth of the view
    assert view_of(page)[2] == pytest.approx((-1.6, 2.4))
    page.keyboard.press("+")
    _, zoomed_x, zoomed_y = view_of(page)
    assert zoomed_x[1] - zoomed_x[0] == pytest.approx(3.2) and zoomed_y[1] - zoomed_y[0] == pytest.approx(3.2)
    assert zoomed_x[0] < 3.28 < zoomed_x[1], "the zoom is about the probe, which stays in view"


def test_show_vectors_changes_the_picture_and_the_link(page, server):
    load(page, server)
    before = plot_pixels(page)
    page.check("#show-vectors")
    with_vectors = plot_pixels(page)
    assert np.mean(np.any(before != with_vectors, axis=-1)) > 0.05
    assert query_of(page)["vectors"] == ["1"]
    snap(page, "vectors")
    page.uncheck("#show-vectors")
    np.testing.assert_array_equal(plot_pixels(page), before)
    page.uncheck("#show-contours")
    assert np.any(plot_pixels(page) != before)
    assert query_of(page)["contours"] == ["0"] and "vectors" not in query_of(page)


def test_a_new_formula_redraws(page, server):
    load(page, server)
    before = plot_pixels(page)
    apply(page, "x^2 - y^2")
    assert np.mean(np.any(before != plot_pixels(page), axis=-1)) > 0.3
    assert page.get_attribute("#gradient-x math", "data-text") == "2*x"
    assert page.get_attribute("#gradient-y math", "data-text") == "-2*y"
    assert view_of(page)[0] == "x^2 - y^2"
    move_to(page, 1.0, 0.5)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(reading(page, "read-fx") - 2 * x) <= 1e-12 and abs(reading(page, "read-fy") + 2 * y) <= 1e-12
    snap(page, "saddle")
    # a formula costly on the whole grid is drawn progressively: a coarse grid first, then the full one
    page.evaluate(
        """() => { window.drawnSizes = [];
                   document.addEventListener('fielddrawn', (e) => window.drawnSizes.push(e.detail.n)); }"""
    )
    apply(page, " + ".join(f"erf(x*y + {k}*x)*atan2(y, x + {k})" for k in range(8)))
    assert page.evaluate("window.drawnSizes") == [128, 512]


def test_a_bad_formula_shows_the_error_and_keeps_the_picture(page, server):
    load(page, server)
    before = plot_pixels(page)
    page.fill("#formula", "x^2 + foo(y)")
    page.press("#formula", "Enter")
    error = page.locator("#formula-error")
    error.wait_for(state="visible")
    assert "unknown function 'foo'" in error.inner_text() and "column 7" in error.inner_text()
    assert page.locator("#formula-error mark").inner_text() == "f"
    assert page.get_attribute("#formula", "aria-invalid") == "true"
    snap(page, "bad-formula")
    np.testing.assert_array_equal(plot_pixels(page), before)
    assert view_of(page)[0] == "exp(-x^2)*exp(-y^2)"
    # the page keeps working: the readout still follows the last good formula, and a good formula applies
    move_to(page, -0.5, 0.25)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(reading(page, "read-fx") + 2 * x * math.exp(-x * x - y * y)) <= 1e-12
    apply(page, "sin(x)*cos(y)")
    assert page.locator("#formula-error").is_hidden()


def test_a_formula_without_a_pair_of_axes_is_told_by_the_box(page, server):
    load(page, server)
    page.fill("#formula", "t^2")
    page.press("#formula", "Enter")
    error = page.locator("#formula-error")
    error.wait_for(state="visible")
    assert "two letters" in error.inner_text()
    assert view_of(page)[0] == "exp(-x^2)*exp(-y^2)"


def test_a_click_draws_an_ascent_path_to_the_maximum(page, server):
    load(page, server)
    before = plot_pixels(page)
    x, y = move_to(page, -1.3, -1.1)
    page.mouse.click(x, y)
    page.wait_for_function("Number(document.body.dataset.pathsDrawn) >= 1")
    summary = page.locator("#path-summary")
    end = float(summary.get_attribute("data-end-x")), float(summary.get_attribute("data-end-y"))
    assert math.hypot(*end) < 1e-3
    assert "f went from" in summary.inner_text()
    assert "f went from" not in page.inner_text("#status"), "the summary is said once"
    assert np.any(plot_pixels(page) != before)
    curve = page.evaluate(
        "() => { const c = document.getElementById('path-curve');"
        " return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data).some(v => v > 0); }"
    )
    assert curve, "the f-per-step curve is empty"
    snap(page, "path")


def test_descent_with_momentum_on_a_preset(page, server):
    load(page, server)
    page.select_option("#preset", label="Himmelblau")
    page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 2")
    assert page.input_value("#formula") == "(x^2 + y - 11)^2 + (x + y^2 - 7)^2"
    assert view_of(page)[1:] == ((-5, 5), (-5, 5))
    page.fill("#momentum", "0.5")
    page.press("#momentum", "Enter")
    x, y = move_to(page, 1.0, 1.0, (-5, 5), (-5, 5))
    page.mouse.click(x, y)
    page.wait_for_function("Number(document.body.dataset.pathsDrawn) >= 1")
    summary = page.locator("#path-summary")
    end = float(summary.get_attribute("data-end-x")), float(summary.get_attribute("data-end-y"))
    assert end == pytest.approx((3.0, 2.0), abs=1e-3)  # Himmelblau's minimum nearest to (1, 1)
    assert query_of(page)["momentum"] == ["0.5"] and query_of(page)["dir"] == ["descent"]


def test_the_rosenbrock_presets_path_goes_downhill_from_the_first_step(page, server):
    """Its default step is below 2 / (largest curvature in the view), so f falls at every step."""
    load(page, server)
    page.select_option("#preset", label="Rosenbrock")
    page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 2")
    for k, start in enumerate([(-1.5, 2.5), (1.5, 2.5), (-1.9, 2.9)], 1):
        x, y = move_to(page, *start, (-2, 2), (-1, 3))
        page.mouse.click(x, y)
        page.wait_for_function(f"Number(document.body.dataset.pathsDrawn) >= {k}")
        values = json.loads(page.get_attribute("#path-summary", "data-values"))
        px, py = reading(page, "read-x"), reading(page, "read-y")
        assert values[0] == pytest.approx((1 - px) ** 2 + 100 * (py - px * px) ** 2, rel=1e-9)
        assert len(values) > 100 and all(b <= a for a, b in itertools.pairwise(values)), start
        summary = page.locator("#path-summary")
        end = float(summary.get_attribute("data-end-x")), float(summary.get_attribute("data-end-y"))
        assert math.hypot(end[0] - 1, end[1] - 1) < math.hypot(px - 1, py - 1)


def test_wheel_zoom_and_drag_pan_change_the_view_in_the_url(page, server):
    load(page, server)
    x, y = move_to(page, 0.0, 0.0)
    page.mouse.wheel(0, -400)
    page.wait_for_function("!location.search.includes('x=-2%2C2')")
    _, xlim, ylim = view_of(page)
    assert xlim[1] - xlim[0] < 4 and xlim == pytest.approx((-ylim[1], -ylim[0]), abs=0.01), "zoom is about the cursor"
    plot = plot_box(page)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 140, y + 70, steps=5)
    page.mouse.up()
    _, panned_x, panned_y = view_of(page)
    span = xlim[1] - xlim[0]
    assert panned_x[0] == pytest.approx(xlim[0] - 140 / plot["width"] * span, rel=1e-6)
    assert panned_y[0] == pytest.approx(ylim[0] + 70 / plot["height"] * (ylim[1] - ylim[0]), rel=1e-6)
    assert page.evaluate("Number(document.body.dataset.pathsDrawn ?? 0)") == 0, "a drag is not a click"


TOUCH = """([moves]) => {
    const canvas = document.getElementById('field');
    const box = canvas.getBoundingClientRect();
    for (const [id, px, py, type] of moves) canvas.dispatchEvent(new PointerEvent(type, {
        pointerId: id, pointerType: 'touch', isPrimary: id === 1, bubbles: true,
        clientX: box.left + px, clientY: box.top + py }));
}"""


def test_two_fingers_pinch_zoom_and_pan(page, server):
    load(page, server)
    plot = plot_box(page)
    cx, cy = plot["left"] + plot["width"] / 2, plot["top"] + plot["height"] / 2
    moves = [(1, cx - 40, cy, "pointerdown"), (2, cx + 40, cy, "pointerdown")]
    for k in range(1, 11):
        moves += [(1, cx - 40 - 8 * k, cy, "pointermove"), (2, cx + 40 + 8 * k, cy, "pointermove")]
    moves += [(1, cx - 120, cy, "pointerup"), (2, cx + 120, cy, "pointerup")]
    page.evaluate(TOUCH, [moves])
    _, xlim, ylim = view_of(page)
    assert xlim[1] - xlim[0] == pytest.approx(4 / 3, rel=0.02)  # fingers 80 px apart -> 240 px: 3x zoom
    assert xlim == pytest.approx((-2 / 3, 2 / 3), abs=0.02), "about the fingers' centre"
    # both fingers move 60 px right and 30 px down together: the map moves with them
    moves = [(1, cx - 40, cy, "pointerdown"), (2, cx + 40, cy, "pointerdown")]
    for k in range(1, 7):
        moves += [(1, cx - 40 + 10 * k, cy + 5 * k, "pointermove"), (2, cx + 40 + 10 * k, cy + 5 * k, "pointermove")]
    moves += [(1, cx + 20, cy + 30, "pointerup"), (2, cx + 100, cy + 30, "pointerup")]
    page.evaluate(TOUCH, [moves])
    _, panned_x, panned_y = view_of(page)
    span = xlim[1] - xlim[0]
    assert panned_x[0] == pytest.approx(xlim[0] - 60 / plot["width"] * span, abs=1e-9)
    assert panned_y[0] == pytest.approx(ylim[0] + 30 / plot["height"] * (ylim[1] - ylim[0]), abs=1e-9)
    assert page.evaluate("Number(document.body.dataset.pathsDrawn ?? 0)") == 0


def test_a_url_restores_the_view_and_every_setting(page, server):
    link = f"{server}?f=sin(x)*cos(y)&x=-1,3&y=0,2&vectors=1&contours=0&dir=descent&step=0.125&steps=321&momentum=0.25"
    load(page, link)
    assert page.input_value("#formula") == "sin(x)*cos(y)"
    assert view_of(page) == ("sin(x)*cos(y)", (-1, 3), (0, 2))
    assert page.is_checked("#show-vectors") and not page.is_checked("#show-contours")
    assert page.input_value("#direction") == "descent"
    assert (page.input_value("#step"), page.input_value("#steps"), page.input_value("#momentum")) == (
        "0.125",
        "321",
        "0.25",
    )
    move_to(page, -1, 2, (-1, 3), (0, 2))
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert (x, y) == pytest.approx((-1, 2), abs=0.01)
    assert abs(reading(page, "read-fx") - math.cos(x) * math.cos(y)) <= 1e-12
    snap(page, "from-url")
    page.mouse.wheel(0, 300)
    page.wait_for_function("!location.search.includes('x=-1%2C3')")
    _, xlim, ylim = zoomed = view_of(page)
    assert (xlim[0], ylim[1]) == pytest.approx((-1, 2), abs=0.02)  # zoomed out about the pointer at (-1, 2)
    query_of(page)
    again = page.evaluate("location.href")
    assert "step=0.125" in again and "steps=321" in again and "vectors=1" in again and "contours=0" in again
    load(page, again)
    assert view_of(page) == zoomed


def test_deep_zoom_keeps_every_digit_in_the_link_with_distinct_labels_and_no_bands(page, server):
    low, high = 0.5, 0.5 + 1e-12
    load(page, f"{server}?f=x%2By&x={low!r},{high!r}&y=-0.25,0.75")
    assert view_of(page)[1] == (low, high), "the link keeps every digit"
    labels = ticks(page)
    for axis, (lo, hi) in (("x", (low, high)), ("y", (-0.25, 0.75))):
        texts = labels[axis]
        assert len(texts) >= 2 and len(set(texts)) == len(texts), texts
        assert all(lo - 1e-15 <= float(t) <= hi + 1e-15 for t in texts), texts
    assert labels["fits"], "every label fits inside the canvas"
    # f = x + y varies along y here, far more than along x: rows differ, and there are many colours (no float32 bands)
    pixels = plot_pixels(page)
    column = pixels[:, pixels.shape[1] // 2, :3]
    assert len(np.unique(column, axis=0)) > 100
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert view_of(page)[1] == (low, high)
    # a span of 1e-4 away from 0: every label still different
    load(page, f"{server}?f=x*y&x=1,1.0001&y=-3e-5,7e-5")
    labels = ticks(page)
    for axis in ("x", "y"):
        assert len(labels[axis]) >= 3 and len(set(labels[axis])) == len(labels[axis]), labels[axis]
    assert [float(t) for t in labels["x"]] == sorted(float(t) for t in labels["x"])
    assert labels["fits"]


def test_huge_values_are_labelled_in_full_and_overflow_is_told(page, server):
    load(page, f"{server}?f=6e13*x%2By")
    bar = ticks(page)["bar"]
    assert len(set(bar)) == len(bar) >= 3
    assert all(abs(float(t)) <= 1.3e14 for t in bar) and any(abs(float(t)) >= 5e13 for t in bar), bar
    assert ticks(page)["fits"]
    assert page.locator("#scale-note").is_hidden()
    apply(page, "exp(500*x)*y")  # beyond 1.8e308 for x > 1.42: infinite there
    note = page.locator("#scale-note")
    assert note.is_visible() and "infinite" in note.inner_text()
    share = float(note.inner_text().split("on ")[1].split("%")[0])
    assert share == pytest.approx(100 * (2 - math.log(sys.float_info.max) / 500) / 4, abs=1.5)


def test_a_bad_shared_link_shows_its_error_and_keeps_the_link(page, server):
    link = f"{server}?f=x%5E2%2Bfoo(y)&x=-1,3&y=0,2"
    load(page, link, fields=0)
    error = page.locator("#formula-error")
    assert error.is_visible() and "unknown function 'foo'" in error.inner_text()
    assert page.input_value("#formula") == "x^2+foo(y)"
    assert page.evaluate("location.href") == link
    # a link with a bad range keeps the link too, and says what is wrong with it
    bad_range = f"{server}?f=x*y&x=3,1"
    load(page, bad_range)
    assert "x range" in page.inner_text("#formula-error")
    assert page.evaluate("location.href") == bad_range


def test_letters_beyond_the_axes_become_sliders(page, server):
    load(page, f"{server}?f=a*x%5E2%20%2B%20y")
    slider = page.locator("#param-a")
    assert slider.is_visible() and page.input_value("#param-a-value") == "1"
    move_to(page, 1.2, 0.4)
    x = reading(page, "read-x")
    assert reading(page, "read-fx") == pytest.approx(2 * x, rel=1e-12)
    assert float(ticks(page)["bar"][0]) >= -2  # f = x^2 + y on [-2, 2]^2 spans [-2, 6]
    drawn = page.evaluate("Number(document.body.dataset.fieldsDrawn)")
    page.fill("#param-a-value", "-2.5")
    page.press("#param-a-value", "Enter")
    page.wait_for_function(f"Number(document.body.dataset.fieldsDrawn) > {drawn}")
    settle(page)
    assert reading(page, "read-fx") == pytest.approx(-5 * x, rel=1e-12)
    assert reading(page, "read-f") == pytest.approx(-2.5 * x * x + reading(page, "read-y"), rel=1e-12)
    bar = [float(t) for t in ticks(page)["bar"]]  # now f = -2.5 x^2 + y spans [-12, 2]
    assert bar[0] <= -10 and bar[-1] <= 2
    assert query_of(page)["p"] == ["a,-2.5,-5,5"]
    # the range is editable and kept in the link; a reload restores value and range
    page.fill("#param-a-max", "10")
    page.press("#param-a-max", "Enter")
    assert query_of(page)["p"] == ["a,-2.5,-5,10"]
    query_of(page)
    load(page, page.evaluate("location.href"))
    assert page.input_value("#param-a-value") == "-2.5" and page.input_value("#param-a-max") == "10"
    snap(page, "slider")


def test_without_x_and_y_the_page_asks_for_the_axes(page, server):
    load(page, f"{server}?f=b*sin(a)%20%2B%20c")
    assert page.input_value("#axis-x") == "b" and page.input_value("#axis-y") == "a", "the written order"
    assert page.locator("#param-c").is_visible()
    move_to(page, 0.5, -1.0)
    b, a = reading(page, "read-x"), reading(page, "read-y")
    assert reading(page, "read-f") == pytest.approx(b * math.sin(a) + 1, rel=1e-12)
    assert reading(page, "read-fy") == pytest.approx(b * math.cos(a), rel=1e-12)
    drawn = page.evaluate("Number(document.body.dataset.fieldsDrawn)")
    page.select_option("#axis-y", "c")
    page.wait_for_function(f"Number(document.body.dataset.fieldsDrawn) > {drawn}")
    assert page.locator("#param-a").is_visible() and page.locator("#param-c").count() == 0
    assert query_of(page)["axes"] == ["b,c"]
    assert page.get_attribute("#gradient-y math", "data-text") == "1"


def test_the_png_download_has_the_colour_bar_axes_and_formula(page, server):
    from PIL import Image

    load(page, server)
    with page.expect_download() as download:
        page.click("#download")
    assert download.value.suggested_filename == "gradkit-field.png"
    picture = np.asarray(Image.open(io.BytesIO(Path(download.value.path()).read_bytes())).convert("RGB"))
    size = page.evaluate("[document.getElementById('field').width, document.getElementById('field').height]")
    assert picture.shape[1] == size[0] and picture.shape[0] > size[1], "the canvas and a band for the formula"
    band = picture[: picture.shape[0] - size[1]]
    assert (band < 100).all(axis=-1).sum() > 50, "the formula is written above the map"
    plot = plot_box(page)
    ratio = size[0] / page.locator("#field").bounding_box()["width"]
    top = picture.shape[0] - size[1]
    bar = picture[top + int((plot["top"] + 5) * ratio), int((plot["left"] + plot["width"] + 19) * ratio)]
    assert bar[0] > 200 and bar[1] > 200 and bar[2] < 100, "the colour bar's top is viridis yellow"


def test_controls_have_labels(page, server):
    load(page, f"{server}?f=a*x%2Bb*y")
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id)"""
    )
    assert unlabelled == []


def test_on_a_phone_nothing_overflows_and_a_tap_shows_the_readout(phone, server):
    load(phone, f"{server}?f=a*x%5E2%20-%20y%5E2")
    plot = plot_box(phone)
    phone.tap("#field", position={"x": plot["left"] + plot["width"] * 0.75, "y": plot["top"] + plot["height"] / 4})
    phone.wait_for_function("document.getElementById('read-x').dataset.value !== undefined")
    settle(phone)
    x, y = reading(phone, "read-x"), reading(phone, "read-y")
    assert (x, y) == pytest.approx((1, 1), abs=0.05)
    assert reading(phone, "read-fx") == pytest.approx(2 * x, rel=1e-12)
    assert phone.evaluate("Number(document.body.dataset.pathsDrawn ?? 0)") == 0, "a tap probes, it draws no path"
    # a one-finger drag probes too (it neither pans the map nor scrolls the page)
    before = view_of(phone)
    moves = [(1, plot["left"] + 20, plot["top"] + 20, "pointerdown")]
    moves += [(1, plot["left"] + 20 + 10 * k, plot["top"] + 20 + 8 * k, "pointermove") for k in range(1, 9)]
    moves += [(1, plot["left"] + 100, plot["top"] + 84, "pointerup")]
    phone.evaluate(TOUCH, [moves])
    settle(phone)
    assert view_of(phone) == before
    assert reading(phone, "read-x") < 0 < reading(phone, "read-y")
    for width in (390, 360):
        phone.set_viewport_size({"width": width, "height": 844})
        settle(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= width
        assert phone.evaluate("document.body.scrollWidth") <= width
        box = phone.locator("#field").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert json.loads(phone.get_attribute("#field", "data-ticks"))["fits"]
        readout = phone.locator("#readout").bounding_box()
        assert readout["y"] + readout["height"] <= 844, "the readout is visible without scrolling"
        snap(phone, f"phone-{width}")


FORMULAS = [
    "erf(x)*y",
    "erf(3*x - y)",
    "atan2(y, x) + hypot(x, y)",
    "abs(x - 0.3)*sign(y) + cbrt(x*y)",
    "max(x, y, 1)^2 - min(x, y)",
    "log(1 + x^2)/sqrt(2 + y) + tanh(x*y)",
    "asinh(x) + acosh(2 + y^2) + atanh(x/3)",
    "tan(x)*cos(y) + acos(x/2) + asin(y/3)",
    "log10(2 + x) + log2(3 + y) + x^y",
    "x^3*y^-2 + (x^2 + 1)^(1/3)",
    "a*x^2 + exp(b*y)/c",
    "log(1 + x^2)/sqrt(2 + y) - 3*x*y^-2 + abs(x)^(1/3)",
]
POINTS = [(0.3, -0.7), (-1.2, 0.45), (1.7, 1.1), (-0.05, -1.9)]
PARAMS = {"a": 0.7, "b": -1.3, "c": 2.5}


def test_the_pages_tree_evaluation_matches_the_library(page, server):
    """f and its exact partials at points (compilePoint) and on a grid (compileGrid), against gk.Expression."""
    from gradkit.symbolic import Expression

    load(page, server)
    results = page.evaluate(
        """async ([formulas, points, params]) => {
            const { compileGrid, compilePoint } = await import('/static/tree.js');
            const { toText } = await import('/static/notation.js');
            const out = [];
            for (const formula of formulas) {
                const reply = await fetch('/api/parse', {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ formula }),
                });
                const body = await reply.json();
                const letters = [...body.axes, ...body.parameters];
                const env = (x, y) => letters.map(n => n === body.axes[0] ? x : n === body.axes[1] ? y : params[n]);
                const trees = [body.tree, ...body.gradient_tree];
                const atPoints = trees.map(t => compilePoint(t, letters)).map(
                    f => points.map(([x, y]) => f(env(x, y))));
                const grid = compileGrid(body.tree, letters, body.axes)(
                    Float64Array.from(points.map(p => p[0])), Float64Array.from(points.map(p => p[1])),
                    Float64Array.from(env(0, 0)));
                out.push({ letters, atPoints, grid: Array.from(grid), texts: trees.map(toText) });
            }
            return out;
        }""",
        [FORMULAS, POINTS, PARAMS],
    )
    for formula, result in zip(FORMULAS, results, strict=True):
        letters = result["letters"]
        expression = Expression(formula, variables=letters)
        partials = [expression.diff(letters[0]), expression.diff(letters[1])]

        def evaluate(e, x, y, letters=letters):
            values = {name: PARAMS.get(name) for name in letters}
            values[letters[0]], values[letters[1]] = x, y
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # x^y at negative x: nan, as on the page
                return float(e.evaluate(*[values[name] for name in letters]))

        for k, e in enumerate((expression, *partials)):
            expected = [evaluate(e, x, y) for x, y in POINTS]
            got = [np.nan if v is None else v for v in result["atPoints"][k]]
            np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-14, err_msg=f"{formula} [{k}]")
        # the text the page shows for f and its partials (the parser's syntax) reads back as the same functions
        for k, (text, e) in enumerate(zip(result["texts"], (expression, *partials), strict=True)):
            assert "**" not in text
            if "dirac(" in text:
                continue  # the parser has no Dirac delta (derivatives of sign): the one text it cannot read back
            again = Expression(text, variables=letters)
            got = [evaluate(again, x, y) for x, y in POINTS]
            expected = [evaluate(e, x, y) for x, y in POINTS]
            np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-14, err_msg=f"{formula} [{k}]: {text}")
        # the grid: rows along y, columns along x; every (x_j, y_i) pair
        grid = np.array([np.nan if v is None else v for v in result["grid"]]).reshape(len(POINTS), len(POINTS))
        expected = [[evaluate(expression, x, y) for x, _ in POINTS] for _, y in POINTS]
        np.testing.assert_allclose(grid, expected, rtol=1e-13, atol=1e-14, err_msg=f"{formula} on a grid")


def test_the_pages_contour_lines_lie_on_their_levels(page, server):
    """Marching squares on f = x^2 + y^2: each segment's ends lie on the circle of its level (to grid accuracy)."""
    load(page, server)
    levels, segments, n = page.evaluate(
        """async () => {
            const { contourSegments } = await import('/static/field.js');
            const n = 101, values = new Float64Array(n * n);
            for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
                const x = -2 + 4 * c / (n - 1), y = -2 + 4 * r / (n - 1);
                values[r * n + c] = x * x + y * y;
            }
            const levels = [0.5, 1, 2, 3];
            return [levels, Array.from(contourSegments(values, n, levels)), n];
        }"""
    )
    ends = np.array(segments).reshape(-1, 2) * 4 / (n - 1) - 2
    radii = np.sum(ends**2, axis=1)
    nearest = np.array(levels)[np.argmin(np.abs(radii[:, None] - np.array(levels)[None, :]), axis=1)]
    assert np.max(np.abs(radii - nearest)) < 2 * (4 / (n - 1)) ** 2  # linear interpolation on a cell of side h
    for level in levels:  # each circle is closed: about 2*pi*r / h segments
        count = np.sum(np.isclose(nearest, level)) / 2
        assert count > 0.8 * 2 * math.pi * math.sqrt(level) / (4 / (n - 1))


def test_the_pages_erf_matches_mpmath(page, server):
    mpmath = pytest.importorskip("mpmath")
    load(page, server)
    xs = [0.0, 1e-300, 1e-8, -0.1, 0.5, 0.9, -1.5, 2.0, 3.3, -4.5, 5.9, 6.0, 12.0, -30.0]
    values = page.evaluate(
        "async (xs) => { const { erf } = await import('/static/tree.js'); return xs.map(erf); }",
        xs,
    )
    for x, value in zip(xs, values, strict=True):
        assert value == pytest.approx(float(mpmath.erf(x)), rel=1e-15, abs=1e-300), x  # a few units in the last place


def test_the_page_never_turns_text_into_code():
    """The trees are data: no eval, no Function constructor, no string timers, no HTML built from text."""
    import re

    static = Path(__file__).parents[2] / "src" / "gradkit" / "explorer" / "static"
    forbidden = re.compile(r"\beval\s*\(|\bFunction\s*\(|set(?:Timeout|Interval)\(\s*[\"'`]|innerHTML|outerHTML")
    sources = sorted(static.glob("*.js"))
    assert len(sources) >= 8
    for source in sources:
        assert not forbidden.search(source.read_text()), source.name
