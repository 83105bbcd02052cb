"""xarray DataArrays: their coordinates are the spacing; results keep coordinates and get names."""

import numpy as np
import pytest

import gradkit as gk

xr = pytest.importorskip("xarray")


def temperature():
    lat = np.linspace(-80.0, 80.0, 17)
    lon = np.linspace(0.0, 350.0, 36)
    values = np.sin(np.deg2rad(lat))[:, None] * np.cos(np.deg2rad(lon))[None, :]
    return xr.DataArray(values, coords={"lat": lat, "lon": lon}, dims=("lat", "lon"), name="T", attrs={"units": "K"})


def test_gradient_uses_the_dataarray_coordinates_and_names_the_results():
    t = temperature()
    d_lat, d_lon = gk.gradient(t)
    assert (d_lat.name, d_lon.name) == ("d(T)/d(lat)", "d(T)/d(lon)")
    np.testing.assert_array_equal(d_lat.values, np.gradient(t.values, t.lat.values, axis=0))
    np.testing.assert_array_equal(d_lon.values, np.gradient(t.values, t.lon.values, axis=1))
    assert d_lat.dims == t.dims and d_lat.attrs == t.attrs
    xr.testing.assert_equal(d_lat.coords.to_dataset(), t.coords.to_dataset())


def test_one_dimension_by_name_with_gradkit_options():
    t = temperature()
    d_lon = gk.gradient(t, axis="lon", periodic=True, accuracy=6)
    exact = -np.sin(np.deg2rad(t.lat.values))[:, None] * np.sin(np.deg2rad(t.lon.values))[None, :] * np.pi / 180
    np.testing.assert_allclose(d_lon.values, exact, atol=1e-8)
    assert isinstance(d_lon, xr.DataArray) and d_lon.name == "d(T)/d(lon)"


def test_dask_backed_dataarray_stays_lazy():
    pytest.importorskip("dask.array")
    t = temperature().chunk({"lat": 5})
    d_lat = gk.gradient(t, axis="lat", accuracy=4)
    assert d_lat.chunks is not None
    np.testing.assert_array_equal(d_lat.values, gk.gradient(temperature(), axis="lat", accuracy=4).values)


def test_dimension_without_coordinate_gets_unit_spacing_and_time_is_in_seconds():
    times = np.array(["2026-01-01T00:00", "2026-01-01T00:01", "2026-01-01T00:03"], dtype="datetime64[s]")
    series = xr.DataArray([0.0, 60.0, 300.0], coords={"time": times}, dims="time", name="h")
    np.testing.assert_array_equal(gk.gradient(series).values, np.gradient([0.0, 60.0, 300.0], [0.0, 60.0, 180.0]))
    plain = xr.DataArray(np.arange(5.0) ** 2, dims="x")
    assert gk.gradient(plain).name == "d(f)/d(x)"
    np.testing.assert_array_equal(gk.gradient(plain).values, np.gradient(np.arange(5.0) ** 2))


def test_unknown_dimension_is_rejected():
    with pytest.raises(ValueError, match="not a dimension"):
        gk.gradient(temperature(), axis="height")
