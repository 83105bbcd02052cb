"""xarray's own differentiate tests (xarray/tests/test_dataset.py test_differentiate*), ported to gradkit.

xarray's expected values are `numpy.gradient` on the data against the coordinate (converted to numbers in
`datetime_unit`); gradkit's DataArray and Dataset results must equal them. Inputs are xarray's.

Where gradkit differs on purpose: a Dataset's derivative holds only the data variables that have the
dimension (xarray keeps the others unchanged, which would label a variable as its own derivative).
"""

import numpy as np
import pytest

import gradkit as gk

xr = pytest.importorskip("xarray")


def sample(coord, dask):
    rs = np.random.default_rng(42)
    da = xr.DataArray(
        rs.random((8, 6)),
        dims=["x", "y"],
        coords={"x": coord, "z": 3, "x2d": (("x", "y"), rs.random((8, 6)))},
    )
    return da.chunk({"x": 4}) if dask else da


@pytest.mark.parametrize("dask", [False, True])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_differentiate(dask, edge_order):
    """xarray test_differentiate: along x and y, DataArray and Dataset, coordinates unchanged, x2d refused."""
    da = sample([0.2, 0.35, 0.4, 0.6, 0.7, 0.75, 0.76, 0.8], dask)
    ds = xr.Dataset({"var": da})
    actual = gk.gradient(da, axis="x", edge_order=edge_order)
    expected = np.gradient(da.values, da["x"].values, axis=0, edge_order=edge_order)
    np.testing.assert_array_equal(actual.values, expected)
    np.testing.assert_array_equal(actual["x"].values, da["x"].values)
    np.testing.assert_array_equal(gk.gradient(ds, axis="x", edge_order=edge_order)["var"].values, expected)
    actual_y = gk.gradient(da, axis="y", edge_order=edge_order)
    expected_y = np.gradient(da.values, np.arange(6), axis=1, edge_order=edge_order)  # y has no coordinate
    np.testing.assert_array_equal(actual_y.values, expected_y)
    np.testing.assert_array_equal(gk.gradient(ds, axis="y", edge_order=edge_order)["var"].values, expected_y)
    with pytest.raises(ValueError):
        gk.gradient(da, coord="x2d")


@pytest.mark.parametrize("dask", [False, True])
def test_differentiate_datetime(dask):
    """xarray test_differentiate_datetime: days and hours, datetime data itself, another datetime unit."""
    coord = np.array(
        [
            "2004-07-13",
            "2006-01-13",
            "2010-08-13",
            "2010-09-13",
            "2010-10-11",
            "2010-12-13",
            "2011-02-13",
            "2012-08-13",
        ],
        dtype="datetime64",
    )
    da = sample(coord, dask)
    in_days = (coord - coord[0]) / np.timedelta64(1, "D")
    actual = gk.gradient(da, axis="x", datetime_unit="D")
    np.testing.assert_allclose(actual.values, np.gradient(da.values, in_days, axis=0), rtol=1e-14)
    in_hours = gk.gradient(da, axis="x", datetime_unit="h")
    np.testing.assert_allclose(actual.values, in_hours.values * 24, rtol=1e-13)
    np.testing.assert_allclose(gk.gradient(da["x"], datetime_unit="D").values, 1.0)
    times = xr.DataArray(coord.astype("datetime64[ms]"), dims=["x"], coords={"x": coord})
    np.testing.assert_allclose(gk.gradient(times).values, 1.0)


@pytest.mark.parametrize("dask", [False, True])
def test_differentiate_cftime(dask):
    """xarray test_differentiate_cftime: a cftime axis every two months, in days and hours."""
    pytest.importorskip("cftime")
    rs = np.random.default_rng(42)
    coord = xr.date_range("2000", periods=8, freq="2ME", use_cftime=True)
    da = xr.DataArray(
        rs.random((8, 6)), coords={"time": coord, "z": 3, "t2d": (("time", "y"), rs.random((8, 6)))}, dims=["time", "y"]
    )
    da = da.chunk({"time": 4}) if dask else da
    in_days = np.array([(value - coord[0]).total_seconds() / 86400 for value in coord])
    actual = gk.gradient(da, axis="time", datetime_unit="D")
    np.testing.assert_allclose(actual.values, np.gradient(da.values, in_days, axis=0), rtol=1e-14)
    np.testing.assert_allclose(actual.values, gk.gradient(da, axis="time", datetime_unit="h").values * 24, rtol=1e-13)
    np.testing.assert_allclose(gk.gradient(da["time"], datetime_unit="D").values, 1.0)
