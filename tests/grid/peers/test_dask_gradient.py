"""Dask's own gradient test (dask/array/tests/test_routines.py test_gradient), ported to gradkit.

Dask's oracle is `numpy.gradient` on the same integer data; gradkit's lazy result on a Dask array chunked
in fives must equal it, for every spacing form (none, one scalar, one per axis, coordinates, a mix) and
edge order.
"""

import numpy as np
import pytest

import gradkit as gk

da = pytest.importorskip("dask.array")


@pytest.mark.parametrize(
    ("shape", "varargs", "axis"),
    [
        [(10, 15, 20), (), None],
        [(10, 15, 20), (2,), None],
        [(10, 15, 20), (1.0, 1.5, 2.0), None],
        [(10, 15, 20), (), 0],
        [(10, 15, 20), (), 1],
        [(10, 15, 20), (), 2],
        [(10, 15, 20), (), -1],
        [(10, 15, 20), (), (0, 2)],
        [(10, 15, 20), (np.exp(np.arange(10)), np.exp(np.arange(20))), (0, 2)],
        [(10, 15, 20), (0.5, np.exp(np.arange(20))), (0, 2)],
        [(10, 15, 20), (np.exp(np.arange(20)),), -1],
    ],
)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient(shape, varargs, axis, edge_order):
    a = np.random.default_rng(0).integers(0, 10, shape)
    lazy = da.from_array(a, chunks=len(shape) * (5,))
    expected = np.gradient(a, *varargs, axis=axis, edge_order=edge_order)
    actual = gk.gradient(lazy, *varargs, axis=axis, edge_order=edge_order)
    if isinstance(axis, int):
        expected, actual = [expected], [actual]
    assert len(actual) == len(expected)
    for ours, theirs in zip(actual, expected):
        assert isinstance(ours, da.Array)
        np.testing.assert_allclose(ours.compute(), theirs, rtol=1e-13, atol=1e-13)
