"""Honest at the edges: high orders, functions the complex step cannot take, complex values, bounds, results
per element, single precision, tolerances at every scale, formulas as f, batch sizes.

Oracles: analytic derivatives (cos(x + n pi / 2), polynomials) and 50-digit mpmath values.
"""

import warnings

import numpy as np
import pytest

import gradkit as gk

mpmath = pytest.importorskip("mpmath")


def mp_derivative(function, x: float, order: int) -> float:
    with mpmath.workdps(50):
        return float(mpmath.diff(function, mpmath.mpf(x), order))


def quietly(call, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return call(*args, **kwargs)


# --- 1. Higher orders: steps that resolve f's own scale ---------------------------------------------------


def test_the_tenth_derivative_of_cos_is_not_a_confident_zero():
    result = gk.derivative(np.cos, 0.5, order=10, full_output=True)
    truth = -np.cos(0.5)
    assert abs(result.value - truth) <= result.error < 1e-2  # was -6e-16, error 6e-16, success True


def test_cos_at_101_points_and_orders_1_to_10_has_no_confident_wrong_answer():
    x = np.linspace(0.0, 10.0, 101)
    successes = bounded = 0
    for order in range(1, 11):
        result = quietly(gk.derivative, np.cos, x, order=order, full_output=True)
        truth = np.cos(x + order * np.pi / 2)
        miss = np.abs(result.value - truth)
        assert not np.any(result.success & (miss > result.error + 1e-15)), order
        successes += np.count_nonzero(result.success)
        bounded += np.count_nonzero(result.success & (miss <= result.error))
        assert np.count_nonzero(miss <= result.error) >= 0.95 * x.size, order  # failures are bounded too
    assert bounded >= 0.95 * successes and successes >= 300


SMOOTH = {
    "sin(3x)": (lambda t: np.sin(3 * t), lambda t: mpmath.sin(3 * t)),
    "exp(2x)": (lambda t: np.exp(2 * t), lambda t: mpmath.exp(2 * t)),
    "1/(1+x^2)": (lambda t: 1 / (1 + t**2), lambda t: 1 / (1 + t**2)),
    "log(x+2)": (lambda t: np.log(t + 2), lambda t: mpmath.log(t + 2)),
    "exp(sin(x))": (lambda t: np.exp(np.sin(t)), lambda t: mpmath.exp(mpmath.sin(t))),
    "atan(x)": (np.arctan, mpmath.atan),
}


@pytest.mark.parametrize("name", SMOOTH)
def test_orders_1_to_10_against_mpmath(name):
    f, reference = SMOOTH[name]
    x = np.array([-1.3, -0.2, 0.05, 0.7, 1.9, 3.1])
    rows = []
    for order in range(1, 11):
        result = quietly(gk.derivative, f, x, order=order, full_output=True)
        truth = np.array([mp_derivative(reference, p, order) for p in x])
        rows += list(zip(result.success, np.abs(result.value - truth), result.error, truth, [order] * x.size))
    wrong = [r for r in rows if r[0] and r[1] > r[2] + 4e-16 * abs(r[3])]
    assert not wrong, wrong
    successes = [r for r in rows if r[0]]
    assert sum(r[1] <= r[2] for r in successes) >= 0.95 * len(successes)
    assert all(r[0] for r in rows if r[4] <= 2)  # first and second derivatives of smooth f succeed


def test_high_orders_reach_the_accuracy_double_precision_allows():
    # order 6 at a scale of 1: about 1e-6 relative is what double precision leaves after the n-th differences
    result = quietly(gk.derivative, np.exp, np.array([0.3, 1.0]), order=6, full_output=True, rtol=1e-5)
    assert np.all(result.success) and np.all(np.abs(result.value - np.exp([0.3, 1.0])) <= result.error)


# --- 2. The complex step needs a complex-analytic f ------------------------------------------------------

NOT_ANALYTIC = {
    "abs": (lambda p: abs(p[0]) * p[1], [2.0, 1.0]),
    "np.real": (lambda p: np.real(p[0]) * p[1] ** 2, [4.0, 4.0]),
    "np.conj": (lambda p: np.conj(p[0]) * p[1], [2.0, 1.0]),
    "x * x.conj()": (lambda p: p[0] * p[0].conj() + p[1], [2.0, 1.0]),
    "np.vdot": (lambda p: np.vdot(p, p), [2.0, 4.0]),
}


@pytest.mark.parametrize("name", NOT_ANALYTIC)
def test_the_complex_step_of_a_function_that_is_not_complex_analytic_is_no_success(name):
    f, exact = NOT_ANALYTIC[name]
    result = gk.grad(f, [1.0, 2.0], method="complex", full_output=True)
    assert not result.success and "complex-analytic" in result.message and "np.conj" in result.message
    assert np.all(np.abs(result.value - exact) <= result.error)  # the error covers the central difference too
    with pytest.warns(RuntimeWarning, match="complex-analytic"):
        gk.grad(f, [1.0, 2.0], method="complex")
    # the default method differences f instead
    np.testing.assert_allclose(gk.grad(f, [1.0, 2.0]), exact, rtol=1e-10)


def test_the_elementwise_complex_step_is_checked_too():
    x = np.array([-1.0, 0.5, 2.0])
    result = gk.derivative(lambda t: t * np.conj(t), x, method="complex", full_output=True)
    assert result.status.tolist() == [-2, -2, -2] and "complex-analytic" in result.message
    fine = gk.derivative(lambda t: np.exp(t) * np.sin(t), x, method="complex", full_output=True)
    truth = np.exp(x) * (np.sin(x) + np.cos(x))
    assert np.all(fine.success) and np.all(np.abs(fine.value - truth) <= fine.error)
    with pytest.raises(TypeError, match="keep complex input complex"):
        gk.derivative(np.abs, x, method="complex")


def test_the_complex_step_refuses_a_complex_valued_f():
    with pytest.raises(TypeError, match="real at real x"):
        gk.grad(lambda p: np.exp(1j * p[0]), [0.3], method="complex")


# --- 3. Complex-valued f everywhere ------------------------------------------------------------------------


def test_hessian_of_a_complex_valued_function():
    x = np.array([0.3, 0.4, 0.5])
    result = gk.hessian(lambda p: 1j * np.inner(p, p), x, full_output=True)
    assert result.success and np.all(np.abs(result.value - 2j * np.eye(3)) <= result.error)
    assert np.all(np.abs(result.value - 2j * np.eye(3)) < 1e-9)
    wave = gk.hessian(lambda p: np.exp(1j * p[0]) * p[1] ** 2, [0.7, 1.5], full_output=True)
    exact = np.array([[-np.exp(0.7j) * 2.25, 3j * np.exp(0.7j)], [3j * np.exp(0.7j), 2 * np.exp(0.7j)]])
    assert wave.success and np.all(np.abs(wave.value - exact) <= wave.error)


def test_every_function_takes_a_complex_valued_f():
    f = lambda p: np.exp(1j * p[0]) * p[1]  # noqa: E731
    x = np.array([0.4, 2.0])
    gradient = np.array([2j * np.exp(0.4j), np.exp(0.4j)])
    for result, exact in (
        (gk.grad(f, x, full_output=True), gradient),
        (gk.directional(f, x, [1.0, -1.0], full_output=True), gradient @ [1.0, -1.0]),
        (gk.derivative(lambda t: np.exp(1j * t), x, order=2, full_output=True), -np.exp(1j * x)),
    ):
        assert np.all(result.success) and np.all(np.abs(result.value - exact) <= result.error)
    jac = gk.jacobian(lambda p: np.array([f(p), p[0]]), x, full_output=True)
    assert jac.success and np.all(np.abs(jac.value - [gradient, [1.0, 0.0]]) <= jac.error)


# --- 4. derivative: bounds, and one-sided differences where f is not finite -----------------------------


def test_derivative_redoes_one_sided_where_f_is_not_finite_and_keeps_to_bounds():
    def f(t, seen=None):
        if seen is not None:
            seen.append(np.asarray(t).copy())
        return np.where((t >= 0) & (t <= 2), np.sqrt(t + 1), np.nan)

    x = np.linspace(0.0, 2.0, 10)
    exact = 0.5 / np.sqrt(x + 1)
    redone = gk.derivative(f, x, full_output=True)
    assert np.all(redone.success) and np.all(np.abs(redone.value - exact) <= redone.error)
    assert "forward" in redone.message and "backward" in redone.message
    seen = []
    bounded = gk.derivative(lambda t: f(t, seen), x, bounds=(0, 2), full_output=True)
    assert np.all(bounded.success) and np.all(np.abs(bounded.value - exact) <= bounded.error)
    points = np.concatenate([np.ravel(s) for s in seen])
    assert points.min() >= 0.0 and points.max() <= 2.0 and "near a bound" in bounded.message
    for order in (2, 3):
        result = quietly(gk.derivative, lambda t: f(t), x, order=order, bounds=(0, 2), full_output=True)
        truth = np.array([mp_derivative(lambda t: mpmath.sqrt(t + 1), p, order) for p in x])
        assert np.all(np.abs(result.value - truth) <= result.error), order
    central = gk.derivative(f, x, method="central", full_output=True)
    assert np.all(np.abs(central.value - exact) <= central.error) and np.all(central.success)


def test_derivative_bounds_hold_for_the_precision_probe_too():
    # t**2 at 2.0 gives float32 numbers: one more point off float32's grid tells exact arithmetic from single
    # precision, and it must lie inside the bounds as every other point
    seen = []
    result = gk.derivative(
        lambda t: seen.append(np.max(t)) or t**2, np.array([0.5, 2.0]), bounds=(0, 2), full_output=True
    )
    assert max(seen) <= 2.0 and np.all(result.success)
    assert np.all(np.abs(result.value - [1.0, 4.0]) <= result.error)


def test_derivative_bounds_are_checked():
    with pytest.raises(ValueError, match="inside bounds"):
        gk.derivative(np.sin, np.array([0.5, 3.0]), bounds=(0, 2))


# --- 5. Results per element ---------------------------------------------------------------------------------


def test_one_bad_element_leaves_the_others_standing():
    x = np.array([[0.5, -1.0], [2.0, 4.0]])
    result = gk.derivative(np.log, x, full_output=True)
    assert result.value.shape == result.error.shape == result.success.shape == result.nfev.shape == x.shape
    assert result.status.tolist() == [[0, -3], [0, 0]] and result.success.tolist() == [[True, False], [True, True]]
    assert np.isnan(result.value[0, 1]) and "f(x) is not finite (element (0, 1))" in result.message
    good = result.success
    np.testing.assert_allclose(result.value[good], 1 / x[good], rtol=1e-12)
    assert result.nfev[0, 1] <= 2 and np.all(result.nfev[good] > 2)
    with pytest.warns(RuntimeWarning, match="not finite"):
        value = gk.derivative(np.log, x)
    np.testing.assert_allclose(value[good], 1 / x[good], rtol=1e-12)


def test_a_kink_fails_its_own_element_only():
    result = gk.derivative(np.abs, np.array([-1.0, 0.0, 1.0]), full_output=True)
    assert result.status.tolist() == [0, -2, 0] and result.value[[0, 2]].tolist() == [-1.0, 1.0]


# --- 6. float32 in, float32 out ---------------------------------------------------------------------------


def test_float32_in_float32_out_with_single_precision_steps():
    x32 = np.array([0.5, 1.0, 2.0], dtype=np.float32)
    seen = []

    def sine(t):
        seen.append(np.asarray(t).dtype)
        return np.sin(t)

    for method in ("richardson", "central", "complex"):
        result = gk.derivative(sine, x32, method=method, full_output=True)
        assert result.value.dtype == result.error.dtype == np.float32, method
        truth = np.cos(x32.astype(np.float64))
        assert np.all(result.success) and np.all(np.abs(result.value - truth) <= result.error), method
        assert np.all(result.error < 1e-3), method
    assert set(seen) <= {np.dtype(np.float32), np.dtype(np.complex64)}  # f computes as the caller does
    p32 = np.array([0.3, -0.7], dtype=np.float32)
    gauss = lambda p: np.exp(-(p[0] ** 2) - p[1] ** 2)  # noqa: E731
    exact = -2 * p32.astype(np.float64) * gauss(p32.astype(np.float64))
    for method in ("richardson", "central", "forward", "complex"):
        result = gk.grad(gauss, p32, method=method, full_output=True)
        assert result.value.dtype == np.float32 and result.success, method
        assert np.all(np.abs(result.value - exact) <= result.error), method
    hessian = gk.hessian(gauss, p32, full_output=True)
    exact = gk.hessian(gauss, p32.astype(np.float64))
    assert hessian.value.dtype == np.float32 and np.all(np.abs(hessian.value - exact) <= hessian.error)
    assert gk.jacobian(lambda p: np.stack([p[0] * p[1], p[0]]), p32).dtype == np.float32
    assert gk.grad(gauss, p32.astype(np.float64)).dtype == np.float64  # float64 unchanged


def test_f_flat_at_tiny_steps_is_not_a_zero_derivative():
    # log(1 + x^2 + y^2) at 1e-9: 1 + x^2 rounds to 1, so f is exactly 0 at every step relative to |x|; the unit
    # scale sees the derivative. In float32 at 1e-4 f is exactly 0 at every step of y on both scales: no estimate.
    f = lambda p: np.log(1 + p[0] ** 2 + p[1] ** 2)  # noqa: E731
    x = np.array([1.124e-9, 4.23e-10])
    exact = 2 * x / (1 + x @ x)
    for result in (gk.grad(f, x, full_output=True), gk.hessian(f, x, full_output=True)):
        truth = exact if result.value.ndim == 1 else 2 * np.eye(2)
        assert np.all(np.abs(result.value - truth) <= result.error)
    assert gk.grad(f, x, full_output=True).success
    x32 = np.array([1.124e-4, 4.23e-5], dtype=np.float32)
    single = quietly(gk.grad, f, x32, full_output=True)
    assert not single.success and np.all(np.abs(single.value - 2 * x32.astype(float)) <= single.error)
    assert "round to one number" in single.message
    ignored = gk.grad(lambda p: np.sin(p[0]) + 0 * p[1], [0.5, 1e-9], full_output=True)
    assert ignored.success and ignored.value[1] == 0  # f that ignores a coordinate: an exact zero stands


# --- 7. Tolerances that mean something at every scale -------------------------------------------------------


@pytest.mark.parametrize("scale", [1e-13, 1e13])
def test_success_does_not_depend_on_the_scale_of_f(scale):
    f = lambda p: np.exp(p[0]) * np.sin(p[1])  # noqa: E731
    scaled = lambda p: scale * f(p)  # noqa: E731
    x = np.array([0.3, 1.2])
    exact = scale * np.exp(0.3) * np.array([[np.sin(1.2), np.cos(1.2)], [np.cos(1.2), -np.sin(1.2)]])
    # one step of central second differences: about 1e-6 relative, never within rtol=1e-8 at any scale (with a
    # fixed atol of 1e-12, the problem of size 1e-13 succeeded at any error)
    central = quietly(gk.hessian, scaled, x, method="central", full_output=True)
    assert not central.success and np.all(np.abs(central.value - exact) <= central.error)
    adaptive = gk.hessian(scaled, x, full_output=True)
    assert adaptive.success and np.all(np.abs(adaptive.value - exact) <= adaptive.error)
    for call, options in (
        (gk.grad, {"method": "forward", "accuracy": 1}),
        (gk.grad, {"method": "central"}),
        (gk.grad, {}),
        (gk.hessian, {"method": "central"}),
        (gk.derivative, {"order": 3}),
    ):
        point = np.array([0.3]) if call is gk.derivative else x
        plain = quietly(
            call, (lambda t: np.exp(t) * np.sin(t)) if call is gk.derivative else f, point, full_output=True, **options
        )
        big = quietly(
            call,
            (lambda t: scale * np.exp(t) * np.sin(t)) if call is gk.derivative else scaled,
            point,
            full_output=True,
            **options,
        )
        assert np.all(plain.success == big.success), (call.__name__, options)


def test_the_two_ion_potential_of_numdifftools_at_its_tiny_scale():
    # numdifftools' test_hessian.py: two ions in a 1 MHz trap, at equilibrium +-a (a few micrometres); f is
    # about 1e-23 J and the Hessian 5e-12. One central step of 1.2e-4 spans the whole chain: 50% off.
    constants = pytest.importorskip("scipy.constants")
    w, m = 2 * np.pi * 1e6, 39.96 * 1.66e-27
    coulomb = constants.e**2 / (4 * np.pi * constants.epsilon_0)
    potential = lambda x: 0.5 * m * w**2 * np.sum(x**2) + coulomb / abs(x[0] - x[1])  # noqa: E731
    a = (coulomb / (4 * m * w**2)) ** (1 / 3)
    k = 2 * coulomb / (2 * a) ** 3
    exact = np.array([[m * w**2 + k, -k], [-k, m * w**2 + k]])
    central = quietly(gk.hessian, potential, np.array([-a, a]), method="central", full_output=True)
    assert np.abs(central.value - exact).max() > 0.4 * np.abs(exact).max()
    assert not central.success  # a fixed atol of 1e-12 made this a success
    adaptive = gk.hessian(potential, np.array([-a, a]), full_output=True)
    assert adaptive.success and np.all(np.abs(adaptive.value - exact) <= adaptive.error)


def test_a_zero_derivative_on_f_own_scale_still_succeeds():
    # at a minimum the gradient is rounding on f's scale; the default atol is rtol times f's size near x
    result = gk.grad(lambda p: 1e-13 * (np.cosh(p[0]) + p[1] ** 2), [0.0, 0.0], full_output=True)
    assert result.success and np.all(np.abs(result.value) <= result.error)
    explicit = gk.grad(lambda p: 1e-13 * np.exp(p[0]), [0.5], method="forward", atol=1e-12, full_output=True)
    assert explicit.success  # an explicit atol is the caller's


@pytest.mark.parametrize("scale", [1e20, 1e150, 1e160, 1e200, 1e300])
@pytest.mark.parametrize("method", ["richardson", "central"])
def test_second_derivatives_at_huge_x(scale, method):
    """At |x| = s the steps are about s / 1e4, and h**2 overflows beyond s = 1e154 where the second
    differences over it do not: f = (x/s) (y/s) s + (x/s)**3 s has exact second derivatives 6/s and 1/s
    (representable up to s = 1e300). They were a confident 0 (hessian) or an OverflowError (its default atol);
    every method now finds them, within its error."""
    f = lambda p: (p[0] / scale) * (p[1] / scale) * scale + (p[0] / scale) ** 3 * scale  # noqa: E731
    exact = np.array([[6.0, 1.0], [1.0, 0.0]]) / scale
    r = quietly(gk.hessian, f, np.full(2, scale), method=method, full_output=True)
    assert np.all(np.abs(r.value - exact) <= r.error + 1e-15 / scale)
    np.testing.assert_allclose(r.value * scale, exact * scale, atol=1e-6)
    cube = lambda x: (x / scale) ** 3 * scale  # noqa: E731
    d = quietly(gk.derivative, cube, scale, order=2, method=method, full_output=True)
    assert abs(d.value - 6 / scale) <= d.error + 1e-15 / scale
    np.testing.assert_allclose(d.value * scale, 6.0, rtol=1e-6)


# --- 8. An Expression as f: exact -------------------------------------------------------------------------


def test_an_expression_is_differentiated_exactly():
    sympy = pytest.importorskip("sympy")
    e = gk.Expression("x^2*y + exp(y)")
    point = [1.0, 2.0]
    x, y = sympy.symbols("x y")
    tree = x**2 * y + sympy.exp(y)
    gradient = [float(sympy.diff(tree, v).subs({x: 1, y: 2})) for v in (x, y)]
    hessian = [[float(sympy.diff(tree, a, b).subs({x: 1, y: 2})) for b in (x, y)] for a in (x, y)]
    for result, exact in (
        (gk.grad(e, point, full_output=True), gradient),
        (gk.jacobian(e, point, full_output=True), gradient),
        (gk.hessian(e, point, full_output=True), hessian),
        (gk.directional(e, point, [1.0, -2.0], full_output=True), gradient[0] - 2 * gradient[1]),
    ):
        assert result.method == "exact" and result.nfev == 0 and result.success
        np.testing.assert_array_equal(result.error, 0.0)
        np.testing.assert_allclose(result.value, exact, rtol=1e-15)
    assert gk.grad(e, point, wrt=[1]).tolist() == pytest.approx([gradient[1]], rel=1e-15)
    sine = gk.derivative(gk.Expression("sin(t)"), np.array([0.0, 1.0]), order=3, full_output=True)
    np.testing.assert_allclose(sine.value, -np.cos([0.0, 1.0]), rtol=1e-15)
    assert sine.nfev.tolist() == [0, 0] and np.all(sine.success) and np.all(sine.error == 0)
    numerical = gk.grad(e, point, method="richardson", full_output=True)  # other methods difference it
    assert numerical.method == "richardson" and np.all(np.abs(numerical.value - gradient) <= numerical.error)
    with pytest.raises(ValueError, match="exactly"):
        gk.grad(e, point, step=1e-3)
    with pytest.raises(ValueError, match="one value per variable"):
        gk.grad(e, [1.0])


# --- 9. vectorized=True picks a cache-sized batch --------------------------------------------------------


def test_vectorized_true_picks_a_cache_sized_batch_and_an_int_overrides_it():
    from gradkit.function.evaluate import CACHE_BYTES

    x = np.linspace(-1.0, 1.0, 1000)
    for vectorized, largest in ((True, CACHE_BYTES // (8 * x.size)), (500, 500)):
        sizes = []
        value = gk.grad(lambda p, sizes=sizes: sizes.append(len(p)) or np.sum(p**2, axis=1), x, vectorized=vectorized)
        np.testing.assert_allclose(value, 2 * x, atol=1e-9)
        assert max(sizes) == largest and sum(sizes) >= 2 * x.size
    small = []
    gk.grad(lambda p: small.append(len(p)) or np.sum(p**2, axis=1), [1.0, 2.0], vectorized=True)
    assert max(small) > 1  # a small x still goes in batches


def test_directional_bounds_mean_the_same_with_and_without_a_step():
    # f is undefined below x = 4; bounds=(0, inf) on t keeps every point of the line at x >= 4
    def f(p):
        return (p[0] - 4.0) ** 2 if p[0] >= 4.0 else np.nan

    for options in ({}, {"step": 1e-3}):
        r = gk.directional(f, [4.0], [1.0], bounds=([0.0], [np.inf]), full_output=True, **options)
        assert "near a bound" in r.message
        assert abs(r.value) <= max(r.error, 1e-6)


@pytest.mark.parametrize("option", [{"args": (3,)}, {"kwargs": {"a": 1}}, {"workers": 2}])
def test_a_formula_refuses_options_it_would_ignore(option):
    formula = gk.Expression("x^2*y")
    with pytest.raises(ValueError, match=next(iter(option))):
        gk.grad(formula, [1.0, 2.0], **option)
    with pytest.raises(ValueError, match=next(iter(option))):
        gk.hessian(formula, [1.0, 2.0], **option)
    with pytest.raises(ValueError, match=next(iter(option))):
        gk.directional(formula, [1.0, 2.0], [1.0, 0.0], **option)
