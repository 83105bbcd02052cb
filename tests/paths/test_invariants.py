"""What every PathResult promises, whatever the rule, f, bounds and stopping rule that ended it."""

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import gradkit as gk
from gradkit.paths import RULES, Status

finite = st.floats(-3, 3, allow_nan=False)


@given(
    a=st.floats(-2, 4, allow_nan=False),
    b=st.floats(0.1, 4, allow_nan=False),
    c=finite,
    start=st.tuples(st.floats(-0.9, 0.9), st.floats(-0.9, 0.9)),
    rule=st.sampled_from(RULES),
    step=st.floats(1e-3, 2.0),
    maxiter=st.integers(0, 60),
    ascent=st.booleans(),
)
def test_path_result_invariants(a, b, c, start, rule, step, maxiter, ascent):
    def f(p):
        return float(a * p[0] ** 2 + b * p[1] ** 2 + c * p[0] * p[1])

    def jac(p):
        return np.array([2 * a * p[0] + c * p[1], 2 * b * p[1] + c * p[0]])

    follow = gk.ascend if ascent else gk.descend
    r = follow(f, start, jac=jac, rule=rule, step=step, maxiter=maxiter, bounds=[(-1, 1), (-1, 1)], gtol=1e-8)
    assert r.points.shape == (r.nit + 1, 2) and r.step_sizes.shape == (r.nit,)
    assert r.nit <= maxiter
    np.testing.assert_array_equal(r.x, r.points[-1])
    np.testing.assert_array_equal(r.points[0], start)
    assert r.fun == r.values[-1] == f(r.x)
    np.testing.assert_array_equal(r.jac, jac(r.x))
    np.testing.assert_allclose(r.values, [f(p) for p in r.points], rtol=0, atol=0)
    # math.hypot scales as it goes: no underflow for subnormal gradients (np.linalg.norm squares them to 0)
    np.testing.assert_allclose(r.grad_norms, [math.hypot(*jac(p)) for p in r.points], rtol=1e-15)
    np.testing.assert_allclose(r.step_sizes, [math.hypot(*d) for d in np.diff(r.points, axis=0)], rtol=1e-15)
    assert np.all(np.abs(r.points) <= 1)
    status = Status(r.status)
    assert r.success == (status in (Status.GRADIENT, Status.STEP, Status.VALUE))
    assert status != Status.GRADIENT or r.grad_norms[-1] <= 1e-8
    assert status != Status.MAXITER or r.nit == maxiter
    assert status != Status.BOUNDS or np.abs(r.x).max() == 1
    if rule == "armijo" and r.nit:
        values = r.values if not ascent else -r.values
        assert np.all(np.diff(values) < 0)  # every accepted step decreases the function it minimises
