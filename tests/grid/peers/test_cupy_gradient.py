"""CuPy's gradient tests (tests/cupy_tests/math_tests/test_sumprod.py TestGradient, TestGradientErrors), ported.

CuPy checks `cupy.gradient` against `numpy.gradient` on the same random values; here gradkit takes the
arrays of a non-NumPy array-API library (array-api-strict, standing in for CuPy where no GPU is present) and
NumPy arrays, and must match `numpy.gradient` with CuPy's tolerances (atol 1e-6, rtol 1e-5; float16 2e-2 /
1e-3). Shapes, axes, edge orders, dtypes and the error cases are CuPy's.
"""

import itertools

import numpy as np
import pytest

import gradkit as gk

xps = pytest.importorskip("array_api_strict")

SHAPES = [(10,), (10, 20), (10, 20, 30)]
AXES = [None, 0, 1, 2, -1]


def spacings(shape, axis, rng):
    axes = range(len(shape)) if axis is None else [axis % len(shape)]
    yield ()
    yield (2.5,)
    yield tuple(float(s) for s in rng.uniform(0.5, 3.0, len(axes)))
    yield tuple(np.cumsum(rng.uniform(0.1, 1.0, shape[a])) for a in axes)


@pytest.mark.parametrize("dtype", ["float64", "float32", "float16", "complex128", "int64", "int8", "uint8"])
@pytest.mark.parametrize("shape", SHAPES)
def test_gradient_against_numpy(shape, dtype):
    """CuPy TestGradient test_gradient_floating / _int / _float16 over axes, spacings and edge orders."""
    rng = np.random.default_rng(3)
    values = (rng.uniform(0, 10, shape) * (1 + 1j if dtype.startswith("complex") else 1)).astype(dtype)
    tolerance = dict(atol=2e-2, rtol=1e-3) if dtype == "float16" else dict(atol=1e-6, rtol=1e-5)
    for axis, edge_order in itertools.product(AXES, (1, 2)):
        if axis is not None and axis >= len(shape):
            continue
        for spacing in spacings(shape, axis, rng):
            expected = np.gradient(values, *spacing, axis=axis, edge_order=edge_order)
            ours = gk.gradient(values, *spacing, axis=axis, edge_order=edge_order)
            for a, b in zip(_as_list(ours), _as_list(expected)):
                np.testing.assert_allclose(a, b, **tolerance)
            if dtype in ("float64", "float32", "complex128"):
                strict = gk.gradient(xps.asarray(values), *spacing, axis=axis, edge_order=edge_order)
                for a, b in zip(_as_list(strict), _as_list(expected)):
                    assert a.dtype == xps.asarray(b).dtype
                    np.testing.assert_allclose(np.asarray(a), b, **tolerance)


def _as_list(result):
    return list(result) if isinstance(result, (tuple, list)) else [result]


@pytest.mark.parametrize("namespace", [np, xps], ids=["numpy", "array_api_strict"])
def test_gradient_errors(namespace):
    """CuPy TestGradientErrors: too many spacings, wrong coordinate lengths and ranks, edge orders, axes, bools."""
    rng = np.random.default_rng(4)
    x = namespace.asarray(rng.random((32, 16)))
    with pytest.raises(TypeError):
        gk.gradient(x, 1.0, 2.0, 3.0)
    with pytest.raises(ValueError):
        gk.gradient(x, 15, np.arange(17.0))
    with pytest.raises(ValueError):
        gk.gradient(x, 15, np.arange(32.0).reshape(4, -1))
    with pytest.raises(ValueError):
        gk.gradient(x, edge_order=3)
    with pytest.raises(ValueError):
        gk.gradient(namespace.asarray(rng.random((1, 16))), axis=0, edge_order=2)
    for axis in (-3, 2):
        with pytest.raises(np.exceptions.AxisError):
            gk.gradient(namespace.asarray(rng.random((4, 16))), axis=axis)
    with pytest.raises(TypeError):
        gk.gradient(namespace.asarray(rng.random((4, 16)) > 0.5))
