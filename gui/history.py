"""What the views show of each racer: the engine's chunks, appended, with bounded memory.

Rows are the engine's recorded numbers, never recomputed. Up to ``max_rows`` rows are
kept at full resolution; past that only every 2nd, then 4th, … step is kept, so a run of
10 million steps holds at most ``max_rows`` rows (112 bytes each: 22 MB per racer). The
newest row is always kept, whatever its step: it is the racer's current point and the
step where it converged or diverged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.record import VECTOR_NAMES, on_stride, thin_rows

if TYPE_CHECKING:  # numba loads in the worker, after the window shows
    from engine.simulate import Chunk

#: The per-weight recorded arrays (engine.record declares them all).
FIELDS_2D = VECTOR_NAMES
DEFAULT_MAX_ROWS = 100_000
#: Rows a record may run over its cap while its thinning waits its turn (see ``append``).
SLACK = 16_384


def display_stride(rows: int, max_points: int) -> int:
    """Every k-th of ``rows`` rows so a view draws at most about ``max_points`` of them.

    The contour's trails and the per-weight plots pick their rows with the same rule.
    """
    return rows // max_points + 1


class RacerHistory:
    """Growing arrays of one racer's steps; row 0 is the start."""

    def __init__(self, start: tuple[float, float], loss0: float, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self.max_rows = max_rows
        self.stride = 1
        self._n = 1
        cap = 4096
        self._step = np.zeros(cap, dtype=np.int64)
        self._loss = np.zeros(cap)
        self._vec = {name: np.zeros((cap, 2)) for name in FIELDS_2D}
        self._vec["w"][0] = start
        self._loss[0] = loss0
        self.status = "running"
        self.diverged_at: int | None = None

    def __len__(self) -> int:
        return self._n

    @property
    def last_step(self) -> int:
        return int(self._step[self._n - 1])

    def _grow(self, need: int) -> None:
        cap = self._step.shape[0]
        if need <= cap:
            return
        # doubling, but never past what thinning keeps (+ one chunk): the last copy stays small
        new = max(need, min(2 * cap, self.max_rows + SLACK))

        def grow(a: np.ndarray) -> np.ndarray:
            b = np.empty((new, *a.shape[1:]), dtype=a.dtype)  # rows past _n are never read
            b[: self._n] = a[: self._n]
            return b

        self._step = grow(self._step)
        self._loss = grow(self._loss)
        self._vec = {k: grow(v) for k, v in self._vec.items()}

    def _arrays(self) -> tuple[np.ndarray, ...]:
        return (self._step, self._loss, *self._vec.values())

    @property
    def over_cap(self) -> bool:
        return self._n > self.max_rows

    def thin(self) -> None:
        """Down to ``max_rows`` rows: every 2nd, 4th, … step, and the newest row.

        The stride is chosen first, by counting, and the rows copied once: rows that came
        thinned from the worker (every 64th step, say) would otherwise survive several
        halvings, each a full copy.
        """
        if self._n <= self.max_rows:
            return
        # the newest row stays whatever its step (engine.record.thin_rows keeps the last row)
        idx, self.stride = thin_rows(self._step[: self._n], self.max_rows, self.stride)
        for a in self._arrays():
            a[: idx.size] = np.take(a, idx, axis=0)  # a gather: twice as fast as a[idx] here
        self._n = idx.size

    def append(self, chunk: Chunk, *, thin: bool = True) -> None:
        """Add a chunk's rows (those on the stride, and its newest).

        ``thin=False`` leaves thinning to a later ``thin()``, up to ``SLACK / 2`` rows over the
        cap: thinning 100,000 rows takes ≈ 1.5 ms, and the window spreads its racers' turns over
        frames instead of stalling one frame with all five.
        """
        self.status = chunk.status
        self.diverged_at = chunk.diverged_at
        if len(chunk) == 0:
            return
        if self._n > 1 and self._step[self._n - 1] & (self.stride - 1):
            self._n -= 1  # the previous newest row was kept only for being newest
        keep = on_stride(chunk.step, self.stride)
        keep[-1] = True
        sel = np.flatnonzero(keep) if self.stride > 1 else slice(None)
        steps = chunk.step[sel]
        k = steps.shape[0]
        self._grow(self._n + k)
        end = self._n + k
        self._step[self._n : end] = steps
        self._loss[self._n : end] = chunk.loss[sel]
        for name in FIELDS_2D:
            self._vec[name][self._n : end] = getattr(chunk, name)[sel]
        self._n = end
        if thin or self._n > self.max_rows + SLACK // 2:
            self.thin()

    # Views into the live arrays (valid until the next append).
    @property
    def step(self) -> np.ndarray:
        return self._step[: self._n]

    @property
    def loss(self) -> np.ndarray:
        return self._loss[: self._n]

    def vec(self, name: str) -> np.ndarray:
        return self._vec[name][: self._n]

    def row_at_step(self, step: int) -> int:
        """Index of the last recorded row at or before ``step``."""
        return max(int(np.searchsorted(self.step, step, side="right")) - 1, 0)
