"""Bad input gets a clear error naming the argument, including where NumPy silently misbehaves."""

import numpy as np
import pytest

import gradkit as gk


@pytest.mark.parametrize("edge_order", [0, -5, 1.5, 3, True, "2"])
def test_edge_order_other_than_1_or_2_is_rejected(edge_order):
    with pytest.raises(ValueError, match="edge_order must be 1 or 2"):
        gk.gradient(np.arange(6.0), edge_order=edge_order)


def test_edge_order_accepts_integral_floats_like_numpy():
    np.testing.assert_array_equal(
        gk.gradient(np.arange(6.0) ** 2, edge_order=2.0), np.gradient(np.arange(6.0) ** 2, edge_order=2)
    )


@pytest.mark.parametrize(
    "coords",
    [
        [0.0, 1.0, 1.0, 2.0, 3.0],
        [0.0, 1.0, 2.0, 1.5, 3.0],
        [0.0, 1.0, np.nan, 2.0, 3.0],
        [0, 0, 0, 0, 0],
        [0.0, 1.0, 2.0, 3.0, np.inf],
        [-np.inf, 1.0, 2.0, 3.0, 4.0],
        [4.0, 3.0, 2.0, 1.0, -np.inf],
    ],
)
def test_duplicate_or_non_monotonic_coordinates_are_rejected(coords):
    with pytest.raises(ValueError, match="strictly monotonic"):
        gk.gradient(np.arange(5.0), np.array(coords))


def test_the_monotonic_error_names_the_samples_that_break_it_as_plain_numbers():
    with pytest.raises(ValueError, match=r"x\[2\] = 2.0 and x\[3\] = 1.5 break it"):
        gk.gradient(np.arange(5.0), np.array([0.0, 1.0, 2.0, 1.5, 3.0]))
    with pytest.raises(ValueError, match=r"got 0.0$"):
        gk.gradient(np.arange(5.0), np.float32(0.0))


@pytest.mark.parametrize("bad", [5, 65535, 65536, 65537, 200_000])
def test_long_coordinates_report_the_first_sample_that_breaks_them(bad):
    # long coordinates are checked a piece at a time: a break in any piece, at its seams too, is found
    coords = np.arange(200_001, dtype=float)
    coords[bad] = coords[bad - 1]
    with pytest.raises(ValueError, match=rf"x\[{bad - 1}\] = {bad - 1}.0 and x\[{bad}\] = {bad - 1}.0 break it"):
        gk.gradient(np.ones(coords.size), coords)


@pytest.mark.parametrize("step", [0, 0.0, np.inf, np.nan])
def test_zero_or_non_finite_step_is_rejected(step):
    with pytest.raises(ValueError, match="nonzero finite step"):
        gk.gradient(np.arange(5.0), step)


def test_single_sample_coordinate_array_is_a_value_error_not_an_index_error():
    with pytest.raises(ValueError, match="too small"):
        gk.gradient(np.array([5.0]), np.array([1.0]))


@pytest.mark.parametrize(("accuracy", "points"), [(2, 2), (4, 4), (6, 6), (10, 10)])
def test_short_axis_error_says_how_many_points_the_accuracy_needs(accuracy, points):
    with pytest.raises(ValueError, match=f"accuracy={accuracy} needs at least {accuracy + 1}"):
        gk.gradient(np.arange(float(points)), accuracy=accuracy)


def test_short_periodic_axis_error():
    with pytest.raises(ValueError, match=r"periodic axis 0 has 4 points.*needs at least 5"):
        gk.gradient(np.arange(4.0), periodic=True, accuracy=4)


@pytest.mark.parametrize("accuracy", [1, 3, 0, 13, -2])
def test_accuracy_must_be_an_even_integer_of_at_least_2(accuracy):
    with pytest.raises(ValueError, match="accuracy must be an even integer of at least 2"):
        gk.gradient(np.arange(20.0), accuracy=accuracy)


@pytest.mark.parametrize("accuracy", [4.0, "4"])
def test_non_integer_accuracy_is_a_type_error(accuracy):
    with pytest.raises(TypeError, match="accuracy"):
        gk.gradient(np.arange(20.0), accuracy=accuracy)


def test_periodic_coordinates_need_a_period():
    x = np.cumsum(np.linspace(0.5, 1.0, 10))
    with pytest.raises(ValueError, match=r"period= .* is required"):
        gk.gradient(np.sin(x), x, periodic=True)


def test_period_must_exceed_the_span_of_the_coordinates():
    x = np.linspace(0.0, 1.0, 10)
    with pytest.raises(ValueError, match="larger than the span"):
        gk.gradient(np.sin(x), x, periodic=True, period=0.5)


def test_period_inconsistent_with_a_uniform_step_is_rejected():
    with pytest.raises(ValueError, match=r"span 10\.0"):
        gk.gradient(np.arange(10.0), 1.0, periodic=True, period=6.0)
    np.testing.assert_allclose(gk.gradient(np.zeros(10), 1.0, periodic=True, period=10.0), 0.0)


@pytest.mark.parametrize(("periodic", "error"), [((True,), ValueError), ("yes", TypeError), ([True, 1], TypeError)])
def test_periodic_must_be_bools_one_per_axis(periodic, error):
    with pytest.raises(error, match="periodic"):
        gk.gradient(np.zeros((5, 5)), periodic=periodic)


@pytest.mark.parametrize(("period", "error"), [(-1.0, ValueError), ("long", TypeError), ([1.0], ValueError)])
def test_bad_period_is_rejected(period, error):
    with pytest.raises(error, match="period"):
        gk.gradient(np.zeros((5, 5)), periodic=True, period=period)


def test_differentiate_rejects_bad_order_and_axis():
    with pytest.raises(ValueError, match="order must be a positive integer"):
        gk.differentiate(np.arange(10.0), order=0)
    with pytest.raises(TypeError, match="order"):
        gk.differentiate(np.arange(10.0), order=1.5)
    with pytest.raises(TypeError, match="axis must be an integer"):
        gk.differentiate(np.zeros((4, 4)), axis=(0, 1))
    with pytest.raises(TypeError, match="invalid number of arguments"):
        gk.differentiate(np.zeros((4, 4)), 1.0, 2.0)


@pytest.mark.parametrize(
    ("options", "names"),
    [
        ({"edge_order": 2, "accuracy": 4}, ("edge_order=2", "accuracy=4")),
        ({"edge_order": 1, "accuracy": 2}, ("edge_order=1", "accuracy=2")),
        ({"edge_order": 2, "periodic": True}, ("edge_order=2", "periodic=True")),
        ({"period": 6.0}, ("period=6.0", "periodic=False")),
    ],
)
def test_conflicting_options_are_a_value_error_naming_both(options, names):
    with pytest.raises(ValueError, match="conflicts") as error:
        gk.gradient(np.arange(20.0), **options)
    for name in names:
        assert name in str(error.value)


def test_options_that_do_not_conflict_are_accepted():
    f = np.arange(20.0) ** 2
    # edge_order applies to the axis that is not periodic
    gk.gradient(np.outer(f, f), edge_order=2, periodic=(True, False))
    gk.gradient(f, 1.0, periodic=True, period=20.0)
    gk.gradient(np.outer(f, f), period=(None, None))  # no period given for any axis
    with pytest.raises(ValueError, match=r"period=6\.0 conflicts with periodic=False"):
        gk.differentiate(f, period=6.0)
    with pytest.raises(ValueError, match=r"period=6\.0 conflicts with periodic=False"):
        gk.laplacian(np.outer(f, f), period=6.0)
    gk.laplacian(np.outer(f, f), periodic=(True, False), period=(20.0, None))


def test_omit_with_kernel_numpy_still_bridges_the_gaps():
    f = np.arange(10.0)
    f[4] = np.nan
    result = gk.gradient(f, nan_policy="omit", kernel="numpy")
    np.testing.assert_array_equal(np.isnan(result), np.isnan(f))
