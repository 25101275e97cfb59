"""The contour's trails: a cached body and a fresh tip that together are the recorded path."""

from __future__ import annotations

import numpy as np
import pytest

from engine.simulate import Run
from gui.history import RacerHistory
from gui.views.contour import MAX_TRAIL_POINTS, ContourView
from tests.gui.conftest import shown


@pytest.fixture
def view(qtbot):
    return shown(qtbot, ContourView(), (600, 500))


def _trail(view: ContourView, name: str) -> np.ndarray:
    racer = view._racers[name]
    parts = [np.column_stack(item.getData()) for item in (racer.body, racer.tip)]
    body, tip = parts
    assert np.array_equal(body[-1], tip[0])  # the tip starts where the body ends: no gap
    return np.vstack([body, tip[1:]])


def _expected(history: RacerHistory, end: int) -> np.ndarray:
    w = history.vec("w")[:end]
    stride = end // MAX_TRAIL_POINTS + 1
    rows = list(range(0, end, stride))
    if rows[-1] != end - 1:
        rows.append(end - 1)
    return w[rows]


def test_body_and_tip_draw_the_recorded_path_as_it_grows_thins_and_is_scrubbed(view) -> None:
    run = Run("rosenbrock", "adam", (-1.5, 2.0), tol=0.0, lr=0.01)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=20_000)
    view.set_racers({"adam": "Adam"}, run.start)
    for n in (1, 1, 5, 40, 90, 150, 3, 700, 9_000, 5_000, 30_000, 1):
        history.append(run.advance(n))
        view.update_racers({"adam": history})
        np.testing.assert_array_equal(_trail(view, "adam"), _expected(history, len(history)))
    assert history.stride > 1  # the record was thinned on the way
    for step in (5, 20_000, 40_000, history.last_step):  # the timeline cursor, back and forth
        view.update_racers({"adam": history}, cursor=step)
        end = history.row_at_step(step) + 1
        np.testing.assert_array_equal(_trail(view, "adam"), _expected(history, end))
        assert view.marker_position("adam") == tuple(history.vec("w")[end - 1])


def test_an_unchanged_record_sets_no_new_data(view) -> None:
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]))
    view.set_racers({"sgd": "SGD"}, run.start)
    history.append(run.advance(50))
    view.update_racers({"sgd": history})
    tip = view._racers["sgd"].tip
    before = tip.getData()[0]
    view.update_racers({"sgd": history})
    assert tip.getData()[0] is before  # the same arrays: nothing was set, nothing repaints
