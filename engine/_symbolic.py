"""A validated tree → sympy → exact gradient → Python source of a numba ``loss_value_grad``.

The sympy expression is built node by node from the parser's tree (never from text),
differentiated with ``sympy.diff`` and shared subexpressions are pulled out with
``sympy.cse``. The printer below is a second whitelist: it knows how to print the
few sympy types our tree and its derivatives can contain, and refuses anything else,
so the only things that reach the generated source are ``x``, ``y``, temporaries,
float literals, ``math.*`` and the ``_expr_*`` helpers defined here.

Kinks get a documented subgradient instead of NaN (the minimum-norm choice, as
PyTorch does): abs'(0) = sign(0) = 0, relu'(0) = 0, sign' = 0, hypot at (0, 0) has
gradient 0, a power u^p with a non-integer p > 0 (sqrt, ^1.5) has slope 0 where u' = 0
(the cone sqrt(x² + y²) at its tip), and max/min on a tie give each argument half the gradient.
"""

from __future__ import annotations

import math

import sympy as sp

from engine._parser import Binary, Call, Const, ExpressionError, Node, Num, Unary, Var, render, shorten
from engine.messages import message_of, msg

#: Refuse gradients whose code would take numba too long to compile.
MAX_SOURCE_CHARS = 60_000

X, Y = sp.Symbol("x"), sp.Symbol("y")
_JIT = 'cache=True, nogil=True, error_model="numpy"'


class _Fn(sp.Function):
    """Base of our own functions: sympy never evaluates or rewrites them."""

    helper = ""


class Sigmoid(_Fn):
    nargs = 1
    helper = "_expr_sigmoid"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        s = Sigmoid(self.args[0])
        return s * (1 - s)


class Softplus(_Fn):
    nargs = 1
    helper = "_expr_softplus"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sigmoid(self.args[0])


class Step(_Fn):
    """relu'(u): 1 for u > 0, else 0 (so relu'(0) = 0)."""

    nargs = 1
    helper = "_expr_step"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class Relu(_Fn):
    nargs = 1
    helper = "_expr_relu"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Step(self.args[0])


class Sign(_Fn):
    """sign with sign(0) = 0; its derivative is 0 everywhere (a subgradient at 0)."""

    nargs = 1
    helper = "_expr_sign"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class Absolute(_Fn):
    nargs = 1
    helper = "abs"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return Sign(self.args[0])


class Tie(_Fn):
    """∂max(a, b)/∂a: 1 if a > b, ½ on a tie, 0 if a < b."""

    nargs = 2
    helper = "_expr_tie"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Integer(0)


class Maximum(_Fn):
    nargs = 2
    helper = "_expr_max"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a, b = self.args
        return Tie(a, b) if argindex == 1 else Tie(b, a)


class Minimum(_Fn):
    nargs = 2
    helper = "_expr_min"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a, b = self.args
        return Tie(b, a) if argindex == 1 else Tie(a, b)


class HypotShare(_Fn):
    """∂hypot(a, b)/∂a = a / hypot(a, b), and 0 at (0, 0)."""

    nargs = 2
    helper = "_expr_hypot_share"


class Hypot(_Fn):
    nargs = 2
    helper = "math.hypot"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        a, b = self.args
        return HypotShare(a, b) if argindex == 1 else HypotShare(b, a)


class PowerSlope(_Fn):
    """d(u^p)/dx = p·u^(p−1)·u', taken as 0 where u' = 0.

    At the tip of the cone sqrt(x² + y²) the chain rule gives 0·∞ = NaN, which a run took for
    divergence; 0 is the minimum-norm subgradient there. Where u = 0 but u' ≠ 0 (sqrt(x) at 0)
    the slope really is infinite, and stays so.
    """

    nargs = 3
    helper = "_expr_power_slope"


class RealPower(_Fn):
    """u^p for a constant, positive, non-integer p (sqrt is p = ½), with the guarded slope above.

    Left to sympy, (x²)^1.5 differentiates to 3·(x²)^1.5/x, which is 0/0 at x = 0 although the
    slope there is 0; the chain rule kept as p·u^(p−1)·u' has no such division.
    """

    nargs = 2
    helper = "_expr_real_power"

    def _eval_derivative(self, s: sp.Symbol) -> sp.Expr:
        u, p = self.args
        du = sp.diff(u, s)
        return sp.Integer(0) if du == 0 else PowerSlope(u, du, p)


class Log10(_Fn):
    nargs = 1
    helper = "math.log10"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 / (self.args[0] * sp.log(10))


class Log2(_Fn):
    nargs = 1
    helper = "math.log2"

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 1 / (self.args[0] * sp.log(2))


_SYMPY_FUNCTIONS = {
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "atan2": sp.atan2,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "exp": sp.exp,
    "log": sp.log,
    "log10": Log10,
    "log2": Log2,
    "sqrt": lambda u: RealPower(u, sp.Rational(1, 2)),
    "abs": Absolute,
    "sign": Sign,
    "min": Minimum,
    "max": Maximum,
    "hypot": Hypot,
    "sigmoid": Sigmoid,
    "softplus": Softplus,
    "relu": Relu,
}
#: sympy's own functions the printer accepts, and their math.* names.
_MATH_NAMES = {
    sp.sin: "math.sin",
    sp.cos: "math.cos",
    sp.tan: "math.tan",
    sp.asin: "math.asin",
    sp.acos: "math.acos",
    sp.atan: "math.atan",
    sp.atan2: "math.atan2",
    sp.sinh: "math.sinh",
    sp.cosh: "math.cosh",
    sp.tanh: "math.tanh",
    sp.exp: "math.exp",
    sp.log: "math.log",
}

HELPERS = f"""
@njit({_JIT})
def _expr_sigmoid(u):
    if u >= 0.0:
        return 1.0 / (1.0 + math.exp(-u))
    z = math.exp(u)
    return z / (1.0 + z)


@njit({_JIT})
def _expr_softplus(u):
    if u > 0.0:
        return u + math.log1p(math.exp(-u))
    return math.log1p(math.exp(u))


@njit({_JIT})
def _expr_relu(u):
    if u > 0.0:
        return u
    if u <= 0.0:
        return 0.0
    return u


@njit({_JIT})
def _expr_step(u):
    return 1.0 if u > 0.0 else 0.0


@njit({_JIT})
def _expr_sign(u):
    if u > 0.0:
        return 1.0
    if u < 0.0:
        return -1.0
    return u * 0.0


@njit({_JIT})
def _expr_max(a, b):
    if a != a or b != b:
        return math.nan
    return a if a >= b else b


@njit({_JIT})
def _expr_min(a, b):
    if a != a or b != b:
        return math.nan
    return a if a <= b else b


@njit({_JIT})
def _expr_tie(a, b):
    if a > b:
        return 1.0
    if a < b:
        return 0.0
    if a == b:
        return 0.5
    return math.nan


@njit({_JIT})
def _expr_real_power(u, p):
    if p == 0.5:
        return math.sqrt(u)
    return u**p


@njit({_JIT})
def _expr_power_slope(u, du, p):
    if du == 0.0:
        return 0.0
    if p == 0.5:
        return du / (2.0 * math.sqrt(u))
    return p * du * u ** (p - 1.0)


@njit({_JIT})
def _expr_hypot_share(a, b):
    h = math.hypot(a, b)
    if h == 0.0:
        return 0.0
    return a / h
"""


def _squared(node: Node) -> Node | None:
    """``u`` when the node is ``u^2`` or ``u*u``, else None."""
    if not isinstance(node, Binary):
        return None
    if (node.op == "^" and node.right == Num(2.0)) or (node.op == "*" and node.left == node.right):
        return node.left
    return None


def _hypot_arguments(node: Node) -> tuple[Node, Node] | None:
    """(a, b) when the node is ``sqrt(a^2 + b^2)`` or ``(a^2 + b^2)^0.5``, else None.

    Such a root is taken as ``hypot(a, b)``: the same value, but computed without squaring, so
    the cone at (1e-170, 1e-170) keeps its exact slope (1/√2, 1/√2) instead of a² + b²
    underflowing to 0 and the slope to ∞.
    """
    if isinstance(node, Call) and node.func == "sqrt":
        inner = node.args[0]
    elif isinstance(node, Binary) and node.op == "^" and node.right == Num(0.5):
        inner = node.left
    else:
        return None
    if not (isinstance(inner, Binary) and inner.op == "+"):
        return None
    a, b = _squared(inner.left), _squared(inner.right)
    return None if a is None or b is None else (a, b)


def to_sympy(node: Node) -> sp.Expr:
    """The sympy expression of a folded tree, built node by node.

    Integers up to 2^53 stay exact; every other constant is a float (``sp.Float``) as the
    kernels will compute it. An exact rational of 0.3 made sympy's tanh(exp(0.3*y)) run
    without end, and 1e300 as an exact integer made (x*1e300)^100 a 30,000-digit number.
    """
    pair = _hypot_arguments(node)
    if pair is not None:
        return Hypot(to_sympy(pair[0]), to_sympy(pair[1]))
    if isinstance(node, Num):
        v = node.value
        return sp.Integer(int(v)) if v.is_integer() and abs(v) <= 2**53 else sp.Float(v)
    if isinstance(node, Var):
        return X if node.name == "x" else Y
    if isinstance(node, Const):
        return sp.pi if node.name == "pi" else sp.E
    if isinstance(node, Unary):
        return -to_sympy(node.operand)
    if isinstance(node, Binary):
        a, b = to_sympy(node.left), to_sympy(node.right)
        if node.op == "+":
            return a + b
        if node.op == "-":
            return a - b
        if node.op == "*":
            return a * b
        if node.op == "/":
            return a / b
        if b.is_number and b.is_real and b > 0 and not b.is_integer:
            return RealPower(a, b)
        return a**b
    if isinstance(node, Call):
        return _SYMPY_FUNCTIONS[node.func](*(to_sympy(a) for a in node.args))
    raise TypeError(f"not an expression node: {node!r}")  # pragma: no cover


class _Unprintable(Exception):
    pass


class _InfiniteEverywhere(_Unprintable):
    """sympy simplified a part to 1/0 or log(0) (``(x - x)^-1``), which the parser's folding cannot see."""


class _TooLarge(_Unprintable):
    """A constant of the value or gradient is beyond the largest double (about 1.8e308)."""


def _short_number(value: sp.Expr) -> str:
    """3 digits and the exponent (1.07e+301029): str() of a huge integer would print every digit."""
    import mpmath

    if isinstance(value, sp.Rational):
        return mpmath.nstr(mpmath.mpf(value.p) / value.q, 3)
    return mpmath.nstr(mpmath.mpf(sp.Float(value)._mpf_), 3)


def _number(value: sp.Expr) -> str:
    try:
        f = float(value)
    except OverflowError:  # an exact integer or rational beyond a double
        f = math.inf
    if f != f:
        raise _Unprintable(msg("the number {value}", value=_short_number(value)))
    if f in (math.inf, -math.inf):
        raise _TooLarge(_short_number(value))
    return repr(f)


def print_code(expr: sp.Expr) -> str:
    """Python/numba source of a sympy expression, fully parenthesised; refuses unknown types."""
    if expr is sp.zoo:
        raise _InfiniteEverywhere
    if isinstance(expr, sp.Symbol):
        return expr.name
    if expr is sp.pi:
        return "math.pi"
    if expr is sp.E:
        return "math.e"
    if isinstance(expr, sp.Integer | sp.Rational | sp.Float):
        return _number(expr)
    if isinstance(expr, sp.Add):
        return "(" + " + ".join(print_code(a) for a in expr.args) + ")"
    if isinstance(expr, sp.Mul):
        return "(" + "*".join(print_code(a) for a in expr.args) + ")"
    if isinstance(expr, sp.Pow):
        base, exp = expr.args
        b = print_code(base)
        if exp == sp.Rational(1, 2):
            return f"math.sqrt({b})"
        if exp == sp.Rational(-1, 2):
            return f"(1.0/math.sqrt({b}))"
        if exp.is_number and exp < 0:  # b**-n raises on 0.0 in numba; 1.0/0.0 gives inf as it should
            return f"(1.0/{print_code(sp.Pow(base, -exp, evaluate=False))})"
        if isinstance(exp, sp.Integer) and int(exp) <= 10_000:
            return f"({b}**{int(exp)})"
        return f"({b}**{print_code(exp)})"
    if isinstance(expr, _Fn) and expr.helper:
        return f"{expr.helper}({', '.join(print_code(a) for a in expr.args)})"
    if isinstance(expr, sp.Function) and expr.func in _MATH_NAMES:
        return f"{_MATH_NAMES[expr.func]}({', '.join(print_code(a) for a in expr.args)})"
    raise _Unprintable(type(expr).__name__)


def gradient(tree: Node) -> tuple[sp.Expr, sp.Expr, sp.Expr]:
    """(L, ∂L/∂x, ∂L/∂y) as sympy expressions of a folded tree."""
    f = to_sympy(tree)
    return f, sp.diff(f, X), sp.diff(f, Y)


def loss_function_source(tree: Node) -> str:
    """Source of the helpers, ``loss_value_grad(loss_id, x, y, p)`` and ``ZERO_GRADIENT`` (∇L ≡ 0).

    Raises ExpressionError if the gradient cannot be printed as real-valued code or
    would be too big to compile quickly.
    """
    f, fx, fy = gradient(tree)
    zero_gradient = fx == 0 and fy == 0
    temps, (f_c, fx_c, fy_c) = sp.cse([f, fx, fy], symbols=sp.numbered_symbols("_t"))
    text = shorten(render(tree))
    try:
        lines = [f"    {name} = {print_code(value)}" for name, value in temps]
        values = ", ".join(f"float({print_code(e)})" for e in (f_c, fx_c, fy_c))
        lines.append(f"    return {values}")
    except _TooLarge as exc:
        raise ExpressionError(
            msg(
                "cannot compile {text}: it needs the number {value}, beyond the largest a double holds "
                "(about 1.8e308); use smaller constants or powers",
                text=text,
                value=message_of(exc),
            )
        ) from None
    except _InfiniteEverywhere:
        raise ExpressionError(
            msg(
                "cannot compile {text}: once simplified, "
                "part of it is infinite everywhere (like 1/0 or log(0))",
                text=text,
            )
        ) from None
    except _Unprintable as exc:
        raise ExpressionError(
            msg(
                "cannot compile {text}: its value or gradient is not a real number everywhere ({reason})",
                text=text,
                reason=message_of(exc),
            )
        ) from None
    source = "\n".join(
        [
            HELPERS,
            "",
            f"@njit({_JIT})",
            "def loss_value_grad(loss_id, x, y, p):",
            *lines,
            "",
            "",
            f"ZERO_GRADIENT = {zero_gradient}",
        ]
    )
    if len(source) > MAX_SOURCE_CHARS:
        raise ExpressionError(
            msg(
                "the gradient of {text} is too large to compile quickly; try a shorter formula",
                text=text,
            )
        )
    return source
