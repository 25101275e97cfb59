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
    ConfigError,
    Edit,
    RacerConfig,
    SessionConfig,
    _unique_key,
    free_color,
    too_many_racers,
)
from engine.losses import Surface
from engine.record import NAMES, thin_rows
from engine.simulate import Chunk, Run, run_for


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
        if f.name not in ("status", "diverged_at")
    }
    return Chunk(**arrays, status=chunks[-1].status, diverged_at=chunks[-1].diverged_at)


#: A racer added mid-run catches up in pieces of this many steps, each thinned to
#: ``CATCH_UP_ROWS`` rows, so a racer added at step 10 million costs little memory.
CATCH_UP_STEPS = 65_536
CATCH_UP_ROWS = 2048


def thin_chunk(chunk: Chunk, max_rows: int) -> Chunk:
    """Every 2ᵏ-th step of a long chunk, plus its last row (status and current point stay exact):
    ``engine.record.thin_rows``, the rule every record thins by."""
    if len(chunk) <= max_rows:
        return chunk
    idx, _stride = thin_rows(chunk.step, max_rows)
    return replace(chunk, **{name: getattr(chunk, name)[idx] for name in ("step", *NAMES)})


def advance_run(run: Run, n: int, pending: list[Edit]) -> Chunk:
    """``n`` steps of ``run``, applying each pending edit exactly after its step (consumed)."""
    parts = []
    end = run.t + n
    while True:
        while pending and pending[0].after_step <= run.t:
            edit = pending.pop(0)
            run.update(schedule=edit.schedule, **edit.hyperparameters)
        if run.t >= end or run.done:
            break
        stop = min(end, pending[0].after_step) if pending else end
        parts.append(run.advance(stop - run.t))
    return concat_chunks(parts) if parts else run.advance(0)


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
            event = RaceReset(config, tuple(starts), self.generation)
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

    def advance(self, n: int) -> list[tuple[str, Chunk]]:
        """Up to ``n`` more steps of every running racer, never past the step limit."""
        out = []
        with self._lock:
            limit = self._config.steps
            for key, run in self._runs.items():
                k = min(n, limit - run.t)
                if k > 0 and not run.done:
                    out.append((key, advance_run(run, k, self._pending[key])))
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
            key = _unique_key(racer.optimizer, taken)
            color = free_color(racer.optimizer, {r.color for r in racers})
            racer = replace(racer, key=key, color=color)
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
            piece = advance_run(run, min(CATCH_UP_STEPS, target - run.t), self._pending[racer.key])
            pieces.append(thin_chunk(piece, CATCH_UP_ROWS))
        return start, concat_chunks(pieces) if pieces else None

    def duplicate(self, key: str, **changes: float | str) -> str:
        """ "Race again with…": a copy of racer ``key`` (its current settings) right after it."""
        with self._lock:
            current = self.current()
            if key not in current:
                raise RaceError(_unknown(key))
            source = current[key].with_values(**changes)
            index = list(current).index(key) + 1
        return self.add(replace(source, key="", color="", label=""), index)

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
