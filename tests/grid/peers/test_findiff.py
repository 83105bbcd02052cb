# ruff: noqa: N806 -- grid arrays keep findiff's capital names (X, Y, Z) so each case reads as its origin
"""findiff's own tests (tests/test_coefs.py, test_findiff.py, test_vector.py, test_accuracy.py), ported.

findiff's coefficient tables map onto `gk.stencil` (centre, forward and backward offsets), its `FinDiff`
operators onto `gk.differentiate` / `gk.gradient(accuracy=...)` and its `Gradient`, `Divergence`, `Curl`,
`Laplacian` onto gradkit's operators. Each test names its origin; inputs and expected values are findiff's.

Where gradkit differs on purpose:
- findiff computes weights by a Vandermonde solve; gradkit by Fornberg's recursion. The weights agree to
  rounding for every case findiff tests.
- Near an edge findiff shifts to a fully one-sided stencil; gradkit uses the one-sided stencil of the same
  accuracy order too, so the ported tolerances hold unchanged.
- Mixed partials and operator algebra (`d_dx * d_dy`, `Coef(X) * d`) are composed here from gradkit's
  first and second derivatives, since gradkit has no operator objects.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_almost_equal

import gradkit as gk


def grid(ndims, n, low, high):
    axes = [np.linspace(low, high, n) for _ in range(ndims)]
    return np.meshgrid(*axes, indexing="ij"), axes, [x[1] - x[0] for x in axes]


@pytest.mark.parametrize(
    ("order", "accuracy", "center", "forward"),
    [
        (2, 2, [1.0, -2.0, 1.0], [2, -5, 4, -1]),  # test_order2_acc2
        (1, 2, [-0.5, 0, 0.5], [-1.5, 2, -0.5]),  # test_order1_acc2
        (1, 4, [1 / 12, -2 / 3, 0, 2 / 3, -1 / 12], [-25 / 12, 4, -3, 4 / 3, -1 / 4]),  # test_order1_acc4
        (2, 4, [-1 / 12, 4 / 3, -2.5, 4 / 3, -1 / 12], [15 / 4, -77 / 6, 107 / 6, -13, 61 / 12, -5 / 6]),  # order2_acc4
    ],
)
def test_coefficients_center_forward_backward(order, accuracy, center, forward):
    """findiff test_coefs.py test_order{1,2}_acc{2,4}: centre, forward and backward (mirrored) tables."""
    radius = len(center) // 2
    assert_array_almost_equal(gk.stencil(order, list(range(-radius, radius + 1))), center)
    assert_array_almost_equal(gk.stencil(order, list(range(len(forward)))), forward)
    mirrored = (-1) ** order * np.array(forward)[::-1]
    assert_array_almost_equal(gk.stencil(order, list(range(-len(forward) + 1, 1))), mirrored)


def test_coefficients_from_offsets():
    """findiff test_calc_coefs_from_offsets and ..._no_central_point."""
    assert_array_almost_equal(gk.stencil(1, [-2, 0, 1]), [-1.0 / 6, -0.5, 2.0 / 3])
    assert_array_almost_equal(gk.stencil(1, [-2, 1, 2]), [-1.0 / 4, 0, 1.0 / 4])


def test_coefficients_not_enough_points_and_bad_orders():
    """findiff test_calc_coefs_from_offsets_not_enough_points, test_invalid_deriv_raises_exception."""
    with pytest.raises(ValueError):
        gk.stencil(2, [-2, 2])
    with pytest.raises(ValueError):
        gk.stencil(-1, [-1, 0, 1])


def test_invalid_accuracy_is_refused():
    """findiff test_invalid_acc_raises_exception: odd or zero accuracy."""
    x = np.linspace(0, 1, 20)
    for accuracy in (3, 0):
        with pytest.raises(ValueError, match="accuracy"):
            gk.differentiate(x**2, x, accuracy=accuracy)


def test_non_uniform_weights_on_a_uniform_grid_are_the_uniform_ones():
    """findiff test_non_uniform: second derivative on linspace(0, 10, 100) as coordinates vs as a step."""
    x = np.linspace(0, 10, 100)
    u = np.sin(x)
    assert_array_almost_equal(gk.differentiate(u, x, order=2), gk.differentiate(u, x[1] - x[0], order=2))


def test_partial_diff_1d_and_2d():
    """findiff test_partial_diff_1d / test_partial_diff: acc=4 derivatives of sin."""
    x = np.linspace(0, np.pi, 100)
    assert_array_almost_equal(gk.differentiate(np.sin(x), x[1] - x[0], accuracy=4), np.cos(x), decimal=5)
    y = np.linspace(0, np.pi, 100)
    X, Y = np.meshgrid(x, y, indexing="ij")
    ux = gk.differentiate(np.sin(X) * np.sin(Y), x[1] - x[0], axis=0, accuracy=4)
    uxy = gk.differentiate(ux, y[1] - y[0], axis=1, accuracy=4)
    assert_array_almost_equal(uxy, np.cos(X) * np.cos(Y), decimal=5)


def test_plus_minus_and_second_derivatives():
    """findiff test_plus, test_minus, test_multiply, test_multiply_operators on a 50x50 grid."""
    (X, Y), _, (hx, hy) = grid(2, 50, 0, 1)
    u = X**2 + Y**2
    d_dx, d_dy = gk.gradient(u, hx, hy, accuracy=2)
    assert_array_almost_equal(d_dx + d_dy, 2 * X + 2 * Y)
    assert_array_almost_equal(d_dx - d_dy, 2 * X - 2 * Y)
    (X5, Y5), _, (h5, _h) = grid(2, 5, 0, 1)
    assert_array_almost_equal(X5 * gk.differentiate(X5**2 + Y5**2, h5, axis=0, order=2), 2 * X5)
    twice = gk.differentiate(gk.differentiate(u, hx, axis=0), hx, axis=0)
    assert_array_almost_equal(twice, np.full_like(X, 2.0))


def test_laplace_3d():
    """findiff test_laplace: the Laplacian of x^3 + y^3 + z^3, and x.grad of it."""
    (X, Y, Z), _, h = grid(3, 50, 0, 1)
    lap = gk.laplacian(X**3 + Y**3 + Z**3, *h)
    assert_array_almost_equal(lap, 6 * X + 6 * Y + 6 * Z)
    dx, dy, dz = gk.gradient(lap, *h, accuracy=2)
    assert_array_almost_equal(X * dx + Y * dy + Z * dz, 6 * (X + Y + Z))


def test_spacing_and_mixed_partials():
    """findiff test_spac and test_mixed_partials."""
    (X, Y), _, (dx, dy) = grid(2, 100, -1, 1)
    gx, gy = gk.gradient(X**2 + Y**2, dx, dy, accuracy=2)
    assert_array_almost_equal(gx, 2 * X)
    assert_array_almost_equal(gy, 2 * Y)
    mixed = gk.differentiate(gk.differentiate(X * Y, dx, axis=0), dy, axis=1)
    assert_array_almost_equal(mixed, np.ones_like(X))
    (X, Y, Z), _, (dx, dy, dz) = grid(3, 50, 0, 1)
    u = X**2 * Y**2 * Z**2
    d3 = gk.differentiate(gk.differentiate(gk.differentiate(u, dx, axis=0), dy, axis=1), dz, axis=2)
    assert_array_almost_equal(d3, 8 * X * Y * Z)


def test_linear_combinations():
    """findiff test_linear_combinations: X d/dx + Y^2 d2/dy2 of x^2 + y^2 + z^2."""
    (X, Y, Z), _, (dx, dy, _) = grid(3, 30, 0, 1)
    u = X**2 + Y**2 + Z**2
    combined = X * gk.differentiate(u, dx, axis=0) + Y**2 * gk.differentiate(u, dy, axis=1, order=2)
    assert_array_almost_equal(combined, 2 * X**2 + 2 * Y**2)


def test_1d_different_accuracies_on_non_uniform_coordinates():
    """findiff test_1d_different_accs and test_3d_different_accs (a grid that jumps from 0.05 to 1)."""
    x = np.r_[np.arange(0, 4, 0.05), np.arange(4, 10, 1)]
    f = np.exp(-(x**2))
    assert_array_almost_equal(gk.gradient(f, x, accuracy=4), -2 * x * f, decimal=4)
    x = np.linspace(0, 1, 100)
    assert_array_almost_equal(gk.gradient(np.exp(-(x**2)), x, accuracy=2), -2 * x * np.exp(-(x**2)), decimal=4)
    x = y = np.r_[np.arange(0, 4, 0.05), np.arange(4, 10, 1)]
    z = np.r_[np.arange(0, 4.5, 0.05), np.arange(4.5, 10, 1)]
    X, Y, Z = np.meshgrid(x, y, z, indexing="ij")
    f = np.exp(-(X**2) - Y**2 - Z**2)
    for accuracy in (4, 6):
        assert_array_almost_equal(gk.gradient(f, y, axis=1, accuracy=accuracy), -2 * Y * f, decimal=4)


def test_1d_linear_combination_on_sqrt_coordinates():
    """findiff test_1d_linear_combination: x d/dx and x^2 d2/dx2 of x^3 on sqrt-spaced points, acc=4."""
    x = np.sqrt(np.linspace(0, 1, 10))
    d1 = x * gk.differentiate(x**3, x, accuracy=4)
    d2 = x**2 * gk.differentiate(x**3, x, order=2, accuracy=4)
    assert_array_almost_equal(d1, 3 * x**3)
    assert_array_almost_equal(d2, 6 * x**3)
    assert_array_almost_equal(d1 + d2, 9 * x**3)


def mesh(ndims, n):
    axes = [np.linspace(-1, 1, n) for _ in range(ndims)]
    return axes, [x[1] - x[0] for x in axes], np.meshgrid(*axes, indexing="ij")


def test_vector_gradient_uniform_and_non_uniform():
    """findiff test_vector.py TestGradient: acc=4 gradient of sin x sin y sin z, steps and coordinates."""
    axes, h, (X, Y, Z) = mesh(3, 50)
    f = np.sin(X) * np.sin(Y) * np.sin(Z)
    exact = [np.cos(X) * np.sin(Y) * np.sin(Z), np.sin(X) * np.cos(Y) * np.sin(Z), np.sin(X) * np.sin(Y) * np.cos(Z)]
    for spacing in (h, axes):
        for ours, expected in zip(gk.gradient(f, *spacing, accuracy=4), exact):
            assert_array_almost_equal(ours, expected)


def test_vector_divergence_and_wrong_dimensions():
    """findiff TestDivergence: acc=4 divergence, and a field whose component count does not fit."""
    _, h, (X, Y, Z) = mesh(3, 50)
    f = np.sin(X) * np.sin(Y) * np.sin(Z)
    expected = np.cos(X) * np.sin(Y) * np.sin(Z) + np.sin(X) * np.cos(Y) * np.sin(Z) + np.sin(X) * np.sin(Y) * np.cos(Z)
    assert_array_almost_equal(gk.divergence([f, f, f], *h, accuracy=4), expected)
    with pytest.raises((ValueError, TypeError)):
        gk.divergence([f, f, f], 1, 1, accuracy=4)


def test_vector_curl_3d_2d_and_shapes():
    """findiff TestCurl: 3-D curl, the 2-D scalar curl (uniform and non-uniform), wrong component counts."""
    _, h, (X, Y, Z) = mesh(3, 50)
    f = np.sin(X) * np.sin(Y) * np.sin(Z)
    expected = [
        np.sin(X) * np.cos(Y) * np.sin(Z) - np.sin(X) * np.sin(Y) * np.cos(Z),
        np.sin(X) * np.sin(Y) * np.cos(Z) - np.cos(X) * np.sin(Y) * np.sin(Z),
        np.cos(X) * np.sin(Y) * np.sin(Z) - np.sin(X) * np.cos(Y) * np.sin(Z),
    ]
    for ours, exact in zip(gk.curl([f, f, f], *h, accuracy=4), expected):
        assert_array_almost_equal(ours, exact)
    with pytest.raises(ValueError):
        gk.curl([f, f], *h)
    axes2, h2, (X2, Y2) = mesh(2, 50)
    field = [-np.sin(Y2) * np.cos(X2), np.sin(X2) * np.cos(Y2)]
    for spacing in (h2, axes2):
        assert_array_almost_equal(gk.curl(field, *spacing, accuracy=4), 2 * np.cos(X2) * np.cos(Y2), decimal=4)
    assert_array_almost_equal(gk.curl([2 * X2, 2 * Y2], *h2, accuracy=4), np.zeros_like(X2), decimal=4)
    assert gk.curl([X2, Y2], *h2, accuracy=4).shape == X2.shape
    with pytest.raises(ValueError):
        gk.curl([X2, Y2, X2], *h2)


def test_laplacian_uniform_and_non_uniform():
    """findiff test_vector.py test_laplacian and TestLaplacianNonUniform (1-D, 2-D, 3-D, uniform match)."""
    axes, h, (X, Y) = mesh(2, 50)
    assert_array_almost_equal(gk.laplacian(X**2 + Y**2, *h), 4 * np.ones_like(X))
    f = np.sin(X) * np.sin(Y)
    assert_array_almost_equal(gk.laplacian(f, *axes, accuracy=4), -2 * f, decimal=4)
    axes3, _, (X3, Y3, Z3) = mesh(3, 30)
    f3 = np.sin(X3) * np.sin(Y3) * np.sin(Z3)
    assert_array_almost_equal(gk.laplacian(f3, *axes3, accuracy=4), -3 * f3, decimal=3)
    x = np.linspace(0, np.pi, 100)
    assert_array_almost_equal(gk.laplacian(np.sin(x), x, accuracy=4), -np.sin(x), decimal=4)
    g = np.sin(X) * np.cos(Y)
    assert_array_almost_equal(gk.laplacian(g, *axes, accuracy=2), gk.laplacian(g, *h, accuracy=2))


@pytest.mark.parametrize(("accuracy", "slope"), [(2, 2), (4, 4)])
def test_convergence_order(accuracy, slope):
    """findiff test_accuracy.py test_iterative_accuracy: the error of d2/dx2 x^8 falls like n^-acc."""
    ns = np.logspace(2, 3, 10)
    errors = []
    for n in ns:
        x = np.linspace(0.1, 1, int(n))
        exact = 56 * x**6
        errors.append(np.max(np.abs((gk.differentiate(x**8, x[1] - x[0], order=2, accuracy=accuracy) - exact) / exact)))
    fitted = abs(np.polyfit(np.log(ns), np.log(errors), 1)[0])
    assert abs(fitted - slope) < 0.2
