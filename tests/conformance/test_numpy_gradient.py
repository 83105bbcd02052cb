"""gk.gradient against np.gradient: equal results, dtypes, types and errors.

The first part compares the two over a matrix of inputs; the second is NumPy's
own TestGradient, run against gradkit.
"""

import functools
import itertools

import numpy as np
import pytest
from numpy.exceptions import AxisError
from numpy.testing import assert_array_equal

import gradkit as gk

# Our own kernel, not the numpy.gradient that kernel='auto' hands small calls to
gradient = functools.partial(gk.gradient, kernel="reference")

FLOATS = [np.float16, np.float32, np.float64, np.longdouble, np.complex64, np.complex128, np.clongdouble]
INTEGERS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
SHAPES = [(7,), (5, 6), (4, 3, 5), (3, 4, 3, 3)]


def random_array(shape, dtype, rng):
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, dtype=dtype, endpoint=True)
    values = rng.standard_normal(shape) * 10
    if np.issubdtype(dtype, np.complexfloating):
        values = values + 1j * rng.standard_normal(shape)
    return values.astype(dtype)


def coordinates(n, rng, kind):
    if kind == "uniform-array":
        return np.arange(n) * 0.5 - 1.0
    if kind == "decreasing":
        return -np.cumsum(rng.uniform(0.1, 1.0, n))
    return np.cumsum(rng.uniform(0.1, 1.0, n))


def assert_same_as_numpy(f, *varargs, **kwargs):
    expected = np.gradient(f, *varargs, **kwargs)
    actual = gradient(f, *varargs, **kwargs)
    assert type(actual) is type(expected)
    if isinstance(expected, tuple):
        assert len(actual) == len(expected)
        pairs = zip(actual, expected)
    else:
        pairs = [(actual, expected)]
    for a, e in pairs:
        assert type(a) is type(e)
        assert a.dtype == e.dtype
        assert a.shape == e.shape
        assert_array_equal(a, e, strict=True)


@pytest.mark.parametrize("dtype", FLOATS + INTEGERS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{len(s)}d")
@pytest.mark.parametrize("edge_order", [1, 2])
def test_matches_numpy_for_every_dtype_shape_and_spacing_kind(dtype, shape, edge_order):
    rng = np.random.default_rng(hash((np.dtype(dtype).name, shape, edge_order)) % 2**32)
    f = random_array(shape, dtype, rng)
    ndim = len(shape)
    assert_same_as_numpy(f, edge_order=edge_order)
    assert_same_as_numpy(f, 0.7, edge_order=edge_order)
    assert_same_as_numpy(f, np.float32(0.25), edge_order=edge_order)
    assert_same_as_numpy(f, np.array(3.0), edge_order=edge_order)
    assert_same_as_numpy(f, 2, edge_order=edge_order)
    # one argument per axis, mixing scalars and coordinate arrays of every kind
    kinds = ["scalar", "uniform-array", "random", "decreasing"]
    for pattern in itertools.islice(itertools.product(kinds, repeat=ndim), 0, None, 3):
        spacing = [0.3 if k == "scalar" else coordinates(n, rng, k) for k, n in zip(pattern, shape)]
        assert_same_as_numpy(f, *spacing, edge_order=edge_order)
    for axis in [0, -1, tuple(range(ndim))[::-1], (0, ndim - 1) if ndim > 1 else 0]:
        count = len(axis) if isinstance(axis, tuple) else 1
        spacing = [coordinates(shape[a], rng, "random") for a in (axis if isinstance(axis, tuple) else (axis,))]
        assert_same_as_numpy(f, *spacing[:count], axis=axis, edge_order=edge_order)
        assert_same_as_numpy(f, axis=axis, edge_order=edge_order)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128, np.int32])
@pytest.mark.parametrize("kernel", ["auto", "reference"])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_the_new_options_at_their_defaults_and_omit_without_nan_are_numpys_bit_for_bit(dtype, kernel, edge_order):
    rng = np.random.default_rng(11)
    f = random_array((6, 7), dtype, rng)
    x = coordinates(7, rng, "random")
    expected = np.gradient(f, 0.5, x, edge_order=edge_order)
    for options in ({"nan_policy": "propagate", "indexing": "ij"}, {"nan_policy": "omit"}, {"nan_policy": "raise"}):
        actual = gk.gradient(f, 0.5, x, edge_order=edge_order, kernel=kernel, **options)
        for a, e in zip(actual, expected):
            assert a.dtype == e.dtype
            assert_array_equal(a, e)
    # read in meshgrid's xy layout, axis 1 is x: its spacing and component come first
    actual = gk.gradient(f, x, 0.5, edge_order=edge_order, kernel=kernel, indexing="xy")
    for a, e in zip(actual, (expected[1], expected[0])):
        assert_array_equal(a, e)


@pytest.mark.parametrize("dtype", FLOATS + INTEGERS, ids=lambda d: np.dtype(d).name)
def test_matches_numpy_with_coordinate_arrays_of_other_dtypes(dtype):
    rng = np.random.default_rng(7)
    f = rng.standard_normal((6, 5))
    x = np.array([0, 2, 3, 7, 8, 11]).astype(dtype)
    if np.issubdtype(dtype, np.complexfloating):
        return  # complex coordinates are not ordered; gradkit requires monotonic ones
    assert_same_as_numpy(f, x, 1.5)
    assert_same_as_numpy(f.astype(np.float32), x, np.float64(2.0), edge_order=2)


@pytest.mark.parametrize("kernel", ["fused", "reference"])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_matches_numpy_with_coordinates_longer_than_a_checked_piece(kernel, edge_order):
    # Long coordinates are checked (and their steps compared) a piece of 65536 at a time: equal steps
    # collapse to a scalar step as in NumPy, one odd step anywhere (the last, a seam) keeps them arrays.
    n = 200_001
    f = np.random.default_rng(5).standard_normal(n)
    uniform = np.arange(n) * 0.5
    for coords in (uniform, uniform + np.r_[np.zeros(n - 1), 0.25], uniform + (np.arange(n) > 65536) * 0.25):
        for dtype in (np.float64, np.float32):
            expected = np.gradient(f.astype(dtype), coords, edge_order=edge_order)
            actual = gradient(f.astype(dtype), coords, edge_order=edge_order, kernel=kernel)
            assert_array_equal(actual, expected, strict=True)
    stacked = np.random.default_rng(6).standard_normal((3, n))
    assert_same_as_numpy(stacked, np.arange(3.0), uniform + (np.arange(n) > 65536) * 0.25, edge_order=edge_order)


@pytest.mark.parametrize("unit", ["D", "s", "ms"])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_matches_numpy_on_datetimes_and_timedeltas(unit, edge_order):
    rng = np.random.default_rng(3)
    ticks = np.cumsum(rng.integers(-50, 500, size=(6, 4)), axis=0)
    assert_same_as_numpy(ticks.astype(f"datetime64[{unit}]"), edge_order=edge_order)
    assert_same_as_numpy(ticks.astype(f"timedelta64[{unit}]"), 2, edge_order=edge_order)
    assert_same_as_numpy(ticks.astype(f"timedelta64[{unit}]"), np.array([0, 1, 3, 4, 8, 9.0]), 1, edge_order=edge_order)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_masked_arrays_keep_type_and_mask(edge_order):
    # Differs on purpose: NumPy masks a masked sample's neighbours but computes the sample itself from them;
    # gradkit keeps the sample masked too (as MetPy does), and agrees with NumPy everywhere else.
    data = np.ma.array(np.arange(20.0).reshape(4, 5) ** 2, mask=np.zeros((4, 5), bool))
    data[1, 2] = np.ma.masked
    expected = np.gradient(data, edge_order=edge_order)
    actual = gradient(data, edge_order=edge_order)
    for a, e in zip(actual, expected):
        assert type(a) is np.ma.MaskedArray
        assert_array_equal(np.ma.getmaskarray(a), np.ma.getmaskarray(e) | np.ma.getmaskarray(data))
        e = np.ma.masked_array(e, mask=np.ma.getmaskarray(a))
        assert_array_equal(a.filled(-1.0), e.filled(-1.0))
    assert_array_equal(data.mask, np.ma.make_mask_none((4, 5)) | (np.arange(20).reshape(4, 5) == 7))


def test_array_likes_and_zero_dimensional_input():
    assert_same_as_numpy([[1, 2, 6], [3, 4, 5]])
    assert_same_as_numpy(((1.5, 2.0), (2.0, 3.0)))
    assert_same_as_numpy([1, 4, 9, 16], [1, 2, 3, 4])
    assert gradient(np.float64(3.0)) == np.gradient(np.float64(3.0)) == ()


def test_boolean_input_raises_like_numpy():
    with pytest.raises(TypeError):
        np.gradient(np.array([True, False, True]))
    with pytest.raises(TypeError):
        gradient(np.array([True, False, True]))


ERROR_CASES = [
    ((np.arange(25).reshape(5, 5), np.arange(5.0), np.ones(2)), {}, ValueError),
    ((np.arange(25).reshape(5, 5), 1, np.ones(2)), {}, ValueError),
    ((np.arange(25).reshape(5, 5), np.ones(2), np.ones(2)), {}, ValueError),
    ((np.arange(25).reshape(5, 5), np.arange(5.0)), {}, TypeError),
    ((np.arange(25).reshape(5, 5), np.arange(5.0)), {"axis": (0, 1)}, TypeError),
    ((np.arange(25).reshape(5, 5), 1, 1, 1), {}, TypeError),
    ((np.arange(25).reshape(5, 5), 1, 1), {"axis": 1}, TypeError),
    ((np.arange(25).reshape(5, 5), np.ones((5, 2)), 1), {}, ValueError),
    ((np.arange(4).reshape(2, 2),), {"axis": 3}, AxisError),
    ((np.arange(4).reshape(2, 2),), {"axis": -3}, AxisError),
    ((np.arange(4).reshape(2, 2),), {"axis": (0, 0)}, ValueError),
    ((np.arange(0),), {"edge_order": 1}, ValueError),
    ((np.arange(1),), {"edge_order": 1}, ValueError),
    ((np.arange(1),), {"edge_order": 2}, ValueError),
    ((np.arange(2),), {"edge_order": 2}, ValueError),
    ((np.arange(5),), {"edge_order": 3}, ValueError),
]


@pytest.mark.parametrize(("args", "kwargs", "error"), ERROR_CASES)
def test_raises_what_numpy_raises(args, kwargs, error):
    with pytest.raises(error):
        np.gradient(*args, **kwargs)
    with pytest.raises(error):
        gradient(*args, **kwargs)


# --- NumPy's own TestGradient, against gradkit -------------------------------------------------


def test_numpy_basic():
    v = [[1, 1], [3, 4]]
    dx = [np.array([[2.0, 3.0], [2.0, 3.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])]
    assert_array_equal(gradient(np.array(v)), dx)
    assert_array_equal(gradient(v), dx)


def test_numpy_spacing_table():
    f = np.array([0, 2.0, 3.0, 4.0, 5.0, 5.0])
    f = np.tile(f, (6, 1)) + f.reshape(-1, 1)
    x_uneven = np.array([0.0, 0.5, 1.0, 3.0, 5.0, 7.0])
    x_even = np.arange(6.0)
    expected = {
        ("even", 1): np.tile([2.0, 1.5, 1.0, 1.0, 0.5, 0.0], (6, 1)),
        ("even", 2): np.tile([2.5, 1.5, 1.0, 1.0, 0.5, -0.5], (6, 1)),
        ("uneven", 1): np.tile([4.0, 3.0, 1.7, 0.5, 0.25, 0.0], (6, 1)),
        ("uneven", 2): np.tile([5.0, 3.0, 1.7, 0.5, 0.25, -0.25], (6, 1)),
    }
    for edge_order in (1, 2):
        res = gradient(f, x_uneven, x_uneven, axis=(0, 1), edge_order=edge_order)
        np.testing.assert_allclose(res[0], expected[("uneven", edge_order)].T, rtol=1e-12)
        np.testing.assert_allclose(res[1], expected[("uneven", edge_order)], rtol=1e-12)
        res = gradient(f, 1.0, axis=(0, 1), edge_order=edge_order)
        assert_array_equal(res, gradient(f, x_even, x_even, edge_order=edge_order))
        np.testing.assert_allclose(res[1], expected[("even", edge_order)])
        mixed = gradient(f, x_even, x_uneven, axis=(0, 1), edge_order=edge_order)
        swapped = gradient(f, x_uneven, x_even, axis=(1, 0), edge_order=edge_order)
        assert_array_equal(mixed[0], swapped[1])
        assert_array_equal(mixed[1], swapped[0])


def test_numpy_specific_axes_and_vararg_order():
    x = np.array([[1, 1], [3, 4]])
    dx = [np.array([[2.0, 3.0], [2.0, 3.0]]), np.array([[0.0, 0.0], [1.0, 1.0]])]
    assert_array_equal(gradient(x, axis=0), dx[0])
    assert_array_equal(gradient(x, axis=-1), dx[1])
    assert_array_equal(gradient(x, axis=(1, 0)), [dx[1], dx[0]])
    assert_array_equal(gradient(x, 2, 3, axis=(1, 0)), [dx[1] / 2.0, dx[0] / 3.0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_numpy_inexact_dtypes_follow_diff(dtype):
    x = np.array([1, 2, 3], dtype=dtype)
    assert gradient(x).dtype == np.diff(x).dtype


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_numpy_decreasing_unsigned_values_do_not_wrap(dtype):
    assert_array_equal(gradient(np.array([5, 4, 3, 2, 1], dtype=dtype)), [-1] * 5)
    assert_array_equal(gradient(np.array([0, 2, 4]), np.array([3, 2, 1], dtype=dtype)), [-2] * 3)


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64])
def test_numpy_signed_big_jumps_do_not_wrap(dtype):
    info = np.iinfo(dtype)
    f = np.array([-1, info.max], dtype=dtype)
    assert_array_equal(gradient(f, np.array([1, 3])), [(info.max + 1) // 2] * 2)
    x = np.array([-1, info.max], dtype=dtype)
    assert_array_equal(gradient(np.array([info.min // 2, 0]), x), [0.5, 0.5])


def test_numpy_datetime64_and_timedelta64_tables():
    x = np.array(
        ["1910-08-16", "1910-08-11", "1910-08-10", "1910-08-12", "1910-10-12", "1910-12-12", "1912-12-12"],
        dtype="datetime64[D]",
    )
    dx = np.array([-5, -3, 0, 31, 61, 396, 731], dtype="timedelta64[D]")
    assert_array_equal(gradient(x), dx)
    assert gradient(x).dtype == np.dtype("timedelta64[D]")
    t = np.array([-5, -3, 10, 12, 61, 321, 300], dtype="timedelta64[D]")
    assert_array_equal(gradient(t), np.array([2, 7, 7, 25, 154, 119, -21], dtype="timedelta64[D]"))


def test_numpy_second_order_accurate():
    x = np.linspace(0, 1, 10)
    y = 2 * x**3 + 4 * x**2 + 2 * x
    analytical = 6 * x**2 + 8 * x + 2
    assert np.all(np.abs(gradient(y, x[1] - x[0], edge_order=2) / analytical - 1) < 0.03)
    x = np.sort(np.random.default_rng(0).random(10))
    y = 2 * x**3 + 4 * x**2 + 2 * x
    analytical = 6 * x**2 + 8 * x + 2
    assert np.all(np.abs(gradient(y, x, edge_order=2) / analytical - 1) < 0.03)


def test_numpy_return_type_is_tuple_for_several_axes():
    assert type(gradient(([1, 2], [2, 3]))) is tuple
