"""Honesty where the first steps do not resolve f, and where fixed steps meet f's rounding: against mpmath.

Each case is one where a successful answer once lay outside its error (found by the mpmath sweeps in
tests/function/peers/): high-order derivatives at |x| = 1e-12, whose stencils only resolve f at steps where
rounding is as large as the derivative; a Hessian from a user's step of 10, whose second differences of
exp(-z**2) are about 0 at the first steps and agree; directional derivatives by one central step. The truths
are mpmath's, at 50 digits; every answer must lie within its error or say it failed.
"""

import warnings

import mpmath
import numpy as np
import pytest

import gradkit as gk

mpmath.mp.dps = 50


def _honest(value, error, success, truth, allowance=0.0):
    value, error, success = np.asarray(value), np.asarray(error), np.asarray(success)
    truth = np.asarray(truth, dtype=value.dtype)
    miss = np.abs(value - truth)
    wrong = success & ~(miss <= error + allowance)
    assert not wrong.any(), f"value {value} truth {truth} error {error} success {success}"


@pytest.mark.parametrize(
    "f, mp_f, order",
    [
        (np.cos, mpmath.cos, 9),
        (np.sin, mpmath.sin, 8),
        (np.sin, mpmath.sin, 10),
        (lambda x: np.sqrt(1 + x**2), lambda x: mpmath.sqrt(1 + x**2), 5),
        (lambda x: np.sqrt(1 + x**2), lambda x: mpmath.sqrt(1 + x**2), 9),
        (lambda x: np.tanh(np.cos(x)), lambda x: mpmath.tanh(mpmath.cos(x)), 5),
        (lambda x: np.log1p(x**2), lambda x: mpmath.log1p(x**2), 9),
        (lambda x: np.arctan(np.exp(x)), lambda x: mpmath.atan(mpmath.exp(x)), 8),
    ],
)
def test_high_orders_at_tiny_x_are_never_confidently_wrong(f, mp_f, order):
    """At x = -1e-12 these odd (even) derivatives of even (odd) functions are about x times f's scale: the
    steps resolve them only where rounding is as large, and a first change of the estimates followed by a
    larger one lost in rounding is no sign that the sequence settled."""
    x = -1e-12
    truth = float(mpmath.diff(mp_f, mpmath.mpf(x), order))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = gk.derivative(f, x, order=order, full_output=True)
    _honest(r.value, r.error, r.success, truth)


def test_a_hessian_from_a_long_user_step_searches_for_steps_that_resolve_f():
    """With step=10 the mixed second differences of atan(x - 2y) exp(-z**2) are about 0 at the first steps
    (exp(-(z +- 10)**2) underflows) and agree; the sequence must start where the steps resolve f."""
    point = [-1.251, -1.733, 0.049]

    def mp_f(x, y, z):
        return mpmath.atan(x - 2 * y) * mpmath.exp(-(z**2))

    truth = np.array(
        [
            [float(mpmath.diff(mp_f, point, tuple(int(k == i) + int(k == j) for k in range(3)))) for j in range(3)]
            for i in range(3)
        ]
    )
    r = gk.hessian(lambda p: np.arctan(p[0] - 2 * p[1]) * np.exp(-(p[2] ** 2)), point, step=10.0, full_output=True)
    _honest(r.value, r.error, np.full((3, 3), bool(r.success)), truth)
    assert r.success
    np.testing.assert_allclose(r.value, truth, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize(
    "f, mp_f, point",
    [
        (
            lambda p: p[0] ** 3 * p[1] - 2 * p[0] * p[1] ** 2,
            lambda x, y: x**3 * y - 2 * x * y**2,
            [-1.211, 0.688],
        ),
        (
            lambda p: np.log(1 + p[0] ** 2 + p[1] ** 2),
            lambda x, y: mpmath.log(1 + x**2 + y**2),
            [1.971e-9, -1.162e-9],
        ),
    ],
)
def test_directional_central_takes_the_balanced_step(f, mp_f, point):
    """One central step along v: the step that balances truncation and rounding (as grad's), not an eighth
    of it, whose rounding the error estimate from the same points cannot see (f loses digits inside)."""
    v = np.array([0.6, -0.8])
    grad = [float(mpmath.diff(mp_f, point, (1, 0))), float(mpmath.diff(mp_f, point, (0, 1)))]
    truth = float(np.dot(grad, v))
    r = gk.directional(f, point, v, method="central", full_output=True)
    _honest(r.value, r.error, r.success, truth, allowance=4 * np.finfo(float).eps * abs(truth))
    assert abs(r.value - truth) <= 1e-8 * max(1.0, abs(truth))


@pytest.mark.parametrize("side", ["forward", "backward"])
def test_one_sided_sequences_do_not_take_passing_truncation_for_noise(side):
    """numdifftools' issue 39 function 1 / (exp(x0) + cos(x1) + 10) at (1, 2), one-sided: the first
    extrapolated column's error there passes through zero (every power of h), so one of its changes fails to
    shrink while 1e7 times the rounding; taken for noise, the sequence stopped at a relative error of 5e-6.
    The truth is mpmath's."""

    def mp_f(x, y):
        return 1 / (mpmath.exp(x) + mpmath.cos(y) + 10)

    truth = [float(mpmath.diff(mp_f, (1, 2), (1, 0))), float(mpmath.diff(mp_f, (1, 2), (0, 1)))]
    x = np.array([1.0, 2.0])
    inf = np.full(2, np.inf)
    bounds = (x, inf) if side == "forward" else (-inf, x)
    r = gk.grad(lambda p: 1.0 / (np.exp(p[0]) + np.cos(p[1]) + 10), x, bounds=bounds, full_output=True)
    _honest(r.value, r.error, np.full(2, bool(r.success)), truth)
    assert r.success
    np.testing.assert_allclose(r.value, truth, rtol=1e-10)


@pytest.mark.parametrize(
    "x, options",
    [
        (np.float32(1.0), {"bounds": (1.0, np.inf)}),
        (np.float32(1.0), {"bounds": (-np.inf, 1.0)}),
        (1.0, {"step": 1e-3}),
        (1.0, {"step": 1e-2}),
    ],
)
def test_values_that_cancelled_larger_numbers_carry_their_rounding(x, options):
    """x**5 - 2 x**3 + x near its zero at 1: its values (about 4 h**2) are what is left of 1 - 2 + 1, rounded
    on the grid of those numbers, not to their own precision; the derivative there is exactly 5 - 6 + 1 = 0
    (and the second 20 - 12 = 8)."""
    f = lambda t: t**5 - 2 * t**3 + t  # noqa: E731
    for order, truth in ((1, 0.0), (2, 8.0)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = gk.derivative(f, x, order=order, full_output=True, **options)
        eps = float(np.finfo(np.asarray(x).dtype).eps)
        _honest(float(r.value), float(r.error), bool(r.success), truth, allowance=4 * eps * abs(truth))


@pytest.mark.parametrize("ratio", [1.3, 1.4, 1.5, 1.6])
@pytest.mark.parametrize("side", ["forward", "backward"])
def test_closer_steps_read_as_long_a_stretch_before_trusting_a_start(monkeypatch, ratio, side):
    """Sequences at steps closer than 2.1 apart test as long a stretch of steps for a resolving start (more
    estimates: `settling_rows`): read over four estimates only, cos's 8th to 10th differences at steps of
    whole periods, about 0, passed for resolved at one or another of 101 points of [0, 10] at these ratios
    (1.6: `HIGH_ORDER_RATIO`), and came out as confident wrong answers."""
    from gradkit.function import nth

    monkeypatch.setattr(nth, "HIGH_ORDER_RATIO", ratio)
    x = np.linspace(0, 10, 101)
    inf = np.full(x.shape, np.inf)
    bounds = (x, inf) if side == "forward" else (-inf, x)
    for order in (8, 9, 10):
        r = gk.derivative(np.cos, x, order=order, full_output=True, bounds=bounds)
        truth = [float(mpmath.diff(mpmath.cos, mpmath.mpf(float(p)), order)) for p in x]
        _honest(r.value, r.error, r.success, truth, allowance=1e-14)
