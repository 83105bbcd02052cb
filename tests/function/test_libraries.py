"""f written with torch or JAX: automatic differentiation in its library, and finite differences that call f
with that library's arrays (double precision, whatever x's precision)."""

import contextlib

import numpy as np
import pytest
from helpers import gaussian_gradient

import gradkit as gk

X0 = np.array([0.3, -0.7])
DIRECTION = np.array([1.0, 2.0])


def product_hessian(p):
    """The Hessian of p[0]**2 * p[1]**3."""
    mixed = 6 * p[0] * p[1] ** 2
    return np.array([[2 * p[1] ** 3, mixed], [mixed, 6 * p[0] ** 2 * p[1]]])


class Library:
    """torch or JAX (with its 64-bit types on) as the tests use them."""

    def __init__(self, name: str):
        self.name = name
        if name == "torch":
            import torch

            self.ops, self.array_type = torch, torch.Tensor
        else:
            import jax
            import jax.numpy as jnp

            self.ops, self.array_type = jnp, jax.Array

    def array(self, values, dtype="float64"):
        if self.name == "torch":
            return self.ops.tensor(np.asarray(values, dtype=dtype))
        return self.ops.asarray(np.asarray(values, dtype=dtype))

    def gaussian(self, p):
        return self.ops.exp(-(p[..., 0] ** 2)) * self.ops.exp(-(p[..., 1] ** 2))

    def strict(self, f, seen):
        """f that records the type and dtype of every point, and refuses anything but this library's arrays."""

        def recorded(p, *args, **kwargs):
            if not isinstance(p, self.array_type):
                raise TypeError(f"f got a {type(p).__name__}")
            seen.add(str(p.dtype).replace("torch.", ""))
            return f(p, *args, **kwargs)

        return recorded


@pytest.fixture(params=["torch", "jax"])
def lib(request):
    pytest.importorskip(request.param)
    if request.param == "torch":
        yield Library("torch")
        return
    import jax

    with jax.enable_x64(True) if hasattr(jax, "enable_x64") else contextlib.nullcontext():
        yield Library("jax")


@pytest.mark.parametrize(("method", "rtol"), [("richardson", 1e-11), ("central", 1e-7), ("complex", 1e-14)])
def test_finite_differences_call_f_with_double_precision_arrays_of_x_library(lib, method, rtol):
    seen = set()
    f = lib.strict(lib.gaussian, seen)
    result = gk.grad(f, lib.array(X0), method=method, full_output=True)
    assert isinstance(result.value, np.ndarray) and result.method == method and np.all(result.success)
    np.testing.assert_allclose(result.value, gaussian_gradient(X0), rtol=rtol)
    assert seen == ({"complex128"} | {"float64"} if method == "complex" else {"float64"})


def test_jacobian_hessian_derivative_and_directional_by_finite_differences(lib):
    seen = set()
    x = lib.array(X0)
    batched = lib.strict(lambda p: lib.ops.stack([lib.gaussian(p), p[..., 0] * p[..., 1]], -1), seen)
    jacobian = gk.jacobian(batched, x, method="richardson", vectorized=True)
    np.testing.assert_allclose(jacobian, [gaussian_gradient(X0), X0[::-1]], rtol=1e-10)
    hessian = gk.hessian(lib.strict(lambda p: p[0] ** 2 * p[1] ** 3, seen), x, method="richardson")
    np.testing.assert_allclose(hessian, product_hessian(X0), rtol=1e-9)
    second = gk.derivative(lib.strict(lib.ops.sin, seen), lib.array([0.5, 1.0]), order=2, method="richardson")
    np.testing.assert_allclose(second, -np.sin([0.5, 1.0]), rtol=1e-9)
    along = gk.directional(lib.strict(lib.gaussian, seen), x, lib.array(DIRECTION), method="richardson")
    np.testing.assert_allclose(along, gaussian_gradient(X0) @ DIRECTION, rtol=1e-11)
    assert seen == {"float64"}


def test_a_named_backend_calls_f_with_its_arrays_for_a_numpy_x(lib):
    seen = set()
    value = gk.grad(lib.strict(lib.gaussian, seen), X0, method="central", backend=lib.name)
    np.testing.assert_allclose(value, gaussian_gradient(X0), rtol=1e-7)
    assert seen == {"float64"}


def test_automatic_differentiation_of_every_operator_stays_in_x_library(lib):
    x = lib.array(X0)
    results = {
        "grad": (gk.grad(lib.gaussian, x), gaussian_gradient(X0)),
        "hessian": (gk.hessian(lambda p: p[0] ** 2 * p[1] ** 3, x), product_hessian(X0)),
        "directional": (gk.directional(lib.gaussian, x, lib.array(DIRECTION)), gaussian_gradient(X0) @ DIRECTION),
        "derivative": (gk.derivative(lib.ops.sin, lib.array([0.5, 1.0])), np.cos([0.5, 1.0])),
        "third": (gk.derivative(lib.ops.sin, lib.array([0.5, 1.0]), order=3), -np.cos([0.5, 1.0])),
        "scalar": (gk.derivative(lib.ops.exp, lib.array(0.25), order=2), np.exp(0.25)),
        "linear": (gk.derivative(lambda t: 3 * t, lib.array([1.0, 2.0]), order=2), [0.0, 0.0]),
    }
    for name, (value, exact) in results.items():
        assert isinstance(value, lib.array_type), name
        assert "float64" in str(value.dtype), name
        np.testing.assert_allclose(np.asarray(value), exact, rtol=1e-14, atol=1e-15, err_msg=name)
    result = gk.derivative(lib.ops.sin, lib.array([0.5]), full_output=True)
    assert result.method == "ad" and np.all(result.success) and np.all(np.asarray(result.error) == 0)


def test_automatic_differentiation_calls_a_vectorized_f_with_a_batch_of_one(lib):
    shapes = []

    def batched(p):
        shapes.append(tuple(p.shape))
        return lib.gaussian(p)

    value = gk.grad(batched, lib.array(X0), vectorized=True)
    np.testing.assert_allclose(np.asarray(value), gaussian_gradient(X0), rtol=1e-14)
    hessian = gk.hessian(batched, lib.array(X0), vectorized=True)
    assert tuple(hessian.shape) == (2, 2)
    assert set(shapes) == {(1, 2)}
    # an f that is not batched (one number for the whole batch) is told so, not an IndexError from inside
    with pytest.raises(ValueError, match=r"one value per point: got shape \(\) for 1 point of shape \(1, 2\)"):
        gk.grad(lambda p: lib.gaussian(p).sum(), lib.array(X0), vectorized=True)


def test_automatic_differentiation_refuses_finite_difference_options(lib):
    x = lib.array(X0)
    for call in (
        lambda: gk.grad(lib.gaussian, x, step=1e-3),
        lambda: gk.grad(lib.gaussian, x, accuracy=4),
        lambda: gk.hessian(lib.gaussian, x, step=1e-3),
        lambda: gk.derivative(lib.ops.sin, x, step=1e-3),
        lambda: gk.directional(lib.gaussian, x, x, step=1e-3),
    ):
        with pytest.raises(ValueError, match="is an option of finite differences"):
            call()


def test_elementwise_automatic_derivative_checks_that_f_is_elementwise(lib):
    with pytest.raises(ValueError, match="f must be elementwise"):
        gk.derivative(lambda t: t.sum(), lib.array([1.0, 2.0]))


def test_directional_checks_the_direction_shape(lib):
    for method in ("auto", "richardson"):
        with pytest.raises(ValueError, match="v must have x's shape"):
            gk.directional(lib.gaussian, lib.array(X0), lib.array([1.0, 2.0, 3.0]), method=method)


def test_check_grad_gives_grad_f_x_as_f_gets_it(lib):
    seen = set()
    exact = lib.strict(lambda p: -2 * p * lib.gaussian(p), seen)
    assert gk.check_grad(lib.gaussian, exact, lib.array(X0))
    assert gk.check_grad(lib.gaussian, exact, lib.array(X0), method="richardson")
    wrong = gk.check_grad(lib.gaussian, lambda p: exact(p) * lib.array([1.0, 1.001]), lib.array(X0))
    assert not wrong.ok and wrong.index == (1,)
    assert seen == {"float64"}


def test_single_precision_x_still_gets_double_precision_finite_differences():
    """A float32 tensor, or a JAX array without 64-bit types: the points f gets are float64, so the step is
    not rounded away (in float32, x + h moves x by a rounded step and the answer is off by ~1e-6)."""
    for name in ("torch", "jax"):
        pytest.importorskip(name)
        lib = Library(name)
        x = lib.array(X0, dtype="float32")
        exact = gaussian_gradient(np.asarray(X0, dtype=np.float32).astype(np.float64))
        result = gk.grad(lib.gaussian, x, method="richardson", full_output=True)
        assert np.all(result.success), name
        np.testing.assert_allclose(result.value, exact, rtol=1e-11, err_msg=name)
        automatic = gk.grad(lib.gaussian, x)
        assert "float32" in str(automatic.dtype)
        np.testing.assert_allclose(np.asarray(automatic), exact, rtol=1e-6, err_msg=name)
