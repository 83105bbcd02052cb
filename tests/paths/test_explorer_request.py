"""The explorer's path request, answered by the descent loop: torch's heavy ball, and why it stopped."""

import numpy as np
import pytest

import gradkit as gk


def test_the_explorer_request_answers_with_the_heavy_ball_path_and_why_it_stopped():
    torch = pytest.importorskip("torch")
    import json

    from gradkit.paths.explorer_request import path_request

    answer = path_request("x^2 + 3*y^2", (1.0, -0.5), 0.05, 50, 0.6, False)
    json.dumps(answer)
    assert set(answer) == {"points", "values", "status", "reason", "message"}
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
    assert answer["reason"] == "maxiter" and answer["status"] == gk.paths.Status.MAXITER
    up = path_request("exp(-x^2)*exp(-y^2)", (1.0, -0.5), 0.5, 200, 0.0, True)
    assert up["reason"] == "gradient" and up["values"][-1] == pytest.approx(1.0)
    wild = path_request("x^2 + y^2", (1.0, 1.0), 1.5, 100, 0.0, False)
    assert wild["reason"] == "diverged" and "grew without bound" in wild["message"]
    nowhere = path_request("log(x)", (-1.0, 0.0), 0.1, 10, 0.0, True)
    assert nowhere["values"] == [None] and nowhere["points"] == [[-1.0, 0.0]] and nowhere["reason"] == "diverged"
