"""grad, jacobian, hessian, derivative, directional and check_grad: shapes, methods, options, errors."""

import sys
import warnings

import numpy as np
import pytest
from helpers import gaussian, gaussian_gradient

import gradkit as gk

X0 = np.array([0.3, -0.7])


class Counting:
    """Wraps f and counts the points it is really called at (batches count each point)."""

    def __init__(self, f, batched=False):
        self.f, self.batched, self.calls, self.points = f, batched, 0, []

    def __call__(self, p):
        p = np.asarray(p)
        self.calls += len(p) if self.batched else 1
        self.points.extend(p.reshape(-1, p.shape[-1]) if self.batched else [p.copy()])
        return self.f(p.T).T if self.batched else self.f(p)


def test_returns_an_ndarray_or_a_result_with_every_field():
    value = gk.grad(gaussian, X0)
    assert isinstance(value, np.ndarray) and value.shape == (2,)
    result = gk.grad(gaussian, X0, full_output=True)
    assert isinstance(result, gk.Result)
    assert result.error.shape == (2,) and result.method == "richardson" and np.all(result.success)
    assert "converged" in result.message
    np.testing.assert_allclose(result.value, gaussian_gradient(X0), rtol=1e-11)
    assert np.all(np.abs(result.value - gaussian_gradient(X0)) <= result.error)


@pytest.mark.parametrize("method", ["richardson", "central", "forward", "backward", "complex"])
def test_nfev_counts_the_points_really_evaluated(method):
    f = Counting(lambda p: np.exp(-(p[0] ** 2)) * np.exp(-(p[1] ** 2)))
    result = gk.grad(f, X0, method=method, full_output=True)
    assert result.nfev == f.calls


@pytest.mark.parametrize("scheme", ["central", "forward", "backward"])
@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_fixed_stencils_are_exact_for_polynomials_up_to_their_accuracy(scheme, accuracy):
    coefficients = np.arange(1.0, accuracy + 2)
    f = lambda p: np.polyval(coefficients, p[0]) + 0.5 * p[1] ** 2  # noqa: E731
    exact = np.array([np.polyval(np.polyder(coefficients), 0.8), -0.4])
    result = gk.grad(f, [0.8, -0.4], method=scheme, accuracy=accuracy, full_output=True)
    np.testing.assert_allclose(result.value, exact, rtol=1e-7)
    assert np.all(np.abs(result.value - exact) <= result.error)


@pytest.mark.parametrize("method", ["central", "forward", "backward"])
def test_fixed_steps_evaluate_the_estimates_extra_point_only_when_it_is_returned(method):
    f = Counting(gaussian)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a smooth function: no warning
        value = gk.grad(f, X0, method=method, accuracy=4)
    assert f.calls == 1 + 2 * 4  # f(x) and each coordinate's four other stencil points
    result = gk.grad(f, X0, method=method, accuracy=4, full_output=True)
    assert result.nfev == 1 + 2 * 5 and np.all(result.success)
    np.testing.assert_array_equal(result.value, value)


@pytest.mark.parametrize("scheme", ["forward", "backward"])
def test_first_order_one_sided_differences_are_exact_for_lines_and_bound_their_error(scheme):
    line = gk.grad(lambda p: 3.0 * p[0] - 2.0 * p[1], [0.4, 1.0], method=scheme, accuracy=1, full_output=True)
    np.testing.assert_allclose(line.value, [3.0, -2.0], rtol=1e-8)
    result = gk.grad(gaussian, X0, method=scheme, accuracy=1, full_output=True)
    assert np.all(np.abs(result.value - gaussian_gradient(X0)) <= result.error)
    assert result.nfev == 1 + 2 * 2


def test_fixed_step_error_estimate_bounds_the_true_error_on_a_transcendental_function():
    for scheme in ("central", "forward", "backward"):
        result = gk.grad(gaussian, X0, method=scheme, full_output=True)
        assert np.all(np.abs(result.value - gaussian_gradient(X0)) <= result.error), scheme


def test_complex_step_is_exact_to_rounding_and_rejects_functions_that_are_not_complex_safe():
    result = gk.grad(lambda p: np.exp(p[0]) * np.sin(p[1]), [1.0, 2.0], method="complex", full_output=True)
    np.testing.assert_allclose(result.value, [np.e * np.sin(2.0), np.e * np.cos(2.0)], rtol=2e-16)
    # f(x), one complex step per coordinate, and the central difference it is checked against (3 points each)
    assert result.nfev == 1 + 2 + 3 * 2
    with pytest.raises(TypeError, match=r"complex-safe|keep complex input complex"):
        gk.grad(lambda p: np.abs(p[0]) ** 3, [0.5], method="complex")


def test_richardson_beats_fixed_steps():
    f = lambda p: np.exp(p[0]) * np.sin(p[0])  # noqa: E731
    exact = np.exp(1.0) * (np.sin(1.0) + np.cos(1.0))
    adaptive = abs(gk.grad(f, [1.0])[0] - exact)
    fixed = abs(gk.grad(f, [1.0], method="central")[0] - exact)
    assert adaptive < fixed / 100


@pytest.mark.parametrize(
    ("wrt", "expected"),
    [(1, [2.0]), ([0, 2], [4.0, 7.0]), (slice(0, 2), [4.0, 2.0]), (np.array([True, False, False, True]), [4.0, 5.0])],
)
def test_wrt_differentiates_only_a_subset(wrt, expected):
    loss = lambda par: (par[0] - 1) ** 2 + par[1] ** 2 + par[2] * par[3]  # noqa: E731
    f = Counting(loss)
    result = gk.grad(f, [3.0, 1.0, 5.0, 7.0], wrt=wrt, full_output=True)
    np.testing.assert_allclose(result.value, expected, rtol=1e-10)
    # coordinates outside wrt are held fixed
    moved = {i for p in f.points for i in np.flatnonzero(p != [3.0, 1.0, 5.0, 7.0])}
    assert moved == set(np.arange(4)[wrt].tolist() if not isinstance(wrt, int) else [wrt])


@pytest.mark.parametrize(
    ("wrt", "error", "message"),
    [
        (4, ValueError, "out of range"),
        ([0, 0], ValueError, "repeats"),
        ([], ValueError, "no element"),
        (np.array([True, False]), ValueError, "one entry per element"),
        ("a", TypeError, "wrt must be"),
    ],
)
def test_bad_wrt_names_the_problem(wrt, error, message):
    with pytest.raises(error, match=message):
        gk.grad(lambda p: p.sum(), np.zeros(4), wrt=wrt)


def test_vectorized_evaluates_each_step_in_one_call_and_agrees():
    calls = []

    def batch(points):
        calls.append(len(points))
        return np.exp(-(points[:, 0] ** 2)) * np.exp(-(points[:, 1] ** 2))

    result = gk.grad(batch, X0, vectorized=True, full_output=True)
    np.testing.assert_allclose(result.value, gk.grad(gaussian, X0), rtol=1e-14)
    assert result.nfev == sum(calls)
    assert max(calls) == 4  # x +- h for both coordinates at once


def test_vectorized_rosenbrock_in_1000_dimensions():
    from scipy.optimize import rosen, rosen_der

    x = np.random.default_rng(0).uniform(-1, 1, 1000)
    value = gk.grad(lambda batch: rosen(batch.T), x, vectorized=True)
    np.testing.assert_allclose(value, rosen_der(x), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("batch_size", [1, 3, 256])
def test_a_batch_size_bounds_each_call_and_changes_no_answer(batch_size):
    x = np.random.default_rng(1).uniform(-1, 1, 7)

    def quartic(points, calls):
        calls.append(len(points))
        return np.sum(points**4 - 3 * points**2, axis=1) + points[:, 0] * points[:, 1]

    for derivative in (gk.grad, gk.hessian):
        whole, parts = [], []
        one_call = derivative(lambda p, calls=whole: quartic(p, calls), x, vectorized=True, full_output=True)
        batched = derivative(lambda p, calls=parts: quartic(p, calls), x, vectorized=batch_size, full_output=True)
        np.testing.assert_array_equal(batched.value, one_call.value)  # the same points, the same answer
        np.testing.assert_array_equal(batched.error, one_call.error)
        assert batched.nfev == one_call.nfev == sum(parts) == sum(whole)
        assert max(parts) == min(batch_size, max(whole)) and max(whole) > 3
    pairs = lambda p: np.stack([np.sum(p**2, axis=1), p[:, 0] * p[:, 2]], axis=1)  # noqa: E731
    np.testing.assert_array_equal(gk.jacobian(pairs, x, vectorized=batch_size), gk.jacobian(pairs, x, vectorized=True))


def test_a_batch_size_bounds_the_memory_of_the_points():
    import tracemalloc

    n = 1500  # a central step: 3000 points of 1500 values, 36 MB at once
    x = np.linspace(-1.0, 1.0, n)
    f = lambda points: np.sum(points**2, axis=1)  # noqa: E731
    peaks = {}
    for vectorized in (100_000, 64, True):
        tracemalloc.start()
        value = gk.grad(f, x, method="central", vectorized=vectorized)
        peaks[vectorized] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        np.testing.assert_allclose(value, 2 * x, atol=1e-6)  # f is about 500: central differences keep 1e-8
    # True picks a cache-sized batch (1 MiB of points) by itself; an int overrides it
    assert peaks[100_000] > 36e6 and peaks[64] < 4e6 and peaks[True] < 6e6, peaks


def test_a_directional_derivative_of_a_vectorized_f():
    # the points along v go to f as a batch
    f = lambda points: np.sum(points**2, axis=(1, 2))  # noqa: E731
    x, v = np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [0.0, -1.0]])
    for vectorized in (True, 2):
        result = gk.directional(f, x, v, vectorized=vectorized, full_output=True)
        assert np.all(result.success) and abs(result.value - 2 * np.sum(x * v)) <= 1e-12


@pytest.mark.parametrize(
    ("vectorized", "error"), [(0, ValueError), (-2, ValueError), (2.5, TypeError), ("yes", TypeError)]
)
def test_a_bad_vectorized_is_named(vectorized, error):
    f = lambda points: np.sum(points, axis=1)  # noqa: E731
    for call in (gk.grad, gk.hessian):
        with pytest.raises(error, match="vectorized must be True, False or a batch size"):
            call(f, np.ones(3), vectorized=vectorized)


def test_workers_evaluate_in_parallel_with_the_same_answer():
    mapped = []

    def counting_map(function, points):
        points = list(points)
        mapped.extend(points)
        return map(function, points)

    serial = gk.grad(gaussian, X0, full_output=True)
    in_a_map = gk.grad(gaussian, X0, workers=counting_map, full_output=True)
    in_processes = gk.grad(gaussian, X0, workers=2, full_output=True)
    np.testing.assert_array_equal(in_a_map.value, serial.value)
    np.testing.assert_array_equal(in_processes.value, serial.value)
    # f(x) is evaluated here, the stencil points through the map; a pool runs the same batches
    assert in_a_map.nfev == len(mapped) + 1 == in_processes.nfev


def test_a_process_pool_serves_every_round_of_a_call_and_is_shut_down_after_it(monkeypatch):
    import multiprocessing

    from gradkit.function import evaluate

    started = []

    class CountedPool(evaluate.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(evaluate, "ProcessPoolExecutor", CountedPool)
    before = set(multiprocessing.active_children())  # other tests' servers may be running
    result = gk.grad(gaussian, X0, workers=2, method="richardson", full_output=True)
    np.testing.assert_allclose(result.value, gaussian_gradient(X0), rtol=1e-10)
    assert len(started) == 1  # Richardson's rounds share one pool
    assert set(multiprocessing.active_children()) <= before


def test_nfev_counts_the_points_of_the_serial_path():
    f = Counting(gaussian)
    result = gk.grad(f, X0, full_output=True)
    assert result.nfev == len(f.points)
    # each coordinate stops when its own table converges: no more points than the batched path
    assert result.nfev <= gk.grad(gaussian, X0, workers=map, full_output=True).nfev


def test_nfev_counts_the_points_before_f_turns_complex_on_the_serial_path():
    # sqrt is real at x = 0.05 and complex at the first stencil point left of 0: the serial path for real
    # values gives way to the general one, and nfev still counts every call
    f = Counting(lambda p: np.emath.sqrt(p[0]))
    result = gk.grad(f, [0.05], full_output=True)
    assert result.nfev == f.calls
    np.testing.assert_allclose(result.value, [0.5 / np.sqrt(0.05)], rtol=1e-10)


FINITE_DIFFERENCES = ["richardson", "central", "forward", "backward"]


@pytest.mark.parametrize("method", FINITE_DIFFERENCES)
def test_bounds_keep_every_evaluation_inside_the_box(method):
    f = Counting(lambda p: np.log(p[0]) + p[1])
    # the steps reach past both lower bounds (Richardson's first ones, 1/8 of |x| and of 1; the fixed ones,
    # a few 1e-6): one-sided there
    lower = [0.0099, -0.1] if method == "richardson" else [0.01 - 1e-6, -1e-6]
    result = gk.grad(f, [0.01, 0.0], method=method, bounds=(lower, [np.inf, 1.0]), full_output=True)
    assert min(p[0] for p in f.points) >= lower[0] and min(p[1] for p in f.points) >= lower[1]
    np.testing.assert_allclose(result.value, [100.0, 1.0], rtol=1e-8 if method == "richardson" else 1e-4)
    if method != "forward":  # forward differences never reach below x
        assert "x[0] is near a bound" in result.message and "x[1] is near a bound" in result.message
    assert np.all(np.abs(result.value - [100.0, 1.0]) <= result.error)


@pytest.mark.parametrize("method", ["central", "forward", "backward"])
def test_fixed_steps_shorten_where_neither_side_has_room(method):
    f = Counting(lambda p: np.exp(p[0]))
    result = gk.grad(f, [1.0], method=method, bounds=(1.0 - 1e-7, 1.0 + 2e-7), full_output=True)
    assert all(1.0 - 1e-7 <= p[0] <= 1.0 + 2e-7 for p in f.points)
    assert "forward differences" in result.message  # the side with more room
    assert abs(result.value[0] - np.e) <= result.error[0]


@pytest.mark.parametrize("method", FINITE_DIFFERENCES)
def test_x_on_a_face_of_a_box_narrower_than_the_first_step(method):
    # x at the lower face of [0, 0.01]: one side has no room, the other less than Richardson's first step
    f = Counting(lambda p: np.sqrt(p[0] + 1) + p[1] ** 2)
    result = gk.grad(f, [0.0, 0.3], method=method, bounds=([0.0, 0.299], [0.01, 0.3005]), full_output=True)
    assert all(0.0 <= p[0] <= 0.01 and 0.299 <= p[1] <= 0.3005 for p in f.points)
    assert np.all(np.abs(result.value - [0.5, 0.6]) <= result.error)
    np.testing.assert_allclose(result.value, [0.5, 0.6], rtol=1e-10 if method == "richardson" else 1e-5)
    if method == "richardson":
        assert np.all(result.success)


@pytest.mark.parametrize("method", FINITE_DIFFERENCES)
def test_non_finite_points_switch_to_one_sided_differences(method):
    # NaN below 1; the first steps (1/8 of x for Richardson, a few 1e-6 for fixed steps) reach below
    x = 1.05 if method == "richardson" else 1.0 + 1e-6
    result = gk.grad(lambda p: np.exp(p[0]) if p[0] >= 1.0 else np.nan, [x], method=method, full_output=True)
    np.testing.assert_allclose(result.value, [np.exp(x)], rtol=1e-9)
    assert np.all(np.abs(result.value - np.exp(x)) <= result.error) and np.all(result.success)
    if method != "forward":
        assert "forward difference" in result.message


@pytest.mark.parametrize("method", FINITE_DIFFERENCES)
def test_function_raising_near_x_switches_to_one_sided_differences(method):
    def guarded(p):
        if p[0] > 1.0:
            raise ValueError("outside the model's range")
        return p[0] ** 3

    result = gk.grad(guarded, [1.0], method=method, full_output=True)
    np.testing.assert_allclose(result.value, [3.0], rtol=1e-9)
    assert np.all(result.success)
    if method != "backward":
        assert "backward difference" in result.message


@pytest.mark.parametrize("vectorized", [False, True])
def test_richardson_redoes_a_coordinate_on_the_side_where_f_was_finite_first(vectorized):
    """f failing above x costs what its mirror image failing below x costs: no one-sided sequence is
    spent on the side that already failed."""

    def mirrored(sign):
        def f(p):
            return (1 + sign * (p[0] - 1)) ** 3 if sign * (p[0] - 1) <= 0 else np.nan

        return (lambda points: np.array([f(p) for p in points])) if vectorized else f

    above, below = (gk.grad(mirrored(s), [1.0], vectorized=vectorized, full_output=True) for s in (1, -1))
    np.testing.assert_allclose([above.value[0], below.value[0]], [3.0, -3.0], rtol=1e-9)
    assert "backward difference" in above.message and "forward difference" in below.message
    assert above.nfev == below.nfev


def test_a_function_failing_on_both_sides_is_no_success():
    f = lambda p: np.log(p[0]) if p[0] == 1.0 else np.nan  # noqa: E731
    for method in FINITE_DIFFERENCES:
        result = gk.grad(f, [1.0], method=method, full_output=True)
        assert not np.any(result.success) and "either side" in result.message, method


def test_jacobian_shape_is_output_shape_plus_input_shape():
    matrix = np.arange(24.0).reshape(4, 6)
    f = lambda p: matrix @ p.reshape(-1)  # noqa: E731
    x = np.ones((2, 3))
    value = gk.jacobian(f, x)
    assert value.shape == (4, 2, 3)
    np.testing.assert_allclose(value.reshape(4, 6), matrix, atol=1e-9)
    assert gk.jacobian(f, x, wrt=[0, 5]).shape == (4, 2)


@pytest.mark.parametrize(
    ("f", "x", "options", "error", "message"),
    [
        (3.0, [1.0], {}, TypeError, "f must be callable"),
        (np.sum, ["a"], {}, TypeError, "x must be an array of real numbers"),
        (np.sum, [np.nan], {}, ValueError, "x must be finite"),
        (lambda p: 1 / p[0] - np.inf, [1.0], {}, ValueError, r"f\(x\) is not finite"),
        (lambda p: p, [1.0, 2.0], {}, TypeError, "use gk.jacobian"),
        (np.sum, [1.0], {"method": "magic"}, ValueError, "method must be one of"),
        (np.sum, [1.0], {"step": -1e-3}, ValueError, "step must be positive"),
        (np.sum, [1.0, 1e20], {"step": 1e-10}, ValueError, r"step 1e-10 is too small to move x\[1\] = 1e\+20"),
        (np.sum, [1.0], {"bounds": (2.0, 3.0)}, ValueError, "inside bounds"),
        (np.sum, [1.0], {"bounds": (2.0, 1.0)}, ValueError, r"lower < upper; for x\[0\] they are 2 and 1"),
        (np.sum, [1.0, 5.0], {"bounds": (0.0, 3.0)}, ValueError, r"x\[1\] = 5 is outside \[0, 3\]"),
        (lambda p: p[0], [1.0], {"workers": 2}, TypeError, "must be picklable"),
        (np.sum, [1.0], {"method": "central", "accuracy": 3}, ValueError, "even accuracy"),
        (np.sum, [1.0], {"workers": "many"}, ValueError, "workers must be"),
        (np.sum, [1.0], {"rtol": -1e-3}, ValueError, "rtol must be a finite number >= 0"),
        (np.sum, [1.0], {"atol": np.nan}, ValueError, "atol must be a finite number >= 0"),
        (np.sum, [1.0], {"rtol": "1e-3"}, TypeError, "rtol must be a number"),
        (np.sum, [1.0], {"atol": [1e-3]}, TypeError, "atol must be a number"),
        (np.sum, [1.0], {"bounds": (np.nan, 2.0)}, ValueError, "bounds must not be NaN"),
        (np.sum, [1.0], {"accuracy": 1.5}, TypeError, "accuracy must be"),
        (np.sum, [1.0], {"stepsize": 1e-3}, TypeError, r"grad\(\) got an unexpected keyword argument 'stepsize'"),
        (lambda p: "one", [1.0], {}, TypeError, "f must return numbers"),
        (lambda p: np.array(["a"] * len(p)), [1.0], {"vectorized": True}, TypeError, "f must return numbers"),
        (np.sum, [1.0, 2.0], {"vectorized": True}, ValueError, r"got shape \(\) for 1 point of shape \(1, 2\)$"),
        (np.sum, [1.0], {"vectorized": True, "workers": 2}, ValueError, "has nothing to share out"),
    ],
)
def test_bad_input_raises_an_error_naming_the_argument(f, x, options, error, message):
    with pytest.raises(error, match=message):
        gk.grad(f, x, **options)


def test_hessian_and_derivative_check_their_tolerances_too():
    with pytest.raises(ValueError, match="rtol must be"):
        gk.hessian(np.sum, [1.0], rtol=-1.0)
    with pytest.raises(ValueError, match="atol must be"):
        gk.derivative(np.sin, 1.0, atol=np.inf)


def test_a_step_too_small_for_the_whole_sequence_fails_honestly_without_warnings_from_inside():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for options in ({}, {"workers": map}):
            result = gk.grad(lambda p: np.sin(p[0]), [1.0], step=1e-15, full_output=True, **options)
            assert not np.any(result.success) and "error estimate" in result.message
    # a coordinate not differentiated may have any step
    np.testing.assert_allclose(gk.grad(lambda p: p[0] ** 2 + np.sin(p[1]), [1.0, 1e20], step=1e-3, wrt=0), [2.0])


def test_a_function_whose_output_shape_changes_is_rejected():
    shapes = iter([1, 1, 2, 2, 2, 2, 2, 2, 2, 2])
    with pytest.raises(ValueError, match="returned shape"):
        gk.jacobian(lambda p: np.ones(next(shapes)), [1.0])


def test_args_and_kwargs_reach_f():
    f = lambda p, a, scale=1.0: scale * np.sum((p - a) ** 2)  # noqa: E731
    np.testing.assert_allclose(gk.grad(f, [1.0, 2.0], args=(np.array([0.0, 1.0]),), kwargs={"scale": 3.0}), [6.0, 6.0])


def test_hessian_is_symmetric_and_matches_the_analytic_one():
    f = lambda p: np.exp(p[0]) * np.sin(p[1]) + p[0] ** 2 * p[2] ** 3  # noqa: E731
    x = np.array([0.5, 1.2, -0.8])
    exact = np.array(
        [
            [np.exp(0.5) * np.sin(1.2) + 2 * x[2] ** 3, np.exp(0.5) * np.cos(1.2), 6 * x[0] * x[2] ** 2],
            [np.exp(0.5) * np.cos(1.2), -np.exp(0.5) * np.sin(1.2), 0.0],
            [6 * x[0] * x[2] ** 2, 0.0, 6 * x[0] ** 2 * x[2]],
        ]
    )
    for method in ("richardson", "central"):
        result = gk.hessian(f, x, method=method, full_output=True)
        np.testing.assert_array_equal(result.value, result.value.T)
        np.testing.assert_allclose(result.value, exact, atol=1e-5 if method == "central" else 1e-9)
        assert np.all(np.abs(result.value - exact) <= result.error + 1e-12), method
    assert gk.hessian(f, x, wrt=[0, 2]).shape == (2, 2)


@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_derivative_of_elementwise_functions_of_any_order(order):
    x = np.linspace(-1.0, 2.0, 7)
    result = gk.derivative(np.exp, x, order=order, full_output=True)
    np.testing.assert_allclose(result.value, np.exp(x), rtol=1e-7)
    assert np.all(np.abs(result.value - np.exp(x)) <= result.error)
    sine = gk.derivative(np.sin, x, order=order)
    np.testing.assert_allclose(sine, np.sin(x + order * np.pi / 2), atol=1e-6)


def test_derivative_steps_follow_a_small_x_and_fall_back_to_the_unit_scale():
    # log varies on the scale of x: steps relative to |x| (an eighth of 1 would cross 0)
    x = np.array([1e-5, 1e-3, 0.3, 40.0])
    result = gk.derivative(np.log, x, full_output=True)
    assert np.all(result.success)
    np.testing.assert_allclose(result.value, 1 / x, rtol=1e-11)
    assert np.all(np.abs(result.value - 1 / x) <= result.error)
    # exp varies on the scale of 1: at 1e-20 steps relative to x cannot see it, the retry at the unit scale can
    x = np.array([[1e-20, 0.0], [2.0, -1e-300]])
    for order in (1, 2):
        result = gk.derivative(np.exp, x, order=order, full_output=True)
        assert np.all(result.success) and result.value.shape == x.shape
        np.testing.assert_allclose(result.value, np.exp(x), rtol=1e-9)


def test_relative_steps_of_a_subnormal_x_fall_back_to_the_unit_scale():
    for x in (5e-324, -1e-310):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = gk.grad(lambda p: np.sin(p[0]) + np.exp(p[0]), [x], full_output=True)
        assert np.all(result.success)
        np.testing.assert_allclose(result.value, [2.0], rtol=1e-13)


def test_derivative_methods_and_errors():
    x = np.array([0.1, 1.0])
    np.testing.assert_allclose(gk.derivative(np.sin, x, method="complex"), np.cos(x), rtol=1e-15)
    np.testing.assert_allclose(gk.derivative(np.sin, x, method="central"), np.cos(x), rtol=1e-9)
    with pytest.raises(ValueError, match="first derivatives only"):
        gk.derivative(np.sin, x, order=2, method="complex")
    with pytest.raises(ValueError, match="elementwise"):
        gk.derivative(np.sum, x)


def test_directional_derivative_is_gradient_dot_v():
    v = np.array([2.0, -1.0])
    np.testing.assert_allclose(gk.directional(gaussian, X0, v), gaussian_gradient(X0) @ v, rtol=1e-10)
    with pytest.raises(ValueError, match="v must have x's shape"):
        gk.directional(gaussian, X0, [1.0])


def test_check_grad_accepts_a_right_gradient_and_points_at_a_wrong_one():
    assert gk.check_grad(gaussian, gaussian_gradient, X0)
    wrong = gk.check_grad(gaussian, lambda p: gaussian_gradient(p) * [1.0, 1.001], X0)
    assert not wrong.ok and wrong.index == (1,)


def test_automatic_differentiation_with_torch():
    torch = pytest.importorskip("torch")
    x = torch.tensor([0.3, -0.7], dtype=torch.float64)
    f = lambda t: torch.exp(-(t[0] ** 2)) * torch.exp(-(t[1] ** 2))  # noqa: E731
    value = gk.grad(f, x)
    assert isinstance(value, torch.Tensor)
    np.testing.assert_allclose(value.numpy(), gaussian_gradient(X0), rtol=1e-15)
    result = gk.grad(f, x, full_output=True)
    assert result.method == "ad" and np.all(result.success)
    np.testing.assert_allclose(gk.grad(f, x, wrt=[1]).numpy(), gaussian_gradient(X0)[1:], rtol=1e-15)
    np.testing.assert_allclose(gk.grad(f, X0, method="ad", backend="torch").numpy(), gaussian_gradient(X0))
    hessian = gk.hessian(lambda t: (t**3).sum(), torch.tensor([1.0, 2.0], dtype=torch.float64))
    np.testing.assert_allclose(hessian.numpy(), np.diag([6.0, 12.0]))
    with pytest.raises(TypeError, match=r"use gk\.jacobian"):
        gk.grad(lambda t: t * 2, x)


def test_ad_needs_an_ad_array_or_a_backend_and_names_the_missing_extra(monkeypatch):
    with pytest.raises(TypeError, match="backend='torch'"):
        gk.grad(np.sum, [1.0], method="ad")
    monkeypatch.setitem(sys.modules, "jax", None)
    with pytest.raises(ImportError, match=r"gradkit\[jax\]"):
        gk.grad(np.sum, [1.0], method="ad", backend="jax")


@pytest.mark.parametrize("method", ["central", "forward", "backward"])
@pytest.mark.parametrize("accuracy", [2, 4])
def test_fixed_steps_evaluated_point_by_point_match_the_batched_path(method, accuracy):
    f = lambda p: np.exp(p[0]) * np.sin(p[1]) + p[2] ** 3  # noqa: E731
    x = [0.4, -1.3, 2.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        serial = gk.grad(f, x, method=method, accuracy=accuracy, full_output=True)
        batched = gk.grad(f, x, method=method, accuracy=accuracy, workers=map, full_output=True)
    np.testing.assert_array_equal(serial.value, batched.value)
    np.testing.assert_array_equal(serial.error, batched.error)
    # f(x), then per coordinate the stencil's `accuracy` other points and the extra point of the error estimate
    assert serial.nfev == batched.nfev == 1 + 3 * (accuracy + 1)
    assert np.all(serial.success) and np.all(batched.success)


def test_grad_takes_the_options_of_jacobian_by_name():
    import inspect

    names = list(inspect.signature(gk.grad).parameters)
    assert names == list(inspect.signature(gk.jacobian).parameters)
    for option in ("method", "wrt", "args", "kwargs", "vectorized", "workers", "step", "rtol", "atol", "bounds"):
        assert inspect.signature(gk.grad).parameters[option].kind is inspect.Parameter.KEYWORD_ONLY


def test_an_empty_x_has_an_empty_derivative_as_in_numpy_and_jax():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in ("richardson", "central", "forward", "complex"):
            result = gk.grad(lambda p: 1.0 + np.sum(p), [], method=method, full_output=True)
            assert result.value.shape == result.error.shape == (0,) and np.all(result.success) and result.nfev == 1
        assert gk.jacobian(lambda p: np.ones(3), np.empty((0, 2))).shape == (3, 0, 2)
        assert gk.hessian(lambda p: 1.0, np.empty(0)).shape == (0, 0)


def test_booleans_and_integers_from_f_are_differenced_as_floats():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        # a step function: flat on both sides of x, derivative zero
        np.testing.assert_array_equal(gk.grad(lambda p: int(p[0] > 0) + int(2 * p[1]), [1.0, 0.7]), [0.0, 0.0])
        np.testing.assert_array_equal(gk.grad(lambda q: q[:, 0] > 0, [1.0], vectorized=True), [0.0])


def test_directional_names_v_in_its_errors():
    with pytest.raises(ValueError, match="v must be finite"):
        gk.directional(gaussian, X0, [np.nan, 1.0])
    with pytest.raises(TypeError, match="v must be an array of real numbers"):
        gk.directional(gaussian, X0, ["a", "b"])
    with pytest.raises(ValueError, match="v must not be zero"):
        gk.directional(gaussian, X0, [0.0, 0.0])


def test_hessian_central_estimates_its_error_only_when_it_is_returned():
    f = lambda p: np.exp(p[0]) * np.sin(p[1]) + p[0] * p[1] ** 2  # noqa: E731
    x = [0.4, 1.1]
    mixed = np.exp(0.4) * np.cos(1.1) + 2.2
    exact = np.array([[np.exp(0.4) * np.sin(1.1), mixed], [mixed, -np.exp(0.4) * np.sin(1.1) + 0.8]])
    counted = Counting(f)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = gk.hessian(counted, x, method="central")
    # f(x), two points per diagonal element and four per element above it, at one step
    assert counted.calls == 1 + 2 * 2 + 4 * 1
    np.testing.assert_allclose(value, exact, rtol=1e-6)
    result = gk.hessian(f, x, method="central", full_output=True)
    assert result.nfev == 1 + 2 * (2 * 2 + 4 * 1)
    np.testing.assert_array_equal(result.value, value)
    assert np.all(np.abs(result.value - exact) <= result.error)
    edge = lambda p: (np.exp(p[0]) if p[0] >= 1 else np.nan) + p[1] ** 2  # noqa: E731 (the step reaches below 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        one_sided = gk.hessian(edge, [1.0 + 1e-5, 1.0], method="central", full_output=True)
    assert "f is not finite on one side of x[0]" in one_sided.message
    exact = [[np.exp(1.0 + 1e-5), 0.0], [0.0, 2.0]]
    assert np.all(np.abs(one_sided.value - exact) <= one_sided.error)
    np.testing.assert_allclose(one_sided.value, exact, atol=1e-4)
    with pytest.warns(RuntimeWarning, match="not finite"):
        gk.hessian(lambda p: np.sqrt(1e-12 - p[0] ** 2) + p[1] ** 2, [0.0, 1.0], method="central")


@pytest.mark.parametrize("accuracy", [2, 4, 6])
@pytest.mark.parametrize("order", [1, 2, 3])
def test_derivative_central_of_any_accuracy_is_exact_for_polynomials_and_bounds_its_error(order, accuracy):
    # a central stencil of accuracy p for the n-th derivative is exact for degree n + p - 1 (and n + p, by symmetry)
    degree = order + accuracy
    coefficients = np.arange(1.0, degree + 2) / 4
    poly = np.polynomial.Polynomial(coefficients)
    x = np.array([-0.6, 0.25, 1.5])
    result = gk.derivative(poly, x, order=order, method="central", accuracy=accuracy, full_output=True)
    exact = poly.deriv(order)(x)
    np.testing.assert_allclose(result.value, exact, rtol=1e-5 if order == 3 else 1e-7)
    assert np.all(np.abs(result.value - exact) <= result.error)
    for f, derivative in ((np.sin, lambda t: np.sin(t + order * np.pi / 2)), (np.exp, np.exp)):
        points = np.array([-7.5, -0.3, 1e-3, 1.0, 5.0, 20.0])
        result = gk.derivative(f, points, order=order, method="central", accuracy=accuracy, full_output=True)
        assert np.all(np.abs(result.value - derivative(points)) <= result.error)
    with pytest.raises(ValueError, match="even accuracy"):
        gk.derivative(np.sin, x, method="central", accuracy=3)


def test_automatic_hessian_with_wrt_and_integer_tensors():
    torch = pytest.importorskip("torch")
    f = lambda t: (t**3).sum() * t.reshape(-1)[1]  # noqa: E731
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    for wrt in ([1, 3], 2, slice(0, 3), x > 2):
        value = gk.hessian(f, torch.tensor(x), wrt=wrt)
        assert isinstance(value, torch.Tensor)
        numerical = gk.hessian(lambda p: f(torch.tensor(p)).item(), x, wrt=wrt)
        np.testing.assert_allclose(value.numpy(), numerical, rtol=1e-9)
    with pytest.raises(TypeError, match="x must be a floating-point tensor"):
        gk.grad(lambda t: (t**2).sum(), torch.tensor([1, 2]))


def test_hessian_success_is_normwise_so_exact_zeros_do_not_warn():
    f = lambda p: np.sum(p**3) + p[0] * p[1] - np.exp(p[2])  # noqa: E731 (zeros off the (0, 1) pair)
    x = np.array([1.0, 2.0, 0.5])
    exact = np.diag(6 * x) + np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]) - np.diag([0, 0, np.exp(0.5)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = gk.hessian(f, x, full_output=True)
        linear = gk.hessian(lambda p: p[0] * p[1] * p[2], [1.0, 2.0, 3.0], wrt=[0, 2], full_output=True)
    assert np.all(result.success) and np.all(linear.success)
    assert np.all(np.abs(result.value - exact) <= result.error)
    assert np.abs(result.value - exact).max() <= 1e-8 * np.abs(exact).max()
    np.testing.assert_allclose(linear.value, [[0.0, 2.0], [2.0, 0.0]], atol=1e-9)
    strict = gk.hessian(f, x, rtol=1e-15, atol=0.0, full_output=True)
    assert not np.any(strict.success) and "rtol*max|value|" in strict.message


@pytest.mark.parametrize("method", ["richardson", "central"])
def test_hessian_bounds_keep_every_evaluation_inside_the_box(method):
    # defined for p[0] >= 0 and p[1] <= 2 only; x on both faces, one coordinate free, one in a narrow box
    def f(p):
        assert p[0] >= 0 and p[1] <= 2 and 0.5 <= p[3] <= 0.51, p
        return np.sqrt(p[0] + 1) * np.exp(p[1]) + p[1] ** 2 * p[2] ** 3 + np.sin(p[3]) * p[0]

    x = np.array([0.0, 2.0, -0.4, 0.505])
    lower, upper = [0.0, -np.inf, -np.inf, 0.5], [np.inf, 2.0, np.inf, 0.51]
    e2 = np.exp(2.0)
    exact = np.array(
        [
            [-0.25 * e2, 0.5 * e2, 0.0, np.cos(0.505)],
            [0.5 * e2, e2 + 2 * x[2] ** 3, 6 * x[1] * x[2] ** 2, 0.0],
            [0.0, 6 * x[1] * x[2] ** 2, 6 * x[1] ** 2 * x[2], 0.0],
            [np.cos(0.505), 0.0, 0.0, 0.0],
        ]
    )
    result = gk.hessian(f, x, method=method, bounds=(lower, upper), full_output=True)
    np.testing.assert_array_equal(result.value, result.value.T)
    assert np.all(np.abs(result.value - exact) <= result.error)
    assert np.abs(result.value - exact).max() <= (1e-9 if method == "richardson" else 1e-4) * np.abs(exact).max()
    assert "x[0] is near a bound" in result.message and "x[1] is near a bound" in result.message
    assert "x[2] is near" not in result.message and "x[3] is near" not in result.message
    if method == "richardson":
        assert np.all(result.success)
    with pytest.raises(ValueError, match="inside bounds"):
        gk.hessian(f, x, bounds=(0.1, np.inf))


def test_hessian_steps_follow_a_small_x():
    nll = lambda p: p[0] - 3 * np.log(p[0]) + np.exp(p[1]) * p[0]  # noqa: E731
    x = np.array([1e-3, 1e-20])
    exact = np.array([[3 / x[0] ** 2, 1.0], [1.0, x[0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = gk.hessian(nll, x, bounds=([0.0, -np.inf], np.inf), full_output=True)
    assert np.all(result.success) and "near a bound" not in result.message
    assert np.all(np.abs(result.value - exact) <= result.error)
    assert np.abs(result.value - exact).max() <= 1e-9 * np.abs(exact).max()
    np.testing.assert_allclose(result.value[1], exact[1], rtol=1e-7)  # x[1] on the unit scale, x[0] on its own


def test_derivative_at_a_kink_is_no_success():
    x = np.array([0.0, 1.0, -0.5])
    for f, right in (
        (np.abs, [np.nan, 1.0, -1.0]),
        (lambda t: np.maximum(t, 0.0) + np.sin(t), [np.nan, 1 + np.cos(1.0), np.cos(0.5)]),
    ):
        result = gk.derivative(f, x, full_output=True)
        # per element: the kink fails (status -2), the smooth elements beside it stand
        assert result.success.tolist() == [False, True, True] and result.status.tolist() == [-2, 0, 0]
        assert "does not look differentiable" in result.message and "element 0" in result.message
        np.testing.assert_allclose(result.value[1:], right[1:], rtol=1e-12)
        assert result.error[0] >= 0.5  # the slopes on the two sides differ by 1
        with pytest.warns(RuntimeWarning, match="does not look differentiable"):
            gk.derivative(f, x)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        smooth = gk.derivative(lambda t: t**3 + np.cbrt(t + 2), x, full_output=True)
    assert np.all(smooth.success) and "differentiable" not in smooth.message


def test_hessian_switches_a_coordinate_one_sided_where_f_fails_on_one_side():
    import math

    x = np.array([0.95, 0.3])
    e = np.exp(0.3)
    exact = np.array(
        [[-0.25 * 0.05**-1.5 * e, -0.5 * 0.05**-0.5 * e + 0.6], [-0.5 * 0.05**-0.5 * e + 0.6, 0.05**0.5 * e + 1.9]]
    )
    # NaN above p[0] = 1 (NumPy), or a ValueError there (math): Richardson's first step, 1/8, reaches it
    for root in (np.sqrt, math.sqrt):
        f = Counting(lambda p, root=root: root(1 - p[0]) * np.exp(p[1]) + p[0] * p[1] ** 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # NumPy's invalid value in sqrt
            # one-sided second differences converge like h: an honest estimate comes near 1e-8 of the largest
            result = gk.hessian(f, x, rtol=1e-7, full_output=True)
        assert np.all(result.success) and "f is not finite on one side of x[0]" in result.message
        assert np.all(np.abs(result.value - exact) <= result.error)
        assert np.abs(result.value - exact).max() <= 1e-8 * np.abs(exact).max()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        both = gk.hessian(lambda p: np.sqrt(1e-4 - p[0] ** 2) + p[1] ** 2, [0.0, 1.0], full_output=True)
    assert not np.any(both.success) and "not finite" in both.message


@pytest.mark.parametrize(
    ("step", "message"),
    [
        (-1e-3, "step must be positive"),
        (0.0, "step must be positive"),
        (np.nan, "step must be positive"),
        ([1e-3] * 3, "one per coordinate"),
        (1e-17, "too small to move x"),
    ],
)
def test_derivative_checks_its_step_as_grad_does(step, message):
    for method in ("richardson", "central"):
        with pytest.raises(ValueError, match=message):
            gk.derivative(np.sin, np.array([1.0, 2.0]), step=step, method=method)


def test_a_complex_step_of_any_size_is_a_valid_step():
    # x + 1e-20 == x, but x + 1e-20j moves x: the complex step's natural size must not be refused
    np.testing.assert_allclose(gk.grad(lambda p: np.sin(p[0]), [1.0], method="complex", step=1e-20), [np.cos(1.0)])
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(gk.derivative(np.sin, x, method="complex", step=1e-20), np.cos(x), rtol=1e-15)
    with pytest.raises(ValueError, match="step must be positive"):
        gk.grad(lambda p: np.sin(p[0]), [1.0], method="complex", step=-1e-20)
