"""torch's gradient tests (test/test_torch.py test_gradient_*), ported to gradkit on torch tensors.

torch's oracle is `numpy.gradient` on the same values; here gradkit takes the torch tensors (the result
stays a torch tensor) and must give NumPy's values. Shapes, axes, spacing forms, edge orders and dtypes
are torch's.

Where gradkit differs on purpose:
- torch draws coordinates at random, unsorted; gradkit refuses coordinates that are not strictly
  monotonic (NumPy returns garbage for them), so the ported coordinates are sorted random draws.
- torch raises RuntimeError for bad arguments; gradkit raises NumPy's ValueError/TypeError.
"""

import itertools

import numpy as np
import pytest

import gradkit as gk

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(7)

CASES = (
    ((5,), (0,)),
    ((4, 4), (0, 1)),
    ((3, 3, 3), (-1, 0)),
    ((4, 4, 4), (2,)),
    ((4, 4, 4), (0, 1)),
    ((4, 4, 4, 3), (0, 2, 3)),
    ((4, 5, 3, 4, 3), (1, 2)),
    ((4, 3, 6, 5, 3), (2, 4)),
    ((4, 3, 3, 5, 3), (0, 1, 2, 3, 4)),
    ((1, 3, 3), (1, 2)),
    ((1, 5), (1,)),
)


def scalar(_lengths):
    return [float(RNG.uniform(0.5, 3.0))]


def per_axis(lengths):
    return [float(step) for step in RNG.uniform(0.5, 3.0, len(lengths))]


def coordinates(lengths):
    return [np.sort(RNG.choice(np.linspace(-9, 9, 200), n, replace=False)) for n in lengths]


def tensor(shape, dtype, contiguous):
    values = RNG.uniform(-9, 9, shape)
    t = torch.tensor(values).to(dtype)
    if not contiguous:  # a non-contiguous view of the same values, as torch's make_tensor(noncontiguous=True)
        t = torch.repeat_interleave(t, 2, dim=-1)[..., ::2]
        assert not t.is_contiguous() or t.numel() <= 1
    return t


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex64"])
@pytest.mark.parametrize(("shape", "dims"), CASES)
def test_gradient_all(shape, dims, dtype):
    """torch test_gradient_all: every shape and dims case, contiguous or not, edge orders 1 and 2, spacing as a
    scalar, a list of steps, or coordinate tensors."""
    lengths = [shape[d] for d in dims]
    for contiguous, edge_order, spacing_of in itertools.product((True, False), (1, 2), (scalar, per_axis, coordinates)):
        if min(lengths) < edge_order + 1:
            continue
        t = tensor(shape, getattr(torch, dtype), contiguous)
        spacing = spacing_of(lengths)
        torch_spacing = [torch.tensor(s) if isinstance(s, np.ndarray) else s for s in spacing]
        actual = gk.gradient(t, *torch_spacing, axis=dims, edge_order=edge_order)
        actual = actual if isinstance(actual, tuple) else (actual,)
        expected = np.gradient(t.numpy(), *spacing, axis=dims, edge_order=edge_order)
        expected = expected if isinstance(expected, tuple) else (expected,)
        for ours, theirs in zip(actual, expected):
            assert isinstance(ours, torch.Tensor)
            np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-4 if dtype != "float64" else 1e-12, atol=1e-4)


def test_gradient_extreme_cases():
    """torch test_gradient_extreme_cases: infinities and NaN as NumPy treats them, and 100000 points."""
    inf, nan = np.inf, np.nan
    values = [2, -2, inf, inf, -inf, -inf, inf, 3, -inf, 2, nan, nan, 3, inf, nan]
    np.testing.assert_array_equal(gk.gradient(torch.tensor(values)).numpy(), np.gradient(np.array(values)))
    t = torch.tensor(RNG.uniform(-9, 9, 100000))
    coords = np.sort(RNG.standard_normal(100000))
    coords = np.unique(coords)
    t = t[: coords.size]
    for edge_order in (1, 2):
        ours = gk.gradient(t, torch.tensor(coords), axis=0, edge_order=edge_order).numpy()
        np.testing.assert_allclose(ours, np.gradient(t.numpy(), coords, axis=0, edge_order=edge_order), rtol=1e-9)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_type_promotion(edge_order):
    """torch test_gradient_type_promotion: float32, complex64 and int64 data with float, int and complex
    spacing (scalars, lists, coordinate tensors); complex spacing on real data gives complex results."""
    inputs = (
        torch.tensor(RNG.uniform(-9, 9, (4, 4)), dtype=torch.float32),
        torch.tensor(RNG.uniform(-9, 9, (4, 4)) + 1j * RNG.uniform(-9, 9, (4, 4)), dtype=torch.complex64),
        torch.tensor(RNG.integers(-9, 9, (4, 4)), dtype=torch.int64),
    )
    spacings = (
        [1.5],
        [3],
        [complex(2.0, 1.0)],
        [0.5, 2.5],
        [1, 4],
        [complex(1.0, -1.0), complex(0.5, 2.0)],
        [np.array([0.0, 1.0, 2.5, 3.0]), np.array([-1.0, 0.0, 2.0, 5.0])],
        [np.array([0, 1, 3, 4]), np.array([-2, 0, 1, 5])],
        [np.array([0, 1, 2.5, 3]) * (1 + 1j), np.array([-1.0, 0, 2, 5]) * (1 - 0.5j)],
    )
    for t, spacing in itertools.product(inputs, spacings):
        torch_spacing = [torch.tensor(s) if isinstance(s, np.ndarray) else s for s in spacing]
        actual = gk.gradient(t, *torch_spacing, axis=(0, 1), edge_order=edge_order)
        expected = np.gradient(t.numpy(), *spacing, axis=(0, 1), edge_order=edge_order)
        for ours, theirs in zip(actual, expected):
            np.testing.assert_allclose(ours.numpy(), theirs, rtol=1e-5, atol=1e-5)


def test_gradient_spacing_and_argument_errors():
    """torch test_gradient_spacing_list_length_error, ..._invalid_edge_order, small inputs."""
    t = torch.zeros((2, 2), dtype=torch.float64)
    with pytest.raises((TypeError, ValueError)):
        gk.gradient(t, torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0]), torch.tensor([0.0, 1.0]))
    with pytest.raises(TypeError):
        gk.gradient(t, 2.0, 2.0, 2.0)
    with pytest.raises(ValueError, match="edge_order"):
        gk.gradient(torch.zeros(5, dtype=torch.float64), edge_order=3)
    with pytest.raises(ValueError):
        gk.gradient(torch.zeros(1, dtype=torch.float64))
    with pytest.raises(ValueError):
        gk.gradient(torch.zeros(2, dtype=torch.float64), edge_order=2)
