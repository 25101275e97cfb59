"""The one worker thread: owns the engine's runs, computes chunks of steps, streams them out.

The GUI never computes an update. It posts commands (play, pause, step, a changed
hyperparameter, a new configuration) into a queue; the worker applies them between
chunks and sends the new rows back by queued signal. The kernels release the GIL,
so the event loop stays responsive while the worker runs flat out.
"""

from __future__ import annotations

import linecache
import math
import pickle
import queue
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QThread, Signal

from gui.i18n import translate_message


def drop_source_cache() -> None:
    """Forget the source text PySide reads of every module imported after it (≈ 20 MB).

    To see whether a module uses ``from __feature__ import …``, PySide6's import hook reads
    each newly imported module's source through ``inspect.getsource``; ``linecache`` then keeps
    every line of pyqtgraph, numba and sympy as Python strings for good. Dropped right after
    the big imports, that memory is reused by what comes next instead of adding to it.
    Only tracebacks read the cache, and they read the files again.
    """
    linecache.clearcache()


if TYPE_CHECKING:  # the engine (numba) is imported by the thread, after the window shows
    from engine.config import RacerConfig, SessionConfig
    from engine.contours import SurfacePicture
    from engine.losses import Surface
    from engine.race import Race
    from engine.simulate import Chunk

#: Frame period of the stream; chunks are sent at most this often.
TICK = 1 / 60
#: While the window asks for rows on each of its frames (``RaceWorker.frame``: at set speeds of
#: more than a step a frame), the worker ticks once a frame, so every frame draws exactly one
#: tick's rows. On its own 60 Hz clock it ran two ticks a frame (each racer's Python twice, the
#: second merged into the first in the mailbox: ≈ 7 % of a core at 60 steps/s), and as the two
#: clocks drifted a frame got one tick or three. Without a frame for this long (no window, a
#: stalled one) it ticks on its own clock.
FRAME_TIMEOUT = 0.1
#: At a set speed a tick computes the steps due since the last one, but never more than this
#: many seconds' worth beyond one period: a stall is not caught up.
MAX_LAG = 0.25
#: The window's frame period, 30 a second: a tick at a set speed takes at most a frame's steps.
FRAME = 1 / 30
#: ... as the window's redraw timer's whole milliseconds (``MainWindow``).
REDRAW_MS = round(1000 * FRAME)
#: At "max" speed a tick computes for about this long (the worker's own CPU) before sending its
#: chunk: about one frame, which takes the rows of every tick since the last one anyway.
MAX_SPEED_BUDGET = 0.02
GRID_SIZE = 220
#: At high speed a chunk is thinned to about this many rows (every 2ᵏ-th step and the last):
#: the eye cannot follow more, and copying every row into the views would stall the GUI.
MAX_ROWS_PER_CHUNK = 2048
#: Steps per racer in one tick at "max": bounds a tick's length when steps are cheap (a command such
#: as Pause waits for the tick, and the window gets rows once a tick). The rows a tick holds no
#: longer grow with it: the kernels write only those it sends (``engine.race.advance_thinned``).
MAX_STEPS_PER_TICK = 65_536
#: …and at least this many: a racer's tick costs some Python and numpy (≈ 0.5 ms when every row
#: was written and thinned in numpy; ≈ 0.15 ms now that the kernels write only the kept rows)
#: whatever its length, which with 12 racers at a few hundred steps each was most of the tick, and
#: the GUI thread waited for the GIL behind it.
MIN_STEPS_PER_TICK = 16_384
#: …unless those take more CPU than this (steps dear enough: twelve racers on data): a command
#: such as Pause waits for the tick, so a tick is at most about a frame (at 80 ms, with the window's
#: share of two cores and the GIL, Pause took 0.1–0.3 s to reach the worker, ``bench_pause.py``).
#: Well above the per-racer Python of a tick (≈ 1.2 ms with twelve on data), so ticks never shrink
#: to overhead: flat out on data their cost is the full-data L of each kept row, now no finer than
#: the window keeps (``engine.record.draw_stride``).
MAX_TICK_CPU = 0.025
#: Flat out on a data loss each row a tick keeps costs a full-data L (≈ 6 µs on the penguins' 342
#: rows; O(the table's rows)): 2,048 rows a racer were 150 ms of a twelve-racer tick, and ticks
#: bounded at MAX_TICK_CPU kept every step and its L (a third of the steps/s). A racer keeps at most
#: the rows whose L (as measured, ``Run.fill_cpu``) takes about this share of MAX_TICK_CPU…
ROWS_SHARE = 0.5
#: …and at least this many (the first steps, ≤ EXACT_FIRST, are kept whatever): ≈ 1,600 rows a
#: second a racer, more than the window draws (its record keeps DRAW_ROWS for the whole run).
MIN_ROWS_PER_TICK = 64
#: The GIL's switch interval while racing (Python's default is 5 ms). The worker hands the GIL
#: over at every kernel call and numpy copy; taking it back waited for the GUI thread's Python
#: to reach the interval, so 12 racers' ticks waited ~12 × 5 ms and the window waited on them.
SWITCH_INTERVAL = 0.001
#: Rows a racer may have waiting for the window; past this its waiting rows are thinned again
#: (first, every 2ᵏ-th step, last), so the worker never waits for a slow window and what waits
#: stays small (``ChunkMailbox``).
MAX_WAITING_ROWS = 2 * MAX_ROWS_PER_CHUNK
#: The longest "what if" path computed while a slider moves (a 2,000-step path takes < 1 ms).
MAX_GHOST_STEPS = 20_000


def thin_chunk(chunk: Chunk, max_rows: int) -> Chunk:
    """Every 2ᵏ-th step of a long chunk, plus its first and last rows (``engine.race.thin_chunk``).

    The first row says the chunk continues the record (``RaceModel.take_chunks`` drops rows that
    do not follow the last step it holds); without it no thinned chunk was taken in, and at
    maximum speed the racers stood still in the window.
    """
    from dataclasses import replace

    from engine.race import thin_chunk as thin
    from engine.record import NAMES

    out = thin(chunk, max_rows)
    if out is chunk or out.step[0] == chunk.step[0]:
        return out
    return replace(
        out,
        **{name: np.concatenate([getattr(chunk, name)[:1], getattr(out, name)]) for name in ("step", *NAMES)},
    )


class ChunkBatch(list):
    """Rows for the window, as (racer key, Chunk) pairs, from race number ``generation``."""

    generation: int = 0


class ChunkMailbox:
    """The rows computed and not yet drawn: the worker puts, the window takes once a frame.

    The worker never waits for the window. Each racer's waiting rows are merged into one chunk
    (thinned again past ``MAX_WAITING_ROWS``, keeping its first and last rows), so a window
    that falls behind, or a paused one, takes one small chunk per racer when it gets to it,
    instead of a queue of signals each holding the event loop (and memory growing with them).
    """

    def __init__(self, max_rows: int = MAX_WAITING_ROWS) -> None:
        self.max_rows = max_rows
        self._lock = threading.Lock()
        self._waiting: dict[str, Chunk] = {}
        self._generation = 0

    def put(self, generation: int, chunks: list[tuple[str, Chunk]]) -> bool:
        """Add a tick's chunks; True when the mailbox was empty (the window should be told)."""
        from engine.race import concat_chunks

        with self._lock:
            if generation != self._generation:  # a new race: the old one's rows are stale
                self._waiting, self._generation = {}, generation
            was_empty = not self._waiting
            for key, chunk in chunks:
                old = self._waiting.get(key)
                merged = chunk if old is None else concat_chunks([old, chunk])
                self._waiting[key] = (
                    thin_chunk(merged, self.max_rows // 2) if len(merged) > self.max_rows else merged
                )
            return was_empty and bool(self._waiting)

    def take(self, generation: int) -> ChunkBatch:
        """Everything waiting of race ``generation`` (the window's), one chunk per racer.

        Rows of a newer race stay until the window has heard of that race (its reset is a
        queued signal and may still be on its way); those of an older one are dropped.
        """
        out = ChunkBatch()
        out.generation = generation
        with self._lock:
            if self._generation == generation:
                out.extend(self._waiting.items())
            if self._generation <= generation:
                self._waiting = {}
        return out

    def __len__(self) -> int:
        """Rows waiting, over all racers."""
        with self._lock:
            return sum(len(c) for c in self._waiting.values())


@dataclass(frozen=True)
class SurfacePayload:
    """A surface ready to draw: its picture on a grid over the view window."""

    surface: Surface
    view: tuple[float, float, float, float]
    xs: np.ndarray
    ys: np.ndarray
    #: Colours, levels and level lines, computed here so the GUI thread only draws them.
    picture: SurfacePicture
    #: The configuration this surface was built for; None when only the view was regridded.
    config: SessionConfig | None = None


@dataclass(frozen=True)
class GhostPath:
    """Where a racer would go with settings the learner is trying out (nothing is raced)."""

    racer: str
    w: Any  # (n, 2) weights, row 0 the start
    status: str


class RaceWorker(QThread):
    """Drives an ``engine.race.Race``. All public methods are safe to call from the GUI thread.

    The race's racers are changed directly from the GUI thread (the race serialises that with
    the steps); building a surface, starting, stepping and playing are queued commands.
    """

    engine_ready = Signal()
    busy = Signal(str)  # "compiling…" while kernels load or an expression compiles; "" when done
    surface_ready = Signal(object)  # SurfacePayload
    ghost_ready = Signal(object)  # GhostPath: a racer's whole path with settings not yet raced
    race_reset = Signal(object)  # tuple[RacerStart, ...]
    #: Rows are waiting in ``mailbox`` (sent when it stops being empty, so at most one is queued).
    chunks_ready = Signal()
    playing_changed = Signal(bool)
    race_finished = Signal(str)  # why: "limit", "all stopped"
    error = Signal(str, str)  # (where, message): a bad input the user can act on
    loss_error_column = Signal(int)  # where in the typed loss the problem is (1-based; 0: the whole text)
    failed = Signal(str)  # an unexpected error, with its traceback

    def __init__(self, race: Race | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        if race is None:
            from engine.race import Race

            race = Race()
        self.race = race
        self._queue: queue.Queue[tuple[str, tuple[Any, ...]]] = queue.Queue()
        self._started = False  # a race has been started on a surface
        self._playing = False
        self._speed = 60.0  # steps per second; math.inf = as fast as the engine goes
        self._carry = 0.0
        self._ticked_at = 0.0  # when the last set-speed tick ran (``_clock``)
        self._framed_at = -math.inf  # when the window last asked for a frame's rows
        self._frame_asked = False  # a "frame" waits in the queue (set by the GUI thread)
        self._per_step = 1e-6  # measured seconds per step (all racers), for max speed
        self._per_row = 0.0  # measured seconds of a kept row's deferred L (a data loss; else 0)
        self.mailbox = ChunkMailbox()
        self._compiler_prepared = False
        self.thread_ident: int | None = None  # the thread's, once it runs

    # -- commands (GUI thread) -------------------------------------------------------
    def post(self, command: str, *args: Any) -> None:
        self._queue.put((command, args))

    def configure(
        self, config: SessionConfig, *, keep_surface: bool = False, own_racers: bool = True
    ) -> None:
        """Build the surface (unless unchanged) and restart the race from step 0.

        ``own_racers=False``: race the race's racers as they are when the surface is ready
        (a new loss or start keeps racers added while it compiled), not ``config``'s.
        """
        self.post("configure", config, keep_surface, own_racers)

    def set_playing(self, playing: bool) -> None:
        self.post("play" if playing else "pause")

    def ghost(self, config: SessionConfig, racer: RacerConfig) -> None:
        """Compute ``racer``'s whole path under ``config`` at once (a "what if" while dragging)."""
        self.post("ghost", config, racer)

    def advance_to(self, step: int) -> None:
        """Take every run to ``step`` at once, paused (a race carried over to a new window)."""
        self.post("advance_to", step)

    def step_once(self) -> None:
        self.post("step")

    def set_speed(self, steps_per_second: float) -> None:
        self.post("speed", steps_per_second)

    def frame(self) -> None:
        """The window has taken a frame's rows: at a set speed, compute the next frame's now.

        At most one such request waits: a tick longer than a frame (twelve racers on data at a high
        set speed) would otherwise let them pile up, and a Pause behind them wait for each.
        """
        if not self._frame_asked:
            self._frame_asked = True
            self.post("frame")

    def update_racer(self, racer: RacerConfig) -> None:
        """Hyperparameters of a running racer change from its next step on (logged as an edit)."""
        self.race.edit(racer.key or racer.optimizer, racer)

    def restart(self) -> None:
        """The race from step 0 with every racer's current settings."""
        self.post("restart")

    def regrid(self, view: tuple[float, float, float, float]) -> None:
        self.post("regrid", view)

    def prepare_compiler(self) -> None:
        """The user is typing a loss: have a compile process waiting (sympy loaded) by Enter."""
        if not self._compiler_prepared:
            self._compiler_prepared = True
            self.post("prestart")

    def cancel_compile(self) -> None:
        """Stop a typed loss compiling now (the worker then reports it cancelled); GUI-thread safe."""
        child = sys.modules.get("engine._compile_child")  # imported by the worker if it compiles
        if child is not None:
            child.cancel_all()

    def take_chunks(self, generation: int) -> ChunkBatch:
        """The rows of race ``generation`` waiting since the last call (see ``ChunkMailbox``)."""
        return self.mailbox.take(generation)

    def stop(self) -> None:
        """Ask the thread to finish; pair with ``wait()``."""
        self.post("stop")
        self.requestInterruption()
        child = sys.modules.get("engine._compile_child")
        if child is not None:  # a compile in progress would hold the thread for seconds
            child.shutdown()  # … and no compile process outlives the window

    # -- the thread ------------------------------------------------------------------
    def run(self) -> None:
        self.thread_ident = threading.get_ident()  # benchmarks read the thread's CPU clock
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        try:
            self._warm_up()
            self._loop()
        except Exception:  # surfaced in the UI, never lost in the thread
            self.failed.emit(traceback.format_exc())

    def _warm_up(self) -> None:
        self.busy.emit("compiling…")
        import engine  # numba and the kernels load here, off the GUI thread
        from engine.simulate import simulate

        drop_source_cache()

        try:
            self._warm_kernels(engine, simulate)
        except (pickle.UnpicklingError, EOFError, ValueError):
            # a cache file numba cannot read (e.g. cut short by a crash): start it afresh
            from engine._cache import CACHE_DIR, clear_cache

            clear_cache(CACHE_DIR)
            self._warm_kernels(engine, simulate)
        drop_source_cache()
        self.busy.emit("")
        self.engine_ready.emit()

    @staticmethod
    def _warm_kernels(engine: Any, simulate: Any) -> None:
        simulate("quadratic", "adam", steps=2)
        engine.get_loss("quadratic").grid([0.0, 1.0], [0.0, 1.0])
        # the runner of typed losses: loading its machine code holds the GIL ~0.2 s, which at the
        # first typed formula stalled the window; here the window still says it is loading
        import engine._fn_kernels

    _clock = staticmethod(time.perf_counter)  # seconds; tests set their own

    def _loop(self) -> None:
        next_tick = self._clock()
        while not self.isInterruptionRequested():
            active = self._playing and self._started and not self.race.at_end()
            timeout = max(0.0, next_tick - self._clock()) if active else None
            try:
                command, args = self._queue.get(timeout=timeout)
            except queue.Empty:
                pass
            else:
                if command == "stop":
                    return
                if command != "frame":
                    self._handle(command, args)
                    continue
                self._frame_asked = False
                if active and not math.isinf(self._speed):
                    self._framed_at = self._clock()
                    next_tick = self._tick()
                continue
            if self._playing:
                next_tick = self._tick()

    def _handle(self, command: str, args: tuple[Any, ...]) -> None:
        if command == "configure":
            self._configure(*args)
        elif command == "play":
            self._set_playing(True)
        elif command == "pause":
            self._set_playing(False)
        elif command == "step":
            self._set_playing(False)
            self._advance(1)
        elif command == "ghost" and self.race.surface is not None:
            self._ghost(*args)
        elif command == "advance_to":
            self._set_playing(False)
            self._advance_to(int(args[0]))
        elif command == "speed":
            self._speed = float(args[0])
            self._carry = 0.0
        elif command == "restart" and self._started:
            self._set_playing(False)
            self._emit_reset(self.race.restart())
        elif command == "limit":
            self.race.set_steps(int(args[0]))
        elif command == "prestart":
            from engine._compile_child import prestart

            prestart()
        elif command == "regrid" and self.race.surface is not None:
            self._emit_surface(self.race.surface, args[0])

    def _set_playing(self, playing: bool) -> None:
        if playing and (not self._started or self.race.at_end()):
            playing = False
        if playing != self._playing:
            self._playing = playing
            # the first tick after Play computes a period's steps at once: the racers move now
            self._ticked_at = self._clock() - self._period()
            self.playing_changed.emit(playing)

    def _configure(self, config: SessionConfig, keep_surface: bool, own_racers: bool = True) -> None:
        from engine.minima import with_typed_help
        from engine.simulate import surface_for

        surface = self.race.surface
        new_surface = not keep_surface or surface is None
        if new_surface:
            self.busy.emit("compiling…")
            try:
                # a typed loss gets its minima (☆), a view fitted to them and log colours if wide
                surface = with_typed_help(surface_for(config))
            except ValueError as exc:
                self.busy.emit("")
                self.loss_error_column.emit(getattr(exc, "column", None) or 0)
                self.error.emit("loss", translate_message(exc))
                return
            drop_source_cache()  # a first typed loss imports sympy
        self._set_playing(False)
        if not own_racers:
            config = self.race.with_current_racers(config)
        # The surface's picture first, then the race (its runs' kernels load or compile before it
        # tells the window: a data loss's take seconds on a fresh cache), then the two back to
        # back: a surface sent before the runs were made showed the new contour under the old
        # race's legend, table and trails while they compiled; a reset sent before the picture
        # was made showed the new racers on the old contour.
        payload = self._surface_payload(surface, config.view or surface.view, config) if new_surface else None
        reset = self.race.start(config, surface)
        if payload is not None:
            self.surface_ready.emit(payload)
        self._emit_reset(reset)
        self._started = True
        self.busy.emit("")

    def _emit_surface(
        self, surface: Surface, view: tuple[float, float, float, float], config: SessionConfig | None = None
    ) -> None:
        self.surface_ready.emit(self._surface_payload(surface, view, config))

    @staticmethod
    def _surface_payload(
        surface: Surface, view: tuple[float, float, float, float], config: SessionConfig | None = None
    ) -> SurfacePayload:
        """The surface's grid and contour picture over ``view``: what the window's contour draws."""
        import numpy as np

        from engine.contours import surface_picture

        xs = np.linspace(view[0], view[1], GRID_SIZE)
        ys = np.linspace(view[2], view[3], GRID_SIZE)
        picture = surface_picture(xs, ys, surface.grid(xs, ys), surface.log_levels)
        return SurfacePayload(surface, tuple(view), xs, ys, picture, config)

    def _emit_reset(self, reset: Any) -> None:
        self.race_reset.emit(reset.starts)

    def _advance(self, n: int, *, each_racer: bool = False, max_rows: int = MAX_ROWS_PER_CHUNK) -> None:
        """``n`` steps of every racer, their rows into the mailbox: all at once, or (``each_racer``,
        flat out) each racer's as soon as it is computed. A flat-out tick of 12 racers can outlast
        a frame; handed on at its end, the window had frames with no rows to draw (issue 18's
        repaints fell under 30 a second), and now every frame gets the racers done since the last.
        """
        if not self._started:
            return
        from engine.record import DRAW_ROWS

        generation = self.race.generation

        def put(chunks: list[tuple[str, Chunk]]) -> None:
            if self.mailbox.put(generation, chunks):  # it was empty: tell the window
                self.chunks_ready.emit()

        each = (lambda key, chunk: put([(key, chunk)])) if each_racer else None
        # thinned by the kernels as ``thin_chunk`` would thin them (``engine.race.advance_thinned``),
        # and no finer than the window's records keep them (``engine.record.draw_stride``)
        out = self.race.advance(n, max_rows, each, DRAW_ROWS)
        if out and not each_racer:
            put(out)
        if self.race.runs() and self.race.at_end():
            self._set_playing(False)
            self.race_finished.emit("limit" if self.race.limit_reached() else "all stopped")

    def _ghost(self, config: SessionConfig, racer: RacerConfig) -> None:
        from engine.simulate import run_for

        steps = min(config.steps, MAX_GHOST_STEPS)
        run = run_for(config, racer, self.race.surface, max_rows=steps + 1)
        run.advance(steps)
        path = run.trajectory().w  # row 0 is the start
        self.ghost_ready.emit(GhostPath(racer.key or racer.optimizer, path, run.status))

    def _advance_to(self, target: int) -> None:
        if not self._started:
            return
        target = min(target, self.race.config.steps)
        while not self.isInterruptionRequested():
            behind = [r.t for r in self.race.runs().values() if not r.done and r.t < target]
            if not behind:
                return
            self._advance(min(MAX_STEPS_PER_TICK, target - min(behind)))

    def _advance_measured(
        self, n: int, *, each_racer: bool = False, max_rows: int = MAX_ROWS_PER_CHUNK
    ) -> None:
        """``_advance`` that updates ``_per_step`` (all racers' CPU a step, which sizes ticks)
        from the thread's own CPU time: time spent waiting for the GIL or a core is not the
        steps' cost, and counting it shrank the ticks until overhead was all they did. It updates
        ``_per_row`` too (a kept row's deferred L, which sizes a flat-out tick's rows)."""
        runs = self.race.runs().values()
        cpu0, rows0 = sum(r.fill_cpu for r in runs), sum(r.filled for r in runs)
        t0 = time.thread_time()
        self._advance(n, each_racer=each_racer, max_rows=max_rows)
        self._per_step = 0.7 * self._per_step + 0.3 * (time.thread_time() - t0) / n
        filled = sum(r.filled for r in runs) - rows0
        if filled > 0:
            per_row = (sum(r.fill_cpu for r in runs) - cpu0) / filled
            self._per_row = per_row if self._per_row == 0.0 else 0.7 * self._per_row + 0.3 * per_row

    def _rows_per_tick(self) -> int:
        """Rows a racer keeps in a flat-out tick: MAX_ROWS_PER_CHUNK, unless their deferred L would
        take more than ROWS_SHARE of MAX_TICK_CPU (a data loss), down to MIN_ROWS_PER_TICK."""
        racers = max(1, len(self.race.runs()))
        if self._per_row * racers * MAX_ROWS_PER_CHUNK <= ROWS_SHARE * MAX_TICK_CPU:
            return MAX_ROWS_PER_CHUNK
        return max(MIN_ROWS_PER_TICK, int(ROWS_SHARE * MAX_TICK_CPU / (self._per_row * racers)))

    def _period(self) -> float:
        """Seconds between two ticks on the worker's own clock at the set speed."""
        return max(TICK, 1.0 / self._speed) if self._speed > 0 else TICK

    def _tick(self) -> float:
        """Compute the steps due now; return when the next tick is due."""
        now = self._clock()
        if math.isinf(self._speed):
            per_step = max(self._per_step, 1e-12)
            # at least MIN_STEPS_PER_TICK, unless that takes more than MAX_TICK_CPU: twelve
            # racers on data ran 0.2 s ticks flat out, and a Pause waited for the tick to end
            least = min(MIN_STEPS_PER_TICK, max(1, int(MAX_TICK_CPU / per_step)))
            n = max(least, min(MAX_STEPS_PER_TICK, int(MAX_SPEED_BUDGET / per_step)))
            self._advance_measured(n, each_racer=True, max_rows=self._rows_per_tick())
            return self._clock()
        period = self._period()
        # the steps due since the last tick, at the speed set now; a stall is not caught up (at
        # most MAX_LAG's steps wait)
        due = self._carry + self._speed * max(now - self._ticked_at, 0.0)
        self._carry = min(due, self._speed * (period + MAX_LAG))
        self._ticked_at = now
        # a tick takes at most a frame's steps and about MAX_SPEED_BUDGET of CPU: where the steps
        # cost more than the speed allows (twelve racers on data at 100,000 steps/s) the worker
        # catches up in short ticks, each after any command; one tick of all that was due took
        # 1.5–2 s, and a Pause waited for it
        most = min(self._speed * max(period, FRAME), MAX_SPEED_BUDGET / max(self._per_step, 1e-12))
        n = int(min(self._carry, max(most, 1.0)) + 1e-9)  # a period's 60 × (1/60) is 0.9999…
        self._carry -= n
        if n:
            self._advance_measured(n)
        if self._carry >= 1.0:
            return self._clock()  # behind: the rest at once, after any command waiting
        if now - self._framed_at < FRAME_TIMEOUT:
            return now + FRAME_TIMEOUT  # the window's frames drive the ticks
        return now + period
