"""A new loss reaches the window together with its race, never before it."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt

from engine.config import RacerConfig, SessionConfig
from gui.worker import RaceWorker
from tests.gui.conftest import ENGINE_TIMEOUT_MS


def test_the_surface_of_a_new_race_is_sent_after_its_runs_exist(qtbot) -> None:
    """Opening a session on a data loss showed the new contour for seconds (its kernels loading)
    under the old race's legend, table and trails: the surface was sent before the runs were made.
    Watched in the worker's own thread (a direct connection), when the surface is sent the race
    already races the new configuration's racers."""
    worker = RaceWorker()
    seen: list[tuple[str, list[str]]] = []

    def at_emit(payload) -> None:  # runs in the worker thread, at the moment of the emit
        if payload.config is not None:
            seen.append((payload.surface.spec(), sorted(worker.race.runs())))

    worker.surface_ready.connect(at_emit, Qt.ConnectionType.DirectConnection)
    worker.start()
    try:
        first = SessionConfig()
        with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            worker.configure(first)
        second = replace(
            first,
            loss="rosenbrock",
            racers=(RacerConfig(optimizer="sgd", key="a"), RacerConfig(optimizer="adam", key="b")),
        )
        with qtbot.waitSignal(worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            worker.configure(second)
    finally:
        worker.stop()
        qtbot.waitUntil(worker.isFinished, timeout=ENGINE_TIMEOUT_MS)
    assert seen[0] == (first.loss, sorted(r.key for r in first.racers))
    assert seen[1] == ("rosenbrock", ["a", "b"])
