"""Each stopping rule, at the step the arithmetic of a simple f predicts, reported in status and message."""

import math

import numpy as np
import pytest

import gradkit as gk
from gradkit.paths import Armijo, Iterate, Status

# f = x^2 with a fixed step of 0.25 halves x at each step: x_k = 0.5^k, f_k = 0.25^k, |grad f| = 2 * 0.5^k,
# and step k has length 0.5^k.


def square(x):
    return float(x[0] ** 2)


def square_jac(x):
    return 2 * x


def halving(**options):
    return gk.descend(square, [1.0], jac=square_jac, step=0.25, **options)


def first(condition):
    return next(k for k in range(1, 200) if condition(k))


def test_gradient_norm():
    r = halving(gtol=1e-6)
    assert r.nit == first(lambda k: 2 * 0.5**k <= 1e-6) == 21
    assert r.status == Status.GRADIENT and r.success and "gradient norm below gtol after 21 steps" in r.message


def test_step_norm():
    r = halving(gtol=0, xtol=1e-6)
    assert r.nit == first(lambda k: 0.5**k <= 1e-6) == 20
    assert r.status == Status.STEP and r.success and "step norm below xtol" in r.message


def test_relative_change_of_f():
    r = halving(gtol=0, ftol=1e-9)
    # |f_k - f_{k-1}| = 3 * 0.25^k, over max(|f|, 1) = 1
    assert r.nit == first(lambda k: 3 * 0.25**k <= 1e-9) == 16
    assert r.status == Status.VALUE and r.success and "relative change of f below ftol" in r.message


def test_relative_change_of_f_is_relative_to_large_values():
    r = gk.descend(lambda x: float(1e6 + x[0] ** 2), [1.0], jac=square_jac, step=0.25, gtol=0, ftol=1e-9)
    # |f_k - f_{k-1}| = 3 * 0.25^k <= 1e-9 * 1e6
    assert r.nit == first(lambda k: 3 * 0.25**k <= 1e-3) == 6 and r.status == Status.VALUE


def test_maximum_number_of_steps():
    r = halving(maxiter=5)
    assert r.nit == 5 and r.status == Status.MAXITER and not r.success
    assert r.message == "maximum number of steps reached after 5 steps"
    assert halving(maxiter=0).nit == 0


def test_leaving_bounds_stops_where_the_step_crosses_them():
    # f = x (gradient 1) from 0 with a step of 0.3: 0, -0.3, -0.6, -0.9, then -1.2 crosses the bound at -1.
    r = gk.descend(lambda x: float(x[0]), [0.0], jac=lambda x: np.ones(1), step=0.3, bounds=[(-1, None)])
    np.testing.assert_allclose(r.points[:, 0], [0, -0.3, -0.6, -0.9, -1.0], atol=1e-15)
    assert r.status == Status.BOUNDS and not r.success and r.x[0] == -1.0 and r.fun == -1.0
    assert "left bounds" in r.message


def test_bounds_accept_scipy_bounds():
    from scipy.optimize import Bounds

    r = gk.descend("x + 2*y", [0.0, 0.0], step=0.1, bounds=Bounds([-0.5, -0.5], [1, 1]))
    assert r.status == Status.BOUNDS
    assert r.x[1] == -0.5 and r.x[0] == pytest.approx(-0.25)  # y reaches its bound first, x went half as far


def test_a_too_large_fixed_step_diverges_and_says_so():
    # f = x^2, step 1.1: x -> x - 2.2 x = -1.2 x, f_k = 1.44^k, past blowup * (1 + f0) = 2e12 at step 78.
    r = gk.descend("x^2", [1.0], step=1.1)
    assert r.status == Status.DIVERGED and not r.success
    assert r.nit == math.ceil(math.log(2e12) / math.log(1.44)) == 78
    assert r.message.startswith("diverged after 78 steps: f grew without bound")


def test_the_largest_stable_fixed_step_oscillates_without_diverging():
    r = gk.descend("x^2", [1.0], step=1.0, maxiter=300)  # x -> -x forever
    assert r.status == Status.MAXITER and set(r.points[:, 0]) == {1.0, -1.0}


def test_rosenbrock_with_a_too_large_fixed_step_diverges():
    r = gk.descend("(1 - x)^2 + 100*(y - x^2)^2", [-1.2, 1.0], step=0.01)
    assert r.status == Status.DIVERGED and r.nit < 10


def test_x_growing_without_bound_is_divergence():
    # A constant f with a gradient of -x (so f itself cannot grow): x -> 1.25 x, and the step that takes
    # |x - x0| = 1.25^k - 1 past blowup * (1 + |x0|) = 2e12 is not taken.
    r = gk.descend(lambda x: 0.0, [1.0], jac=lambda x: -x, step=0.25)
    assert r.status == Status.DIVERGED and "x grew without bound" in r.message
    assert r.nit == first(lambda k: 1.25**k - 1 > 2e12) - 1


def test_x_not_finite_is_divergence():
    r = gk.descend(lambda x: 0.0, [1.0], jac=lambda x: np.array([1e308]), step=10.0)
    assert r.status == Status.DIVERGED and r.message == "diverged after 0 steps: x is not finite"
    assert r.nit == 0 and r.x[0] == 1.0


def test_f_not_finite_is_divergence():
    r = gk.descend("log(x)", [1.0], step=1.0)  # x -> 1 - 1/1 = 0, log 0 = -inf
    assert r.status == Status.DIVERGED and "f is not finite at [0.0]" in r.message and r.nit == 0


def test_a_gradient_that_is_not_finite_is_reported():
    r = gk.descend("sqrt(abs(x))", [1.0], step=2.0)  # x -> 1 - 2 * 0.5 = 0, where the slope is infinite
    assert r.status == Status.NONFINITE_GRADIENT and r.nit == 1 and r.x[0] == 0.0 and not r.success
    assert "the gradient is not finite" in r.message


def test_a_line_search_along_a_wrong_gradient_fails():
    r = gk.descend(square, [1.0], jac=lambda x: -2 * x, rule=Armijo(max_backtracks=30))
    assert r.status == Status.LINE_SEARCH and r.nit == 0 and r.nfev == 1 + 31
    assert "line search found no decrease" in r.message


def test_callback_returning_true_stops():
    seen = []

    def callback(xk):
        seen.append(xk.copy())
        return len(seen) == 3

    r = halving(callback=callback)
    assert r.nit == 3 and r.status == Status.CALLBACK and r.message == "callback asked to stop after 3 steps"
    np.testing.assert_array_equal(np.array(seen), r.points[1:])


def test_callback_raising_stop_iteration_stops_and_intermediate_result_gets_the_iterate():
    seen = []

    def callback(intermediate_result):
        seen.append(intermediate_result)
        if intermediate_result.nit == 4:
            raise StopIteration

    r = halving(callback=callback)
    assert r.status == Status.CALLBACK and r.nit == 4
    assert all(isinstance(i, Iterate) for i in seen) and [i.nit for i in seen] == [1, 2, 3, 4]
    assert seen[-1].fun == r.fun and seen[-1].x[0] == 0.5**4 and seen[-1].jac[0] == 2 * 0.5**4


def test_a_callback_returning_none_or_false_does_not_stop():
    assert halving(callback=lambda xk: None).status == Status.GRADIENT
    assert halving(callback=lambda xk: False).status == Status.GRADIENT


def test_start_at_a_critical_point_takes_no_step():
    r = gk.descend("x^2 + y^2", [0.0, 0.0])
    assert r.nit == 0 and r.success and r.points.shape == (1, 2) and r.step_sizes.shape == (0,)


def test_counts_and_path_arrays_agree():
    r = halving(gtol=1e-6)
    assert r.nfev == r.njev == r.nit + 1
    assert r.points.shape == (22, 1) and r.values.shape == r.grad_norms.shape == (22,) and r.step_sizes.shape == (21,)
    np.testing.assert_allclose(r.values, 0.25 ** np.arange(22), rtol=1e-15)
    np.testing.assert_allclose(r.grad_norms, 2 * 0.5 ** np.arange(22), rtol=1e-15)
    np.testing.assert_allclose(r.step_sizes, 0.5 ** np.arange(1, 22), rtol=1e-15)
    assert r["x"] is r.x and set(r.keys()) >= {"x", "fun", "jac", "nit", "nfev", "success", "message", "status"}
