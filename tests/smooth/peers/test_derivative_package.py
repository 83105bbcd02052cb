"""The `derivative` package's own tests (andgoldschmidt/derivative 0.6.3, tests/), ported to gradkit.

`derivative.dxdt` differentiates sampled data by a method the caller names and tunes (finite differences,
Savitzky-Golay, splines, trend filtering, Kalman, kernel, spectral). Its counterparts here:
`gk.smooth_gradient` for the smoothing methods, `gk.gradient` / `gk.differentiate` for finite differences on
exact samples, `gk.stencil` for the difference matrices of its `utils.deriv`. Inputs, noise levels, seeds,
analytic derivatives and tolerances are the package's; each test names its origin.

How the package judges an answer (tests/test_examples.py, `compare`): the residual is (estimate - truth)
divided by ``len(estimate)`` (100 or 101 samples; 2 for its two-row cases), and its RMS, median and max norm
must each stay under ``max(abs_tol, norm(truth) * rel_tol)``. That division makes the bound 100 times looser
than the tolerances read: with rel = abs = 0.1, an estimate of all zeros for cos(t) would pass. So every case
is held to both: the package's criterion as it is coded, and the same norms on the error itself ("as
written"). The package's own hand-tuned methods miss the latter (spline 3.9x and trend filter 2.8x the
bound on sin(t), kernel 8.4x on 2t + 1, measured with derivative 0.6.3); gradkit's meet it.

Where gradkit differs on purpose:
- It chooses its smoothing from the data (GCV, likelihood) instead of taking the package's hand-set
  parameters (spline ``s=0.1``, trend filter ``alpha=0.01``, Kalman ``alpha=0.05``, kernel width 1, spectral
  cut at 10 harmonics); only Savitzky-Golay has a one-to-one parameter (an 11-sample window of degree 3),
  which is also tested as given.
- Too few samples (none, one, or fewer than a method needs) raise a ValueError naming ``y`` (the
  docs/noisy.md contract; docs/grids.md's deliberate differences for `gradient`) where `dxdt` returns the
  input unchanged or an empty array.
- The package's memoisation, method registry and hyper-parameter entry points (test_utils.py
  test_memoize_*, test_examples.py test_*caching*, test_interface.py test_register,
  test_hyperparam_entrypoint) and its integration matrices (test_utils.py test_integ_*) have no gradkit
  counterpart and are not ported.
"""

import numpy as np
import pytest

import gradkit as gk

pytest.importorskip("scipy")

# --- test_examples.py: the functions, their derivatives and the sample points ---------------------------------

# funcs_and_derivs: (name, f, f'); the two-row cases are differentiated along the last axis.
FUNCS_AND_DERIVS = [
    ("const1", lambda t: np.ones_like(t), lambda t: np.zeros_like(t)),
    ("const0", lambda t: np.zeros_like(t), lambda t: np.zeros_like(t)),
    ("lin-identity", lambda t: t, lambda t: np.ones_like(t)),
    ("lin-affine", lambda t: 2 * t + 1, lambda t: 2 * np.ones_like(t)),
    ("lin-neg", lambda t: -t, lambda t: -np.ones_like(t)),
    ("polynomial", lambda t: t**2 - t + 1, lambda t: 2 * t - 1),
    ("trig", lambda t: np.sin(t) + 0.5, lambda t: np.cos(t)),
    ("2D linear", lambda t: np.array([2 * t, -t]), lambda t: np.vstack((2 * np.ones_like(t), -np.ones_like(t)))),
    ("2D trig", lambda t: np.array([np.sin(t), np.cos(t)]), lambda t: np.vstack((np.cos(t), -np.sin(t)))),
]
CASES = [pytest.param(f, d, id=name) for name, f, d in FUNCS_AND_DERIVS]
PERIODIC = ("const1", "const0", "trig", "2D trig")  # the only cases the package checks for its Fourier basis
PERIODIC_CASES = [pytest.param(f, d, id=name) for name, f, d in FUNCS_AND_DERIVS if name in PERIODIC]
LINEAR_CASES = [pytest.param(f, d, id=name) for name, f, d in FUNCS_AND_DERIVS if name not in PERIODIC]

# test_fn: 100 samples over one period, endpoint excluded (so that the periodic cases wrap around).
T_PERIOD = np.linspace(0, 2 * np.pi, 100, endpoint=False)
# test_fn, spectral with the Chebyshev basis: the 101 Chebyshev points cos(pi k / 100), from 1 down to -1.
T_CHEBYSHEV = np.cos(np.pi * np.arange(101) / 100)


def package_ratios(estimate, truth, tol, *, per_length=True):
    """The three norms `compare` bounds (RMS, median, max), each divided by its bound: all must be < 1.

    ``per_length=True`` is the package's criterion as coded (residual divided by ``len(estimate)``, the
    max norm a matrix inf-norm for two rows); ``False`` applies the same bounds to the error itself.
    """
    residual = (np.asarray(estimate, dtype=float) - truth) / (len(estimate) if per_length else 1)

    def rms(x):
        return np.sqrt(np.sum(x**2 / x.size))

    def inf_norm(x):
        return np.linalg.norm(x, ord=np.inf)

    return {
        name: float(norm(residual)) / max(tol, float(norm(truth)) * tol)
        for name, norm in (("rms", rms), ("median", lambda x: np.median(np.abs(x))), ("max", inf_norm))
    }


def assert_within_package_tolerance(estimate, truth, tol, *, as_written=True):
    assert np.shape(estimate) == np.shape(truth)
    coded = package_ratios(estimate, truth, tol)
    assert max(coded.values()) < 1, f"package criterion (fractions of its bound): {coded}"
    if as_written:
        plain = package_ratios(estimate, truth, tol, per_length=False)
        assert max(plain.values()) < 1, f"criterion on the error itself (fractions of its bound): {plain}"


# --- test_examples.py::test_fn, the non-spectral methods (tolerance rel = abs = 1e-1) ------------------------


@pytest.mark.parametrize(("func", "deriv"), CASES)
def test_fn_finite_difference_cases_with_gradient(func, deriv):
    """test_examples.py::test_fn, kind "finite_difference" (k=1, central differences): `gk.gradient`.

    Exact samples, so NumPy's second-order differences are the counterpart; worst case measured: the
    polynomial's first-order edge, 0.055 of the bound as written.
    """
    t = T_PERIOD
    assert_within_package_tolerance(gk.gradient(func(t), t, axis=-1), deriv(t), 1e-1)


@pytest.mark.parametrize("method", ["auto", "regression", "spline", "savgol", "tv", "kalman", "gaussian"])
@pytest.mark.parametrize(("func", "deriv"), CASES)
def test_fn_smoothing_methods_with_smooth_gradient(func, deriv, method):
    """test_examples.py::test_fn, kinds spline, trend_filtered, savitzky_golay, kalman, kernel.

    gradkit tunes each method's smoothing from the data rather than taking the package's hand-set
    parameters, so every gradkit method (and "auto") is held to the package's tolerance. Measured worst:
    "gaussian" on sin(t), 0.55 of the bound as written (max error 0.055).
    """
    t = T_PERIOD
    estimate = gk.smooth_gradient(func(t), t, axis=-1, method=method)
    assert_within_package_tolerance(estimate, deriv(t), 1e-1)


@pytest.mark.parametrize(("func", "deriv"), CASES)
def test_fn_savitzky_golay_with_the_packages_window(func, deriv):
    """test_examples.py::test_fn, kind "savitzky_golay" with default_args: 5 + 1 + 5 samples, degree 3.

    The one method whose parameter maps one to one (``smoothing`` is the window in samples). The package's
    own filter gets 9.5e-4 max error on sin(t) (derivative 0.6.3); gradkit's 8.3e-4.
    """
    t = T_PERIOD
    estimate = gk.smooth_gradient(func(t), t, axis=-1, method="savgol", smoothing=11, degree=3)
    assert_within_package_tolerance(estimate, deriv(t), 1e-1)


# --- test_examples.py::test_fn, kind "spectral" (tolerance rel = abs = 1e-8) -----------------------------------


@pytest.mark.parametrize("options", [{"method": "spectral"}, {"periodic": True}], ids=["spectral", "auto-periodic"])
@pytest.mark.parametrize(("func", "deriv"), PERIODIC_CASES)
def test_fn_spectral_fourier_basis(func, deriv, options):
    """test_examples.py::test_fn, kind "spectral", basis "fourier", on the periodic cases.

    The package cuts at 10 harmonics by hand; gradkit picks its cutoff by GCV. Measured: 3.6e-6 of the
    bound on sin(t) (max error 3.6e-14), 2.6e-6 on the two-row case.
    """
    t = T_PERIOD
    estimate = gk.smooth_gradient(func(t), t, axis=-1, **options)
    assert_within_package_tolerance(estimate, deriv(t), 1e-8)


@pytest.mark.parametrize(("func", "deriv"), LINEAR_CASES)
def test_fn_spectral_fourier_basis_on_non_periodic_data_keeps_the_shape(func, deriv):
    """test_examples.py::test_fn, kind "spectral", basis "fourier", lin/poly cases: shape only.

    A Fourier basis cannot represent a ramp that jumps at the wrap-around, so the package checks only the
    shape there; so does this port.
    """
    t = T_PERIOD
    estimate = gk.smooth_gradient(func(t), t, axis=-1, method="spectral")
    assert estimate.shape == deriv(t).shape and np.all(np.isfinite(estimate))


@pytest.mark.parametrize("route", ["gradient", "differentiate"])
@pytest.mark.parametrize(("func", "deriv"), CASES)
def test_fn_spectral_chebyshev_points_with_high_order_differences(func, deriv, route):
    """test_examples.py::test_fn, kind "spectral", basis "chebyshev": exact samples at 101 Chebyshev points.

    The package interpolates with Chebyshev polynomials (spectral accuracy). gradkit's counterpart for exact
    samples on uneven points is a high-order stencil on the coordinates: ``accuracy=6`` makes the error
    O(h^6) with h <= pi/100, and is the lowest order at which every case meets 1e-8 on the error itself
    (order 4 misses it on sin(t) by 3.2x; order 6 measured worst 6.8e-4 of the bound, on sin(t)).
    """
    x = T_CHEBYSHEV
    if route == "gradient":
        estimate = gk.gradient(func(x), x, axis=-1, accuracy=6)
    else:
        estimate = gk.differentiate(func(x), x, axis=-1, accuracy=6)
    assert_within_package_tolerance(estimate, deriv(x), 1e-8)


@pytest.mark.parametrize(("func", "deriv"), CASES)
def test_fn_spectral_chebyshev_points_with_smooth_gradient(func, deriv):
    """test_examples.py::test_fn, kind "spectral", basis "chebyshev", through `smooth_gradient` "auto".

    Held to the package's criterion as coded only: "auto" smooths (it cannot know the samples are exact),
    and on sin(t) its error is 1.4e-8 at the clustered ends, 1.4x the 1e-8 bound as written (measured; the
    same data meets it through `gradient(accuracy=6)` above). Worst measured against the coded bound: 0.075.
    """
    x = T_CHEBYSHEV
    estimate = gk.smooth_gradient(func(x), x, axis=-1)
    assert_within_package_tolerance(estimate, deriv(x), 1e-8, as_written=False)


# --- test_examples.py::test_notnan ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["auto", "regression", "spline", "savgol", "tv", "kalman", "gaussian", "spectral"])
def test_notnan_on_white_noise(method):
    """test_examples.py::test_notnan: 100 standard normal samples on [0, 1] give finite numbers only.

    The package draws them unseeded; a fixed seed here keeps the test repeatable.
    """
    t = np.linspace(0, 1, 100)
    y = np.random.default_rng(2024).standard_normal(t.shape)
    estimate = gk.smooth_gradient(y, t, method=method)
    assert estimate.shape == t.shape and not np.any(np.isnan(estimate))


def test_notnan_on_white_noise_with_gradient():
    """test_examples.py::test_notnan, kind "finite_difference": `gk.gradient`."""
    t = np.linspace(0, 1, 100)
    y = np.random.default_rng(2024).standard_normal(t.shape)
    assert not np.any(np.isnan(gk.gradient(y, t)))


# --- test_examples.py::test_smoothing_x and test_smoothing_functional ------------------------------------------

# Derivative RMS error of the package's own methods on this data (derivative 0.6.3, default_args):
# kalman alpha=0.05 -> 0.141, trend_filtered order 0 alpha=0.01 -> 0.248.
PACKAGE_DERIVATIVE_RMS = {"kalman": 0.141, "tv": 0.248, "auto": 0.141}


@pytest.mark.parametrize("method", ["kalman", "tv", "auto"])
def test_smoothing_x_of_a_noisy_sine(method):
    """test_examples.py::test_smoothing_x / test_smoothing_functional (kinds kalman, trend_filtered).

    sin(t) on 100 points of [0, 1] plus normal noise of scale 0.1 from ``default_rng(10)``; the package
    asks only that the smoothed samples have MSE < 0.1 (the raw samples have 0.0073, so that alone cannot
    fail for a sane smoother). Added here: the smoothed samples beat the raw ones, and the derivative (which
    the package's test does not check) is within 1.5x of the package's own method's error on this data;
    the factor allows for gradkit choosing its smoothing from the data where the package's is hand-set
    ("auto" is compared with the better of the package's two, Kalman).
    Measured: MSE 6.3e-4 (kalman, auto), 7.8e-4 (tv); derivative RMS 0.130 (kalman, auto), 0.146 (tv).
    """
    t = np.linspace(0, 1, 100)
    x = np.sin(t) + np.random.default_rng(10).normal(scale=1e-1, size=t.shape)
    r = gk.smooth_gradient(x, t, method=method, full_output=True)
    mse = np.linalg.norm(r.values - np.sin(t)) ** 2 / len(t)
    assert mse < 1e-1
    assert mse < np.mean((x - np.sin(t)) ** 2)
    assert np.sqrt(np.mean((r.gradient - np.cos(t)) ** 2)) < 1.5 * PACKAGE_DERIVATIVE_RMS[method]


# --- test_interface.py ---------------------------------------------------------------------------------------


def test_axis_shapes_and_the_exact_3d_case():
    """test_interface.py::test_axis: shapes along axis 1, transposed along axis 0, 1-D; a 3-D ramp gives ones.

    The package checks shapes only for the first three; the analytic derivatives [1, 2t] are checked too
    (second-order differences with second-order edges are exact for quadratics).
    """
    ts = np.arange(10)
    xs = np.array([ts, ts**2])
    truth = np.array([np.ones(10), 2.0 * ts])
    assert gk.gradient(xs, ts, axis=1).shape == xs.shape
    assert gk.gradient(xs.T, ts, axis=0).shape[::-1] == xs.shape
    assert gk.gradient(ts, ts).shape == ts.shape
    np.testing.assert_array_equal(gk.gradient(xs, ts, axis=1, edge_order=2), truth)
    n = 4
    x3d = np.tile(np.arange(n), (n, n, 1))
    np.testing.assert_array_equal(gk.gradient(x3d, np.arange(n), axis=2), np.ones((n, n, n)))


def test_axis_shapes_with_smooth_gradient():
    """test_interface.py::test_axis through `smooth_gradient` ("auto"): the same shapes, exact for [t, t^2].

    The package checks shapes only; the analytic derivative is checked too, to 1e-8 (measured 3.4e-15:
    noise-free samples, and "auto" has estimators exact for polynomials). The 3-D case has 4 samples per
    line, fewer than
    "auto" needs (5), and is covered by the small-input tests below.
    """
    ts = np.arange(10.0)
    xs = np.array([ts, ts**2])
    truth = np.array([np.ones(10), 2 * ts])
    along_rows = gk.smooth_gradient(xs, ts, axis=1)
    assert along_rows.shape == xs.shape
    np.testing.assert_allclose(along_rows, truth, atol=1e-8)
    assert gk.smooth_gradient(xs.T, ts, axis=0).shape[::-1] == xs.shape
    np.testing.assert_allclose(gk.smooth_gradient(ts, ts), np.ones(10), atol=1e-8)


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda e: gk.gradient(e, e), id="gradient"),
        pytest.param(lambda e: gk.differentiate(e, e), id="differentiate"),
    ],
)
def test_empty_raises_like_too_few_samples(call):
    """test_interface.py::test_empty: no samples. `dxdt` returns an empty array; gradkit raises ValueError
    (docs/grids.md, deliberate differences: too few samples)."""
    with pytest.raises(ValueError):
        _reraise_other_errors_as_assertions(call, np.array([]))


@pytest.mark.parametrize("method", ["auto", "savgol"])
def test_empty_with_smooth_gradient_names_y(method):
    """test_interface.py::test_empty (kinds finite_difference, savitzky_golay) through `smooth_gradient`."""
    empty = np.array([])
    with pytest.raises(ValueError) as info:
        gk.smooth_gradient(empty, empty, method=method)
    assert str(info.value).startswith("y:"), str(info.value)


def _reraise_other_errors_as_assertions(call, *args):
    """Run ``call``; an exception other than ValueError becomes an AssertionError that says what it was."""
    try:
        return call(*args)
    except ValueError:
        raise
    except Exception as exc:
        raise AssertionError(f"expected ValueError, got {type(exc).__name__}: {exc}") from exc


ONE = np.arange(1)
TWO_BY_ONE = np.arange(2).reshape(2, 1)


@pytest.mark.parametrize("data", [ONE, TWO_BY_ONE], ids=["one", "two-by-one"])
@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda y: gk.gradient(y, ONE, axis=-1), id="gradient"),
        pytest.param(lambda y: gk.differentiate(y, ONE, axis=-1), id="differentiate"),
    ],
)
def test_one_sample_raises(call, data):
    """test_interface.py::test_one: one sample along the axis. `dxdt` returns the input; gradkit raises
    ValueError (docs/grids.md: 'a coordinate array of one sample -> ValueError (too few samples)')."""
    with pytest.raises(ValueError):
        _reraise_other_errors_as_assertions(call, data)


@pytest.mark.parametrize("data", [ONE, TWO_BY_ONE], ids=["one", "two-by-one"])
@pytest.mark.parametrize("method", ["auto", "spline", "tv", "kalman", "savgol", "spectral"])
def test_one_sample_with_smooth_gradient_raises_naming_y(data, method):
    """test_interface.py::test_one (kinds spectral, spline, trend_filtered, savitzky_golay) through
    `smooth_gradient`: a ValueError naming ``y``, not the input handed back as its own derivative."""
    with pytest.raises(ValueError, match=r"^y: .*needs at least"):
        gk.smooth_gradient(data, ONE, axis=-1, method=method)


def test_small_with_gradient_and_differentiate():
    """test_interface.py::test_small, kind "finite_difference": 2 and 3 samples of the identity.

    The package checks shapes; the derivative of the identity is 1, exact for any difference.
    `gk.differentiate` (accuracy 2 inside and at the edges) needs 3 samples and says so for 2.
    """
    for n in (2, 3):
        data = np.arange(n)
        np.testing.assert_array_equal(gk.gradient(data, data), np.ones(n))
    np.testing.assert_array_equal(gk.differentiate(np.arange(3), np.arange(3)), np.ones(3))
    with pytest.raises(ValueError, match="needs at least 3"):
        gk.differentiate(np.arange(2), np.arange(2))


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("method", ["auto", "regression", "spline", "savgol", "tv", "kalman", "gaussian", "spectral"])
def test_small_with_smooth_gradient(n, method):
    """test_interface.py::test_small: 2 and 3 samples of the identity through every `smooth_gradient` method.

    The package raises for some methods (spline, trend filter) and warns for others; gradkit either answers
    (the derivative of the identity is 1) or raises a ValueError naming ``y`` and the samples it needs.
    """
    data = np.arange(n)
    try:
        estimate = gk.smooth_gradient(data, data, method=method)
    except ValueError as exc:
        assert str(exc).startswith("y: ") and "needs at least" in str(exc), str(exc)
    else:
        np.testing.assert_allclose(estimate, np.ones(n), atol=1e-12)


def test_negative_axis():
    """test_interface.py::test_negative_axis: axis=-2 of a (2, 3, 2) array; a constant line has slope 0.

    The package's random values are unseeded; seeded here.
    """
    t = np.arange(3)
    x = np.random.default_rng(7).random(size=(2, 3, 2))
    x[1, :, 1] = 1
    dx = gk.gradient(x, t, axis=-2)
    assert dx.shape == x.shape
    np.testing.assert_array_almost_equal(dx[1, :, 1], np.zeros(3))


# --- test_utils.py: utils.deriv, forward-difference matrices -------------------------------------------------


def forward_difference_matrix(n, dx, order):
    """Rows of forward differences of `order` over n samples with step dx, from `gk.stencil`."""
    weights = gk.stencil(order, np.arange(order + 1) * dx)
    matrix = np.zeros((n - order, n))
    for row in range(n - order):
        matrix[row, row : row + order + 1] = weights
    return matrix


def test_deriv_min_and_dx():
    """test_utils.py::test_deriv_min, test_deriv_dx: [-1, 1] for unit step, [-1, 1] / 0.01 for step 0.01."""
    np.testing.assert_allclose(forward_difference_matrix(2, 1, 1), [[-1.0, 1.0]])
    np.testing.assert_allclose(forward_difference_matrix(2, 0.01, 1), np.array([[-1.0, 1.0]]) / 0.01)


def test_deriv_orders():
    """test_utils.py::test_deriv_orders: forward differences of orders 1 to 4 on 5 samples."""
    expected = {
        1: [[-1, 1, 0, 0, 0], [0, -1, 1, 0, 0], [0, 0, -1, 1, 0], [0, 0, 0, -1, 1]],
        2: [[1, -2, 1, 0, 0], [0, 1, -2, 1, 0], [0, 0, 1, -2, 1]],
        3: [[-1, 3, -3, 1, 0], [0, -1, 3, -3, 1]],
        4: [[1, -4, 6, -4, 1]],
    }
    for order, matrix in expected.items():
        np.testing.assert_allclose(forward_difference_matrix(5, 1, order), matrix, atol=1e-12)


@pytest.mark.parametrize(("order", "offsets"), [(1, [0]), (2, [0]), (3, [0, 1, 2])])
def test_deriv_bad(order, offsets):
    """test_utils.py::test_deriv_bad: deriv(1, 1, 1), deriv(1, 1, 2), deriv(3, 1, 3) (too few points)."""
    with pytest.raises(ValueError, match="needs at least"):
        gk.stencil(order, offsets)
