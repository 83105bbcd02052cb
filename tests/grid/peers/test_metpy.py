"""MetPy's derivative tests (metpy/tests/calc/test_calc_tools.py), ported to gradkit.

MetPy's `first_derivative` is NumPy's gradient with second-order edges on non-uniform coordinates, so the
cases map onto ``gk.gradient(..., edge_order=2)``; pint Quantities carry units in and out. Each test names
the MetPy test it comes from; the inputs and expected values are MetPy's.

Where gradkit differs on purpose:
- MetPy's `second_derivative` and `laplacian` use a three-point stencil everywhere, first-order accurate at
  the edges of a non-uniform grid. gradkit's stencils have one order of accuracy everywhere, so a second
  derivative of order of accuracy 2 needs four points along an axis: the 3-point cases run on the axes that
  have four points and check the refusal on the others.
"""

import numpy as np
import pytest

import gradkit as gk

pint = pytest.importorskip("pint")
units = pint.UnitRegistry()


def deriv_1d():
    return np.array([0, 1.25, 3.75]) * units.cm, np.array([13.5, 12, 10]) * units.degC


def deriv_2d():
    x, y, x0, y0, a, b = np.array([0.0, 2.0, 7.0]), np.array([1.0, 5.0, 11.0, 13.0]), 3, 1.5, 0.5, 0.25
    return x, y, x0, y0, a, b, a * (x - x0) ** 2 + b * (y[:, None] - y0) ** 2


def assert_quantity_close(actual, expected, decimal):
    assert actual.units == expected.units
    np.testing.assert_array_almost_equal(actual.magnitude, expected.magnitude, decimal)


def test_first_derivative():
    """MetPy test_first_derivative: worked by hand (Chapra and Canale 23.2), in delta_degC / cm."""
    x, values = deriv_1d()
    truth = np.array([-1.333333, -1.06666667, -0.5333333]) * units("delta_degC / cm")
    assert_quantity_close(gk.gradient(values, x, edge_order=2), truth, 5)


def test_first_derivative_with_accuracy_keeps_units():
    """MetPy test_first_derivative's data with gradkit's accuracy=2 (second order everywhere, as MetPy)."""
    x, values = deriv_1d()
    truth = np.array([-1.333333, -1.06666667, -0.5333333]) * units("delta_degC / cm")
    assert_quantity_close(gk.gradient(values, x, accuracy=2), truth, 5)


def test_first_derivative_2d():
    """MetPy test_first_derivative_2d: an analytic quadratic on a non-uniform 2-D grid."""
    x, y, x0, y0, a, b, f = deriv_2d()
    df_dx = gk.gradient(f, x, axis=1, edge_order=2)
    np.testing.assert_array_almost_equal(df_dx, np.tile(2 * a * (x - x0), (f.shape[0], 1)), 5)
    df_dy = gk.gradient(f, y, axis=0, edge_order=2)
    np.testing.assert_array_almost_equal(df_dy, np.tile(2 * b * (y - y0), (f.shape[1], 1)).T, 5)


def test_first_derivative_too_small():
    """MetPy test_first_derivative_too_small: an axis of one sample is refused."""
    x, values = deriv_1d()
    with pytest.raises(ValueError):
        gk.gradient(values[None, :].T, x, axis=1, edge_order=2)


def test_first_derivative_scalar_delta():
    """MetPy test_first_derivative_scalar_delta."""
    np.testing.assert_array_almost_equal(gk.gradient(np.arange(3), 1, edge_order=2), [1.0, 1.0, 1.0], 6)


def test_first_derivative_masked():
    """MetPy test_first_derivative_masked: a masked sample masks its own result and its neighbours'."""
    data = np.ma.arange(7.0)
    data[3] = np.ma.masked
    result = gk.gradient(data, 1, edge_order=2)
    np.testing.assert_array_almost_equal(result, np.ma.ones(7))
    np.testing.assert_array_equal(np.ma.getmaskarray(result), [False, False, True, True, True, False, False])


def test_first_derivative_masked_units():
    """MetPy test_first_derivative_masked_units: the mask survives inside a Quantity, units K / m."""
    data = units("K") * np.ma.arange(7.0)
    data[3] = np.ma.masked
    x = units("m") * np.ma.arange(7.0)
    result = gk.gradient(data, x, edge_order=2)
    assert result.units == units("K / m").units
    np.testing.assert_array_almost_equal(result.magnitude, np.ma.ones(7))
    np.testing.assert_array_equal(np.ma.getmaskarray(result.magnitude), [False, False, True, True, True, False, False])


def test_second_derivative_2d():
    """MetPy test_second_derivative_2d, along the axis with four samples (y); the 3-sample axis is refused."""
    x, y, _, _, _, b, f = deriv_2d()
    np.testing.assert_array_almost_equal(gk.differentiate(f, y, axis=0, order=2), np.full(f.shape, 2 * b), 5)
    with pytest.raises(ValueError, match="needs at least 4"):
        gk.differentiate(f, x, axis=1, order=2)


def test_second_derivative_units():
    """MetPy test_second_derivative's units (delta_degC / cm**2), on four samples of a quadratic."""
    x = np.array([0, 1.25, 3.75, 5.0]) * units.cm
    values = (13.5 - 0.1066666 * x.magnitude**2) * units.degC
    result = gk.differentiate(values, x, order=2)
    assert_quantity_close(result, np.full(4, -0.2133332) * units("delta_degC / cm**2"), 5)


def test_second_derivative_scalar_delta():
    """MetPy test_second_derivative_scalar_delta (a line has no curvature), on four samples."""
    np.testing.assert_array_almost_equal(gk.differentiate(np.arange(4), 1, order=2), np.zeros(4), 6)


def test_laplacian_2d_along_the_long_axis():
    """MetPy test_laplacian_2d's function, on a grid where every axis has four samples: 2 (a + b)."""
    x, y = np.array([0.0, 2.0, 7.0, 8.0]), np.array([1.0, 5.0, 11.0, 13.0])
    a, b = 0.5, 0.25
    f = a * (x - 3) ** 2 + b * (y[:, None] - 1.5) ** 2
    np.testing.assert_array_almost_equal(gk.laplacian(f, y, x), np.full(f.shape, 2 * (a + b)), 5)


def test_gradient_2d():
    """MetPy test_gradient_2d: coordinates (y, x), second-order edges."""
    x, y, *_, f = deriv_2d()
    truth = (
        np.array([[-0.25] * 3, [1.75] * 3, [4.75] * 3, [5.75] * 3]),
        np.array([[-3, -1, 4]] * 4),
    )
    for result, expected in zip(gk.gradient(f, y, x, edge_order=2), truth):
        np.testing.assert_array_almost_equal(result, expected, 5)


def test_gradient_4d():
    """MetPy test_gradient_4d: unit deltas along four axes."""
    data = np.arange(3 * 3 * 4 * 4).reshape((3, 3, 4, 4))
    for result, factor in zip(gk.gradient(data, 1, 1, 1, 1, edge_order=2), (48.0, 16.0, 4.0, 1.0)):
        np.testing.assert_array_almost_equal(result, np.full(data.shape, factor), 8)


def test_gradient_restricted_axes():
    """MetPy test_gradient_restricted_axes: a 3-D array differentiated along its first two axes."""
    x, y, *_, f = deriv_2d()
    d_y, d_x = gk.gradient(f[..., None], y, x, axis=(0, 1), edge_order=2)
    np.testing.assert_array_almost_equal(d_y[..., 0], [[-0.25] * 3, [1.75] * 3, [4.75] * 3, [5.75] * 3], 5)
    np.testing.assert_array_almost_equal(d_x[..., 0], [[-3, -1, 4]] * 4, 5)
