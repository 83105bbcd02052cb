"""The explorer API with FastAPI's TestClient: the contract, the checks, hostile requests, the worker pool."""

import base64
import json
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

import sympy
from fastapi.testclient import TestClient

from gradkit.explorer.app import create_app
from gradkit.symbolic import Expression

sys.path.insert(0, str(Path(__file__).parents[1] / "symbolic"))
from hostile import HOSTILE

GAUSSIAN = "exp(-x^2)*exp(-y^2)"
HEAVY = "*".join(f"sin({k}*x+y)" for k in range(1, 60))  # about 5 s of sympy work


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as client:
        yield client


def decode(text, n):
    return np.frombuffer(base64.b64decode(text), dtype="<f8").reshape(n, n)


def grid(n, xlim=(-2, 2), ylim=(-2, 2)):
    return np.meshgrid(np.linspace(*xlim, n), np.linspace(*ylim, n))


def evaluate(tree, point):
    """The page's evaluation of a JSON tree, in Python, to check the trees are right."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "var":
        return point[tree[1]]
    parts = [evaluate(t, point) for t in (tree[2:] if kind == "call" else tree[1:])]
    if kind == "add":
        return sum(parts)
    if kind == "mul":
        return np.prod(parts)
    if kind == "pow":
        return parts[0] ** parts[1]
    if tree[1] in ("max", "min"):
        return getattr(np, f"{tree[1]}imum").reduce(parts)
    return getattr(np, {"atan2": "arctan2"}.get(tree[1], tree[1]))(*parts)


# --- /api/parse: letters, axes, parameters, gradient --------------------------------------------------------


def test_parse_returns_letters_axes_gradient_in_the_parsers_syntax_and_trees(client):
    reply = client.post("/api/parse", json={"formula": GAUSSIAN})
    assert reply.status_code == 200
    body = reply.json()
    assert (body["letters"], body["axes"], body["parameters"]) == (["x", "y"], ["x", "y"], [])
    assert body["gradient"] == ["-2*x*exp(-x^2)*exp(-y^2)", "-2*y*exp(-x^2)*exp(-y^2)"]
    assert "e^{" in body["latex"]
    point = {"x": 0.3, "y": -0.7}
    assert evaluate(body["tree"], point) == pytest.approx(np.exp(-(0.3**2) - 0.7**2), rel=1e-15)
    exact = -2 * np.array([0.3, -0.7]) * np.exp(-(0.3**2) - 0.7**2)
    assert [evaluate(t, point) for t in body["gradient_tree"]] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize(
    ("formula", "letters", "axes", "parameters"),
    [
        ("b*sin(a) + 2e5*x + c2 + 0x1f*y", ["b", "a", "x", "c2", "y"], ["x", "y"], ["b", "a", "c2"]),
        ("x^2 + t", ["x", "t"], ["x", "y"], ["t"]),
        ("a*x^2 + y", ["a", "x", "y"], ["x", "y"], ["a"]),
        ("e*pi + 2", [], ["x", "y"], []),
        ("q*p + r", ["q", "p", "r"], None, []),
    ],
)
def test_letters_come_in_the_order_written_and_x_y_are_the_axes_when_used(client, formula, letters, axes, parameters):
    body = client.post("/api/parse", json={"formula": formula}).json()
    assert (body["letters"], body["axes"], body["parameters"]) == (letters, axes, parameters)


def test_without_x_or_y_the_axes_are_asked_for_then_chosen(client):
    asked = client.post("/api/parse", json={"formula": "u^2*v + w"}).json()
    assert asked["axes"] is None and asked["gradient"] is None and asked["tree"] is not None
    chosen = client.post("/api/parse", json={"formula": "u^2*v + w", "axes": ["v", "u"]}).json()
    assert (chosen["axes"], chosen["parameters"], chosen["gradient"]) == (["v", "u"], ["w"], ["u^2", "2*u*v"])
    refused = client.post("/api/field", json={"formula": "u^2*v + w"})
    assert refused.status_code == 400 and "choose two of the letters u, v, w" in refused.json()["detail"]["message"]


@pytest.mark.parametrize(
    "formula",
    ["x^3*y + abs(y)", "max(x, y, 1)*e^x", "min(x^2, y, 0) + cbrt(x*y)", "sqrt(x^2 + y^2)/(1 + x)", "atan2(y, x)^2"],
)
def test_the_printed_gradient_reads_back_as_sympys_derivative(client, formula):
    gradient = client.post("/api/parse", json={"formula": formula}).json()["gradient"]
    original = Expression(formula, variables=("x", "y"))
    # sympy writes the slope of max and min with Heaviside, 1/2 at 0 as (1 + sign(u))/2 is; the printer uses the latter
    assert sympy.Heaviside(0) == sympy.S.Half
    for text, axis in zip(gradient, ("x", "y")):
        assert "**" not in text
        exact = sympy.diff(original.expr, sympy.Symbol(axis, real=True))
        exact = exact.replace(sympy.Heaviside, lambda u, *_: (1 + sympy.sign(u)) / 2)
        assert sympy.simplify(Expression(text, variables=("x", "y")).expr - exact) == 0, text


def test_parse_answers_are_kept_by_formula_text(client):
    first = client.post("/api/parse", json={"formula": "sin(x)*cos(y) + 0.25"}).json()
    again = client.post("/api/parse", json={"formula": "sin(x)*cos(y) + 0.25"}).json()
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["queue_ms"] == first["queue_ms"]  # the kept answer, not a second computation
    assert client.post("/api/parse", json={"formula": "sin(x)*cos(y) + 0.5"}).json()["cached"] is False
    refused = [client.post("/api/parse", json={"formula": "sin(x) + foo(y)"}) for _ in range(2)]
    assert refused[0].json() == refused[1].json() and refused[1].status_code == 400


# --- /api/field ----------------------------------------------------------------------------------------------


def test_field_is_float64_and_sends_the_gradient_only_on_request(client):
    plain = client.post("/api/field", json={"formula": GAUSSIAN, "xlim": [-2, 2], "ylim": [-1, 1], "n": 64}).json()
    assert plain["dtype"] == "<f8" and "gx" not in plain and "gy" not in plain
    X, Y = grid(64, (-2, 2), (-1, 1))  # noqa: N806
    np.testing.assert_allclose(decode(plain["values"], 64), np.exp(-(X**2)) * np.exp(-(Y**2)), rtol=1e-14)
    both = client.post("/api/field", json={"formula": GAUSSIAN, "ylim": [-1, 1], "n": 64, "gradient": True}).json()
    f = np.exp(-(X**2)) * np.exp(-(Y**2))
    np.testing.assert_allclose(decode(both["gx"], 64), -2 * X * f, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(decode(both["gy"], 64), -2 * Y * f, rtol=1e-14, atol=1e-300)
    assert both["max"] == pytest.approx(f.max(), rel=1e-15) and both["infinite"] == both["undefined"] == 0


def test_field_keeps_what_float32_lost_over_a_tiny_span(client):
    span = (1.0, 1.0 + 1e-12)
    body = client.post("/api/field", json={"formula": "x", "xlim": span, "ylim": span, "n": 8}).json()
    np.testing.assert_array_equal(decode(body["values"], 8)[0], np.linspace(*span, 8))


def test_values_past_float32_range_travel_intact(client):
    body = client.post("/api/field", json={"formula": "1e300*x + y", "n": 8}).json()
    X, Y = grid(8)  # noqa: N806
    np.testing.assert_array_equal(decode(body["values"], 8), 1e300 * X + Y)
    assert body["max"] == 2e300 and body["infinite"] == 0


def test_512_field_with_gradient(client):
    reply = client.post("/api/field", json={"formula": GAUSSIAN, "n": 512, "gradient": True})
    assert reply.status_code == 200 and decode(reply.json()["gy"], 512).shape == (512, 512)


def test_parameters_take_the_values_sent(client):
    payload = {"formula": "a*x^2 + b*y", "params": {"a": 1.5, "b": -0.25}, "n": 16, "gradient": True}
    body = client.post("/api/field", json=payload).json()
    X, Y = grid(16)  # noqa: N806
    assert body["params"] == {"a": 1.5, "b": -0.25}
    np.testing.assert_allclose(decode(body["values"], 16), 1.5 * X**2 - 0.25 * Y, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(decode(body["gx"], 16), 3 * X, rtol=1e-15)
    np.testing.assert_array_equal(decode(body["gy"], 16), np.full((16, 16), -0.25))


@pytest.mark.parametrize(
    ("params", "message"),
    [({}, "no value for the parameter a"), ({"a": 1, "c": 2}, "c not among the formula's parameters")],
)
def test_parameters_must_match_the_formula(client, params, message):
    reply = client.post("/api/field", json={"formula": "a*x + y", "params": params})
    assert reply.status_code == 422 and message in reply.json()["detail"]["message"]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("max(x, y, 1)", lambda X, Y: np.maximum.reduce([X, Y, np.ones_like(X)])),  # noqa: N803
        ("min(x, y, 0)", lambda X, Y: np.minimum.reduce([X, Y, np.zeros_like(X)])),  # noqa: N803
        ("max(min(x, x*y), y, 1)", lambda X, Y: np.maximum.reduce([np.minimum(X, X * Y), Y, np.ones_like(X)])),  # noqa: N803
    ],
)
def test_n_ary_max_and_min_draw_with_their_gradient(client, formula, expected):
    n = 33  # odd: the grid holds x = 0 and y = 0, where max and min have ties
    body = client.post("/api/field", json={"formula": formula, "n": n, "gradient": True}).json()
    X, Y = grid(n)  # noqa: N806
    np.testing.assert_array_equal(decode(body["values"], n), expected(X, Y))
    step = 1e-7  # away from the ties the exact derivative is the one-sided slope of the same piece
    ties = np.abs(expected(X + step, Y) - expected(X, Y) - (expected(X, Y) - expected(X - step, Y))) > 1e-12
    slope = (expected(X + step, Y) - expected(X - step, Y)) / (2 * step)
    np.testing.assert_allclose(decode(body["gx"], n)[~ties], slope[~ties], atol=1e-6)


def test_a_path_on_nested_max_and_min_follows_the_slope_of_its_piece(client):
    payload = {"formula": "max(min(x, a*y), y, -5)", "params": {"a": 2.0}, "start": [1.0, 2.0], "steps": 3, "step": 0.5}
    points = client.post("/api/path", json=payload).json()["points"]
    # At (1, 2), min(x, 2y) = x = 1 is below y = 2: f = y, whose gradient is (0, 1).
    assert points == [[1.0, 2.0], [1.0, 2.5], [1.0, 3.0], [1.0, 3.5]]


def test_values_beyond_double_precision_are_counted_not_lost(client):
    body = client.post("/api/field", json={"formula": "exp(1000*x) + y", "n": 32}).json()
    X, Y = grid(32)  # noqa: N806
    with np.errstate(over="ignore"):
        exact = np.exp(1000 * X) + Y
    assert body["infinite"] == np.isinf(exact).sum() > 0
    assert body["warnings"] and "beyond double precision" in body["warnings"][0]
    np.testing.assert_array_equal(decode(body["values"], 32), exact)
    assert body["max"] == exact[np.isfinite(exact)].max()


@pytest.mark.parametrize(
    ("formula", "message"),
    [("(-1)^x", "not real"), ("(-8)^(x/3) + y", "not real"), ("x*1e308*10", "double precision")],
)
def test_what_cannot_be_drawn_is_refused_alike_by_parse_and_field(client, formula, message):
    parsed = client.post("/api/parse", json={"formula": formula})
    drawn = client.post("/api/field", json={"formula": formula, "n": 8})
    assert parsed.status_code == drawn.status_code == 400
    assert message in parsed.json()["detail"]["message"]
    assert parsed.json()["detail"] == drawn.json()["detail"]


# --- /api/path -----------------------------------------------------------------------------------------------


def test_path_climbs_to_the_maximum(client):
    reply = client.post("/api/path", json={"formula": GAUSSIAN, "start": [1.0, -0.5], "step": 0.4, "steps": 300})
    assert reply.status_code == 200
    points = np.array(reply.json()["points"])
    assert np.hypot(*points[-1]) < 1e-3
    assert np.all(np.diff(reply.json()["values"]) >= -1e-12)


def test_path_with_a_parameter_descends_to_its_minimum(client):
    payload = {"formula": "(x - c)^2 + y^2", "params": {"c": 0.75}, "start": [-1, 1], "ascent": False, "steps": 500}
    points = client.post("/api/path", json=payload).json()["points"]
    assert points[-1] == pytest.approx([0.75, 0.0], abs=1e-5)


def test_path_is_torchs_heavy_ball_and_says_why_it_stopped(client):
    torch = pytest.importorskip("torch")
    payload = {"formula": "x^2 + 3*y^2", "start": [1.0, -0.5], "step": 0.05, "steps": 50, "momentum": 0.6}
    answer = client.post("/api/path", json={**payload, "ascent": False}).json()
    p = torch.tensor([1.0, -0.5], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=0.05, momentum=0.6)
    expected = [p.detach().numpy().copy()]
    for _ in range(50):
        optimizer.zero_grad()
        (p[0] ** 2 + 3 * p[1] ** 2).backward()
        optimizer.step()
        expected.append(p.detach().numpy().copy())
    np.testing.assert_allclose(answer["points"], expected, atol=1e-14)
    x, y = np.array(answer["points"]).T
    np.testing.assert_allclose(answer["values"], x**2 + 3 * y**2, rtol=1e-14)
    assert answer["reason"] == "maxiter"
    up = client.post("/api/path", json={"formula": GAUSSIAN, "start": [1.0, -0.5], "step": 0.5, "steps": 200}).json()
    assert up["reason"] == "gradient" and up["values"][-1] == pytest.approx(1.0)
    wild = {"formula": "x^2 + y^2", "start": [1.0, 1.0], "step": 1.5, "steps": 100, "ascent": False}
    answer = client.post("/api/path", json=wild).json()
    assert answer["reason"] == "diverged" and "grew without bound" in answer["message"]
    nowhere = client.post("/api/path", json={"formula": "log(x) + y", "start": [-1.0, 0.0], "steps": 10}).json()
    assert nowhere["values"] == [None] and nowhere["points"] == [[-1.0, 0.0]] and nowhere["reason"] == "diverged"


# --- refusals: 4xx, small JSON, never the input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "payload", "status", "message"),
    [
        ("/api/parse", {"formula": "x + eval(y)"}, 400, "unknown function 'eval'"),
        ("/api/parse", {"formula": "t^2"}, 400, "two letters for its axes"),
        ("/api/parse", {"formula": "cbrt(-8)^(1/2) + x"}, 400, "not a real number"),
        ("/api/field", {"formula": "x/0 + y"}, 400, "'x/0' is infinite"),
        ("/api/path", {"formula": "log(x - x)", "start": [0, 0]}, 400, "is infinite"),
        ("/api/field", {"formula": "0/0"}, 400, "undefined"),
        ("/api/parse", {}, 422, "formula: Field required"),
        ("/api/parse", {"formula": "x" * 3000}, 422, "at most 2000"),
        ("/api/parse", {"formula": "x", "axes": ["x", "x"]}, 400, "two different letters"),
        ("/api/field", {"formula": "x", "n": 513}, 422, "less than or equal to 512"),
        ("/api/field", {"formula": "x", "xlim": [2, 1]}, 422, "low < high"),
        ("/api/field", {"formula": "x", "ylim": ["a", 1]}, 422, "ylim.0: Input should be a valid number"),
        ("/api/field", {"formula": "x", "xlim": [0, 1e300]}, 422, "span of at most 1e6"),
        ("/api/path", {"formula": "x", "start": [0, 0], "steps": 10**6}, 422, "less than or equal to 10000"),
        ("/api/path", {"formula": "x", "start": [0, 0], "momentum": 1.0}, 422, "less than 1"),
        ("/api/path", {"formula": "x", "start": [0, 0], "step": -1}, 422, "greater than 0"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(client, endpoint, payload, status, message):
    reply = client.post(endpoint, json=payload)
    assert reply.status_code == status
    assert message in reply.json()["detail"]["message"]


def test_parser_errors_carry_the_column(client):
    detail = client.post("/api/parse", json={"formula": "x^2 + foo(y)"}).json()["detail"]
    assert detail["column"] == 7


MARK = "q" * 40  # in each hostile body, so a reply that echoes the input is seen


def raw(text: str) -> bytes:
    return text.encode("utf-8")


HOSTILE_BODIES = [
    *[
        ("/api/field", f'{{"formula": "x+{MARK}", "xlim": [{token}, 1]}}', "xlim")
        for token in ("NaN", "Infinity", "-Infinity")
    ],
    *[("/api/field", f'{{"formula": "x+{MARK}", "n": {token}}}', "n") for token in ("NaN", "Infinity", "-Infinity")],
    *[
        ("/api/path", f'{{"formula": "x+{MARK}", "start": [0, 0], "{name}": {token}}}', name)
        for name in ("step", "momentum")
        for token in ("NaN", "Infinity", "-Infinity")
    ],
    ("/api/path", f'{{"formula": "x+{MARK}", "start": [NaN, 0]}}', "start"),
    ("/api/field", f'{{"formula": "x+{MARK}", "params": {{"a": NaN}}}}', "params"),
    ("/api/field", f'{{"formula": "x+{MARK}", "xlim": [1e999, 1]}}', "xlim.0: Input should be a finite number"),
    ("/api/parse", f'{{"formula": "x\\ud800{MARK}"}}', "unpaired surrogate"),
    ("/api/parse", f'{{"formula": "x", "axes": ["\\udfff{MARK}", "y"]}}', "unpaired surrogate"),
    ("/api/parse", f'{{"formula": "x+{MARK}", "\\ud800": 1}}', "unpaired surrogate"),
    ("/api/parse", f'{{"formula": {MARK}}}', "not valid JSON"),
    ("/api/parse", f'{{"formula": 5, "{MARK}": 1}}', "formula: Input should be a valid string"),
    ("/api/field", f'{{"formula": "x+{MARK}", "n": "{MARK}"}}', "n: Input should be a valid integer"),
    ("/api/field", f'{{"formula": "x+{MARK}", "n": 8.5}}', "n: Input should be a valid integer"),
    ("/api/field", f'{{"formula": "x+{MARK}", "xlim": "{MARK}"}}', "xlim"),
    ("/api/field", f'{{"formula": "x+{MARK}", "gradient": "{MARK}"}}', "gradient: Input should be a valid boolean"),
    ("/api/field", f'{{"formula": "x+{MARK}", "params": [1]}}', "params: Input should be a valid dictionary"),
    ("/api/field", f'{{"formula": "x+{MARK}", "params": {{"{MARK}!": 1}}}}', "params.*"),
    ("/api/path", f'{{"formula": "x+{MARK}", "start": [0, 0], "ascent": "{MARK}"}}', "ascent"),
    ("/api/parse", f'["{MARK}"]', "Input should be a valid dictionary"),
    ("/api/parse", f'{{"formula": "x+{MARK}", "{MARK}": 1}}', "Extra inputs are not permitted"),
    ("/api/parse", "[" * 20000 + "]" * 20000, "not valid JSON"),
]


@pytest.mark.parametrize(("endpoint", "body", "message"), HOSTILE_BODIES)
def test_hostile_json_gets_a_small_4xx_json_that_does_not_echo_it(client, endpoint, body, message):
    reply = client.post(endpoint, content=raw(body), headers={"content-type": "application/json"})
    assert 400 <= reply.status_code < 500
    assert message in json.dumps(reply.json()["detail"])
    assert len(reply.content) < 600 and MARK not in reply.text and "ud800" not in reply.text


@pytest.mark.parametrize(
    ("method", "path", "content", "status"),
    [("post", "/api/parse", b"", 422), ("post", "/api/parse", b"formula=x", 422), ("get", "/api/parse", None, 405)],
)
def test_other_malformed_requests_get_the_same_json(client, method, path, content, status):
    reply = client.request(method, path, content=content, headers={"content-type": "text/plain"})
    assert reply.status_code == status and set(reply.json()["detail"]) == {"message", "column", "field"}


def test_a_body_that_is_not_utf8_is_refused(client):
    reply = client.post("/api/parse", content=b'{"formula": "x\xff\xfe"}', headers={"content-type": "application/json"})
    assert reply.status_code == 422 and "not UTF-8" in reply.json()["detail"]["message"]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_10_mb_formula_is_refused_with_413_before_it_is_read(client, chunked):
    body = json.dumps({"formula": "x" * 10_000_000}).encode()
    content = (body[i : i + 65536] for i in range(0, len(body), 65536)) if chunked else body
    reply = client.post("/api/parse", content=content, headers={"content-type": "application/json"})
    assert reply.status_code == 413 and "larger than 65536 bytes" in reply.json()["detail"]["message"]
    assert len(reply.content) < 200


def test_hostile_corpus_gets_4xx_quickly_and_the_server_keeps_serving(client):
    for text in HOSTILE:
        start = time.perf_counter()
        reply = client.post("/api/parse", json={"formula": text})
        assert 400 <= reply.status_code < 500, text
        assert time.perf_counter() - start < 1.0, text
        assert len(reply.content) < 600, text
    assert client.post("/api/parse", json={"formula": GAUSSIAN}).status_code == 200


def test_openapi_spec_and_health_are_served(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/parse", "/api/field", "/api/path", "/api/health"} <= set(spec["paths"])
    refusal = spec["paths"]["/api/field"]["post"]["responses"]["422"]["content"]["application/json"]["schema"]
    assert refusal["$ref"].endswith("/ErrorBody")
    assert client.get("/api/health").json()["status"] == "ok"


# --- the worker pool and admission ----------------------------------------------------------------------------


def test_computations_past_the_time_limit_are_stopped_with_a_4xx():
    with TestClient(create_app(time_limit=0.3)) as client:
        start = time.perf_counter()
        reply = client.post("/api/field", json={"formula": HEAVY, "n": 512})
        assert reply.status_code == 422 and "longer than 0.3 s" in reply.json()["detail"]["message"]
        assert time.perf_counter() - start < 3.0
        assert client.post("/api/parse", json={"formula": "x*y"}).status_code == 200


def test_requests_in_parallel_each_get_their_own_answer(client):
    def ask(k):
        reply = client.post("/api/field", json={"formula": f"{k}*x + y", "n": 16, "gradient": True})
        return decode(reply.json()["gx"], 16)

    with ThreadPoolExecutor(6) as threads:
        answers = list(threads.map(ask, range(1, 13)))
    for k, gx in enumerate(answers, start=1):
        np.testing.assert_array_equal(gx, np.full((16, 16), k))


def test_a_full_queue_is_answered_503_with_retry_after():
    with TestClient(create_app(time_limit=0.5, workers=1, queue=1, queue_wait=30)) as client:

        def ask(k):
            return client.post("/api/parse", json={"formula": f"{k} + {HEAVY}"})

        with ThreadPoolExecutor(4) as threads:
            replies = list(threads.map(ask, range(4)))
        statuses = sorted(r.status_code for r in replies)
        assert statuses == [422, 422, 503, 503]  # one runs, one waits, two are told to come back
        for reply in replies:
            if reply.status_code == 503:
                assert int(reply.headers["retry-after"]) >= 1 and "busy" in reply.json()["detail"]["message"]
            else:
                assert "longer than 0.5 s" in reply.json()["detail"]["message"]


def test_a_long_wait_in_the_queue_is_answered_503():
    app = create_app(time_limit=0.6, workers=1, queue=4, queue_wait=0.3)
    with TestClient(app) as client, ThreadPoolExecutor(2) as threads:
        slow = threads.submit(client.post, "/api/parse", json={"formula": HEAVY})
        time.sleep(0.2)
        waiting = threads.submit(client.post, "/api/parse", json={"formula": "1 + " + HEAVY})
        assert waiting.result().status_code == 503 and "retry-after" in waiting.result().headers
        assert slow.result().status_code == 422


def test_the_time_limit_counts_work_not_the_wait_for_a_worker():
    from gradkit.explorer.workers import WorkerPool

    pool = WorkerPool(size=1)
    try:
        pool.run(int)  # the worker is started
        work = range(4_000_000)
        start = time.process_time()
        sum(work)
        seconds = time.process_time() - start
        limit = max(4 * seconds, 0.2)
        with ThreadPoolExecutor(6) as threads:  # six jobs one after another take longer than the limit
            totals = list(threads.map(lambda _: pool.run(sum, work, limit=limit), range(6)))
        assert totals == [sum(work)] * 6
    finally:
        pool.close()


def test_the_pool_reuses_a_worker_and_replaces_one_that_ran_too_long():
    from gradkit.explorer.workers import ComputeTimeoutError, WorkerPool

    pool = WorkerPool(size=1)
    try:
        first = pool.run(os.getpid)
        assert first != os.getpid() and pool.run(os.getpid) == first
        with pytest.raises(ComputeTimeoutError, match=r"longer than 0\.2 s"):
            pool.run(time.sleep, 5, limit=0.2)  # sleeping uses no CPU: stopped by the wall-clock backstop
        assert pool.run(os.getpid) != first
        with pytest.raises(ZeroDivisionError):
            pool.run(divmod, 1, 0)  # an error in the worker is raised here, and the worker is kept
    finally:
        pool.close()


def test_the_pool_never_runs_more_workers_than_its_size():
    from gradkit.explorer.workers import WorkerPool

    pool = WorkerPool(size=2)
    try:
        with ThreadPoolExecutor(8) as threads:
            pids = set(threads.map(lambda _: pool.run(os.getpid), range(40)))
        assert 1 <= len(pids) <= 2
    finally:
        pool.close()


# --- everything parse accepts draws ---------------------------------------------------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from gradkit.explorer import compute  # noqa: E402
from gradkit.symbolic import FormulaError  # noqa: E402
from gradkit.symbolic.functions import FUNCTIONS  # noqa: E402

LEAVES = st.sampled_from(["x", "y", "a", "-2", "0", "0.5", "1", "3", "pi", "e"])
UNARY = sorted(name for name, (arity, _) in FUNCTIONS.items() if arity == 1)


def _formulas(children):
    return st.one_of(
        st.builds(lambda f, u: f"{f}({u})", st.sampled_from(UNARY), children),
        st.builds(lambda a, op, b: f"({a}){op}({b})", children, st.sampled_from(["+", "-", "*", "/", "^"]), children),
        st.builds(
            lambda f, args: f"{f}({', '.join(args)})",
            st.sampled_from(["min", "max"]),
            st.lists(children, min_size=2, max_size=3),
        ),
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["atan2", "hypot"]), children, children),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(LEAVES, _formulas, max_leaves=5))
def test_every_formula_parse_accepts_draws_a_field_and_a_path(formula):
    try:
        parsed = compute.parse(formula)
    except FormulaError:
        return
    params = dict.fromkeys(parsed["parameters"], 1.5)
    reply = compute.field(formula, None, params, (-2.0, 2.0), (-1.5, 2.5), 9, True)
    assert len(base64.b64decode(reply["gx"])) == 9 * 9 * 8
    json.dumps(reply, allow_nan=False)
    json.dumps(compute.path(formula, None, params, (0.3, -0.2), 0.1, 5, 0.5, True), allow_nan=False)


def test_an_error_pickling_cannot_carry_comes_back_as_its_builtin_kind():
    """An exception the worker cannot send as it is (its constructor takes other arguments than its args, or
    it holds a lock) comes back as the nearest built-in type with its message, not as a timeout; the worker
    is kept."""
    from unpicklable_errors import raise_key_locked, raise_two_part, raise_unpicklable, raise_unreadable

    from gradkit.explorer.workers import WorkerPool

    pool = WorkerPool(size=1)
    try:
        first = pool.run(os.getpid)
        with pytest.raises(ValueError, match="the formula: is refused") as raised:
            pool.run(raise_two_part)
        assert type(raised.value) is ValueError
        with pytest.raises(Exception, match="a lock inside") as raised:
            pool.run(raise_unpicklable)
        assert type(raised.value) is Exception
        with pytest.raises(KeyError) as raised:
            pool.run(raise_key_locked)
        assert type(raised.value) is KeyError and raised.value.args == ("k",)
        with pytest.raises(Exception) as raised:
            pool.run(raise_unreadable)
        assert type(raised.value) is Exception
        assert pool.run(os.getpid) == first
    finally:
        pool.close()
