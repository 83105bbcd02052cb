"""nan_policy: NaN samples as gaps ("omit"), as errors ("raise"), or as NumPy leaves them ("propagate").

Oracles: `numpy.gradient` on each run of valid samples (NumPy's formulas beside a gap are its formulas beside
an edge), and exactness on polynomials for the higher accuracies (a run's one-sided stencils of order p are
exact for degree p).
"""

import numpy as np
import pytest

import gradkit as gk


def runs(valid):
    """Index arrays of the runs of True in 1-D `valid`."""
    index = np.flatnonzero(valid)
    return np.split(index, np.flatnonzero(np.diff(index) > 1) + 1) if index.size else []


def with_gaps(shape, share, seed):
    rng = np.random.default_rng(seed)
    f = rng.standard_normal(shape)
    f[rng.random(shape) < share] = np.nan
    return f


@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("spacing", ["step", "coordinates"])
@pytest.mark.parametrize("axis", [0, 1])
def test_each_run_gets_what_numpy_gives_it_alone(edge_order, spacing, axis):
    f = with_gaps((30, 40), 0.12, seed=edge_order + 2 * axis)
    n = f.shape[axis]
    x = np.cumsum(np.random.default_rng(9).uniform(0.5, 1.5, n))
    arg = 0.7 if spacing == "step" else x
    result = gk.gradient(f, arg, axis=axis, edge_order=edge_order, nan_policy="omit")
    lines, results = np.moveaxis(f, axis, -1), np.moveaxis(result, axis, -1)
    for line, got in zip(lines.reshape(-1, n), results.reshape(-1, n)):
        valid = ~np.isnan(line)
        np.testing.assert_array_equal(np.isnan(got[~valid]), True)
        for run in runs(valid):
            if len(run) < edge_order + 1:
                assert np.isnan(got[run]).all()  # too short for any stencil
                continue
            expected = np.gradient(line[run], 0.7 if spacing == "step" else x[run], edge_order=edge_order)
            np.testing.assert_allclose(got[run], expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("accuracy", [2, 4, 6, 10])
@pytest.mark.parametrize("grid", ["uniform", "non-uniform"])
def test_accuracy_p_beside_gaps_is_exact_for_polynomials_of_degree_p(accuracy, grid):
    n = 80
    x = np.linspace(-1.0, 1.0, n) if grid == "uniform" else np.linspace(-1.0, 1.0, n) ** 3 + np.linspace(-1, 1, n)
    coefficients = np.random.default_rng(accuracy).uniform(-1, 1, accuracy + 1)
    f = np.polynomial.polynomial.polyval(x, coefficients)
    df = np.polynomial.polynomial.polyval(x, np.polynomial.polynomial.polyder(coefficients))
    gaps = [5, 30, 31, 32, 50 + accuracy]
    f[gaps] = np.nan
    spacing = x[1] - x[0] if grid == "uniform" else x
    result = gk.gradient(f, spacing, accuracy=accuracy, nan_policy="omit")
    valid = ~np.isnan(f)
    short = np.zeros(n, bool)
    for run in runs(valid):
        short[run] = len(run) < accuracy + 1
    np.testing.assert_array_equal(np.isnan(result), ~valid | short)
    np.testing.assert_allclose(result[valid & ~short], df[valid & ~short], rtol=0, atol=1e-8)


def test_one_nan_in_twenty_points_at_accuracy_10_costs_only_that_point():
    x = np.linspace(0.0, 1.0, 40)
    f = x**3
    f[15] = np.nan
    result = gk.gradient(f, x[1] - x[0], accuracy=10, nan_policy="omit")
    assert np.flatnonzero(np.isnan(result)).tolist() == [15]
    np.testing.assert_allclose(np.delete(result, 15), np.delete(3 * x**2, 15), atol=1e-10)


def test_runs_too_short_for_accuracy_10_are_nan():
    f = np.arange(20.0)
    f[9] = np.nan
    result = gk.gradient(f, accuracy=10, nan_policy="omit")
    assert np.isnan(result).all()  # runs of 9 and 10 points; accuracy=10 needs 11 ...
    f = np.arange(30.0)
    f[7] = np.nan
    result = gk.gradient(f, accuracy=10, nan_policy="omit")
    assert np.isnan(result[:8]).all() and np.allclose(result[8:], 1.0)  # ... the run of 22 is long enough


def test_periodic_runs_wrap_around_the_ends():
    # a run from index n-4 over the end to index 5 is one run; samples there follow one polynomial of the
    # unwrapped coordinate, so a fourth-order stencil is exact on it
    n, period = 40, 4.0
    x = np.linspace(0.0, period, n, endpoint=False)
    unwrapped = np.where(x > 2.0, x - period, x)
    f = 1 + unwrapped - unwrapped**2 + 0.5 * unwrapped**4
    df = 1 - 2 * unwrapped + 2 * unwrapped**3
    f[[6, 20, 36]] = np.nan
    valid = ~np.isnan(f)
    for args in [(x[1] - x[0],), (x,)]:
        options = {"period": period} if len(np.shape(args[0])) else {}
        result = gk.gradient(f, *args, periodic=True, accuracy=4, nan_policy="omit", **options)
        np.testing.assert_array_equal(np.isnan(result), ~valid)
        wrapping = np.r_[37:40, 0:6]
        np.testing.assert_allclose(result[wrapping], df[wrapping], atol=1e-10)


@pytest.mark.parametrize("order", [1, 2, 3])
def test_differentiate_beside_gaps_is_exact_for_polynomials(order):
    x = np.cumsum(np.random.default_rng(order).uniform(0.5, 1.0, 60)) / 30
    f = x**4 - 2 * x**3 + x
    derivatives = {1: 4 * x**3 - 6 * x**2 + 1, 2: 12 * x**2 - 12 * x, 3: 24 * x - 12}
    f[[12, 13, 40]] = np.nan
    result = gk.differentiate(f, x, order=order, accuracy=4, nan_policy="omit")
    valid = ~np.isnan(f)
    np.testing.assert_array_equal(np.isnan(result), ~valid)
    np.testing.assert_allclose(result[valid], derivatives[order][valid], atol=1e-7)


def test_operators_bridge_gaps():
    x, y = np.mgrid[0:1:21j, 0:1:26j]
    f = x**2 + 3 * y**2
    f[[4, 10, 15], [7, 20, 5]] = np.nan  # every run has the 4 points a second derivative needs
    lap = gk.laplacian(f, 0.05, 0.04, nan_policy="omit")
    valid = ~np.isnan(f)
    np.testing.assert_array_equal(np.isnan(lap), ~valid)
    np.testing.assert_allclose(lap[valid], 8.0, atol=1e-9)
    fx, fy = -y.copy(), x.copy()
    fx[3, 3] = np.nan
    rot = gk.curl([fx, fy], 0.05, 0.04, nan_policy="omit")
    assert np.flatnonzero(np.isnan(rot)).tolist() == [3 * 26 + 3]
    np.testing.assert_allclose(rot[~np.isnan(rot)], 2.0, atol=1e-12)
    div = gk.divergence([x * y, y**2], 0.05, 0.04, nan_policy="omit")
    np.testing.assert_allclose(div, 3 * y, atol=1e-12)


def test_masked_samples_are_gaps_and_the_mask_is_kept():
    # MetPy's case: a masked value hides 1e20, which must not be used
    data = np.ma.masked_array([1.0, 4.0, 9.0, 1e20, 25.0, 36.0, 49.0, 64.0], mask=[0, 0, 0, 1, 0, 0, 0, 0])
    result = gk.gradient(data, nan_policy="omit", edge_order=2)
    assert isinstance(result, np.ma.MaskedArray)
    np.testing.assert_array_equal(np.ma.getmaskarray(result), data.mask)
    np.testing.assert_allclose(result.compressed(), [2, 4, 6, 10, 12, 14, 16])  # x**2 on each run, exact
    second = gk.differentiate(data, order=2, nan_policy="omit")
    np.testing.assert_allclose(second.compressed(), 2.0)


def test_raise_refuses_nan_and_propagate_is_numpys():
    f = np.array([1.0, 2.0, np.nan, 4.0, 5.0])
    with pytest.raises(ValueError, match='nan_policy="raise"'):
        gk.gradient(f, nan_policy="raise")
    with pytest.raises(ValueError, match='nan_policy="raise"'):
        gk.laplacian(f, nan_policy="raise")
    np.testing.assert_array_equal(gk.gradient(np.arange(5.0), nan_policy="raise"), np.ones(5))
    np.testing.assert_array_equal(gk.gradient(f), np.gradient(f))
    with pytest.raises(ValueError, match="nan_policy must be one of"):
        gk.gradient(f, nan_policy="ignore")


def test_complex_data_with_gaps():
    x = np.linspace(0, 1, 30)
    f = (1 + 2j) * x**2
    f[10] = np.nan
    result = gk.gradient(f, x, nan_policy="omit", edge_order=2)
    valid = np.arange(30) != 10
    np.testing.assert_allclose(result[valid], (2 + 4j) * x[valid], atol=1e-12)


@pytest.mark.parametrize("kernel", ["auto", "fused", "reference", "numpy"])
def test_every_kernel_bridges_gaps_alike(kernel):
    pytest.importorskip("numba")
    f = with_gaps((200, 180), 0.05, seed=3)
    expected = gk.gradient(f, 0.5, 0.25, kernel="reference", nan_policy="omit")
    for a, e in zip(gk.gradient(f, 0.5, 0.25, kernel=kernel, nan_policy="omit"), expected):
        np.testing.assert_allclose(a, e, rtol=1e-14, atol=1e-14)


def test_out_is_filled_with_gaps_bridged():
    f = with_gaps((20, 30), 0.1, seed=4)
    outs = (np.empty_like(f), np.empty_like(f))
    result = gk.gradient(f, nan_policy="omit", accuracy=2, out=outs)
    assert result[0] is outs[0]
    for a, e in zip(result, gk.gradient(f, nan_policy="omit", accuracy=2)):
        np.testing.assert_array_equal(a, e)


def test_torch_and_array_api_strict_bridge_gaps_like_numpy():
    f = with_gaps((15, 20), 0.1, seed=5)
    expected = gk.gradient(f, 0.5, accuracy=4, nan_policy="omit")
    torch = pytest.importorskip("torch")
    for a, e in zip(gk.gradient(torch.from_numpy(f), 0.5, accuracy=4, nan_policy="omit"), expected):
        assert isinstance(a, torch.Tensor) and a.dtype == torch.float64
        np.testing.assert_array_equal(a.numpy(), e)
    xp = pytest.importorskip("array_api_strict")
    result = gk.differentiate(xp.asarray(f), 0.5, axis=0, accuracy=4, nan_policy="omit")
    np.testing.assert_array_equal(np.from_dlpack(result), expected[0])


def test_dask_bridges_gaps_across_chunk_boundaries_as_in_memory():
    da = pytest.importorskip("dask.array")
    f = with_gaps((40, 37), 0.08, seed=6)
    x = np.cumsum(np.random.default_rng(1).uniform(0.5, 1.5, 37))
    for args, options in [((0.5, x), {}), ((0.5, x), {"accuracy": 6}), ((0.5, 0.3), {"edge_order": 2})]:
        lazy = gk.gradient(da.from_array(f, chunks=(7, 9)), *args, nan_policy="omit", **options)
        for a, e in zip(lazy, gk.gradient(f, *args, nan_policy="omit", **options)):
            np.testing.assert_allclose(a.compute(), e, rtol=1e-13, atol=1e-13)
    t = np.linspace(0, 2 * np.pi, 37, endpoint=False)
    lazy = gk.gradient(da.from_array(f, chunks=(7, 9)), t[1], axis=1, periodic=True, accuracy=4, nan_policy="omit")
    expected = gk.gradient(f, t[1], axis=1, periodic=True, accuracy=4, nan_policy="omit")
    np.testing.assert_allclose(lazy.compute(), expected, rtol=1e-13, atol=1e-13)
    with pytest.raises(ValueError, match='nan_policy="raise"'):
        gk.gradient(da.from_array(f, chunks=(7, 9)), nan_policy="raise")[0].compute()
