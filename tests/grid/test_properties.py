"""Property tests for the grid layer: agreement with NumPy, linearity, polynomial exactness."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gradkit as gk

finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False, width=64)
shapes = hnp.array_shapes(min_dims=1, max_dims=3, min_side=3, max_side=7)


@st.composite
def sampled_fields(draw, dtype=np.float64):
    shape = draw(shapes)
    values = draw(hnp.arrays(dtype, shape, elements=finite))
    axis = draw(st.none() | st.integers(-len(shape), len(shape) - 1))
    axes = range(len(shape)) if axis is None else [axis % len(shape)]
    spacing = []
    for ax in axes:
        steps = draw(hnp.arrays(np.float64, shape[ax] - 1, elements=st.floats(0.01, 10.0)))
        spacing.append(draw(st.sampled_from([float(steps[0]), np.concatenate([[0.0], np.cumsum(steps)])])))
    return values, spacing, axis


@given(sampled_fields(), st.sampled_from([1, 2]))
def test_agrees_with_numpy_bit_for_bit(case, edge_order):
    values, spacing, axis = case
    expected = np.gradient(values, *spacing, axis=axis, edge_order=edge_order)
    actual = gk.gradient(values, *spacing, axis=axis, edge_order=edge_order, kernel="reference")
    np.testing.assert_array_equal(actual, expected)


@given(sampled_fields(), sampled_fields(), st.floats(-100, 100), st.sampled_from([None, 2, 4, 6]))
def test_is_linear(first, second, scale, accuracy):
    f, spacing, axis = first
    g = np.resize(second[0], f.shape)
    if accuracy is not None and min(f.shape[a] for a in ([axis] if axis is not None else range(f.ndim))) <= accuracy:
        accuracy = None
    combined = gk.gradient(f + scale * g, *spacing, axis=axis, accuracy=accuracy)
    separate = gk.gradient(f, *spacing, axis=axis, accuracy=accuracy)
    other = gk.gradient(g, *spacing, axis=axis, accuracy=accuracy)
    combined, separate, other = (np.atleast_1d(np.asarray(r)) for r in (combined, separate, other))
    bound = 1e-9 * (np.abs(separate) + abs(scale) * np.abs(other)).max() + 1e-9 * (
        np.abs(f).max() + abs(scale) * np.abs(g).max()
    ) / min(np.min(np.abs(np.diff(s))) if np.ndim(s) else s for s in spacing)
    np.testing.assert_allclose(combined, separate + scale * other, rtol=0, atol=bound)


@given(
    st.sampled_from([2, 4, 6, 8]),
    hnp.arrays(np.float64, 12, elements=st.floats(0.2, 1.0)),
    hnp.arrays(np.float64, 9, elements=st.floats(-1, 1)),
    st.booleans(),
)
def test_accuracy_p_differentiates_polynomials_of_degree_p_exactly(accuracy, steps, coefficients, uniform):
    x = np.concatenate([[0.0], np.cumsum(steps)]) - 3.0
    if uniform:
        x = np.linspace(-3.0, x[-1], len(x))
    coefficients = coefficients[: accuracy + 1]
    poly = np.polynomial.Polynomial(coefficients)
    result = gk.gradient(poly(x), x[1] - x[0] if uniform else x, accuracy=accuracy)
    scale = np.abs(poly(x)).max() + 1.0
    np.testing.assert_allclose(result, poly.deriv()(x), rtol=0, atol=1e-8 * scale)
