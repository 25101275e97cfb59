"""Each racer's drawing record (engine.record.RacerRecord) and the race's record (engine.race.RaceRecord):
the engine's own rows, bounded, the newest row and the first steps always kept, and any step made
exact again on demand from a checkpoint, bit for bit as the race computed it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from engine import get_loss
from engine.config import RacerConfig, SessionConfig
from engine.race import Race, RaceRecord, recompute_rows, replay, thin_chunk
from engine.record import EXACT_FIRST, MAX_CHECKPOINTS, SLACK, VECTOR_NAMES
from engine.record import RacerRecord as RacerHistory
from engine.simulate import Chunk, Run, simulate
from engine.trajectory import Trajectory

FIELDS_2D = VECTOR_NAMES


def _history_from_chunks(
    run: Run, sizes: list[int], max_rows: int, max_chunk_rows: int = 10**9
) -> RacerHistory:
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=max_rows, exact_first=0)
    for n in sizes:
        history.append(thin_chunk(run.advance(n), max_chunk_rows))
    return history


def _assert_rows_are_the_engines(history: RacerHistory, ref: Trajectory) -> None:
    rows = history.step
    np.testing.assert_array_equal(history.loss, ref.loss[rows])
    for name in FIELDS_2D:
        np.testing.assert_array_equal(history.vec(name), getattr(ref, name)[rows])


@pytest.mark.parametrize("chunk_rows", [10**9, 64])  # as the worker sends them: whole, or thinned
def test_kept_rows_are_exact_engine_rows_bounded_and_end_at_the_newest_step(chunk_rows: int) -> None:
    sizes = [1, 7, 300, 1, 999, 2000, 13, 1500]
    ref = simulate("rosenbrock", "adam", (-1.5, 2.0), sum(sizes), tol=0.0, lr=0.01)
    run = Run("rosenbrock", "adam", (-1.5, 2.0), tol=0.0, lr=0.01)
    history = _history_from_chunks(run, sizes, max_rows=100, max_chunk_rows=chunk_rows)
    assert len(history) <= 100
    assert history.last_step == sum(sizes) == ref.steps
    assert history.step[0] == 0 and np.all(np.diff(history.step) > 0)
    _assert_rows_are_the_engines(history, ref)
    # all but the newest row lie on the stride: the plots' points are evenly spread
    assert history.stride > 1
    assert np.all(history.step[:-1] % history.stride == 0)


def test_a_diverged_step_is_kept_whatever_the_stride() -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, lr=0.2005)  # just past stable: slow divergence
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=20, exact_first=0)
    while not run.done:
        history.append(run.advance(37))
    assert history.status == "diverged"
    # the record ends at the last finite point; the step after it is where it blew up
    assert history.last_step == run.t == history.diverged_at - 1
    assert history.last_step % history.stride  # off the thinned grid, and kept all the same
    ref = simulate("quadratic", "sgd", (2.0, 1.0), run.t, tol=0.0, lr=0.2005)
    np.testing.assert_array_equal(history.vec("w")[-1], ref.w[-1])
    assert history.loss[-1] == ref.loss[-1] > 1e300


def test_ten_million_steps_stay_within_the_cap() -> None:
    """The window's memory for a 10-million-step run: rows and capacity stay bounded."""
    max_rows = 5_000
    history = RacerHistory((0.0, 0.0), 1.0, max_rows=max_rows, exact_first=0)
    block = 65_536  # the worker's steps per tick at full speed, thinned like the worker thins them
    for start in range(1, 10_000_000, block):
        steps = np.arange(start, min(start + block, 10_000_001), dtype=np.int64)
        rows = np.column_stack([steps, -steps]).astype(float)
        full = Chunk(steps, rows, steps.astype(float), rows, rows, rows, rows, rows, "finished", None)
        history.append(thin_chunk(full, 2048))
        assert len(history) <= max_rows
        assert history._step.shape[0] <= max_rows + SLACK
    assert history.last_step == 10_000_000
    np.testing.assert_array_equal(history.vec("w")[:, 0], history.step)  # rows stay whole
    np.testing.assert_array_equal(history.loss[1:], history.step[1:])
    assert history.step[0] == 0
    gaps = np.diff(history.step[:-1])
    assert gaps.min() == gaps.max() == history.stride  # evenly thinned


def test_thinning_can_wait_its_turn_but_not_forever() -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, lr=1e-4)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=1000, exact_first=0)
    history.append(run.advance(1500), thin=False)
    assert len(history) == 1501 and history.over_cap
    history.thin()
    assert len(history) <= 1000 and not history.over_cap and history.last_step == 1500
    history.append(run.advance(3 * SLACK), thin=False)  # past the slack it thins anyway
    assert len(history) <= 1000


def test_the_first_steps_stay_exact_and_whole_while_the_rest_thins() -> None:
    ref = simulate("rosenbrock", "adam", (-1.5, 2.0), 20_000, tol=0.0, lr=0.01)
    run = Run("rosenbrock", "adam", (-1.5, 2.0), tol=0.0, lr=0.01)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=500, exact_first=EXACT_FIRST)
    for _ in range(40):
        history.append(thin_chunk(run.advance(500), 64))  # thinned chunks keep the first steps too
    assert history.stride >= 32
    n = EXACT_FIRST + 1
    np.testing.assert_array_equal(history.step[:n], np.arange(n))  # every first step
    assert len(history) <= 500 + n + 1
    later = history.step[n:-1]
    assert np.all(later % history.stride == 0)
    _assert_rows_are_the_engines(history, ref)


# -- exact rows on demand ----------------------------------------------------------------------------
def _edited_race(steps: int) -> tuple[Race, SessionConfig]:
    """Adam and two RMSprops, with mid-run edits of η, β and the schedule, run in uneven chunks."""
    racers = (
        RacerConfig("adam", {"lr": 0.05}),
        RacerConfig("rmsprop", {"lr": 0.01, "beta": 0.5}),
        RacerConfig("rmsprop", {"lr": 0.01, "beta": 0.99}),
    )
    config = SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=steps, racers=racers, tol=0.0)
    race = Race(config)
    record = RaceRecord(config)
    race.subscribe(record.take_event)
    race.start(config, get_loss("rosenbrock"))
    sizes = iter([1, 7, 5000, 3, 20_000, 999] * 1000)
    edited = False
    while not race.at_end():
        chunks = [(k, thin_chunk(c, 256)) for k, c in race.advance(next(sizes))]  # as the worker sends them
        record.take_chunks(race.generation, chunks)
        if not edited and race.step() > 10_000:
            keys = list(race.current())
            race.edit(
                keys[0], race.current()[keys[0]].with_values(lr=0.02, schedule="exponential:gamma=0.999")
            )
            race.edit(keys[2], race.current()[keys[2]].with_values(beta=0.9))
            edited = True
    return race, record


def test_any_step_is_recomputed_bit_for_bit_from_the_records_checkpoints() -> None:
    race, record = _edited_race(60_000)
    full = replay(race.config, get_loss("rosenbrock"))
    for key, history in record.racers.items():
        ref = full[key]
        assert len(history) < 5_000 and not history.has_steps(1, 60_000)  # thinned: 60,000 steps raced
        _assert_rows_are_the_engines(history, ref)
        assert 0 < len(history.checkpoints) <= MAX_CHECKPOINTS
        for step in (1, 5_001, 10_250, 33_333, 59_990, 60_000):  # before, at and after the edits
            record.exact_around(step, [key], radius=3)
            assert history.has_steps(max(1, step - 3), min(step + 3, 60_000))
            i = history.row_at_step(step)
            assert history.step[i] == step and history.step[i - 1] == step - 1
            _assert_rows_are_the_engines(history, ref)  # merged in order, every row still the engine's
        assert history.pinned == (59_997, 60_000)


def test_recomputing_from_the_start_or_any_checkpoint_gives_the_same_rows() -> None:
    race, record = _edited_race(30_000)
    ref = replay(race.config, get_loss("rosenbrock"))
    assert {e.after_step for e in race.config.edits} == {25_011}
    for key, history in record.racers.items():
        # the one taken right before the edits (made between two chunks) and those after them
        assert {25_011, 26_018} <= {cp.step for cp in history.checkpoints}
        for cp in (None, *history.checkpoints):
            if cp is not None and cp.step > 28_000:
                continue
            rows = recompute_rows(race.config, get_loss("rosenbrock"), key, 28_001, 28_050, cp)
            np.testing.assert_array_equal(rows.step, np.arange(28_001, 28_051))
            for name in ("loss", *FIELDS_2D):
                np.testing.assert_array_equal(getattr(rows, name), getattr(ref[key], name)[28_001:28_051])


def test_pinned_rows_survive_thinning_until_the_look_moves_on() -> None:
    run = Run("quadratic", "momentum", (2.0, 1.0), tol=0.0, lr=1e-4)
    config = SessionConfig(
        loss="quadratic",
        start=(2.0, 1.0),
        steps=10**6,
        racers=(RacerConfig("momentum", {"lr": 1e-4}),),
        tol=0.0,
    )
    ref_run = Run("quadratic", "momentum", (2.0, 1.0), tol=0.0, lr=1e-4, max_rows=100_001)
    ref_run.advance(100_000)
    ref = ref_run.trajectory()
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=200, exact_first=10)
    for _ in range(10):
        chunk = run.advance(5_000)
        history.append(replace(thin_chunk(chunk, 64), checkpoints=(run.checkpoint(),)))
    key = config.racers[0].key
    history.merge_exact(
        recompute_rows(config, get_loss("quadratic"), key, 12_340, 12_350, history.checkpoint_before(12_339))
    )
    for _ in range(10):
        history.append(thin_chunk(run.advance(5_000), 64))
    assert history.stride > 64 and history.has_steps(12_340, 12_350)
    _assert_rows_are_the_engines(history, ref)
    history.merge_exact(recompute_rows(config, get_loss("quadratic"), key, 777, 779))
    history.append(thin_chunk(run.advance(5_000), 64))
    history.thin()
    assert not history.has_steps(12_340, 12_350)  # no longer looked at: thinned like the rest
    assert history.has_steps(777, 779)


def test_checkpoints_stay_bounded_and_keep_the_newest() -> None:
    history = RacerHistory((0.0, 0.0), 1.0)
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0, lr=1e-5)
    for _ in range(3 * MAX_CHECKPOINTS):
        run.advance(3)
        history.add_checkpoints((run.checkpoint(),))
    assert MAX_CHECKPOINTS // 2 <= len(history.checkpoints) <= MAX_CHECKPOINTS
    assert history.checkpoints[-1].step == run.t
    steps = [cp.step for cp in history.checkpoints]
    assert steps == sorted(steps)
    assert history.checkpoint_before(10).step <= 10 and history.checkpoint_before(0) is None


def test_a_thinned_advance_sends_the_engines_rows_on_one_stride_in_bounded_pieces() -> None:
    """Flat out the worker asks for thinned rows: stepped in pieces, they are the rows thinning the
    whole chunk would keep (the engine's own numbers, edits at their steps), never all at once."""
    racers = (RacerConfig("adam", {"lr": 0.05}), RacerConfig("rmsprop", {"lr": 0.01, "beta": 0.5}))
    config = SessionConfig(loss="rosenbrock", start=(-1.5, 2.0), steps=200_000, racers=racers, tol=0.0)
    ref = replay(config, get_loss("rosenbrock"))
    race = Race(config)
    race.start(config, get_loss("rosenbrock"))
    race.advance(1_000)
    race.edit("adam", race.current()["adam"].with_values(lr=0.01))
    ref = replay(race.config, get_loss("rosenbrock"))
    for n in (65_536, 3, 60_000, 73_461):
        for key, chunk in race.advance(n, 2048):
            whole_steps = np.arange(chunk.step[-1] - n + 1, chunk.step[-1] + 1)
            assert len(chunk) <= 2048 + EXACT_FIRST + 1
            np.testing.assert_array_equal(chunk.step[:-1], thin_chunk_steps(whole_steps, 2048)[:-1])
            assert chunk.step[-1] == whole_steps[-1]  # the current point
            for name in ("loss", *FIELDS_2D):
                np.testing.assert_array_equal(getattr(chunk, name), getattr(ref[key], name)[chunk.step])
            assert chunk.checkpoints[-1].step == chunk.step[-1]


def thin_chunk_steps(steps: np.ndarray, max_rows: int) -> np.ndarray:
    from engine.record import thin_rows

    if steps.size <= max_rows:
        return steps
    return steps[thin_rows(steps, max_rows, pinned=steps <= EXACT_FIRST)[0]]


def test_a_noisy_racers_steps_are_recomputed_with_the_same_draws() -> None:
    """A stochastic gradient (noise from the seed) is recomputed exactly too: same draws at each step."""
    config = SessionConfig(
        loss="rosenbrock", start=(-1.5, 2.0), steps=30_000, racers=(RacerConfig("adam"),), tol=0.0, noise=0.5
    )
    ref = replay(config, get_loss("rosenbrock"))["adam"]
    exact = simulate("rosenbrock", "adam", (-1.5, 2.0), 30_000, tol=0.0)
    assert not np.array_equal(ref.w, exact.w)  # the noise is on
    for cp in (None, _checkpoint_at(config, 12_345)):
        rows = recompute_rows(config, get_loss("rosenbrock"), "adam", 20_001, 20_010, cp)
        for name in ("loss", *FIELDS_2D):
            np.testing.assert_array_equal(getattr(rows, name), getattr(ref, name)[20_001:20_011])


def _checkpoint_at(config: SessionConfig, step: int) -> object:
    race = Race(config)
    race.start(config, get_loss(config.loss))
    race.advance(step)
    return race.runs()["adam"].checkpoint()
