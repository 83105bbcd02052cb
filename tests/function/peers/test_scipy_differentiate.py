"""scipy.differentiate's own test suite (scipy/differentiate/tests/test_differentiate.py), ported case by case.

Each test names the scipy test it comes from. The inputs and the expected values are scipy's; where gradkit
differs on purpose the test says how and why. The differences that recur:

- gradkit's `derivative` takes the *largest* step (`step=`) and shrinks it itself; it has no `initial_step`,
  `step_factor`, `maxiter` or `callback`, so scipy's cases that only exercise those knobs are translated
  into what they check (a smaller step is more accurate; per-element steps are honoured) or left out.
- scipy's `step_direction` (one-sided differences chosen by the caller) is gradkit's `bounds=` (the caller
  names the box, gradkit picks the side) and its one-sided redo where f is not finite.
- scipy's `jacobian`/`hessian` treat trailing dimensions of x as a batch of independent points; gradkit
  differentiates with respect to the whole array x, so a batch is a loop over points here.
- scipy's `order` is the order of accuracy of its finite-difference formula (it computes first derivatives
  only); gradkit's `order` is the order of the derivative. scipy's `order` is gradkit's `accuracy` of
  method="central", and the default Richardson method has no such knob (it extrapolates as far as f allows).
- Not ported, for want of a counterpart: test_maxiter_callback (no `maxiter`, no `callback`),
  test_flags_preserve_shape (per-output status codes of one call; gradkit's `jacobian` judges a call as a
  whole, and its per-element results belong to the elementwise `derivative`, ported in test_flags).
- gradkit reports errors by raising (`TypeError`/`ValueError` naming the argument) where scipy returns a
  status code, and returns plain arrays or a `Result`, not a scipy `_RichResult`.
"""

import math
import warnings

import numpy as np
import pytest
from scipy import optimize, special, stats
from scipy.stats._distr_params import distcont

import gradkit as gk

EPS64 = np.finfo(np.float64).eps
EPS32 = np.finfo(np.float32).eps
# scipy's xp_assert_close default tolerance for a dtype: 4 * sqrt(eps)
RTOL64 = 4 * EPS64**0.5
RTOL32 = 4 * EPS32**0.5


def ndtr_pdf(x):
    """The standard normal density, the exact derivative of special.ndtr."""
    return np.exp(-(np.asarray(x, dtype=np.float64) ** 2) / 2) / math.sqrt(2 * math.pi)


def per_element(result, shape):
    """success of a per-element `derivative` result, as an array of x's shape (issue: results per element)."""
    success = np.asarray(result.success)
    assert success.shape == shape, f"success should have x's shape {shape}, got {success.shape}"
    return success


# --- TestDerivative ------------------------------------------------------------------------------------


@pytest.mark.parametrize("x", [0.6, np.linspace(-0.05, 1.05, 10)])
def test_basic(x):
    """scipy TestDerivative.test_basic: d/dx ndtr = the normal pdf, and the error bounds the true error."""
    r = gk.derivative(special.ndtr, x, full_output=True)
    ref = ndtr_pdf(x)
    np.testing.assert_allclose(r.value, ref, rtol=RTOL64)
    assert np.all(np.abs(r.value - ref) < r.error)
    assert np.all(per_element(r, np.shape(x)))


def test_accuracy_distributions():
    """scipy TestDerivative.test_accuracy: for every continuous distribution in scipy's test parameters, the
    derivative of its cdf at median + 0.1 is its pdf (scipy's atol=1e-10 and default rtol)."""
    wrong = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # some scipy cdfs warn about their own integration
        for name, params in distcont:
            dist = getattr(stats, name)(*params)
            x = dist.median() + 0.1
            value = gk.derivative(dist.cdf, x)
            ref = dist.pdf(x)
            if not abs(value - ref) <= 1e-10 + RTOL64 * abs(ref):
                wrong.append((name, float(x), float(value), float(ref)))
    assert not wrong, wrong


@pytest.mark.parametrize("method, accuracy", [("richardson", 2), ("central", 2), ("central", 6)])
@pytest.mark.parametrize("shape", [(), (12,), (3, 4), (3, 2, 2)])
def test_vectorization(method, accuracy, shape):
    """scipy TestDerivative.test_vectorization: one call over an array gives, element by element, what a
    call at each element alone gives (value, error, success, nfev), in x's shape.

    gradkit differs: the values and errors of one element may move a little with the others (a shared
    step sequence), so they are compared to within the reported errors rather than exactly; nfev per
    element must be at least the single call's (the batch may run longer for its slowest element). scipy's
    formula orders 1 and 6 are central stencils of accuracy 2 and 6 here, and the Richardson method."""
    x = np.linspace(-0.05, 1.05, 12).reshape(shape) if shape else np.float64(0.6)
    options = {"method": method, "accuracy": accuracy}
    r = gk.derivative(special.ndtr, x, full_output=True, **options)
    assert np.shape(r.value) == np.shape(x) == np.shape(r.error)
    success = per_element(r, np.shape(x))
    assert np.shape(r.nfev) == np.shape(x)
    for index in np.ndindex(np.shape(x)):
        alone = gk.derivative(special.ndtr, float(x[index]), full_output=True, **options)
        tolerance = np.asarray(r.error)[index] + alone.error
        assert abs(np.asarray(r.value)[index] - alone.value) <= tolerance
        assert bool(success[index]) == bool(alone.success)
        assert np.asarray(r.status)[index] == np.asarray(alone.status)
        assert np.asarray(r.nfev)[index] >= np.asarray(alone.nfev)


def test_flags():
    """scipy TestDerivative.test_flags: four elements, each failing its own way, in one call: converged,
    error increases (noise), not converged to rtol=1e-14 with scipy's order-2 formula, NaN. Each element's
    status is its own: the line succeeds, the noisy one does not, the NaN element is NaN and unsuccessful,
    and exp (which gradkit's Richardson method may well resolve to 1e-14) is honest either way. gradkit
    has no status codes; success per element and the value carry them (scipy: _ECONVERGED,
    _EERRORINCREASE, _ECONVERR, _EVALUEERR)."""
    rng = np.random.default_rng(5651219684984213)

    def f(xs, js):
        funcs = [
            lambda x: x - 2.5,
            lambda x: np.exp(x) * rng.random(),
            lambda x: np.exp(x),
            lambda x: np.full_like(x, np.nan),
        ]
        return np.stack([funcs[int(j)](x) for x, j in zip(xs, js)])

    r = gk.derivative(f, np.ones(4), rtol=1e-14, args=(np.arange(4),), full_output=True)
    success = per_element(r, (4,))
    assert success[[0, 1, 3]].tolist() == [True, False, False]
    assert abs(r.value[0] - 1.0) <= r.error[0] <= 1e-13
    assert not success[2] or abs(r.value[2] - np.e) <= r.error[2]
    assert np.isnan(r.value[3])
    assert np.isfinite(r.value[:3]).all()
    # gradkit's status codes (docs: 0 success, -1 tolerance not met, -2 not differentiable, -3 not finite)
    # say the same per element: scipy's _EVALUEERR for the NaN element is gradkit's -3
    status = np.asarray(r.status)
    assert status.shape == (4,) and np.array_equal(status == 0, success)
    assert status[3] == -3


def test_preserve_shape():
    """scipy TestDerivative.test_preserve_shape: f of a scalar returning 4 values. gradkit's `derivative` is
    elementwise only; a scalar-to-vector f is `jacobian`'s job (x of shape (1,))."""

    def f(x):
        x = x[0]
        return np.stack([x, np.sin(3 * x), x + np.sin(10 * x), np.sin(20 * x) * (x - 1) ** 2])

    ref = [1.0, 3.0, 11.0, 20.0]  # at 0: 1, 3cos(0), 1 + 10cos(0), 20cos(0)(0-1)^2 + 0
    r = gk.jacobian(f, [0.0], full_output=True)
    np.testing.assert_allclose(r.value[:, 0], ref, rtol=RTOL64)
    assert r.success and np.all(np.abs(r.value[:, 0] - ref) <= r.error[:, 0])


@pytest.mark.parametrize("tol", [1e-3, 1e-6])
@pytest.mark.parametrize("kind", ["atol", "rtol"])
def test_convergence(kind, tol):
    """scipy TestDerivative.test_convergence: with only atol (or only rtol) set, d/dx ndtr at 1 (scipy: with
    its order-4 formula) meets it. gradkit's tolerances decide `success`, not when to stop (it always runs
    to the rounding floor), so scipy's "a tighter tolerance gives a more accurate answer" does not carry
    over; "success means the tolerance is met" does."""
    ref = ndtr_pdf(1.0)
    tolerances = {"atol": 0.0, "rtol": 0.0, kind: tol}
    r = gk.derivative(special.ndtr, 1.0, full_output=True, **tolerances)
    assert r.success
    assert abs(r.value - ref) < (tol if kind == "atol" else tol * abs(ref))
    assert abs(r.value - ref) <= r.error


def test_step_parameters():
    """scipy TestDerivative.test_step_parameters: a smaller step is more accurate for one step
    (initial_step=0.5 against 0.05 with maxiter=1). gradkit: method="central" takes exactly `step`.
    step_factor has no counterpart (gradkit chooses its own ratio)."""
    ref = ndtr_pdf(1.0)
    coarse = gk.derivative(special.ndtr, 1.0, method="central", step=0.5)
    fine = gk.derivative(special.ndtr, 1.0, method="central", step=0.05)
    assert abs(fine - ref) < abs(coarse - ref)


def exp_on_0_2(x):
    """exp, NaN outside [0, 2] (scipy's test_step_direction)."""
    return np.where((x < 0) | (x > 2), np.nan, np.exp(x))


def test_step_direction_bounds():
    """scipy TestDerivative.test_step_direction: f is NaN outside [0, 2]; derivatives at 10 points of [0, 2]
    are exp(x) and all succeed. scipy's caller-chosen step_direction is gradkit's bounds=(0, 2)."""
    x = np.linspace(0, 2, 10)
    r = gk.derivative(exp_on_0_2, x, bounds=(0, 2), full_output=True)
    np.testing.assert_allclose(r.value, np.exp(x), rtol=RTOL64)
    assert np.all(per_element(r, x.shape))


def test_step_direction_nan_redo():
    """scipy TestDerivative.test_step_direction, without telling gradkit the domain: its one-sided redo where
    f is not finite on one side (issue 19, finding 4) must find the same answers."""
    x = np.linspace(0, 2, 10)
    r = gk.derivative(exp_on_0_2, x, full_output=True)
    np.testing.assert_allclose(r.value, np.exp(x), rtol=RTOL64)
    assert np.all(np.abs(r.value - np.exp(x)) <= r.error)


def powers():
    """scipy's test_vectorized_step_direction_args points and exponents, broadcast to one (4, 3, 2) shape:
    gradkit's f must return x's shape."""
    x = np.broadcast_to(np.reshape([1.0, 2.0, 3.0, 4.0], (-1, 1, 1)), (4, 3, 2)).copy()
    p = np.broadcast_to(np.reshape([2.0, 3.0], (1, 1, -1)), (4, 3, 2)).copy()
    return x, p


def test_vectorized_args():
    """scipy TestDerivative.test_vectorized_step_direction_args, without step directions: d/dx x**p =
    p x**(p-1) for x in 1..4 and p in (2, 3), p passed through args as an array of x's shape (each element
    of x gets its own p)."""
    x, p = powers()
    r = gk.derivative(lambda x, p: x**p, x, args=(p,), full_output=True)
    np.testing.assert_allclose(r.value, p * x ** (p - 1), rtol=RTOL64)
    assert np.all(per_element(r, x.shape))


def test_vectorized_step_direction_args():
    """scipy TestDerivative.test_vectorized_step_direction_args: as test_vectorized_args, with the step
    directions (-1, 0, 1) along the second axis, which are bounds excluding the other side here."""
    x, p = powers()
    side = np.broadcast_to(np.reshape([-1, 0, 1], (1, -1, 1)), (4, 3, 2))
    lower = np.where(side == 1, x, -np.inf)
    upper = np.where(side == -1, x, np.inf)
    r = gk.derivative(lambda x, p: x**p, x, args=(p,), bounds=(lower, upper), full_output=True)
    np.testing.assert_allclose(r.value, p * x ** (p - 1), rtol=RTOL64)
    assert np.all(per_element(r, x.shape))


def test_initial_step():
    """scipy TestDerivative.test_initial_step: d/dx exp at 0 with scipy's order-2 formula (gradkit: central,
    accuracy 2) and one step h0 in logspace(-3, 0, 10): the error shrinks with the step, and a per-element
    step gives the same as the steps taken one at a time (scipy: rtol 1e-14)."""
    h0 = np.logspace(-3, 0, 10)
    x = np.zeros_like(h0)
    together = gk.derivative(np.exp, x, method="central", step=h0)
    err = np.abs(together - 1.0)
    assert np.all(err[:-1] < err[1:])
    one_by_one = [gk.derivative(np.exp, 0.0, method="central", step=h) for h in h0]
    np.testing.assert_allclose(together, one_by_one, rtol=1e-14)


@pytest.mark.parametrize("bounded", [None, "below", "above"])
@pytest.mark.parametrize("x", [0.65, [0.65, 0.7]])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype(bounded, x, dtype):
    """scipy TestDerivative.test_dtype: d/dx exp (scipy: its order-4 formula) in float32 and float64 (centred
    and one-sided, here through bounds): value and error keep x's dtype, and the value is within sqrt(eps) of exp(x).
    scipy also asserts f is called with x's dtype; gradkit may evaluate in a wider type (issue 19 asks only
    for float32 out, with steps suited to it), so that part is not asserted."""
    x = np.asarray(x, dtype=dtype)
    bounds = {None: None, "below": (x, np.inf), "above": (-np.inf, x)}[bounded]
    options = {} if bounds is None else {"bounds": bounds}
    r = gk.derivative(np.exp, x, full_output=True, **options)
    assert np.asarray(r.value).dtype == dtype
    assert np.asarray(r.error).dtype == dtype
    truth = np.exp(x.astype(np.float64))
    np.testing.assert_allclose(np.asarray(r.value, dtype=np.float64), truth, rtol=np.finfo(dtype).eps ** 0.5)


def test_input_validation():
    """scipy TestDerivative.test_input_validation, with gradkit's exceptions: a TypeError for the wrong type,
    a ValueError for a bad value, each naming the argument (scipy raises ValueError for all)."""
    with pytest.raises(TypeError, match="f must be callable"):
        gk.derivative(None, 1.0)
    with pytest.raises(TypeError, match=r"x must be .*real"):
        gk.derivative(lambda x: x, -4 + 1j)
    with pytest.raises(ValueError, match="elementwise"):
        gk.derivative(lambda x: np.array([1.0, 2.0, 3.0]), np.array([-2.0, -3.0]))
    with pytest.raises(ValueError, match="atol"):
        gk.derivative(lambda x: x, 1.0, atol=-1)
    with pytest.raises(TypeError, match="rtol"):
        gk.derivative(lambda x: x, 1.0, rtol="ekki")
    with pytest.raises((TypeError, ValueError), match="order"):
        gk.derivative(lambda x: x, 1.0, order=1.5)
    with pytest.raises(ValueError, match="order"):
        gk.derivative(lambda x: x, 1.0, order=0)


def test_special_cases_integer_x():
    """scipy TestDerivative.test_special_cases: an integer x is not passed to f as integers (x**99 would
    overflow): d/dx (x**99 - 1) at 7 is 99 * 7**98, with rtol=1e-10 it succeeds."""
    seen = []

    def f(x):
        seen.append(np.asarray(x).dtype)
        return x**99 - 1

    r = gk.derivative(f, 7, rtol=1e-10, full_output=True)
    assert all(np.issubdtype(d, np.floating) for d in seen)
    assert r.success
    np.testing.assert_allclose(r.value, 99 * 7.0**98, rtol=RTOL64)


def test_special_cases_zero_step():
    """scipy TestDerivative.test_special_cases: initial_step=0 gives NaN with status -3 in scipy; gradkit
    raises a ValueError naming step instead (a step that does not move x is a mistake of the caller)."""
    with pytest.raises(ValueError, match="step"):
        gk.derivative(np.exp, 1.0, step=0.0)


@pytest.mark.parametrize("n", range(6))
def test_special_cases_polynomials(n):
    """scipy TestDerivative.test_special_cases: d/dx 2 x**n at 1.5 with a formula of order max(1, n) and
    scipy's initial step 0.5 is exact to rtol 1e-15 (gradkit: central, the even accuracy >= n, step 0.5);
    the default method succeeds on it, honestly (scipy's nit == 2 has no counterpart)."""
    ref = 2.0 * n * 1.5 ** (n - 1)
    accuracy = max(2, n + n % 2)
    one_step = gk.derivative(lambda x: 2 * x**n, 1.5, method="central", accuracy=accuracy, step=0.5)
    np.testing.assert_allclose(one_step, ref, rtol=1e-15, atol=1e-15)
    r = gk.derivative(lambda x: 2 * x**n, 1.5, full_output=True)
    assert r.success and abs(r.value - ref) <= r.error


def test_special_cases_args():
    """scipy TestDerivative.test_special_cases: d/dx (c x - 1) at 2 with c = 3 passed through args (scipy
    takes a bare scalar; gradkit takes a tuple, as scipy.optimize does)."""
    assert gk.derivative(lambda x, c: c * x - 1, 2.0, args=(3.0,)) == pytest.approx(3.0, rel=1e-14)


@pytest.mark.parametrize(
    "f",
    [lambda x: (x - 1) ** 3, lambda x: np.where(x > 1, (x - 1) ** 5, (x - 1) ** 3)],
    ids=["cube", "piecewise"],
)
def test_saddle_gh18811(f):
    """scipy TestDerivative.test_saddle_gh18811 (an xfail in scipy: it does not converge where f' = 0): with
    atol=1e-16, gradkit either succeeds with |f'(1)| = 0 within its error, or says it did not succeed."""
    r = gk.derivative(f, 1.0, atol=1e-16, full_output=True)
    assert abs(r.value) <= r.error or not r.success
    if r.success:
        assert abs(r.value) <= 1e-15


# --- JacobianHessianTest.test_iv --------------------------------------------------------------------------


@pytest.mark.parametrize("function", [gk.jacobian, gk.hessian])
def test_iv(function):
    """scipy JacobianHessianTest.test_iv: negative tolerances are rejected, naming the argument. scipy also
    rejects a scalar x; gradkit accepts one (a 0-d point), and has no order/maxiter/step_factor here."""
    x = np.ones(3)
    with pytest.raises(ValueError, match="atol"):
        function(optimize.rosen, x, atol=-1)
    with pytest.raises(ValueError, match="rtol"):
        function(optimize.rosen, x, rtol=-1)
    with pytest.raises(ValueError, match="step"):
        function(optimize.rosen, x, step=-1.0)


# --- TestJacobian -----------------------------------------------------------------------------------------
# Example functions and Jacobians from Wikipedia, as in scipy's test; (m, n) = (inputs, outputs).


def f1(z):
    x, y = z
    return np.stack([x**2 * y, 5 * x + np.sin(y)])


def df1(z):
    x, y = z
    return [[2 * x * y, x**2], [5.0, np.cos(y)]]


def f2(z):
    r, phi = z
    return np.stack([r * np.cos(phi), r * np.sin(phi)])


def df2(z):
    r, phi = z
    return [[np.cos(phi), -r * np.sin(phi)], [np.sin(phi), r * np.cos(phi)]]


def f3(z):
    r, phi, th = z
    return np.stack([r * np.sin(phi) * np.cos(th), r * np.sin(phi) * np.sin(th), r * np.cos(phi)])


def df3(z):
    r, phi, th = z
    return [
        [np.sin(phi) * np.cos(th), r * np.cos(phi) * np.cos(th), -r * np.sin(phi) * np.sin(th)],
        [np.sin(phi) * np.sin(th), r * np.cos(phi) * np.sin(th), r * np.sin(phi) * np.cos(th)],
        [np.cos(phi), -r * np.sin(phi), 0.0],
    ]


def f4(x):
    x1, x2, x3 = x
    return np.stack([x1, 5 * x3, 4 * x2**2 - 2 * x3, x3 * np.sin(x1)])


def df4(x):
    x1, x2, x3 = x
    return [[1.0, 0.0, 0.0], [0.0, 0.0, 5.0], [0.0, 8 * x2, -2.0], [x3 * np.cos(x1), 0.0, np.sin(x1)]]


def f5(x):
    x1, x2, x3 = x
    return np.stack([5 * x2, 4 * x1**2 - 2 * np.sin(x2 * x3), x2 * x3])


def df5(x):
    x1, x2, x3 = x
    return [[0.0, 5.0, 0.0], [8 * x1, -2 * x3 * np.cos(x2 * x3), -2 * x2 * np.cos(x2 * x3)], [0.0, x3, x2]]


EXAMPLES = {"f1": (f1, df1, 2), "f2": (f2, df2, 2), "f3": (f3, df3, 3), "f4": (f4, df4, 3), "f5": (f5, df5, 3)}
EXAMPLES["rosen"] = (optimize.rosen, optimize.rosen_der, 5)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", [(), (6,), (2, 3)])
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_jacobian_examples(name, size, dtype):
    """scipy TestJacobian.test_examples: the Jacobians at scipy's random points (seed 458912319542), atol
    1e-10 in float64 and 1.99e-3 in float32, and the Jacobian keeps x's dtype. scipy's trailing `size`
    dimensions are a batch of points; gradkit differentiates with respect to all of x, so each point of
    the batch is its own call."""
    func, ref_func, m = EXAMPLES[name]
    atol = 1e-10 if dtype == np.float64 else 1.99e-3
    x = np.random.default_rng(458912319542).random(size=(m, *size))
    points = x.reshape(m, -1).T
    for point in points:
        value = gk.jacobian(func, point.astype(dtype))
        assert value.dtype == dtype
        ref = np.asarray(np.asarray(ref_func(point), dtype=np.float64))
        np.testing.assert_allclose(
            value.astype(np.float64), ref, atol=atol, rtol=RTOL32 if dtype == np.float32 else RTOL64
        )


def test_jacobian_attrs_initial_step_10():
    """scipy TestJacobian.test_attrs: a Jacobian whose elements are unequally hard, with initial_step=10
    (gradkit: step=10, the largest step), at (0.5, 0.25). scipy compares against element-by-element calls;
    here against the exact Jacobian, and every element must be honest."""
    z = np.array([0.5, 0.25])

    def f(z):
        x, y = z
        return np.stack([np.cos(0.5 * x) * np.cos(y), np.sin(2 * x) * y**2])

    x, y = z
    ref = np.array(
        [
            [-0.5 * np.sin(0.5 * x) * np.cos(y), -np.cos(0.5 * x) * np.sin(y)],
            [2 * np.cos(2 * x) * y**2, 2 * np.sin(2 * x) * y],
        ]
    )
    r = gk.jacobian(f, z, step=10.0, full_output=True)
    assert np.all(np.abs(r.value - ref) <= r.error) or not r.success
    np.testing.assert_allclose(r.value, ref, rtol=1e-7, atol=1e-10)


def boxed_f5(b):
    """scipy TestJacobian.test_step_direction_size's f: f5, NaN where x0 is outside [b0, b0 + 0.25] or x1
    outside [b1 - 0.1, b1]."""

    def f(x):
        x = np.array(x, dtype=np.float64)
        if not (b[0] <= x[0] <= b[0] + 0.25):
            x[0] = np.nan
        if not (b[1] - 0.1 - 1e-7 <= x[1] <= b[1]):
            x[1] = np.nan
        return f5(x)

    return f


def test_jacobian_step_direction_size_bounds():
    """scipy TestJacobian.test_step_direction_size: f's domain is a box with x at a corner; scipy's
    step_direction=[1, -1, 0] and initial_step=[0.25, 0.1, 0.5] are gradkit's bounds of that box. The
    Jacobian is df5 to atol 1e-8."""
    b = np.random.default_rng(23892589425245).random(3)
    bounds = ([b[0], b[1] - 0.1, -np.inf], [b[0] + 0.25, b[1], np.inf])
    r = gk.jacobian(boxed_f5(b), b, bounds=bounds, atol=1e-8, full_output=True)
    np.testing.assert_allclose(r.value, df5(b), atol=1e-8)
    assert r.success


def test_jacobian_step_direction_size_nan_redo():
    """scipy TestJacobian.test_step_direction_size without bounds: gradkit's one-sided redo where f is NaN
    must find the same Jacobian."""
    b = np.random.default_rng(23892589425245).random(3)
    r = gk.jacobian(boxed_f5(b), b, full_output=True)
    np.testing.assert_allclose(r.value, df5(b), atol=1e-8)


# --- TestHessian ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(), (4,), (2, 4)])
def test_hessian_example(size):
    """scipy TestHessian.test_example: the Rosenbrock Hessian at scipy's random points, atol 1e-8 (a batch
    of points is a loop here, as for the Jacobian)."""
    x = np.random.default_rng(458912319542).random((3, *size))
    for point in x.reshape(3, -1).T:
        r = gk.hessian(optimize.rosen, point, full_output=True)
        ref = optimize.rosen_hess(point)
        np.testing.assert_allclose(r.value, ref, atol=1e-8)
        assert r.success and np.all(np.abs(r.value - ref) <= r.error)


def test_hessian_float32():
    """scipy TestHessian.test_float32: the Rosenbrock Hessian of a float32 x is float32, its nonzero elements
    within float32's default tolerance, its zeros within 1e-2 of the smallest nonzero."""
    x = np.random.default_rng(458912319542).random(3).astype(np.float32)
    value = gk.hessian(optimize.rosen, x)
    assert value.dtype == np.float32
    ref = optimize.rosen_hess(x.astype(np.float64))
    mask = ref != 0
    np.testing.assert_allclose(value[mask], ref[mask], rtol=RTOL32)
    np.testing.assert_allclose(value[~mask], 0.0, atol=1e-2 * np.abs(ref[mask]).min())


def test_hessian_nfev():
    """scipy TestHessian.test_nfev: nfev counts the points f was really evaluated at. scipy reports nfev per
    element of the Hessian; gradkit one total, which must equal the count of points seen by f."""
    z = np.array([0.5, 0.25])
    points = [0]

    def f(z):
        points[0] += 1
        return np.sin(z[0]) * z[1] ** 3

    r = gk.hessian(f, z, step=10.0, full_output=True)
    assert r.nfev == points[0]
    x, y = z
    ref = [[-np.sin(x) * y**3, 3 * np.cos(x) * y**2], [3 * np.cos(x) * y**2, 6 * np.sin(x) * y]]
    assert np.all(np.abs(r.value - ref) <= r.error) or not r.success


def test_hessian_small_rtol_warning():
    """scipy TestHessian.test_small_rtol_warning: rtol=1e-15 cannot be met; scipy warns that it is too small,
    gradkit warns (RuntimeWarning) that the result may be inaccurate. scipy's hessian maps np.sin over its
    batch; gradkit's f returns one number."""
    with pytest.warns(RuntimeWarning, match="inaccurate"):
        gk.hessian(lambda p: np.sin(p[0]), [1.0], rtol=1e-15)
