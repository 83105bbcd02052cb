"""indexing="xy": arrays laid out as numpy.meshgrid's default (y along the first axis, x along the second)."""

import numpy as np
import pytest

import gradkit as gk


def meshgrid_2d():
    x = np.linspace(-1.0, 1.0, 21)  # step 0.1
    y = np.linspace(-1.5, 1.5, 31)  # step 0.1
    return np.meshgrid(x, y)  # shapes (31, 21): y along axis 0


def test_curl_of_a_rotation_on_meshgrid_arrays_is_2():
    xg, yg = meshgrid_2d()
    np.testing.assert_allclose(gk.curl([-yg, xg], 0.1, indexing="xy"), 2.0, atol=1e-12)
    # ij on the same arrays pairs the components with the wrong axes: the reason for the option
    assert not np.allclose(gk.curl([-yg, xg], 0.1), 2.0)


def test_gradient_components_and_spacing_come_in_x_y_order():
    xg, yg = meshgrid_2d()
    zg = xg**2 * yg + np.sin(yg)
    dx, dy = 0.1, 0.1
    gx, gy = gk.gradient(zg, dx, dy, indexing="xy")
    numpy_dy, numpy_dx = np.gradient(zg, dy, dx)  # NumPy: array axes, y first
    np.testing.assert_array_equal(gx, numpy_dx)
    np.testing.assert_array_equal(gy, numpy_dy)
    x, y = xg[0], yg[:, 0]
    gx, gy = gk.gradient(zg, x, y, indexing="xy", accuracy=4)
    np.testing.assert_allclose(gx, 2 * xg * yg, atol=1e-10)
    np.testing.assert_allclose(gy, xg**2 + np.cos(yg), atol=1e-5)
    only_x = gk.gradient(zg, x, axis=0, indexing="xy")  # axis 0 is x
    np.testing.assert_array_equal(only_x, np.gradient(zg, x, axis=1))


def test_divergence_and_laplacian_on_meshgrid_arrays():
    xg, yg = meshgrid_2d()
    np.testing.assert_allclose(gk.divergence([xg * yg, yg**2], 0.1, indexing="xy"), 3 * yg, atol=1e-12)
    np.testing.assert_allclose(gk.divergence([xg**2, 0 * yg], 0.1, indexing="xy"), 2 * xg, atol=1e-12)
    np.testing.assert_allclose(gk.laplacian(xg**2 + 3 * yg**2, 0.1, 0.1, indexing="xy"), 8.0, atol=1e-9)


def test_three_dimensional_meshgrid():
    x, y, z = np.linspace(0, 1, 6), np.linspace(0, 2, 9), np.linspace(0, 3, 5)
    xg, yg, zg = np.meshgrid(x, y, z)  # shape (9, 6, 5)
    field = [yg * zg, 2 * xg, xg + 3 * yg]  # curl = (3 - 0, y - 1, 2 - z)
    cx, cy, cz = gk.curl(field, x, y, z, indexing="xy")
    np.testing.assert_allclose(cx, 3.0, atol=1e-12)
    np.testing.assert_allclose(cy, yg - 1.0, atol=1e-12)
    np.testing.assert_allclose(cz, 2.0 - zg, atol=1e-12)
    gx, gy, gz = gk.gradient(xg * yg**2 * zg, x, y, z, indexing="xy", accuracy=4)
    np.testing.assert_allclose(gx, yg**2 * zg, atol=1e-10)
    np.testing.assert_allclose(gy, 2 * xg * yg * zg, atol=1e-10)
    np.testing.assert_allclose(gz, xg * yg**2, atol=1e-10)


def test_xy_on_torch_tensors():
    torch = pytest.importorskip("torch")
    xg, yg = meshgrid_2d()
    result = gk.curl([torch.from_numpy(-yg), torch.from_numpy(xg)], 0.1, indexing="xy")
    assert isinstance(result, torch.Tensor)
    np.testing.assert_allclose(result.numpy(), 2.0, atol=1e-12)


def test_xy_leaves_one_dimensional_arrays_alone_and_bad_values_are_refused():
    f = np.arange(5.0) ** 2
    np.testing.assert_array_equal(gk.gradient(f, indexing="xy"), np.gradient(f))
    with pytest.raises(ValueError, match="indexing must be one of 'ij', 'xy'"):
        gk.gradient(f, indexing="yx")
    with pytest.raises(ValueError, match="indexing must be one of"):
        gk.curl([f, f], indexing="XY")
