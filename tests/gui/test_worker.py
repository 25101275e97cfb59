"""The worker on its own: chunks are thinned, and never pile up behind a slow window."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from engine.config import SessionConfig
from engine.record import EXACT_FIRST
from engine.simulate import Run
from gui.worker import MAX_IN_FLIGHT, MAX_ROWS_PER_CHUNK, RaceWorker, thin_chunk
from tests.gui.conftest import ENGINE_TIMEOUT_MS


@pytest.fixture
def worker(qtbot):
    w = RaceWorker()
    w.start()
    yield w
    w.stop()
    qtbot.waitUntil(w.isFinished, timeout=ENGINE_TIMEOUT_MS)


def test_a_window_that_takes_nothing_in_gets_at_most_two_chunks(worker, qtbot) -> None:
    received: list[int] = []
    worker.chunks_ready.connect(lambda chunks: received.append(len(chunks)))
    with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        worker.configure(replace(SessionConfig(), tol=0.0, steps=100_000_000))
    worker.set_speed(math.inf)
    worker.set_playing(True)
    qtbot.waitUntil(lambda: len(received) >= MAX_IN_FLIGHT, timeout=ENGINE_TIMEOUT_MS)
    qtbot.wait(400)  # flat out: hundreds of chunks' worth of steps, were nothing holding it back
    assert len(received) == MAX_IN_FLIGHT
    for _ in range(3):
        worker.chunk_taken()
    qtbot.waitUntil(lambda: len(received) == MAX_IN_FLIGHT + 3, timeout=5000)
    qtbot.wait(200)
    assert len(received) == MAX_IN_FLIGHT + 3
    worker.set_playing(False)


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
