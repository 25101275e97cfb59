"""Built-in loss surfaces as numba kernels: value and analytic gradient in one call.

Every surface has the signature ``(x, y, p) -> (L, dL/dx, dL/dy)`` where ``p`` is a
float64 parameter vector (e.g. the condition number of the bowl). ``loss_value_grad``
dispatches on an integer id so one compiled runner serves every built-in surface
and can be cached on disk (a runner specialised on a function argument cannot).
The ids are the positions in ``engine.losses.LOSSES``.
"""

from __future__ import annotations

import math

from numba import njit

_JIT = {"cache": True, "nogil": True, "error_model": "numpy"}


@njit(**_JIT)
def quadratic(x: float, y: float, p):
    """L = (x² + κ·y²)/2: an axis-aligned bowl with condition number κ = p[0]."""
    k = p[0]
    return 0.5 * (x * x + k * y * y), x, k * y


@njit(**_JIT)
def rosenbrock(x: float, y: float, p):
    """L = (1 − x)² + 100·(y − x²)²."""
    a = 1.0 - x
    b = y - x * x
    return a * a + 100.0 * b * b, -2.0 * a - 400.0 * x * b, 200.0 * b


@njit(**_JIT)
def beale(x: float, y: float, p):
    """L = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus, steep walls."""
    y2 = y * y
    y3 = y2 * y
    a = 1.5 - x + x * y
    b = 2.25 - x + x * y2
    c = 2.625 - x + x * y3
    gx = 2.0 * (a * (y - 1.0) + b * (y2 - 1.0) + c * (y3 - 1.0))
    gy = 2.0 * x * (a + 2.0 * b * y + 3.0 * c * y2)
    return a * a + b * b + c * c, gx, gy


@njit(**_JIT)
def himmelblau(x: float, y: float, p):
    """L = (x² + y − 11)² + (x + y² − 7)²: four equal minima, so the start picks the winner."""
    a = x * x + y - 11.0
    b = x + y * y - 7.0
    return a * a + b * b, 4.0 * x * a + 2.0 * b, 2.0 * a + 4.0 * y * b


@njit(**_JIT)
def booth(x: float, y: float, p):
    """L = (x + 2y − 7)² + (2x + y − 5)²: a bowl whose axes are rotated 45° (κ = 9)."""
    a = x + 2.0 * y - 7.0
    b = 2.0 * x + y - 5.0
    return a * a + b * b, 2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b


@njit(**_JIT)
def matyas(x: float, y: float, p):
    """L = 0.26·(x² + y²) − 0.48·xy: a long, nearly flat valley along x = y (κ = 25)."""
    return (
        0.26 * (x * x + y * y) - 0.48 * x * y,
        0.52 * x - 0.48 * y,
        0.52 * y - 0.48 * x,
    )


@njit(**_JIT)
def saddle(x: float, y: float, p):
    """L = x² − y²: the gradient vanishes at the origin but it is no minimum."""
    return x * x - y * y, 2.0 * x, -2.0 * y


@njit(**_JIT)
def monkey_saddle(x: float, y: float, p):
    """L = x³ − 3xy²: a flat (degenerate) saddle with three valleys; even the Hessian vanishes."""
    return x * x * x - 3.0 * x * y * y, 3.0 * (x * x - y * y), -6.0 * x * y


@njit(**_JIT)
def rastrigin(x: float, y: float, p):
    """L = 20 + Σ (xᵢ² − 10·cos 2πxᵢ): a bowl covered in a regular grid of local minima."""
    tau = 2.0 * math.pi
    val = 20.0 + x * x - 10.0 * math.cos(tau * x) + y * y - 10.0 * math.cos(tau * y)
    return val, 2.0 * x + 10.0 * tau * math.sin(tau * x), 2.0 * y + 10.0 * tau * math.sin(tau * y)


@njit(**_JIT)
def ackley(x: float, y: float, p):
    """L = −20·exp(−0.2·√(½(x² + y²))) − exp(½(cos 2πx + cos 2πy)) + e + 20.

    The cone term has a kink at the origin (w/‖w‖ is 0/0 there); its subgradient 0 is used.
    """
    tau = 2.0 * math.pi
    h = math.hypot(x, y)  # not √(x² + y²): that underflows to 0 for tiny w and loses the kink's slope
    cone = math.exp(-0.2 * h / math.sqrt(2.0))
    ripple = math.exp(0.5 * (math.cos(tau * x) + math.cos(tau * y)))
    # grouped so that L(0, 0) is exactly 0
    val = (20.0 - 20.0 * cone) + (math.e - ripple)
    gx = math.pi * ripple * math.sin(tau * x)
    gy = math.pi * ripple * math.sin(tau * y)
    if h > 0.0:
        # ∇ of −20·exp(−0.2·h/√2) is 2√2·exp(…)·w/h; w/h stays a unit vector however small h is
        slope = 2.0 * math.sqrt(2.0) * cone
        gx += slope * (x / h)
        gy += slope * (y / h)
    return val, gx, gy


@njit(**_JIT)
def six_hump_camel(x: float, y: float, p):
    """L = (4 − 2.1x² + x⁴/3)·x² + xy + (4y² − 4)·y²: six minima, two of them global."""
    x2 = x * x
    y2 = y * y
    val = (4.0 - 2.1 * x2 + x2 * x2 / 3.0) * x2 + x * y + (4.0 * y2 - 4.0) * y2
    gx = 8.0 * x - 8.4 * x2 * x + 2.0 * x2 * x2 * x + y
    gy = x - 8.0 * y + 16.0 * y2 * y
    return val, gx, gy


@njit(**_JIT)
def goldstein_price(x: float, y: float, p):
    """L = [1 + (x+y+1)²·B]·[30 + (2x−3y)²·D], a product of two quartics; minimum 3 at (0, −1)."""
    a = x + y + 1.0
    b = 19.0 - 14.0 * x + 3.0 * x * x - 14.0 * y + 6.0 * x * y + 3.0 * y * y
    db = -14.0 + 6.0 * x + 6.0 * y  # B is symmetric in x and y: ∂B/∂x = ∂B/∂y
    first = 1.0 + a * a * b
    d_first = 2.0 * a * b + a * a * db  # the same for x and y
    c = 2.0 * x - 3.0 * y
    d = 18.0 - 32.0 * x + 12.0 * x * x + 48.0 * y - 36.0 * x * y + 27.0 * y * y
    second = 30.0 + c * c * d
    d_second_x = 4.0 * c * d + c * c * (-32.0 + 24.0 * x - 36.0 * y)
    d_second_y = -6.0 * c * d + c * c * (48.0 - 36.0 * x + 54.0 * y)
    return first * second, d_first * second + first * d_second_x, d_first * second + first * d_second_y


@njit(**_JIT)
def styblinski_tang(x: float, y: float, p):
    """L = ½·Σ (xᵢ⁴ − 16xᵢ² + 5xᵢ): four minima, only (−2.90, −2.90) global."""
    x2 = x * x
    y2 = y * y
    val = 0.5 * (x2 * x2 - 16.0 * x2 + 5.0 * x + y2 * y2 - 16.0 * y2 + 5.0 * y)
    return val, 2.0 * x2 * x - 16.0 * x + 2.5, 2.0 * y2 * y - 16.0 * y + 2.5


@njit(**_JIT)
def loss_value_grad(loss_id: int, x: float, y: float, p):
    """Dispatch on the built-in id (position in ``engine.losses.LOSSES``); NaN for an unknown id."""
    if loss_id == 0:
        return quadratic(x, y, p)
    if loss_id == 1:
        return rosenbrock(x, y, p)
    if loss_id == 2:
        return beale(x, y, p)
    if loss_id == 3:
        return himmelblau(x, y, p)
    if loss_id == 4:
        return booth(x, y, p)
    if loss_id == 5:
        return matyas(x, y, p)
    if loss_id == 6:
        return saddle(x, y, p)
    if loss_id == 7:
        return monkey_saddle(x, y, p)
    if loss_id == 8:
        return rastrigin(x, y, p)
    if loss_id == 9:
        return ackley(x, y, p)
    if loss_id == 10:
        return six_hump_camel(x, y, p)
    if loss_id == 11:
        return goldstein_price(x, y, p)
    if loss_id == 12:
        return styblinski_tang(x, y, p)
    return math.nan, math.nan, math.nan
