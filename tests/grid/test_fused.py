"""The fused numba kernel against the reference kernel, and `out=`."""

import subprocess
import sys

import numpy as np
import pytest

import gradkit as gk
from gradkit.grid import kernels

pytest.importorskip("numba")

DTYPES = [np.float32, np.float64, np.complex64, np.complex128]
SHAPES = [(37,), (2,), (5, 7), (1, 6), (64, 33), (3, 4, 5), (17, 1, 9), (12, 10, 11)]
OPTIONS = [
    {},
    {"edge_order": 2},
    {"accuracy": 2},
    {"accuracy": 4},
    {"accuracy": 6},
    {"accuracy": 10},
    {"periodic": True},
    {"periodic": True, "accuracy": 6},
]


def random_data(shape, dtype, rng):
    data = rng.uniform(0.5, 2.0, shape) * rng.choice([-1, 1], shape)
    if np.issubdtype(dtype, np.complexfloating):
        data = data + 1j * rng.uniform(0.5, 2.0, shape)
    return data.astype(dtype)


def spacing_for(shape, kind, rng):
    if kind == "none":
        return ()
    if kind == "scalar":
        return (0.37,)
    coords = [np.cumsum(rng.uniform(0.2, 1.0, n)) for n in shape]
    if kind == "mixed":
        return tuple(c if k % 2 else 0.5 for k, c in enumerate(coords))
    return tuple(coords)


def minimum_length(options):
    accuracy = options.get("accuracy")
    if options.get("periodic"):
        return (accuracy or 2) + 1
    return accuracy + 1 if accuracy else options.get("edge_order", 1) + 1


def assert_within_ulps(actual, expected, ulps=4):
    dtype = np.dtype(actual.dtype)
    real = np.finfo(dtype).dtype
    for part in (np.real, np.imag) if np.iscomplexobj(actual) else (np.real,):
        a, e = part(actual).astype(np.float64), part(expected).astype(np.float64)
        tolerance = ulps * np.spacing(np.maximum(np.abs(a), np.abs(e)).astype(real)).astype(np.float64)
        assert np.all(np.abs(a - e) <= tolerance), np.max(np.abs(a - e) / tolerance)


MATRIX = [
    pytest.param(shape, options, id=f"{shape}-{','.join(f'{k}={v}' for k, v in options.items()) or 'numpy'}")
    for shape in SHAPES
    for options in OPTIONS
    if min(shape) >= minimum_length(options)
]


def numpy_options(options):
    return not options.get("accuracy") and not options.get("periodic")


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("spacing_kind", ["none", "scalar", "coords", "mixed"])
@pytest.mark.parametrize(("shape", "options"), MATRIX)
def test_fused_agrees_with_reference(dtype, shape, spacing_kind, options):
    """NumPy's own options: bit for bit in every dtype; stencils of our own: within 4 ulp of the double
    precision reference (single precision is accumulated in double)."""
    rng = np.random.default_rng(abs(hash((shape, spacing_kind, str(options)))) % 2**32)
    data = random_data(shape, dtype, rng)
    spacing = spacing_for(shape, spacing_kind, rng)
    if options.get("periodic") and spacing_kind in ("coords", "mixed"):
        options = {**options, "period": [float(c[-1] - c[0]) * 1.1 if np.ndim(c) else None for c in spacing]}
        if spacing_kind == "mixed":
            options["period"] = [p if p is not None else 0.5 * n for p, n in zip(options["period"], shape)]
    fused = gk.gradient(data, *spacing, kernel="fused", **options)
    exact = numpy_options(options)
    wide = data if exact else data.astype(np.complex128 if np.iscomplexobj(data) else np.float64)
    reference = gk.gradient(wide, *spacing, kernel="reference", **options)
    fused, reference = (r if isinstance(r, tuple) else (r,) for r in (fused, reference))
    for a, e in zip(fused, reference):
        assert a.dtype == data.dtype
        if exact:
            np.testing.assert_array_equal(a, e)
        else:
            assert_within_ulps(a, e.astype(data.dtype))


#: Spacings whose types steer NumPy's arithmetic: a Python float keeps single precision in single
#: precision, a float64 scalar or float64 coordinates do not, float32 and float16 coordinates do.
NUMPY_SPACINGS = {
    "unit": lambda n, rng: (),
    "python float": lambda n, rng: (0.3,),
    "python int": lambda n, rng: (3,),
    "float64 scalar": lambda n, rng: (np.float64(0.3),),
    "float32 scalar": lambda n, rng: (np.float32(0.3),),
    "float64 coords": lambda n, rng: tuple(np.cumsum(rng.uniform(0.1, 1.0, m)) for m in n),
    "float32 coords": lambda n, rng: tuple(np.cumsum(rng.uniform(0.1, 1.0, m)).astype(np.float32) for m in n),
    "float16 coords": lambda n, rng: tuple(np.cumsum(rng.uniform(0.5, 1.0, m)).astype(np.float16) for m in n),
    "uniform coords": lambda n, rng: tuple(np.arange(m) * 0.7 for m in n),
}


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("spacing", NUMPY_SPACINGS)
@pytest.mark.parametrize("shape", [(40, 30), (9, 8, 7), (50,)])
def test_fused_is_bit_identical_to_numpy(shape, spacing, dtype):
    rng = np.random.default_rng(1)
    data = random_data(shape, dtype, rng) * rng.standard_normal(shape)
    varargs = NUMPY_SPACINGS[spacing](shape, rng)
    for edge_order in (1, 2):
        expected = np.gradient(data, *varargs, edge_order=edge_order)
        actual = gk.gradient(data, *varargs, edge_order=edge_order, kernel="fused")
        for a, e in zip(*((r,) if isinstance(r, np.ndarray) else r for r in (actual, expected))):
            assert a.dtype == e.dtype
            np.testing.assert_array_equal(a, e)


def test_fused_on_a_subset_of_axes():
    data = np.random.default_rng(2).standard_normal((6, 7, 8))
    for axis in (0, 1, 2, (0, 2), (2, 1)):
        np.testing.assert_array_equal(gk.gradient(data, axis=axis, kernel="fused"), np.gradient(data, axis=axis))


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (np.zeros((10, 10))[:, ::2], "C-contiguous"),
        (np.zeros((3, 3, 3, 3)), "1-D to 3-D"),
        (np.zeros(10, dtype=np.float16), "float16"),
        (np.ma.zeros(10), "MaskedArray"),
        (np.zeros(10, dtype="m8[s]"), "timedelta64"),
    ],
)
def test_inputs_the_fused_kernel_cannot_take_fall_back_or_say_why(data, reason):
    with pytest.raises(ValueError, match=reason):
        gk.gradient(data, axis=0, kernel="fused")
    for kernel in ("auto", "reference"):
        np.testing.assert_array_equal(gk.gradient(data, axis=0, kernel=kernel), np.gradient(data, axis=0))


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.parametrize(
    ("spacing", "reason"),
    [
        ((1j,), "real spacing"),
        ((np.arange(300) * (1 + 1j), 0.5), "real spacing"),
        ((np.cumsum(np.full(300, 0.5, np.longdouble)), 0.5), "double precision"),
        ((np.longdouble(0.3),), "double precision"),
    ],
)
def test_spacing_the_fused_kernel_cannot_take_falls_back_or_says_why(spacing, reason):
    data = np.random.default_rng(6).standard_normal((300, 200))
    with pytest.raises(ValueError, match=reason):
        gk.gradient(data, *spacing, kernel="fused")
    for kind in (np.float64, np.complex128):
        expected = np.gradient(data.astype(kind), *spacing)
        for kernel in ("auto", "reference"):
            for a, e in zip(gk.gradient(data.astype(kind), *spacing, kernel=kernel), expected):
                assert a.dtype == e.dtype
                np.testing.assert_array_equal(a, e)


def test_auto_uses_the_fused_kernel_on_large_arrays_and_matches_numpy():
    data = np.random.default_rng(3).standard_normal((400, 300))
    gk.gradient(data[:8, :8].copy(), kernel="fused")  # loaded in this process: auto may use it (see test_first_use)
    assert kernels.choose_kernel("auto", data, None, native=True) == "fused"
    np.testing.assert_array_equal(gk.gradient(data), np.gradient(data))


def test_auto_hands_small_calls_with_numpys_options_to_numpy_and_others_to_the_reference_kernel():
    small = np.random.default_rng(3).standard_normal((200, 150))
    gk.gradient(np.zeros((8, 8, 8)), kernel="fused")  # loaded in this process: auto may use it
    assert kernels.choose_kernel("auto", small, None, native=True) == "numpy"
    assert kernels.choose_kernel("auto", small, None, native=False) == "reference"  # accuracy=, periodic=, out=
    assert kernels.choose_kernel("auto", np.ma.zeros(50), None, native=True) == "reference"  # keeps the mask
    assert kernels.choose_kernel("auto", np.zeros((40, 40, 40)), None, native=True) == "fused"
    assert kernels.choose_kernel("auto", np.zeros((20, 20, 20, 20)), None, native=True) == "numpy"  # 4-D
    x = np.cumsum(np.random.default_rng(4).uniform(0.5, 1.5, 200))
    for args, options in [((), {}), ((0.5, x[:150]), {"edge_order": 2}), ((x,), {"axis": 0})]:
        expected = np.gradient(small, *args, **options)
        for kernel in ("auto", "numpy"):
            np.testing.assert_array_equal(gk.gradient(small, *args, kernel=kernel, **options), expected)
    # the checks are gradkit's: where NumPy returns garbage, an error names the argument
    with pytest.raises(ValueError, match="strictly"):
        gk.gradient(small, np.r_[x[:100], x[:100]], axis=0)  # not strictly monotonic
    with pytest.raises(ValueError, match="kernel='numpy' runs numpy"):
        gk.gradient(small, accuracy=4, kernel="numpy")


def test_cached_tables_keep_numpys_rounding_for_each_kind_of_step():
    # the fused kernel's tables for a scalar step are cached; a Python float and a float64 step of the same
    # value round float32 data differently in NumPy, and must not share an entry
    data = np.random.default_rng(7).standard_normal((200, 200)).astype(np.float32)
    steps = [0.1, np.float64(0.1), np.float32(0.1), 0.1, 2, np.float64(0.1)]
    for step in steps:
        for edge_order in (1, 2):
            expected = np.gradient(data, step, edge_order=edge_order)
            actual = gk.gradient(data, step, edge_order=edge_order, kernel="fused")
            for a, e in zip(actual, expected):
                assert a.dtype == e.dtype
                np.testing.assert_array_equal(a, e)
    assert not np.array_equal(np.gradient(data, 0.1)[0], np.gradient(data, np.float64(0.1))[0])


def test_cached_tables_of_coordinates_are_keyed_by_their_values():
    # tables for coordinate arrays are cached by value: other coordinates of the same length, or the same
    # values in another dtype (which NumPy differences in that dtype), must not share an entry
    rng = np.random.default_rng(8)
    data = rng.standard_normal((60, 70, 80))
    first = np.cumsum(rng.uniform(0.5, 1.5, 70))
    second = np.cumsum(rng.uniform(0.5, 1.5, 70))
    integers = np.cumsum(rng.integers(1, 4, 80))
    cases = [(first, integers), (second, integers), (first, integers.astype(np.float32)), (first, integers)]
    for middle, last in cases:
        for edge_order in (1, 2):
            expected = np.gradient(data, 0.5, middle, last, edge_order=edge_order)
            actual = gk.gradient(data, 0.5, middle, last, edge_order=edge_order, kernel="fused")
            for a, e in zip(actual, expected):
                np.testing.assert_array_equal(a, e)
    middle[3] += 0.25  # the caller changes its array in place: its new values are a new key
    np.testing.assert_array_equal(gk.gradient(data, middle, axis=1, kernel="fused"), np.gradient(data, middle, axis=1))


def test_unknown_kernel_is_rejected():
    with pytest.raises(ValueError, match="kernel must be one of"):
        gk.gradient(np.zeros(5), kernel="gpu")


@pytest.mark.parametrize("kernel", ["fused", "reference"])
def test_out_receives_the_result_and_is_returned(kernel):
    data = np.random.default_rng(4).standard_normal((20, 30))
    outs = (np.empty_like(data), np.empty_like(data))
    result = gk.gradient(data, 0.5, out=outs, kernel=kernel)
    assert result[0] is outs[0] and result[1] is outs[1]
    np.testing.assert_array_equal(result, np.gradient(data, 0.5))
    single = np.empty_like(data)
    assert gk.gradient(data, axis=1, out=single, kernel=kernel) is single
    np.testing.assert_array_equal(single, np.gradient(data, axis=1))


def test_out_into_non_contiguous_arrays_falls_back_to_the_reference_kernel():
    data = np.random.default_rng(5).standard_normal((20, 30))
    big = np.empty((20, 60))
    result = gk.gradient(data, axis=1, out=big[:, ::2])
    np.testing.assert_array_equal(big[:, ::2], np.gradient(data, axis=1))
    assert result.base is big


@pytest.mark.parametrize(
    ("out", "error", "message"),
    [
        ((np.empty((4, 5)),), ValueError, "out has 1 arrays but 2 axes"),
        ((np.empty((4, 5)), np.empty((4, 6))), ValueError, r"out\[1\] has shape \(4, 6\), expected \(4, 5\)"),
        ((np.empty((4, 5)), np.empty((4, 5), np.float32)), ValueError, r"out\[1\] has dtype float32, expected float64"),
        ((np.empty((4, 5)), [[0.0] * 5] * 4), TypeError, r"out\[1\] must be a NumPy array"),
        ("outputs", TypeError, "out must be a tuple"),
    ],
)
def test_bad_out_names_the_offending_output(out, error, message):
    with pytest.raises(error, match=message):
        gk.gradient(np.zeros((4, 5)), out=out)


def test_out_may_not_overlap_the_input_or_repeat():
    data = np.zeros((4, 5))
    with pytest.raises(ValueError, match="overlaps the input"):
        gk.gradient(data, axis=0, out=data)
    shared = np.empty((4, 5))
    with pytest.raises(ValueError, match="distinct"):
        gk.gradient(data, out=(shared, shared))


def test_importing_gradkit_compiles_nothing_and_loads_no_numba():
    code = "import sys, gradkit, numpy; gradkit.gradient(numpy.arange(5.0)); print('numba' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr
