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
    assert d_lat.dims == t.dims and "units" not in d_lat.attrs  # K is not the units of a derivative
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


def test_units_attribute_is_data_over_coordinate_never_the_data_unchanged():
    t = temperature()
    t.lon.attrs["units"] = "degrees_east"
    d_lat, d_lon = gk.gradient(t)
    assert d_lon.attrs["units"] == "K/degrees_east"
    assert "units" not in d_lat.attrs  # lat has no units attribute: the derivative's units are unknown
    assert gk.differentiate(t, axis="lon", order=2).attrs["units"] == "K/degrees_east^2"
    assert "units" not in gk.laplacian(t).attrs


def test_dataset_gives_a_dataset_per_dimension_of_the_variables_with_it():
    t = temperature()
    ds = xr.Dataset({"T": t, "p": ("lat", t.lat.values * 2.0), "c": ((), 1.0)})
    d_lat, d_lon = gk.gradient(ds)
    assert set(d_lat.data_vars) == {"T", "p"} and set(d_lon.data_vars) == {"T"}
    expected = ds.differentiate("lat")  # xarray's own
    np.testing.assert_allclose(d_lat["T"].values, expected["T"].values, rtol=1e-13)
    np.testing.assert_allclose(d_lat["p"].values, expected["p"].values, rtol=1e-13)
    one = gk.differentiate(ds, axis="lon", order=2, accuracy=4)
    np.testing.assert_array_equal(one["T"].values, gk.differentiate(t, axis="lon", order=2, accuracy=4).values)


@pytest.mark.parametrize("unit", [None, "s", "h", "D"])
def test_datetime_coordinates_follow_xarray_datetime_unit(unit):
    times = np.array(["2026-01-01", "2026-01-02", "2026-01-04", "2026-01-05"], dtype="datetime64[ns]")
    series = xr.DataArray([0.0, 1.0, 3.0, 7.0], coords={"time": times}, dims="time", attrs={"units": "m"})
    ours = gk.gradient(series, datetime_unit=unit)
    np.testing.assert_allclose(ours.values, series.differentiate("time", datetime_unit=unit).values, rtol=1e-14)
    assert ours.dtype == np.float64
    assert ours.attrs["units"] == f"m/{unit or 'ns'}"


def test_cftime_coordinates_follow_xarray():
    pytest.importorskip("cftime")
    times = xr.date_range("2000-02-27", periods=5, freq="D", calendar="noleap", use_cftime=True)
    series = xr.DataArray([0.0, 1.0, 4.0, 9.0, 16.0], coords={"time": times}, dims="time")
    for unit in (None, "D", "h"):
        expected = series.differentiate("time", datetime_unit=unit).values
        np.testing.assert_allclose(gk.gradient(series, datetime_unit=unit).values, expected, rtol=1e-14)


def test_bad_datetime_unit_is_refused_by_name():
    times = np.array(["2026-01-01", "2026-01-02", "2026-01-04"], dtype="datetime64[s]")
    with pytest.raises(ValueError, match="datetime_unit"):
        gk.gradient(xr.DataArray([0.0, 1.0, 3.0], coords={"time": times}, dims="time"), datetime_unit="fortnight")


def test_a_non_dimension_coordinate_by_name():
    h = xr.DataArray(
        np.arange(6.0) ** 2, coords={"x": np.arange(6.0), "x_km": ("x", np.arange(6.0) * 2.0)}, dims="x", name="h"
    )
    ours = gk.gradient(h, coord="x_km")
    np.testing.assert_array_equal(ours.values, h.differentiate("x_km").values)
    assert ours.name == "d(h)/d(x_km)"
    np.testing.assert_allclose(gk.differentiate(h, coord="x_km", order=2).values, 0.5)
    with pytest.raises(ValueError, match="only one"):
        gk.gradient(h, axis="x", coord="x_km")
    with pytest.raises(ValueError, match="not a coordinate"):
        gk.gradient(h, coord="depth")


def test_pint_xarray_quantities_are_divided_by_the_coordinate_units():
    pytest.importorskip("pint_xarray")
    x = np.linspace(0.0, 1.0, 11)
    da = xr.DataArray(x**2, coords={"x": ("x", x, {"units": "m"})}, dims="x", attrs={"units": "K"}, name="T")
    quantified = da.pint.quantify()
    first = gk.gradient(quantified)
    assert str(first.data.units) == "kelvin / meter"
    np.testing.assert_allclose(first.data.magnitude, gk.gradient(da).values)
    second = gk.differentiate(quantified, order=2)
    assert str(second.data.units) == "kelvin / meter ** 2"
    np.testing.assert_allclose(second.data.magnitude, 2.0, atol=1e-9)


def test_a_dimension_by_name_is_not_swapped_again_by_indexing():
    values = np.arange(20.0).reshape(4, 5) ** 2
    da = xr.DataArray(values, dims=("y", "x"))
    for indexing in ("ij", "xy"):
        np.testing.assert_array_equal(gk.gradient(da, axis="x", indexing=indexing).values, np.gradient(values, axis=1))
