"""Sweeps against 50-digit mpmath derivatives: every method, many smooth functions, points and orders.

What is asserted on every sweep (one sweep: one function family x method x dtype x range of orders):

- no confident wrong answer: wherever `success` is True (per element where gradkit reports it per element),
  ``|value - truth| <= error`` up to a rounding allowance: a few units of the output's precision, and what
  rounding x (or an argument f computes from x, such as 10x in sin(10x)) by half a unit moves the derivative,
  about eps |x| times the next derivative. Below that the derivative of the computed f is not defined;
  above it, a successful answer must lie within its error;
- the error estimate bounds the truth (strictly, without that allowance) in at least 95% of the successful
  answers;
- the sweep is not vacuous: the method succeeds on a stated share of the cases where success is possible.

The truths are mpmath's derivatives of the same formulas at the same (binary) points, at 50 digits: an
independent oracle. Orders 1-10 for the elementwise `derivative`, 1-2 (`grad`, `jacobian`, `hessian`) for
functions of several variables, float64 and float32 inputs. The heavier sweeps are marked slow.
"""

import math
import warnings

import mpmath
import numpy as np
import pytest

import gradkit as gk

mpmath.mp.dps = 50

# --- One variable: orders 1-10 ----------------------------------------------------------------------------
# name: (NumPy version, mpmath version); every one smooth on the points below.
ONE_D = {
    "cos(x)": (np.cos, mpmath.cos),
    "sin(x)": (np.sin, mpmath.sin),
    "cos(3x)": (lambda x: np.cos(3 * x), lambda x: mpmath.cos(3 * x)),
    "sin(10x)": (lambda x: np.sin(10 * x), lambda x: mpmath.sin(10 * x)),
    "exp(x)": (np.exp, mpmath.exp),
    "exp(x)cos(x)": (lambda x: np.exp(x) * np.cos(x), lambda x: mpmath.exp(x) * mpmath.cos(x)),
    "x^5-2x^3+x": (lambda x: x**5 - 2 * x**3 + x, lambda x: x**5 - 2 * x**3 + x),
    "1/(1+x^2)": (lambda x: 1 / (1 + x**2), lambda x: 1 / (1 + x**2)),
    "(x+2)/(x^2+x+3)": (lambda x: (x + 2) / (x**2 + x + 3), lambda x: (x + 2) / (x**2 + x + 3)),
    "log(x+2)": (lambda x: np.log(x + 2), lambda x: mpmath.log(x + 2)),
    "log1p(x^2)": (lambda x: np.log1p(x**2), lambda x: mpmath.log1p(x**2)),
    "exp(sin(x))": (lambda x: np.exp(np.sin(x)), lambda x: mpmath.exp(mpmath.sin(x))),
    "sqrt(1+x^2)": (lambda x: np.sqrt(1 + x**2), lambda x: mpmath.sqrt(1 + x**2)),
    "tanh(cos(x))": (lambda x: np.tanh(np.cos(x)), lambda x: mpmath.tanh(mpmath.cos(x))),
    "atan(exp(x))": (lambda x: np.arctan(np.exp(x)), lambda x: mpmath.atan(mpmath.exp(x))),
}
POINTS = np.array([-1.7, -1.3, -0.4, -0.05, 0.0, 0.03, 0.5, 1.0, 1.7, 3.3, 4.2, 9.1, 17.5])
MAX_ORDER = 10
TAYLOR_ORDER = MAX_ORDER + 1  # one more, for the rounding allowance

_TAYLOR: dict = {}


def one_d_truths(name: str, points: np.ndarray) -> np.ndarray:
    """Derivatives 0..TAYLOR_ORDER of ONE_D[name] at each point (as binary numbers), shape (orders, points)."""
    out = np.empty((TAYLOR_ORDER + 1, len(points)))
    for j, x in enumerate(points):
        key = (name, float(x))
        if key not in _TAYLOR:
            coefficients = mpmath.taylor(ONE_D[name][1], mpmath.mpf(float(x)), TAYLOR_ORDER)
            _TAYLOR[key] = [float(c * math.factorial(k)) for k, c in enumerate(coefficients)]
        out[:, j] = _TAYLOR[key]
    return out


class Sweep:
    """Collects (value, error, success, truth) of one sweep and checks the three claims."""

    def __init__(self, label: str):
        self.label = label
        self.rows: list[tuple] = []  # (case, value, error, success, truth, allowance)

    def add(self, case, value, error, success, truth, eps, moved=0.0):
        """`moved`: how far rounding x moves the truth (eps |x| times the next derivative), per element."""
        shape = np.shape(value)
        success = np.broadcast_to(np.asarray(success), shape).ravel()
        moved = np.broadcast_to(np.asarray(moved, dtype=float), shape).ravel()
        value, error, truth = (np.asarray(a, dtype=np.complex128).ravel() for a in (value, error, truth))
        for v, e, s, t, m in zip(value, np.abs(error), success, truth, moved):
            self.rows.append((case, v, float(e), bool(s), t, 4 * eps * (abs(t) + abs(v) + m)))

    def refused(self, case):
        self.rows.append((case, 0, 0.0, False, 0, 0.0))

    def check(self, min_success: float = 0.0):
        wrong, bounded, successes = [], 0, 0
        for case, v, e, s, t, allowance in self.rows:
            if not s:
                continue
            successes += 1
            miss = abs(v - t)
            bounded += miss <= e
            if not miss <= e + allowance:
                wrong.append(f"{case}: value {v:.6g} truth {t:.6g} error {e:.3g} (off {miss:.3g})")
        total = len(self.rows)
        assert not wrong, f"{self.label}: {len(wrong)} confident wrong answers of {total}:\n" + "\n".join(wrong[:25])
        if successes:
            assert bounded >= 0.95 * successes, f"{self.label}: error bounds truth in {bounded}/{successes} successes"
        assert successes >= min_success * total, f"{self.label}: only {successes}/{total} succeeded"


def derivative_sweep(method: str, dtype, orders, side: str = "", points=POINTS, functions=None, step=None) -> Sweep:
    """`derivative` of every function in `functions` (ONE_D's names) at all `points` in one call per order.
    `side` "forward" ("backward") keeps the steps above (below) x with bounds=(x, inf) ((-inf, x))."""
    label = f"derivative method={method} {side} dtype={np.dtype(dtype).name} orders={list(orders)} step={step}"
    sweep = Sweep(label)
    eps = float(np.finfo(dtype).eps)
    x = points.astype(dtype)
    options = {} if step is None else {"step": step}
    if side:
        inf = np.full(x.shape, np.inf, dtype=dtype)
        options["bounds"] = (x, inf) if side == "forward" else (-inf, x)
    for name in functions or ONE_D:
        f = ONE_D[name][0]
        truths = one_d_truths(name, x.astype(np.float64))
        for order in orders:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    r = gk.derivative(f, x, order=order, method=method, full_output=True, **options)
                except (ValueError, ArithmeticError) as error:  # a refusal is not a wrong answer
                    sweep.refused(f"{name} order {order}: {error}")
                    continue
            assert np.asarray(r.value).dtype == dtype, f"{name} order {order}: value {np.asarray(r.value).dtype}"
            for j in range(len(x)):
                success = np.broadcast_to(np.asarray(r.success), x.shape)[j]
                case = f"{name} order {order} at {x[j]}"
                moved = (abs(float(x[j])) + 1) * abs(truths[order + 1, j])
                sweep.add(case, np.asarray(r.value)[j], np.asarray(r.error)[j], success, truths[order, j], eps, moved)
    return sweep


@pytest.mark.parametrize("method", ["auto", "richardson", "central"])
def test_derivative_orders_1_to_4(method):
    """Orders 1-4 of 15 functions at 13 points, float64: honest, and mostly successful."""
    derivative_sweep(method, np.float64, range(1, 5)).check(min_success=0.6 if method != "central" else 0.0)


def test_derivative_complex_step():
    """The complex step (first order) on 15 analytic functions at 13 points, float64: honest, and successful."""
    derivative_sweep("complex", np.float64, [1]).check(min_success=0.9)


@pytest.mark.slow
@pytest.mark.parametrize("method", ["richardson", "central"])
def test_derivative_orders_5_to_10(method):
    """Orders 5-10 of 15 functions at 13 points, float64 (finding 1: oscillating functions at high orders)."""
    derivative_sweep(method, np.float64, range(5, MAX_ORDER + 1)).check(
        min_success=0.05 if method == "richardson" else 0
    )


@pytest.mark.parametrize("side", ["forward", "backward"])
def test_derivative_one_sided(side):
    """Orders 1-4 with every step on one side of x (bounds=, finding 4), float64: honest; orders 1-2 mostly
    successful (one-sided differences of orders 3-4 rarely reach rtol 1e-8, and need not)."""
    derivative_sweep("richardson", np.float64, range(1, 3), side=side).check(min_success=0.8)
    derivative_sweep("richardson", np.float64, range(3, 5), side=side).check()


@pytest.mark.parametrize("side", ["forward", "backward"])
def test_derivative_one_sided_orders_5_to_8(side):
    """Orders 5-8 with every step on one side of x, float64: honest."""
    derivative_sweep("richardson", np.float64, range(5, 9), side=side).check()


@pytest.mark.parametrize("side", ["forward", "backward"])
def test_one_sided_high_orders_of_smooth_functions_are_not_called_non_differentiable(side):
    """Orders 3-8, one-sided: no element of the 15 smooth functions at the 13 points is reported not
    differentiable (status -2). Quotients of steps 1.6 apart still converging grow over three steps now and
    then; a jump is read over as long a stretch of steps as at 2.1 (`settling_rows`)."""
    inf = np.full(POINTS.shape, np.inf)
    bounds = (POINTS, inf) if side == "forward" else (-inf, POINTS)
    called = []
    for name, (f, _) in ONE_D.items():
        for order in range(3, 9):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = gk.derivative(f, POINTS, order=order, bounds=bounds, full_output=True)
            called += [f"{name} order {order} at {x}" for x in POINTS[np.asarray(r.status) == -2]]
    assert not called, called[:10]


#: The median error of one-sided derivatives (relative to max(|truth|, 1)) over the 15 functions at the 13
#: points, per order: about half of each is what steps 2.1 apart gave (their table's rounding outgrew its
#: truncation error after about four steps); gradkit's steps 1.6 apart give a third to an eighth of it.
ONE_SIDED_MEDIAN_ERROR = {3: 2e-9, 4: 1.5e-7, 5: 8e-6, 6: 1.6e-4}


@pytest.mark.parametrize("side", ["forward", "backward"])
@pytest.mark.parametrize("order", list(ONE_SIDED_MEDIAN_ERROR))
def test_derivative_one_sided_accuracy(side, order):
    """One-sided derivatives of orders 3-6 are accurate, not only honest: their median error over the
    functions and points of the sweeps, against mpmath, stays below `ONE_SIDED_MEDIAN_ERROR`."""
    inf = np.full(POINTS.shape, np.inf)
    bounds = (POINTS, inf) if side == "forward" else (-inf, POINTS)
    errors = []
    for name, (f, _) in ONE_D.items():
        truth = one_d_truths(name, POINTS)[order]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            value = gk.derivative(f, POINTS, order=order, method="richardson", bounds=bounds)
        errors.append(np.abs(value - truth) / np.maximum(np.abs(truth), 1))
    assert np.median(np.concatenate(errors)) < ONE_SIDED_MEDIAN_ERROR[order]


@pytest.mark.slow
@pytest.mark.parametrize("side", ["forward", "backward"])
def test_derivative_one_sided_float32(side):
    """Orders 1-2 one-sided (bounds=) in float32: honest to float32's precision."""
    derivative_sweep("richardson", np.float32, range(1, 3), side=side).check()


@pytest.mark.slow
def test_derivative_cos_101_points():
    """Finding 1 as filed: cos at 101 points of [0, 10], orders 1-10 (243 of 1010 were confident wrong)."""
    derivative_sweep(
        "richardson", np.float64, range(1, MAX_ORDER + 1), points=np.linspace(0, 10, 101), functions=["cos(x)"]
    ).check()


@pytest.mark.slow
@pytest.mark.parametrize("method", ["richardson", "central", "complex"])
def test_derivative_float32(method):
    """float32 points: float32 results (finding 6), honest to float32's precision, orders 1-4 (1 for the
    complex step)."""
    derivative_sweep(method, np.float32, [1] if method == "complex" else range(1, 5)).check()


# --- Several variables: grad, jacobian (order 1), hessian (order 2) ---------------------------------------
# name: (NumPy version of p, mpmath version of *p, dimension)
MULTI = {
    "exp(x)sin(y)": (lambda p: np.exp(p[0]) * np.sin(p[1]), lambda x, y: mpmath.exp(x) * mpmath.sin(y), 2),
    "log(1+x^2+y^2)": (
        lambda p: np.log(1 + p[0] ** 2 + p[1] ** 2),
        lambda x, y: mpmath.log(1 + x**2 + y**2),
        2,
    ),
    "sin(5x)cos(3y)": (
        lambda p: np.sin(5 * p[0]) * np.cos(3 * p[1]),
        lambda x, y: mpmath.sin(5 * x) * mpmath.cos(3 * y),
        2,
    ),
    "x^3y-2xy^2": (lambda p: p[0] ** 3 * p[1] - 2 * p[0] * p[1] ** 2, lambda x, y: x**3 * y - 2 * x * y**2, 2),
    "xy/(1+x^2)+z": (lambda p: p[0] * p[1] / (1 + p[0] ** 2) + p[2], lambda x, y, z: x * y / (1 + x**2) + z, 3),
    "cos(xy+z)": (lambda p: np.cos(p[0] * p[1] + p[2]), lambda x, y, z: mpmath.cos(x * y + z), 3),
    "sqrt(1+x^2+(yz)^2)": (
        lambda p: np.sqrt(1 + p[0] ** 2 + (p[1] * p[2]) ** 2),
        lambda x, y, z: mpmath.sqrt(1 + x**2 + (y * z) ** 2),
        3,
    ),
    "atan(x-2y)exp(-z^2)": (
        lambda p: np.arctan(p[0] - 2 * p[1]) * np.exp(-(p[2] ** 2)),
        lambda x, y, z: mpmath.atan(x - 2 * y) * mpmath.exp(-(z**2)),
        3,
    ),
}
MULTI_POINTS = {dim: np.round(np.random.default_rng(19 + dim).uniform(-2, 2, size=(8, dim)), 3) for dim in (2, 3)}
_PARTIALS: dict = {}


def partials(name: str, point: np.ndarray, mp_f=None) -> tuple[np.ndarray, np.ndarray]:
    """The gradient and Hessian of MULTI[name] at point, from mpmath at 50 digits (complex where f is)."""
    key = (name, tuple(float(v) for v in point))
    if key not in _PARTIALS:
        f = mp_f or MULTI[name][1]
        at = [mpmath.mpf(float(v)) for v in point]
        n = len(at)

        def d(orders):
            return complex(mpmath.diff(f, at, orders))

        grad = np.array([d(tuple(int(i == k) for i in range(n))) for k in range(n)])
        hess = np.empty((n, n), dtype=complex)
        for i in range(n):
            for j in range(i, n):
                orders = [0] * n
                orders[i] += 1
                orders[j] += 1
                hess[i, j] = hess[j, i] = d(tuple(orders))
        _PARTIALS[key] = (grad, hess)
    return _PARTIALS[key]


DIRECTIONS = {2: np.array([0.6, -0.8]), 3: np.array([2.0, -1.0, 2.0]) / 3}


def scaled(f, scale):
    return f if scale == 1 else (lambda p: scale * f(p))


def multi_sweep(
    kind: str, method: str, dtype, functions=None, scale: float = 1.0, shrink: float = 1.0, **options
) -> Sweep:
    """`kind` ("grad", "jacobian", "hessian" or "directional" along DIRECTIONS) of every function, times
    `scale`, at MULTI_POINTS times `shrink`."""
    label = f"{kind} method={method} dtype={np.dtype(dtype).name} scale={scale:g} points*{shrink:g} {options or ''}"
    sweep = Sweep(label)
    eps = float(np.finfo(dtype).eps)
    for name, (f, mp_f, dim) in (functions or MULTI).items():
        f = scaled(f, scale)
        for point in MULTI_POINTS[dim] * shrink:
            x = point.astype(dtype)
            grad, hess = (scale * a for a in partials(name, x.astype(np.float64), mp_f))
            call = {"grad": gk.grad, "jacobian": gk.jacobian, "hessian": gk.hessian}.get(kind)
            if kind == "directional":
                v = DIRECTIONS[dim].astype(dtype)
                call = lambda f, x, v=v, **options: gk.directional(f, x, v, **options)  # noqa: E731
                grad, hess = grad @ v, hess @ v
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    r = call(f, x, method=method, full_output=True, **options)
                except TypeError as error:  # a refusal naming the method (complex step on non-analytic f)
                    assert method == "complex" and "complex" in str(error), error
                    sweep.refused(f"{name} at {x}: refused")
                    continue
            value = np.asarray(r.value)
            assert value.dtype == dtype, f"{name}: value dtype {value.dtype} for x {dtype}"
            truth = hess if kind == "hessian" else grad
            # rounding x moves the gradient by eps |x| times the Hessian's row; the Hessian by about its own size
            moved = (np.abs(x).max() + 1) * np.abs(hess).sum(axis=-1) if kind != "hessian" else np.abs(hess).max()
            sweep.add(f"{name} at {x.tolist()}", value, r.error, r.success, truth, eps, moved)
    return sweep


def jacobian_sweep(method: str, dtype) -> Sweep:
    """Jacobians of vector-valued f: each function of MULTI stacked with the next one of the same dimension."""
    sweep = Sweep(f"jacobian method={method} dtype={np.dtype(dtype).name}")
    eps = float(np.finfo(dtype).eps)
    names = list(MULTI)
    for first, second in zip(names, names[1:] + names[:1]):
        (f, mp_f, dim), (g, mp_g, dim_g) = MULTI[first], MULTI[second]
        if dim != dim_g:
            continue
        for point in MULTI_POINTS[dim]:
            x = point.astype(dtype)
            (grad_f, hess_f), (grad_g, hess_g) = (partials(n, point, m) for n, m in ((first, mp_f), (second, mp_g)))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                r = gk.jacobian(lambda p, f=f, g=g: np.stack([f(p), g(p)]), x, method=method, full_output=True)
            assert np.asarray(r.value).dtype == dtype and np.shape(r.value) == (2, dim)
            moved = (np.abs(x).max() + 1) * np.abs(np.stack([hess_f, hess_g])).sum(axis=-1)
            truth = np.stack([grad_f, grad_g])
            sweep.add(f"({first}, {second}) at {x.tolist()}", r.value, r.error, r.success, truth, eps, moved)
    return sweep


GRAD_METHODS = ["auto", "richardson", "central", "forward", "backward", "complex"]


@pytest.mark.parametrize("method", GRAD_METHODS)
def test_grad(method):
    """Gradients of 8 functions of 2-3 variables at 8 points each, float64."""
    multi_sweep("grad", method, np.float64).check(min_success=0.9 if method in ("auto", "richardson", "complex") else 0)


@pytest.mark.parametrize("method", GRAD_METHODS)
def test_jacobian(method):
    """Jacobians of 6 vector-valued functions of 2-3 variables at 8 points each, float64."""
    jacobian_sweep(method, np.float64).check(min_success=0.9 if method in ("auto", "richardson", "complex") else 0)


@pytest.mark.parametrize("method", GRAD_METHODS)
def test_directional(method):
    """Directional derivatives of 8 functions of 2-3 variables at 8 points each, float64: honest, and as
    successful as `grad` by the same method is on the same cases (every method succeeds on >= 90% of them
    there, test_grad)."""
    multi_sweep("directional", method, np.float64).check(min_success=0.9)


@pytest.mark.parametrize(
    "kind, method", [("grad", m) for m in GRAD_METHODS] + [("hessian", "richardson"), ("hessian", "central")]
)
def test_tiny_scale(kind, method):
    """The same functions times 1e-13 (finding 7): every value and derivative is far below the old default
    atol of 1e-12, so success must come from the error estimate's size relative to f's own scale."""
    multi_sweep(kind, method, np.float64, scale=1e-13).check()


@pytest.mark.parametrize(
    "kind, method",
    [("grad", m) for m in GRAD_METHODS]
    + [("hessian", "richardson"), ("hessian", "central")]
    + [("directional", m) for m in ("richardson", "central", "complex")],
)
def test_near_zero(kind, method):
    """The same functions at the points times 1e-9, where steps relative to |x| are far below the scale on
    which some f vary in floating point (1 + x^2 is 1 there, so log(1 + x^2 + y^2) is exactly 0 at every
    such step while its gradient is 2x and its Hessian 2 I): honest."""
    multi_sweep(kind, method, np.float64, shrink=1e-9).check()


@pytest.mark.slow
@pytest.mark.parametrize("method", ["richardson", "central", "complex"])
def test_near_zero_float32(method):
    """float32 points times 1e-4: 1 + x^2 is 1 in float32, cos(xy + z) is 1.0 (f constant to float32's
    last bit while its gradient is about 1e-8): honest to float32's precision."""
    multi_sweep("grad", method, np.float32, shrink=1e-4).check()


@pytest.mark.slow
def test_derivative_near_zero():
    """Orders 1-10 at points from 1e-12 to 4e-8 (steps relative to |x| against steps of f's own scale)."""
    points = np.array([-3e-9, -1e-12, 2.5e-10, 1e-9, 4e-8])
    derivative_sweep("richardson", np.float64, range(1, MAX_ORDER + 1), points=points).check()


@pytest.mark.parametrize("step", [10.0, 1.0, 1e-3])
def test_derivative_user_step(step):
    """Orders 1-6 with the caller's (largest) step, from one spanning several periods of sin(10x) to one far
    below f's scale: honest whatever the step (scipy's initial_step, numdifftools' base_step)."""
    derivative_sweep("richardson", np.float64, range(1, 7), step=step).check()


@pytest.mark.parametrize("kind", ["grad", "hessian"])
@pytest.mark.parametrize("step", [10.0, 1e-3])
def test_user_step(kind, step):
    """Gradients and Hessians with the caller's (largest) step: honest whatever the step."""
    multi_sweep(kind, "richardson", np.float64, step=step).check()


def test_check_grad():
    """check_grad accepts mpmath's gradient of every function at every point, and rejects it with one
    component moved by 1e-4 of its size, naming that component."""
    for name, (f, mp_f, dim) in MULTI.items():
        for point in MULTI_POINTS[dim]:
            grad = partials(name, point, mp_f)[0].real
            assert gk.check_grad(f, lambda p, g=grad: g, point), (name, point)
            wrong = grad.copy()
            wrong[-1] += 1e-4 * max(1.0, abs(wrong[-1]))
            check = gk.check_grad(f, lambda p, g=wrong: g, point)
            assert not check and check.index == (dim - 1,), (name, point, check)


@pytest.mark.parametrize("method", ["auto", "richardson", "central"])
def test_hessian(method):
    """Hessians of 8 functions of 2-3 variables at 8 points each, float64."""
    multi_sweep("hessian", method, np.float64).check(min_success=0.9 if method != "central" else 0)


@pytest.mark.slow
@pytest.mark.parametrize(
    "kind, method",
    [(kind, m) for kind in ("grad", "jacobian", "directional") for m in GRAD_METHODS]
    + [("hessian", "richardson"), ("hessian", "central")],
)
def test_float32(kind, method):
    """float32 points: float32 results (finding 6), honest to float32's precision: the error estimate
    bounds the truth in >= 95% of the successes, so it must count the rounding of the float32 result."""
    (jacobian_sweep(method, np.float32) if kind == "jacobian" else multi_sweep(kind, method, np.float32)).check()


def batched(f):
    """f of one point as f of a batch of points (shape (k, n) -> (k,))."""
    return lambda points: np.array([f(p) for p in points])


@pytest.mark.parametrize("method", ["richardson", "central"])
def test_grad_vectorized_batches(method):
    """vectorized=True (gradkit picks the batch size, finding 9) and vectorized=3 give the same answer, bit for
    bit (docs/functions.md), and it is honest."""
    for f, _, dim in MULTI.values():
        for point in MULTI_POINTS[dim]:
            whole = gk.grad(batched(f), point, method=method, vectorized=True, full_output=True)
            pieces = gk.grad(batched(f), point, method=method, vectorized=3, full_output=True)
            np.testing.assert_array_equal(whole.value, pieces.value)
            np.testing.assert_array_equal(whole.error, pieces.error)
    functions = {name: (batched(f), mp_f, dim) for name, (f, mp_f, dim) in MULTI.items()}
    sweep = multi_sweep("grad", method, np.float64, functions=functions, vectorized=True)
    sweep.check(min_success=0.9 if method == "richardson" else 0)


# --- Complex-valued f (finding 3) ---------------------------------------------------------------------------
COMPLEX_VALUED = {
    "exp(ix)y": (lambda p: np.exp(1j * p[0]) * p[1], lambda x, y: mpmath.exp(1j * x) * y, 2),
    "(x+iy)^3": (lambda p: (p[0] + 1j * p[1]) ** 3, lambda x, y: (x + 1j * y) ** 3, 2),
    "i<x,x>": (lambda p: 1j * np.inner(p, p), lambda x, y, z: 1j * (x * x + y * y + z * z), 3),
    "1e-13 exp(ix)y": (lambda p: 1e-13 * np.exp(1j * p[0]) * p[1], lambda x, y: 1e-13 * mpmath.exp(1j * x) * y, 2),
    "log(2+x)+i sin(yz)": (
        lambda p: np.log(2 + p[0]) + 1j * np.sin(p[1] * p[2]),
        lambda x, y, z: mpmath.log(2 + x) + 1j * mpmath.sin(y * z),
        3,
    ),
}
COMPLEX_POINTS = {dim: np.abs(points) for dim, points in MULTI_POINTS.items()}  # log(2 + x) needs x > -2


@pytest.mark.parametrize(
    "kind, method", [("grad", "richardson"), ("grad", "central"), ("hessian", "richardson"), ("hessian", "central")]
)
def test_complex_valued(kind, method):
    """Gradients and Hessians of complex-valued f: complex results, honest (the Hessian was real zeros with
    success=True)."""
    sweep = Sweep(f"complex-valued {kind} {method}")
    for name, (f, mp_f, dim) in COMPLEX_VALUED.items():
        for x in COMPLEX_POINTS[dim]:
            grad, hess = partials("complex " + name, x, mp_f)
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.ComplexWarning)  # discarding Im is the bug
                r = getattr(gk, kind)(f, x, method=method, full_output=True)
            assert np.iscomplexobj(r.value), f"{name}: {kind} is real"
            moved = (np.abs(x).max() + 1) * np.abs(hess).sum(axis=1) if kind == "grad" else np.abs(hess).max()
            truth = hess if kind == "hessian" else grad
            sweep.add(f"{name} at {x.tolist()}", r.value, r.error, r.success, truth, 2**-52, moved)
    sweep.check(min_success=0.9 if method == "richardson" else 0)


# --- The complex step on f that is not complex-analytic (finding 2) -----------------------------------------
NOT_ANALYTIC = {
    "|x|y": (lambda p: abs(p[0]) * p[1], lambda x, y: abs(x) * y),
    "real(x)y": (lambda p: np.real(p[0]) * p[1], lambda x, y: x * y),
    "conj(x)y": (lambda p: np.conj(p[0]) * p[1], lambda x, y: x * y),
    "x conj(x)+y": (lambda p: p[0] * p[0].conj() + p[1], lambda x, y: x * x + y),
    "vdot(p,p)": (lambda p: np.vdot(p, p), lambda x, y: x * x + y * y),
    "max(x,y)^2": (lambda p: max(p[0].real, p[1].real) ** 2 + p[0], lambda x, y: max(x, y) ** 2 + x),
}


@pytest.mark.parametrize("method", ["complex", "auto"])
def test_complex_step_not_analytic(method):
    """abs, np.real, np.conj, x * conj(x), np.vdot: the complex step cannot see their derivative. gradkit must
    refuse (TypeError naming the complex step) or answer honestly (success=False, or right); "auto" falls
    back to finite differences and must be right."""
    functions = {name: (f, mp_f, 2) for name, (f, mp_f) in NOT_ANALYTIC.items()}
    sweep = multi_sweep("grad", method, np.float64, functions=functions)
    sweep.check(min_success=0.9 if method == "auto" else 0)


# --- Expression as f (finding 8): exact ---------------------------------------------------------------------
EXPRESSIONS = {
    "x^2*y": lambda x, y: x**2 * y,
    "sin(x)*exp(y)": lambda x, y: mpmath.sin(x) * mpmath.exp(y),
    "log(1+x^2+y^2)": lambda x, y: mpmath.log(1 + x**2 + y**2),
    "atan(x-2*y)*cos(x*y)": lambda x, y: mpmath.atan(x - 2 * y) * mpmath.cos(x * y),
}


@pytest.mark.parametrize("text", list(EXPRESSIONS))
def test_expression_as_f(text):
    """An Expression as f is differentiated exactly: grad, jacobian, hessian, directional and derivative equal
    mpmath's to rounding, with error 0 and no evaluations of differences (nfev 0)."""
    expression = gk.Expression(text)
    for point in MULTI_POINTS[2]:
        grad, hess = partials("expression " + text, point, EXPRESSIONS[text])
        for kind, truth in (("grad", grad), ("jacobian", grad), ("hessian", hess)):
            r = getattr(gk, kind)(expression, point, full_output=True)
            np.testing.assert_allclose(
                np.asarray(r.value, dtype=float), truth.real, rtol=1e-13, atol=1e-13, err_msg=kind
            )
            assert np.all(np.asarray(r.error) == 0) and r.nfev == 0 and r.success, (kind, r)
        v = np.array([0.6, -0.8])
        r = gk.directional(expression, point, v, full_output=True)
        np.testing.assert_allclose(r.value, grad.real @ v, rtol=1e-13, atol=1e-13)
        assert r.error == 0 and r.nfev == 0
    one = gk.Expression(text.replace("y", "0.5"))  # the same formula at y = 0.5, of x alone
    x = POINTS[:4]
    truth = [
        complex(mpmath.diff(lambda t: EXPRESSIONS[text](t, mpmath.mpf(0.5)), mpmath.mpf(float(v)))).real for v in x
    ]
    r = gk.derivative(one, x, full_output=True)
    np.testing.assert_allclose(r.value, truth, rtol=1e-13, atol=1e-13)
    assert np.all(np.asarray(r.error) == 0) and np.all(np.asarray(r.nfev) == 0)


# --- One bad element (finding 5) ----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["richardson", "central"])
@pytest.mark.parametrize("order", [1, 2])
def test_derivative_bad_element_stands_alone(method, order):
    """log at points of which one is negative: that element is NaN and unsuccessful, every other one keeps
    its own answer, success and nfev (mpmath's derivatives of log)."""
    x = np.array([-1.0, 0.25, 0.5, 1.0, 2.0, 3.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = gk.derivative(np.log, x, order=order, method=method, full_output=True)
    success = np.asarray(r.success)
    assert success.shape == x.shape and np.shape(r.nfev) == x.shape
    assert np.isnan(r.value[0]) and not success[0]
    truth = np.array([float(mpmath.diff(mpmath.log, mpmath.mpf(float(v)), order)) for v in x[1:]])
    np.testing.assert_allclose(r.value[1:], truth, rtol=1e-5)
    good = success[1:]
    assert np.all(np.abs(r.value[1:] - truth)[good] <= np.asarray(r.error)[1:][good] * (1 + 1e-12))
    alone = [gk.derivative(np.log, v, order=order, method=method, full_output=True) for v in x[1:]]
    assert good.tolist() == [bool(a.success) for a in alone]


# --- Complex-valued elementwise f -----------------------------------------------------------------------------
COMPLEX_ONE_D = {
    "exp(ix)": (lambda x: np.exp(1j * x), lambda x: mpmath.exp(1j * x)),
    "(x+i)^3": (lambda x: (x + 1j) ** 3, lambda x: (x + 1j) ** 3),
    "1/(x+2i)": (lambda x: 1 / (x + 2j), lambda x: 1 / (x + 2j)),
    "log(2+x)+i sin(3x)": (
        lambda x: np.log(2 + x) + 1j * np.sin(3 * x),
        lambda x: mpmath.log(2 + x) + 1j * mpmath.sin(3 * x),
    ),
}


@pytest.mark.parametrize("method", ["richardson", "central"])
def test_derivative_complex_valued(method):
    """derivative of complex-valued elementwise f, orders 1-4 at 13 points: complex results, honest."""
    sweep = Sweep(f"complex-valued derivative {method}")
    for name, (f, mp_f) in COMPLEX_ONE_D.items():
        truths = [mpmath.taylor(mp_f, mpmath.mpf(float(x)), 5) for x in POINTS]
        for order in range(1, 5):
            with warnings.catch_warnings():
                warnings.simplefilter("error", np.exceptions.ComplexWarning)  # discarding Im is the bug
                r = gk.derivative(f, POINTS, order=order, method=method, full_output=True)
            assert np.iscomplexobj(r.value), f"{name}: derivative is real"
            truth = np.array([complex(t[order] * math.factorial(order)) for t in truths])
            moved = (np.abs(POINTS) + 1) * np.array(
                [abs(complex(t[order + 1])) * math.factorial(order + 1) for t in truths]
            )
            for j, x in enumerate(POINTS):
                success = np.broadcast_to(np.asarray(r.success), POINTS.shape)[j]
                sweep.add(f"{name} order {order} at {x}", r.value[j], r.error[j], success, truth[j], 2**-52, moved[j])
    sweep.check(min_success=0.6 if method == "richardson" else 0)
