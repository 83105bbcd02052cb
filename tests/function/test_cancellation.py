"""Honesty where f loses digits inside: cancellation, and random formulas, against mpmath at 50 digits.

f's rounding error is then far above ``eps * |f|``: exp(x) - 1 - x near 0 carries the rounding of
exp(x) (about 1e-16) on a value of 1e-10, and (x + 1e8) - 1e8 that of 1e8. No answer may be confidently
wrong: a relative error above 1e-6 must come with ``success=False`` (``atol=0``, so that tiny derivatives
are judged relative to their size too).
"""

import random
import warnings

import mpmath
import numpy as np
import pytest

import gradkit as gk

mpmath.mp.dps = 50

CANCELLING = [
    ("tanh(x) - x", lambda t: np.tanh(t) - t, lambda t: mpmath.tanh(t) - t),
    ("exp(x) - 1 - x", lambda t: np.exp(t) - 1 - t, lambda t: mpmath.exp(t) - 1 - t),
    ("sin(x) - x", lambda t: np.sin(t) - t, lambda t: mpmath.sin(t) - t),
    ("cos(x) - 1", lambda t: np.cos(t) - 1, lambda t: mpmath.cos(t) - 1),
    ("log(1 + x) - x", lambda t: np.log(1 + t) - t, lambda t: mpmath.log(1 + t) - t),
    ("(x + 1e8) - 1e8 + x^2", lambda t: (t + 1e8) - 1e8 + t * t, lambda t: t + t * t),
]
POINTS = [
    sign * mantissa * 10.0**exponent for sign in (1, -1) for mantissa in (1.37, 2.71) for exponent in (-5, -3, -1)
]


def judge(result, exact):
    value = float(np.ravel(result.value)[0])
    relative = abs(value - exact) / max(abs(exact), 1e-300)
    return not (relative > 1e-6 and np.all(result.success)), (value, exact, float(np.ravel(result.error)[0]))


def exact_derivative(function, x, order):
    return float(mpmath.diff(function, mpmath.mpf(x), order))


@pytest.mark.parametrize(("name", "f", "reference"), CANCELLING, ids=[c[0] for c in CANCELLING])
def test_cancelling_functions_are_never_confidently_wrong(name, f, reference):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for x in POINTS:
            first, second = exact_derivative(reference, x, 1), exact_derivative(reference, x, 2)
            point = np.array([x])
            outcomes = {
                "derivative": (gk.derivative(f, x, full_output=True, atol=0), first),
                "second derivative": (gk.derivative(f, x, order=2, full_output=True, atol=0), second),
                "grad": (gk.grad(lambda p: f(p[0]), point, full_output=True, atol=0), first),
                "hessian": (gk.hessian(lambda p: f(p[0]), point, full_output=True, atol=0), second),
            }
            for kind, (result, exact) in outcomes.items():
                fine, numbers = judge(result, exact)
                assert fine, (name, x, kind, numbers)


# A random formula is a tree of these, built the same way in NumPy and in mpmath.
UNARY = {
    "sin": (np.sin, mpmath.sin),
    "cos": (np.cos, mpmath.cos),
    "exp": (np.exp, mpmath.exp),
    "tanh": (np.tanh, mpmath.tanh),
    "atan": (np.arctan, mpmath.atan),
    "log1+sq": (lambda t: np.log(1 + t * t), lambda t: mpmath.log1p(t * t)),  # mpmath keeps tiny t*t
    "sqrt1+sq": (lambda t: np.sqrt(1 + t * t), lambda t: mpmath.sqrt(1 + t * t)),
}
BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: a + b),
    "-": (lambda a, b: a - b, lambda a, b: a - b),
    "*": (lambda a, b: a * b, lambda a, b: a * b),
    "/(1+sq)": (lambda a, b: a / (1 + b * b), lambda a, b: a / (1 + b * b)),
}


def random_formula(rng: random.Random, depth: int):
    """(text, numpy function, mpmath function) of a random formula in x."""
    if depth == 0 or rng.random() < 0.2:
        if rng.random() < 0.7:
            scale = rng.choice([1, 2, 3, 0.5, 7, 20])
            return f"{scale}x", (lambda t, s=scale: s * t), (lambda t, s=scale: s * t)
        constant = rng.choice([1.0, 0.5, 2.0, -1.5])
        return f"{constant}", (lambda t, c=constant: c + 0 * t), (lambda t, c=constant: mpmath.mpf(c))
    if rng.random() < 0.5:
        name = rng.choice(sorted(UNARY))
        text, inner, inner_mp = random_formula(rng, depth - 1)
        fn, fn_mp = UNARY[name]
        return f"{name}({text})", (lambda t: fn(inner(t))), (lambda t: fn_mp(inner_mp(t)))
    name = rng.choice(sorted(BINARY))
    left, a, a_mp = random_formula(rng, depth - 1)
    right, b, b_mp = random_formula(rng, depth - 1)
    fn, fn_mp = BINARY[name]
    return f"({left} {name} {right})", (lambda t: fn(a(t), b(t))), (lambda t: fn_mp(a_mp(t), b_mp(t)))


def cancelled(rng: random.Random):
    """A random formula minus its own value and slope at 0: g(x) - g(0) - g'(0) x, which cancels near 0."""
    text, g, g_mp = random_formula(rng, 3)
    value, slope = float(g_mp(mpmath.mpf(0))), float(mpmath.diff(g_mp, mpmath.mpf(0)))
    return (
        f"{text} - g(0) - g'(0) x",
        lambda t: g(t) - value - slope * t,
        lambda t: g_mp(t) - mpmath.mpf(value) - mpmath.mpf(slope) * t,
    )


@pytest.mark.parametrize("seed", range(6))
def test_random_formulas_are_never_confidently_wrong(seed):
    rng = random.Random(seed)
    checked = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(30):
            text, f, reference = cancelled(rng) if rng.random() < 0.5 else random_formula(rng, 4)
            x = rng.choice([1, -1]) * rng.choice([1.37, 2.71, 4.4]) * 10.0 ** rng.choice([-4, -2, -1, 0])
            order = rng.choice([1, 2])
            exact = exact_derivative(reference, x, order)
            if not np.isfinite(f(x)) or not np.isfinite(exact):
                continue
            value = reference(mpmath.mpf(x))
            if not abs(f(x) - value) <= 1e-3 * abs(value):
                # f's own value has fewer than 3 correct digits: cos(x^2 / 2) - 1 is exactly 0 below |x| = 1e-4,
                # and a unit of 1 or nothing near there; there are no digits to differentiate
                continue
            result = gk.derivative(f, x, order=order, full_output=True, atol=0)
            fine, numbers = judge(result, exact)
            assert fine, (text, x, order, numbers)
            checked += 1
    assert checked >= 20
