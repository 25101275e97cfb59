"""A race, Qt-free: its racers, their runs, the edit log of mid-run changes.

The GUI's worker thread drives it (``start``, ``advance``); the window's controls change
it (``add``, ``duplicate``, ``remove``, ``move``, ``edit``). Calls from the two threads are
serialised by one lock, so an edit lands exactly between two steps and is logged at that
step. Whoever wants to know what happened subscribes a plain callback; the Qt adapter
(``gui.race``) turns the events into signals. Nothing here draws or formats.

Every configuration it holds is a ``SessionConfig`` whose racers are as at step 0 and
whose ``edits`` say what changed later, so replaying it gives the same numbers bit for bit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields, replace

import numpy as np

from engine.config import (
    MAX_RACERS,
    MAX_SEED,
    ConfigError,
    Edit,
    RacerConfig,
    SessionConfig,
    free_color,
    too_many_racers,
    unique_key,
)
from engine.losses import Surface
from engine.record import EXACT_FIRST, NAMES, RacerRecord, draw_stride, stride_for, thin_rows
from engine.simulate import Checkpoint, Chunk, Run, run_for
from engine.trajectory import CONVERGED, DIVERGED, Trajectory


class RaceError(ConfigError):
    """A change the race refuses (a 13th racer, an unknown key); the message says why."""


@dataclass(frozen=True)
class RacerStart:
    """Where a racer starts: its point, L there, and whether it stopped at once."""

    key: str
    start: tuple[float, float]
    loss0: float
    status: str

    @property
    def optimizer(self) -> str:  # the name this field had before racers had keys
        return self.key


# -- what a race reports --------------------------------------------------------------------------
@dataclass(frozen=True)
class RaceReset:
    """A fresh race from step 0 (new configuration, new surface or Reset)."""

    config: SessionConfig
    starts: tuple[RacerStart, ...]
    generation: int
    #: What the race runs on: a record recomputes exact rows on it (``RaceRecord.exact_around``).
    surface: Surface | None = None


@dataclass(frozen=True)
class RacersChanged:
    """Racers added, removed, reordered or relabelled; the others' runs go on untouched.

    ``added`` holds each new racer's start and the rows it ran to catch up with the others.
    """

    config: SessionConfig
    added: tuple[tuple[RacerStart, Chunk | None], ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edited:
    """A racer's settings changed; ``edit`` is None when it changed before its first step."""

    config: SessionConfig
    key: str
    edit: Edit | None


Event = RaceReset | RacersChanged | Edited


def concat_chunks(chunks: list[Chunk]) -> Chunk:
    """Consecutive chunks of one run as one (the last one's status)."""
    if len(chunks) == 1:
        return chunks[0]
    arrays = {
        f.name: np.concatenate([getattr(c, f.name) for c in chunks])
        for f in fields(Chunk)
        if f.name not in ("status", "diverged_at", "checkpoints")
    }
    checkpoints = tuple(cp for c in chunks for cp in c.checkpoints)
    return Chunk(
        **arrays, status=chunks[-1].status, diverged_at=chunks[-1].diverged_at, checkpoints=checkpoints
    )


#: A racer added mid-run catches up in pieces of this many steps, each thinned to
#: ``CATCH_UP_ROWS`` rows, so a racer added at step 10 million costs little memory.
CATCH_UP_STEPS = 65_536
CATCH_UP_ROWS = 2048


def thin_chunk(chunk: Chunk, max_rows: int) -> Chunk:
    """Every 2ᵏ-th step of a long chunk, plus its last row (status and current point stay exact)
    and steps 0 … ``EXACT_FIRST`` (the records keep them whole): ``engine.record.thin_rows``, the
    rule every record thins by."""
    if len(chunk) <= max_rows:
        return chunk
    idx, _stride = thin_rows(chunk.step, max_rows, pinned=chunk.step <= EXACT_FIRST)
    return replace(chunk, **{name: getattr(chunk, name)[idx] for name in ("step", *NAMES)})


def advance_run(
    run: Run, n: int, pending: list[Edit], *, record: bool = True, fill_loss: bool = True
) -> Chunk:
    """``n`` steps of ``run``, applying each pending edit exactly after its step (consumed).

    ``record=False`` only moves the run on (``Run.skip``) and returns no rows. ``fill_loss=False``:
    a data loss's deferred L may stay NaN (``Run.advance``) for a caller that thins the rows first.
    """
    parts = []
    end = run.t + n
    while True:
        while pending and pending[0].after_step <= run.t:
            edit = pending.pop(0)
            run.update(schedule=edit.schedule, **edit.hyperparameters)
        if run.t >= end or run.done:
            break
        stop = min(end, pending[0].after_step) if pending else end
        if record:
            parts.append(run.advance(stop - run.t, fill_loss=fill_loss))
        else:
            run.skip(stop - run.t)
    return concat_chunks(parts) if parts else run.advance(0)


def advance_thinned(run: Run, n: int, pending: list[Edit], max_rows: int, least_stride: int = 1) -> Chunk:
    """``advance_run`` whose rows come thinned as ``thin_chunk(…, max_rows)`` thins ``n`` steps
    (every 2ᵏ-th step, the first steps, the last row): the kernels write only those rows
    (``Run.advance_strided``), so no more are ever held, whatever ``n``.

    The stride is the one for all ``n`` steps, and at least ``least_stride`` (a power of two): a run
    that stops early keeps the rows on it (thinning its shorter chunk might have kept more; it is
    that racer's last chunk)."""
    t = run.t
    stride = max(stride_for(t + 1, t + n, max_rows, EXACT_FIRST), least_stride)
    return run.advance_strided(n, stride, EXACT_FIRST, pending)


def _with_checkpoint(run: Run, chunk: Chunk) -> Chunk:
    """``chunk`` carrying the run's state after it, when the run can go on from there."""
    if run.done or not len(chunk):
        return chunk
    return replace(chunk, checkpoints=(*chunk.checkpoints, run.checkpoint()))


class Race:
    """Racers, their runs and the edit log; reports each change to its subscribers."""

    def __init__(self, config: SessionConfig | None = None, *, max_rows: int = 16) -> None:
        #: Rows each run keeps itself (the GUI keeps its own record; exports keep all).
        self.max_rows = max_rows
        self._config = config or SessionConfig()
        self._surface: Surface | None = None
        self._runs: dict[str, Run] = {}
        self._pending: dict[str, list[Edit]] = {}
        self._listeners: list[Callable[[Event], None]] = []
        self._lock = threading.RLock()
        self.generation = 0

    # -- reading -------------------------------------------------------------------------
    @property
    def config(self) -> SessionConfig:
        """Racers as at step 0 and the edits since: a session that replays this race."""
        return self._config

    @property
    def surface(self) -> Surface | None:
        return self._surface

    def current(self) -> dict[str, RacerConfig]:
        """Each racer's settings now (edits applied), by key, in race order."""
        return {r.key: r for r in self._config.current_racers()}

    def runs(self) -> dict[str, Run]:
        return dict(self._runs)

    def step(self) -> int:
        """How far the race has gone: the furthest racer's step."""
        return max((run.t for run in self._runs.values()), default=0)

    def subscribe(self, listener: Callable[[Event], None]) -> None:
        self._listeners.append(listener)

    def _report(self, event: Event) -> None:
        for listener in self._listeners:
            listener(event)

    # -- driving (the worker) --------------------------------------------------------------
    def start(self, config: SessionConfig, surface: Surface) -> RaceReset:
        """Race ``config`` on ``surface`` from step 0 (its edits replayed as the steps pass them)."""
        with self._lock:
            self._config = config
            self._surface = surface
            self._runs = {}
            self._pending = {}
            starts = []
            for racer in config.enabled_racers():
                start = self._new_run(racer)
                starts.append(start)
            self.generation += 1
            event = RaceReset(config, tuple(starts), self.generation, surface)
        self._report(event)
        return event

    def restart(self, config: SessionConfig | None = None) -> RaceReset:
        """From step 0 with every racer's current settings (the edit log starts afresh)."""
        with self._lock:
            base = config or self._config
            fresh = replace(base, racers=base.current_racers(), edits=())
            assert self._surface is not None
            surface = self._surface
        return self.start(fresh, surface)

    def _new_run(self, racer: RacerConfig) -> RacerStart:
        assert self._surface is not None
        run = run_for(self._config, racer, self._surface, max_rows=self.max_rows)
        self._runs[racer.key] = run
        self._pending[racer.key] = list(self._config.edits_of(racer.key))
        return RacerStart(racer.key, run.start, float(run.trajectory().loss[0]), run.status)

    def advance(
        self,
        n: int,
        max_rows: int | None = None,
        each: Callable[[str, Chunk], None] | None = None,
        draw_rows: int | None = None,
    ) -> list[tuple[str, Chunk]]:
        """Up to ``n`` more steps of every running racer, never past the step limit.

        ``max_rows``: each racer's rows come thinned to about that many (``advance_thinned``), and
        with ``draw_rows`` no finer than a record of that many rows keeps them (``draw_stride``).
        ``each(key, chunk)`` is called as each racer's rows are ready, before the next racer's
        steps: a caller can hand them on at once instead of after the slowest of twelve.
        """
        out = []
        with self._lock:
            limit = self._config.steps
            for key, run in self._runs.items():
                k = min(n, limit - run.t)
                if k > 0 and not run.done:
                    pending = self._pending[key]
                    if max_rows is None:
                        chunk = advance_run(run, k, pending)
                    else:
                        least = 1 if draw_rows is None else draw_stride(run.t + 1, draw_rows)
                        chunk = advance_thinned(run, k, pending, max_rows, least)
                    out.append((key, _with_checkpoint(run, chunk)))
                    if each is not None:
                        each(*out[-1])
        return out

    def at_end(self) -> bool:
        """True when every racer has stopped or reached the step limit (or none races)."""
        with self._lock:
            return all(run.done or run.t >= self._config.steps for run in self._runs.values())

    def limit_reached(self) -> bool:
        """At the end with at least one racer still able to go on (a higher limit would)."""
        with self._lock:
            return any(not run.done for run in self._runs.values())

    def set_steps(self, steps: int) -> None:
        self.update(steps=steps)

    def update(self, **changes: object) -> None:
        """Change what is not a racer (step limit, view) without restarting; ConfigError if invalid."""
        if {"racers", "edits"} & set(changes):
            raise ValueError("racers change through add, remove, move and edit")
        with self._lock:
            self._config = replace(self._config, **changes)

    # -- changing (the window) -----------------------------------------------------------------
    def edit(self, key: str, racer: RacerConfig) -> Edit | None:
        """New settings for racer ``key`` from its next step on; logged at the step it is at."""
        with self._lock:
            old = self._config.racer(key)
            racer = replace(racer, key=key, label=old.label, color=old.color, enabled=old.enabled)
            run = self._runs.get(key)
            if run is None or run.t == 0:  # nothing ran with the old settings: change the start
                edit = None
                racers = tuple(racer if r.key == key else r for r in self._config.racers)
                edits = tuple(e for e in self._config.edits if e.racer != key)
                self._config = replace(self._config, racers=racers, edits=edits)
                if run is not None:
                    self._pending[key] = []
                    run.update(schedule=racer.schedule, **racer.hyperparameters)
            else:
                edit = Edit(key, run.t, dict(racer.hyperparameters), racer.schedule)
                run.update(schedule=racer.schedule, **racer.hyperparameters)
                self._pending[key] = []
                kept = tuple(e for e in self._config.edits if not (e.racer == key and e.after_step >= run.t))
                self._config = replace(self._config, edits=(*kept, edit))
            event = Edited(self._config, key, edit)
        self._report(event)
        return edit

    def add(self, racer: RacerConfig | str, index: int | None = None) -> str:
        """Add a racer (a 13th is refused); it runs at once up to the others' step. Its key."""
        if isinstance(racer, str):
            racer = RacerConfig(racer)
        with self._lock:
            racers = list(self._config.racers)
            if len(racers) >= MAX_RACERS:
                raise RaceError(too_many_racers(len(racers) + 1))
            taken = {r.key for r in racers}
            key = unique_key(racer.optimizer, taken)
            color = free_color(racer.optimizer, {r.color for r in racers})
            racer = replace(racer, key=key, color=color, seed=_own_seed(racer, racers, self._config.seed))
            racers.insert(len(racers) if index is None else index, racer)
            self._config = replace(self._config, racers=tuple(racers))
            added = ()
            if racer.enabled and self._surface is not None and self._runs is not None:
                added = (self._catch_up(racer),)
            event = RacersChanged(self._config, added=added)
        self._report(event)
        return key

    def _catch_up(self, racer: RacerConfig) -> tuple[RacerStart, Chunk | None]:
        target = self.step()
        start = self._new_run(racer)
        run = self._runs[racer.key]
        pieces = []
        target = min(target, self._config.steps)
        while run.t < target and not run.done:
            piece = advance_thinned(
                run, min(CATCH_UP_STEPS, target - run.t), self._pending[racer.key], CATCH_UP_ROWS
            )
            pieces.append(_with_checkpoint(run, piece))
        return start, concat_chunks(pieces) if pieces else None

    def duplicate(self, key: str, **changes: float | str) -> str:
        """ "Race again with…": a copy of racer ``key`` (its current settings) right after it."""
        with self._lock:
            current = self.current()
            if key not in current:
                raise RaceError(_unknown(key))
            source = current[key].with_values(**changes)
            index = list(current).index(key) + 1
        # with own batches the copy draws its own (``add`` gives it a free seed)
        return self.add(replace(source, key="", color="", label="", seed=None), index)

    def remove(self, key: str) -> None:
        """Take racer ``key`` out; the others' runs go on."""
        with self._lock:
            if key not in self.current():
                self._refuse(key)
            racers = tuple(r for r in self._config.racers if r.key != key)
            edits = tuple(e for e in self._config.edits if e.racer != key)
            self._config = replace(self._config, racers=racers, edits=edits)
            self._runs.pop(key, None)
            self._pending.pop(key, None)
            event = RacersChanged(self._config, removed=(key,))
        self._report(event)

    def move(self, key: str, index: int) -> None:
        """Put racer ``key`` at position ``index`` (legend, list and tables follow)."""
        with self._lock:
            racers = list(self._config.racers)
            old = next((i for i, r in enumerate(racers) if r.key == key), None)
            if old is None:
                self._refuse(key)
            racer = racers.pop(old)
            racers.insert(max(0, min(index, len(racers))), racer)
            self._config = replace(self._config, racers=tuple(racers))
            self._runs = {r.key: self._runs[r.key] for r in racers if r.key in self._runs}
            event = RacersChanged(self._config)
        self._report(event)

    def set_enabled(self, key: str, enabled: bool) -> None:
        """Let a racer sit out (its run is dropped) or race again (it catches up)."""
        with self._lock:
            if key not in self.current():
                self._refuse(key)
            racer = self._config.racer(key)
            if racer.enabled == enabled:
                return
            racers = tuple(r.with_values(enabled=enabled) if r.key == key else r for r in self._config.racers)
            self._config = replace(self._config, racers=racers)
            added: tuple[tuple[RacerStart, Chunk | None], ...] = ()
            removed: tuple[str, ...] = ()
            if enabled and self._surface is not None:
                added = (self._catch_up(self._config.racer(key)),)
                self._runs = {r.key: self._runs[r.key] for r in racers if r.key in self._runs}
            elif not enabled:
                self._runs.pop(key, None)
                removed = (key,)
            event = RacersChanged(self._config, added=added, removed=removed)
        self._report(event)

    def set_label(self, key: str, label: str) -> None:
        with self._lock:
            racers = tuple(r.with_values(label=label) if r.key == key else r for r in self._config.racers)
            self._config = replace(self._config, racers=racers)
            event = RacersChanged(self._config)
        self._report(event)

    def replace_config(self, config: SessionConfig) -> None:
        """Take ``config``'s racers and settings before any race has started (remembered settings)."""
        with self._lock:
            self._config = config

    def with_current_racers(self, config: SessionConfig) -> SessionConfig:
        """``config`` with this race's racers at their current settings (no edits): a restart's."""
        with self._lock:
            return replace(config, racers=self._config.current_racers(), edits=())

    @staticmethod
    def _refuse(key: str) -> RacerConfig:
        raise RaceError(_unknown(key))


def _own_seed(racer: RacerConfig, racers: list[RacerConfig], race_seed: int) -> int | None:
    """The seed a new racer draws its batches from: its own if it has one; with "own batches" (some
    racer has its own seed) the first of race seed + 1, + 2, … no racer uses; else the race's (None)."""
    used = {r.seed for r in racers if r.seed is not None}
    if racer.seed is not None or not used:
        return racer.seed
    k = 1
    while (race_seed + k) % (MAX_SEED + 1) in used:
        k += 1
    return (race_seed + k) % (MAX_SEED + 1)


def _unknown(key: str) -> object:
    from engine.messages import msg

    return msg("there is no racer {key} in this race", key=repr(key))


def replay(config: SessionConfig, surface: Surface, keys: Iterable[str] | None = None, **kw: int) -> dict:
    """Every enabled racer of ``config`` run to its step limit with its edits: key → Trajectory."""
    race = Race(config, max_rows=kw.get("max_rows", config.steps + 1))
    race.start(config, surface)
    while not race.at_end():
        race.advance(config.steps)
    wanted = set(keys) if keys is not None else None
    return {k: run.trajectory() for k, run in race.runs().items() if wanted is None or k in wanted}


def replay_racer(config: SessionConfig, surface: Surface, key: str, steps: int, max_rows: int) -> Trajectory:
    """Racer ``key`` run again to ``steps`` with its edits at their steps, keeping up to ``max_rows``
    rows (every 2nd, 4th, … step past that, the last exact): what a thinned record exports."""
    run = run_for(config, config.racer(key), surface, max_rows=max_rows)
    pending = sorted(config.edits_of(key), key=lambda e: e.after_step)
    while not run.done and run.t < steps:
        advance_run(run, min(CATCH_UP_STEPS, steps - run.t), pending)
    return run.trajectory()


# -- the record the views draw ---------------------------------------------------------------------
#: Steps each side of the looked-at step that ``RaceRecord.exact_around`` keeps exact: the
#: inspector reads a step and the one before it, and the timeline's arrow keys move by one.
EXACT_AROUND = 64


def recompute_rows(
    config: SessionConfig,
    surface: Surface,
    key: str,
    first: int,
    last: int,
    checkpoint: Checkpoint | None = None,
) -> Chunk:
    """Racer ``key``'s rows for steps ``first`` … ``last`` (≥ 1), bit for bit as its race made them.

    From ``checkpoint`` (a state the race reached at or before ``first − 1``) or from the start,
    the run skips to ``first − 1`` recording nothing, then records; ``config``'s edits apply at
    their steps, as in the race.
    """
    run = run_for(config, config.racer(key), surface, max_rows=max(last - first + 2, 16))
    pending = sorted(config.edits_of(key), key=lambda e: e.after_step)
    if checkpoint is not None and checkpoint.step > 0:
        run.resume(checkpoint)
        # an edit at the checkpoint's own step may be in its state already: applying it again
        # changes nothing (``Run.update`` only recomputes what a changed value affects)
        pending = [e for e in pending if e.after_step >= checkpoint.step]
    advance_run(run, first - 1 - run.t, pending, record=False)
    return advance_run(run, last - run.t, pending)


class RaceRecord:
    """What the views draw of a race: each racer's bounded ``RacerRecord``, by key, in race order.

    Fed in order, on the thread that draws, with the events and chunks the race reported
    (``take_event``, ``take_chunks``); the race's runs stay with whoever drives it. Its
    ``config`` is the race as last reported, so it always matches ``racers``. Exact rows where a
    learner looks are recomputed on demand from the checkpoints the chunks brought.
    """

    def __init__(self, config: SessionConfig | None = None) -> None:
        self.config = config or SessionConfig()
        self.surface: Surface | None = None
        self.generation = 0
        self.racers: dict[str, RacerRecord] = {}

    def take_event(self, event: Event) -> None:
        """A reset starts every record afresh; racers added or removed gain or lose theirs."""
        self.config = event.config
        if isinstance(event, RaceReset):
            self.generation = event.generation
            self.surface = event.surface
            self.racers = {s.key: _new_record(s) for s in event.starts}
        elif isinstance(event, RacersChanged):
            for key in event.removed:
                self.racers.pop(key, None)
            for start, chunk in event.added:
                record = _new_record(start)
                if chunk is not None and len(chunk):
                    record.append(chunk)
                self.racers[start.key] = record
            order = [r.key for r in event.config.racers]
            self.racers = {k: self.racers[k] for k in order if k in self.racers}

    def take_chunks(self, generation: int, chunks: Iterable[tuple[str, Chunk]]) -> bool:
        """Append a worker's chunks to the records; False for a stale race's rows."""
        if generation != self.generation:
            return False
        for key, chunk in chunks:
            record = self.racers.get(key)
            if record is None:
                continue
            # rows go on from the record's newest (a thinned chunk's first row may be steps later);
            # a racer taken out and put back has a new record: rows of its old run are dropped
            follows = int(chunk.step[0]) > record.last_step if len(chunk) else _ends_here(chunk, record)
            if follows:
                record.append(chunk, thin=False)
        # one record thinned per chunk: many at once would stall a frame (RacerRecord.append)
        over = [r for r in self.racers.values() if r.over_cap]
        if over:
            max(over, key=len).thin()
        return True

    def last_step(self) -> int:
        return max((r.last_step for r in self.racers.values()), default=0)

    def exact_around(self, step: int, keys: Iterable[str] | None = None, radius: int = EXACT_AROUND) -> bool:
        """Rows near ``step`` made exact in each record (recomputed where thinned); True if any changed."""
        if self.surface is None:
            return False
        changed = False
        for key in list(self.racers) if keys is None else keys:
            record = self.racers.get(key)
            if record is None:
                continue
            first = max(1, step - radius)
            last = min(record.last_step, step + radius)
            if first > last or record.has_steps(first, last):
                continue
            rows = recompute_rows(
                self.config, self.surface, key, first, last, record.checkpoint_before(first - 1)
            )
            record.merge_exact(rows)
            changed = True
        return changed


def _ends_here(chunk: Chunk, record: RacerRecord) -> bool:
    """An empty chunk that says the run stopped where the record ends: the step after the last
    would have overflowed (diverged, step ``last + 1``), or the run converged. At 1× every tick is
    one step, so every divergence came this way, and dropping it left the racer "running" at its
    last finite step for good."""
    if chunk.status == record.status or chunk.status not in (CONVERGED, DIVERGED):
        return False
    return chunk.diverged_at is None or chunk.diverged_at == record.last_step + 1


def _new_record(start: RacerStart) -> RacerRecord:
    record = RacerRecord(start.start, start.loss0)
    record.status = start.status
    return record
