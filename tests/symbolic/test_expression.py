"""Expression: the allowlisted parser, exact derivatives, compiled evaluation, and the hostile corpus."""

import time
import warnings

import numpy as np
import pytest
from hostile import HOSTILE
from hypothesis import given
from hypothesis import strategies as st

import gradkit as gk
from gradkit.symbolic import FormulaError

pytest.importorskip("sympy")


def test_the_hostile_corpus_has_at_least_100_entries():
    assert len(HOSTILE) >= 100


@pytest.mark.parametrize("text", HOSTILE, ids=lambda t: repr(t)[:40])
def test_hostile_text_is_rejected_quickly_with_a_formula_error(text):
    start = time.perf_counter()
    with pytest.raises(FormulaError) as caught:
        gk.Expression(text)
    assert time.perf_counter() - start < 1.0
    assert isinstance(caught.value, ValueError)
    assert str(caught.value)


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("eval(x)", "unknown function 'eval'", 1),
        ("x + foo(y)", "unknown function 'foo'", 5),
        ("x.real", "attribute access", 1),
        ("2 * (x % 3)", "operator '%'", 6),
        ("x^2 + y[0]", "indexing", 7),
        ("sin(x) + lambda: 1", "syntax error", None),
        ("x +* y", "syntax error", 4),
        ("9**9**9", "exponent too large", 1),
        ("x^2 + \uff58", "plain ASCII only", 7),
        ("x/0", "'x/0' is infinite", 1),
        ("y + log(x - x)", "'log\\(x - x\\)' is infinite", 5),
        ("x * 0/0", "'x \\* 0/0' is undefined", 1),
        ("x + atan2(0, 0)", "undefined", 5),
        ("x^2 + sqrt(-1)", "'sqrt\\(-1\\)' is not a real number", 7),
        ("x*(-8)^(1/3)", "'\\(-8\\)\\^\\(1/3\\)' is not a real number", 3),
        ("acos(2) + x", "not a real number", 1),
        ("x*10^400", "too large for double precision", 3),
        ("exp(1000) - x", "too large for double precision", 1),
    ],
)
def test_rejections_name_the_problem_and_its_column(text, message, column):
    with pytest.raises(FormulaError, match=message) as caught:
        gk.Expression(text)
    if column is not None:
        assert caught.value.column == column
        assert f"at column {column}" in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2x", "2*x"),
        ("3sin(x)", "3*sin(x)"),
        ("2(x + y)", "2*(x + y)"),
        ("(x + 1)(x - 1)", "(x + 1)*(x - 1)"),
        ("(x)2", "(x)*2"),
        ("2.5e-3x", "2.5e-3*x"),
        (".5x + 1", "0.5*x + 1"),
        ("2 x", "2*x"),
        ("-2x^2 + 3y", "-2*x^2 + 3*y"),
        ("2e", "2*e"),
        ("2pi*x", "2*pi*x"),
        ("x2 + 1", "x2 + 1"),
        ("2x/3", "2*x/3"),
        ("sin(2x)^2", "sin(2*x)^2"),
        ("3sin(x)cos(y)", "3*sin(x)*cos(y)"),
    ],
)
def test_a_product_may_be_written_without_its_star_where_nothing_else_is_meant(typed, meant):
    assert str(gk.Expression(typed)) == str(gk.Expression(meant))


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x/2y", 4),
        ("1/2 x", 5),
        ("e^2x", 4),
        ("x^2y", 4),
        ("x**2y", 5),
        ("x^-2y", 5),
        ("(x+1)/(x-1)(x+2)", 12),
        ("x/sin(x)(y)", 9),
    ],
)
def test_a_starless_product_right_after_a_division_or_a_power_is_refused_as_ambiguous(text, column):
    with pytest.raises(FormulaError, match="ambiguous") as caught:
        gk.Expression(text)
    assert caught.value.column == column


def test_names_and_numbers_side_by_side_stay_errors_and_columns_stay_the_typed_ones():
    for text in ("sin x", "x y", "2 3"):
        with pytest.raises(FormulaError, match="syntax error"):
            gk.Expression(text)
    with pytest.raises(FormulaError, match="unknown function 'foo'") as caught:
        gk.Expression("2x + foo(y)")
    assert caught.value.column == 6
    with pytest.raises(FormulaError, match="complex constant"):
        gk.Expression("2 + 1j")


def test_allowed_functions_and_constants_parse_and_evaluate_like_numpy():
    x = np.linspace(0.2, 0.8, 7)
    y = np.linspace(1.1, 1.9, 7)
    cases = {
        "sin(x) + cos(y) - tan(x)": np.sin(x) + np.cos(y) - np.tan(x),
        "asin(x) * acos(x) + atan(y) + atan2(y, x)": np.arcsin(x) * np.arccos(x) + np.arctan(y) + np.arctan2(y, x),
        "sinh(x) + cosh(y) + tanh(x) + asinh(y) + acosh(y) + atanh(x)": np.sinh(x)
        + np.cosh(y)
        + np.tanh(x)
        + np.arcsinh(y)
        + np.arccosh(y)
        + np.arctanh(x),
        "exp(x) + log(y) + log10(y) + log2(y)": np.exp(x) + np.log(y) + np.log10(y) + np.log2(y),
        "sqrt(x) + cbrt(x - 1) + abs(x - 0.5) + sign(x - 0.5)": np.sqrt(x)
        + np.cbrt(x - 1)
        + np.abs(x - 0.5)
        + np.sign(x - 0.5),
        "min(x, y, 0.5) + max(x, 0.4) + hypot(x, y)": np.minimum(np.minimum(x, y), 0.5)
        + np.maximum(x, 0.4)
        + np.hypot(x, y),
        "pi * e + x^2 ** 1 - -y + +x / 2": np.pi * np.e + x**2 + y + x / 2,
    }
    for text, expected in cases.items():
        np.testing.assert_allclose(gk.Expression(text, variables=["x", "y"]).evaluate(x, y), expected, rtol=1e-13)
    from scipy.special import erf

    np.testing.assert_allclose(gk.Expression("erf(x)").evaluate(x), erf(x), rtol=1e-14)


def test_constant_parts_evaluate_as_numpy_does():
    """cbrt is the real cube root in constant parts too (sympy's evalf alone gives the complex principal root)."""
    assert gk.Expression("cbrt(-8) + x").evaluate(1.0) == -1.0
    assert gk.Expression("x * cbrt(-sqrt(2))").evaluate(1.0) == pytest.approx(np.cbrt(-np.sqrt(2)), rel=1e-15)
    # exact arithmetic may leave double precision inside a constant as long as what is left is finite
    assert gk.Expression("x * 10^300 / 10^299").evaluate(2.0) == 20.0
    assert gk.Expression("exp(-1000) * x").evaluate(2.0) == 0.0


def test_powers_of_long_fractions_finish_at_once_in_30_digits():
    # exactly, ((1 + 10^-30)^1000)^1000 has 30 million digits: building it never finished
    started = time.perf_counter()
    e = gk.Expression("(((1 + 10^-30)^1000)^1000)^1000 * x")
    assert time.perf_counter() - started < 1.0
    assert e.evaluate(2.0) == 2.0
    assert gk.Expression("(1/3)^1000 + x").evaluate(0.5) == 0.5


def test_caret_is_power_with_power_precedence():
    assert str(gk.Expression("x^2 + 1")) == "x^2 + 1"
    assert gk.Expression("2^3^2").evaluate() == 2**9


def test_variables_are_sorted_or_given_and_checked():
    assert gk.Expression("y*z + x").variables == ("x", "y", "z")
    assert gk.Expression("y*x", variables=["y", "x"]).variables == ("y", "x")
    assert gk.Expression("x", variables="x,t").variables == ("x", "t")
    with pytest.raises(FormulaError, match="not among the variables"):
        gk.Expression("x*y", variables=["x"])
    with pytest.raises(FormulaError, match="not allowed"):
        gk.Expression("x", variables=["x", "__y"])


def test_gradient_keeps_the_parent_variables_and_broadcasts_constants():
    e = gk.Expression("x^2 + 3*y")
    dx, dy = e.gradient()
    grid = np.ones((4, 5))
    assert dy.evaluate(grid, grid).shape == (4, 5)
    np.testing.assert_array_equal(dy.evaluate(grid, grid), 3.0)
    np.testing.assert_array_equal(dx.evaluate(2 * grid, grid), 4.0)
    assert gk.Expression("x", variables=["x", "y"]).diff("y").evaluate(grid, grid).shape == (4, 5)
    with pytest.raises(ValueError, match="variable must be one of"):
        e.diff("z")


def test_grad_at_accepts_names_or_positions_and_matches_the_seed_answer():
    e = gk.Expression("exp(-x^2)*exp(-y^2)")
    exact = -2 * np.array([0.3, -0.7]) * np.exp(-0.09 - 0.49)
    np.testing.assert_allclose(e.grad_at(x=0.3, y=-0.7), exact, rtol=1e-15)
    np.testing.assert_allclose(e.grad_at(0.3, -0.7), exact, rtol=1e-15)
    with pytest.raises(TypeError, match="missing a value"):
        e.grad_at(x=1.0)
    with pytest.raises(TypeError, match="unknown variable"):
        e.grad_at(x=1.0, y=2.0, z=3.0)


def test_latex_and_str():
    e = gk.Expression("sqrt(x)/y")
    assert str(e) == "sqrt(x)/y"
    assert e.latex == r"\frac{\sqrt{x}}{y}"
    assert gk.Expression("cbrt(x)").latex == r"\sqrt[3]{x}"
    # a cube root raised to a power, as in its own derivative
    assert gk.Expression("cbrt(x)").diff("x").latex == r"\frac{1}{3 \left(\sqrt[3]{x}\right)^{2}}"


def test_domain_errors_give_nan_with_a_runtime_warning():
    with pytest.warns(RuntimeWarning):
        values = gk.Expression("log(x)").evaluate(np.array([-1.0, 1.0]))
    assert np.isnan(values[0]) and values[1] == 0.0
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # the caller's errstate holds, as in NumPy
        warnings.simplefilter("error")
        assert np.isnan(gk.Expression("log(x) + 1/y").evaluate(-1.0, 0.0))
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        gk.Expression("1/x").evaluate(np.array([0.0]))


def test_evaluation_is_compiled_once():
    e = gk.Expression("sin(x)*cos(x)")
    e.evaluate(np.arange(3.0))
    compiled = e._compiled
    e.evaluate(np.arange(5.0))
    assert e._compiled is compiled


# --- exact gradients against gradkit's numerical ones ------------------------------------------------

UNARY = ["sin({})", "cos({})", "exp({} / 3)", "atan({})", "tanh({})", "sqrt(1 + ({})^2)", "log(2 + ({})^2)"]
BINARY = ["({}) + ({})", "({}) * ({})", "({}) - ({})", "({}) / (2 + ({})^2)", "hypot({}, 1 + ({})^2)"]


@st.composite
def formulas(draw, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(st.sampled_from(["x", "y", "z", "x*y", "1.5", "2*z"]))
    if draw(st.booleans()):
        return draw(st.sampled_from(UNARY)).format(draw(formulas(depth - 1)))
    template = draw(st.sampled_from(BINARY))
    left, right = draw(formulas(depth - 1)), draw(formulas(depth - 1))
    return template.format(left, right) if template.count("{}") == 2 else template.format(left)


@given(formulas(), st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_exact_gradient_agrees_with_richardson_at_random_points(text, point):
    e = gk.Expression(text, variables=["x", "y", "z"])
    exact = e.grad_at(*point)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        numerical = gk.grad(lambda p: e.evaluate(*p), point, method="richardson", full_output=True)
    scale = np.abs(exact).max() + 1.0
    np.testing.assert_allclose(numerical.value, exact, rtol=0, atol=max(1e-7 * scale, 10 * numerical.error.max()))


def test_derivatives_of_sign_are_zero_away_from_zero_and_nan_at_zero():
    slope = gk.Expression("abs(x)*sign(y)").diff("y")  # 2*Abs(x)*DiracDelta(y)
    np.testing.assert_array_equal(slope.evaluate([0.5, 0.5, -2.0], [0.0, 1.0, -3.0]), [np.nan, 0.0, 0.0])
    curvature = gk.Expression("sign(x)").diff("x").diff("x")  # 2*DiracDelta(x, 1)
    np.testing.assert_array_equal(curvature.evaluate([-1.0, 0.0, 2.0]), [0.0, np.nan, 0.0])


@pytest.mark.parametrize("text", ["max(max(x, y), 1)^2", "max(x, y, 1)*min(x, y, 0)"])
def test_max_min_and_their_slopes_broadcast_a_row_against_a_column(text):
    e = gk.Expression(text)
    row, column = np.linspace(-1.5, 2.0, 5)[None, :], np.linspace(-2.0, 1.5, 4)[:, None]
    grid_x, grid_y = np.broadcast_arrays(row, column)
    for f in (e, *e.gradient()):
        np.testing.assert_array_equal(f.evaluate(row, column), f.evaluate(grid_x, grid_y))


@pytest.mark.parametrize("text", ["(-(abs(x)))^0.5", "(-(abs(x)))^(1/3)"])
def test_roots_of_what_is_never_positive_are_refused(text):
    with pytest.raises(gk.FormulaError, match="not a real number"):
        gk.Expression(text)


def test_the_slope_of_sign_of_a_quotient_is_written_with_dirac():
    # sympy leaves d/dx sign(x/y) unevaluated (x/y is not real at y = 0); it is 2 dirac(x/y) / y
    d = gk.Expression("sign(x/y)").diff("x")
    assert "Derivative" not in str(d) and gk.Expression(str(d), variables=("x", "y")).expr == d.expr
    assert str(d) == "2*dirac(x/y)/y"
