"""The explorer page end to end: Debian's Chromium driven by Playwright against a server on 127.0.0.1.

`make test` installs Chromium and sets GRADKIT_REQUIRE_BROWSER=1, so there a missing browser fails the run
instead of skipping these tests. Screenshots of the main states go to test-artifacts/ (ignored by git).
"""

import base64
import math
import os
import shutil
import socket
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
PLOT = {"left": 58, "top": 12, "width": 560, "height": 560}  # the plot area inside the 640 x 640 canvas

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


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.console_errors = []
    opened.on("console", lambda m: opened.console_errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    yield opened
    context.close()


def load(page, url):
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 1")


def snap(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"explorer-{name}.png")


def plot_pixels(page):
    """The plot area of the field canvas as an (h, w, 4) array (sent as base64: a JSON list is slow)."""
    width, height, text = page.evaluate(
        """([left, top, width, height]) => {
            const canvas = document.getElementById('field');
            const ratio = canvas.width / 640;
            const image = canvas.getContext('2d').getImageData(left * ratio, top * ratio, width * ratio,
                                                               height * ratio);
            let binary = '';
            for (let i = 0; i < image.data.length; i += 32768) {
                binary += String.fromCharCode.apply(null, image.data.subarray(i, i + 32768));
            }
            return [image.width, image.height, btoa(binary)];
        }""",
        [PLOT["left"], PLOT["top"], PLOT["width"], PLOT["height"]],
    )
    return np.frombuffer(base64.b64decode(text), dtype=np.uint8).reshape(height, width, 4)


def view_of(page):
    """(formula, xlim, ylim) from the address bar, as the page last wrote it."""
    query = parse_qs(urlparse(page.evaluate("location.href")).query)
    return (
        query["f"][0],
        tuple(float(v) for v in query["x"][0].split(",")),
        tuple(float(v) for v in query["y"][0].split(",")),
    )


def move_to(page, x, y, xlim=(-2, 2), ylim=(-2, 2)):
    box = page.locator("#field").bounding_box()
    px = PLOT["left"] + (x - xlim[0]) / (xlim[1] - xlim[0]) * PLOT["width"]
    py = PLOT["top"] + (ylim[1] - y) / (ylim[1] - ylim[0]) * PLOT["height"]
    page.mouse.move(box["x"] + px, box["y"] + py)
    settle(page)
    return box["x"] + px, box["y"] + py


def settle(page):
    """Wait for the next two animation frames: the readout and overlay are drawn on the next frame."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def reading(page, name):
    return float(page.locator(f"#{name}").get_attribute("data-value"))


def test_the_page_loads_without_console_errors_and_draws_the_field(page, server):
    load(page, server)
    assert page.console_errors == []
    assert page.input_value("#formula") == "exp(-x^2)*exp(-y^2)"
    pixels = plot_pixels(page)
    colours = np.unique(pixels[..., :3].reshape(-1, 3), axis=0)
    assert len(colours) > 50, "the heat map is blank"
    centre, corner = pixels[pixels.shape[0] // 2, pixels.shape[1] // 2, :3], pixels[5, 5, :3]
    assert int(centre.sum()) > int(corner.sum()) + 200, "the Gaussian's top should be bright (viridis yellow)"
    assert page.evaluate("getComputedStyle(document.getElementById('field')).touchAction") == "none"
    assert "2*x" in page.inner_text("#gradient-x")
    snap(page, "loaded")


def test_the_readout_at_the_pointer_matches_the_exact_gradient(page, server):
    load(page, server)
    move_to(page, 0.3, -0.7)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(x - 0.3) < 0.02 and abs(y + 0.7) < 0.02
    f = math.exp(-x * x - y * y)
    exact = (-2 * x * f, -2 * y * f)
    assert reading(page, "read-f") == pytest.approx(f, rel=1e-12, abs=1e-12)
    assert abs(reading(page, "read-fx") - exact[0]) <= 1e-9
    assert abs(reading(page, "read-fy") - exact[1]) <= 1e-9
    assert reading(page, "read-norm") == pytest.approx(math.hypot(*exact), rel=1e-12)
    # the finite-difference column is an estimate next to the exact value, with its error
    assert abs(reading(page, "fd-x") - exact[0]) < 1e-7 and abs(reading(page, "exact-y") - exact[1]) <= 1e-9
    assert reading(page, "error-x") == pytest.approx(abs(reading(page, "fd-x") - reading(page, "exact-x")))
    assert float(page.inner_text("#read-fx")) == pytest.approx(exact[0], rel=1e-5), "the text shows 6 digits"
    snap(page, "readout")
    # the arrow points uphill: towards the centre, so the overlay is drawn on the centre's side of the cursor
    arrow = page.evaluate(
        """() => {
            const canvas = document.getElementById('overlay');
            const ratio = canvas.width / 640;
            const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            let sx = 0, sy = 0, count = 0;
            for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200) {
                const p = i / 4; sx += (p % canvas.width) / ratio; sy += Math.floor(p / canvas.width) / ratio; count++;
            }
            return [sx / count, sy / count];
        }"""
    )
    cursor = (PLOT["left"] + (x + 2) / 4 * PLOT["width"], PLOT["top"] + (2 - y) / 4 * PLOT["height"])
    direction = np.subtract(arrow, cursor)
    uphill = np.array([exact[0], -exact[1]]) / math.hypot(*exact)
    assert direction @ uphill / np.linalg.norm(direction) > 0.95


def test_keyboard_moves_the_probe(page, server):
    load(page, server)
    page.focus("#field")
    page.keyboard.press("ArrowRight")
    settle(page)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert (x, y) == pytest.approx((0.08, 0.0))
    assert reading(page, "read-fx") == pytest.approx(-2 * x * math.exp(-x * x), rel=1e-12)


def test_show_vectors_changes_the_picture(page, server):
    load(page, server)
    before = plot_pixels(page)
    page.check("#show-vectors")
    with_vectors = plot_pixels(page)
    assert np.mean(np.any(before != with_vectors, axis=-1)) > 0.05
    snap(page, "vectors")
    page.uncheck("#show-vectors")
    np.testing.assert_array_equal(plot_pixels(page), before)
    page.uncheck("#show-contours")
    assert np.any(plot_pixels(page) != before)


def test_a_new_formula_redraws(page, server):
    load(page, server)
    before = plot_pixels(page)
    page.fill("#formula", "x^2 - y^2")
    page.press("#formula", "Enter")
    page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 2")
    assert np.mean(np.any(before != plot_pixels(page), axis=-1)) > 0.3
    assert page.inner_text("#gradient-x") == "∂f/∂x = 2*x"
    assert view_of(page)[0] == "x^2 - y^2"
    move_to(page, 1.0, 0.5)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(reading(page, "read-fx") - 2 * x) <= 1e-12 and abs(reading(page, "read-fy") + 2 * y) <= 1e-12
    snap(page, "saddle")


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
    assert abs(reading(page, "read-fx") + 2 * x * math.exp(-x * x - y * y)) <= 1e-9
    page.fill("#formula", "sin(x)*cos(y)")
    page.press("#formula", "Enter")
    page.wait_for_function("Number(document.body.dataset.fieldsDrawn) >= 2")
    assert page.locator("#formula-error").is_hidden()
    assert [e for e in page.console_errors if "400 (Bad Request)" not in e] == []


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
    x, y = move_to(page, 1.0, 1.0, (-5, 5), (-5, 5))
    page.mouse.click(x, y)
    page.wait_for_function("Number(document.body.dataset.pathsDrawn) >= 1")
    summary = page.locator("#path-summary")
    end = float(summary.get_attribute("data-end-x")), float(summary.get_attribute("data-end-y"))
    assert end == pytest.approx((3.0, 2.0), abs=1e-3)  # Himmelblau's minimum nearest to (1, 1)
    snap(page, "himmelblau")


def test_wheel_zoom_and_drag_pan_change_the_view_in_the_url(page, server):
    load(page, server)
    x, y = move_to(page, 0.0, 0.0)
    page.mouse.wheel(0, -400)
    page.wait_for_function("!location.search.includes('x=-2%2C2')")
    _, xlim, ylim = view_of(page)
    assert xlim[1] - xlim[0] < 4 and xlim == pytest.approx((-ylim[1], -ylim[0]), abs=0.01), "zoom is about the cursor"
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 140, y + 70, steps=5)
    page.mouse.up()
    _, panned_x, panned_y = view_of(page)
    span = xlim[1] - xlim[0]
    assert panned_x[0] == pytest.approx(xlim[0] - 140 / PLOT["width"] * span, rel=1e-6)
    assert panned_y[0] == pytest.approx(ylim[0] + 70 / PLOT["height"] * (ylim[1] - ylim[0]), rel=1e-6)
    assert page.evaluate("Number(document.body.dataset.pathsDrawn ?? 0)") == 0, "a drag is not a click"


def test_a_pinch_zooms(page, server):
    load(page, server)
    page.evaluate(
        """() => {
            const canvas = document.getElementById('field');
            const box = canvas.getBoundingClientRect();
            const at = (id, px, py, type) => canvas.dispatchEvent(new PointerEvent(type, {
                pointerId: id, pointerType: 'touch', isPrimary: id === 1, bubbles: true,
                clientX: box.left + px, clientY: box.top + py }));
            at(1, 298, 292, 'pointerdown'); at(2, 378, 292, 'pointerdown');
            for (let k = 1; k <= 10; k++) {
                at(1, 298 - 8 * k, 292, 'pointermove');
                at(2, 378 + 8 * k, 292, 'pointermove');
            }
            at(1, 218, 292, 'pointerup'); at(2, 458, 292, 'pointerup');
        }"""
    )
    _, xlim, _ = view_of(page)
    assert xlim[1] - xlim[0] == pytest.approx(4 / 3, rel=0.05)  # fingers 80 px apart -> 240 px: 3x zoom
    assert page.evaluate("Number(document.body.dataset.pathsDrawn ?? 0)") == 0


def test_a_url_with_a_view_restores_it(page, server):
    load(page, f"{server}?f=sin(x)*cos(y)&x=-1,3&y=0,2")
    assert page.input_value("#formula") == "sin(x)*cos(y)"
    assert view_of(page) == ("sin(x)*cos(y)", (-1, 3), (0, 2))
    move_to(page, -1, 2, (-1, 3), (0, 2))
    assert (reading(page, "read-x"), reading(page, "read-y")) == pytest.approx((-1, 2), abs=0.01)
    x, y = reading(page, "read-x"), reading(page, "read-y")
    assert abs(reading(page, "read-fx") - math.cos(x) * math.cos(y)) <= 1e-12
    snap(page, "from-url")
    # the view after a zoom out survives a reload: the same limits, and the field's corner is where they say
    page.mouse.wheel(0, 300)
    page.wait_for_function("!location.search.includes('x=-1%2C3')")
    formula, xlim, ylim = zoomed = view_of(page)
    assert formula == "sin(x)*cos(y)" and xlim[1] - xlim[0] > 4 and ylim[1] - ylim[0] > 2
    assert (xlim[0], ylim[1]) == pytest.approx((-1, 2), abs=0.02)  # zoomed out about the pointer at (-1, 2)
    load(page, page.evaluate("location.href"))
    assert view_of(page) == zoomed
    move_to(page, xlim[0], ylim[1], xlim, ylim)
    assert (reading(page, "read-x"), reading(page, "read-y")) == pytest.approx((xlim[0], ylim[1]), abs=0.02)


def test_the_png_download_is_the_current_view(page, server):
    load(page, server)
    with page.expect_download() as download:
        page.click("#download")
    saved = Path(download.value.path())
    header = saved.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(header[16:20], "big") == 640 and int.from_bytes(header[20:24], "big") == 640
    assert download.value.suggested_filename == "gradkit-field.png"


def test_controls_have_labels(page, server):
    load(page, server)
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll('input, select')].filter(e => e.labels.length === 0).map(e => e.id)"""
    )
    assert unlabelled == []


FORMULAS = [
    "erf(x)*y",
    "erf(3*x - y)",
    "atan2(y, x) + hypot(x, y)",
    "abs(x - 0.3)*sign(y) + cbrt(x*y)",
    "max(x, y)^2 - min(x, y)",
    "log(1 + x^2)/sqrt(2 + y) + tanh(x*y)",
    "asinh(x) + acosh(2 + y^2) + atanh(x/3)",
    "tan(x)*cos(y) + acos(x/2) + asin(y/3)",
    "log10(2 + x) + log2(3 + y) + x^y",
    "x^3*y^-2 + (x^2 + 1)^(1/3)",
]
POINTS = [(0.3, -0.7), (-1.2, 0.45), (1.7, 1.1), (-0.05, -1.9)]


def test_the_pages_tree_evaluation_matches_the_library(page, server):
    """f and its exact partials as the page evaluates them (tree.js), against gk.Expression at several points."""
    from gradkit.viz.field import _expression

    load(page, server)
    results = page.evaluate(
        """async ([formulas, points]) => {
            const { compileTree } = await import('/static/tree.js');
            const out = [];
            for (const formula of formulas) {
                const reply = await fetch('/api/parse', {
                    method: 'POST',
                    headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ formula }),
                });
                const body = await reply.json();
                const trees = [body.tree, ...body.gradient_tree].map(compileTree);
                out.push(points.map(([x, y]) => trees.map(t => t(x, y))));
            }
            return out;
        }""",
        [FORMULAS, POINTS],
    )
    for formula, rows in zip(FORMULAS, results, strict=True):
        expression = _expression(formula)
        partials = expression.gradient()
        for (x, y), row in zip(POINTS, rows, strict=True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)  # x^y at negative x: nan, as on the page
                expected = [float(e.evaluate(x, y)) for e in (expression, *partials)]
            row = [np.nan if v is None else v for v in row]
            np.testing.assert_allclose(row, expected, rtol=1e-13, atol=1e-14, err_msg=f"{formula} at {(x, y)}")


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
