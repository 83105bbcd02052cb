"""f as a callable, an Expression or a grid; torch and JAX inputs; ascent; bad input named."""

import numpy as np
import pytest
from scipy.interpolate import RegularGridInterpolator

import gradkit as gk
from gradkit.paths import Status
from gradkit.paths.sampled import GridObjective

TEXT = "(x - 0.3)^2 + 2*(y + 0.2)^2 + 0.5*sin(2*x)*cos(y)"


def smooth(p):
    return (p[0] - 0.3) ** 2 + 2 * (p[1] + 0.2) ** 2 + 0.5 * np.sin(2 * p[0]) * np.cos(p[1])


def smooth_jac(p):
    return np.array(
        [2 * (p[0] - 0.3) + np.cos(2 * p[0]) * np.cos(p[1]), 4 * (p[1] + 0.2) - 0.5 * np.sin(2 * p[0]) * np.sin(p[1])]
    )


OPTIONS = {"step": 0.1, "maxiter": 40, "gtol": 0}
START = [1.2, 0.9]


@pytest.fixture(scope="module")
def exact():
    return gk.descend(smooth, START, jac=smooth_jac, **OPTIONS)


def test_expression_and_formula_text_follow_the_exact_gradient(exact):
    for f in (TEXT, gk.Expression(TEXT)):
        r = gk.descend(f, START, **OPTIONS)
        np.testing.assert_allclose(r.points, exact.points, rtol=0, atol=1e-14)
        np.testing.assert_allclose(r.values, exact.values, rtol=1e-14)


def test_a_callable_without_jac_follows_gradkits_finite_differences(exact):
    r = gk.descend(smooth, START, **OPTIONS)
    np.testing.assert_allclose(r.points, exact.points, rtol=0, atol=1e-10)
    assert r.nfev > 2 * (r.nit + 1)  # the differences' own calls of f are counted, as SciPy counts them
    assert r.njev == r.nit + 1


def test_jac_true_means_f_returns_value_and_gradient(exact):
    r = gk.descend(lambda p: (smooth(p), smooth_jac(p)), START, jac=True, **OPTIONS)
    np.testing.assert_array_equal(r.points, exact.points)
    assert r.nfev == r.njev == r.nit + 1


def test_args_reach_f_and_jac():
    r = gk.descend(
        lambda p, c: float((p[0] - c) ** 2), [0.0], jac=lambda p, c: 2 * (p - c), args=(3.0,), step=0.25, gtol=1e-12
    )
    assert r.x[0] == pytest.approx(3.0, abs=1e-12)


@pytest.mark.parametrize("h", [0.05, 0.025])
def test_grid_paths_agree_with_the_exact_path_to_second_order_in_the_spacing(exact, h):
    xs = np.arange(-2, 2 + h / 2, h)
    ys = np.arange(-1.5, 1.5 + h / 2, h)
    values = smooth(np.meshgrid(xs, ys, indexing="ij"))
    r = gk.descend(values, START, coords=(xs, ys), **OPTIONS)
    assert r.nit == 40
    error = np.abs(r.points - exact.points).max()
    assert error <= h**2  # measured: 0.44 h^2
    coarser = gk.descend(
        smooth(np.meshgrid(xs[::2], ys[::2], indexing="ij")), START, coords=(xs[::2], ys[::2]), **OPTIONS
    )
    assert np.abs(coarser.points - exact.points).max() / error > 3  # halving h divides the error by about 4
    assert np.abs(r.values - exact.values).max() <= h**2


def test_grid_interpolation_is_scipys_linear_interpolation_of_the_second_order_gradient():
    rng = np.random.default_rng(7)
    coords = [np.sort(rng.uniform(-1, 1, n)) for n in (7, 9, 6)]
    values = rng.normal(size=(7, 9, 6))
    objective = GridObjective(values, coords)
    partials = np.gradient(values, *coords, edge_order=2)
    points = np.column_stack([rng.uniform(c[0], c[-1], 50) for c in coords])
    for point in points:
        value, gradient = objective.value_and_gradient(point)
        assert value == pytest.approx(RegularGridInterpolator(coords, values)(point)[0], rel=1e-12, abs=1e-12)
        expected = [RegularGridInterpolator(coords, p)(point)[0] for p in partials]
        np.testing.assert_allclose(gradient, expected, rtol=1e-12, atol=1e-12)


def test_a_grid_path_stops_at_the_grids_edge():
    xs = np.linspace(0, 1, 11)
    r = gk.descend(-xs, [0.5], coords=xs, step=0.3)  # f = -x descends towards x = 1
    assert r.status == Status.BOUNDS and r.x[0] == 1.0


def test_unit_spacing_and_scalar_spacings_for_grids():
    values = np.add.outer(np.arange(10.0) ** 2, np.zeros(5))  # f = i^2 along axis 0
    r = gk.descend(values, [6.0, 2.0], step=0.25, gtol=1e-9)
    np.testing.assert_allclose(r.x, [0.0, 2.0], atol=1e-9)
    spaced = gk.descend(values, [3.0, 2.0], coords=(0.5, 0.5), step=0.25 * 0.25, gtol=1e-9)
    np.testing.assert_allclose(spaced.x, [0.0, 2.0], atol=1e-9)


def test_any_dimension():
    center = np.arange(1.0, 7.0)
    f = "+".join(f"(x{i} - {c})^2" for i, c in enumerate(center))
    r = gk.descend(gk.Expression(f, variables=[f"x{i}" for i in range(6)]), np.zeros(6), step=0.25, gtol=1e-10)
    np.testing.assert_allclose(r.x, center, atol=1e-10)
    matrix = gk.descend(lambda m: float(((m - 1) ** 2).sum()), np.zeros((2, 3)), jac=lambda m: 2 * (m - 1), step=0.25)
    assert matrix.x.shape == (2, 3) and matrix.points.shape == (matrix.nit + 1, 2, 3)
    np.testing.assert_allclose(matrix.x, 1.0, atol=1e-6)


def test_ascent_is_the_descent_of_minus_f():
    for rule in ("fixed", "armijo", "heavy-ball", "nesterov", "adam"):
        up = gk.ascend("-(" + TEXT + ")", START, rule=rule, maxiter=30, gtol=0)
        down = gk.descend(TEXT, START, rule=rule, maxiter=30, gtol=0)
        np.testing.assert_allclose(up.points, down.points, rtol=0, atol=1e-15)
        np.testing.assert_allclose(up.values, -down.values, rtol=1e-15)
        np.testing.assert_allclose(up.jac, -down.jac, atol=1e-15)


def test_torch_inputs_are_differentiated_automatically(exact):
    torch = pytest.importorskip("torch")

    def f(p):
        return (p[0] - 0.3) ** 2 + 2 * (p[1] + 0.2) ** 2 + 0.5 * torch.sin(2 * p[0]) * torch.cos(p[1])

    r = gk.descend(f, torch.tensor(START, dtype=torch.float64), **OPTIONS)
    np.testing.assert_allclose(r.points, exact.points, rtol=0, atol=1e-14)
    assert r.nfev == r.nit + 1 and isinstance(r.x, np.ndarray)


def test_jax_inputs_are_differentiated_automatically(exact):
    jax = pytest.importorskip("jax")
    jnp = jax.numpy

    def f(p):
        return (p[0] - 0.3) ** 2 + 2 * (p[1] + 0.2) ** 2 + 0.5 * jnp.sin(2 * p[0]) * jnp.cos(p[1])

    with jax.enable_x64(True) if hasattr(jax, "enable_x64") else jax.experimental.enable_x64():
        r = gk.descend(f, jnp.asarray(START, dtype=jnp.float64), maxiter=5, step=0.1, gtol=0)
    np.testing.assert_allclose(r.points, exact.points[:6], rtol=0, atol=1e-14)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: gk.descend(3.0, [1.0]), TypeError, "f must be a callable"),
        (lambda: gk.descend("x*y", [1.0]), ValueError, "x0 must have 2 coordinates"),
        (lambda: gk.descend("x*y", [1.0, np.nan]), ValueError, "x0 must be finite"),
        (lambda: gk.descend("x*y", ["a", "b"]), TypeError, "x0 must be real numbers"),
        (lambda: gk.descend("x*y", [1, 1], rule="newton"), ValueError, "rule must be one of"),
        (lambda: gk.descend("x*y", [1, 1], rule=3), TypeError, "rule must be one of"),
        (lambda: gk.descend("x*y", [1, 1], momentum=0.5), ValueError, "momentum applies to rule='heavy-ball'"),
        (lambda: gk.descend("x*y", [1, 1], rule="nesterov", momentum=1.0), ValueError, r"momentum must be in \[0, 1\)"),
        (lambda: gk.descend("x*y", [1, 1], step=-1.0), ValueError, "step must be positive"),
        (lambda: gk.descend("x*y", [1, 1], step="big"), TypeError, "step must be a number"),
        (lambda: gk.descend("x*y", [1, 1], rule=gk.paths.Fixed(0.1), step=0.2), ValueError, "on the rule object"),
        (lambda: gk.paths.Adam(beta1=1.0), ValueError, r"beta1 must be in \[0, 1\)"),
        (lambda: gk.paths.Armijo(shrink=1.5), ValueError, r"shrink must be in \(0, 1\)"),
        (lambda: gk.descend("x*y", [1, 1], gtol=-1), ValueError, "gtol must be a finite number >= 0"),
        (lambda: gk.descend("x*y", [1, 1], maxiter=2.5), ValueError, "maxiter must be an integer"),
        (lambda: gk.descend("x*y", [1, 1], blowup=0), ValueError, "blowup must be a positive number"),
        (lambda: gk.descend("x*y", [1, 1], bounds=[(0, 2)]), ValueError, "bounds must hold 2"),
        (lambda: gk.descend("x*y", [1, 1], bounds=[(0, 2), (3, 2)]), ValueError, "bounds must have low < high"),
        (lambda: gk.descend("x*y", [1, 1], bounds=5), TypeError, "bounds must be a sequence"),
        (lambda: gk.descend("x*y", [3, 1], bounds=[(0, 2), (0, 2)]), ValueError, "x0 must lie inside bounds"),
        (lambda: gk.descend("x*y", [1, 1], callback=3), TypeError, "callback must be callable"),
        (lambda: gk.descend("x*y", [1, 1], jac=lambda p: p), ValueError, "jac applies to a callable f"),
        (lambda: gk.descend(lambda p: p, [1.0, 2.0]), ValueError, r"f\(x\) must return a single number"),
        (lambda: gk.descend(lambda p: 1j, [1.0]), TypeError, r"f\(x\) must be a real number"),
        (lambda: gk.descend(lambda p: 1.0, [1.0], jac="2-point"), TypeError, "jac must be None, True"),
        (lambda: gk.descend(lambda p: 1.0, [1.0], jac=lambda p: [1, 2]), ValueError, r"jac\(x\) must have one value"),
        (lambda: gk.descend("log(x)", [-1.0]), ValueError, r"f\(x0\) must be finite"),
        (lambda: gk.descend(np.ones((2, 5)), [0.5, 1]), ValueError, "at least 3 points per axis"),
        (lambda: gk.descend(np.ones((4, 5)), [0.5, 1], coords=(1.0,)), ValueError, "coords must give one"),
        (lambda: gk.descend(np.ones((4, 5)), [0.5, 1], coords=(1.0, [0, 1])), ValueError, r"coords\[1\] must have"),
        (lambda: gk.descend(np.ones((4, 5)), [0.5, 1], coords=(1.0, -1.0)), ValueError, r"coords\[1\] as a spacing"),
        (lambda: gk.descend(np.ones((4, 5)), [9.0, 1], coords=(1.0, 1.0)), ValueError, "x0 must lie inside"),
        (lambda: gk.descend(np.ones((4, 5)) * 1j, [0.5, 1]), TypeError, "must be real numbers"),
    ],
)
def test_bad_input_is_named(call, error, match):
    with pytest.raises(error, match=match):
        call()
