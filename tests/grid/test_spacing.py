"""Spacing of every kind on every array library: complex, low precision, and per point.

Oracles: `numpy.gradient` (complex steps and coordinates, float32 data on float64 coordinates, each line of a
per-point spacing on its own), and exact derivatives of polynomials.
"""

import warnings

import numpy as np
import pytest

import gradkit as gk

DATA = np.array([1.0, 4.0, 9.0, 16.0, 25.0, 36.0, 49.0])
COORDS = np.cumsum(np.random.default_rng(0).uniform(0.5, 1.5, DATA.size))


def libraries():
    """(name, to_library, to_numpy) for every array library installed."""
    found = [("numpy", np.asarray, np.asarray)]
    try:
        import torch

        found.append(("torch", torch.from_numpy, lambda a: a.numpy()))
    except ImportError:
        pass
    try:
        import array_api_strict as xp

        found.append(("array_api_strict", xp.asarray, np.from_dlpack))
    except ImportError:
        pass
    try:
        import jax.numpy as jnp

        found.append(("jax", jnp.asarray, np.asarray))
    except ImportError:
        pass
    return found


LIBRARIES = libraries()


@pytest.fixture(autouse=True)
def _jax_x64():
    """Double precision in JAX for these tests only (NumPy's results are in float64 and complex128)."""
    try:
        import jax
    except ImportError:
        yield
        return
    before = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    yield
    jax.config.update("jax_enable_x64", before)


@pytest.mark.parametrize(("name", "to_library", "to_numpy"), LIBRARIES, ids=[entry[0] for entry in LIBRARIES])
@pytest.mark.parametrize(
    "spacing",
    [
        (2 + 1j,),
        (np.complex128(2 + 1j),),
        (COORDS * (1 + 0.5j),),
        (COORDS.astype(np.complex64),),
    ],
    ids=["python complex", "numpy complex", "complex coordinates", "complex64 coordinates"],
)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_complex_spacing_is_computed_as_numpy_computes_it(name, to_library, to_numpy, spacing, edge_order):
    f = DATA.astype(np.complex128)
    expected = np.gradient(f, *spacing, edge_order=edge_order)
    args = tuple(to_library(s) if np.ndim(s) else s for s in spacing)
    result = gk.gradient(to_library(f), *args, edge_order=edge_order)
    assert type(result) is type(to_library(f))
    np.testing.assert_allclose(to_numpy(result), expected, rtol=1e-14)


@pytest.mark.parametrize(("name", "to_library", "to_numpy"), LIBRARIES, ids=[entry[0] for entry in LIBRARIES])
def test_complex_spacing_with_higher_accuracy_is_exact_for_polynomials(name, to_library, to_numpy):
    z = COORDS * (1 + 0.5j)  # samples along a line in the complex plane: d/dz of z**3 is 3 z**2
    result = gk.gradient(to_library(z**3), to_library(z), accuracy=4)
    np.testing.assert_allclose(to_numpy(result), 3 * z**2, rtol=1e-11)
    result = gk.differentiate(to_library(z**3), to_library(z), order=2, accuracy=4)
    np.testing.assert_allclose(to_numpy(result), 6 * z, rtol=1e-10)


@pytest.mark.parametrize(("name", "to_library", "to_numpy"), LIBRARIES, ids=[entry[0] for entry in LIBRARIES])
def test_float32_data_on_float64_coordinates_gets_float64_weights(name, to_library, to_numpy):
    # near-coincident coordinates: float32 weights would lose most digits, NumPy computes them in float64
    x = np.array([0.0, 1.0, 1.0 + 1e-6, 2.0, 3.5, 3.5 + 3e-6, 5.0])
    f = np.sin(x).astype(np.float32)
    expected = np.gradient(f, x)
    assert expected.dtype == np.float32
    result = gk.gradient(to_library(f), to_library(x))
    assert to_numpy(result).dtype == np.float32
    np.testing.assert_allclose(to_numpy(result), expected, rtol=2e-7, atol=0)


def test_bfloat16_coordinate_tensors_are_accepted():
    torch = pytest.importorskip("torch")
    x = torch.tensor([0.0, 1.0, 2.5, 3.0, 4.5, 6.0], dtype=torch.bfloat16)
    f = torch.arange(6, dtype=torch.float64) ** 2
    exact = x.double().numpy()  # bfloat16 values are exact in float64
    np.testing.assert_allclose(gk.gradient(f, x).numpy(), np.gradient(f.numpy(), exact), rtol=1e-15)
    np.testing.assert_allclose(gk.gradient(f.numpy(), x), np.gradient(f.numpy(), exact), rtol=1e-15)
    result = gk.gradient(f.to(torch.bfloat16), x)
    assert result.dtype == torch.bfloat16
    np.testing.assert_allclose(result.double().numpy(), np.gradient(f.numpy(), exact), rtol=1e-2)
    result = gk.gradient(f.to(torch.bfloat16), 0.5)
    assert result.dtype == torch.bfloat16


def test_real_data_with_complex_spacing_warns_and_keeps_the_real_part_as_numpy_does():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        expected = np.gradient(DATA, 2 + 1j)
    with pytest.warns(np.exceptions.ComplexWarning):
        result = gk.gradient(torch.from_numpy(DATA), 2 + 1j)
    assert result.dtype == torch.float64
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-15)


# ---- spacing per point -------------------------------------------------------------------------------------


def lat_lon_field():
    lat = np.linspace(-60.0, 60.0, 13)
    lon = np.linspace(0.0, 90.0, 10)
    lon_grid, lat_grid = np.meshgrid(lon, lat)  # (13, 10)
    return lat, lon, lon_grid, lat_grid


@pytest.mark.parametrize("edge_order", [1, 2])
def test_a_step_per_line_gives_each_line_numpys_gradient_with_its_step(edge_order):
    lat, _, lon_grid, lat_grid = lat_lon_field()
    f = np.sin(np.radians(lon_grid)) * np.cos(np.radians(lat_grid))
    dx = 111e3 * np.cos(np.radians(lat))[:, None] * 10.0  # metres between longitudes, shrinking with latitude
    result = gk.gradient(f, dx, axis=1, edge_order=edge_order)
    expected = np.array([np.gradient(row, step[0], edge_order=edge_order) for row, step in zip(f, dx)])
    np.testing.assert_array_equal(result, expected)
    both = gk.gradient(f, 111e3 * 5.0, dx, edge_order=edge_order)  # a scalar for one axis, per line for the other
    np.testing.assert_array_equal(both[1], expected)
    np.testing.assert_array_equal(both[0], np.gradient(f, 111e3 * 5.0, axis=0, edge_order=edge_order))


@pytest.mark.parametrize("edge_order", [1, 2])
def test_coordinates_per_line_give_each_line_numpys_gradient(edge_order):
    rng = np.random.default_rng(2)
    f = rng.standard_normal((6, 11, 9))
    x = np.cumsum(rng.uniform(0.5, 1.5, (6, 11, 9)), axis=1)  # every line along axis 1 has its own coordinates
    result = gk.gradient(f, x, axis=1, edge_order=edge_order)
    expected = np.empty_like(f)
    for i in range(6):
        for k in range(9):
            expected[i, :, k] = np.gradient(f[i, :, k], x[i, :, k], edge_order=edge_order)
    np.testing.assert_array_equal(result, expected)
    deltas = np.diff(x, axis=1)  # the steps between samples, as MetPy's deltas, give the same up to rounding
    np.testing.assert_allclose(gk.gradient(f, deltas, axis=1, edge_order=edge_order), expected, rtol=1e-9)


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_per_point_coordinates_with_accuracy_are_exact_for_polynomials(accuracy):
    rng = np.random.default_rng(accuracy)
    x = np.cumsum(rng.uniform(0.5, 1.5, (5, 20)), axis=1) / 10  # (5, 20): coordinates along axis 1 per row
    coefficients = rng.uniform(-1, 1, accuracy + 1)
    f = np.polynomial.polynomial.polyval(x, coefficients)
    df = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients))
    np.testing.assert_allclose(gk.gradient(f, x, axis=1, accuracy=accuracy), df, atol=1e-9)
    d2f = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients, 2))
    np.testing.assert_allclose(gk.differentiate(f, x, axis=1, order=2, accuracy=accuracy), d2f, atol=1e-6)
    step = np.full((5, 1), 0.05)
    xs = np.arange(20) * step
    f = np.polynomial.polynomial.polyval(xs, coefficients)
    df = np.polynomial.polynomial.polyval(xs, np.polynomial.polynomial.polyder(coefficients))
    np.testing.assert_allclose(gk.gradient(f, step, axis=1, accuracy=accuracy), df, atol=1e-9)


def test_per_point_spacing_on_periodic_axes_and_in_the_operators():
    lat = np.linspace(-60.0, 60.0, 7)
    t = np.linspace(0.0, 2 * np.pi, 32, endpoint=False)
    scale = np.cos(np.radians(lat))[:, None]  # (7, 1)
    f = np.sin(t)[None, :] * np.ones((7, 1))
    # each row's step: t stretched by cos(lat), so each row's period 2*pi*cos(lat) differs
    result = gk.gradient(f, scale * t[1], axis=1, periodic=True, accuracy=8)
    np.testing.assert_allclose(result, np.cos(t) / scale, atol=1e-7)
    x = np.linspace(0.0, 1.0, 7)[:, None] + t  # coordinates per row, shifted: one period for every row
    result = gk.gradient(f, x, axis=1, periodic=True, period=2 * np.pi, accuracy=8)
    np.testing.assert_allclose(result, np.cos(t) * np.ones((7, 1)), atol=1e-7)
    lap = gk.laplacian(f, 1.0, scale * t[1], periodic=(False, True), accuracy=4)
    np.testing.assert_allclose(lap, -np.sin(t) / scale**2, atol=1e-4)


def test_per_point_spacing_on_torch_matches_numpy():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    f = rng.standard_normal((8, 12))
    x = np.cumsum(rng.uniform(0.5, 1.5, (8, 12)), axis=1)
    expected = gk.gradient(f, x, axis=1, accuracy=4)
    result = gk.gradient(torch.from_numpy(f), torch.from_numpy(x), axis=1, accuracy=4)
    np.testing.assert_allclose(result.numpy(), expected, rtol=1e-13, atol=1e-13)


def test_per_point_spacing_of_the_wrong_shape_is_refused():
    f = np.zeros((13, 10))
    with pytest.raises(ValueError, match=r"spacing for axis 1 has shape \(13, 4\)"):
        gk.gradient(f, np.ones((13, 4)), axis=1)
    with pytest.raises(ValueError, match="does not broadcast"):
        gk.gradient(f, np.ones((12, 1)), axis=1)
    with pytest.raises(ValueError, match="nonzero finite steps"):
        gk.gradient(f, np.zeros((13, 1)), axis=1)
    with pytest.raises(ValueError, match="strictly monotonic along every line"):
        gk.gradient(f, np.ones((13, 10)), axis=1)
    with pytest.raises(ValueError, match="more dimensions"):
        gk.gradient(f, np.ones((1, 13, 10)), axis=1)


def test_the_fused_kernel_leaves_per_point_spacing_to_the_reference_kernel():
    pytest.importorskip("numba")
    f = np.random.default_rng(4).standard_normal((300, 200))
    step = np.linspace(1.0, 2.0, 300)[:, None]
    with pytest.raises(ValueError, match="reference kernel"):
        gk.gradient(f, step, axis=1, kernel="fused")
    np.testing.assert_array_equal(gk.gradient(f, step, axis=1), gk.gradient(f, step, axis=1, kernel="reference"))


def test_dask_cuts_per_point_spacing_to_its_blocks_and_equals_the_in_memory_result():
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(5)
    f = rng.standard_normal((12, 30))
    f[3, 7] = np.nan
    x = np.cumsum(rng.uniform(0.5, 1.5, (12, 30)), axis=1)
    step = rng.uniform(0.5, 1.5, (12, 1))
    lazy_f = da.from_array(f, chunks=(5, 8))
    cases = [
        ((x,), {"axis": 1}),
        ((x,), {"axis": 1, "accuracy": 4}),
        ((x,), {"axis": 1, "nan_policy": "omit"}),
        ((step,), {"axis": 1, "edge_order": 2}),
        ((step,), {"axis": 1, "periodic": True, "accuracy": 4}),
        ((x - x[:, :1],), {"axis": 1, "periodic": True, "period": 40.0}),
        ((0.3, step), {}),
    ]
    for args, options in cases:
        lazy = gk.gradient(lazy_f, *args, **options)
        expected = gk.gradient(f, *args, **options)
        for a, e in zip(
            lazy if isinstance(lazy, tuple) else [lazy], expected if isinstance(lazy, tuple) else [expected]
        ):
            np.testing.assert_allclose(a.compute(), e, rtol=1e-13, atol=1e-13)
