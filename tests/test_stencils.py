"""Finite-difference weights against exact rational tables and high-precision references."""

from fractions import Fraction
from math import factorial

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import gradkit as gk
from gradkit.stencils import fornberg_weights


def exact_weights(order, offsets):
    """Weights in exact rational arithmetic: solve sum_j w_j z_j^k = k! [k == order] by Gauss-Jordan."""
    z = [Fraction(o) for o in offsets]
    m = len(z)
    rows = [[zj**k for zj in z] + [Fraction(factorial(order)) if k == order else Fraction(0)] for k in range(m)]
    for col in range(m):
        pivot = next(r for r in range(col, m) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(m):
            if r != col and rows[r][col] != 0:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[col])]
    return [row[-1] for row in rows]


@pytest.mark.parametrize(
    ("order", "offsets", "expected"),
    [
        (1, [-1, 0, 1], [Fraction(-1, 2), 0, Fraction(1, 2)]),
        (1, [-2, -1, 0, 1, 2], [Fraction(1, 12), Fraction(-8, 12), 0, Fraction(8, 12), Fraction(-1, 12)]),
        (1, [0, 1, 2], [Fraction(-3, 2), 2, Fraction(-1, 2)]),
        (1, [-2, -1, 0], [Fraction(1, 2), -2, Fraction(3, 2)]),
        (2, [-1, 0, 1], [1, -2, 1]),
        (
            2,
            [-2, -1, 0, 1, 2],
            [Fraction(-1, 12), Fraction(16, 12), Fraction(-30, 12), Fraction(16, 12), Fraction(-1, 12)],
        ),
        (2, [0, 1, 2, 3], [2, -5, 4, -1]),
        (3, [-2, -1, 0, 1, 2], [Fraction(-1, 2), 1, 0, -1, Fraction(1, 2)]),
        (4, [-2, -1, 0, 1, 2], [1, -4, 6, -4, 1]),
        (0, [-1, 0, 1], [0, 1, 0]),
        (
            1,
            [-3, -2, -1, 0, 1, 2, 3],
            [Fraction(-1, 60), Fraction(3, 20), Fraction(-3, 4), 0, Fraction(3, 4), Fraction(-3, 20), Fraction(1, 60)],
        ),
    ],
)
def test_classic_tables(order, offsets, expected):
    np.testing.assert_allclose(gk.stencil(order, offsets), [float(e) for e in expected], rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("order", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("points", [5, 7, 9, 11])
@pytest.mark.parametrize("shift", [0, 2, 5])
def test_integer_offsets_match_exact_rationals(order, points, shift):
    offsets = [k - points // 2 + shift for k in range(points)]
    exact = [float(w) for w in exact_weights(order, offsets)]
    scale = max(abs(w) for w in exact)
    np.testing.assert_allclose(gk.stencil(order, offsets), exact, rtol=0, atol=1e-13 * scale)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_real_non_uniform_offsets_match_mpmath(order):
    rng = np.random.default_rng(order)
    offsets = np.sort(rng.uniform(-3.0, 3.0, 11))
    mpmath.mp.dps = 50
    z = [mpmath.mpf(float(o)) for o in offsets]
    matrix = mpmath.matrix([[zj**k for zj in z] for k in range(len(z))])
    rhs = mpmath.matrix([factorial(order) if k == order else 0 for k in range(len(z))])
    reference = np.array([float(v) for v in mpmath.lu_solve(matrix, rhs)])
    scale = np.abs(reference).max()
    np.testing.assert_allclose(gk.stencil(order, offsets), reference, rtol=0, atol=1e-11 * scale)


def test_vectorised_recursion_equals_one_stencil_at_a_time():
    rng = np.random.default_rng(0)
    batch = np.sort(rng.uniform(-2, 2, (6, 4, 5)), axis=-1)
    weights = fornberg_weights(2, batch)
    assert weights.shape == batch.shape
    for index in np.ndindex(batch.shape[:-1]):
        np.testing.assert_allclose(weights[index], gk.stencil(2, batch[index]), rtol=1e-13)


def test_result_is_cached_and_read_only():
    first = gk.stencil(1, (-1, 0, 1))
    assert gk.stencil(1, [-1.0, 0.0, 1.0]) is first
    with pytest.raises(ValueError):
        first[0] = 3.0


@pytest.mark.parametrize(
    ("order", "offsets", "message"),
    [
        (2, [0, 1], "at least 3 offsets"),
        (1, [0, 1, 1], "distinct"),
        (1, [0, np.nan, 1], "finite"),
        (1, [0, np.inf, 1], "finite"),
        (1, [[0, 1], [2, 3]], "1-D"),
        (-1, [0, 1], "order must be >= 0"),
    ],
)
def test_bad_input_raises_value_error_naming_the_problem(order, offsets, message):
    with pytest.raises(ValueError, match=message):
        gk.stencil(order, offsets)


def test_non_integer_order_raises_type_error():
    with pytest.raises(TypeError, match="order"):
        gk.stencil(1.5, [0, 1, 2])


offset_sets = st.lists(
    st.floats(-5, 5, allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3)),
    min_size=2,
    max_size=8,
    unique=True,
).filter(lambda xs: min(np.diff(sorted(xs))) > 0.05)


@given(offsets=offset_sets, data=st.data())
def test_weights_differentiate_every_polynomial_below_the_stencil_size_exactly(offsets, data):
    order = data.draw(st.integers(0, len(offsets) - 1))
    weights = gk.stencil(order, offsets)
    z = np.array(offsets)
    for degree in range(len(offsets)):
        exact = factorial(order) if degree == order else 0.0
        scale = np.abs(weights).sum() * max(1.0, np.abs(z).max()) ** degree
        assert abs(weights @ z**degree - exact) <= 1e-9 * scale


@given(offsets=offset_sets, scale=st.floats(0.1, 10))
def test_weights_scale_as_step_to_the_minus_order(offsets, scale):
    order = 1
    z = np.array(offsets)
    np.testing.assert_allclose(
        gk.stencil(order, z * scale),
        gk.stencil(order, z) / scale,
        rtol=1e-8,
        atol=1e-8 * np.abs(gk.stencil(1, z)).max(),
    )
