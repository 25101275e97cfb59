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
def loss_value_grad(loss_id: int, x: float, y: float, p):
    if loss_id == 0:
        return quadratic(x, y, p)
    if loss_id == 1:
        return rosenbrock(x, y, p)
    return math.nan, math.nan, math.nan
