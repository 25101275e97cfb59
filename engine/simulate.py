"""Running optimizers: one-shot ``simulate``, the resumable ``Run``, and many-run ``batch``.

``Run`` is what the GUI worker drives: advance a chunk, hand the new rows to the
views, maybe change a hyperparameter, advance again. Because a chunk only continues
the compiled state vector, chunked and one-shot runs are bit-identical.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from engine import _ids as K
from engine.losses import Surface, get_loss
from engine.optimizers import HYPER_INDEX, Optimizer, get_optimizer, resolve_hyperparameters
from engine.record import FIELDS, NAMES, empty_arrays, kept_steps, on_stride, thin_rows
from engine.schedules import Schedule
from engine.state import (
    NHYPER,
    NSTATE,
    NSTOCHASTIC,
    S_ALPHA_T,
    S_BETA_T,
    S_GRAD1,
    S_GRAD2,
    S_LOSS,
    S_T,
    S_W1,
    S_W2,
    Z_BATCH_SIZE,
    Z_NOISE,
    Z_ROWS,
    Z_SEED,
)
from engine.trajectory import CONVERGED, DIVERGED, FINISHED, RecordedRows, Trajectory

if TYPE_CHECKING:
    from engine.config import Edit, RacerConfig, SessionConfig

DEFAULT_TOL = 1e-10
#: Rows kept at full resolution before a long run's record is thinned (see ``Run``).
DEFAULT_MAX_ROWS = 1_000_000

_STATUS = {K.RUNNING: FINISHED, K.CONVERGED: CONVERGED, K.DIVERGED: DIVERGED}


def _check_start(start: Sequence[float]) -> tuple[float, float]:
    try:
        x, y = (float(v) for v in start)
    except (TypeError, ValueError):
        raise ValueError(f"start must be two numbers (w1, w2), got {start!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError(f"start must be finite, got ({x}, {y})")
    return x, y


_Rows = TypeVar("_Rows", bound=RecordedRows)


def _check_steps(steps: int, name: str = "steps") -> int:
    if isinstance(steps, bool) or not isinstance(steps, int | np.integer) or steps < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {steps!r}")
    return int(steps)


def _check_tol(tol: float) -> float:
    if not (isinstance(tol, int | float) and math.isfinite(tol) and tol >= 0):
        raise ValueError(f"tol must be a finite number ≥ 0, got {tol!r}")
    return float(tol)


def hyper_vector(values: Mapping[str, float]) -> np.ndarray:
    """The kernels' H vector; entries an optimizer does not use stay at harmless values."""
    h = np.zeros(NHYPER)
    h[HYPER_INDEX["alpha"]] = 0.0
    h[HYPER_INDEX["beta"]] = 0.0
    for name, value in values.items():
        h[HYPER_INDEX[name]] = value
    return h


@dataclass(frozen=True)
class Checkpoint:
    """A run's whole state after step ``step``: from it any later step is recomputed bit for bit
    (the kernels are deterministic), so a record need not keep every row to show any exactly."""

    step: int
    state: np.ndarray
    hyperparameters: dict[str, float]
    schedule: str


@dataclass
class Chunk(RecordedRows):
    """The rows a call to ``Run.advance`` produced (copies; safe to send to another thread)."""

    status: str
    diverged_at: int | None
    #: Kernel states within or at the end of these rows (``engine.race`` adds them).
    checkpoints: tuple[Checkpoint, ...] = ()

    def __len__(self) -> int:
        return self.step.shape[0]


def _check_stochastic(batch_size: int, noise: float, seed: int) -> tuple[int, float, int]:
    from engine.config import MAX_SEED

    if isinstance(batch_size, bool) or not isinstance(batch_size, int | np.integer) or batch_size < 0:
        raise ValueError(f"batch_size must be a whole number ≥ 0 (0 = the full batch), got {batch_size!r}")
    if not (isinstance(noise, int | float) and math.isfinite(noise) and noise >= 0):
        raise ValueError(f"noise must be a finite number ≥ 0, got {noise!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed must be a whole number in 0…{MAX_SEED}, got {seed!r}")
    return int(batch_size), float(noise), int(seed)


class Run:
    """A resumable run of one optimizer on one surface.

    The full record is kept up to ``max_rows`` rows; past that it is thinned to every
    2nd, 4th, … step so memory stays bounded for runs of millions of steps (``step``
    gives each row's step number). Every chunk returned by ``advance`` is complete.

    ``batch_size`` (a data loss's minibatch; 0 = the full batch), ``noise`` (σ of Gaussian noise
    added to the gradient, any surface) and ``seed`` make the gradient stochastic
    (``engine._stochastic``): such a run never stops early as converged (a noisy gradient does
    not vanish), and is reproducible bit for bit from its seed however it is chunked.
    """

    def __init__(
        self,
        loss: str | Surface,
        optimizer: str | Optimizer,
        start: Sequence[float] | None = None,
        *,
        schedule: str | Schedule = "constant",
        tol: float = DEFAULT_TOL,
        max_rows: int = DEFAULT_MAX_ROWS,
        batch_size: int = 0,
        noise: float = 0.0,
        seed: int = 0,
        **hyperparameters: float,
    ) -> None:
        self.surface = get_loss(loss)
        self.batch_size, self.noise, self.seed = _check_stochastic(batch_size, noise, seed)
        self.optimizer = optimizer if isinstance(optimizer, Optimizer) else get_optimizer(optimizer)
        self.hyperparameters = resolve_hyperparameters(self.optimizer, hyperparameters)
        self.schedule = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule)
        self.tol = _check_tol(tol)
        self.start = _check_start(self.surface.start if start is None else start)
        self.max_rows = max(_check_steps(max_rows, "max_rows"), 16)
        #: The thread CPU seconds spent on deferred L (a data loss's, of the rows kept) and the rows
        #: it was computed for: the live window sizes a flat-out tick's rows by it (gui/worker.py).
        self.fill_cpu = 0.0
        self.filled = 0
        self._h = hyper_vector(self.hyperparameters)
        self._sched = self.schedule.kernel_args()
        self._p = self.surface.p
        self._z = self._stochastic_vector()
        self._S = np.empty(NSTATE)
        kern = self.surface.kernels
        kern.init_state(self.surface.kernel_id, self._p, self._h, *self.start, self._S)
        self._rows = 1
        self._stride = 1
        cap = 1024
        self._step = np.zeros(cap, dtype=np.int64)
        self._rec = empty_arrays(cap)  # engine.record.FIELDS, in the kernels' argument order
        self._rec["w"][0] = self.start
        self._rec["loss"][0] = self._S[S_LOSS]
        self.status = FINISHED
        self.diverged_at: int | None = None
        #: (step, row) of the last step taken: a thinned record may have skipped it.
        self._last: tuple[int, tuple[np.ndarray, ...]] | None = None
        from engine._kernels import grad_norm_below  # the kernels' own test, so batch agrees

        if not math.isfinite(self._S[S_LOSS]):
            self.status, self.diverged_at = DIVERGED, 0
        elif grad_norm_below(float(self._S[S_GRAD1]), float(self._S[S_GRAD2]), self._tol):
            self.status = CONVERGED

    @property
    def stochastic(self) -> bool:
        """Minibatches or noise: each step's gradient is drawn, and the run never converges early."""
        return self._z is not None

    @property
    def rows(self) -> int:
        """The data loss's rows (0 for a formula loss)."""
        return self.surface.data.n if self.surface.data is not None else 0

    def _stochastic_vector(self) -> np.ndarray | None:
        """The kernels' Z vector (``engine.state.STOCHASTIC``), or None for an exact run."""
        rows = self.rows
        minibatch = 0 < self.batch_size < rows
        if not (minibatch or self.noise > 0):
            return None
        z = np.zeros(NSTOCHASTIC)
        z[Z_SEED] = self.seed
        z[Z_BATCH_SIZE] = self.batch_size if minibatch else 0
        z[Z_ROWS] = rows
        z[Z_NOISE] = self.noise
        return z

    @property
    def _tol(self) -> float:
        """The convergence threshold the kernels use: none (−1) for a stochastic run."""
        return -1.0 if self._z is not None else self.tol

    def _run_chunk(
        self, n: int, row0: int, bufs: tuple[np.ndarray, ...], stride: int = 1, pin: int = 0
    ) -> tuple[int, int]:
        """The kernel call of ``advance``, ``advance_strided`` and ``record_all``: exact, minibatch or
        noisy; rows of every step, or with ``stride`` > 1 only those kept (``_kernels._advance``)."""
        args = (
            self.optimizer.kernel_id,
            self._h,
            self._sched[0],
            self._sched[1],
            self._S,
            n,
            self._tol,
            row0,
            stride,
            pin,
        )
        sid = self.surface.kernel_id
        if self._z is None:
            return self.surface.kernels.run_chunk(sid, self._p, *args, *bufs)
        from engine import _stochastic

        if self.surface.data is not None:
            if 0 < self.batch_size < self.rows:
                return _stochastic.run_chunk_minibatch(sid, self._p, self._z, *args, *bufs)
            return _stochastic.run_chunk_data(sid, self._p, self._z, *args, *bufs)
        fn = self.surface.kernels.loss_value_grad if self.surface.expression else _stochastic.builtin_loss
        return _stochastic.run_chunk_noisy(fn, sid, self._p, self._z, *args, *bufs)

    # -- state ---------------------------------------------------------------------
    @property
    def t(self) -> int:
        """Steps taken so far."""
        return int(self._S[S_T]) if self.diverged_at is None else self.diverged_at - 1

    @property
    def done(self) -> bool:
        """Converged or diverged: advancing further does nothing."""
        return self.status != FINISHED

    @property
    def point(self) -> tuple[float, float]:
        return float(self._S[S_W1]), float(self._S[S_W2])

    def update(self, *, schedule: str | Schedule | None = None, **hyperparameters: float) -> None:
        """Change hyperparameters or the schedule; they apply from the next step on.

        α^t and β^t (the bias corrections) are recomputed for the new α, β, as if the
        new value had been used from the start.
        """
        values = resolve_hyperparameters(self.optimizer, {**self.hyperparameters, **hyperparameters})
        if schedule is not None:
            self.schedule = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule)
            self._sched = self.schedule.kernel_args()
        t = int(self._S[S_T])
        old = self.hyperparameters
        if values.get("alpha") != old.get("alpha"):
            self._S[S_ALPHA_T] = values.get("alpha", 0.0) ** t
        if values.get("beta") != old.get("beta"):
            self._S[S_BETA_T] = values.get("beta", 0.0) ** t
        if self.optimizer.state_hook is not None:
            self.optimizer.state_hook(old, values, t, self._S)
        self.hyperparameters = values
        self._h = hyper_vector(values)

    def checkpoint(self) -> Checkpoint:
        """The state after the last step taken, with the settings in force (a copy)."""
        return Checkpoint(self.t, self._S.copy(), dict(self.hyperparameters), str(self.schedule))

    def resume(self, checkpoint: Checkpoint) -> None:
        """Go on from ``checkpoint`` (taken from a run of the same racer on the same surface).

        The record restarts there: only rows advanced from now on are kept.
        """
        self.update(schedule=checkpoint.schedule, **checkpoint.hyperparameters)
        self._S[:] = checkpoint.state
        self.status, self.diverged_at = FINISHED, None
        self._rows, self._stride, self._last = 1, 1, None
        self._step[0] = checkpoint.step

    def skip(self, n: int) -> None:
        """Take up to n steps recording nothing (fast-forward to where rows are wanted)."""
        if self.done or n <= 0:
            return
        t0 = int(self._S[S_T])
        # The run's own stepping kernel, every step written into the same one row (no step is on a
        # stride this long): the state it reaches is bit for bit the recording kernels'. Through
        # ``advance`` the run's record kept rows and filled their deferred L (a Pause on twelve
        # racers on data spent ≈ 50 ms in it); a kernel of its own (``run_steps``, ≈ 20 % faster a
        # step) had to be compiled for each kind of loss: 6–8 s of a fresh cache's first race.
        bufs = tuple(one_block(1).values())
        taken, code = self._run_chunk(n, -1, bufs, SKIP_STRIDE)
        self._rows, self._last = 1, None
        self._step[0] = t0 + taken
        self.status = _STATUS[code]
        if code == K.DIVERGED:
            self.diverged_at = t0 + taken + 1

    # -- stepping ------------------------------------------------------------------
    def _ensure_capacity(self, rows: int) -> None:
        cap = self._step.shape[0]
        if rows <= cap:
            return
        new = max(rows, 2 * cap)

        def grow(a: np.ndarray) -> np.ndarray:
            b = np.zeros((new, *a.shape[1:]), dtype=a.dtype)
            b[: self._rows] = a[: self._rows]
            return b

        self._step = grow(self._step)
        self._rec = {k: grow(v) for k, v in self._rec.items()}

    def fill_loss(self, rows: _Rows) -> _Rows:
        """``rows`` with every full-data loss a data kernel deferred (NaN) computed, in place.

        A logistic loss's L costs a log1p per data row, more than the step itself: the kernels
        leave it to the rows that are kept (a thinned chunk, a record), which get it here."""
        if self.surface.data is not None and len(rows.loss) and np.isnan(rows.loss).any():
            from engine import _stochastic

            _stochastic.deferred_losses(self.surface.kernel_id, self._p, rows.w, rows.loss)
        return rows

    def _fill(self, w: np.ndarray, loss: np.ndarray) -> None:
        if self.surface.data is not None and loss.size and np.isnan(loss).any():
            from engine import _stochastic

            t0 = time.thread_time()
            _stochastic.deferred_losses(self.surface.kernel_id, self._p, w, loss)
            self.fill_cpu += time.thread_time() - t0
            self.filled += loss.size

    def advance(self, n: int, *, fill_loss: bool = True) -> Chunk:
        """Take up to n more steps; return the rows they produced.

        ``fill_loss=False``: rows of a data loss may come with L deferred (NaN) — for a caller that
        keeps only some rows and fills those with ``fill_loss`` (the run's own record is always filled).
        """
        n = _check_steps(n, "n")
        if self.done or n == 0:
            return self._chunk(np.zeros(0, dtype=np.int64), *empty_arrays(0).values())
        t0 = int(self._S[S_T])
        direct = self._stride == 1 and self._rows + n <= self.max_rows
        if direct:
            self._ensure_capacity(self._rows + n)
            bufs = tuple(self._rec.values())
            row0 = self._rows - 1
        else:
            bufs = tuple(empty_arrays(n).values())
            row0 = -1
        taken, code = self._run_chunk(n, row0, bufs)
        steps = np.arange(t0 + 1, t0 + 1 + taken, dtype=np.int64)
        if direct or fill_loss:
            self._fill(bufs[0][row0 + 1 : row0 + 1 + taken], bufs[1][row0 + 1 : row0 + 1 + taken])
        # rows written into the record are copied out; fresh buffers are handed over as they are
        new = tuple(b[row0 + 1 : row0 + 1 + taken].copy() if direct else b[:taken] for b in bufs)
        if taken:
            self._fill(new[0][-1:], new[1][-1:])
            self._last = (int(steps[-1]), tuple(a[-1].copy() for a in new))
        if direct:
            self._step[self._rows : self._rows + taken] = steps
            self._rows += taken
        else:
            self._append_thinned(steps, new)
        self._set_outcome(t0, taken, code)
        return self._chunk(steps, *new)

    def _set_outcome(self, t0: int, taken: int, code: int) -> None:
        self.status = _STATUS[code]
        if code == K.DIVERGED:
            self.diverged_at = t0 + taken + 1

    def advance_strided(self, n: int, stride: int, pin: int, pending: list[Edit] | None = None) -> Chunk:
        """Up to n more steps, returning only the rows a thinned record keeps: steps ≤ ``pin``, the
        multiples of ``stride`` (a power of two) and the last step taken (the current point).

        The kernels write only those rows, straight into the arrays the chunk hands out (fresh, so
        safe to send to another thread), and only they get a deferred L filled: a flat-out tick of
        the live window (16,384 steps a racer, ≈ 1,000 rows kept) no longer writes every row into a
        buffer to pick the kept ones out of it. Each edit in ``pending`` (``engine.config.Edit``)
        applies exactly after its step, as ``engine.race.advance_run`` applies it, and is consumed.
        The run's own record takes the kept rows on its own stride.
        """
        n = _check_steps(n, "n")
        pending = [] if pending is None else pending
        t0 = end = int(self._S[S_T])
        if not self.done:
            end = t0 + n
        planned = kept_steps(t0 + 1, end, stride, pin)
        bufs = tuple(one_block(planned.size + 1).values())
        rows = 0  # rows of kept steps written so far
        while True:
            while pending and pending[0].after_step <= self.t:
                edit = pending.pop(0)
                self.update(schedule=edit.schedule, **edit.hyperparameters)
            if self.done or self.t >= end:
                break
            t = int(self._S[S_T])
            stop = min(end, pending[0].after_step) if pending else end
            taken, code = self._run_chunk(stop - t, rows - 1, bufs, stride, pin)
            rows = int(np.searchsorted(planned, t + taken, side="right"))
            self._set_outcome(t, taken, code)
        last = self.t
        steps = planned[:rows]
        if last > t0 and (not rows or steps[-1] != last):  # the newest row, in the row after the kept
            steps = np.append(steps, np.int64(last))
        new = tuple(b[: steps.size] for b in bufs)
        self._fill(new[0], new[1])
        if steps.size:
            self._last = (int(steps[-1]), tuple(a[-1].copy() for a in new))
            self._append_thinned(steps, new)
        return self._chunk(steps, *new)

    def record_all(self, n: int) -> Trajectory:
        """A fresh run's first ``n`` steps straight into the arrays it returns (what ``simulate`` does).

        The kernel writes every row into arrays sized for the whole run, which become the
        trajectory as they are: no growing record, no chunk copy, no second copy for the result
        (``advance`` + ``trajectory`` made three, and first-touched twice as much memory). A run
        that stops early keeps a trimmed copy only when that frees most of the allocation.
        """
        n = _check_steps(n, "n")
        if self._rows != 1 or int(self._S[S_T]) != 0:
            raise ValueError("record_all is for a run that has not stepped yet")
        record = one_block(n + 1)
        for a in record.values():
            a[0] = 0.0
        record["w"][0], record["loss"][0] = self.start, self._S[S_LOSS]
        taken, code = (0, K.RUNNING)
        if not self.done and n:
            taken, code = self._run_chunk(n, 0, tuple(record.values()))
            self._fill(record["w"][: taken + 1], record["loss"][: taken + 1])
            self.status = _STATUS[code]
            if code == K.DIVERGED:
                self.diverged_at = taken + 1
        rows = taken + 1
        arrays = {k: a[:rows].copy() if rows < (n + 1) // 2 else a[:rows] for k, a in record.items()}
        return self._as_trajectory(np.arange(rows, dtype=np.int64), arrays)

    def _append_thinned(self, steps: np.ndarray, new: tuple[np.ndarray, ...]) -> None:
        """Append the rows of ``new`` on the record's stride, thinning it first when full
        (``engine.record.thin_rows``; the last step taken is kept apart, in ``_last``)."""
        if self._rows >= self.max_rows:
            idx, self._stride = thin_rows(
                self._step[: self._rows], self.max_rows, self._stride, keep_last=False
            )
            for a in (self._step, *self._rec.values()):
                a[: idx.size] = a[idx]
            self._rows = idx.size
        sel = np.flatnonzero(on_stride(steps, self._stride))
        if sel.size == 0:
            return
        self._ensure_capacity(self._rows + sel.size)
        end = self._rows + sel.size
        self._step[self._rows : end] = steps[sel]
        for dst, src in zip(self._rec.values(), new, strict=True):
            dst[self._rows : end] = src[sel]
        self._fill(self._rec["w"][self._rows : end], self._rec["loss"][self._rows : end])
        self._rows = end
        if self._rows > self.max_rows:
            self._append_thinned(np.zeros(0, dtype=np.int64), ())

    def _chunk(self, steps: np.ndarray, *arrays: np.ndarray) -> Chunk:
        return Chunk(steps, *arrays, self.status, self.diverged_at)

    def trajectory(self) -> Trajectory:
        """Everything recorded so far, as arrays (copies).

        A thinned record always ends with the last step taken, so the final point is exact.
        """
        r = self._rows
        arrays = [a[:r].copy() for a in (self._step, *self._rec.values())]
        if self._last is not None and self._last[0] > self._step[r - 1]:
            last_step, row = self._last
            arrays = [np.concatenate([a, [b]]) for a, b in zip(arrays, (last_step, *row), strict=True)]
            arrays[0] = arrays[0].astype(np.int64)
        step, *recorded = arrays
        return self._as_trajectory(step, dict(zip(NAMES, recorded, strict=True)))

    def _as_trajectory(self, step: np.ndarray, recorded: dict[str, np.ndarray]) -> Trajectory:
        """The recorded arrays with this run's settings and outcome."""
        return Trajectory(
            optimizer=self.optimizer.id,
            loss_spec=self.surface.spec(),
            loss_params=dict(self.surface.params),
            hyperparameters=dict(self.hyperparameters),
            schedule=str(self.schedule),
            start=self.start,
            step=step,
            **recorded,
            status=self.status,
            diverged_at=self.diverged_at,
            stochastic=self.stochastic_metadata(),
        )

    def stochastic_metadata(self) -> dict[str, Any]:
        """What reproduces this run's gradients (``stochastic_metadata``)."""
        return stochastic_metadata(self.surface, self.batch_size, self.noise, self.seed)


def stochastic_metadata(surface: Surface, batch_size: int, noise: float, seed: int) -> dict[str, Any]:
    """What reproduces a run's gradients: the data (with the file's hash), batch size, noise, seed.

    Empty for an exact formula run. One function, so a run, the window's export of its record and
    every file say the same (``Trajectory.stochastic``).
    """
    data = surface.data
    if data is None and not noise > 0:
        return {}
    out: dict[str, Any] = {}
    if data is not None:
        out["data"] = {**data.spec.to_dict(), "sha256": data.sha256}
        out["rows"] = data.n
        out["batch_size"] = batch_size if 0 < batch_size < data.n else 0
    out["noise"] = noise
    out["seed"] = seed
    return out


#: A stride no step reaches (a power of two): ``Run.skip`` keeps no row of the stochastic kernels.
SKIP_STRIDE = 1 << 62


def one_block(rows: int) -> dict[str, np.ndarray]:
    """Uninitialised arrays of every field, as views into one allocation.

    Fresh memory is paid for at its first touch, a page fault per 4 KiB page; on this KVM
    machine that cost 2-3× the kernel's own time. numpy asks the system for huge pages for
    allocations of 4 MiB or more, which one block of all fields reaches from ≈ 40,000 rows,
    and then a fault brings 2 MiB (measured in ``benchmarks/bench_engine.py``).
    """
    widths = [2 if f.per_weight else 1 for f in FIELDS]
    block = np.empty(rows * sum(widths))
    out, offset = {}, 0
    for f, width in zip(FIELDS, widths, strict=True):
        out[f.name] = block[offset : offset + rows * width].reshape(f.shape(rows))
        offset += rows * width
    return out


def surface_for(config: SessionConfig) -> Surface:
    """The configuration's surface with its parameters (those the surface takes).

    A loss expression goes through the safe parser and compiler (ExpressionError if refused);
    a data loss reads its table (``engine.data``; DataError if unusable).
    """
    if config.data is not None:
        from engine.data import data_surface

        return data_surface(config.data)
    surface = get_loss(config.loss)
    if surface.expression:
        warm_up(surface)
    usable = {k: v for k, v in config.loss_params.items() if k in surface.params}
    return surface.with_params(**usable) if usable else surface


def warm_up(surface: Surface) -> None:
    """Compile (or load from cache) the kernels a race calls first, here in the caller's thread
    (the worker's), so the window never waits on them: the contour grid and one step."""
    surface.grid(np.linspace(surface.view[0], surface.view[1], 3), np.linspace(*surface.view[2:], 3))
    Run(surface, "sgd").advance(1)


def run_for(
    config: SessionConfig, racer: RacerConfig, surface: Surface, *, max_rows: int = DEFAULT_MAX_ROWS
) -> Run:
    """The run of one racer of a configuration: how the window and exports both start a race."""
    return Run(
        surface,
        racer.optimizer,
        config.start,
        schedule=racer.schedule,
        tol=config.tol,
        max_rows=max_rows,
        batch_size=config.batch_size,
        noise=config.noise,
        seed=config.seed_of(racer),
        **racer.hyperparameters,
    )


def simulate(
    loss: str | Surface,
    optimizer: str | Optimizer,
    start: Sequence[float] | None = None,
    steps: int = 500,
    *,
    schedule: str | Schedule = "constant",
    tol: float = DEFAULT_TOL,
    batch_size: int = 0,
    noise: float = 0.0,
    seed: int = 0,
    **hyperparameters: float,
) -> Trajectory:
    """Run ``optimizer`` on ``loss`` from ``start`` for up to ``steps`` steps.

    Stops early as ``converged`` once ‖g‖ < tol (exact runs only: see ``Run``), or as ``diverged``
    at the first non-finite step (keeping every finite step before it); never raises for that.
    """
    steps = _check_steps(steps)
    run = Run(
        loss, optimizer, start, schedule=schedule, tol=tol, batch_size=batch_size, noise=noise, seed=seed,
        **hyperparameters,
    )  # fmt: skip
    return run.record_all(steps)


@dataclass(frozen=True)
class BatchResult:
    """Outcome of each run of a batch, in the order of its starts / hyperparameter rows."""

    final_w: np.ndarray
    final_loss: np.ndarray
    steps: np.ndarray
    converged: np.ndarray
    diverged: np.ndarray


def batch(
    loss: str | Surface,
    optimizer: str | Optimizer,
    starts: np.ndarray | Sequence[Sequence[float]],
    steps: int,
    *,
    hyper_grid: Mapping[str, np.ndarray | Sequence[float]] | None = None,
    schedule: str | Schedule = "constant",
    tol: float = DEFAULT_TOL,
    **hyperparameters: float,
) -> BatchResult:
    """Many runs at once, in parallel over cores.

    ``starts`` is (n, 2). ``hyper_grid`` maps hyperparameter names to length-n arrays
    that vary per run (e.g. a learning-rate sweep); other values come from
    ``hyperparameters`` and the optimizer's defaults.
    """
    surface = get_loss(loss)
    opt = optimizer if isinstance(optimizer, Optimizer) else get_optimizer(optimizer)
    steps = _check_steps(steps)
    tol = _check_tol(tol)
    starts_arr = np.ascontiguousarray(starts, dtype=np.float64)
    if starts_arr.ndim != 2 or starts_arr.shape[1] != 2:
        raise ValueError(f"starts must have shape (n, 2), got {starts_arr.shape}")
    if not np.all(np.isfinite(starts_arr)):
        raise ValueError("every start must be finite")
    n = starts_arr.shape[0]
    base = resolve_hyperparameters(opt, hyperparameters)
    hs = np.tile(hyper_vector(base), (n, 1))
    for name, values in (hyper_grid or {}).items():
        column = np.asarray(values, dtype=np.float64)
        if column.shape != (n,):
            raise ValueError(f"hyper_grid[{name!r}] must have one value per start ({n})")
        resolve_hyperparameters(opt, {name: float(column.min())})
        resolve_hyperparameters(opt, {name: float(column.max())})
        hs[:, HYPER_INDEX[name]] = column
    sched = schedule if isinstance(schedule, Schedule) else Schedule.parse(schedule)
    kind, sp = sched.kernel_args()
    final_w = np.empty((n, 2))
    final_loss = np.empty(n)
    taken = np.empty(n, dtype=np.int64)
    status = np.empty(n, dtype=np.int64)
    from engine._parallel import LOCK, compiled

    args = (surface.kernel_id, surface.p, opt.kernel_id, hs, kind, sp, starts_arr, steps, tol)
    args += (final_w, final_loss, taken, status)
    prepare = getattr(surface.kernels, "prepare_batch", None)
    if prepare is not None:
        prepare(*args)
    else:
        compiled(surface.kernels.run_batch, *args)  # not inside the lock (engine._parallel says why)
    with LOCK:  # a parallel kernel: one at a time (engine._parallel says why)
        surface.kernels.run_batch(*args)
    return BatchResult(final_w, final_loss, taken, status == K.CONVERGED, status == K.DIVERGED)
