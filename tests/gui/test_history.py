"""The window's record of each racer: the engine's own rows, bounded, newest row always kept."""

from __future__ import annotations

import numpy as np
import pytest

from engine.simulate import Chunk, Run, simulate
from engine.trajectory import Trajectory
from gui.history import FIELDS_2D, SLACK, RacerHistory
from gui.worker import thin_chunk


def _history_from_chunks(
    run: Run, sizes: list[int], max_rows: int, max_chunk_rows: int = 10**9
) -> RacerHistory:
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=max_rows)
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
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=20)
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
    history = RacerHistory((0.0, 0.0), 1.0, max_rows=max_rows)
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
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=1000)
    history.append(run.advance(1500), thin=False)
    assert len(history) == 1501 and history.over_cap
    history.thin()
    assert len(history) <= 1000 and not history.over_cap and history.last_step == 1500
    history.append(run.advance(3 * SLACK), thin=False)  # past the slack it thins anyway
    assert len(history) <= 1000
