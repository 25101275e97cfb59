"""The numba type of a typed loss, in a module of its own so the compile child can import it light.

``engine._fn_kernels`` compiles its runners against ``LOSS_TYPE``; the generated loss modules
compile ``loss_value_grad`` against ``LOSS_SIGNATURE``. Importing ``engine._fn_kernels`` would load
its three runners' machine code; the compile child (``engine._compile_child``) needs only the type.
"""

from __future__ import annotations

from numba import types

_F = types.float64
_I = types.int64
_V = types.Array(_F, 1, "A")

#: ``loss_value_grad(loss_id, x, y, p) -> (L, ∂L/∂x, ∂L/∂y)``, as the expression modules compile it.
LOSS_SIGNATURE = types.UniTuple(_F, 3)(_I, _F, _F, _V)
LOSS_TYPE = types.FunctionType(LOSS_SIGNATURE)
