"""Gradient flow lines against the exact solutions of dx/dt = grad f."""

import numpy as np
import pytest

from gradkit.paths import flow_line, flow_lines


def test_flow_of_a_quadratic_follows_the_exponential_solution():
    # f = -(x^2 + 4 y^2): dx/dt = -2x, dy/dt = -8y, so x = e^{-2t}, y = e^{-8t} from (1, 1)
    line = flow_line("-(x^2 + 4*y^2)", [1.0, 1.0])
    np.testing.assert_allclose(line.points[:, 0], np.exp(-2 * line.t), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(line.points[:, 1], np.exp(-8 * line.t), rtol=1e-6, atol=1e-9)
    assert line.status == "critical point" and np.linalg.norm([2, 8] * line.points[-1]) <= 1e-6 * 1.001
    np.testing.assert_allclose(line.values, -(line.points[:, 0] ** 2 + 4 * line.points[:, 1] ** 2), atol=1e-15)


def test_descending_flow_is_the_ascending_flow_of_minus_f():
    up = flow_line("-(x^2 + 4*y^2)", [1.0, 1.0])
    down = flow_line("x^2 + 4*y^2", [1.0, 1.0], ascent=False)
    np.testing.assert_allclose(down.points, up.points, atol=1e-15)


def test_a_flow_line_ends_where_it_leaves_bounds():
    # f = x + y/2: dx/dt = (1, 1/2), leaving x <= 1 at t = 1
    line = flow_line("x + y/2", [0.0, 0.0], bounds=[(-1, 1), (-1, 1)])
    assert line.status == "bounds" and line.t[-1] == pytest.approx(1.0, abs=1e-9)
    np.testing.assert_allclose(line.points[-1], [1.0, 0.5], atol=1e-9)


def test_a_flow_line_that_runs_out_of_time():
    line = flow_line("x", [0.0], t_max=2.5)
    assert line.status == "t_max" and line.points[-1][0] == pytest.approx(2.5)


def test_a_flow_line_from_a_critical_point_has_one_point():
    line = flow_line("x*y", [0.0, 0.0])
    assert line.status == "critical point" and line.points.shape == (1, 2)


def test_a_flow_line_from_where_the_gradient_is_not_finite_fails_at_once():
    line = flow_line("sqrt(x) + y", [-1.0, 0.0])
    assert line.status == "failed" and line.message == "grad f(x0) is not finite" and line.points.shape == (1, 2)


def test_a_flow_line_into_a_region_without_values_fails_there():
    xs = np.linspace(-2, 2, 81)
    values = np.where(xs[:, None] > 0, xs[:, None], np.nan) + 0 * xs  # f = x where x > 0, nan elsewhere
    line = flow_line(values, [1.0, 0.5], coords=(xs, xs), ascent=False)
    assert line.status == "failed" and 0 < line.points[-1][0] < 0.15  # the differences beside the gap are nan


def test_flow_on_a_grid_agrees_with_the_exact_flow_to_the_grids_accuracy():
    h = 0.02
    xs = np.arange(-1.5, 1.5 + h / 2, h)
    values = np.exp(-np.add.outer(xs**2, 2 * xs**2))  # exp(-x^2 - 2 y^2), axis 0 along x
    exact = flow_line("exp(-x^2 - 2*y^2)", [1.0, 0.6], gtol=1e-4)
    sampled = flow_line(values, [1.0, 0.6], coords=(xs, xs), gtol=1e-4)
    assert exact.status == sampled.status == "critical point"
    # Along y = c x^2 (dy/dx = 4y / 2x) from (1, 0.6): the grid's line stays on it to about h^2.
    x, y = sampled.points.T
    assert np.abs(y - 0.6 * x**2).max() < h**2


def test_flow_lines_from_several_starts():
    lines = flow_lines("x^2 - y^2", [(1.0, 0.5), (-1.0, -0.5)], ascent=False, bounds=[(-2, 2), (-2, 2)])
    assert [line.status for line in lines] == ["bounds", "bounds"]
    for line, sign in zip(lines, (1, -1)):
        x, y = line.points.T  # dx/dt = -2x, dy/dt = 2y: x y stays constant
        np.testing.assert_allclose(x * y, 0.5, rtol=1e-6)
        assert np.abs(y[-1]) == pytest.approx(2.0) and np.sign(y[-1]) == sign


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: flow_line("x*y", [1.0]), "x0 must have 2 coordinates"),
        (lambda: flow_line("x*y", [1.0, 1.0], t_max=0), "t_max must be positive"),
        (lambda: flow_line("x*y", [1.0, 1.0], gtol=-1), "gtol must be"),
        (lambda: flow_line("x*y", [3.0, 1.0], bounds=[(-2, 2), (-2, 2)]), "x0 must lie inside"),
        (lambda: flow_lines("x*y", []), "starts must hold at least one point"),
    ],
)
def test_bad_input_is_named(call, match):
    with pytest.raises(ValueError, match=match):
        call()
