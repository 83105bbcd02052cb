"""Text -> sympy tree through an allowlist: no eval, exec, sympify or parse_expr on user text.

The text is read by Python's own parser (`ast.parse`, which only builds a tree)
after ``^`` is rewritten as ``**``, and the tree is walked node by node: numbers,
variable names, ``+ - * / **``, unary minus and plus, and calls to a fixed set
of functions become sympy objects directly; anything else is rejected with a
`FormulaError` that names it and its column. Limits on the text's length, the
number of nodes, the nesting depth, the size of numbers and of constant powers
make every input finish quickly.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass

import sympy

from gradkit.symbolic.errors import FormulaError
from gradkit.symbolic.functions import ALIASES, CONSTANTS, FUNCTIONS

MAX_LENGTH = 2000
MAX_NODES = 1000
MAX_DEPTH = 60
MAX_NUMBER_DIGITS = 400  # enough for every double written exactly as a fraction (2^-1074 has 324)
MAX_EXPONENT = 1000
MAX_CONSTANT_DIGITS = 400  # a constant power may not exceed 10**400
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class Parsed:
    expr: sympy.Expr
    names: frozenset[str]


def parse(text: object, *, trusted: bool = False) -> Parsed:
    """Parse `text` into a sympy expression and the variable names it uses.

    `trusted` lifts the limits on size and nesting, for text gradkit printed itself (derivatives grow).
    """
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be text, got {type(text).__name__}")
    if len(text) > MAX_LENGTH and not trusted:
        raise FormulaError(f"formula too long: {len(text)} characters, at most {MAX_LENGTH}")
    for index, char in enumerate(text):
        if not (char.isascii() and (char.isprintable() or char in " \t")):
            raise FormulaError(f"character {char!r} is not allowed (plain ASCII only)", index + 1)
    code = text.split("#", 1)[0]  # what Python's parser reads: '#' starts a comment, as in math.js
    if not code.strip():
        raise FormulaError("empty formula")
    barred, bar_columns = _bars(code)  # (the comment is not read: its columns would follow the code's anyway)
    try:
        source, normal_columns = _normalized(barred)
    except FormulaError as error:
        column = None if error.column is None else _original_column(bar_columns, error.column - 1)
        raise FormulaError(error.message, column) from None
    columns = [bar_columns[c] for c in normal_columns]
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as error:
        ending = code.rstrip()
        operator = "**" if ending.endswith("**") else ending[-1]
        if operator in ("+", "-", "*", "/", "^", "(", ",", "**") and _reads(ending[: -len(operator)]):
            # all that is wrong is the end: say so there (Python would point at the operator's first operand)
            message = f"syntax error: the formula ends with '{operator}', and something must follow it"
            raise FormulaError(message, len(ending) + 1) from None
        offset = (error.offset or 1) - 1 + (len(source) - len(source.lstrip()))
        raise FormulaError(f"syntax error ({error.msg})", _original_column(columns, offset)) from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula too deeply nested or too large") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES and not trusted:
        raise FormulaError(f"formula too large: {nodes} syntax nodes, at most {MAX_NODES}")
    builder = _Builder(text, columns, len(source) - len(source.lstrip()), math.inf if trusted else 1)
    try:
        expr = builder.build(tree.body, depth=0)
    except RecursionError:
        raise FormulaError("formula too deeply nested or too long a chain of operations") from None
    return Parsed(expr, frozenset(builder.names))


#: Python's numeric literals (a trailing j makes a complex one, which the builder refuses), and the
#: identifiers Python reads (the builder then allows those of `_NAME`).
_NUMBER_TOKEN = re.compile(
    r"0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"
    r"|(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?[jJ]?"
)
_NAME_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _bars(text: str) -> tuple[str, list[int]]:
    """`text` with absolute-value bars ``|x|`` written as ``abs(x)``; also each character's column in `text`.

    A bar closes the innermost open bar when it follows a value (a name, a number, a closing parenthesis or
    bar) and no parenthesis opened since is still open; otherwise it opens one. So ``||x| - 1|`` and
    ``|x||y|`` read as people mean them. An opening bar is written `` abs(`` (with a space), so that
    ``2|x|`` is a product, as ``2abs(x)`` would be, while ``x|y|`` stays an error, as ``x y`` does.
    """
    if "|" not in text:
        return text, list(range(len(text)))
    out: list[str] = []
    columns: list[int] = []
    groups: list[tuple[str, int]] = []  # the open parentheses and bars with their indices, innermost last
    after_value = False
    for index, char in enumerate(text):
        piece = char
        if char == "|":
            if after_value and groups and groups[-1][0] == "|":
                groups.pop()
                piece = ")"
            else:
                groups.append(("|", index))
                piece = " abs("
        elif char == "(":
            groups.append(("(", index))
        elif char == ")" and groups and groups[-1][0] == "(":
            groups.pop()
        out.append(piece)
        columns += [index] * len(piece)
        if char not in " \t":
            after_value = char.isalnum() or char in "._)" or piece == ")"
    bars = [index for kind, index in groups if kind == "|"]
    if bars:  # (said here: Python would speak of the parenthesis the bar became)
        raise FormulaError("an absolute-value bar '|' is never closed", bars[0] + 1)
    return "".join(out), columns


def _normalized(text: str) -> tuple[str, list[int]]:
    """`text` as Python reads products and powers; also, per character of the result, its column in `text`.

    ``^`` becomes ``**``. A product may be written without ``*`` where nothing else could be meant: a number
    right before a name or an opening parenthesis (``2x``, ``3sin(x)``, ``2(x + 1)``), and a closing
    parenthesis before a name, a number or an opening parenthesis (``(x + 1)(x - 1)``). A name before a
    parenthesis stays a call, and two names or two numbers side by side stay an error. Right after ``/`` or
    a power such a product is refused: ``x/2y`` and ``e^2x`` are read both ways by people. So is a number that
    runs into letters where it could be read two ways (``0x12u``, ``2e+a``: `_check_number_end`).
    """
    out, columns = [], []
    previous = None  # what the last token was: "number", "name", "close" or None
    operator = None  # the operator before the last number or parenthesised group: "/", "^", "**", ...
    last = None  # the last operator character, "**" for a power written so
    called = None  # the operator before the last name (a call's parenthesis belongs to its name)
    opened: list = []  # the operator before each open parenthesis
    index = 0
    while index < len(text):
        char = text[index]
        if char in " \t":
            out.append(char)
            columns.append(index)
            index += 1
            continue
        starts_number = char.isdigit() or (char == "." and text[index + 1 : index + 2].isdigit())
        match = (_NUMBER_TOKEN if starts_number else _NAME_TOKEN).match(text, index)
        if starts_number and match:
            _check_number_end(text, match)
        if (match or char == "(") and (previous == "close" or (previous == "number" and not starts_number)):
            if operator in ("/", "^", "**"):
                raise FormulaError(
                    f"a product without '*' right after '{operator}' is ambiguous "
                    "(write the '*', and parentheses where meant)",
                    index + 1,
                )
            out.append("*")
            columns.append(index)
        width = len(match.group()) if match else 1
        token = match.group() if match else ("**" if char == "^" else char)
        out.append(token)
        columns += [index] * 2 if token == "**" and char == "^" else list(range(index, index + width))
        if starts_number and match:
            operator = last
        elif match:
            called = last
        elif char == "(":
            opened.append(called if previous == "name" else last)
        elif char == ")":
            operator = opened.pop() if opened else None
        if char in "+-" and last in ("/", "^", "**"):
            pass  # a sign after a division or a power: the product that follows is still right after it
        elif not match and char not in "()":
            last = "**" if (char == "*" and last == "*" and out[-2:-1] == ["*"]) else char
        elif match or char == "(":
            last = None
        previous = ("number" if starts_number else "name") if match else "close" if char == ")" else None
        index += width
    return "".join(out), columns


def _reads(code: str) -> bool:
    """Whether Python's parser reads `code` once bars, products and powers are written its way."""
    try:
        source, _ = _normalized(_bars(code)[0])
        ast.parse(source.strip(), mode="eval")
    except (FormulaError, SyntaxError, RecursionError, MemoryError, ValueError):
        return False
    return True


_BASES = {"x": "a hexadecimal", "o": "an octal", "b": "a binary"}


def _check_number_end(text: str, match: re.Match) -> None:
    """Refuse a number that runs straight into a name where the two readings differ: ``0x12u`` (a hexadecimal
    number and u, or a malformed number), ``0b2`` and ``0x`` (a base prefix without its digits, or 0 times a
    name), ``2e+a`` and ``3e-.5`` (scientific notation without its exponent, or 2 times e plus a)."""
    number, end = match.group(), match.end()
    following = text[end : end + 1]
    column = end + 1
    if number[:2].lower() in ("0x", "0o", "0b") and (following.isalnum() or following == "_"):
        base = _BASES[number[1].lower()]
        raise FormulaError(
            f"{following!r} cannot follow {base} number ({number}); write '*' between a number and a name", column
        )
    if number == "0" and following.lower() in _BASES:
        base = _BASES[following.lower()]
        raise FormulaError(f"'0{following}' starts {base} number, which needs its digits after it", column)
    exponent = text[end : end + 2]
    if "e" not in number.lower() and exponent in ("e+", "e-", "E+", "E-"):
        raise FormulaError(
            f"'{number}{exponent}' needs the digits of an exponent after it (as in {number}e+3); for Euler's "
            f"number write {number}*e {exponent[1]} ...",
            column,
        )


def _original_column(columns: list[int], offset: int) -> int:
    if not columns:
        return 1
    return columns[min(max(offset, 0), len(columns) - 1)] + 1


class _Builder:
    def __init__(self, text: str, columns: list[int], stripped: int, limits: float = 1):
        self.limits = limits  # how many times the limits on depth and size: inf for trusted text
        self.text = text
        self.columns = columns
        self.stripped = stripped
        self.names: set[str] = set()
        self.calls = 0

    def column(self, node: ast.AST) -> int | None:
        offset = getattr(node, "col_offset", None)
        return None if offset is None else _original_column(self.columns, offset + self.stripped)

    def fail(self, message: str, node: ast.AST) -> FormulaError:
        return FormulaError(message, self.column(node))

    def build(self, node: ast.AST, depth: int) -> sympy.Expr:
        self.calls += 1
        if depth > MAX_DEPTH * self.limits or self.calls > MAX_NODES * self.limits:
            raise self.fail(f"formula nested too deeply (more than {MAX_DEPTH} levels)", node)
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp):
            return self.defined(self.binary(node, depth), node)
        if isinstance(node, ast.Call):
            return self.defined(self.call(node, depth), node)
        raise self.fail(f"{_describe(node)} is not allowed", node)

    def defined(self, expr: sympy.Expr, node: ast.AST) -> sympy.Expr:
        """`expr` if it is defined, a real number that fits a double where it is constant; its parts are.

        Text gradkit printed itself (trusted) was checked when it was typed, and is not checked again.

        Exact arithmetic meets 1/0, 0/0, log(0), sqrt(-1) or 10^400 only in constant parts (x/0 becomes
        zoo*x), so checking each operation as it is built names the part of the text at fault.
        """
        if self.limits == math.inf:
            return expr
        parts = (expr, *expr.args)
        if sympy.nan in parts:
            raise self.fail(f"{self.segment(node)} is undefined", node)
        if any(part in (sympy.zoo, sympy.oo, -sympy.oo) for part in parts):
            raise self.fail(f"{self.segment(node)} is infinite (a division by zero or a pole)", node)
        if expr.is_Rational and _digits(expr) > MAX_CONSTANT_DIGITS:
            expr = sympy.Float(expr, 30)  # a sum of many fractions: exact digits no double needs
        tiny = {}
        for part in (expr, *expr.args):
            # a constant factor or term (x*1e308*10 is 1.0e309*x) must fit a double as well, or every value
            # of the formula is infinite
            if part.is_Number and not math.isfinite(_magnitude(part)):
                raise self.fail(f"{self.segment(node)} holds a constant too large for double precision", node)
            if part.is_number and part != 0 and _magnitude(part) == 0:
                tiny[part] = sympy.S.Zero  # below the smallest double: 0, as double arithmetic makes it
        if tiny:
            expr = expr.xreplace(tiny)
        if expr.is_number:
            try:
                value = complex(expr.evalf(17))
            except OverflowError:
                value = complex(math.inf)
            except (TypeError, ValueError):
                value = complex(math.nan)
            if math.isnan(value.real) or math.isnan(value.imag):
                raise self.fail(f"{self.segment(node)} is undefined", node)
            if not (math.isfinite(value.real) and math.isfinite(value.imag)):
                raise self.fail(f"{self.segment(node)} is infinite or too large for double precision", node)
            if value.imag != 0:
                raise self.fail(f"{self.segment(node)} is not a real number ({value:.6g})", node)
        return expr

    def segment(self, node: ast.AST) -> str:
        """The text the user typed for `node`, quoted."""
        start = self.column(node)
        end_offset = getattr(node, "end_col_offset", None)
        if start is None or end_offset is None:
            return "this part"
        end = _original_column(self.columns, end_offset - 1 + self.stripped)
        return repr(self.text[start - 1 : end])

    def number(self, node: ast.Constant) -> sympy.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(f"{_describe(node)} is not allowed", node)
        if isinstance(value, int):
            if value.bit_length() > MAX_NUMBER_DIGITS * 3.33:
                raise self.fail(f"number too large (more than {MAX_NUMBER_DIGITS} digits)", node)
            if not math.isfinite(_magnitude(sympy.Integer(value))):
                raise self.fail("number too large for double precision", node)
            return sympy.Integer(value)
        if not math.isfinite(value):
            raise self.fail("number too large", node)
        return sympy.Float(value)

    def name(self, node: ast.Name) -> sympy.Expr:
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if node.id in FUNCTIONS or node.id in ALIASES:
            raise self.fail(f"{node.id!r} is a function; call it like {node.id}(x)", node)
        if not _NAME.match(node.id) or "__" in node.id:
            raise self.fail(f"name {node.id!r} is not allowed", node)
        self.names.add(node.id)
        return sympy.Symbol(node.id, real=True)

    def binary(self, node: ast.BinOp, depth: int) -> sympy.Expr:
        operators = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
        kind = type(node.op)
        if kind not in operators:
            symbol = {ast.BitXor: "^", ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@"}.get(kind, kind.__name__)
            raise self.fail(f"operator {symbol!r} is not allowed", node)
        # A long sum or product is a chain nested to the left; count it apart from real nesting, so that
        # x + x + ... of a few hundred terms is fine while 60 levels of parentheses are not.
        chained = isinstance(node.left, ast.BinOp) and type(node.left.op) is kind
        left = self.build(node.left, depth) if chained else self.build(node.left, depth + 1)
        right = self.build(node.right, depth + 1)
        if kind in (ast.Mult, ast.Div) and isinstance(node.left, ast.UnaryOp) and isinstance(node.left.op, ast.USub):
            # -(a + b)*c is -((a + b)*c), as sympy prints it: negating the sum first would give another tree
            # (-a - b)*c, and what gradkit prints would not read back to the same one
            return -(-left * right if kind is ast.Mult else -left / right)
        if kind is ast.Add:
            return left + right
        if kind is ast.Sub:
            return left - right
        if kind is ast.Mult:
            return left * right
        if kind is ast.Div:
            return left / right
        return self.power(node, left, right)

    def power(self, node: ast.BinOp, base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
        if exponent.is_number:
            magnitude = abs(complex(exponent.evalf(15)))
            if magnitude > MAX_EXPONENT:
                raise self.fail(f"exponent too large ({magnitude:.3g}; at most {MAX_EXPONENT})", node)
            if base.is_number:
                size = abs(complex(base.evalf(15)))
                if size > 1 and magnitude * math.log10(size) > MAX_CONSTANT_DIGITS:
                    raise self.fail(f"constant power too large (more than 10**{MAX_CONSTANT_DIGITS})", node)
                if base.is_Rational and _digits(base) * magnitude > MAX_CONSTANT_DIGITS:
                    # (1 + 10^-30)^1000 exactly has 30,000 digits, and powers of it millions: use 30 digits
                    base = sympy.Float(base, 30)
        elif base.is_number and base.is_zero:
            raise self.fail("0 to a variable power is 0, 1 or infinite by the power's sign: write which", node)
        elif base.is_number and base.is_extended_negative:
            # (-1)^x is real only where x is a whole number: a formula would be nan almost everywhere
            raise self.fail(
                "a negative number to a variable power is not real except at whole numbers "
                "(for (-1)^n write cos(pi*n))",
                node,
            )
        return sympy.Pow(base, exponent)

    def call(self, node: ast.Call, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"{_describe(node.func)} cannot be called; allowed functions: {_allowed()}", node)
        name = node.func.id
        if name not in FUNCTIONS and name not in ALIASES:
            raise self.fail(f"unknown function {name!r}; allowed: {_allowed()}", node)
        if node.keywords:
            raise self.fail(f"keyword arguments are not allowed in {name}()", node)
        arity, build = FUNCTIONS[ALIASES.get(name, name)]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail("argument unpacking is not allowed", node)
        count = len(node.args)
        if isinstance(arity, int) and count != arity:
            raise self.fail(f"{name}() takes {arity} argument{'s' if arity != 1 else ''}, got {count}", node)
        if arity is None and count < 2:
            raise self.fail(f"{name}() takes at least 2 arguments, got {count}", node)
        if isinstance(arity, tuple) and not arity[0] <= count <= arity[1]:
            raise self.fail(f"{name}() takes {arity[0]} or {arity[1]} arguments, got {count}", node)
        arguments = [self.build(argument, depth + 1) for argument in node.args]
        if build is sympy.Pow:
            return self.power(node, *arguments)
        if name in ("dirac",) and count == 2 and not (arguments[1].is_Integer and 0 <= arguments[1] <= 20):
            raise self.fail("dirac(x, n) takes a whole number n from 0 to 20, the order of the derivative", node)
        return build(*arguments)


def _magnitude(number: sympy.Expr) -> float:
    """abs(number) as a double: inf where it does not fit one, nan where it is not a real number."""
    try:
        return abs(float(number))
    except OverflowError:
        return math.inf
    except (TypeError, ValueError):
        return math.nan


def _digits(number: sympy.Rational) -> float:
    """About how many decimal digits the numerator or denominator of `number` has."""
    return max(int(number.p).bit_length(), int(number.q).bit_length()) * math.log10(2)


def _allowed() -> str:
    return ", ".join(sorted([*FUNCTIONS, *ALIASES]))


def _describe(node: ast.AST) -> str:
    names = {
        ast.Attribute: "attribute access",
        ast.Subscript: "indexing",
        ast.Lambda: "lambda",
        ast.ListComp: "a comprehension",
        ast.GeneratorExp: "a comprehension",
        ast.SetComp: "a comprehension",
        ast.DictComp: "a comprehension",
        ast.Compare: "a comparison",
        ast.BoolOp: "a boolean operator",
        ast.IfExp: "a conditional expression",
        ast.List: "a list",
        ast.Tuple: "a tuple",
        ast.Dict: "a dict",
        ast.Set: "a set",
        ast.JoinedStr: "an f-string",
        ast.NamedExpr: "an assignment",
        ast.Await: "await",
        ast.Yield: "yield",
        ast.Starred: "argument unpacking",
        ast.Slice: "a slice",
    }
    if isinstance(node, ast.Constant):
        return f"the {type(node.value).__name__} constant {node.value!r}"[:80]
    if isinstance(node, ast.UnaryOp):
        return f"unary operator {type(node.op).__name__}"
    return names.get(type(node), type(node).__name__)
