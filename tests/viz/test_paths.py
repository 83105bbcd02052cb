"""Paths and flow lines on pictures come from gradkit.paths."""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import gradkit as gk


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_a_formulas_path_is_the_heavy_ball_descent_with_the_exact_gradient():
    drawn = gk.plot.path("x^2 + 3*y^2", (1.0, -0.5), ascent=False, step=0.05, steps=50, momentum=0.6, full_output=True)
    expected = gk.descend("x^2 + 3*y^2", [1.0, -0.5], rule="heavy-ball", step=0.05, momentum=0.6, maxiter=50, gtol=0)
    np.testing.assert_array_equal(drawn.points, expected.points)
    assert drawn.message == "maximum number of steps reached after 50 steps"


def test_an_array_path_runs_along_x_and_y_as_the_picture_does():
    # rows along y, columns along x, over a region that is not square
    xs, ys = np.linspace(-2, 3, 201), np.linspace(-1, 1, 81)
    X, Y = np.meshgrid(xs, ys)  # noqa: N806
    values = -((X - 0.5) ** 2) - 2 * (Y + 0.3) ** 2
    r = gk.plot.path(values, (2.0, 0.5), step=0.2, steps=500, xlim=(-2, 3), ylim=(-1, 1), full_output=True)
    np.testing.assert_allclose(r.x, [0.5, -0.3], atol=1e-9)  # linear interpolation of a quadratic's exact slopes
    assert r.success


def test_a_path_that_leaves_the_picture_stops_at_its_edge():
    r = gk.plot.path("x^2 + y^2", (1.0, 0.5), ascent=False, step=1.2, full_output=True)
    assert r.status == gk.paths.Status.BOUNDS and max(abs(r.x)) == pytest.approx(2.0)


def test_other_rules_can_draw_paths():
    points = gk.plot.path("(1 - x)^2 + 100*(y - x^2)^2", (-1.2, 1.0), ascent=False, rule="armijo", steps=200)
    values = (1 - points[:, 0]) ** 2 + 100 * (points[:, 1] - points[:, 0] ** 2) ** 2
    assert np.all(np.diff(values) < 0)


def test_steps_must_be_a_positive_integer():
    with pytest.raises(ValueError, match="steps must be an integer >= 1"):
        gk.plot.path("x*y", (0.5, 0.5), steps=0)


def test_streamlines_are_gradient_flow_lines_crossing_the_contours_at_right_angles():
    drawn = gk.plot.field("x^2 + 4*y^2", (-2, 2), (-2, 2), streamlines=True, vectors=False)
    lines = drawn.streamlines.get_segments()
    assert len(lines) >= 5
    checked = 0
    for line in lines:
        middle = (line[1:] + line[:-1]) / 2
        tangent = np.diff(line, axis=0)
        gradient = np.column_stack([2 * middle[:, 0], 8 * middle[:, 1]])
        keep = (np.linalg.norm(tangent, axis=1) > 1e-3) & (np.linalg.norm(gradient, axis=1) > 0.05)
        cosine = np.abs(np.sum(tangent * gradient, axis=1)) / (
            np.linalg.norm(tangent, axis=1) * np.linalg.norm(gradient, axis=1)
        )
        assert np.all(cosine[keep] > 0.99)
        checked += keep.sum()
    assert checked > 100
