"""Higher accuracy orders and periodic axes: exactness on polynomials, measured convergence orders."""

from math import comb

import numpy as np
import pytest

import gradkit as gk

ACCURACIES = [2, 4, 6, 8, 10]
#: Orders above 10 (any even order the axis length allows, as findiff): same exactness and convergence checks.
HIGH_ACCURACIES = [12, 16, 20]


def stretched_grid(n, length=2.0):
    """A smooth non-uniform grid: steps vary by a factor of about two across the domain."""
    u = np.linspace(0.0, 1.0, n)
    return length * (u + 0.2 * np.sin(2 * np.pi * u) / (2 * np.pi) * 2)


def fitted_order(sizes, errors):
    return -np.polyfit(np.log(sizes), np.log(errors), 1)[0]


def polynomial(x, degree):
    coefficients = np.random.default_rng(degree).uniform(-1, 1, degree + 1)
    value = np.polynomial.polynomial.polyval(x, coefficients)
    derivative = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients))
    second = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients, 2))
    return value, derivative, second


@pytest.mark.parametrize("accuracy", ACCURACIES)
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_accuracy_p_is_exact_for_polynomials_of_degree_up_to_p(accuracy, grid):
    x = np.linspace(-1.0, 1.5, 23) if grid == "uniform" else stretched_grid(23) - 1.0
    spacing = x[1] - x[0] if grid == "uniform" else x
    for degree in range(accuracy + 1):
        f, df, _ = polynomial(x, degree)
        np.testing.assert_allclose(gk.gradient(f, spacing, accuracy=accuracy), df, rtol=0, atol=1e-9)


@pytest.mark.parametrize("accuracy", HIGH_ACCURACIES)
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_accuracy_above_10_is_exact_for_polynomials_of_degree_up_to_p(accuracy, grid):
    n = accuracy + 5  # one-sided stencils of accuracy + 1 points reach across most of the axis
    x = np.linspace(-1.0, 1.0, n) if grid == "uniform" else stretched_grid(n) - 1.0
    spacing = x[1] - x[0] if grid == "uniform" else x
    for degree in range(accuracy + 1):
        f, df, _ = polynomial(x, degree)
        np.testing.assert_allclose(gk.gradient(f, spacing, accuracy=accuracy), df, rtol=0, atol=1e-6)
    f = x ** (accuracy + 1)
    assert np.abs(gk.gradient(f, spacing, accuracy=accuracy) - (accuracy + 1) * x**accuracy).max() > 1e-4


@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_measured_convergence_order_is_the_accuracy_above_10(grid):
    sizes = np.array([40, 48, 56, 64])
    errors = []
    for n in sizes:
        x = np.linspace(0.0, 2.0, n) if grid == "uniform" else stretched_grid(n)
        spacing = x[1] - x[0] if grid == "uniform" else x
        errors.append(np.abs(gk.gradient(np.sin(4 * x), spacing, accuracy=12) - 4 * np.cos(4 * x)).max())
    assert fitted_order(sizes, errors) == pytest.approx(12, abs=0.5)


def test_second_derivative_above_accuracy_10_is_exact_for_polynomials():
    x = np.linspace(-1.0, 1.0, 20)
    for degree in range(13):
        f, _, d2f = polynomial(x, degree)
        np.testing.assert_allclose(gk.differentiate(f, x[1] - x[0], order=2, accuracy=12), d2f, rtol=0, atol=1e-5)


def test_accuracy_needs_accuracy_plus_one_points_however_high():
    with pytest.raises(ValueError, match="accuracy=22 needs at least 23"):
        gk.gradient(np.arange(22.0), accuracy=22)
    assert gk.gradient(np.arange(23.0), accuracy=22) == pytest.approx(np.ones(23))


@pytest.mark.parametrize("accuracy", ACCURACIES)
def test_accuracy_p_is_not_exact_for_degree_p_plus_one(accuracy):
    x = np.linspace(-1.0, 1.0, 21)
    f = x ** (accuracy + 1)
    assert np.abs(gk.gradient(f, x[1] - x[0], accuracy=accuracy) - (accuracy + 1) * x**accuracy).max() > 1e-6


@pytest.mark.parametrize("accuracy", ACCURACIES)
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_measured_convergence_order_is_the_accuracy(accuracy, grid):
    # Fine enough to be asymptotic, coarse enough that rounding stays far below truncation.
    sizes = np.array(
        {
            2: [64, 96, 128, 192],
            4: [64, 96, 128, 192],
            6: [64, 96, 128, 192],
            8: [56, 80, 112, 160],
            10: [32, 40, 48, 64],
        }[accuracy]
    )
    errors = []
    for n in sizes:
        x = np.linspace(0.0, 2.0, n) if grid == "uniform" else stretched_grid(n)
        spacing = x[1] - x[0] if grid == "uniform" else x
        errors.append(np.abs(gk.gradient(np.sin(4 * x), spacing, accuracy=accuracy) - 4 * np.cos(4 * x)).max())
    assert fitted_order(sizes, errors) == pytest.approx(accuracy, abs=0.3)


@pytest.mark.parametrize("accuracy", ACCURACIES)
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_periodic_error_falls_at_order_p(accuracy, grid):
    sizes = np.array([48, 64, 96, 128])
    errors = []
    for n in sizes:
        t = np.linspace(0.0, 2 * np.pi, n, endpoint=False)
        if grid == "uniform":
            result = gk.gradient(np.sin(3 * t), t[1], periodic=True, accuracy=accuracy)
        else:
            t = t + 0.3 * np.sin(t)
            result = gk.gradient(np.sin(3 * t), t, periodic=True, period=2 * np.pi, accuracy=accuracy)
        errors.append(np.abs(result - 3 * np.cos(3 * t)).max())
    assert fitted_order(sizes, errors) == pytest.approx(accuracy, abs=0.3)


def test_periodic_trigonometric_polynomial_is_resolved_to_rounding_at_high_order():
    t = np.linspace(0.0, 2 * np.pi, 64, endpoint=False)
    error = np.abs(gk.gradient(np.cos(t), t[1], periodic=True, accuracy=10) + np.sin(t)).max()
    assert error < 1e-10


def test_periodic_wraps_the_ends_together():
    # f = sawtooth-free periodic samples: the value at the last point sees the first as its neighbour.
    f = np.array([0.0, 1.0, 4.0, 9.0, 16.0, 9.0, 4.0, 1.0])
    result = gk.gradient(f, periodic=True)
    assert result[0] == pytest.approx((f[1] - f[-1]) / 2)
    assert result[-1] == pytest.approx((f[0] - f[-2]) / 2)
    np.testing.assert_allclose(result[1:-1], (f[2:] - f[:-2]) / 2)


def test_periodic_per_axis_on_a_2d_field():
    t = np.linspace(0.0, 2 * np.pi, 40, endpoint=False)
    y = np.linspace(0.0, 1.0, 30)
    tt, yy = np.meshgrid(t, y, indexing="ij")
    f = np.sin(tt) * yy**2
    dt, dy = gk.gradient(f, t[1], y, periodic=(True, False), accuracy=6)
    np.testing.assert_allclose(dt, np.cos(tt) * yy**2, atol=1e-7)
    np.testing.assert_allclose(dy, 2 * np.sin(tt) * yy, atol=1e-12)


def test_decreasing_periodic_coordinates_match_increasing_ones():
    t = np.linspace(0.0, 2 * np.pi, 50, endpoint=False) + 0.2 * np.sin(np.linspace(0.0, 2 * np.pi, 50, endpoint=False))
    forward = gk.gradient(np.sin(t), t, periodic=True, period=2 * np.pi, accuracy=4)
    backward = gk.gradient(np.sin(t[::-1]), t[::-1], periodic=True, period=2 * np.pi, accuracy=4)
    np.testing.assert_allclose(backward[::-1], forward, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
@pytest.mark.parametrize("accuracy", [2, 4, 6])
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_differentiate_is_exact_for_polynomials_of_degree_up_to_order_plus_accuracy_minus_one(order, accuracy, grid):
    x = np.linspace(-1.0, 1.0, 25) if grid == "uniform" else stretched_grid(25) - 1.0
    spacing = x[1] - x[0] if grid == "uniform" else x
    top = order + accuracy - 1 if grid == "uniform" else accuracy
    for degree in range(top + 1):
        f = x**degree
        exact = comb(degree, order) * np.prod(range(1, order + 1)) * x ** max(degree - order, 0) * (degree >= order)
        result = gk.differentiate(f, spacing, order=order, accuracy=accuracy)
        np.testing.assert_allclose(result, exact, rtol=0, atol=1e-7 * max(1, np.abs(exact).max()))


@pytest.mark.parametrize("order", [1, 2, 3])
def test_differentiate_converges_at_the_accuracy(order):
    # The second derivative reaches its asymptotic order later: its edge stencils have small error constants.
    sizes = np.array([112, 160, 224, 320] if order == 2 else [40, 60, 80, 120])
    errors = []
    for n in sizes:
        x = np.linspace(0.0, 1.0, n)
        exact = 3**order * np.sin(3 * x + order * np.pi / 2)
        errors.append(np.abs(gk.differentiate(np.sin(3 * x), x[1] - x[0], order=order, accuracy=4) - exact).max())
    assert fitted_order(sizes, errors) == pytest.approx(4, abs=0.3)


def test_differentiate_along_an_axis_of_a_3d_array():
    x, y, z = np.mgrid[0:1:9j, 0:2:11j, 0:1:7j]
    f = x * y**3 * z
    result = gk.differentiate(f, 0.2, axis=1, order=2, accuracy=2)
    np.testing.assert_allclose(result, 6 * x * y * z, atol=1e-12)


def test_accuracy_2_differs_from_numpy_only_at_the_edges_with_edge_order_1():
    x = np.linspace(0.0, 1.0, 11)
    f = np.exp(x)
    ours = gk.gradient(f, x[1], accuracy=2)
    np.testing.assert_allclose(ours[1:-1], np.gradient(f, x[1])[1:-1], rtol=1e-14)
    np.testing.assert_allclose(ours, np.gradient(f, x[1], edge_order=2), rtol=1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.int32])
def test_accuracy_keeps_numpy_result_dtypes(dtype):
    f = (np.arange(12.0) ** 2).astype(dtype)
    assert gk.gradient(f, accuracy=4).dtype == np.gradient(f).dtype
    assert gk.gradient(f, periodic=True).dtype == np.gradient(f).dtype
