"""The Maps dock in the window: it maps the selected racer, a click races that start or setting,
and a lesson with a map opens it."""

from __future__ import annotations

import numpy as np
import pytest

from engine.maps import DIVERGED
from gui.main_window import MainWindow

TIMEOUT_MS = 120_000


def _open_maps(qtbot, window: MainWindow, grid: int = 64) -> list:
    seen: list = []
    window.maps.panel.worker.picture_ready.connect(lambda r, p, f: seen.append((r, p, f)))
    window.maps.panel.grid.setCurrentIndex(window.maps.panel.grid.findData(grid))
    action = next(a for a in window.view_menu.actions() if a.text() == "Maps")
    assert action.shortcut().toString() == "Ctrl+M"
    action.trigger()
    qtbot.waitUntil(window.maps.isVisible, timeout=5000)
    qtbot.waitUntil(lambda: bool(seen) and seen[-1][2], timeout=TIMEOUT_MS)
    return seen


def test_the_maps_dock_maps_the_selected_racer(qtbot, window: MainWindow) -> None:
    seen = _open_maps(qtbot, window)
    request = window.maps.panel._request
    selected = window.racers[window.controls.selected]
    assert request.optimizer == selected.optimizer and request.kind == "basin"
    assert request.hyperparameters == dict(selected.hyperparameters)
    assert request.loss == window.config.loss and request.steps == window.config.steps
    result, picture, _ = seen[-1]
    assert result.rows_done == 64 and (picture.rgba[..., 3] == 255).all()
    assert window.maps.width() <= 0.4 * window.width()  # the race keeps most of the window


def test_a_basin_pixel_becomes_the_start(qtbot, window: MainWindow) -> None:
    _open_maps(qtbot, window)
    with qtbot.waitSignal(window.race.reset, timeout=TIMEOUT_MS):
        window.maps.start_chosen.emit(1.25, -0.5)
    assert window.config.start == (1.25, -0.5)


def test_a_hyperparameter_pixel_races_as_a_new_racer(qtbot, window: MainWindow) -> None:
    _open_maps(qtbot, window)
    key = window.controls.selected
    before = list(window.racers)
    source = window.racers[key]
    names = list(source.hyperparameters)[:2]
    values = (0.0123, source.hyperparameters[names[1]]) if len(names) == 2 else (0.0123,)
    with qtbot.waitSignal(window.race.racers_changed, timeout=TIMEOUT_MS):
        if len(names) == 2:
            window.maps.setting_chosen.emit(names[0], values[0], names[1], values[1])
        else:
            pytest.skip("the selected racer has one hyperparameter")
    added = [k for k in window.racers if k not in before]
    assert len(added) == 1
    new = window.racers[added[0]]
    assert new.optimizer == source.optimizer and new.hyperparameters[names[0]] == 0.0123
    assert window.controls.selected == added[0]


def test_the_step_size_lesson_opens_its_eta_kappa_map(qtbot, window: MainWindow) -> None:
    lesson = next(lesson for lesson in window.lessons if lesson.id == "step-size-edge")
    seen: list = []
    window.maps.panel.worker.picture_ready.connect(lambda r, p, f: seen.append((r, p, f)))
    window.open_lesson(lesson)
    qtbot.waitUntil(window.maps.isVisible, timeout=5000)
    qtbot.waitUntil(
        lambda: bool(seen) and seen[-1][2] and seen[-1][0].y.name == "condition" and seen[-1][0].y.n == 128,
        timeout=TIMEOUT_MS,
    )
    result = seen[-1][0]
    assert (result.x.name, result.x.log, result.y.log) == ("lr", True, True)
    lr, kappa = np.meshgrid(result.x.values, result.y.values)
    assert (result.status[lr > 1.3 * 2 / kappa] == DIVERGED).mean() > 0.9
    # clicking a pixel changes κ for the race and races that η as a new racer
    before = set(window.racers)
    with qtbot.waitSignal(window.race.reset, timeout=TIMEOUT_MS):
        window.maps.setting_chosen.emit("lr", 0.3, "condition", 20.0)
    qtbot.waitUntil(lambda: len(set(window.racers) - before) == 1, timeout=TIMEOUT_MS)
    assert window.config.loss_params["condition"] == 20.0
    [added] = set(window.racers) - before
    assert window.racers[added].hyperparameters["lr"] == 0.3


def test_a_map_of_a_typed_loss_compiles_nothing_in_the_windows_process(qtbot, window: MainWindow) -> None:
    """numba holds the GIL while it compiles: a batch runner built for the formula held the window
    for seconds, beyond the compile child's limits. The map runs on the shared typed-loss runner."""
    from numba.core import event
    from PySide6.QtCore import Qt

    import engine._fn_batch
    import engine._fn_steps  # noqa: F401  (compiled once for every formula, as a filled cache has them)

    text = "x^2 + 3*y^2 + 0.37*cos(2*x*y)"
    with event.install_recorder("numba:compile") as compiles:
        with qtbot.waitSignal(
            window.worker.surface_ready, timeout=TIMEOUT_MS, check_params_cb=lambda p: p.config is not None
        ):
            edit = window.controls.expression_edit
            edit.setText(text)
            qtbot.keyClick(edit, Qt.Key_Return)
        seen = _open_maps(qtbot, window)
    assert [ev for _, ev in compiles.buffer] == []
    result = seen[-1][0]
    assert window.maps.panel._request.loss == window.config.loss and window.surface.expression == text
    assert result.rows_done == 64 and np.isfinite(result.final_loss).any()
