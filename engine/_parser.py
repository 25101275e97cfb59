"""User text → a validated tree of whitelisted nodes, with exact columns in every error.

A hand-written tokenizer and recursive-descent parser, so no user text ever reaches
``eval``, ``compile``, ``ast`` or ``sympify``: every character is either part of a
number, a whitelisted name, one of ``+ - * / ** ^ ( ) ,``, or an error that says
where it is and what is allowed. Every resource is bounded before anything is
computed: the length of the text, the nesting depth, the number of nodes, and the
size of constant powers (``9**9**9**9`` is refused, not evaluated).

Grammar (loosest first); ``^`` and ``**`` are the same right-associative power, and
unary minus binds looser than power, as in Python (``-x^2`` is ``-(x^2)``)::

    expr  := term (("+" | "-") term)*
    term  := unary (("*" | "/") unary)*
    unary := ("+" | "-") unary | power
    power := atom (("^" | "**") unary)?
    atom  := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.messages import msg

MAX_LENGTH = 500
MAX_DEPTH = 40
MAX_NODES = 400
#: Largest |exponent| of a constant power; bigger ones only overflow or explode the algebra.
MAX_EXPONENT = 100.0


class ExpressionError(ValueError):
    """A typed loss the app cannot use; the message says what, where, and what is allowed.

    ``column`` is 1-based (None when the problem is the whole text, e.g. it is empty).
    """

    def __init__(self, message: str, column: int | None = None) -> None:
        super().__init__(message)
        self.column = column


# -- the whitelist ---------------------------------------------------------------------------

VARIABLES = {"x": "x", "y": "y", "w1": "x", "w2": "y"}
CONSTANTS = {"pi": math.pi, "e": math.e}

#: name → (number of arguments, canonical name). Aliases map to one canonical name.
FUNCTIONS: dict[str, tuple[int, str]] = {
    "sin": (1, "sin"),
    "cos": (1, "cos"),
    "tan": (1, "tan"),
    "asin": (1, "asin"),
    "arcsin": (1, "asin"),
    "acos": (1, "acos"),
    "arccos": (1, "acos"),
    "atan": (1, "atan"),
    "arctan": (1, "atan"),
    "atan2": (2, "atan2"),
    "sinh": (1, "sinh"),
    "cosh": (1, "cosh"),
    "tanh": (1, "tanh"),
    "exp": (1, "exp"),
    "log": (1, "log"),
    "log10": (1, "log10"),
    "log2": (1, "log2"),
    "sqrt": (1, "sqrt"),
    "abs": (1, "abs"),
    "sign": (1, "sign"),
    "min": (2, "min"),
    "max": (2, "max"),
    "hypot": (2, "hypot"),
    "sigmoid": (1, "sigmoid"),
    "softplus": (1, "softplus"),
    "relu": (1, "relu"),
}
FUNCTION_LIST = ", ".join(FUNCTIONS)


def _softplus(u: float) -> float:
    return u + math.log1p(math.exp(-u)) if u > 0 else math.log1p(math.exp(u))


def _sigmoid(u: float) -> float:
    if u >= 0:
        return 1.0 / (1.0 + math.exp(-u))
    z = math.exp(u)
    return z / (1.0 + z)


#: Python's math for folding constant subtrees (refusing, not returning, bad values).
CONSTANT_MATH: dict[str, Callable[..., float]] = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "atan2": math.atan2,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "exp": math.exp,
    "log": math.log,
    "log10": math.log10,
    "log2": math.log2,
    "sqrt": math.sqrt,
    "abs": abs,
    "sign": lambda u: float((u > 0) - (u < 0)),
    "min": min,
    "max": max,
    "hypot": math.hypot,
    "sigmoid": _sigmoid,
    "softplus": _softplus,
    "relu": lambda u: max(u, 0.0),
}

#: Characters that mean the text is not plain math, with what to tell the user.
_REFUSED = {
    "'": msg("strings are not allowed"),
    '"': msg("strings are not allowed"),
    "[": msg("subscripts and lists are not allowed"),
    "]": msg("subscripts and lists are not allowed"),
    "{": msg("braces are not allowed"),
    "}": msg("braces are not allowed"),
    ".": msg("attribute access is not allowed"),
    "=": msg("write only the formula for L, without '=' or comparisons"),
    "<": msg("comparisons are not allowed"),
    ">": msg("comparisons are not allowed"),
    "!": msg("only + - * / ^ are allowed"),
    ";": msg("only one expression is allowed"),
    ":": msg("only one plain expression is allowed"),
    "%": msg("only + - * / ^ are allowed"),
    "&": msg("only + - * / ^ are allowed"),
    "|": msg("only + - * / ^ are allowed; write abs(...) for |...|"),
    "~": msg("only + - * / ^ are allowed"),
    "@": msg("only + - * / ^ are allowed"),
    "#": msg("comments are not allowed"),
    "\\": msg("only + - * / ^ are allowed"),
}
#: Typographic forms a formula pasted from a document may contain.
_LOOKALIKES = {"−": "-", "×": "*", "·": "*", "÷": "/"}

_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DIGITS = frozenset("0123456789")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


# -- the tree ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Num:
    value: float
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Var:
    name: str  # "x" or "y"
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Const:
    name: str  # "pi" or "e"
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Unary:
    op: str  # "-"
    operand: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / ^
    left: Node
    right: Node
    col: int = field(default=0, compare=False)


@dataclass(frozen=True)
class Call:
    func: str  # canonical name, a key of CONSTANT_MATH
    args: tuple[Node, ...]
    col: int = field(default=0, compare=False)


Node = Num | Var | Const | Unary | Binary | Call


# -- tokens -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    text: str
    col: int
    value: float = 0.0


def tokenize(text: str) -> list[Token]:
    """Split into numbers, names and operators; refuse anything else at its column."""
    tokens: list[Token] = []
    i = 0
    n = len(text)
    while i < n:
        ch = _LOOKALIKES.get(text[i], text[i])
        col = i + 1
        if ch.isspace():
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            m = _NUMBER.match(text, i)
            assert m is not None
            value = float(m.group())
            if not math.isfinite(value):
                raise ExpressionError(
                    msg("number {number} at column {col} is too large", number=m.group(), col=col), col
                )
            tokens.append(Token("num", m.group(), col, value))
            i = m.end()
            continue
        if ch.isascii() and (ch.isalpha() or ch == "_"):
            m = _NAME.match(text, i)
            assert m is not None
            if keyword.iskeyword(m.group()) or keyword.issoftkeyword(m.group()):
                raise ExpressionError(
                    msg("'{word}' at column {col} is a Python keyword, not math", word=m.group(), col=col),
                    col,
                )
            tokens.append(Token("name", m.group(), col))
            i = m.end()
            continue
        if ch == "*" and i + 1 < n and text[i + 1] == "*":
            tokens.append(Token("op", "**", col))
            i += 2
            continue
        if ch in "+-*/^(),":
            tokens.append(Token("op", ch, col))
            i += 1
            continue
        if ch in _REFUSED:
            raise ExpressionError(
                msg(
                    "{char} at column {col} is not allowed: {reason}",
                    char=repr(ch),
                    col=col,
                    reason=_REFUSED[ch],
                ),
                col,
            )
        raise ExpressionError(
            msg(
                "unexpected character {char} at column {col}: use numbers, x, y, + - * / ^, "
                "parentheses and functions",
                char=repr(ch),
                col=col,
            ),
            col,
        )
    tokens.append(Token("end", "", n + 1))
    return tokens


# -- parser -----------------------------------------------------------------------------------


class _Parser:
    """Recursive descent over the token list, counting depth and nodes as it goes."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0
        self.nodes = 0

    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def node(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ExpressionError(
                msg("the expression is too large (more than {limit} parts)", limit=MAX_NODES), node.col
            )
        return node

    def enter(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                msg(
                    "the expression is nested too deeply at column {col} (at most {limit} levels)",
                    col=col,
                    limit=MAX_DEPTH,
                ),
                col,
            )

    def is_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.text in ops

    def parse(self) -> Node:
        if self.tok.kind == "end":
            raise ExpressionError(
                msg("the expression is empty: type a formula in x and y, e.g. x^2 + 10*y^2")
            )
        tree = self.expr()
        if self.tok.kind != "end":
            raise self.unexpected()
        return tree

    def unexpected(self, *, operand: bool = False) -> ExpressionError:
        """What is wrong at the current token; ``operand``: a value had to start here."""
        tok = self.tok
        if tok.kind == "end":
            prev = self.tokens[self.pos - 1] if self.pos else tok
            return ExpressionError(
                msg(
                    "the expression ends too early after '{token}' at column {col}: "
                    "expected a number, x, y, a function or '('",
                    token=prev.text,
                    col=prev.col,
                ),
                prev.col,
            )
        if tok.text == ",":
            return ExpressionError(
                msg(
                    "',' at column {col} outside a function call: commas only separate "
                    "arguments, as in max(x, y)",
                    col=tok.col,
                ),
                tok.col,
            )
        if tok.kind in ("num", "name") or tok.text == "(":
            prev = self.tokens[self.pos - 1] if self.pos else tok
            if prev.kind in ("num", "name") or prev.text == ")":
                return ExpressionError(
                    msg(
                        "missing operator before '{token}' at column {col}: write * to multiply, e.g. 2*x",
                        token=tok.text,
                        col=tok.col,
                    ),
                    tok.col,
                )
        if operand:
            return ExpressionError(
                msg(
                    "unexpected '{token}' at column {col}: expected a number, x, y, a function or '('",
                    token=tok.text,
                    col=tok.col,
                ),
                tok.col,
            )
        if tok.text == ")":
            return ExpressionError(msg("')' at column {col} has no '(' to close", col=tok.col), tok.col)
        return ExpressionError(
            msg("unexpected '{token}' at column {col}", token=tok.text, col=tok.col), tok.col
        )

    def expr(self) -> Node:
        left = self.term()
        while self.is_op("+", "-"):
            op = self.advance()
            left = self.node(Binary(op.text, left, self.term(), op.col))
        return left

    def term(self) -> Node:
        left = self.unary()
        while self.is_op("*", "/"):
            op = self.advance()
            left = self.node(Binary(op.text, left, self.unary(), op.col))
        return left

    def unary(self) -> Node:
        if self.is_op("+", "-"):
            op = self.advance()
            self.enter(op.col)
            operand = self.unary()
            self.depth -= 1
            return operand if op.text == "+" else self.node(Unary("-", operand, op.col))
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.is_op("^", "**"):
            op = self.advance()
            self.enter(op.col)
            exponent = self.unary()
            self.depth -= 1
            return self.node(Binary("^", base, exponent, op.col))
        return base

    def atom(self) -> Node:
        tok = self.tok
        if tok.kind == "num":
            self.advance()
            return self.node(Num(tok.value, tok.col))
        if tok.kind == "name":
            return self.name()
        if self.is_op("("):
            self.advance()
            self.enter(tok.col)
            inner = self.expr()
            self.depth -= 1
            self.close(tok)
            return inner
        raise self.unexpected(operand=True)

    def close(self, opening: Token) -> None:
        if self.is_op(")"):
            self.advance()
            return
        if self.tok.kind == "end":
            raise ExpressionError(msg("'(' at column {col} is never closed", col=opening.col), opening.col)
        raise self.unexpected()

    def name(self) -> Node:
        tok = self.advance()
        name, col = tok.text, tok.col
        calls = self.is_op("(")
        if name in FUNCTIONS:
            if not calls:
                raise ExpressionError(
                    msg("'{name}' at column {col} is a function: write {name}(...)", name=name, col=col), col
                )
            return self.call(tok)
        if name in VARIABLES or name in CONSTANTS:
            if calls:
                raise ExpressionError(
                    msg(
                        "'{name}' at column {col} is not a function: write {name}*(...) to multiply",
                        name=name,
                        col=col,
                    ),
                    col,
                )
            if name in VARIABLES:
                return self.node(Var(VARIABLES[name], col))
            return self.node(Const(name, col))
        if calls:
            raise ExpressionError(
                msg(
                    "unknown function '{name}' at column {col}: use one of {functions}",
                    name=name,
                    col=col,
                    functions=FUNCTION_LIST,
                ),
                col,
            )
        raise ExpressionError(
            msg("unknown name '{name}' at column {col} — use x and y", name=name, col=col), col
        )

    def call(self, tok: Token) -> Node:
        opening = self.advance()
        self.enter(opening.col)
        args: list[Node] = []
        if not self.is_op(")"):
            args.append(self.expr())
            while self.is_op(","):
                self.advance()
                args.append(self.expr())
        self.depth -= 1
        self.close(opening)
        arity, canonical = FUNCTIONS[tok.text]
        if len(args) != arity:
            values = {"function": tok.text, "arity": arity, "count": len(args), "col": tok.col}
            if arity == 1:
                message = msg("{function}() takes {arity} argument, got {count} (at column {col})", **values)
            else:
                message = msg("{function}() takes {arity} arguments, got {count} (at column {col})", **values)
            raise ExpressionError(message, tok.col)
        return self.node(Call(canonical, tuple(args), tok.col))


# -- checks and constant folding ---------------------------------------------------------------


def has_variables(node: Node) -> bool:
    if isinstance(node, Var):
        return True
    if isinstance(node, Unary):
        return has_variables(node.operand)
    if isinstance(node, Binary):
        return has_variables(node.left) or has_variables(node.right)
    if isinstance(node, Call):
        return any(has_variables(a) for a in node.args)
    return False


def _constant_value(node: Node) -> float:
    """Value of a folded constant leaf (``Num`` or ``Const``)."""
    return node.value if isinstance(node, Num) else CONSTANTS[node.name]  # type: ignore[union-attr]


def _binary_value(node: Binary, a: float, b: float) -> float:
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    if node.op == "/":
        return a / b  # ZeroDivisionError is reported by the caller
    return math.pow(a, b)


def fold(node: Node) -> Node:
    """Replace constant subtrees by their value and refuse what cannot be a real, finite number.

    Constants are computed in floats with Python's ``math`` (never with big integers
    or symbolic algebra), after checking that every constant exponent is at most
    ``MAX_EXPONENT`` in size, so nothing here can take long. What survives has only
    small constant powers, so the symbolic stage stays small too.
    """
    if isinstance(node, Num | Var | Const):
        return node
    if isinstance(node, Unary):
        operand = fold(node.operand)
        if isinstance(operand, Num | Const):
            return Num(-_constant_value(operand), node.col)
        return Unary(node.op, operand, node.col)
    if isinstance(node, Binary):
        left, right = fold(node.left), fold(node.right)
        const_left, const_right = isinstance(left, Num | Const), isinstance(right, Num | Const)
        if node.op == "^" and const_right and abs(_constant_value(right)) > MAX_EXPONENT:
            raise ExpressionError(
                msg(
                    "the exponent {exponent} of '^' at column {col} is too large (at most {limit} in size)",
                    exponent=shorten(render(node.right)),
                    col=node.col,
                    limit=f"{MAX_EXPONENT:g}",
                ),
                node.col,
            )
        if node.op == "/" and const_right and _constant_value(right) == 0:
            raise ExpressionError(msg("division by zero at column {col}", col=node.col), node.col)
        if node.op == "^" and const_left and not const_right:
            base = _constant_value(left)
            if base <= 0:
                raise ExpressionError(
                    msg(
                        "'^' at column {col}: a base of {base} to a power that depends on x or y "
                        "is not a real number; use a positive base",
                        col=node.col,
                        base=f"{base:g}",
                    ),
                    node.col,
                )
        if const_left and const_right:
            return _folded(node, lambda: _binary_value(node, _constant_value(left), _constant_value(right)))
        return Binary(node.op, left, right, node.col)
    if isinstance(node, Call):
        args = tuple(fold(a) for a in node.args)
        if all(isinstance(a, Num | Const) for a in args):
            values = [_constant_value(a) for a in args]
            return _folded(node, lambda: float(CONSTANT_MATH[node.func](*values)))
        return Call(node.func, args, node.col)
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


#: Longest piece of a formula quoted in a message (every refusal stays one short line).
QUOTE_CHARS = 60


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """The text, or its start and end around "…" when longer than ``limit`` characters."""
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return text[:half] + "…" + text[-(limit - 1 - half) :]


def _folded(node: Node, compute: Callable[[], float]) -> Num:
    try:
        value = compute()
    except ZeroDivisionError:
        raise ExpressionError(
            msg("{part} at column {col} divides by zero", part=shorten(render(node)), col=node.col), node.col
        ) from None
    except OverflowError:
        value = math.inf
    except ValueError:
        raise ExpressionError(
            msg(
                "{part} at column {col} is undefined (not a real number)",
                part=shorten(render(node)),
                col=node.col,
            ),
            node.col,
        ) from None
    if math.isnan(value):
        raise ExpressionError(
            msg("{part} at column {col} is undefined", part=shorten(render(node)), col=node.col), node.col
        )
    if math.isinf(value):
        raise ExpressionError(
            msg("{part} at column {col} is too large", part=shorten(render(node)), col=node.col), node.col
        )
    return Num(value, node.col)


# -- normalized text --------------------------------------------------------------------------

_PREC = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4}


def _prec(node: Node) -> int:
    if isinstance(node, Binary):
        return _PREC[node.op]
    if isinstance(node, Unary) or (isinstance(node, Num) and node.value < 0):
        return _PREC["neg"]
    return 5


def format_number(value: float) -> str:
    """Shortest text that reads back as the same float: 10, 0.5, 1e-05."""
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def render(node: Node) -> str:
    """Canonical text of a tree: one spacing, minimal parentheses, x/y for w1/w2.

    Parsing the result gives the same tree, so it also serves as the cache key.
    """
    if isinstance(node, Num):
        return format_number(node.value)
    if isinstance(node, Var | Const):
        return node.name
    if isinstance(node, Unary):
        inner = render(node.operand)
        return f"-({inner})" if _prec(node.operand) <= _PREC["neg"] else f"-{inner}"
    if isinstance(node, Call):
        return f"{node.func}({', '.join(render(a) for a in node.args)})"
    if isinstance(node, Binary):
        p = _PREC[node.op]
        left, right = render(node.left), render(node.right)
        if node.op == "^":
            if _prec(node.left) <= p:
                left = f"({left})"
            if _prec(node.right) < _PREC["neg"]:
                right = f"({right})"
            return f"{left}^{right}"
        if _prec(node.left) < p:
            left = f"({left})"
        if _prec(node.right) <= p:
            right = f"({right})"
        sep = f" {node.op} " if p == 1 else node.op
        return f"{left}{sep}{right}"
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


def parse(text: str) -> Node:
    """Tokenize and parse, refusing anything outside the grammar or over the size limits."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            msg(
                "the expression is too long ({length} characters; at most {limit})",
                length=len(text),
                limit=MAX_LENGTH,
            ),
            MAX_LENGTH + 1,
        )
    return _Parser(tokenize(text)).parse()
