"""The fast-forward of typed losses (``Run.skip``), the loss passed as a function pointer.

Like ``engine._fn_kernels`` (whose types it shares), compiled once for every formula and cached on
disk. A module of its own, not ``engine._fn_batch``'s: the window fast-forwards a run at every start
(``gui.worker``'s ``_load_skip``), and importing the batch's module compiles its parallel batch, the
biggest kernel of all (a minute or more on a fresh cache), which a start never runs.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types

from engine._kernels import _JIT, _NO_ROWS, _NO_Z, _advance, exact_grad
from engine._loss_type import LOSS_TYPE

__all__ = ["run_steps_fn"]

_F = types.float64
_I = types.int64
_V = types.Array(_F, 1, "A")


@njit(types.UniTuple(_I, 2)(LOSS_TYPE, _V, _I, _V, _I, _V, _V, _I, _F), **_JIT)
def run_steps_fn(loss, P, opt, H, kind, sp, S, n, tol):
    e1 = np.empty((0, 2))
    e0 = np.empty(0)
    return _advance(
        loss, exact_grad, 0, P, _NO_Z, _NO_ROWS, opt, H, kind, sp, S, n, tol, -1, 1, 0,
        e1, e0, e1, e1, e1, e1, e1, False, False,
    )  # fmt: skip
