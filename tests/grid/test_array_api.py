"""Array-API inputs (array-api-strict, torch, JAX) come back in their own library, computed with its operations."""

import numpy as np
import pytest

import gradkit as gk

CASES = [
    ((), {}),
    ((0.25,), {"edge_order": 2}),
    (("coords",), {}),
    (("coords",), {"accuracy": 6}),
    ((0.5,), {"periodic": True, "accuracy": 4}),
]


def with_coords(args, shape, rng):
    coords = [np.cumsum(rng.uniform(0.1, 1.0, n)) for n in shape]
    return tuple(coords) if args == ("coords",) else args


@pytest.mark.parametrize(("args", "kwargs"), CASES)
def test_array_api_strict_matches_numpy(args, kwargs):
    xp = pytest.importorskip("array_api_strict")
    rng = np.random.default_rng(0)
    data = rng.standard_normal((9, 11))
    args = with_coords(args, data.shape, rng)
    expected = gk.gradient(data, *args, **kwargs)
    actual = gk.gradient(xp.asarray(data), *args, **kwargs)
    assert isinstance(actual, tuple) and len(actual) == 2
    for a, e in zip(actual, expected):
        assert type(a) is type(xp.asarray(data))
        assert a.dtype == xp.float64
        np.testing.assert_allclose(np.from_dlpack(a), e, rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize(("args", "kwargs"), CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_torch_tensors_come_back_as_tensors_of_the_same_dtype_and_device(args, kwargs, dtype):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    data = rng.standard_normal((7, 8, 10)).astype(dtype)
    args = with_coords(args, data.shape, rng)
    tensor = torch.from_numpy(data)
    actual = gk.gradient(tensor, *args, **kwargs)
    expected = gk.gradient(data.astype(np.complex128 if "complex" in dtype else np.float64), *args, **kwargs)
    tolerance = 1e-5 if dtype != "float64" else 1e-13
    for a, e in zip(actual, expected):
        assert isinstance(a, torch.Tensor)
        assert a.dtype == tensor.dtype and a.device == tensor.device
        np.testing.assert_allclose(a.numpy(), e, rtol=tolerance, atol=tolerance)


def test_torch_integers_become_float64_and_one_axis_gives_one_tensor():
    torch = pytest.importorskip("torch")
    result = gk.gradient(torch.tensor([1, 4, 9, 16, 25]), torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert isinstance(result, torch.Tensor) and result.dtype == torch.float64
    np.testing.assert_array_equal(result.numpy(), [3.0, 4.0, 6.0, 8.0, 9.0])


def test_torch_differentiate_and_errors():
    torch = pytest.importorskip("torch")
    x = torch.linspace(0, 1, 21, dtype=torch.float64)
    second = gk.differentiate(x**3, 0.05, order=2, accuracy=4)
    assert isinstance(second, torch.Tensor)
    np.testing.assert_allclose(second.numpy(), 6 * x.numpy(), atol=1e-10)
    with pytest.raises(TypeError, match="out= is for NumPy arrays"):
        gk.gradient(x, out=np.empty(21))
    with pytest.raises(ValueError, match="accuracy=6 needs at least 7"):
        gk.gradient(x[:5], accuracy=6)


@pytest.mark.parametrize(("args", "kwargs"), CASES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_jax_arrays_come_back_as_jax_arrays_of_the_same_dtype(args, kwargs, dtype):
    jax = pytest.importorskip("jax")
    rng = np.random.default_rng(2)
    data = rng.standard_normal((7, 8, 10)).astype(dtype)
    args = with_coords(args, data.shape, rng)
    with jax.enable_x64(dtype == "float64"):
        array = jax.numpy.asarray(data)
        assert array.dtype == data.dtype
        actual = gk.gradient(array, *args, **kwargs)
        laplacian = gk.laplacian(array, *args)
    expected = gk.gradient(data.astype(np.float64), *args, **kwargs)
    tolerance = 1e-5 if dtype == "float32" else 1e-13
    for a, e in zip((*actual, laplacian), (*expected, gk.laplacian(data.astype(np.float64), *args))):
        assert isinstance(a, jax.Array) and a.dtype == array.dtype
        np.testing.assert_allclose(np.asarray(a), e, rtol=tolerance, atol=tolerance)
