"""The explorer API with FastAPI's TestClient: good and bad requests, limits, the hostile corpus."""

import base64
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from fastapi.testclient import TestClient

from gradkit.explorer.app import create_app

sys.path.insert(0, str(Path(__file__).parents[1] / "symbolic"))
from hostile import HOSTILE

GAUSSIAN = "exp(-x^2)*exp(-y^2)"


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app())


def decode(text, n):
    return np.frombuffer(base64.b64decode(text), dtype="<f4").reshape(n, n)


def evaluate(tree, x, y):
    """The page's evaluation of a JSON tree, in Python, to check the trees are right."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "var":
        return {"x": x, "y": y}[tree[1]]
    parts = [evaluate(t, x, y) for t in tree[1:]] if kind != "call" else [evaluate(t, x, y) for t in tree[2:]]
    if kind == "add":
        return sum(parts)
    if kind == "mul":
        return np.prod(parts)
    if kind == "pow":
        return parts[0] ** parts[1]
    return getattr(np, {"abs": "abs", "atan2": "arctan2"}.get(tree[1], tree[1]))(*parts)


def test_parse_returns_variables_gradient_latex_and_trees(client):
    reply = client.post("/api/parse", json={"formula": GAUSSIAN})
    assert reply.status_code == 200
    body = reply.json()
    assert body["variables"] == ["x", "y"]
    assert body["gradient"] == ["-2*x*exp(-x**2)*exp(-y**2)", "-2*y*exp(-x**2)*exp(-y**2)"]
    assert "e^{" in body["latex"]
    x, y = 0.3, -0.7
    assert evaluate(body["tree"], x, y) == pytest.approx(np.exp(-x * x - y * y), rel=1e-15)
    exact = -2 * np.array([x, y]) * np.exp(-x * x - y * y)
    assert [evaluate(t, x, y) for t in body["gradient_tree"]] == pytest.approx(exact, rel=1e-14)


def test_field_returns_values_and_exact_gradients_on_the_grid(client):
    reply = client.post("/api/field", json={"formula": GAUSSIAN, "xlim": [-2, 2], "ylim": [-1, 1], "n": 64})
    assert reply.status_code == 200
    body = reply.json()
    X, Y = np.meshgrid(np.linspace(-2, 2, 64), np.linspace(-1, 1, 64))  # noqa: N806
    np.testing.assert_allclose(decode(body["values"], 64), np.exp(-(X**2) - Y**2), rtol=1e-6)
    np.testing.assert_allclose(decode(body["gx"], 64), -2 * X * np.exp(-(X**2) - Y**2), atol=1e-6)
    assert body["max"] == pytest.approx(np.exp(-(X**2) - Y**2).max())


def test_512_field_of_the_default_formula(client):
    reply = client.post("/api/field", json={"formula": GAUSSIAN, "n": 512})
    assert reply.status_code == 200 and decode(reply.json()["gy"], 512).shape == (512, 512)


def test_path_climbs_to_the_maximum(client):
    reply = client.post("/api/path", json={"formula": GAUSSIAN, "start": [1.0, -0.5], "step": 0.4, "steps": 300})
    assert reply.status_code == 200
    points = np.array(reply.json()["points"])
    assert np.hypot(*points[-1]) < 1e-3
    assert np.all(np.diff(reply.json()["values"]) >= -1e-12)


@pytest.mark.parametrize(
    ("endpoint", "payload", "status", "message"),
    [
        ("/api/parse", {"formula": "x + eval(y)"}, 400, "unknown function 'eval'"),
        ("/api/parse", {"formula": "x*y*z"}, 400, "two variables"),
        ("/api/parse", {"formula": "cbrt(-8)^(1/2) + x"}, 400, "not a real number"),
        ("/api/field", {"formula": "x/0 + y"}, 400, "'x/0' is infinite"),
        ("/api/path", {"formula": "log(x - x)", "start": [0, 0]}, 400, "is infinite"),
        ("/api/field", {"formula": "0/0"}, 400, "undefined"),
        ("/api/parse", {}, 422, "formula"),
        ("/api/parse", {"formula": "x" * 3000}, 422, "at most 2000"),
        ("/api/field", {"formula": "x", "n": 513}, 422, "less than or equal to 512"),
        ("/api/field", {"formula": "x", "xlim": [2, 1]}, 422, "low < high"),
        ("/api/field", {"formula": "x", "ylim": ["a", 1]}, 422, "valid number"),
        ("/api/path", {"formula": "x", "start": [0, 0], "steps": 10**6}, 422, "less than or equal to 10000"),
        ("/api/path", {"formula": "x", "start": [0, 0], "momentum": 1.0}, 422, "less than 1"),
        ("/api/path", {"formula": "x", "start": [0, 0], "step": -1}, 422, "greater than 0"),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(client, endpoint, payload, status, message):
    reply = client.post(endpoint, json=payload)
    assert reply.status_code == status
    assert message in str(reply.json()["detail"])


def test_parser_errors_carry_the_column(client):
    detail = client.post("/api/parse", json={"formula": "x^2 + foo(y)"}).json()["detail"]
    assert detail["column"] == 7


def test_hostile_corpus_gets_4xx_quickly_and_the_server_keeps_serving(client):
    for text in HOSTILE:
        start = time.perf_counter()
        reply = client.post("/api/parse", json={"formula": text})
        assert 400 <= reply.status_code < 500, text
        assert time.perf_counter() - start < 1.0, text
    assert client.post("/api/parse", json={"formula": GAUSSIAN}).status_code == 200


def test_computations_past_the_time_limit_are_stopped_with_a_4xx():
    client = TestClient(create_app(time_limit=0.3))
    heavy = "*".join(f"sin({k}*x+y)" for k in range(1, 60))  # about 5 s of sympy work
    start = time.perf_counter()
    reply = client.post("/api/field", json={"formula": heavy, "n": 512})
    assert reply.status_code == 422 and "longer than" in reply.json()["detail"]["message"]
    assert time.perf_counter() - start < 3.0
    assert client.post("/api/parse", json={"formula": "x*y"}).status_code == 200


def test_openapi_spec_is_served(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/parse", "/api/field", "/api/path"} <= set(spec["paths"])


def test_requests_in_parallel_each_get_their_own_answer(client):
    from concurrent.futures import ThreadPoolExecutor

    def ask(k):
        reply = client.post("/api/field", json={"formula": f"{k}*x + y", "n": 16})
        return decode(reply.json()["gx"], 16)

    with ThreadPoolExecutor(6) as threads:
        answers = list(threads.map(ask, range(1, 13)))
    for k, gx in enumerate(answers, start=1):
        np.testing.assert_array_equal(gx, np.full((16, 16), k, dtype=np.float32))


def test_the_pool_reuses_a_worker_and_replaces_one_that_ran_too_long():
    import os

    from gradkit.explorer.compute import ComputeTimeoutError, WorkerPool

    pool = WorkerPool(idle=1)
    try:
        first = pool.run(os.getpid)
        assert first != os.getpid() and pool.run(os.getpid) == first
        with pytest.raises(ComputeTimeoutError, match=r"longer than 0\.2 s"):
            pool.run(time.sleep, 5, limit=0.2)
        assert pool.run(os.getpid) != first
        with pytest.raises(ZeroDivisionError):
            pool.run(divmod, 1, 0)  # an error in the worker is raised here, and the worker is kept
    finally:
        pool.close()
