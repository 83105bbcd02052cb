"""Dask arrays: lazy results equal to the in-memory ones, on a real distributed cluster."""

import numpy as np
import pytest

import gradkit as gk

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

RNG = np.random.default_rng(0)
DATA = RNG.standard_normal((41, 30))
X = np.cumsum(RNG.uniform(0.1, 1.0, 41))
Y = np.cumsum(RNG.uniform(0.1, 1.0, 30))

CASES = [
    ((), {}),
    ((0.3,), {"edge_order": 2}),
    ((X, Y), {}),
    ((X, Y), {"edge_order": 2}),
    ((0.5, Y), {"accuracy": 4}),
    ((X, Y), {"accuracy": 10}),
    ((0.25,), {"periodic": True}),
    ((X, Y), {"periodic": (True, False), "period": [X[-1] - X[0] + 0.4, None], "accuracy": 6}),
    ((), {"axis": 1, "accuracy": 8}),
]


@pytest.fixture(scope="module")
def client():
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.mark.parametrize("chunks", [(7, 9), (2, 3), (41, 30), (10, 1)], ids=str)
@pytest.mark.parametrize(("args", "kwargs"), CASES)
def test_dask_result_is_lazy_and_equals_the_in_memory_result_exactly(args, kwargs, chunks):
    lazy = gk.gradient(da.from_array(DATA, chunks=chunks), *args, **kwargs)
    expected = gk.gradient(DATA, *args, **kwargs)
    lazy, expected = (r if isinstance(r, tuple) else (r,) for r in (lazy, expected))
    for a, e in zip(lazy, expected):
        assert isinstance(a, da.Array)
        np.testing.assert_array_equal(a.compute(scheduler="synchronous"), e)


@pytest.mark.parametrize("chunks", [(300, 200), (70, 200), (300, 33)], ids=str)
def test_single_precision_blocks_round_as_numpy_whichever_kernel_runs_them(chunks):
    # 60000 samples: the whole array goes to the fused kernel, blocks of fewer than 32768 to the reference one.
    data = np.random.default_rng(2).standard_normal((300, 200)).astype(np.float32)
    for args, kwargs in [((0.3,), {}), ((0.3, np.cumsum(np.full(200, 0.7, np.float32))), {"edge_order": 2})]:
        lazy = gk.gradient(da.from_array(data, chunks=chunks), *args, **kwargs)
        for a, e in zip(lazy, np.gradient(data, *args, **kwargs)):
            np.testing.assert_array_equal(a.compute(scheduler="synchronous"), e)


@pytest.mark.slow
def test_dask_on_a_local_cluster_with_two_workers(client):
    assert len(client.scheduler_info()["workers"]) == 2
    data = np.random.default_rng(1).standard_normal((120, 80, 8))
    lazy = da.from_array(data, chunks=(25, 16, 8))
    for args, kwargs in [((), {}), ((0.1, 0.2, 0.3), {"accuracy": 4}), ((), {"periodic": True, "accuracy": 6})]:
        results = client.compute(list(gk.gradient(lazy, *args, **kwargs)), sync=True)
        for a, e in zip(results, gk.gradient(data, *args, **kwargs)):
            np.testing.assert_array_equal(a, e)


def test_short_chunks_are_merged_instead_of_failing():
    data = np.arange(20.0) ** 2
    lazy = da.from_array(data, chunks=1)
    np.testing.assert_array_equal(gk.gradient(lazy, accuracy=6).compute(), gk.gradient(data, accuracy=6))
    with pytest.raises(ValueError):
        da.gradient(lazy, edge_order=2).compute()  # what dask.array.gradient does with such chunks


def test_unknown_chunk_sizes_are_a_clear_error():
    lazy = da.from_array(DATA, chunks=(7, 9))
    masked = lazy[lazy[:, 0] > 0]
    for call in (lambda: gk.gradient(masked), lambda: gk.laplacian(masked), lambda: gk.differentiate(masked)):
        with pytest.raises(ValueError, match="unknown chunk sizes"):
            call()


def test_dask_errors_come_before_any_computation():
    with pytest.raises(ValueError, match="accuracy=6 needs at least 7"):
        gk.gradient(da.zeros(5, chunks=2), accuracy=6)
    with pytest.raises(TypeError, match="out= is for NumPy arrays"):
        gk.gradient(da.zeros(5, chunks=2), out=np.empty(5))
