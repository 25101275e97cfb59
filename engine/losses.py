"""Loss surfaces: the built-in registry, and ``get_loss`` for a name or a typed expression.

Built-in surfaces dispatch by integer id in ``engine._surfaces``; a typed expression brings
its own compiled kernel module (``engine.expressions``), so the same runner code serves both.
The ``Surface`` type lives in ``engine.surface``, so the expression compiler does not import
this module (which imports the compiler): no import circle.
"""

from __future__ import annotations

from dataclasses import replace

from engine.surface import Surface

__all__ = ["DEFAULT_LOSS", "LOSSES", "Surface", "check_loss_spec", "get_loss"]


def _builtin(*args, **kwargs) -> Surface:
    return Surface(*args, **kwargs)


_BUILTINS = [
    _builtin(
        "quadratic",
        "Ill-conditioned bowl",
        "L = (w1² + κ·w2²)/2",
        view=(-4.0, 4.0, -2.0, 2.0),
        start=(-3.5, 1.5),
        minima=((0.0, 0.0),),
        params={"condition": 10.0},
    ),
    _builtin(
        "rosenbrock",
        "Rosenbrock",
        "L = (1 − w1)² + 100·(w2 − w1²)²",
        view=(-2.0, 2.0, -1.0, 3.0),
        start=(-1.2, 1.0),
        minima=((1.0, 1.0),),
        log_levels=True,
    ),
    _builtin(
        "beale",
        "Beale",
        "L = (1.5 − w1 + w1·w2)² + (2.25 − w1 + w1·w2²)² + (2.625 − w1 + w1·w2³)²",
        view=(-4.5, 4.5, -4.5, 4.5),
        start=(1.0, 1.5),
        minima=((3.0, 0.5),),
        log_levels=True,
    ),
    _builtin(
        "himmelblau",
        "Himmelblau",
        "L = (w1² + w2 − 11)² + (w1 + w2² − 7)²",
        view=(-5.0, 5.0, -5.0, 5.0),
        start=(-0.5, -1.5),
        minima=(
            (3.0, 2.0),
            (-2.805118086952745, 3.131312518250573),
            (-3.779310253377747, -3.283185991286169),
            (3.584428340330492, -1.848126526964404),
        ),
        log_levels=True,
        note="Four minima, all with L = 0: which one a run reaches depends on where it starts.",
    ),
    _builtin(
        "booth",
        "Booth (rotated bowl)",
        "L = (w1 + 2·w2 − 7)² + (2·w1 + w2 − 5)²",
        view=(-5.0, 7.0, -3.0, 9.0),
        start=(-4.0, 0.0),
        minima=((1.0, 3.0),),
    ),
    _builtin(
        "matyas",
        "Matyas (flat valley)",
        "L = 0.26·(w1² + w2²) − 0.48·w1·w2",
        view=(-10.0, 10.0, -10.0, 10.0),
        start=(-8.0, -2.0),
        minima=((0.0, 0.0),),
    ),
    _builtin(
        "saddle",
        "Saddle",
        "L = w1² − w2²",
        view=(-2.0, 2.0, -2.0, 2.0),
        start=(1.5, 0.01),
        note=(
            "No minimum: L falls without bound along w2. The gradient vanishes at the saddle (0, 0); "
            "a run starting slightly off the w1 axis slows down near it, then escapes."
        ),
    ),
    _builtin(
        "monkey-saddle",
        "Monkey saddle",
        "L = w1³ − 3·w1·w2²",
        view=(-2.0, 2.0, -2.0, 2.0),
        start=(1.5, 0.05),
        note=(
            "No minimum: three valleys fall without bound. At the saddle (0, 0) the gradient and the "
            "curvature both vanish, so runs crawl past it before escaping down a valley."
        ),
    ),
    _builtin(
        "rastrigin",
        "Rastrigin",
        "L = 20 + w1² − 10·cos(2π·w1) + w2² − 10·cos(2π·w2)",
        view=(-4.0, 4.0, -4.0, 4.0),
        start=(3.3, -2.6),
        minima=((0.0, 0.0),),
        note="A bowl covered in local minima near every integer point; only (0, 0) is global.",
    ),
    _builtin(
        "ackley",
        "Ackley",
        "L = −20·exp(−0.2·√((w1² + w2²)/2)) − exp((cos 2π·w1 + cos 2π·w2)/2) + e + 20",
        view=(-4.0, 4.0, -4.0, 4.0),
        start=(3.2, -2.4),
        minima=((0.0, 0.0),),
        note="Nearly flat outside, full of local minima, with a sharp cone (a kink) at the minimum.",
    ),
    _builtin(
        "six-hump-camel",
        "Six-hump camel",
        "L = (4 − 2.1·w1² + w1⁴/3)·w1² + w1·w2 + (4·w2² − 4)·w2²",
        view=(-2.2, 2.2, -1.2, 1.2),
        start=(-1.8, -0.5),
        minima=(
            (0.08984201310031806, -0.7126564030207396),
            (-0.08984201310031806, 0.7126564030207396),
        ),
        note="Six local minima; the two global ones (L ≈ −1.0316) mirror each other through (0, 0).",
    ),
    _builtin(
        "goldstein-price",
        "Goldstein–Price",
        "L = [1 + (w1 + w2 + 1)²·(19 − 14·w1 + 3·w1² − 14·w2 + 6·w1·w2 + 3·w2²)]"
        " · [30 + (2·w1 − 3·w2)²·(18 − 32·w1 + 12·w1² + 48·w2 − 36·w1·w2 + 27·w2²)]",
        view=(-2.0, 2.0, -2.0, 2.0),
        start=(1.5, -1.5),
        minima=((0.0, -1.0),),
        log_levels=True,
        note="L ranges from 3 to about a million: adaptive step sizes matter here.",
    ),
    _builtin(
        "styblinski-tang",
        "Styblinski–Tang",
        "L = (w1⁴ − 16·w1² + 5·w1 + w2⁴ − 16·w2² + 5·w2)/2",
        view=(-5.0, 5.0, -5.0, 5.0),
        start=(0.5, -0.4),
        minima=((-2.903534027771177, -2.903534027771177),),
        note="Four minima; only the one at (−2.90, −2.90) is global.",
    ),
]


LOSSES: dict[str, Surface] = {}
for _i, _s in enumerate(_BUILTINS):
    LOSSES[_s.name] = replace(_s, kernel_id=_i)

DEFAULT_LOSS = "quadratic"


def check_loss_spec(spec: str) -> None:
    """Raise ExpressionError unless ``spec`` is a built-in name or an expression the safe parser accepts.

    Nothing is compiled or evaluated: sessions and lessons call this when they are read, so
    a bad loss is refused before anything else changes.
    """
    if spec.strip() in LOSSES:
        return
    from engine.expressions import parse_expression

    parse_expression(spec.strip())


def get_loss(spec: str | Surface) -> Surface:
    """A built-in surface by name, or a typed expression compiled to a surface."""
    if isinstance(spec, Surface):
        return spec
    name = spec.strip()
    if name in LOSSES:
        return LOSSES[name]
    from engine.expressions import compile_expression  # sympy is heavy: import on demand

    return compile_expression(name)
