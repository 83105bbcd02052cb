"""Pictures: arrows at the exact gradient's data-space angles, contours, colour bar, paths."""

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


def arrow_angles(drawn):
    quiver = drawn.quiver
    return np.arctan2(quiver.V, quiver.U), quiver.X, quiver.Y


@pytest.mark.parametrize(
    ("f", "exact"),
    [
        ("exp(-x^2)*exp(-y^2)", lambda x, y: (-2 * x * np.exp(-x * x - y * y), -2 * y * np.exp(-x * x - y * y))),
        ("x^2 - 3*y^2 + x*y", lambda x, y: (2 * x + y, -6 * y + x)),
        (lambda x, y: np.sin(x) * np.cos(y), lambda x, y: (np.cos(x) * np.cos(y), -np.sin(x) * np.sin(y))),
    ],
    ids=["gaussian", "quadratic", "callable"],
)
def test_arrows_point_along_the_exact_gradient_in_data_space(f, exact, tmp_path):
    drawn = gk.plot.field(f, (-2, 2), (-1.5, 1.5))
    drawn.ax.figure.savefig(tmp_path / "field.png")
    angles, x, y = arrow_angles(drawn)
    gx, gy = exact(x, y)
    keep = np.hypot(gx, gy) > 1e-3
    difference = np.angle(np.exp(1j * (angles[keep] - np.arctan2(gy, gx)[keep])))
    tolerance = 1e-9 if isinstance(f, str) else 2e-3  # exact for formulas, 4th-order differences for callables
    assert np.abs(difference).max() < tolerance
    assert drawn.quiver.angles == "xy" and drawn.quiver.scale_units == "xy"
    assert drawn.ax.get_aspect() == 1.0
    lengths = np.hypot(drawn.quiver.U, drawn.quiver.V)[keep]
    np.testing.assert_allclose(lengths, lengths[0])  # normalised; colour carries |grad f|


def test_arrows_are_perpendicular_to_the_contour_lines():
    drawn = gk.plot.field("x^2 + 4*y^2", (-2, 2), (-2, 2))
    segments = [s for level in drawn.contours.allsegs for s in level if len(s) > 10]
    segment = max(segments, key=len)
    middle = len(segment) // 2
    tangent = segment[middle + 1] - segment[middle - 1]
    x, y = segment[middle]
    normal = np.array([2 * x, 8 * y])
    assert abs(np.dot(tangent, normal)) / (np.linalg.norm(tangent) * np.linalg.norm(normal)) < 0.02


def test_picture_has_heat_map_colorbar_contours_and_optional_streamlines(tmp_path):
    drawn = gk.plot.field("x*y", streamlines=True)
    assert drawn.image.get_cmap().name == "viridis"
    assert drawn.colorbar is not None and drawn.contours is not None and drawn.streamlines is not None
    bare = gk.plot.field("x*y", vectors=False, contours=False)
    assert bare.quiver is None and bare.contours is None
    target = tmp_path / "f.png"
    drawn.ax.figure.savefig(target)
    assert target.stat().st_size > 10_000


def test_arrays_are_drawn_on_their_extent_with_numerical_gradients():
    ys, xs = np.mgrid[-1:1:81j, -2:2:161j]
    values = xs**2 + ys
    drawn = gk.plot.field(values, (-2, 2), (-1, 1))
    angles, x, _ = arrow_angles(drawn)
    np.testing.assert_allclose(angles, np.arctan2(np.ones_like(x), 2 * x), atol=1e-6)


def test_ascent_path_climbs_to_the_maximum_and_descent_runs_away():
    points = gk.plot.path("exp(-x^2)*exp(-y^2)", (1.2, -0.8), step=0.4, steps=300)
    assert np.hypot(*points[-1]) < 1e-3
    values = np.exp(-(points**2).sum(axis=1))
    assert np.all(np.diff(values) >= -1e-12)
    down = gk.plot.path("x^2 + y^2", (0.5, 0.5), ascent=False, step=0.1, steps=200, momentum=0.5)
    assert np.hypot(*down[-1]) < 1e-3


def test_paths_over_callables_and_arrays_climb_their_numerical_gradient():
    def bowl(x, y):
        return -(x**2) - 2 * y**2

    xs = np.linspace(-2, 2, 81)
    on_a_grid = bowl(*np.meshgrid(xs, xs))
    for field in (bowl, on_a_grid):
        points = gk.plot.path(field, (1.0, 0.5), step=0.1, steps=300)
        assert np.hypot(*points[-1]) < 1e-2
        assert np.all(np.diff(bowl(points[:, 0], points[:, 1])) >= -1e-9)


@pytest.mark.parametrize(
    ("start", "message"), [((np.nan, 0.5), "two finite numbers"), ((1.0,), "two finite numbers"), ("ab", "start")]
)
def test_a_path_needs_a_finite_start(start, message):
    with pytest.raises(ValueError, match=message):
        gk.plot.path("x*y", start)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ((np.ones(5),), ValueError, "2-D"),
        (("x*y*z",), ValueError, "two variables"),
        ((3.0,), TypeError, "f must be"),
        (("x", (2, 1)), ValueError, "low < high"),
        ((np.ones((5, 5)) * 1j,), TypeError, "an array field must be real numbers"),
        ((lambda x, y: x + 1j * y,), TypeError, r"f\(x, y\) must be real numbers"),
    ],
)
def test_bad_input_is_named(arguments, error, message):
    with pytest.raises(error, match=message):
        gk.plot.field(*arguments)
