"""The runner for typed expressions: the same stepping loop, the loss passed as a function pointer.

A runner specialised on a loss (as the built-ins' is) must be compiled for every new
expression: about 3 s of numba for the 14-optimizer loop. Compiled once here against the
*type* of a loss (a first-class function), it is cached on disk like any kernel, and a new
expression only compiles its own small loss function (≈ 0.3 s). The indirect call costs a
few ns a step, which a learner watching 60 steps a second never sees. The many-run batch
(``engine._fn_batch``) takes the loss the same way.
"""

from __future__ import annotations

from numba import njit, types

from engine._kernels import _JIT, _NO_ROWS, _NO_Z, _advance, _grid, _init, exact_grad
from engine._loss_type import LOSS_SIGNATURE, LOSS_TYPE

__all__ = ["LOSS_SIGNATURE", "LOSS_TYPE", "init_state_fn", "loss_grid_fn", "run_chunk_fn"]

_F = types.float64
_I = types.int64
_V = types.Array(_F, 1, "A")
_M = types.Array(_F, 2, "A")


@njit(types.void(LOSS_TYPE, _V, _V, _F, _F, _V), **_JIT)
def init_state_fn(loss, P, H, x0, y0, S):
    _init(loss, 0, P, x0, y0, S)


@njit(
    types.UniTuple(_I, 2)(LOSS_TYPE, _V, _I, _V, _I, _V, _V, _I, _F, _I, _I, _I, _M, _V, _M, _M, _M, _M, _M),
    **_JIT,
)
def run_chunk_fn(loss, P, opt, H, kind, sp, S, n, tol, row0, stride, pin, w, f, g, G, M, lr, dw):
    return _advance(
        loss, exact_grad, 0, P, _NO_Z, _NO_ROWS, opt, H, kind, sp, S, n, tol, row0, stride, pin,
        w, f, g, G, M, lr, dw, True, False,
    )  # fmt: skip


@njit(types.void(LOSS_TYPE, _V, _V, _V, _M), **_JIT)
def loss_grid_fn(loss, P, xs, ys, out):
    _grid(loss, 0, P, xs, ys, out)
