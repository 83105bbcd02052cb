"""smooth_gradient as a user calls it: spacing, shapes, dtypes, gaps, errors, noise levels and accuracy."""

import numpy as np
import pytest

import gradkit as gk
from gradkit.smooth import SmoothResult, smooth_gradient

pytest.importorskip("scipy")

METHODS_1D = ["regression", "spline", "savgol", "tv", "kalman", "gaussian"]


def bump(n=501, sigma=0.01, seed=0):
    t = np.linspace(-3, 3, n)
    rng = np.random.default_rng(seed)
    return t, np.exp(-(t**2)) + sigma * rng.standard_normal(n), -2 * t * np.exp(-(t**2))


def rms(a):
    return float(np.sqrt(np.mean(np.square(a))))


def test_auto_is_exact_on_a_noiseless_cubic_with_uneven_coordinates():
    x = np.cumsum(np.random.default_rng(0).uniform(0.5, 1.5, 200)) / 50
    y = 1 - x + 0.3 * x**2 - 0.05 * x**3
    g = smooth_gradient(y, x)
    np.testing.assert_allclose(g, -1 + 0.6 * x - 0.15 * x**2, atol=1e-6)


@pytest.mark.parametrize("method", [*METHODS_1D, "auto"])
def test_noise_estimate_is_within_20_percent_on_white_noise(method):
    y = 0.3 * np.random.default_rng(11).standard_normal(2000)
    r = smooth_gradient(y, 0.1, method=method, full_output=True)
    assert abs(r.noise / 0.3 - 1) < 0.2


# Margins from benchmarks/noisy.py: on this bump (σ = 1 % of the range) np.gradient's error is 40-60x auto's.
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_auto_beats_np_gradient_by_the_benchmarks_margin(seed):
    t, y, true = bump(seed=seed)
    assert rms(np.gradient(y, t) - true) > 20 * rms(smooth_gradient(y, t) - true)


@pytest.mark.parametrize("method", METHODS_1D)
def test_every_method_beats_np_gradient_on_a_noisy_bump(method):
    t, y, true = bump(seed=5)
    assert rms(np.gradient(y, t) - true) > 5 * rms(smooth_gradient(y, t, method=method) - true)


def test_periodic_signal_uses_the_spectral_method_and_beats_np_gradient():
    n = 256
    x = np.arange(n) * 2 * np.pi / n
    rng = np.random.default_rng(3)
    y = np.sin(2 * x) + 0.02 * rng.standard_normal(n)
    r = smooth_gradient(y, x[1] - x[0], periodic=True, full_output=True)
    assert r.method == "spectral"
    assert rms(np.gradient(y, x) - 2 * np.cos(2 * x)) > 5 * rms(r.gradient - 2 * np.cos(2 * x))


def test_full_output_reports_choice_noise_and_a_calibrated_spread():
    t, y, _ = bump()
    r = smooth_gradient(y, t, method="savgol", full_output=True)
    assert isinstance(r, SmoothResult) and r.method == "savgol" and {"window", "degree"} <= set(r.params)
    assert r.values.shape == y.shape and r.std.shape == y.shape
    # The reported spread is what the noise alone causes: repeat the fit with the same window on fresh noise.
    window, degree = r.params["window"], r.params["degree"]
    clean = np.exp(-(t**2))
    rng = np.random.default_rng(9)
    runs = [
        smooth_gradient(clean + 0.01 * rng.standard_normal(t.size), t, method="savgol", smoothing=window, degree=degree)
        for _ in range(60)
    ]
    spread = np.std(runs, axis=0)
    middle = slice(100, 400)
    assert abs(np.median(r.std[middle] / spread[middle]) - 1) < 0.2


@pytest.mark.parametrize("method", ["spline", "kalman"])
def test_probe_estimated_spread_is_calibrated(method):
    t, y, _ = bump(n=301)
    r = smooth_gradient(y, t, method=method, full_output=True)
    key = "lam" if method == "spline" else "ratio"
    rng = np.random.default_rng(4)
    runs = [
        smooth_gradient(np.exp(-(t**2)) + 0.01 * rng.standard_normal(t.size), t, method=method, smoothing=r.params[key])
        for _ in range(60)
    ]
    spread = np.std(runs, axis=0)
    assert abs(np.median(r.std[50:250] / spread[50:250]) - 1) < 0.25


def test_returns_like_gradient_one_axis_an_array_several_a_tuple():
    z = np.random.default_rng(0).standard_normal((30, 40))
    assert isinstance(smooth_gradient(z, axis=1, method="savgol"), np.ndarray)
    both = smooth_gradient(z, 0.5, method="spline")
    assert isinstance(both, tuple) and len(both) == 2 and all(g.shape == z.shape for g in both)
    assert isinstance(gk.gradient(z), tuple)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_lines_of_an_nd_array_match_one_dimensional_calls(axis):
    rng = np.random.default_rng(1)
    x = np.linspace(0, 2, 50)
    z = np.sin(x)[:, None] * np.ones(6) + 0.01 * rng.standard_normal((50, 6))
    if axis != 0:
        z = z.T
    g = smooth_gradient(z, x, axis=axis, method="spline")
    lines = np.moveaxis(z, axis, -1)
    expected = np.stack([smooth_gradient(line, x, method="spline") for line in lines])
    np.testing.assert_allclose(np.moveaxis(g, axis, -1), expected)


def test_gaussian_nd_is_exact_on_a_plane_and_auto_uses_it_on_images():
    y, x = np.mgrid[0:40, 0:50].astype(float)
    plane = 2.0 + 0.3 * x - 0.7 * y
    gy, gx = smooth_gradient(plane, 0.5, 0.25, method="gaussian")
    np.testing.assert_allclose(gy, -0.7 / 0.5, atol=1e-9)
    np.testing.assert_allclose(gx, 0.3 / 0.25, atol=1e-9)
    rng = np.random.default_rng(0)
    noisy = np.sin(x / 8) * np.cos(y / 6) + 0.05 * rng.standard_normal(x.shape)
    r = smooth_gradient(noisy, full_output=True)
    assert r.method == "gaussian"
    true_x = np.cos(x / 8) * np.cos(y / 6) / 8
    assert rms(np.gradient(noisy, axis=1) - true_x) > 2 * rms(r.gradient[1] - true_x)


def test_float32_is_kept_and_integers_become_float64():
    t, y, _ = bump(n=201)
    r = smooth_gradient(y.astype(np.float32), t, full_output=True)
    assert r.gradient.dtype == np.float32 and r.values.dtype == np.float32 and r.std.dtype == np.float32
    assert smooth_gradient(np.arange(20) ** 2, method="savgol").dtype == np.float64


def test_nan_samples_are_gaps_dropped_and_reported():
    t, y, true = bump(n=401)
    holed = y.copy()
    holed[[0, 1, 150, 151, 152, 300]] = np.nan
    r = smooth_gradient(holed, t, method="spline", full_output=True)
    assert r.gaps == 6
    assert np.isnan(r.gradient[:2]).all()  # before the first sample: nothing to interpolate from
    inside = np.arange(2, 401)
    assert np.isfinite(r.gradient[inside]).all()
    assert rms(r.gradient[inside] - true[inside]) < 0.05


def test_gaps_in_evenly_spaced_data_for_filters():
    t, y, true = bump(n=301)
    y[[40, 41, 200]] = np.nan
    r = smooth_gradient(y, t[1] - t[0], method="gaussian", full_output=True)
    assert r.gaps == 3 and np.isfinite(r.gradient).all() and rms(r.gradient - true) < 0.1


def test_descending_coordinates():
    t, y, _ = bump(n=201)
    g = smooth_gradient(y[::-1], t[::-1], method="spline")
    np.testing.assert_allclose(g[::-1], smooth_gradient(y, t, method="spline"), atol=1e-8)


def test_long_records_are_binned_and_stay_accurate():
    t, y, true = bump(n=200_000, sigma=0.01, seed=2)
    r = smooth_gradient(y, t, full_output=True)
    assert r.params.get("binned", 1) > 1
    assert rms(r.gradient - true) < 0.005
    assert abs(r.noise / 0.01 - 1) < 0.1


@pytest.mark.parametrize("method", ["savgol", "gaussian", "spline"])
def test_binned_slopes_between_bin_centres_are_as_accurate_as_at_them(method):
    # Nearly noiseless exponential growth, binned by 3: the slope at the samples between the bin centres must
    # not carry the noise left in the fitted values (divided by the bin spacing), as the Hermite interpolant's did.
    t = np.linspace(0, 1, 10_000)
    rng = np.random.default_rng(0)
    clean = np.exp(4 * t)
    y = clean + 1e-4 * np.ptp(clean) * rng.standard_normal(t.size)
    r = smooth_gradient(y, t, method=method, full_output=True)
    assert r.params["binned"] == 3
    error = r.gradient - 4 * clean
    assert rms(error[0::3]) < 1.5 * rms(error[1::3])


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: smooth_gradient(np.ones(3), method="savgol"), ValueError, "y"),
        (lambda: smooth_gradient(np.array([1.0, np.nan, np.nan, 2.0]), method="spline"), ValueError, "y"),
        (lambda: smooth_gradient(np.ones(10), method="fourier"), ValueError, "method"),
        (lambda: smooth_gradient(np.ones(10), method="savgol", smoothing=4), ValueError, "smoothing"),
        (lambda: smooth_gradient(np.ones(10), method="spline", smoothing=-1.0), ValueError, "smoothing"),
        (lambda: smooth_gradient(np.ones(10), smoothing=1.0), ValueError, "smoothing"),
        (lambda: smooth_gradient(np.ones(10), degree=2.5), ValueError, "degree"),
        (lambda: smooth_gradient(np.ones(10), time_budget=0), ValueError, "time_budget"),
        (lambda: smooth_gradient(np.ones((5, 5)), axis=2), ValueError, "axis"),
        (lambda: smooth_gradient(np.array([1.0, np.inf] * 5)), ValueError, "y"),
        (lambda: smooth_gradient(np.ones(10) + 1j), TypeError, "y"),
        (lambda: smooth_gradient(np.array(["a"] * 10)), TypeError, "y"),
        (lambda: smooth_gradient(np.float64(3.0)), ValueError, "y"),
        (lambda: smooth_gradient(np.ones(10), np.arange(9.0)), ValueError, "distances"),
        (lambda: smooth_gradient(np.ones(10), 1.0, 2.0), TypeError, "arguments"),
        (lambda: smooth_gradient(np.ones(10), np.arange(10.0) ** 2, method="gaussian"), ValueError, "spacing"),
        (lambda: smooth_gradient(np.zeros(0)), ValueError, r"^y: has no samples along axis 0"),
        (lambda: smooth_gradient(np.zeros((0, 7))), ValueError, r"^y: has no samples along axis 0"),
        (lambda: smooth_gradient(np.zeros((0, 7)), axis=1), ValueError, r"^y: has no samples \(shape \(0, 7\)\)"),
        (lambda: smooth_gradient(np.zeros((7, 0)), axis=0, method="kalman"), ValueError, "^y: has no samples"),
    ],
)
def test_bad_arguments_raise_naming_the_argument(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_a_given_noise_level_makes_the_regression_spline_scipys_univariate_spline():
    scipy_interpolate = pytest.importorskip("scipy.interpolate")
    t, y, _ = bump(n=301)
    g = smooth_gradient(y, t, method="regression", smoothing=0.01)
    # The same spline, in coordinates scaled to a unit mean step (the knots FITPACK places do not depend on it).
    step = t[1] - t[0]
    u = (t - t[0]) / step
    curve = scipy_interpolate.UnivariateSpline(u, y, k=5, s=301 * 0.01**2)
    np.testing.assert_allclose(g, curve.derivative()(u) / step, rtol=1e-6, atol=1e-8)


def test_auto_on_a_small_grid_takes_the_gaussian_filter_it_allows():
    """The n-D Gaussian filter needs 3 samples along each axis, the line estimators 5: a 4 x 4 grid is fine."""
    gx, gy = smooth_gradient(np.add.outer(np.arange(4.0), 2 * np.arange(4.0)))
    np.testing.assert_allclose(gx, 1.0, atol=1e-12)
    np.testing.assert_allclose(gy, 2.0, atol=1e-12)


def test_quantised_samples_are_not_taken_for_noiseless():
    """Sixth differences of rounded samples (an ADC's, an encoder's) are mostly exactly 0, but the rounding is
    noise: the regression spline keeps the GCV spline's noise level there (with the differences' level, a knot
    at nearly every sample gave slopes 1e8 off)."""
    t = np.linspace(0, 1, 1000)
    y = np.round(20 * np.sin(2 * np.pi * t))
    r = smooth_gradient(y, t, method="regression", full_output=True)
    assert r.params["noise"] > 0.05  # the rounding's σ is 1/sqrt(12) = 0.29 here; the GCV spline sees 0.14
    assert np.max(np.abs(r.gradient)) < 10 * 2 * np.pi * 20
