"""The built-in surfaces against independent references (no Qt).

Each reference below is written from the literature's formula (Surjanovic & Bingham's
Virtual Library of Simulation Experiments; Wikipedia, "Test functions for optimization"),
in a different arrangement from the kernels, and evaluated either with numpy (grids) or
with mpmath at 50 digits (derivatives): central differences at that precision are exact
to far below float64 round-off, so the kernels' hand-written gradients can be held to
tight tolerances.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from types import SimpleNamespace

import mpmath
import numpy as np
import pytest

from engine import _kernels
from engine.losses import LOSSES, Surface

MP = SimpleNamespace(
    cos=mpmath.cos, sin=mpmath.sin, exp=mpmath.exp, sqrt=mpmath.sqrt, pi=mpmath.pi, e=mpmath.e
)


def _quadratic(x, y, m, condition=10.0):
    return (x**2 + condition * y**2) / 2


def _rosenbrock(x, y, m):
    return 100 * (y - x**2) ** 2 + (x - 1) ** 2


def _beale(x, y, m):
    return sum((c - x * (1 - y**i)) ** 2 for i, c in ((1, 1.5), (2, 2.25), (3, 2.625)))


def _himmelblau(x, y, m):
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _booth(x, y, m):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def _matyas(x, y, m):
    return 0.26 * (x**2 + y**2) - 0.48 * x * y


def _saddle(x, y, m):
    return x**2 - y**2


def _monkey_saddle(x, y, m):
    return x**3 - 3 * x * y**2


def _rastrigin(x, y, m):
    return 10 * 2 + sum(v**2 - 10 * m.cos(2 * m.pi * v) for v in (x, y))


def _ackley(x, y, m):
    a, b, c, d = 20, 0.2, 2 * m.pi, 2
    return -a * m.exp(-b * m.sqrt((x**2 + y**2) / d)) - m.exp((m.cos(c * x) + m.cos(c * y)) / d) + a + m.e


def _six_hump_camel(x, y, m):
    return 4 * x**2 - 2.1 * x**4 + x**6 / 3 + x * y - 4 * y**2 + 4 * y**4


def _goldstein_price(x, y, m):
    first = 1 + (x + y + 1) ** 2 * (19 - 14 * x + 3 * x**2 - 14 * y + 6 * x * y + 3 * y**2)
    second = 30 + (2 * x - 3 * y) ** 2 * (18 - 32 * x + 12 * x**2 + 48 * y - 36 * x * y + 27 * y**2)
    return first * second


def _styblinski_tang(x, y, m):
    return sum(v**4 - 16 * v**2 + 5 * v for v in (x, y)) / 2


REFERENCE: dict[str, Callable[..., object]] = {
    "quadratic": _quadratic,
    "rosenbrock": _rosenbrock,
    "beale": _beale,
    "himmelblau": _himmelblau,
    "booth": _booth,
    "matyas": _matyas,
    "saddle": _saddle,
    "monkey-saddle": _monkey_saddle,
    "rastrigin": _rastrigin,
    "ackley": _ackley,
    "six-hump-camel": _six_hump_camel,
    "goldstein-price": _goldstein_price,
    "styblinski-tang": _styblinski_tang,
}

#: The ids are list positions, so this order is part of the kernels' contract.
ORDER = list(REFERENCE)

#: Global minima and the minimum value as the literature prints them (rounded there).
LITERATURE: dict[str, tuple[tuple[tuple[float, float], ...], float, float]] = {
    # name: (minima, minimum value, how many digits the literature's numbers carry)
    "quadratic": (((0.0, 0.0),), 0.0, 1e-12),
    "rosenbrock": (((1.0, 1.0),), 0.0, 1e-12),
    "beale": (((3.0, 0.5),), 0.0, 1e-12),
    "himmelblau": (
        ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
        0.0,
        1e-6,
    ),
    "booth": (((1.0, 3.0),), 0.0, 1e-12),
    "matyas": (((0.0, 0.0),), 0.0, 1e-12),
    "saddle": ((), math.nan, 0.0),
    "monkey-saddle": ((), math.nan, 0.0),
    "rastrigin": (((0.0, 0.0),), 0.0, 1e-12),
    "ackley": (((0.0, 0.0),), 0.0, 1e-12),
    "six-hump-camel": (((0.0898, -0.7126), (-0.0898, 0.7126)), -1.0316, 1e-4),
    "goldstein-price": (((0.0, -1.0),), 3.0, 1e-12),
    "styblinski-tang": (((-2.903534, -2.903534),), -39.16617 * 2, 1e-5),
}

SURFACES = [pytest.param(LOSSES[name], id=name) for name in LOSSES]


def _mp_value_grad(name: str, x: float, y: float, params: dict[str, float]) -> tuple[float, float, float]:
    """Value and central-difference gradient of the reference at 50 significant digits."""
    f = REFERENCE[name]
    with mpmath.workdps(50):
        X, Y = mpmath.mpf(x), mpmath.mpf(y)
        h = mpmath.mpf("1e-20")
        kw = {k: mpmath.mpf(v) for k, v in params.items()}
        val = f(X, Y, MP, **kw)
        gx = (f(X + h, Y, MP, **kw) - f(X - h, Y, MP, **kw)) / (2 * h)
        gy = (f(X, Y + h, MP, **kw) - f(X, Y - h, MP, **kw)) / (2 * h)
        return float(val), float(gx), float(gy)


def _random_points(surface: Surface, n: int, seed: int) -> np.ndarray:
    x0, x1, y0, y1 = surface.view
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def test_registry_order_and_ids() -> None:
    assert list(LOSSES) == ORDER
    for i, surface in enumerate(LOSSES.values()):
        assert surface.kernel_id == i
        assert surface.name and surface.title and surface.formula.startswith("L = ")
        assert "w1" in surface.formula and "w2" in surface.formula


def test_unknown_id_gives_nan() -> None:
    f, gx, gy = _kernels.loss_value_grad(len(LOSSES), 0.5, 0.5, np.zeros(1))
    assert math.isnan(f) and math.isnan(gx) and math.isnan(gy)


@pytest.mark.parametrize("surface", SURFACES)
def test_value_and_gradient_match_independent_reference(surface: Surface) -> None:
    points = _random_points(surface, 150, seed=surface.kernel_id)
    for x, y in points:
        f, gx, gy = surface.value_grad(x, y)
        rf, rgx, rgy = _mp_value_grad(surface.name, x, y, surface.params)
        # float64 kernels lose a few ulps of the largest term; 1e-11 relative leaves room for that only
        assert f == pytest.approx(rf, rel=1e-11, abs=1e-11 * (1 + abs(rf))), (x, y)
        scale = 1e-12 * (1.0 + abs(rgx) + abs(rgy) + abs(rf))  # observed worst: 1e-14
        assert abs(gx - rgx) <= scale, (x, y, gx, rgx)
        assert abs(gy - rgy) <= scale, (x, y, gy, rgy)


@pytest.mark.parametrize("surface", SURFACES)
def test_minima_are_the_literatures(surface: Surface) -> None:
    points, f_min, digits = LITERATURE[surface.name]
    assert len(surface.minima) == len(points)
    for (mx, my), (lx, ly) in zip(surface.minima, points, strict=True):
        assert (mx, my) == pytest.approx((lx, ly), abs=digits)
        f, gx, gy = surface.value_grad(mx, my)
        assert f == pytest.approx(f_min, abs=max(digits, 1e-12))
        # the listed point is more precise than the literature's: the gradient vanishes there
        assert math.hypot(gx, gy) < 1e-9 * (1.0 + abs(f))
        ref = _mp_value_grad(surface.name, mx, my, surface.params)[0]
        assert f == pytest.approx(ref, abs=1e-12)
        # and it is a minimum: every nearby point is higher
        for t in np.linspace(0.0, 2 * math.pi, 12, endpoint=False):
            assert surface.value_grad(mx + 1e-3 * math.cos(t), my + 1e-3 * math.sin(t))[0] > f


def test_minimum_values_to_full_precision() -> None:
    """Independent high-precision values (solved with mpmath), tighter than the literature prints."""
    assert LOSSES["six-hump-camel"].value_grad(*LOSSES["six-hump-camel"].minima[0])[0] == pytest.approx(
        -1.031628453489877, abs=1e-14
    )
    st = LOSSES["styblinski-tang"].value_grad(*LOSSES["styblinski-tang"].minima[0])[0]
    assert st == pytest.approx(-78.33233140754283, abs=1e-12)
    # Wikipedia's bracket: −39.16617·n < f* < −39.16616·n
    assert -39.16617 * 2 < st < -39.16616 * 2
    assert LOSSES["goldstein-price"].value_grad(0.0, -1.0) == (3.0, 0.0, 0.0)
    assert LOSSES["ackley"].value_grad(0.0, 0.0)[0] == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("surface", SURFACES)
def test_listed_minima_are_global_in_the_view(surface: Surface) -> None:
    """A grid over the view finds nothing lower than the listed minima, and every minimum is in view."""
    x0, x1, y0, y1 = surface.view
    z = surface.grid(np.linspace(x0, x1, 301), np.linspace(y0, y1, 301))
    if not surface.minima:
        assert surface.note, "a surface without a minimum should tell the learner why"
        centre = surface.value_grad(0.0, 0.0)
        assert centre[1:] == (0.0, 0.0)  # the saddle point
        assert z.min() < centre[0] < z.max()
        return
    for mx, my in surface.minima:
        assert x0 < mx < x1 and y0 < my < y1
    f_min = min(surface.value_grad(*m)[0] for m in surface.minima)
    assert z.min() >= f_min - 1e-12
    if surface.log_levels:
        assert z.min() >= 0.0
        assert z.max() / max(np.percentile(z, 1), 1e-12) > 1e2  # spans at least two decades


@pytest.mark.parametrize("surface", SURFACES)
def test_default_start_is_in_view_and_not_a_stationary_point(surface: Surface) -> None:
    x0, x1, y0, y1 = surface.view
    sx, sy = surface.start
    assert x0 < sx < x1 and y0 < sy < y1
    for mx, my in surface.minima:
        assert math.hypot(sx - mx, sy - my) > 0.1
    _, gx, gy = surface.value_grad(sx, sy)
    # not on a line where one gradient component vanishes (the run would never leave it)
    assert abs(gx) > 1e-3 and abs(gy) > 1e-3


@pytest.mark.parametrize("surface", SURFACES)
def test_grid_shape_and_values(surface: Surface) -> None:
    x0, x1, y0, y1 = surface.view
    xs = np.linspace(x0, x1, 7)
    ys = np.linspace(y0, y1, 5)
    z = surface.grid(xs, ys)
    assert z.shape == (5, 7)
    X, Y = np.meshgrid(xs, ys)
    expected = REFERENCE[surface.name](X, Y, np, **surface.params)
    np.testing.assert_allclose(z, expected, rtol=1e-12, atol=1e-12 * (1 + np.abs(expected).max()))


def test_with_params_changes_the_quadratic() -> None:
    bowl = LOSSES["quadratic"]
    assert bowl.params == {"condition": 10.0}
    steep = bowl.with_params(condition=100.0)
    assert steep.value_grad(1.0, 1.0) == (50.5, 1.0, 100.0)
    assert bowl.value_grad(1.0, 1.0) == (5.5, 1.0, 10.0)  # the registry entry is unchanged
    xs, ys = np.array([0.0, 2.0]), np.array([-1.0, 0.0, 3.0])
    np.testing.assert_array_equal(steep.grid(xs, ys), _quadratic(*np.meshgrid(xs, ys), np, condition=100.0))
    with pytest.raises(ValueError, match="condition"):
        bowl.with_params(condition=-1.0)
    with pytest.raises(ValueError, match="no parameter"):
        LOSSES["beale"].with_params(condition=2.0)


def test_ackley_gradient_at_and_near_the_kink_is_finite() -> None:
    ackley = LOSSES["ackley"]
    assert ackley.value_grad(0.0, 0.0) == (0.0, 0.0, 0.0)
    for x, y in [(1e-300, 0.0), (0.0, -5e-324), (1e-12, 1e-12), (-3e-8, 2e-8)]:
        f, gx, gy = ackley.value_grad(x, y)
        assert all(math.isfinite(v) for v in (f, gx, gy))
        # the cone term's gradient has length 2·exp(−0.2r)·|w|/r = √2·2 at the tip
        assert math.hypot(gx, gy) == pytest.approx(2.0 * math.sqrt(2.0), rel=1e-6)


def test_saddles_escape_from_the_default_start() -> None:
    """Plain gradient descent from the start slides past the saddle and leaves along the falling axis."""
    from engine import simulate

    for name in ("saddle", "monkey-saddle"):
        surface = LOSSES[name]
        t = simulate(name, "sgd", steps=400)
        assert t.loss[-1] < surface.value_grad(0.0, 0.0)[0] - 1.0
        assert np.min(np.hypot(t.w[:, 0], t.w[:, 1])) < 0.5 * math.hypot(*surface.start)
