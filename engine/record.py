"""One record schema: what a run records at each step, declared once, and how a long record thins.

Row 0 of a record is the start (w0, L(w0), zeros elsewhere); row t holds what step t did: the
gradient g(t) it used (taken at w(t−1)), the state G(t), M(t) after it, the effective per-weight
rate it applied, Δw(t) and the point w(t) it reached. ``FIELDS`` lists them in the order the
kernels' ``run_chunk`` takes its record arrays; the run's buffers, chunks, trajectories, the
window's history, the CSV / JSON / NPZ files and the step inspector all read this tuple, so a
new recorded quantity is one entry here plus the kernel argument that fills it.

Thinning: past a row limit a record keeps the rows whose step is a multiple of a power-of-two
stride (and, where the current point matters, its last row). ``thin_rows`` is the one rule; the
engine's ``Run``, the worker's chunks and the window's history all use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from engine.simulate import Chunk
    from engine.trajectory import RecordedRows


@dataclass(frozen=True)
class Field:
    """One recorded quantity: an array of shape (rows, 2) per weight, or (rows,) for the loss."""

    name: str
    per_weight: bool
    #: CSV column stem: ``g`` gives the columns g1, g2 (the CLI's contract); "" = not in CSV.
    column: str
    description: str
    #: The lecture's symbol, as plots label the quantity.
    symbol: str = ""
    #: False for what a step produces: row 0 (the start, no step taken) has no value there.
    at_start: bool = True
    #: The optimizer attribute (``engine.optimizers.Optimizer``) that must be truthy for a rule to
    #: have this quantity: ``adaptive`` for G, ``m_meaning`` for M; "" = every rule has it.
    needs: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        if not self.column:
            return ()
        return (f"{self.column}1", f"{self.column}2") if self.per_weight else (self.column,)

    def shape(self, rows: int) -> tuple[int, ...]:
        return (rows, 2) if self.per_weight else (rows,)


FIELDS: tuple[Field, ...] = (
    Field("w", True, "w", "the point w(t) the step reached", "w"),
    Field("loss", False, "loss", "L(w(t))", "L"),
    Field("grad", True, "g", "the gradient g(t) the step used, taken at w(t−1)", "g", at_start=False),
    Field("G", True, "G", "the second moment / squared-gradient sum after the step", "G", needs="adaptive"),
    Field("M", True, "M", "the velocity / first moment after the step", "M", needs="m_meaning"),
    Field("lr", True, "lr", "the effective per-weight rate the step applied", "η/(√G+ε)", at_start=False),
    Field("dw", True, "", "the step Δw(t) = w(t) − w(t−1)", "Δw", at_start=False),
)
#: Each field by name.
BY_NAME: dict[str, Field] = {f.name: f for f in FIELDS}
#: The recorded arrays' names, in the kernels' argument order.
NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS)
#: The per-weight ones (shape (rows, 2)).
VECTOR_NAMES: tuple[str, ...] = tuple(f.name for f in FIELDS if f.per_weight)
#: Column order of CSV output (the CLI's contract): the step, then each field's columns.
CSV_COLUMNS: tuple[str, ...] = ("step", *(c for f in FIELDS for c in f.columns))
#: A run on a data loss has one more column after the step: the epoch (passes over the data,
#: ``engine.data.epoch_at``), derived from the step, the batch size and the rows, not recorded.
EPOCH_COLUMN = "epoch"
DATA_CSV_COLUMNS: tuple[str, ...] = ("step", EPOCH_COLUMN, *CSV_COLUMNS[1:])


def empty_arrays(rows: int) -> dict[str, np.ndarray]:
    """Zeroed arrays of every field for ``rows`` rows, by name."""
    return {f.name: np.zeros(f.shape(rows)) for f in FIELDS}


def on_stride(steps: np.ndarray, stride: int) -> np.ndarray:
    """Which rows a power-of-two ``stride`` keeps: those whose step is a multiple of it."""
    return (steps & (stride - 1)) == 0


def stride_for(first: int, last: int, limit: int, pin: int) -> int:
    """The stride ``thin_rows`` picks for the steps ``first`` … ``last`` with steps ≤ ``pin`` pinned
    and the last row kept (1 when they fit in ``limit`` rows), counted without listing them: what a
    thinned advance tells the kernels before it has any rows (``engine.simulate.Run.advance_strided``)."""
    if last - first + 1 <= limit:
        return 1
    lo, hi = max(first, pin + 1), last - 1  # the loose rows before the last
    stride = 1
    while hi >= lo and hi // stride - (lo - 1) // stride >= limit:
        stride *= 2
    return stride


def kept_steps(first: int, last: int, stride: int, pin: int) -> np.ndarray:
    """The steps ``first`` … ``last`` (≥ 1) a thinned record keeps: those ≤ ``pin`` and the multiples
    of ``stride`` (a power of two), ascending, as ``on_stride`` and the kernels' ``_advance`` pick them."""
    if stride == 1:
        return np.arange(first, last + 1, dtype=np.int64)
    pinned = np.arange(first, min(last, pin) + 1, dtype=np.int64)
    lo = max(first, pin + 1)
    on = np.arange(-(-lo // stride) * stride, last + 1, stride, dtype=np.int64)
    return np.concatenate([pinned, on]) if pinned.size else on


def thin_rows(
    steps: np.ndarray,
    limit: int,
    stride: int = 1,
    *,
    keep_last: bool = True,
    pinned: np.ndarray | None = None,
) -> tuple[np.ndarray, int]:
    """Row indices to keep so that at most ``limit`` rows remain, and the stride that keeps them.

    The stride is the smallest power of two, at least ``stride``, that keeps fewer than ``limit``
    rows on it (chosen by counting, so rows are copied once however far it doubles); the last row
    is kept too when ``keep_last`` (it is the run's current point, or where it ended). Rows where
    the boolean mask ``pinned`` is true are kept whatever the stride, on top of the ``limit``
    (the exact rows a record keeps where a learner looks). ``steps`` must be step numbers
    (int64), ascending.
    """
    body = steps[:-1] if keep_last and steps.size else steps
    loose = None if pinned is None else ~pinned[: body.size]
    while (
        np.count_nonzero(on_stride(body, stride) if loose is None else on_stride(body, stride) & loose)
        >= limit
    ):
        stride *= 2
    keep = on_stride(body, stride)
    if loose is not None:
        keep |= ~loose
    idx = np.flatnonzero(keep)
    if keep_last and steps.size:
        idx = np.append(idx, steps.size - 1)
    return idx, stride


# -- one racer's record as the views draw it ---------------------------------------------------------
#: Rows a racer's drawing record keeps past its first steps: the contour draws at most ~6,000
#: trail points and each panel ~800, so more rows are only memory (≈ 96 bytes a row).
DRAW_ROWS = 12_288
#: Steps 0 … EXACT_FIRST are always kept exactly: the first steps are where optimizers differ most.
EXACT_FIRST = 2048
#: Rows a record may run over its cap while its thinning waits its turn (see ``RacerRecord.append``).
SLACK = 4096


def draw_stride(step: int, rows: int = DRAW_ROWS) -> int:
    """The finest stride rows from ``step`` on are worth on a ``RacerRecord`` of ``rows`` rows that
    has reached it: the largest power of two at most ``step / (2 · rows)`` (1 before ``2 · rows``).

    Such a record keeps its rows on a power-of-two stride of at least ``(step − EXACT_FIRST) /
    (rows + EXACT_FIRST + SLACK)`` (past that many rows it thins), more than this, so rows between
    are dropped as it takes them: a flat-out tick need not compute them, nor their deferred L (on a
    data loss the full-data L of each kept row cost more than the step itself).
    """
    stride = 1
    while 2 * stride * 2 * rows <= step:
        stride *= 2
    return stride


#: Checkpoints of the kernel state a record keeps (every other is dropped past this): any step can
#: be recomputed exactly from the nearest one before it.
MAX_CHECKPOINTS = 512


class RacerRecord:
    """One racer's recorded rows, bounded: what the views draw and the inspector reads.

    Rows are the engine's numbers, never recomputed by a view. Up to ``max_rows`` rows are kept at
    full resolution; past that only every 2nd, then 4th, … step (``thin_rows``), so a run of 10
    million steps holds about ``max_rows`` rows. Always kept exactly: steps 0 … ``exact_first``,
    the newest row (the current point, or where the run converged or diverged), and the pinned
    neighbourhood of the step a learner looks at (``merge_exact``: rows recomputed from one of the
    ``checkpoints`` of the kernel state that came with the chunks).
    """

    def __init__(
        self,
        start: tuple[float, float],
        loss0: float,
        max_rows: int = DRAW_ROWS,
        exact_first: int = EXACT_FIRST,
    ) -> None:
        self.max_rows = max_rows
        self.exact_first = exact_first
        self.stride = 1
        self._n = 1
        self._pin = (1, 0)  # steps kept exact around where the learner looks (empty: lo > hi)
        cap = 4096
        self._step = np.zeros(cap, dtype=np.int64)
        self._loss = np.zeros(cap)
        self._vec = {name: np.zeros((cap, 2)) for name in VECTOR_NAMES}
        self._vec["w"][0] = start
        self._loss[0] = loss0
        self.status = "running"
        self.diverged_at: int | None = None
        #: Kernel states (``engine.simulate.Checkpoint``) by ascending step, at most MAX_CHECKPOINTS.
        self.checkpoints: list = []

    def __len__(self) -> int:
        return self._n

    @property
    def last_step(self) -> int:
        return int(self._step[self._n - 1])

    @property
    def pinned(self) -> tuple[int, int]:
        """The steps (first, last) kept exact around the looked-at step; first > last if none."""
        return self._pin

    def _is_pinned(self, steps: np.ndarray) -> np.ndarray:
        lo, hi = self._pin
        return (steps <= self.exact_first) | ((steps >= lo) & (steps <= hi))

    def _allowance(self) -> int:
        """Rows kept on top of ``max_rows``: the exact first steps, the pinned ones and the newest."""
        lo, hi = self._pin
        return self.exact_first + 2 + max(0, hi - lo + 1)

    def _grow(self, need: int) -> None:
        cap = self._step.shape[0]
        if need <= cap:
            return
        # doubling, but never past what thinning keeps (+ slack): the last copy stays small
        new = max(need, min(2 * cap, self.max_rows + self._allowance() + SLACK))

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
        return self._n > self.max_rows + self._allowance()

    def thin(self) -> None:
        """Down to ``max_rows`` rows on a stride (plus the kept ones): every 2nd, 4th, … step.

        The stride is chosen first, by counting, and the rows copied once: rows that came
        thinned from the worker (every 64th step, say) would otherwise survive several
        halvings, each a full copy.
        """
        if not self.over_cap:
            return
        steps = self._step[: self._n]
        idx, self.stride = thin_rows(steps, self.max_rows, self.stride, pinned=self._is_pinned(steps))
        for a in self._arrays():
            a[: idx.size] = np.take(a, idx, axis=0)  # a gather: twice as fast as a[idx] here
        self._n = idx.size

    def append(self, chunk: Chunk, *, thin: bool = True) -> None:
        """Add a chunk's rows (those on the stride or kept exact, and its newest) and its checkpoints.

        ``thin=False`` leaves thinning to a later ``thin()``, up to ``SLACK / 2`` rows over the
        cap, so a window with many racers spreads their thinning over frames.
        """
        self.status = chunk.status
        self.diverged_at = chunk.diverged_at
        self.add_checkpoints(getattr(chunk, "checkpoints", ()))
        if len(chunk) == 0:
            return
        last = self._step[self._n - 1 : self._n]
        if self._n > 1 and last[0] & (self.stride - 1) and not self._is_pinned(last)[0]:
            self._n -= 1  # the previous newest row was kept only for being newest
        if self.stride > 1:
            keep = on_stride(chunk.step, self.stride) | self._is_pinned(chunk.step)
            keep[-1] = True
            sel: np.ndarray | slice = np.flatnonzero(keep)
        else:
            sel = slice(None)
        steps = chunk.step[sel]
        k = steps.shape[0]
        self._grow(self._n + k)
        end = self._n + k
        self._step[self._n : end] = steps
        self._loss[self._n : end] = chunk.loss[sel]
        for name in VECTOR_NAMES:
            self._vec[name][self._n : end] = getattr(chunk, name)[sel]
        self._n = end
        if thin or self._n > self.max_rows + self._allowance() + SLACK // 2:
            self.thin()

    def add_checkpoints(self, checkpoints: tuple | list) -> None:
        """Keep kernel states past the newest one kept; past MAX_CHECKPOINTS every other goes."""
        newest = self.checkpoints[-1].step if self.checkpoints else 0
        for cp in checkpoints:
            if cp.step > newest:
                self.checkpoints.append(cp)
                newest = cp.step
        if len(self.checkpoints) > MAX_CHECKPOINTS:
            self.checkpoints = self.checkpoints[::-2][::-1]  # the newest stays

    def checkpoint_before(self, step: int) -> object | None:
        """The last checkpoint at or before ``step`` (None: start from the racer's start)."""
        best = None
        for cp in self.checkpoints:
            if cp.step > step:
                break
            best = cp
        return best

    def has_steps(self, first: int, last: int) -> bool:
        """True when every step first … last has its row (exact: rows are never approximated)."""
        i0 = int(np.searchsorted(self.step, first, side="left"))
        i1 = int(np.searchsorted(self.step, last, side="right"))
        return i1 - i0 == last - first + 1

    def merge_exact(self, rows: RecordedRows) -> None:
        """Put consecutive exact rows (recomputed steps) in place and pin them: thinning keeps them."""
        if rows.step.size == 0:
            return
        lo, hi = int(rows.step[0]), int(rows.step[-1])
        steps = self.step
        i0 = int(np.searchsorted(steps, lo, side="left"))
        i1 = int(np.searchsorted(steps, hi, side="right"))
        k = rows.step.size
        end = i0 + k + (self._n - i1)
        self._grow(end)
        for a, new in zip(
            self._arrays(), (rows.step, rows.loss, *(getattr(rows, n) for n in VECTOR_NAMES)), strict=True
        ):
            tail = a[i1 : self._n].copy()
            a[i0 : i0 + k] = new
            a[i0 + k : end] = tail
        self._n = end
        self._pin = (lo, hi)

    # Views into the live arrays (valid until the next append).
    @property
    def step(self) -> np.ndarray:
        return self._step[: self._n]

    @property
    def loss(self) -> np.ndarray:
        return self._loss[: self._n]

    def vec(self, name: str) -> np.ndarray:
        return self._vec[name][: self._n]

    def field(self, name: str) -> np.ndarray:
        """The rows of any ``FIELDS`` entry by name (the loss or a per-weight array)."""
        return self.loss if name == "loss" else self.vec(name)

    def arrays(self, rows: slice = slice(None)) -> dict[str, np.ndarray]:
        """Copies of ``rows`` of every recorded field, by name (``step`` first): a ``RecordedRows``'s."""
        return {"step": self.step[rows].copy(), **{f.name: self.field(f.name)[rows].copy() for f in FIELDS}}

    def row_at_step(self, step: int) -> int:
        """Index of the last recorded row at or before ``step``."""
        return max(int(np.searchsorted(self.step, step, side="right")) - 1, 0)
