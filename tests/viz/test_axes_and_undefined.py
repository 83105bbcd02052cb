"""Pictures name their axes after the formula's variables, draw one-variable formulas, and skip undefined arrows."""

import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import gradkit as gk
from gradkit.symbolic import FormulaError


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def labels(drawn):
    return drawn.ax.get_xlabel(), drawn.ax.get_ylabel()


def hidden(quiver):
    # matplotlib keeps the union of U's and V's masks as Umask (nomask when none) and U, V as plain data.
    return np.broadcast_to(quiver.Umask, quiver.X.shape)


@pytest.mark.parametrize(
    ("f", "variables", "axes"),
    [
        ("s + t^2", None, ("s", "t")),
        ("s + t^2", "t,s", ("t", "s")),
        ("s + t^2", ("t", "s"), ("t", "s")),
        ("t^2 + s", None, ("t", "s")),  # the order written
        (gk.Expression("s + t^2"), None, ("s", "t")),  # an Expression's own variables
        (gk.Expression("s + t^2", variables=("t", "s")), None, ("t", "s")),
        ("y^2 + x", None, ("x", "y")),
    ],
    ids=["written", "vars-text", "vars-tuple", "written-reversed", "expression", "expression-ordered", "x-y"],
)
def test_axes_are_labelled_with_the_formulas_variables_and_carry_them(f, variables, axes):
    drawn = gk.plot.field(f, (-2, 2), (-1, 1), variables=variables, contours=False)
    assert labels(drawn) == axes
    across, up = np.meshgrid(drawn.sampled.xs, drawn.sampled.ys)
    named = {axes[0]: across, axes[1]: up}
    exact = named.get("s", named.get("x")) + named.get("t", named.get("y")) ** 2
    np.testing.assert_allclose(drawn.sampled.values, exact, rtol=1e-15)
    # The arrows follow the exact gradient in the axis variables: d/d(across), d/d(up).
    quiver = drawn.quiver
    a, b = quiver.X, quiver.Y
    squared = axes.index("t" if "t" in axes else "y")
    gradient = (2 * a, np.ones_like(b)) if squared == 0 else (np.ones_like(a), 2 * b)
    difference = np.angle(np.exp(1j * (np.arctan2(quiver.V, quiver.U) - np.arctan2(gradient[1], gradient[0]))))
    assert np.abs(difference).max() < 1e-9


def test_callables_and_arrays_take_their_labels_from_variables():
    assert labels(gk.plot.field(lambda x, y: x * y, variables="time,space")) == ("time", "space")
    assert labels(gk.plot.field(np.ones((5, 5)))) == ("x", "y")


def test_a_one_variable_formula_is_drawn_against_y():
    drawn = gk.plot.field("t^2", (-2, 2), (-1, 1), streamlines=True)
    assert labels(drawn) == ("t", "y")
    np.testing.assert_array_equal(drawn.sampled.values, np.broadcast_to(drawn.sampled.xs**2, (200, 200)))
    quiver = drawn.quiver
    right, left = quiver.X > 0, quiver.X < 0
    np.testing.assert_allclose(np.arctan2(quiver.V, quiver.U)[right], 0.0, atol=1e-15)
    np.testing.assert_allclose(np.abs(np.arctan2(quiver.V, quiver.U)[left]), np.pi)
    assert drawn.streamlines is not None and drawn.note is None


def test_no_arrows_where_log_is_undefined_and_a_warning_says_how_much():
    with pytest.warns(RuntimeWarning, match=r"not finite .* on 50% of the picture, within x in \[-2, ") as caught:
        drawn = gk.plot.field("log(x)", (-2, 2), (-2, 2))
    assert len(caught) == 1  # NumPy's own warnings about log of negatives are not repeated
    assert drawn.not_finite == 0.5  # 100 of the 200 sample columns have x < 0
    assert drawn.note == str(caught[0].message)
    quiver = drawn.quiver
    np.testing.assert_array_equal(hidden(quiver), quiver.X <= 0)  # log(0) = -inf: no arrow at x = 0 either
    shown = ~hidden(quiver)
    assert np.isfinite(quiver.U[shown]).all() and np.isfinite(quiver.V[shown]).all()


def test_no_arrow_where_only_the_gradient_is_infinite():
    with pytest.warns(RuntimeWarning, match="not finite"):
        drawn = gk.plot.field("sqrt(x)", (-2, 2), (-2, 2))
    quiver = drawn.quiver
    assert np.any(quiver.X == 0)  # sqrt(0) = 0, but its slope there is infinite
    np.testing.assert_array_equal(hidden(quiver), quiver.X <= 0)


@pytest.mark.parametrize("kind", ["callable", "array"])
def test_no_arrows_where_a_sampled_field_is_undefined(kind):
    xs = np.linspace(-2, 2, 200)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        f = (lambda x, y: np.log(x) + y) if kind == "callable" else np.log(xs)[np.newaxis, :] + xs[:, np.newaxis]
        drawn = gk.plot.field(f, (-2, 2), (-2, 2))
    masked = hidden(drawn.quiver)
    assert np.all(masked[drawn.quiver.X <= 0])
    assert not np.any(masked[drawn.quiver.X > 0.5])  # away from the edge of the domain, every arrow is drawn


def test_a_field_finite_everywhere_warns_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        drawn = gk.plot.field("exp(x) * y", (-2, 2), (-2, 2))
    assert drawn.not_finite == 0.0 and drawn.note is None
    assert not hidden(drawn.quiver).any()


@pytest.mark.parametrize(("variables", "end"), [(None, [1.0, 0.0]), ("s,t", [0.0, 1.0])])
def test_paths_take_their_points_in_the_pictures_variables(variables, end):
    # (t - 1)^2 + s^2 is least at t = 1, s = 0; a step of 1/2 reaches it exactly from anywhere.
    points = gk.plot.path("(t - 1)^2 + s^2", (0.5, 0.5), ascent=False, step=0.5, variables=variables)
    np.testing.assert_array_equal(points[-1], end)


@pytest.mark.parametrize(
    ("f", "variables", "error", "message"),
    [
        ("x*y", "x", ValueError, "variables must name the horizontal and vertical"),
        ("x*y", ("x", "x"), ValueError, "two different variables"),
        ("x*y", 3, ValueError, "variables must name"),
        ("x*y", "x,t", FormulaError, "the formula uses 'y'"),
        ("a*b + c", None, FormulaError, r"uses 3 variables \(a, b, c\)"),
    ],
)
def test_bad_variables_are_named(f, variables, error, message):
    with pytest.raises(error, match=message):
        gk.plot.field(f, variables=variables)
