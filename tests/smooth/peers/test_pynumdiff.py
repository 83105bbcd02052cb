"""PyNumDiff's test problems and error bounds, as an outside oracle for `gradkit.smooth_gradient`.

Origin: florisvb/PyNumDiff, ``pynumdiff/tests/test_diff_methods.py`` (``test_diff_method``,
``test_multidimensionality``, ``test_missing_data``), ``pynumdiff/tests/test_utils.py`` (``test_robust_noise_scale``)
and the older ``pynumdiff/tests/test_finite_difference.py`` (``test_first_order_1``). PyNumDiff itself is not
imported: its signals, grids, noise draw and bounds are rebuilt here with NumPy.

PyNumDiff's measure: for each (method, signal, noiseless or noisy) the 2-norm of the derivative's error over all
samples (not an RMS) and its largest absolute value must each lie below a power of ten from its table; an exponent
of -12 is its round-off floor. Only the derivative columns of its table are carried over.

gradkit differs on purpose in one respect: PyNumDiff hands each method parameters tuned by hand for these
signals, gradkit chooses its own from the data. So the bounds are applied three ways:

1. PyNumDiff's finite differences (orders 1, 2, 4) take no smoothing parameter: their bounds bind ``"auto"``
   as they stand.
2. Against all of PyNumDiff's hand-tuned methods, ``"auto"`` must meet the median bound (the lower middle one
   for the six methods of the uneven grid): as good as a typical tuned method, not the best tuned one.
3. Each gradkit method meets the bound of the PyNumDiff method of the same family, as it stands.

Not ported: ``test_circular_rtsdiff`` (wrapped angles; gradkit has no such option), ``test_optimize.py``
(PyNumDiff's own parameter search on its simulator), the outliers of ``test_robust_noise_scale`` (gradkit's noise
level is a least-squares estimate, not a robust one), and the old fixed-output tests on a 15-point arbitrary series
(``test_kalman_smooth.py``, ``test_linear_model.py``, ``test_total_variation_regularization.py``: no true
derivative to compare with).
"""

import statistics

import numpy as np
import pytest

import gradkit as gk

pytest.importorskip("scipy")

# test_diff_methods.py: 31 samples on [0, 3], step 0.1; the uneven grid is ~8x denser at the start than the end.
DT = 0.1
T = np.linspace(0, 3, 31)
T_IRREG = 3 * np.linspace(0, 1, 31) ** 1.5
NOISE = 0.05 * np.random.RandomState(7).randn(31)  # np.random.seed(7) then randn: the legacy generator's stream

SIGNALS = [  # (name, x(t), x'(t))
    ("constant", lambda t: np.ones_like(t), lambda t: np.zeros_like(t)),
    ("affine", lambda t: 2 * t + 1, lambda t: np.full_like(t, 2.0)),
    ("quadratic", lambda t: t**2 - t + 1, lambda t: 2 * t - 1),
    ("sine", lambda t: np.sin(3 * t) + 0.5, lambda t: 3 * np.cos(3 * t)),
    ("growing_sine", lambda t: np.exp(t) * np.sin(5 * t), lambda t: np.exp(t) * (5 * np.cos(5 * t) + np.sin(5 * t))),
    (
        "steep",
        lambda t: np.sin(8 * t) / (t + 0.1) ** 1.5,
        lambda t: ((0.8 + 8 * t) * np.cos(8 * t) - 1.5 * np.sin(8 * t)) / (t + 0.1) ** 2.5,
    ),
]
NAMES = [s[0] for s in SIGNALS]

FLR = -12  # PyNumDiff's round-off floor
# PyNumDiff's error_bounds, derivative columns only: per method, per signal (in SIGNALS' order), the exponents
# (2-norm noiseless, max noiseless, 2-norm noisy, max noisy).
BOUNDS = {
    "kerneldiff_uniform": [(FLR, FLR, 0, 0), (1, 1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "kerneldiff_median": [(FLR, FLR, 0, 0), (1, 1, 1, 1), (1, 1, 1, 1), (0, 0, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "kerneldiff_gaussian": [(FLR, FLR, 1, 0), (1, 0, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "kerneldiff": [(FLR, FLR, 1, 0), (1, 0, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "butterdiff": [(FLR, FLR, 1, 1), (-2, -2, 1, 1), (-1, -1, 1, 1), (0, -1, 1, 1), (1, 1, 1, 1), (3, 3, 3, 3)],
    "finitediff_1": [(FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (0, 0, 1, 1), (1, 0, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "finitediff": [(FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (0, -1, 1, 1), (1, 1, 1, 1), (3, 3, 3, 3)],
    "finitediff_4": [(FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (-2, -2, 1, 1), (1, 0, 1, 1), (2, 2, 2, 2)],
    "iterated_finitediff": [(FLR, FLR, 0, 0), (FLR, FLR, 0, 0), (0, 0, 0, 0), (1, 0, 1, 0), (2, 2, 2, 2), (3, 3, 3, 3)],
    "iterated_finitediff_4": [
        (FLR, FLR, 0, 0),
        (FLR, FLR, 0, 0),
        (0, 0, 0, 0),
        (1, 1, 1, 1),
        (2, 2, 2, 2),
        (3, 3, 3, 3),
    ],
    "polydiff": [(FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (-1, -1, 1, 1), (1, 1, 1, 1), (2, 2, 3, 3)],
    "polydiff_irreg_step": [
        (FLR, FLR, 1, 1),
        (FLR, FLR, 1, 1),
        (FLR, FLR, 1, 1),
        (-1, -1, 1, 1),
        (1, 1, 1, 1),
        (2, 2, 2, 2),
    ],
    "savgoldiff": [(FLR, FLR, 0, 0), (FLR, FLR, 0, 0), (-1, -1, 0, 0), (0, 0, 1, 0), (2, 2, 2, 2), (3, 3, 3, 3)],
    "splinediff": [(FLR, FLR, 0, 0), (FLR, FLR, 0, 0), (FLR, FLR, 0, 0), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "spline_irreg_step": [
        (FLR, FLR, 0, 0),
        (FLR, FLR, 0, 0),
        (FLR, FLR, 0, 0),
        (1, 1, 1, 1),
        (2, 2, 2, 1),
        (2, 2, 3, 2),
    ],
    "spectraldiff": [(FLR, FLR, 0, 0), (1, 1, 1, 1), (1, 1, 1, 1), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "rbfdiff": [(0, 0, 1, 0), (1, 0, 1, 1), (1, 1, 1, 1), (0, 0, 1, 0), (2, 2, 2, 2), (3, 3, 3, 3)],
    "waveletdiff": [(FLR, FLR, 0, 0), (FLR, FLR, 1, 1), (0, 0, 0, 0), (1, 0, 1, 1), (1, 1, 1, 1), (3, 3, 3, 3)],
    "tvrdiff_1": [(FLR, FLR, 1, 0), (-11, FLR, -1, -2), (1, 0, 1, 0), (1, 1, 1, 0), (2, 2, 2, 2), (3, 3, 3, 3)],
    "tvrdiff": [(FLR, FLR, 1, 0), (-9, -9, 0, -1), (-9, -10, 0, -1), (1, 0, 1, 0), (2, 2, 2, 2), (3, 3, 3, 3)],
    "tvrdiff_3": [(FLR, FLR, 0, 0), (-9, -9, 0, 0), (-9, -10, 0, 0), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "iterative_velocity": [(FLR, FLR, 0, 0), (0, 0, 1, 0), (1, 0, 1, 0), (1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3)],
    "smooth_acceleration": [
        (FLR, FLR, 0, 0),
        (-10, -10, -1, -1),
        (-1, -1, 0, -1),
        (1, 0, 1, 0),
        (2, 2, 2, 2),
        (3, 3, 3, 3),
    ],
    "rtsdiff": [(FLR, FLR, 1, 1), (-4, -4, 1, 1), (-3, -3, 1, 1), (0, 0, 1, 1), (1, 1, 1, 1), (3, 3, 3, 3)],
    "rtsdiff_irreg_step": [(FLR, FLR, 1, 1), (-4, -4, 1, 1), (-3, -3, 1, 1), (0, -1, 1, 1), (1, 1, 1, 1), (3, 3, 3, 3)],
    "robustdiff": [(FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (FLR, FLR, 1, 1), (-2, -2, 1, 1), (1, 1, 1, 1), (3, 3, 3, 2)],
    "robust_irreg_step": [
        (FLR, FLR, 1, 1),
        (FLR, FLR, 1, 1),
        (FLR, FLR, 1, 1),
        (-1, -1, 1, 1),
        (1, 1, 1, 1),
        (3, 3, 3, 3),
    ],
    "lineardiff": [(FLR, FLR, 1, 1), (0, 0, 1, 0), (1, 1, 1, 1), (0, 0, 1, 1), (2, 2, 2, 2), (2, 2, 2, 2)],
    "lineardiff_irreg_step": [(FLR, FLR, 1, 1), (1, 0, 1, 0), (0, 0, 1, 1), (0, 0, 1, 0), (2, 1, 2, 1), (2, 2, 2, 2)],
}
IRREGULAR = {  # the methods PyNumDiff runs on T_IRREG instead of T
    "spline_irreg_step",
    "polydiff_irreg_step",
    "rbfdiff",
    "rtsdiff_irreg_step",
    "robust_irreg_step",
    "lineardiff_irreg_step",
}


def _case_id(signal: int, noisy: bool) -> str:
    return f"{NAMES[signal]}-{'noisy' if noisy else 'clean'}"


def _params(rows, xfails):
    """pytest params from (id, *values) rows; ids in ``xfails`` are expected failures, with the measured numbers."""
    out = []
    for case_id, *values in rows:
        marks = [pytest.mark.xfail(strict=True, reason=xfails[case_id])] if case_id in xfails else []
        out.append(pytest.param(*values, id=case_id, marks=marks))
    return out


_ERRORS: dict = {}


def derivative_errors(method: str, signal: int, noisy: bool, irregular: bool) -> tuple[float, float]:
    """PyNumDiff's two measures of gradkit's derivative: the error's 2-norm over the samples and its largest value."""
    key = (method, signal, noisy, irregular)
    if key not in _ERRORS:
        t = T_IRREG if irregular else T
        _, f, df = SIGNALS[signal]
        y = f(t) + NOISE if noisy else f(t)
        err = gk.smooth_gradient(y, T_IRREG if irregular else DT, method=method) - df(t)
        _ERRORS[key] = (float(np.linalg.norm(err)), float(np.max(np.abs(err))))
    return _ERRORS[key]


def assert_within(errors: tuple[float, float], exponents: tuple[int, int]) -> None:
    (l2, linf), (a, b) = errors, exponents
    assert l2 < 10.0**a and linf < 10.0**b, f"2-norm {l2:.3g} (bound 1e{a}), max {linf:.3g} (bound 1e{b})"


def column(noisy: bool) -> slice:
    return slice(2, 4) if noisy else slice(0, 2)


# --- 1. test_diff_method with PyNumDiff's finite differences: no parameter to tune, so their bounds bind auto ---

FINITE_DIFFERENCES = ["finitediff_1", "finitediff", "finitediff_4"]
FD_XFAILS = {
    f"{peer}-growing_sine-noisy": "e^t sin 5t with noise: auto picks the cubic smoothing spline, 2-norm 15, max 14 "
    "(its natural end condition, zero curvature, is off at t=3 where x'' = -466: the error there is 14, the next "
    "largest 4.6; with lambda near 0 the spline still errs 13.8 there); PyNumDiff's plain finite difference "
    f"of this order meets 2-norm < 10 and max < 10 ({peer})"
    for peer in ("finitediff", "finitediff_4")
}


@pytest.mark.parametrize(
    "peer,signal,noisy",
    _params(
        [
            (f"{peer}-{_case_id(s, n)}", peer, s, n)
            for peer in FINITE_DIFFERENCES
            for s in range(len(SIGNALS))
            for n in (False, True)
        ],
        FD_XFAILS,
    ),
)
def test_auto_meets_the_bounds_of_parameter_free_finite_differences(peer, signal, noisy):
    """test_diff_method.py::test_diff_method with finitediff (orders 1, 2 and 4), the even grid.

    Finite differences take no smoothing parameter, so nothing was tuned by hand: ``"auto"``, which smooths only
    as much as the data call for, must do at least as well on every signal, noiseless (then near-exact on the
    polynomials: the round-off floor 1e-12) and noisy.
    """
    assert_within(derivative_errors("auto", signal, noisy, False), BOUNDS[peer][signal][column(noisy)])


# --- 2. test_diff_method, all of PyNumDiff's (hand-tuned) methods: auto meets the median bound ---


def median_bound(signal: int, noisy: bool, irregular: bool) -> tuple[int, int]:
    names = [n for n in BOUNDS if (n in IRREGULAR) == irregular]
    return tuple(statistics.median_low(BOUNDS[n][signal][c] for n in names) for c in range(4)[column(noisy)])


@pytest.mark.parametrize(
    "irregular,signal,noisy",
    _params(
        [
            (f"{'uneven' if u else 'even'}-{_case_id(s, n)}", u, s, n)
            for u in (False, True)
            for s in range(len(SIGNALS))
            for n in (False, True)
        ],
        {},
    ),
)
def test_auto_meets_the_median_bound_of_the_tuned_methods(irregular, signal, noisy):
    """test_diff_method.py::test_diff_method, every method and signal, even grid (23 methods) and uneven grid (6).

    PyNumDiff's parameters were tuned by hand for these 31 samples; gradkit tunes itself from the data, so it is
    held to the middle of their bounds (the lower of the two middle ones on the uneven grid), not the best.
    """
    assert_within(derivative_errors("auto", signal, noisy, irregular), median_bound(signal, noisy, irregular))


# --- 3. test_diff_method: each gradkit method against the PyNumDiff method of its family ---

FAMILIES = [  # (gradkit method, PyNumDiff method, uneven grid)
    ("regression", "splinediff", False),
    ("regression", "spline_irreg_step", True),
    ("savgol", "savgoldiff", False),
    ("savgol", "polydiff_irreg_step", True),
    ("gaussian", "kerneldiff_gaussian", False),
    ("tv", "tvrdiff_1", False),
    ("kalman", "rtsdiff", False),
    ("kalman", "rtsdiff_irreg_step", True),
]
_END = "the error is largest at t=3, the natural end condition (zero curvature) of the constant-velocity smoother"
FAMILY_XFAILS = {
    "savgol-polydiff_irreg_step-affine-clean": "noiseless 2t+1 on the uneven grid: savgol (window 21, degree 3) "
    "2-norm 1.01e-12, max 8.7e-13; PyNumDiff's polydiff meets its round-off floor, 2-norm < 1e-12",
    "savgol-polydiff_irreg_step-quadratic-clean": "noiseless t^2-t+1 on the uneven grid: savgol (window 13, degree 3) "
    "2-norm 1.59e-12, max 1.48e-12 (at t=3); PyNumDiff's polydiff meets its round-off floor, both < 1e-12",
    "savgol-polydiff_irreg_step-growing_sine-noisy": "e^t sin 5t with noise on the uneven grid: savgol (window 7, "
    "degree 5) 2-norm 10.5, max 9.3 (at t=0, where the samples are densest); PyNumDiff's polydiff meets "
    "2-norm < 10, max < 10",
    "kalman-rtsdiff-growing_sine-clean": f"noiseless e^t sin 5t: kalman 2-norm 14.5, max 14.0; {_END}; PyNumDiff's "
    "rtsdiff meets 2-norm < 10, max < 10",
    "kalman-rtsdiff-growing_sine-noisy": f"e^t sin 5t with noise: kalman 2-norm 15.4, max 14.2; {_END}; PyNumDiff's "
    "rtsdiff meets 2-norm < 10, max < 10",
    "kalman-rtsdiff_irreg_step-sine-clean": f"noiseless sin 3t on the uneven grid: kalman 2-norm 0.169, max 0.163; "
    f"{_END}; PyNumDiff's rtsdiff meets 2-norm < 1, max < 0.1",
    "kalman-rtsdiff_irreg_step-growing_sine-clean": "noiseless e^t sin 5t on the uneven grid: kalman 2-norm 22.0, "
    f"max 21.2; {_END}; PyNumDiff's rtsdiff meets 2-norm < 10, max < 10",
    "kalman-rtsdiff_irreg_step-growing_sine-noisy": "e^t sin 5t with noise on the uneven grid: kalman 2-norm 23.1, "
    f"max 21.3; {_END}; PyNumDiff's rtsdiff meets 2-norm < 10, max < 10",
}


def _family_rows():
    for method, peer, irregular in FAMILIES:
        for s in range(len(SIGNALS)):
            for n in (False, True):
                if method == "kalman" and NAMES[s] == "quadratic" and not n:
                    continue  # constant-velocity model: not exact on a noiseless quadratic by design (see docstring)
                yield (f"{method}-{peer}-{_case_id(s, n)}", method, peer, irregular, s, n)


@pytest.mark.parametrize("method,peer,irregular,signal,noisy", _params(_family_rows(), FAMILY_XFAILS))
def test_each_method_meets_the_bound_of_its_pynumdiff_family(method, peer, irregular, signal, noisy):
    """test_diff_method.py::test_diff_method, the method of the same family, its bound as it stands.

    regression ~ splinediff (FITPACK spline of degree 5 whose residual matches a noise estimate; PyNumDiff is
    given s=2, gradkit takes its own estimate). savgol ~ savgoldiff (degree 2, window 5) on the even grid and
    polydiff (degree 5, window 15) on the uneven one: sliding local polynomials, window and degree by GCV here.
    gaussian ~ kerneldiff with a Gaussian kernel of 5 samples. tv ~ tvrdiff of order 1 (total variation of the
    derivative penalised). kalman ~ rtsdiff: PyNumDiff runs a constant-acceleration model with q/r = 1e7 fixed,
    gradkit a constant-velocity model with the variances by maximum likelihood; the noiseless quadratic, which
    only the higher-order model reproduces exactly, is left out.
    """
    assert_within(derivative_errors(method, signal, noisy, irregular), BOUNDS[peer][signal][column(noisy)])


# --- 4. test_diff_method's linearity check: scaling the data scales the derivative ---

SCALE_XFAILS = {
    "tv-even-constant": "TV on the noisy constant: scaling by 1e-3 and 1e3 changes the derivative by 6.7e-9 and "
    "1.3e-8 of its largest value (PyNumDiff's limit 1e-9)",
    "tv-uneven-constant": "TV on the noisy constant, uneven grid: scaling by 1e-3 and 1e3 changes the derivative by "
    "2.8e-8 and 4.1e-8 of its largest value (PyNumDiff's limit 1e-9)",
}


@pytest.mark.parametrize(
    "method,irregular,signal",
    _params(
        [
            (f"{m}-{'uneven' if u else 'even'}-{NAMES[s]}", m, u, s)
            for m in ("auto", "regression", "spline", "savgol", "kalman", "gaussian", "tv")
            for u in (False, True)
            if not (u and m == "gaussian")
            for s in range(len(SIGNALS))
        ],
        SCALE_XFAILS,
    ),
)
def test_scaling_the_samples_scales_the_derivative(method, irregular, signal):
    """test_diff_method.py::test_diff_method, the check after the bounds: for a = 1e-3 and 1e3 the derivative of
    a·x, divided by a, matches that of x to 1e-9 of its largest value (no threshold in absolute units)."""
    t = T_IRREG if irregular else T
    spacing = T_IRREG if irregular else DT
    y = SIGNALS[signal][1](t) + NOISE
    g = gk.smooth_gradient(y, spacing, method=method)
    for a in (1e-3, 1e3):
        ga = gk.smooth_gradient(a * y, spacing, method=method) / a
        assert np.max(np.abs(ga - g)) / np.max(np.abs(g)) < 1e-9, a


# --- 5. test_multidimensionality: a mixed second derivative and a Laplacian on a 101 x 100 grid ---

T1, T2 = np.meshgrid(np.linspace(-1, 0.98, 100), np.linspace(-1, 1, 101))
DT2 = 0.02
SURFACE = T1**2 * np.sin(1.5 * np.pi * T2)
MIXED = 3 * np.pi * T1 * np.cos(1.5 * np.pi * T2)
LAPLACIAN = (2 - 9 / 4 * np.pi**2 * T1**2) * np.sin(1.5 * np.pi * T2)
MULTI_BOUNDS = {  # PyNumDiff's multidim_error_bounds: ((2-norm, max) mixed, (2-norm, max) Laplacian)
    "finitediff": ((0, -1), (1, -1)),
    "kerneldiff": ((2, 1), (3, 2)),
    "savgoldiff": ((0, -1), (1, 1)),
}
_PER_AXIS = [("regression", "finitediff"), ("gaussian", "kerneldiff")]


def _multi_errors(mixed: np.ndarray, laplacian: np.ndarray):
    return [
        (float(np.linalg.norm(g - w)), float(np.max(np.abs(g - w))))
        for g, w in ((mixed, MIXED), (laplacian, LAPLACIAN))
    ]


@pytest.mark.parametrize(
    "method,peer",
    _params(
        [(f"{m}-{p}", m, p) for m, p in _PER_AXIS],
        {},
    ),
)
def test_mixed_derivative_and_laplacian_one_axis_at_a_time(method, peer):
    """test_diff_method.py::test_multidimensionality: x = t1² sin(3πt2/2) on a 101 x 100 grid, step 0.02,
    noiseless, differentiated along one axis and then again (``axis=``), as PyNumDiff calls its methods.

    regression is held to the bound of PyNumDiff's finite difference (no parameter; PyNumDiff's own spline is an
    interpolating one of degree 9, which gradkit is not asked for), Gaussian to that of PyNumDiff's Gaussian
    kernel (5 samples). ``"auto"`` along one axis tunes each of the 100 lines (about 5 s a pass here, 5 passes),
    so it is checked through the n-D call below instead.
    """

    def d(a, axis):
        return gk.smooth_gradient(a, DT2, axis=axis, method=method)

    d0 = d(SURFACE, 0)
    for got, bound in zip(_multi_errors(d(d0, 1), d(d0, 0) + d(d(SURFACE, 1), 1)), MULTI_BOUNDS[peer]):
        assert_within(got, bound)


@pytest.mark.xfail(
    strict=True,
    reason="auto on the grid is the n-D Gaussian filter at its smallest width (sigma = 0.5 samples): mixed derivative "
    "2-norm 4.04, max 0.44 (at a corner), Laplacian 2-norm 78.6, max 10.3 (at the edge t2=-1), the same as "
    "np.gradient's (3.8, 0.44, 78.5, 10.3): the first pass errs 0.22 at the edges against 0.007 inside; "
    "PyNumDiff's finite difference meets 1, 0.1, 10, 0.1",
)
def test_mixed_derivative_and_laplacian_with_auto_on_the_grid():
    """test_diff_method.py::test_multidimensionality with gradkit's own call for a grid: ``smooth_gradient(x, h)``
    differentiates along both axes at once ("auto" is then the n-D Gaussian filter), and again on each result.
    No parameter is given, so PyNumDiff's finite difference's bound applies as it stands."""
    d0, d1 = gk.smooth_gradient(SURFACE, DT2)
    d00, d01 = gk.smooth_gradient(d0, DT2)
    _, d11 = gk.smooth_gradient(d1, DT2)
    for got, bound in zip(_multi_errors(d01, d00 + d11), MULTI_BOUNDS["finitediff"]):
        assert_within(got, bound)


# --- 6. test_missing_data ---


@pytest.mark.parametrize("method", ["auto", "regression", "spline", "savgol", "kalman", "gaussian", "tv"])
def test_gaps_leave_a_finite_answer(method):
    """test_diff_method.py::test_missing_data: sin t on the even grid with samples 5, 10, 15 and 22-25 missing (NaN);
    the smoothed values and the derivative must be finite everywhere (gaps lie inside the record)."""
    y = np.sin(T)
    y[[5, 10, 15]] = np.nan
    y[22:26] = np.nan
    r = gk.smooth_gradient(y, DT, method=method, full_output=True)
    assert np.all(np.isfinite(r.values)) and np.all(np.isfinite(r.gradient))
    assert r.gaps == 7


# --- 7. test_utils.py::test_robust_noise_scale: the noise level read off the data ---


@pytest.mark.parametrize("sigma", [0.0, 0.01, 0.1, 1.0])
def test_noise_level_of_a_sine(sigma):
    """test_utils.py::test_robust_noise_scale: sin 3t, 4000 samples on [0, 4]; noiseless, the estimate is below
    1e-3; with Gaussian noise σ it is within 10 % of σ. PyNumDiff's draw depends on the tests run before it in
    the module, so a seeded draw of the same size stands in; its two outliers are left out (gradkit's estimate is
    a least-squares one, not robust)."""
    t = np.linspace(0, 4, 4000)
    y = np.sin(3 * t) + sigma * np.random.RandomState(7).normal(0, 1, t.size)
    noise = gk.smooth_gradient(y, t, full_output=True).noise
    if sigma == 0.0:
        assert noise < 1e-3
    else:
        assert noise == pytest.approx(sigma, rel=0.1)


# --- 8. test_finite_difference.py::test_first_order_1 (older suite) ---


@pytest.mark.parametrize("method", ["auto", "regression", "spline", "savgol", "kalman", "gaussian", "tv"])
def test_five_samples_of_a_line(method):
    """test_finite_difference.py::test_first_order_1: x = 1, 2, 3, 4, 5 at step 0.01 has slope 100 everywhere
    (PyNumDiff asserts it exactly; here to the round-off floor 1e-12 relative)."""
    g = gk.smooth_gradient(np.array([1.0, 2, 3, 4, 5]), 0.01, method=method)
    np.testing.assert_allclose(g, 100.0, rtol=1e-12)
