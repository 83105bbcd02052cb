"""Each estimator against outside answers: exact polynomials, SciPy's own spline, a textbook RTS smoother."""

import numpy as np
import pytest

from gradkit.smooth import filters, local_poly, spectral, spline, state_space, total_variation

scipy_interpolate = pytest.importorskip("scipy.interpolate")


def uneven(n, seed=0):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.uniform(0.3, 1.7, n))


@pytest.mark.parametrize("degree", [2, 3, 4, 5])
@pytest.mark.parametrize("even", [True, False])
def test_savgol_is_exact_for_polynomials_of_its_degree(degree, even):
    x = np.arange(60.0) if even else uneven(60)
    coef = np.arange(1.0, degree + 2) / 10 ** np.arange(degree + 1)
    poly = np.polynomial.Polynomial(coef, domain=[0, 60], window=[-1, 1])
    fit = local_poly.savgol_fit(x, poly(x), 11, degree)
    np.testing.assert_allclose(fit.fitted, poly(x), rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(fit.derivative, poly.deriv()(x), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("degree", [3, 5])
def test_regression_spline_is_exact_for_polynomials_of_its_degree(degree):
    x = uneven(80, seed=2)
    poly = np.polynomial.Polynomial(np.arange(1.0, degree + 2), domain=[x[0], x[-1]], window=[-1, 1])
    fit = spline.regression_fit(x, poly(x), 0.0, degree)
    np.testing.assert_allclose(fit.derivative, poly.deriv()(x), rtol=1e-7, atol=1e-9)


def test_regression_spline_matches_scipys_univariate_spline_and_counts_its_coefficients():
    x = np.arange(200.0)
    y = np.sin(x / 20) + 0.05 * np.random.default_rng(6).standard_normal(200)
    fit = spline.regression_fit(x, y, 0.05, 5)
    curve = scipy_interpolate.UnivariateSpline(x, y, k=5, s=200 * 0.05**2)
    np.testing.assert_allclose(fit.derivative, curve.derivative()(x))
    assert fit.df == len(curve.get_coeffs())


@pytest.mark.parametrize(
    "fit",
    [
        lambda x, y: spline.spline_fit(x, y, 50.0),
        lambda x, y: state_space.kalman_fit(x, y, 50.0),
        lambda x, y: total_variation.tv_fit(x, y, 0.5),
    ],
    ids=["spline", "kalman", "tv"],
)
@pytest.mark.parametrize("even", [True, False])
def test_penalised_fits_keep_straight_lines_exactly(fit, even):
    # Straight lines are the null space of every penalty here (∫g''², the random-walk slope, TV of the slope).
    x = np.arange(40.0) if even else uneven(40)
    result = fit(x, 3.0 - 0.25 * x)
    np.testing.assert_allclose(result.fitted, 3.0 - 0.25 * x, atol=1e-8)
    np.testing.assert_allclose(result.derivative, -0.25, atol=1e-8)


def test_gaussian_filter_keeps_cubics_exactly():
    x = np.arange(80.0)
    y = 1 + 0.5 * x - 0.01 * x**2 + 2e-4 * x**3
    fit = filters.gaussian_fit(x, y, 4.0)
    np.testing.assert_allclose(fit.derivative, 0.5 - 0.02 * x + 6e-4 * x**2, atol=1e-9)


def test_spectral_is_exact_for_trigonometric_polynomials_below_the_cutoff():
    n = 64
    x = np.arange(n, dtype=float)
    t = 2 * np.pi * x / n
    y = np.sin(3 * t) + 0.5 * np.cos(5 * t)
    fit = spectral.spectral_fit(x, y, 1000.0)
    np.testing.assert_allclose(fit.derivative, (3 * np.cos(3 * t) - 2.5 * np.sin(5 * t)) * 2 * np.pi / n, atol=1e-12)


@pytest.mark.parametrize("lam", [0.1, 10.0, 1e4])
@pytest.mark.parametrize("even", [True, False])
def test_spline_is_scipys_smoothing_spline_for_the_same_penalty(lam, even):
    x = np.arange(120.0) if even else uneven(120, seed=3)
    rng = np.random.default_rng(1)
    y = np.sin(x / 15) + 0.05 * rng.standard_normal(len(x))
    ours = spline.spline_fit(x, y, lam)
    theirs = scipy_interpolate.make_smoothing_spline(x, y, lam=lam)
    np.testing.assert_allclose(ours.fitted, theirs(x), atol=1e-8)
    np.testing.assert_allclose(ours.derivative, theirs.derivative()(x), atol=1e-8)


def rts_smoother(x, y, q, r):
    """Textbook Kalman filter and Rauch–Tung–Striebel smoother, integrated random walk, nearly diffuse start."""
    n = len(y)
    m, p = np.array([y[0], 0.0]), np.diag([1e10, 1e10])
    ms, ps, mp, pp = [], [], [], []
    for k in range(n):
        if k:
            h = x[k] - x[k - 1]
            f = np.array([[1, h], [0, 1]])
            qk = q * np.array([[h**3 / 3, h**2 / 2], [h**2 / 2, h]])
            m, p = f @ m, f @ p @ f.T + qk
        mp.append(m)
        pp.append(p)
        gain = p[:, 0] / (p[0, 0] + r)
        m = m + gain * (y[k] - m[0])
        p = p - np.outer(gain, p[0])
        ms.append(m)
        ps.append(p)
    out = [ms[-1]]
    for k in range(n - 2, -1, -1):
        h = x[k + 1] - x[k]
        f = np.array([[1, h], [0, 1]])
        c = ps[k] @ f.T @ np.linalg.inv(pp[k + 1])
        out.append(ms[k] + c @ (out[-1] - mp[k + 1]))
    return np.array(out[::-1])


@pytest.mark.parametrize("even", [True, False])
def test_kalman_is_the_rts_smoother(even):
    x = np.arange(50.0) if even else uneven(50, seed=5)
    rng = np.random.default_rng(2)
    y = np.cos(x / 8) + 0.1 * rng.standard_normal(len(x))
    ratio = 30.0
    ours = state_space.kalman_fit(x, y, ratio)
    states = rts_smoother(x, y, q=0.01 / ratio, r=0.01)
    # The textbook start (variance 1e10) only approximates a diffuse one: agreement to 1e-4.
    np.testing.assert_allclose(ours.fitted, states[:, 0], atol=1e-4)
    np.testing.assert_allclose(ours.derivative, states[:, 1], atol=1e-4)


def test_kalman_likelihood_recovers_the_noise_variance():
    rng = np.random.default_rng(7)
    x = np.arange(2000.0)
    slope = np.cumsum(rng.standard_normal(2000)) * 1e-3  # the model itself: a random-walk slope
    y = np.cumsum(slope) + 0.05 * rng.standard_normal(2000)
    fit = state_space.kalman_tune(x, y)
    assert abs(np.sqrt(fit.params["noise_var"]) / 0.05 - 1) < 0.1


def test_total_variation_finds_a_kink():
    x = np.arange(300.0)
    rng = np.random.default_rng(4)
    truth = np.where(x < 150, 1.0, -0.5)
    y = np.cumsum(truth) + 2.0 * rng.standard_normal(300)
    fit = total_variation.tv_tune(x, y)
    error = np.abs(fit.derivative - truth)
    assert np.median(error) < 0.05
    # The same data through a smoothing spline rounds the corner over many more samples.
    rounded = np.abs(spline.spline_tune(x, y).derivative - truth)
    assert np.sqrt(np.mean(error**2)) < np.sqrt(np.mean(rounded**2))
