"""laplacian, divergence and curl against analytic fields."""

import numpy as np
import pytest

import gradkit as gk


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_laplacian_of_a_quadratic_is_exact(accuracy):
    x, y, z = np.mgrid[-1:1:9j, 0:2:11j, -1:0:8j]
    f = 3 * x**2 - y**2 + 0.5 * z**2 + x * y * z
    result = gk.laplacian(
        f, x[1, 0, 0] - x[0, 0, 0], y[0, 1, 0] - y[0, 0, 0], z[0, 0, 1] - z[0, 0, 0], accuracy=accuracy
    )
    np.testing.assert_allclose(result, 6 - 2 + 1, atol=1e-9)


def test_laplacian_of_a_harmonic_function_vanishes_to_the_accuracy_order():
    x, y = np.mgrid[0:1:81j, 0:1:81j]
    f = np.exp(x) * np.sin(y)
    errors = [np.abs(gk.laplacian(f, 1 / 80, accuracy=p)).max() for p in (2, 4, 6)]
    assert errors[0] > errors[1] > errors[2]
    assert errors[2] < 1e-7


def test_laplacian_on_a_periodic_box_with_coordinates():
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    s = t + 0.2 * np.sin(t)
    tt, ss = np.meshgrid(t, s, indexing="ij")
    f = np.sin(2 * tt) * np.cos(ss)
    result = gk.laplacian(f, t, s, periodic=True, period=2 * np.pi, accuracy=6)
    np.testing.assert_allclose(result, -5 * f, atol=1e-3)


def test_divergence_of_an_analytic_field():
    x, y, z = np.mgrid[0:1:21j, 0:2:41j, 0:1:11j]
    field = [x**2 * y, np.sin(y) * z, x * z**2]
    expected = 2 * x * y + np.cos(y) * z + 2 * x * z
    result = gk.divergence(field, 0.05, 0.05, 0.1, accuracy=6)
    np.testing.assert_allclose(result, expected, atol=1e-6)


def test_divergence_accepts_a_stacked_array_and_coordinates():
    xs = np.cumsum(np.linspace(0.05, 0.1, 15))
    ys = np.linspace(0, 1, 12)
    x, y = np.meshgrid(xs, ys, indexing="ij")
    stacked = np.stack([x**3, x * y**2])
    np.testing.assert_allclose(gk.divergence(stacked, xs, ys, accuracy=4), 3 * x**2 + 2 * x * y, atol=1e-10)


def test_curl_of_a_rotation_is_twice_the_angular_velocity():
    x, y = np.mgrid[-1:1:21j, -1:1:21j]
    np.testing.assert_allclose(gk.curl([-3 * y, 3 * x], 0.1), 6.0, atol=1e-12)


def test_curl_of_a_gradient_vanishes_and_3d_curl_matches_analytic():
    x, y, z = np.mgrid[0:1:17j, 0:1:17j, 0:1:17j]
    h = 1 / 16
    field = [y * z**2, x**2 * z, x * y**3]
    cx, cy, cz = gk.curl(field, h, accuracy=4)
    np.testing.assert_allclose(cx, 3 * x * y**2 - x**2, atol=1e-9)
    np.testing.assert_allclose(cy, 2 * y * z - y**3, atol=1e-9)
    np.testing.assert_allclose(cz, 2 * x * z - z**2, atol=1e-9)
    potential = x**2 * y + np.sin(z) * x
    components = gk.gradient(potential, h, accuracy=4)
    for part in gk.curl(components, h, accuracy=4):
        assert np.abs(part).max() < 1e-4


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ([np.zeros((4, 4))], "one component per axis|2 components"),
        ([np.zeros((4, 4)), np.zeros((4, 5))], "share one shape"),
        ([np.zeros((4, 4, 4))] * 2, "2 components on a 2-D grid"),
    ],
)
def test_mismatched_fields_raise(field, message):
    with pytest.raises(ValueError, match=message):
        gk.curl(field)
    if len(field) == 1:
        with pytest.raises(ValueError, match="one component per axis"):
            gk.divergence(field)


def test_field_must_be_a_sequence():
    with pytest.raises(TypeError, match="sequence of component arrays"):
        gk.divergence(3.0)


def field_2d():
    x, y = np.mgrid[0:1:31j, 0:2:41j]
    return x, y, (1 / 30, 2 / 40)


def in_numpy(result):
    if hasattr(result, "compute"):
        return result.compute(scheduler="synchronous")
    return np.asarray(result.cpu() if hasattr(result, "cpu") else result)


@pytest.mark.parametrize("library", ["array_api_strict", "torch", "dask.array"])
def test_operators_and_differentiate_keep_the_array_library(library):
    """Each library's result is of that library (Dask: lazy) and equals the NumPy one."""
    module = pytest.importorskip(library)
    x, y, steps = field_2d()

    def convert(a):
        if library == "dask.array":
            return module.from_array(a, chunks=(7,) * (a.ndim - 2) + (7, 9))
        return module.asarray(a) if library == "array_api_strict" else module.tensor(a)

    kind = type(convert(x))
    cases = [
        (lambda f: gk.laplacian(f, *steps, accuracy=4), x**3 + 3 * y**2 * x),
        (lambda f: gk.divergence(f, *steps), np.stack([x * y, y**2])),
        (lambda f: gk.curl([f[0, ...], f[1, ...]], *steps, accuracy=6), np.stack([-y * x, x**2])),
        (lambda f: gk.differentiate(f, steps[0], axis=0, order=2, accuracy=4), np.sin(3 * x) * y),
    ]
    for operator, data in cases:
        result = operator(convert(data))
        assert type(result) is kind
        expected = operator(data)
        if library == "dask.array":
            np.testing.assert_array_equal(in_numpy(result), expected)
        else:
            np.testing.assert_allclose(in_numpy(result), expected, rtol=1e-12, atol=1e-12)


def test_operators_and_differentiate_use_dataarray_coordinates():
    xr = pytest.importorskip("xarray")
    x, y, _ = field_2d()
    coords = {"x": x[:, 0], "y": y[0]}

    def labelled(values, name=None):
        return xr.DataArray(values, dims=("x", "y"), coords=coords, name=name, attrs={"units": "m"})

    potential = labelled(x**3 + 3 * y**2 * x, "V")
    laplacian = gk.laplacian(potential, accuracy=4)
    assert (
        laplacian.name == "laplacian(V)" and laplacian.dims == ("x", "y") and "units" not in laplacian.attrs
    )  # m is not a Laplacian's units
    np.testing.assert_allclose(laplacian.values, 12 * x, atol=1e-9)
    field = [labelled(-y), labelled(x)]
    np.testing.assert_allclose(gk.curl(field).values, 2.0, atol=1e-12)
    np.testing.assert_allclose(gk.divergence([labelled(x * y), labelled(y**2)]).values, 3 * y, atol=1e-12)
    second = gk.differentiate(potential, axis="y", order=2)
    assert second.name == "d^2(V)/d(y)^2"
    np.testing.assert_allclose(second.values, 6 * x, atol=1e-9)
    np.testing.assert_array_equal(
        gk.differentiate(potential, axis=0).values, gk.differentiate(potential.values, x[:, 0], axis=0)
    )
    lazy = gk.laplacian(potential.chunk({"x": 10}), accuracy=4)
    assert hasattr(lazy.data, "dask")
    np.testing.assert_array_equal(lazy.values, laplacian.values)
    with pytest.raises(ValueError, match="share one set of dimensions"):
        gk.divergence([labelled(x), xr.DataArray(y, dims=("a", "b"))])
