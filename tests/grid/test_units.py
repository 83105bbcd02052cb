"""pint Quantities: results in the units of a derivative, on every option and operator."""

import numpy as np
import pytest

import gradkit as gk

pint = pytest.importorskip("pint")
units = pint.UnitRegistry()
Q = units.Quantity


def test_gradient_units_match_numpy_with_pint():
    values, coords = Q(np.array([1.0, 2.0, 4.0, 7.0, 11.0]), "degC"), Q(np.array([0.0, 1.0, 2.5, 3.0, 5.0]), "cm")
    with NoUnitWarning():  # nothing strips the units on the way
        for options in ({}, {"edge_order": 2}):
            ours, theirs = gk.gradient(values, coords, **options), np.gradient(values, coords, **options)
            assert ours.units == theirs.units == units("delta_degC / cm").units
            np.testing.assert_array_equal(ours.magnitude, theirs.magnitude)


@pytest.mark.parametrize("options", [{"accuracy": 2}, {"accuracy": 4}, {"periodic": True}])
def test_gradkit_options_keep_units(options):
    x = np.linspace(0.0, 2 * np.pi, 16, endpoint=False)
    result = gk.gradient(Q(np.sin(x), "K"), Q(x[1], "m"), **options)
    assert result.units == units("K / m").units
    # the magnitudes are what the same call gives on plain arrays, and approximate the true derivative
    np.testing.assert_array_equal(result.magnitude, gk.gradient(np.sin(x), x[1], **options))
    np.testing.assert_allclose(result.magnitude, np.cos(x), atol=0.1)


def test_periodic_coordinates_take_a_period_in_other_units():
    x = np.linspace(0.0, 1.0, 32, endpoint=False)
    result = gk.gradient(Q(np.sin(2 * np.pi * x), "K"), Q(x, "m"), periodic=True, period=Q(100.0, "cm"), accuracy=6)
    np.testing.assert_allclose(result.magnitude, 2 * np.pi * np.cos(2 * np.pi * x), atol=1e-5)


def test_each_axis_has_its_own_units():
    field = Q(np.arange(12.0).reshape(3, 4), "Pa")
    d0, d1 = gk.gradient(field, Q(2.0, "m"), Q(0.5, "s"))
    assert d0.units == units("Pa / m").units and d1.units == units("Pa / s").units
    np.testing.assert_array_equal(d0.magnitude, np.full((3, 4), 2.0))
    np.testing.assert_array_equal(d1.magnitude, np.full((3, 4), 2.0))


def test_plain_data_over_spacing_with_units_and_units_without_spacing():
    assert gk.gradient(np.arange(4.0) ** 2, Q(2.0, "s")).units == units("1 / s").units
    result = gk.gradient(Q(np.arange(4.0), "m"))
    assert result.units == units.m


def test_differentiate_divides_by_the_spacing_to_the_order():
    x = np.linspace(0.0, 1.0, 11)
    result = gk.differentiate(Q(x**3, "J"), Q(x, "m"), order=2, accuracy=2)
    assert result.units == units("J / m**2").units
    np.testing.assert_allclose(result.magnitude, 6 * x, atol=1e-10)


def test_operators_convert_spacing_to_one_length_unit():
    x, y = np.mgrid[0:1:11j, 0:1:11j]
    lap = gk.laplacian(Q(x**2 + y**2, "K"), Q(0.1, "m"), Q(10.0, "cm"))
    assert lap.units == units("K / m**2").units
    np.testing.assert_allclose(lap.magnitude, 4.0, atol=1e-9)
    curl = gk.curl([Q(-y, "m/s"), Q(x, "m/s")], Q(0.1, "m"))
    assert curl.units == units("1 / s").units
    np.testing.assert_allclose(curl.magnitude, 2.0, atol=1e-12)
    div = gk.divergence([Q(x, "m/s"), Q(100 * y, "cm/s")], Q(0.1, "m"))
    np.testing.assert_allclose(div.magnitude, 2.0, atol=1e-12)


def test_masked_magnitudes_keep_their_mask():
    data = Q(np.ma.masked_array(np.arange(6.0), mask=[0, 0, 1, 0, 0, 0]), "K")
    result = gk.gradient(data, Q(1.0, "m"))
    assert np.ma.isMaskedArray(result.magnitude)
    assert np.ma.getmaskarray(result.magnitude)[[1, 3]].all()


def test_labelled_options_are_refused_for_plain_arrays():
    with pytest.raises(TypeError, match="coord="):
        gk.gradient(np.arange(4.0), coord="x")
    with pytest.raises(TypeError, match="datetime_unit="):
        gk.differentiate(np.arange(4.0), datetime_unit="s")


class NoUnitWarning:
    def __enter__(self):
        import warnings

        self._context = warnings.catch_warnings()
        self._context.__enter__()
        warnings.simplefilter("error", pint.UnitStrippedWarning)

    def __exit__(self, *exc):
        return self._context.__exit__(*exc)
