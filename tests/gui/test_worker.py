"""The worker on its own: chunks are thinned, wait in a bounded mailbox, never hold it back."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine.config import SessionConfig
from engine.record import EXACT_FIRST
from engine.simulate import Run
from gui.worker import MAX_ROWS_PER_CHUNK, MAX_WAITING_ROWS, ChunkMailbox, RaceWorker, thin_chunk
from tests.gui.conftest import ENGINE_TIMEOUT_MS


@pytest.fixture
def worker(qtbot):
    w = RaceWorker()
    w.start()
    yield w
    w.stop()
    qtbot.waitUntil(w.isFinished, timeout=ENGINE_TIMEOUT_MS)


def test_a_window_that_takes_nothing_in_never_holds_the_worker_back(worker, qtbot) -> None:
    """Flat out with nobody taking the rows: the worker keeps computing (it never waits for the
    window), one signal says rows wait, and what waits stays bounded and ends at the engine's
    current step; taking it empties the mailbox and the next rows signal again."""
    signals: list[int] = []
    worker.chunks_ready.connect(lambda: signals.append(1))
    with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        worker.configure(replace(SessionConfig(), tol=0.0, steps=100_000_000))
    generation = worker.race.generation
    worker.set_speed(math.inf)
    worker.set_playing(True)
    qtbot.waitUntil(
        lambda: min(r.t for r in worker.race.runs().values()) > 50 * MAX_WAITING_ROWS, timeout=60_000
    )
    assert len(signals) == 1
    # each racer: at most what a re-thinning keeps (its first steps whole) plus one tick's chunk
    assert 0 < len(worker.mailbox) <= 5 * (MAX_WAITING_ROWS + EXACT_FIRST + MAX_ROWS_PER_CHUNK)
    worker.set_playing(False)
    qtbot.waitUntil(lambda: not worker._playing, timeout=5000)
    batch = worker.take_chunks(generation)
    assert [key for key, _ in batch] == [r.key for r in worker.race.config.racers]  # every racer, in order
    assert len(batch) == 5
    for key, chunk in batch:
        run = worker.race.runs()[key]
        assert chunk.step[0] == 1 and chunk.step[-1] == run.t  # from the first step to the newest
        assert np.all(np.diff(chunk.step) > 0)
        np.testing.assert_array_equal(chunk.w[-1], run.point)
    assert len(worker.mailbox) == 0 and not worker.take_chunks(generation)
    with qtbot.waitSignal(worker.chunks_ready, timeout=5000):
        worker.step_once()
    assert len(signals) == 2
    assert worker.take_chunks(generation + 1) == []  # a newer race's window: the old rows go
    assert len(worker.mailbox) == 0


def test_a_new_surfaces_race_reaches_the_window_only_with_its_picture_made(
    worker, qtbot, monkeypatch
) -> None:
    """While a new loss's contour picture is computed (and, before, a kernel loaded), the window
    must keep showing the old race: the race's reset went out first, and the window showed the
    new racers and their losses on the old contour for as long as that took (once 60 s, a
    kernel compiling). Now nothing is told before the picture; then the reset and the surface
    go out back to back."""
    from engine.race import RaceReset
    from gui import worker as worker_module

    told: list[str] = []  # what the window was told, in order
    worker.race.subscribe(lambda event: told.append("reset") if isinstance(event, RaceReset) else None)
    worker.surface_ready.connect(lambda _payload: told.append("surface"), Qt.ConnectionType.DirectConnection)
    seen_at_load: list[list[str]] = []
    original_picture = worker_module.RaceWorker._surface_payload

    def picture(*args: object) -> object:
        seen_at_load.append(list(told))
        return original_picture(*args)

    monkeypatch.setattr(worker_module.RaceWorker, "_surface_payload", staticmethod(picture))
    with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        worker.configure(SessionConfig())
    assert told == ["reset", "surface"] and seen_at_load == [[]]
    told.clear(), seen_at_load.clear()
    with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        worker.configure(replace(SessionConfig(), loss="rosenbrock"))
    assert told == ["reset", "surface"] and seen_at_load == [[]]


def test_the_mailbox_keeps_a_newer_races_rows_until_the_window_knows_that_race() -> None:
    run = Run("quadratic", "adam", (-3.5, 1.5), tol=0.0)
    box = ChunkMailbox()
    assert box.put(2, [("adam", run.advance(3))])
    assert not box.put(2, [("adam", run.advance(2))])  # already told
    assert box.take(1) == []  # the window still shows race 1: the rows wait
    batch = box.take(2)
    assert batch.generation == 2 and [len(c) for _, c in batch] == [5]
    np.testing.assert_array_equal(batch[0][1].step, [1, 2, 3, 4, 5])


def test_a_long_chunk_is_thinned_to_every_2k_th_step_and_its_last() -> None:
    run = Run("quadratic", "adam", (-3.5, 1.5), tol=0.0)
    first = thin_chunk(run.advance(10_000), MAX_ROWS_PER_CHUNK)
    # the first steps come whole (the records keep them exact), the rest on the stride
    np.testing.assert_array_equal(first.step[:EXACT_FIRST], np.arange(1, EXACT_FIRST + 1))
    assert len(first) <= EXACT_FIRST + MAX_ROWS_PER_CHUNK + 1
    chunk = run.advance(10_000)
    thin = thin_chunk(chunk, MAX_ROWS_PER_CHUNK)
    assert len(thin) <= MAX_ROWS_PER_CHUNK + 2
    # the first row stays: it tells the window the chunk follows the step it has
    assert thin.step[0] == chunk.step[0] == 10_001
    stride = int(thin.step[2] - thin.step[1])
    assert stride & (stride - 1) == 0 and stride > 1  # a power of two
    assert np.all(thin.step[1:-1] % stride == 0) and thin.step[-1] == chunk.step[-1]
    rows = np.searchsorted(chunk.step, thin.step)
    for name in ("w", "loss", "grad", "G", "M", "lr", "dw"):
        np.testing.assert_array_equal(getattr(thin, name), getattr(chunk, name)[rows])
    assert thin_chunk(chunk, 20_000) is chunk  # short enough: untouched


def test_a_flat_out_tick_takes_at_least_min_steps_and_at_most_max_per_racer() -> None:
    """A racer takes at least MIN_STEPS_PER_TICK: shorter ticks were all per-racer overhead, and
    twelve racers fell to 1/14 of their rate among five; unless those cost more than MAX_TICK_CPU
    (twelve racers on data ran 0.2 s ticks, and a Pause waited). Cheap steps stop at
    MAX_STEPS_PER_TICK."""
    from engine.config import RacerConfig
    from engine.simulate import surface_for
    from gui.worker import MAX_STEPS_PER_TICK, MAX_TICK_CPU, MIN_STEPS_PER_TICK

    config = SessionConfig(
        loss="quadratic", steps=100_000_000, tol=0.0, racers=(RacerConfig("sgd"), RacerConfig("adam"))
    )
    worker = RaceWorker()
    worker.race.start(config, surface_for(config))
    worker._started, worker._playing, worker._speed = True, True, math.inf
    worker._per_step = 1e-6  # as if a step had cost a microsecond: 20,000 fit the budget…
    worker._tick()
    assert [run.t for run in worker.race.runs().values()] == [20_000] * 2
    worker._per_step = 1.4e-6  # …1.4: 14,285, fewer than the least a racer takes…
    worker._tick()
    assert [run.t for run in worker.race.runs().values()] == [20_000 + MIN_STEPS_PER_TICK] * 2
    worker._per_step = 1e-3  # …unless the least takes more than MAX_TICK_CPU (Pause waits for it)
    worker._tick()
    t = 20_000 + MIN_STEPS_PER_TICK + round(MAX_TICK_CPU / 1e-3)
    assert [run.t for run in worker.race.runs().values()] == [t] * 2
    worker._per_step = 1e-12
    worker._tick()
    assert [run.t for run in worker.race.runs().values()] == [t + MAX_STEPS_PER_TICK] * 2
    assert 0 < worker._per_step < 1.0  # measured again from the tick's own CPU time
    assert len(worker.mailbox) > 0


def test_a_pause_flat_out_waits_for_at_most_about_a_frame_of_steps_however_dear() -> None:
    """A Pause (any command) waits for the tick the worker is in. Twelve racers on the penguins'
    logistic loss cost ≈ 12.8 µs a step of all (the full-data L of each kept row): ticks planned at
    80 ms of CPU took 0.1–0.3 s on a busy two-core machine before the racers stopped. A flat-out
    tick plans at most about a frame (1/30 s) of the worker's CPU, whatever the steps cost."""
    from engine.config import RacerConfig
    from engine.simulate import surface_for

    config = SessionConfig(loss="quadratic", steps=100_000_000, tol=0.0, racers=(RacerConfig("sgd"),))
    worker = RaceWorker()
    worker.race.start(config, surface_for(config))
    worker._started, worker._playing, worker._speed = True, True, math.inf
    for per_step in (12.8e-6, 4e-6, 1e-3, 0.01):  # twelve on data, five on data, dearer still
        before = worker.race.step()
        worker._per_step = per_step
        worker._tick()
        taken = worker.race.step() - before
        assert taken >= 1 and taken * per_step <= 1 / 30, per_step


def test_flat_out_on_data_a_tick_keeps_the_rows_whose_loss_fits_in_its_share() -> None:
    """On a data loss each kept row costs a full-data L (≈ 6 µs on the penguins): 2,048 rows a racer
    were most of a tick, and ticks short enough for a prompt Pause kept every step (a third of the
    steps/s). The worker measures a row's L (``Run.fill_cpu``) and keeps no more rows a racer than
    take ROWS_SHARE of MAX_TICK_CPU, at least about MIN_ROWS_PER_TICK; cheap rows (the bowl's) stay at
    MAX_ROWS_PER_CHUNK."""
    from engine.config import RacerConfig
    from engine.data import DataSpec
    from engine.simulate import surface_for
    from gui.worker import MIN_ROWS_PER_TICK

    spec = DataSpec("penguins", "logistic", "bill_length_mm", "species", True, "Gentoo")
    config = SessionConfig(
        data=spec, batch_size=32, steps=100_000_000, tol=0.0, racers=(RacerConfig("sgd"), RacerConfig("adam"))
    )
    worker = RaceWorker()
    worker.race.start(config, surface_for(config))
    worker.race.advance(EXACT_FIRST, MAX_ROWS_PER_CHUNK)  # past the first steps, always kept whole
    worker._started, worker._playing, worker._speed = True, True, math.inf
    generation = worker.race.generation

    def tick(per_row: float) -> list[int]:
        worker._per_step, worker._per_row = 1e-6, per_row
        worker._tick()
        return [len(chunk) for _, chunk in worker.take_chunks(generation)]

    assert worker._rows_per_tick() == MAX_ROWS_PER_CHUNK  # nothing measured yet
    tick(0.0)
    assert worker._per_row > 0  # measured from the tick's deferred L
    # dear rows: the least (on a power-of-two stride: half to all of them), and the newest step
    assert all(MIN_ROWS_PER_TICK // 2 < r <= MIN_ROWS_PER_TICK + 1 for r in tick(1e-3))
    # cheap ones: as many as a chunk keeps
    assert all(MAX_ROWS_PER_CHUNK // 2 < r <= MAX_ROWS_PER_CHUNK + 1 for r in tick(1e-9))


def test_flat_out_each_racers_rows_reach_the_mailbox_as_it_is_done_at_1x_all_together() -> None:
    """Flat out, a tick of 12 racers can outlast a frame: each racer's rows go to the mailbox as
    soon as they are computed (one signal, when it stops being empty), so every frame has rows to
    draw. At a set speed a tick's rows arrive together, so the racers move in the same frame."""
    from engine.config import RacerConfig
    from engine.simulate import surface_for

    config = SessionConfig(
        loss="quadratic", steps=100_000_000, tol=0.0,
        racers=(RacerConfig("sgd"), RacerConfig("adam"), RacerConfig("rmsprop")),
    )  # fmt: skip
    worker = RaceWorker()
    worker.race.start(config, surface_for(config))
    worker._started, worker._playing = True, True
    puts: list[list[str]] = []
    signals: list[int] = []
    original = worker.mailbox.put
    worker.mailbox.put = lambda generation, chunks: (
        puts.append([k for k, _ in chunks]) or original(generation, chunks)
    )
    worker.chunks_ready.connect(lambda: signals.append(1))
    worker._speed = math.inf
    worker._tick()
    assert puts == [["sgd"], ["adam"], ["rmsprop"]] and signals == [1]
    worker.take_chunks(worker.race.generation)
    puts.clear()
    worker._speed, worker._carry = 60.0, 0.0
    worker._ticked_at = worker._clock() - 1 / 60
    worker._tick()  # one step at 60 steps a second
    assert puts == [["sgd", "adam", "rmsprop"]] and signals == [1, 1]


@pytest.fixture
def clocked_worker(qtbot):
    """A worker whose clock the test moves (``now[0]``), set before its thread reads it."""
    now = [1000.0]
    w = RaceWorker()
    w._clock = lambda: now[0]
    w.start()
    yield w, now
    w.stop()
    qtbot.waitUntil(w.isFinished, timeout=ENGINE_TIMEOUT_MS)


def test_at_a_set_speed_each_frame_the_window_asks_for_gets_one_ticks_rows(clocked_worker, qtbot) -> None:
    """While the window asks on each frame, a set speed ticks once a frame with the steps due since
    the last (frames 1/30 s apart at 60 steps/s: two steps each), not on its own 60 Hz clock
    (two ticks a frame, each racer's Python twice, and one or three ticks a frame as clocks drift)."""
    worker, now = clocked_worker  # its clock stands still between frames
    puts: list[list[int]] = []
    original = worker.mailbox.put
    worker.mailbox.put = lambda generation, chunks: (
        puts.append([len(chunk) for _, chunk in chunks]) or original(generation, chunks)
    )
    with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        worker.configure(replace(SessionConfig(), tol=0.0, steps=100_000_000))
    worker.set_speed(60.0)
    worker.set_playing(True)
    qtbot.waitUntil(lambda: len(puts) == 1)  # Play moves the racers at once: one period's step
    assert puts == [[1] * 5]
    for frame in range(1, 31):
        now[0] += 1 / 30
        worker.frame()
        qtbot.waitUntil(lambda frame=frame: len(puts) == frame + 1)
    assert puts[1:] == [[2] * 5] * 30
    assert [run.t for run in worker.race.runs().values()] == [61] * 5
    worker.set_playing(False)
    qtbot.waitUntil(lambda: not worker._playing)
    worker.frame()  # paused: a frame computes nothing
    now[0] += 1.0
    worker.step_once()
    qtbot.waitUntil(lambda: len(puts) == 32)
    assert puts[-1] == [1] * 5


def _playing_at(speed: float, start: float) -> tuple[RaceWorker, list[float]]:
    """A worker (its thread not started) racing SGD on the bowl at ``speed``, just set playing
    at the time ``now[0] = start`` of a clock the test moves; its ticks are the test's calls."""
    from engine.config import RacerConfig
    from engine.simulate import surface_for

    config = SessionConfig(loss="quadratic", steps=100_000_000, tol=0.0, racers=(RacerConfig("sgd"),))
    worker = RaceWorker()
    worker.race.start(config, surface_for(config))
    now = [start]
    worker._clock = lambda: now[0]
    worker._started, worker._speed = True, speed
    worker._set_playing(True)
    return worker, now


def test_without_frames_a_set_speed_ticks_on_its_own_clock_and_never_catches_up_a_stall() -> None:
    """No window asking (or one stalled for longer than FRAME_TIMEOUT): the worker ticks every
    period itself; a tick after a long gap computes at most MAX_LAG beyond one period's steps."""
    from gui.worker import FRAME_TIMEOUT, MAX_LAG

    worker, now = _playing_at(10.0, 50.0)
    assert worker._tick() == 50.1  # Play: one step now, the next a period later
    assert worker.race.step() == 1
    now[0] = 50.1
    assert worker._tick() == pytest.approx(50.2) and worker.race.step() == 2
    now[0] = 60.0  # ten seconds without a tick: only a period and MAX_LAG of them are made up,
    ticks = 1  # a period's steps a tick, the next at once
    while worker._tick() == now[0]:
        ticks += 1
    assert worker.race.step() == 2 + int(10 * (0.1 + MAX_LAG) + 1e-9) and ticks == 3
    worker._framed_at = now[0] - FRAME_TIMEOUT / 2  # a window asked recently: it drives the ticks
    assert worker._tick() == now[0] + FRAME_TIMEOUT


def test_frames_asked_while_a_tick_runs_do_not_pile_up_before_a_pause() -> None:
    """A tick longer than a frame (twelve racers on data at a high set speed) must not let the
    window's frames queue up: at most one waits, and a Pause comes right after it."""
    worker = RaceWorker()  # its thread not started: the queue is what this test reads
    for _ in range(10):
        worker.frame()
    worker.set_playing(False)
    assert [worker._queue.get_nowait()[0] for _ in range(worker._queue.qsize())] == ["frame", "pause"]
    worker._frame_asked = False  # the thread took the frame: the next one is asked again
    worker.frame()
    assert worker._queue.get_nowait()[0] == "frame"


def test_a_set_speed_the_machine_cannot_keep_up_with_is_caught_up_in_short_ticks() -> None:
    """Twelve racers on data at 100,000 steps/s cost more than a second a second: one tick of all
    that was due took 1.5–2 s and a Pause waited for it. A tick takes at most a frame's steps and
    about MAX_SPEED_BUDGET of CPU, the rest at once in the next (after any command), and no more
    than MAX_LAG's steps wait."""
    from gui.worker import MAX_LAG, MAX_SPEED_BUDGET

    worker, now = _playing_at(100_000.0, 10.0)
    worker._per_step = 1e-3  # as if a step cost a millisecond
    assert worker._tick() == 10.0  # behind: the next tick at once
    assert worker.race.step() == round(MAX_SPEED_BUDGET / 1e-3)
    now[0] = 20.0  # ten seconds on: only a period and MAX_LAG of the steps wait
    worker._per_step = 1e-3
    worker._tick()
    assert worker.race.step() == 2 * round(MAX_SPEED_BUDGET / 1e-3)
    assert worker._carry <= 100_000 * (1 / 60 + MAX_LAG)
    worker._speed, worker._carry = 60.0, 0.0  # a speed it keeps up with: a period's step, on time
    worker._ticked_at = now[0] - 1 / 60
    assert worker._tick() == now[0] + 1 / 60
