"""The ``Surface`` type that built-in surfaces and typed expressions share.

A surface knows how to evaluate itself (through compiled kernels), where to look
(view window), where to start, and where its known minima are.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

from engine.messages import msg

if TYPE_CHECKING:
    from engine.data import DataProblem


@dataclass(frozen=True)
class Surface:
    """A loss L(w1, w2) with its view window, default start and known minima."""

    name: str
    title: str
    formula: str
    view: tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
    start: tuple[float, float]
    minima: tuple[tuple[float, float], ...] = ()
    #: Named parameters of the surface, e.g. the bowl's condition number.
    params: dict[str, float] = field(default_factory=dict)
    #: Log-spaced contour levels suit surfaces whose range spans decades (Rosenbrock).
    log_levels: bool = False
    kernel_id: int = 0
    #: The compiled module that runs this surface; None means the built-in kernels.
    kernels_module: ModuleType | None = field(default=None, compare=False, repr=False)
    #: The text a user typed, for expression surfaces (what sessions save).
    expression: str = ""
    #: Shown to the learner once, e.g. "the gradient is zero everywhere".
    note: str = ""
    #: A loss made from data (``engine.data``): its rows, statistics and ``predict``; None for a formula.
    data: DataProblem | None = field(default=None, compare=False, repr=False)

    @property
    def kernels(self) -> ModuleType:
        if self.kernels_module is not None:
            return self.kernels_module
        from engine import _kernels  # numba loads on first use, not on import

        return _kernels

    @property
    def p(self) -> np.ndarray:
        """Parameter vector in the kernel's order (at least one element); a data loss's rows."""
        if self.data is not None:
            return self.data.P
        values = list(self.params.values()) or [0.0]
        return np.array(values, dtype=np.float64)

    def with_params(self, **params: float) -> Surface:
        """A copy with some parameters changed (validated)."""
        merged = dict(self.params)
        for name, value in params.items():
            if name not in merged:
                raise ValueError(
                    msg(
                        "surface {surface} has no parameter {name}; it takes: {allowed}",
                        surface=repr(self.name),
                        name=repr(name),
                        allowed=", ".join(merged) or "none",
                    )
                )
            if not math.isfinite(value) or value <= 0:
                raise ValueError(
                    msg(
                        "{surface} parameter {name} = {value} must be a positive number",
                        surface=self.name,
                        name=name,
                        value=repr(value),
                    )
                )
            merged[name] = float(value)
        return replace(self, params=merged)

    def value_grad(self, x: float, y: float) -> tuple[float, float, float]:
        """(L, ∂L/∂w1, ∂L/∂w2) at one point, from the same compiled code the runs use."""
        f, gx, gy = self.kernels.loss_value_grad(self.kernel_id, float(x), float(y), self.p)
        return float(f), float(gx), float(gy)

    def grid(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """L on a grid, shape (len(ys), len(xs)); NaN where L is undefined."""
        from engine._parallel import LOCK

        out = np.empty((len(ys), len(xs)))
        with LOCK:  # a parallel kernel: one at a time (engine._parallel says why)
            self.kernels.loss_grid(
                self.kernel_id,
                self.p,
                np.ascontiguousarray(xs, dtype=np.float64),
                np.ascontiguousarray(ys, dtype=np.float64),
                out,
            )
        return out

    def spec(self) -> str:
        """What a session or the CLI stores: the built-in name or the typed expression."""
        return self.expression or self.name
