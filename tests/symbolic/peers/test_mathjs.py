"""math.js's expression-parser and derivative tests, ported to gradkit's formula parser.

Source: josdejong/mathjs (commit f7c10b1, March 2026), test/unit-tests/expression/parse.test.js
("parse.test.js" below) and test/unit-tests/function/algebra/derivative.test.js ("derivative.test.js").
Each case keeps math.js's input text and its expected value or derivative; the test id names the ``it(...)``
description it comes from. math.js is the outside oracle for operator precedence and associativity (``-3^2``,
``2^3^4``, ``2^-2``, unary chains, ``8 / 2 / 2``, ``y / 2 * x``), number literals (``3.``, ``.2``, ``300e-2``,
``0x80``), implicit products gradkit also reads (``2a^3``, ``(2+3)(4+5)``, ``sqrt(4)(1+2)``), functions and
constants, and exact derivatives. A derivative is compared by evaluating gradkit's exact derivative and
math.js's expected one (written below as Python with the math module, transcribed from math.js's expected
text, never parsed by gradkit) at several points where both are defined.

Not ported, and why (where gradkit refuses the text, a test asserts a `gk.FormulaError` naming the problem):

- Implicit products that math.js reads by precedence rules of its own: two names side by side (``a b``,
  ``2a b``, ``y / v x w``; gradkit: syntax error), and a product without ``*`` right after ``/`` or a power
  (``1/2a`` is (1/2)a but ``(2)/3x`` is 2/(3x) in math.js; ``2^3a`` is (2^3)a; gradkit refuses all as
  ambiguous). Products gradkit does read (``4a``, ``4 a``, ``2(3+4)``, ``(2a)^3``) are ported.
- Units and conversions (``5cm``, ``2.54 cm to inch``): gradkit has no units; a number before a name is a
  product, so ``5cm`` is 5 times a variable ``cm``, and ``to``/``in`` are refused.
- Matrices, ranges, indexing, objects, strings, transpose ``'``, element-wise ``.* ./ .^`` written as such
  (``2 .* 3``; ``2.*3`` reads as the number ``2.`` times 3, which math.js's value agrees with), assignments
  and function definitions, ``;`` and newline-separated blocks, comments alone, the empty expression.
- ``!`` factorial, ``mod`` and ``%`` (modulo and percent), bitwise ``& | ^| ~ << >> >>>`` (``|`` opens an
  absolute-value bar in gradkit), logical ``and or xor not``, comparisons, the conditional ``a ? b : c``.
- Complex results (``sqrt(-4)`` is refused as not real), non-decimal fractions (``0x1.8``), non-ASCII names,
  ``$`` in names, BigNumber and Fraction modes, functions gradkit lacks (``add``, ``nthRoot``, ``sech``,
  ``asec``... and two-argument ``log(x, base)``).
- 0 to a variable power (``0^(2^x + x^3 + 2)``, derivative 0 in math.js): refused by gradkit on purpose.
- math.js refuses to differentiate ``min``/``max``; gradkit differentiates them (tests/symbolic), no oracle.
- Node construction, ``toString``/``toTex``, scopes, callbacks and option objects: no counterpart.

Number literals that run into letters are refused, as math.js refuses them (``0x1k``, ``0b``, ``2e+a``),
or where math.js reads a word-size suffix gradkit lacks (``0x80i8`` is -128 in math.js). math.js's constant
names ``i``, ``true``, ``false``, ``NaN`` and ``Infinity`` are variables in gradkit on purpose: a formula in a
variable i (an index) is common, and gradkit has no complex numbers, booleans or non-finite constants.
gradkit reads ``#`` as starting a comment, as math.js does (``2 + 3 # - 4`` is 5 in both).
"""

import math
from math import cos, cosh, exp, log, sin, sinh, sqrt, tan

import pytest

import gradkit as gk

pytest.importorskip("sympy")

PARSE = "parse.test.js"
DERIVATIVE = "derivative.test.js"

# Values for the variables of a formula: each name its own, so that swapped variables differ.
VALUES = {
    "a": (0.7, 2.5, 1.3),
    "b": (1.9, 0.45, 3.2),
    "k": (2.0, 0.3, 5.5),
    "x": (0.6, 1.7, 2.9),
    "y": (1.1, 0.35, 4.2),
}


def _params(table: dict, file: str) -> list:
    """pytest params from {it() description: [(text, ...), ...]}, each id naming the text and its origin."""
    return [
        pytest.param(*case, id=f"{case[0]!r} [{file}: {origin}]") for origin, cases in table.items() for case in cases
    ]


def _names(function) -> tuple[str, ...]:
    code = function.__code__
    return code.co_varnames[: code.co_argcount]


def _assert_means(text: str, expected) -> None:
    """gradkit's value of `text` is math.js's: a number, or a function of the variables evaluated at points."""
    if callable(expected):
        names = _names(expected)
        formula = gk.Expression(text, variables=names)
        for values in zip(*(VALUES[name] for name in names)):
            point = dict(zip(names, values))
            assert float(formula.evaluate(**point)) == pytest.approx(expected(**point), rel=1e-14), point
    else:
        formula = gk.Expression(text)
        assert formula.variables == ()
        assert float(formula.evaluate()) == pytest.approx(expected, rel=1e-14, abs=0)


# --- values: math.js's expected value for each text ------------------------------------------------------------

VALUE_CASES = {
    "should parse a single expression": [("2 + 6 / 3", 4)],
    "should skip comments": [("2 + 3 # - 4", 5)],
    "should parse valid numbers": [
        ("0", 0),
        ("3", 3),
        ("3.2", 3.2),
        ("3.", 3),
        ("3. ", 3),
        ("3.\t", 3),
        ("003.2", 3.2),
        ("003.200", 3.2),
        (".2", 0.2),
        ("3e2", 300),
        ("300e2", 30000),
        ("300e+2", 30000),
        ("300e-2", 3),
        ("300E-2", 3),
        ("3.2e2", 320),
        ("0b0", 0),
        ("0o0", 0),
        ("0x0", 0),
        ("0b01", 1),
        ("0o01234567", 342391),
        ("0xabcdef", 11259375),
        ("0x3456789", 54880137),
        ("0xABCDEF", 11259375),
        ("0x80", 128),
        ("0b11111111111111111111111111111110", 4294967294),
        ("0x7fffffff", 2**31 - 1),
        ("0x1fffffffffffff", 2**53 - 1),
    ],
    "should require hex, bin, oct values to be followed by whitespace or a delimiter": [
        ("0x1 k", lambda k: 1 * k),
        ("0o1 k", lambda k: 1 * k),
        ("0b1 k", lambda k: 1 * k),
        ("0x1*k", lambda k: 1 * k),
        ("0o1*k", lambda k: 1 * k),
        ("0b1*k", lambda k: 1 * k),
    ],
    "should parse a number followed by e": [("2e", 2 * math.e)],
    "should parse dot operators after a value": [("2.*3", 6), ("2./3", 2 / 3), ("2.^3", 8)],
    "should work with mixed numbers and bignumbers": [("pi + 1", 4.141592653589793)],
    "should evaluate functions not supporting bignumbers": [("sin(0.1)", 0.09983341664682815)],
    "should parse symbolic constants": [("pi", math.pi), ("e", math.e)],
    "should parse valid variable assignments": [("a + 2", lambda a: a + 2), ("pi * 2", 6.283185307179586)],
    "should use a given scope for assignments": [("a*b", lambda a, b: a * b)],
    "should parse functions": [
        ("sqrt(4)", 2),
        ("sqrt(6+3)", 3),
        ("atan2(2,2)", 0.7853981633974483),
        ("abs(-4.2)", 4.2),
    ],
    "should apply implicit multiplication after a function call": [("sqrt(4)(1+2)", 6), ("sqrt(4)(1+2)(2)", 12)],
    "should parse parentheses overriding the default precedence": [
        ("2 - (2 - 2)", 2),
        ("2 - ((2 - 2) - 2)", 4),
        ("3 * (2 + 3)", 15),
        ("(2 + 3) * 3", 15),
    ],
    "should parse operations": [("(2+3)/4", 1.25), ("2+3/4", 2.75), ("0 + 2", 2)],
    "should parse add +": [("2 + 3", 5), ("2 + 3 + 4", 9), ("2.+3", 5)],
    "should parse divide /": [("4 / 2", 2), ("8 / 2 / 2", 2)],
    "should parse dotDivide ./": [("4./2", 2)],
    "should parse dotMultiply .*": [("2.*3", 6)],
    "should parse dotPower .^": [("2.^3", 8), ("-2.^2", -4), ("2.^3.^4", 2.41785163922926e24)],
    "should parse multiply *": [("4 * 2", 8), ("8 * 2 * 2", 32)],
    "should parse implicit multiplication": [
        ("4a", lambda a: 4 * a),
        ("4 a", lambda a: 4 * a),
        ("2a * b", lambda a, b: (2 * a) * b),
        ("2a / b", lambda a, b: (2 * a) / b),
        ("4*2a", lambda a: 4 * (2 * a)),
        ("(2+3)a", lambda a: (2 + 3) * a),
        ("(2+3)2", (2 + 3) * 2),
        ("(2)(3)+4", (2 * 3) + 4),
        ("2(3+4)", 2 * (3 + 4)),
        ("(2+3)-2", (2 + 3) - 2),
        ("(2+3)(4+5)", (2 + 3) * (4 + 5)),
        ("(2+3)(4+5)(3-1)", ((2 + 3) * (4 + 5)) * (3 - 1)),
        ("(2a)^3", lambda a: (2 * a) ** 3),
        ("2a^3", lambda a: 2 * (a**3)),
        ("2(a)^3", lambda a: 2 * (a**3)),
        ("(2)a^3", lambda a: 2 * (a**3)),
        ("sqrt(2a)", lambda a: sqrt(2 * a)),
    ],
    "should follow precedence rules for implicit multiplication and division": [
        ("1 / 2 * x", lambda x: (1 / 2) * x),
        ("y / 2 * x", lambda x, y: (y / 2) * x),
    ],
    "should parse pow ^": [("2^3", 8), ("-2^2", -4), ("2^3^4", 2.41785163922926e24)],
    "should parse minus -": [("4 - 2", 2), ("8 - 2 - 2", 4)],
    "should parse unary minus -": [
        ("-2", -2),
        ("--2", 2),
        ("---2", -2),
        ("4*-2", -8),
        ("4 * -2", -8),
        ("4+-2", 2),
        ("4 + -2", 2),
        ("4--2", 6),
        ("4 - -2", 6),
        ("5-3", 2),
        ("5--3", 8),
        ("5---3", 2),
        ("5+---3", 2),
        ("5----3", 8),
        ("5+--(2+1)", 8),
    ],
    "should parse unary +": [
        ("+2", 2),
        ("++2", 2),
        ("+++2", 2),
        ("4*+2", 8),
        ("4 * +2", 8),
        ("4-+2", 2),
        ("4 - +2", 2),
        ("4++2", 6),
        ("4 + +2", 6),
        ("5+3", 8),
        ("5++3", 8),
    ],
    "should parse unary plus and minus  +, -": [
        ("-+2", -2),
        ("-+-2", 2),
        ("+-+-2", 2),
        ("+-2", -2),
        ("+-+2", -2),
        ("-+-+2", 2),
    ],
    "should respect precedence of plus and minus": [("4-2+3", 5), ("4-(2+3)", -1), ("4-2-3", -1), ("4-(2-3)", 5)],
    "should respect precedence of plus/minus and multiply/divide": [("2+3*4", 14), ("2*3+4", 10)],
    "should respect precedence of plus/minus and pow": [("2+3^2", 11), ("3^2+2", 11), ("8-2^2", 4), ("4^2-2", 14)],
    "should respect precedence of multiply/divide and pow": [
        ("2*3^2", 18),
        ("3^2*2", 18),
        ("8/2^2", 2),
        ("4^2/2", 8),
    ],
    "should respect precedence of pow": [
        ("2^3", 8),
        ("2^3^4", 2.0 ** (3.0**4)),
        ("1.5^1.5^1.5", 1.5 ** (1.5**1.5)),
        ("1.5^1.5^1.5^1.5", 1.5 ** (1.5 ** (1.5**1.5))),
    ],
    "should respect precedence of unary operations and pow": [
        ("-3^2", -9),
        ("(-3)^2", 9),
        ("2^-2", 0.25),
        ("2^(-2)", 0.25),
        ("+3^2", 9),
        ("(+3)^2", 9),
        ("2^(+2)", 4),
    ],
}


@pytest.mark.parametrize(("text", "expected"), _params(VALUE_CASES, PARSE))
def test_value_matches_mathjs(text, expected):
    _assert_means(text, expected)


# --- refused by both -----------------------------------------------------------------------------------------

SYNTAX = "syntax error"

REFUSED_BY_BOTH = {
    "should give informative syntax errors": [("2 +", SYNTAX), ("2 + 3 + *", SYNTAX)],
    "should throw an error in case of unsupported characters": [("2\u00a1", "plain ASCII only")],
    "should throw an error with invalid numbers": [
        (".", SYNTAX),
        ("3.2.2", SYNTAX),
        ("3.2e2.2", SYNTAX),
        ("3e0.5", SYNTAX),
        ("3e.5", SYNTAX),
        ("-3e0.5", SYNTAX),
        ("-3e.5", SYNTAX),
        ("3e-0.5", SYNTAX),
        ("-3e-0.5", SYNTAX),
        ("0b123.45", "'2' cannot follow a binary number"),
        ("0o89.89", "'0o' starts an octal number, which needs its digits"),
        ("0xghji.xyz", "'0x' starts a hexadecimal number, which needs its digits"),
    ],
    "should throw an error with invalid strings": [('"hi', "unterminated string"), (' hi" ', "unterminated string")],
    "should throw an error for invalid matrix": [("[1, 2", "never closed"), ("[1; 2", SYNTAX)],
    "should throw an error in case of unclosed parentheses": [("3 * (1 + 2", "'\\(' was never closed")],
    "should throw an error on invalid assignments": [("sin + 2 = 3", SYNTAX)],
    "should throw an error when having an implicit multiplication between two numbers": [
        ("2 3", SYNTAX),
        ("2 * 3 4", SYNTAX),
        ("2 * 3 4 * 5", SYNTAX),
        ("2 / 3 4 5", SYNTAX),
        ("2 + 3 4", SYNTAX),
        ("-2 2", SYNTAX),
        ("+3 3", SYNTAX),
        ("2^3 4", SYNTAX),
    ],
    "should forbid empty true part of conditional (#3578)": [("true ? : 3", SYNTAX), ("0?:false", SYNTAX)],
}


@pytest.mark.parametrize(("text", "message"), _params(REFUSED_BY_BOTH, PARSE))
def test_refused_by_both(text, message):
    with pytest.raises(gk.FormulaError, match=message):
        gk.Expression(text)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        pytest.param("2 + 3 + *", 9, id=f"'2 + 3 + *' [{PARSE}: should give informative syntax errors]"),
        pytest.param("2 +", 4, id=f"'2 +' [{PARSE}: should give informative syntax errors]"),
    ],
)
def test_syntax_error_is_located_where_mathjs_locates_it(text, column):
    with pytest.raises(gk.FormulaError) as caught:
        gk.Expression(text)
    assert caught.value.column == column


# --- refused by gradkit on purpose (math.js gives a value) -----------------------------------------------------

AMBIGUOUS = "product without '\\*' right after '[/^]' is ambiguous"
NO_COMPARISON = "a comparison is not allowed"
UNKNOWN = "unknown function"

# (text, what math.js makes of it, gradkit's message)
REFUSED_BY_GRADKIT = {
    "should parse an empty expression": [
        ("", "undefined", "empty formula"),
        ("#foo\n", "undefined", "character '\\\\n' is not allowed"),
        ("   # hi", "undefined", "empty formula"),
    ],
    "should parse multiline expressions": [
        ("a=3\nb=4\na*b", "[3, 4, 12]", "character '\\\\n' is not allowed"),
        ("b = 43; b * 4", "[172]", SYNTAX),
    ],
    "should spread operators over multiple lines": [("2+\n3", "5", "character '\\\\n' is not allowed")],
    "should parse unicode and other special characters": [
        ("$ab$c = 2", "2", SYNTAX),
        ("k\u00f6ln = 5", "5", "plain ASCII only"),
    ],
    "should parse valid numbers": [
        ("0b1.1", "1.5", SYNTAX),
        ("0o1.4", "1.5", SYNTAX),
        ("0x1.8", "1.5", SYNTAX),
        ("0x1.f", "1.9375", "attribute access is not allowed"),
        ("0b100.001", "4.125", SYNTAX),
        ("0x1.", "1", SYNTAX),
    ],
    "should parse dot operators after an implicit multiplication with symbol E": [
        ("2E.*3", "2 e 3", SYNTAX),
        ("2e./3", "2 e / 3", SYNTAX),
        ("2e.^3", "2 e^3", SYNTAX),
    ],
    "should parse dotDivide ./": [("4 ./ 2", "2", SYNTAX), ("8 ./ 4 / 2", "1", SYNTAX)],
    "should parse dotMultiply .*": [("2e3.*3", "6000", SYNTAX), ("2 .* 3", "6", SYNTAX)],
    "should parse dotPower .^": [("2 .^ 3", "8", SYNTAX)],
    "should parse a string": [('"hello"', "'hello'", "str constant"), ("'hello'", "'hello'", "str constant")],
    "should parse to": [("2.54 cm to inch", "1 inch", SYNTAX)],
    "should parse in": [("2.54 cm in inch", "1 inch", NO_COMPARISON)],
    "should parse complex values": [("1/2i", "0.5i", AMBIGUOUS)],
    "should parse a matrix": [("[1,2;3,4]", "[[1, 2], [3, 4]]", SYNTAX), ("[1,2,3]", "[1, 2, 3]", "a list")],
    "should get an object property with dot notation": [("obj.foo", "obj's foo", "attribute access")],
    "should create an empty object": [("{}", "{}", "a dict is not allowed")],
    "should parse valid variable assignments": [("a = 0.75", "0.75", SYNTAX)],
    "should parse nested assignments": [("c = d = (e = 4.5)", "4.5", SYNTAX), ("2 + (g = 3 + 4)", "9", SYNTAX)],
    "should parse variable assignment inside a function call": [("sqrt(x=4)", "2", "keyword arguments")],
    "should parse functions": [
        ("sqrt(-4)", "2i", "is not a real number"),
        ("add(2, 3)", "5", UNKNOWN),
        ("unequal(2, 3)", "true", UNKNOWN),
    ],
    "should parse functions without parameters": [("r()", "r's value", UNKNOWN)],
    "should parse function assignments": [("f(x) = x^2", "a function", SYNTAX)],
    'should evaluate function "mod"': [("mod(8, 3)", "2", UNKNOWN)],
    "should parse equal ==": [("2 == 3", "false", NO_COMPARISON)],
    "should parse larger >": [("2 > 1", "true", NO_COMPARISON)],
    "should parse largerEq >=": [("2 >= 2", "true", NO_COMPARISON)],
    "should parse smaller <": [("2 < 3", "true", NO_COMPARISON)],
    "should parse smallerEq <=": [("2 <= 2", "true", NO_COMPARISON)],
    "should parse unequal !=": [("2 != 3", "true", NO_COMPARISON)],
    "should parse chained conditionals": [("2 < 3 < 4", "true", NO_COMPARISON)],
    "should parse mod %": [("8 % 3", "2", "operator '%' is not allowed")],
    "should parse % value": [("100%", "1", SYNTAX)],
    "should parse % with multiplication": [("100*50%", "50", SYNTAX)],
    "should parse operator mod": [("8 mod 3", "2", SYNTAX)],
    "should parse bitwise and &": [("2 & 6", "2", "operator 'BitAnd' is not allowed")],
    "should parse bitwise xor ^|": [("2 ^| 6", "4", "never closed")],
    "should parse bitwise or |": [("2 | 6", "6", "never closed")],
    "should parse bitwise left shift <<": [("23 << 1", "46", "operator 'LShift' is not allowed")],
    "should parse bitwise right arithmetic shift >>": [("32 >> 4", "2", "operator 'RShift' is not allowed")],
    "should parse bitwise right logical shift >>>": [("-12 >>> 2", "1073741821", SYNTAX)],
    "should parse unary ~": [("~2", "-3", "unary operator Invert is not allowed"), ("4*~2", "-12", "Invert")],
    "should parse logical and": [("2 and 6", "true", SYNTAX)],
    "should parse logical or": [("true or false", "true", "a boolean operator is not allowed")],
    "should parse logical xor": [("2 xor 6", "false", SYNTAX)],
    "should parse logical not": [("not 2", "false", "unary operator Not is not allowed")],
    "should parse conditional expression a ? b : c": [("2 ? true : false", "true", SYNTAX)],
    "should parse a conditional operator and not optional chaining when followed by a number": [
        ("true?.3:.7", "0.3", SYNTAX)
    ],
    "should parse : (range)": [("2:5", "[2, 3, 4, 5]", SYNTAX)],
    "should parse factorial !": [("5!", "120", SYNTAX), ("4!+2", "26", SYNTAX)],
    "should parse transpose '": [("23'", "23", "unterminated string")],
    "should respect precedence of factorial and pow": [("2^3!", "64", SYNTAX)],
    "should respect precedence of factorial and unary operations": [("-4!", "-24", SYNTAX)],
    "should respect precedence of unary operations and pow": [("2^~2", "0.125", "Invert")],
    "should parse implicit multiplication": [
        ("a b", "a b", SYNTAX),
        ("2a b", "(2 a) b", SYNTAX),
        ("a b c", "(a b) c", SYNTAX),
        ("a b*c", "(a b) * c", SYNTAX),
        ("a*b c", "a * (b c)", SYNTAX),
        ("a/b c", "a / (b c)", SYNTAX),
        ("1/2a", "(1 / 2) a", AMBIGUOUS),
        ("8/2a/2", "((8 / 2) a) / 2", AMBIGUOUS),
        ("8/2a*2", "((8 / 2) a) * 2", AMBIGUOUS),
        ("3!10", "(3!) 10", SYNTAX),
        ("a(2+3)", "a called with 5", UNKNOWN),
        ("2^3a", "(2 ^ 3) a", AMBIGUOUS),
        ("2^3(a)", "(2 ^ 3) a", AMBIGUOUS),
        ("2^(3)(a)", "(2 ^ 3) a", AMBIGUOUS),
    ],
    "should follow precedence rules for implicit multiplication and division": [
        ("2 / 3 x", "(2 / 3) x", AMBIGUOUS),
        ("-2/3x", "((-2) / 3) x", AMBIGUOUS),
        ("+2/3x", "((+2) / 3) x", AMBIGUOUS),
        ("(2)/3x", "2 / (3 x)", AMBIGUOUS),
        ("2/(3)x", "2 / (3 x)", AMBIGUOUS),
        ("(2+4)/3x", "(2 + 4) / (3 x)", AMBIGUOUS),
        ("2/(3+4)x", "2 / ((3 + 4) x)", AMBIGUOUS),
        ("2.5 / 5 x y", "((2.5 / 5) x) y", AMBIGUOUS),
        ("2 x / 5 y", "(2 x) / (5 y)", AMBIGUOUS),
        ("1 / 2 x", "(1 / 2) x", AMBIGUOUS),
        ("+1/2x", "((+1) / 2) x", AMBIGUOUS),
        ("1 / -2 x", "1 / ((-2) x)", AMBIGUOUS),
        ("-1 / -2 x", "(-1) / ((-2) x)", AMBIGUOUS),
        ("1 / 2 x y", "((1 / 2) x) y", AMBIGUOUS),
        ("1 / 2 (x y)", "(1 / 2) (x y)", AMBIGUOUS),
        ("1 / 2x * y", "((1 / 2) x) * y", AMBIGUOUS),
        ("y / 2 x", "y / (2 x)", AMBIGUOUS),
        ("y / 2 x w", "y / ((2 x) w)", AMBIGUOUS),
        ("y / v x w", "y / ((v x) w)", SYNTAX),
    ],
}


@pytest.mark.parametrize(("text", "mathjs_reading", "message"), _params(REFUSED_BY_GRADKIT, PARSE))
def test_refused_by_gradkit_where_mathjs_reads_a_value(text, mathjs_reading, message):
    with pytest.raises(gk.FormulaError, match=message):
        gk.Expression(text)


# --- findings: gradkit reads texts math.js refuses or means otherwise ------------------------------------------


def _means_or_refuses(text: str, expected: float | None) -> None:
    """gradkit either refuses `text` or gives it math.js's value (None: math.js's value is not a real number)."""
    try:
        formula = gk.Expression(text)
    except gk.FormulaError:
        return
    assert expected is not None, f"{text!r} read as {formula} in variables {formula.variables}"
    assert formula.variables == (), f"{text!r} read as {formula} in variables {formula.variables}"
    assert float(formula.evaluate()) == pytest.approx(expected, rel=1e-15, nan_ok=True)


SUFFIX = "gradkit reads the word-size suffix as a product with a variable ({})"
WORD_SIZE = {
    "should parse valid numbers": [
        ("0x80i8", -128, SUFFIX.format("128*i8")),
        ("0x80000000i32", -2147483648, SUFFIX.format("2147483648*i32")),
        ("0xffffffffi32", -1, SUFFIX.format("4294967295*i32")),
        ("0xfffffffei32", -2, SUFFIX.format("4294967294*i32")),
        ("0o37777777777i32", -1, SUFFIX.format("4294967295*i32")),
        ("0b11111111111111111111111111111111i32", -1, SUFFIX.format("4294967295*i32")),
        ("0b11111111111111111111111111111110i32", -2, SUFFIX.format("4294967294*i32")),
        ("0x7fffffffi32", 2**31 - 1, SUFFIX.format("2147483647*i32")),
        ("0x1fffffffffffffi53", -1, SUFFIX.format("9007199254740991*i53")),
    ],
}
NAMES = "gradkit reads the name as a variable ({})"
CONSTANT_NAMES = {
    "should parse symbolic constants": [("i", None, NAMES.format("i"))],
    "should parse complex values": [
        ("2+3i", None, NAMES.format("3*i + 2")),
        ("2+3*i", None, NAMES.format("3*i + 2")),
    ],
    "should parse functions": [("1+exp(pi*i)", None, NAMES.format("exp(pi*i) + 1"))],
    "should parse boolean values": [("true", 1, NAMES.format("true")), ("false", 0, NAMES.format("false"))],
    "should parse unary +": [("+true", 1, NAMES.format("true"))],
    "should parse numeric constants": [
        ("NaN", math.nan, NAMES.format("NaN")),
        ("Infinity", math.inf, NAMES.format("Infinity")),
    ],
}


def _plain_params(table: dict) -> list:
    return [
        pytest.param(text, expected, id=f"{text!r} [{PARSE}: {origin}]")
        for origin, cases in table.items()
        for text, expected, _ in cases
    ]


@pytest.mark.parametrize(("text", "expected"), _plain_params(WORD_SIZE))
def test_mathjs_meaning_or_a_refusal(text, expected):
    _means_or_refuses(text, expected)


@pytest.mark.parametrize(("text", "expected"), _plain_params(CONSTANT_NAMES))
def test_mathjs_constant_names_are_variables_on_purpose(text, expected):
    """A difference on purpose (module docstring): the name is one of the formula's variables."""
    formula = gk.Expression(text)
    assert set(formula.variables) & {"i", "true", "false", "NaN", "Infinity"}


# math.js refuses these malformed numbers, and so does gradkit: read as a number times a name (the name
# starting with the letters math.js takes as part of the number), 0x1f would be 31 but 0x1k k, and 2e+3 2000
# but 2e+a 2e + a.
MALFORMED = {
    "should require hex, bin, oct values to be followed by whitespace or a delimiter": [
        ("0b0a", "0"),
        ("0x1k", "k"),
        ("0o1k", "k"),
        ("0b1k", "k"),
    ],
    "should throw an error with invalid numbers": [
        ("3e-.5", "3*e - 0.5"),
        ("-3e-.5", "-3*e - 0.5"),
        ("2e+a", "a + 2*e"),
        ("0b", "0 (times b)"),
        ("0o", "0 (times o)"),
        ("0x", "0 (times x)"),
        ("0b2", "0 (times b2)"),
        ("0o8", "0 (times o8)"),
        ("0xg", "0 (times xg)"),
        ("0x12ii", "18*ii"),
        ("0x12u", "18*u"),
        ("0x12i-8", "18*i - 8"),
    ],
}


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(text, id=f"{text!r} [{PARSE}: {origin}]")
        for origin, cases in MALFORMED.items()
        for text, _ in cases
    ],
)
def test_malformed_number_is_refused_as_by_mathjs(text):
    with pytest.raises(gk.FormulaError):
        gk.Expression(text)


# --- derivatives ---------------------------------------------------------------------------------------------


def sec(t):
    return 1 / cos(t)


def csc(t):
    return 1 / sin(t)


def cot(t):
    return 1 / tan(t)


def sech(t):
    return 1 / cosh(t)


ANY = (0.3, -0.7, 1.3, -2.1)
POSITIVE = (0.3, 0.7, 1.3, 2.1)
TRIG = (0.3, 0.7, 1.3, -0.9)  # 2x away from the poles of tan, sec, csc and cot
UNIT = (0.1, 0.3, -0.2, 0.45)  # |2x| < 1
ABOVE_HALF = (0.6, 0.9, 1.7, 2.5)  # 2x > 1
Y = (0.8, 1.7, 2.9, 0.4)
Z = (1.4, -0.6, 2.2, 0.9)

# (text, math.js's expected derivative in x as math.js prints it, the same as Python, points x)
DERIVATIVE_CASES = {
    "should take the derivative of a constant": [
        ("1", "0", lambda x: 0, ANY),
        ("10000000", "0", lambda x: 0, ANY),
    ],
    "should reckon with option simplify": [("2x", "2 * 1", lambda x: 2 * 1, ANY)],
    "should create a function node": [("sin(2x)", "2 * cos(2 x)", lambda x: 2 * cos(2 * x), ANY)],
    "should take the derivative of a SymbolNodes": [("x", "1", lambda x: 1, ANY)],
    "should maintain parenthesis of ParenthesisNodes": [
        ("(1)", "(0)", lambda x: 0, ANY),
        ("(x)", "(1)", lambda x: 1, ANY),
    ],
    "should take the derivative of a OperatorNodes with ConstantNodes": [
        ("1 + 2", "0", lambda x: 0, ANY),
        ("-100^2 + 3*3/2 - 12", "0", lambda x: 0, ANY),
        ("3 * 7^4 * 123.124", "0", lambda x: 0, ANY),  # math.js builds this three-factor product as a node
    ],
    "should take the derivative of a OperatorNodes with SymbolNodes": [
        ("-4x", "-4 * 1", lambda x: -4 * 1, ANY),
        ("+4x", "+4 * 1", lambda x: +4 * 1, ANY),
        # built as three-argument nodes in math.js
        ("3 * x * sin(x)", "3 * (1 * sin(x) + x * 1 * cos(x))", lambda x: 3 * (1 * sin(x) + x * 1 * cos(x)), ANY),
        ("x + sin(x) + 5x", "1 + 1 * cos(x) + 5 * 1", lambda x: 1 + 1 * cos(x) + 5 * 1, ANY),
        (
            "x * sin(x) * 5x",
            "1 * sin(x) * 5 x + x * 1 * cos(x) * 5 x + x * sin(x) * 5 * 1",
            lambda x: 1 * sin(x) * (5 * x) + x * 1 * cos(x) * (5 * x) + x * sin(x) * 5 * 1,
            ANY,
        ),
        ("5x + x + 2", "5 * 1 + 1 + 0", lambda x: 5 * 1 + 1 + 0, ANY),
        ("5x - x - 2", "5 * 1 - 1 - 0", lambda x: 5 * 1 - 1 - 0, ANY),
        ("2(x + x)", "2 * (1 + 1)", lambda x: 2 * (1 + 1), ANY),
        ("(x + x)*2", "2 * (1 + 1)", lambda x: 2 * (1 + 1), ANY),
        ("5x*3x", "5 * 1 * 3 x + 5 x * 3 * 1", lambda x: 5 * 1 * (3 * x) + (5 * x) * 3 * 1, ANY),
        ("7x / 2", "7 * 1 / 2", lambda x: 7 * 1 / 2, ANY),
        ("5 / (3x)", "-5 * (3 * 1) / (3 x) ^ 2", lambda x: -5 * (3 * 1) / (3 * x) ** 2, ANY),
        (
            "(2x) / (3x + 2)",
            "((2 * 1) * (3 x + 2) - (2 x) * (3 * 1 + 0)) / (3 x + 2) ^ 2",
            lambda x: ((2 * 1) * (3 * x + 2) - (2 * x) * (3 * 1 + 0)) / (3 * x + 2) ** 2,
            ANY,
        ),
        ("1^(2^x + x^3 + 2)", "0", lambda x: 0, ANY),
        (
            "10^(2x + 2)",
            "10 ^ (2 x + 2) * log(10) * (2 * 1 + 0)",
            lambda x: 10 ** (2 * x + 2) * log(10) * (2 * 1 + 0),
            ANY,
        ),
        ("(x^x^x^x)^0", "0", lambda x: 0, POSITIVE),
        ("(x+2)^1", "(1 + 0)", lambda x: 1 + 0, ANY),
        ("2x^2", "2 * 2 * 1 * x ^ (2 - 1)", lambda x: 2 * 2 * 1 * x ** (2 - 1), ANY),
        ("2x^-2", "2 * -2 * 1 * x ^ (-2 - 1)", lambda x: 2 * -2 * 1 * x ** (-2 - 1), ANY),
        (
            "(x^3 + x)^(5x + 2)",
            "(x ^ 3 + x) ^ (5 x + 2) * ((3 * 1 * x ^ (3 - 1) + 1) * (5 x + 2) / (x ^ 3 + x) "
            "+ (5 * 1 + 0) * log((x ^ 3 + x)))",
            lambda x: (
                (x**3 + x) ** (5 * x + 2)
                * ((3 * 1 * x ** (3 - 1) + 1) * (5 * x + 2) / (x**3 + x) + (5 * 1 + 0) * log(x**3 + x))
            ),
            POSITIVE,
        ),
        ("-x", "-1", lambda x: -1, ANY),
        ("1 - (-x)", "0 - (-1)", lambda x: 0 - (-1), ANY),
    ],
    "should properly take the derivative of mathematical functions": [
        # (6x)^(2/3) is real in math.js only for x > 0
        ("cbrt(6x)", "6 * 1 / (3 * (6 x) ^ (2 / 3))", lambda x: 6 * 1 / (3 * (6 * x) ** (2 / 3)), POSITIVE),
        ("sqrt(6x)", "6 * 1 / (2 * sqrt(6 x))", lambda x: 6 * 1 / (2 * sqrt(6 * x)), POSITIVE),
        ("log((6*x))", "(6 * 1) / (6 * x)", lambda x: (6 * 1) / (6 * x), POSITIVE),
        ("log10((6x))", "(6 * 1) / ((6 x) * log(10))", lambda x: (6 * 1) / ((6 * x) * log(10)), POSITIVE),
        ("log(x)", "1 / x", lambda x: 1 / x, POSITIVE),
        ("sin(2x)", "2 * 1 * cos(2 x)", lambda x: 2 * 1 * cos(2 * x), TRIG),
        ("cos(2x)", "2 * 1 * -sin(2 x)", lambda x: 2 * 1 * -sin(2 * x), TRIG),
        ("tan(2x)", "2 * 1 * sec(2 x) ^ 2", lambda x: 2 * 1 * sec(2 * x) ** 2, TRIG),
        ("sec(2x)", "2 * 1 * sec(2 x) * tan(2 x)", lambda x: 2 * 1 * sec(2 * x) * tan(2 * x), TRIG),
        ("csc(2x)", "-(2 * 1) * csc(2 x) * cot(2 x)", lambda x: -(2 * 1) * csc(2 * x) * cot(2 * x), TRIG),
        ("cot((2x))", "-(2 * 1) * csc((2 x)) ^ 2", lambda x: -(2 * 1) * csc(2 * x) ** 2, TRIG),
        ("asin((2x))", "(2 * 1) / sqrt(1 - (2 x) ^ 2)", lambda x: (2 * 1) / sqrt(1 - (2 * x) ** 2), UNIT),
        ("acos((2x))", "-(2 * 1) / sqrt(1 - (2 x) ^ 2)", lambda x: -(2 * 1) / sqrt(1 - (2 * x) ** 2), UNIT),
        ("atan((2x))", "(2 * 1) / ((2 x) ^ 2 + 1)", lambda x: (2 * 1) / ((2 * x) ** 2 + 1), ANY),
        ("sinh(2x)", "2 * 1 * cosh(2 x)", lambda x: 2 * 1 * cosh(2 * x), ANY),
        ("cosh(2x)", "2 * 1 * sinh(2 x)", lambda x: 2 * 1 * sinh(2 * x), ANY),
        ("tanh(2x)", "2 * 1 * sech(2 x) ^ 2", lambda x: 2 * 1 * sech(2 * x) ** 2, ANY),
        ("asinh((2x))", "(2 * 1) / sqrt((2 x) ^ 2 + 1)", lambda x: (2 * 1) / sqrt((2 * x) ** 2 + 1), ANY),
        ("acosh((2x))", "(2 * 1) / sqrt((2 x) ^ 2 - 1)", lambda x: (2 * 1) / sqrt((2 * x) ** 2 - 1), ABOVE_HALF),
        ("atanh((2x))", "(2 * 1) / (1 - (2 x) ^ 2)", lambda x: (2 * 1) / (1 - (2 * x) ** 2), UNIT),
        # math.js reads "y / 2 x" as y / (2 x) (parse.test.js, implicit multiplication and division)
        ("abs(2x)", "2 * 1 * abs(2 x) / 2 x", lambda x: 2 * 1 * abs(2 * x) / (2 * x), ANY),
        ("pow(1, 2^x + x^3 + 2)", "0", lambda x: 0, ANY),
        (
            "pow(10, 2x + 2)",
            "10 ^ (2 x + 2) * log(10) * (2 * 1 + 0)",
            lambda x: 10 ** (2 * x + 2) * log(10) * (2 * 1 + 0),
            ANY,
        ),
        ("pow(x^x^x^x, 0)", "0", lambda x: 0, POSITIVE),
        ("pow(x + 2, 1)", "1 + 0", lambda x: 1 + 0, ANY),
        ("2 * pow(x, 2)", "2 * 2 * 1 * x ^ (2 - 1)", lambda x: 2 * 2 * 1 * x ** (2 - 1), ANY),
        ("2 * pow(x, -2)", "2 * -2 * 1 * x ^ (-2 - 1)", lambda x: 2 * -2 * 1 * x ** (-2 - 1), ANY),
        (
            "pow(x^3 + x, 5x + 2)",
            "(x ^ 3 + x) ^ (5 x + 2) * ((3 * 1 * x ^ (3 - 1) + 1) * (5 x + 2) / (x ^ 3 + x) "
            "+ (5 * 1 + 0) * log(x ^ 3 + x))",
            lambda x: (
                (x**3 + x) ** (5 * x + 2)
                * ((3 * 1 * x ** (3 - 1) + 1) * (5 * x + 2) / (x**3 + x) + (5 * 1 + 0) * log(x**3 + x))
            ),
            POSITIVE,
        ),
        ("exp(2x)", "2 * 1 * exp(2 x)", lambda x: 2 * 1 * exp(2 * x), ANY),
    ],
    "should take the partial derivative of an expression": [
        ("x + y", "1 + 0", lambda x, y: 1 + 0, ANY),
        ("x + log(y)*y", "1 + 0", lambda x, y: 1 + 0, ANY),
        ("x + y + z", "1 + 0 + 0", lambda x, y, z: 1 + 0 + 0, ANY),
        ("x + log(y)*z", "1 + 0", lambda x, y, z: 1 + 0, ANY),
        ("x + log(y)*x", "1 + log(y) * 1", lambda x, y: 1 + log(y) * 1, ANY),
        (
            "x^2 + x*y + y^2",
            "2 * 1 * x ^ (2 - 1) + y * 1 + 0",
            lambda x, y: 2 * 1 * x ** (2 - 1) + y * 1 + 0,
            ANY,
        ),
    ],
    "should function properly even without being called within an evaluate": [
        ("2x^3", "2 * 3 * 1 * x ^ (3 - 1)", lambda x: 2 * 3 * 1 * x ** (3 - 1), ANY),
    ],
    "should accept string and Node input": [("x^2", "2 * x", lambda x: 2 * x, ANY)],
    "should accept string input containing special characters": [("1 + x", "1", lambda x: 1, ANY)],
}


@pytest.mark.parametrize(("text", "mathjs_derivative", "expected", "xs"), _params(DERIVATIVE_CASES, DERIVATIVE))
def test_derivative_matches_mathjs(text, mathjs_derivative, expected, xs):
    derivative = gk.Expression(text, variables=("x", "y", "z")).diff("x")
    names = _names(expected)
    for point in zip(xs, Y, Z):
        values = dict(zip("xyz", point))
        exact = expected(**{name: values[name] for name in names})
        assert math.isfinite(exact), values  # a point where math.js's derivative is defined
        assert float(derivative.evaluate(**values)) == pytest.approx(exact, rel=1e-12, abs=1e-12), values


# --- derivatives: refused by both, and refused by gradkit on purpose -------------------------------------------

DERIVATIVE_REFUSED_BY_BOTH = {
    "should throw error if expressions contain unsupported operators or functions": [
        ("x << 2", "operator 'LShift' is not allowed"),
        ("subset(x)", "unknown function 'subset'"),
        ("max(x)", "max\\(\\) takes at least 2 arguments, got 1"),
        ("add(2,3,x)", "unknown function 'add'"),
    ],
    "should throw error in case of an unknown function": [("foo(x)", "unknown function 'foo'")],
    "should throw error for incorrect argument types": [
        ("[1, 2; 3, 4]", SYNTAX),
        ("x + [1, 2; 3, 4]", SYNTAX),
    ],
}

# (text, math.js's derivative in x, gradkit's message)
DERIVATIVE_REFUSED_BY_GRADKIT = {
    "should take the derivative of FunctionAssignmentNodes": [
        ("f(x) = 5x + x + 2", "5 * 1 + 1 + 0", SYNTAX),
        ("f(x) = 5 + 2", "0", SYNTAX),
        ("f(y) = 5y + 2", "0", SYNTAX),
    ],
    "should take the derivative of a OperatorNodes with SymbolNodes": [
        ("0^(2^x + x^3 + 2)", "0", "0 to a variable power"),
    ],
    "should properly take the derivative of mathematical functions": [
        ("nthRoot(6x)", "6 * 1 / (2 * sqrt(6 x))", "unknown function 'nthRoot'"),
        ("nthRoot(6x, 3)", "1 / 3 * 6 * 1 * (6 x) ^ (1 / 3 - 1)", "unknown function 'nthRoot'"),
        ("nthRoot((6x), (2x))", "(6 x) ^ (1 / (2 x)) * ...", "unknown function 'nthRoot'"),
        ("log((6x), 10)", "(6 * 1) / ((6 x) * log(10))", "log\\(\\) takes 1 argument, got 2"),
        ("log((2x), (3x))", "((2 * 1) / (2 x) * log((3 x)) - ...", "log\\(\\) takes 1 argument, got 2"),
        ("asec((2x))", "(2 * 1) / (abs((2 x)) * sqrt((2 x) ^ 2 - 1))", "unknown function 'asec'"),
        ("acsc((2x))", "-(2 * 1) / (abs((2 x)) * sqrt((2 x) ^ 2 - 1))", "unknown function 'acsc'"),
        ("acot((2x))", "-(2 * 1) / ((2 x) ^ 2 + 1)", "unknown function 'acot'"),
        ("sech(2x)", "-(2 * 1) * sech(2 x) * tanh(2 x)", "unknown function 'sech'"),
        ("csch(2x)", "-(2 * 1) * csch(2 x) * coth(2 x)", "unknown function 'csch'"),
        ("coth(2x)", "-(2 * 1) * csch(2 x) ^ 2", "unknown function 'coth'"),
        ("asech((2x))", "-(2 * 1) / ((2 x) * sqrt(1 - (2 x) ^ 2))", "unknown function 'asech'"),
        ("acsch((2x))", "-(2 * 1) / (abs((2 x)) * sqrt((2 x) ^ 2 + 1))", "unknown function 'acsch'"),
        ("acoth((2x))", "-(2 * 1) / (1 - (2 x) ^ 2)", "unknown function 'acoth'"),
        ("pow(0, 2^x + x^3 + 2)", "0", "0 to a variable power"),
    ],
    "should accept string input containing special characters": [("1 + $x", "1 (in $x)", SYNTAX)],
}


@pytest.mark.parametrize(
    ("text", "message"),
    _params(DERIVATIVE_REFUSED_BY_BOTH, DERIVATIVE)
    + [
        pytest.param(text, message, id=f"{text!r} [{DERIVATIVE}: {origin}]")
        for origin, cases in DERIVATIVE_REFUSED_BY_GRADKIT.items()
        for text, _, message in cases
    ],
)
def test_formula_to_differentiate_refused(text, message):
    with pytest.raises(gk.FormulaError, match=message):
        gk.Expression(text)


def test_variable_that_is_a_number_is_refused():
    # derivative.test.js, "should throw error for incorrect argument types": derivative('42', '42')
    with pytest.raises(ValueError, match="variable must be one of"):
        gk.Expression("42").diff("42")
