"""The many-run batch of typed losses, the loss passed as a function pointer.

Like ``engine._fn_kernels`` (whose types it shares), compiled once for every formula and cached on
disk, so a map of a typed loss compiles nothing in the window's process: a batch runner specialised
on the formula took ~10 s of numba per new formula there, holding the GIL, beyond the compile
child's limits. The price is an indirect call per loss evaluation in a loop that no longer
vectorises over runs: a map of a typed loss is slower than one of a built-in surface
(benchmarks/bench_maps.py), and every pixel is bit-identical to ``simulate`` (the specialised runner
inlined, vectorised the loss and so differed). A module of its own: the parallel batch is the
biggest kernel to compile on a fresh cache, and only Maps and ``batch`` need it (a start never does:
``Run.skip`` fast-forwards with ``engine._fn_kernels``' own runner).
"""

from __future__ import annotations

from numba import njit, types

from engine._kernels import _JIT, _batch
from engine._loss_type import LOSS_TYPE

__all__ = ["run_batch_fn"]

_F = types.float64
_I = types.int64
_V = types.Array(_F, 1, "A")
_M = types.Array(_F, 2, "A")
_IV = types.Array(_I, 1, "A")


@njit(types.void(LOSS_TYPE, _V, _I, _M, _I, _V, _M, _I, _F, _M, _V, _IV, _IV), **_JIT, parallel=True)
def run_batch_fn(loss, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status):
    _batch(loss, 0, P, opt, Hs, kind, sp, starts, steps, tol, final_w, final_loss, n_steps, status)
