"""The live window as a learner uses it: play, pause, step, reset, edit, click, close."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from engine import simulate
from gui.main_window import SPEEDS
from tests.gui.conftest import ENGINE_TIMEOUT_MS, close_and_join

#: The lecture's race, in its order (typed out, not imported: the test pins what a first start shows).
DEFAULT_RACERS = ["sgd", "momentum-lecture", "adagrad", "rmsprop", "adam-lecture"]


def wait_steps(qtbot, window, n: int, timeout: int = 20_000) -> None:
    qtbot.waitUntil(
        lambda: all(h.last_step >= n or h.status != "finished" for h in window.histories.values()),
        timeout=timeout,
    )


def press_step(window, qtbot, times: int = 1) -> None:
    """Press Step ``times`` times, each time waiting for the worker's chunk."""
    for _ in range(times):
        with qtbot.waitSignal(window.worker.chunks_ready, timeout=5000):
            window.step_action.trigger()


def test_window_starts_with_the_default_race(window) -> None:
    assert list(window.histories) == DEFAULT_RACERS
    assert window.surface.name == "quadratic"
    assert window.status_table.rowCount() == 5
    assert all(len(h) == 1 for h in window.histories.values())
    assert window.windowTitle() == "Optimizer Lab"


def test_the_first_start_follows_the_lecture_slowly(window) -> None:
    """The list shows the lecture's five rules by name, all ticked, Adam (lecture) selected, and
    the race plays slowly enough to follow: 10 steps a second, so the first 50 steps take 5 s."""
    items = [window.controls.racer_list.item(i) for i in range(window.controls.racer_list.count())]
    shown = [(item.text(), item.checkState() == Qt.Checked) for item in items]
    assert shown == [
        ("SGD", True),
        ("Momentum (lecture)", True),
        ("AdaGrad", True),
        ("RMSprop", True),
        ("Adam (lecture)", True),
    ]
    assert window.controls.selected == "adam-lecture"
    speed = SPEEDS[window.speed_slider.value()]
    assert 50 / speed == 5.0
    assert window.speed_label.text() == "10 steps/s (1×)"
    assert window.worker._speed == speed  # what the worker plays at, not only what the label says


def test_step_button_advances_every_racer_by_one(window, qtbot) -> None:
    press_step(window, qtbot)
    assert all(h.last_step == 1 for h in window.histories.values())
    window._redraw()
    assert window.status_table.item(0, 1).text() == "1"


def test_the_state_column_says_ready_then_paused_and_running_only_while_playing(window, qtbot) -> None:
    """It said "running" at step 0 before Play, with nothing moving."""
    window._redraw()
    assert [window.status_table.item(r, 4).text() for r in range(5)] == ["ready"] * 5
    press_step(window, qtbot)
    window._redraw()
    assert window.status_table.item(0, 4).text() == "paused"
    window.status_table.update_racers(window.histories, window.config.steps, playing=True)
    assert window.status_table.item(0, 4).text() == "running"


def test_play_then_pause_stops_the_stream(window, qtbot) -> None:
    window.speed_slider.setValue(SPEEDS.index(600))
    with qtbot.waitSignal(window.worker.playing_changed, timeout=5000):
        window.play_action.trigger()
    wait_steps(qtbot, window, 30)
    with qtbot.waitSignal(window.worker.playing_changed, timeout=5000) as blocker:
        window.play_action.trigger()
    assert blocker.args == [False]
    qtbot.wait(100)
    steps = [h.last_step for h in window.histories.values()]
    qtbot.wait(300)
    assert [h.last_step for h in window.histories.values()] == steps
    assert window.play_action.text() == "Play"


def test_a_pause_draws_the_paused_frame_as_soon_as_the_worker_says_it_stopped(window, qtbot) -> None:
    """The learner presses Pause and sees the race stopped at once: the frame that shows it paused
    (every plot, the table saying "paused" at the newest step) is drawn when the worker says it
    stopped, not at the redraw timer's next tick, up to a frame later (stopped here: it never comes)."""
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    window.controls.steps_spin.setValue(10_000_000)
    with qtbot.waitSignal(window.worker.playing_changed, timeout=5000):
        window.play_action.trigger()
    qtbot.waitUntil(lambda: window.race.last_step() > 3000, timeout=20_000)
    window.redraw_timer.stop()
    try:
        with qtbot.waitSignal(window.worker.playing_changed, timeout=5000) as blocker:
            window.play_action.trigger()
        assert blocker.args == [False] and not window.playing
        assert not window._dirty
        newest = window.race.last_step()
        assert newest > 3000 and not window.worker._playing
        steps = [window.status_table.item(r, 1).text().replace(",", "") for r in range(5)]
        assert str(newest) in steps
        assert "running" not in [window.status_table.item(r, 4).text() for r in range(5)]
    finally:
        window.redraw_timer.start()


def test_streamed_numbers_are_the_engines(window, qtbot) -> None:
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    window.controls.steps_spin.setValue(150)
    with qtbot.waitSignal(window.worker.race_finished, timeout=20_000):
        window.play_action.trigger()
    window._redraw()
    for name, history in window.histories.items():
        ref = simulate(
            "quadratic",
            name,
            window.start_point,
            150,
            tol=window.config.tol,
            **window.racers[name].hyperparameters,
        )
        assert history.last_step == ref.steps
        np.testing.assert_array_equal(history.vec("w"), ref.w)
        np.testing.assert_array_equal(history.vec("lr"), ref.lr)
        np.testing.assert_array_equal(history.vec("G"), ref.G)
        np.testing.assert_array_equal(history.loss, ref.loss)
        # what the per-weight panel plots is exactly the recorded rate (rows 1…)
        x, y = window.panels.curve_data(name, "lr", 1)
        np.testing.assert_array_equal(x, ref.step[1:])
        np.testing.assert_array_equal(y, ref.lr[1:, 1])


def test_flat_out_the_window_takes_in_thinned_chunks_to_the_last_step(window, qtbot) -> None:
    """At maximum speed a tick computes thousands of steps, sent thinned: every racer still
    reaches the step limit in the window, ending on the engine's own last point."""
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.apply_config(replace(window.config, tol=0.0, steps=60_000), keep_surface=True)
    with qtbot.waitSignal(window.worker.race_finished, timeout=60_000):
        window.play_action.trigger()
    for name, history in window.histories.items():
        ref = simulate(
            "quadratic", name, window.start_point, 60_000, tol=0.0, **window.racers[name].hyperparameters
        )
        assert history.last_step == ref.steps == 60_000
        assert len(history) < ref.steps  # it came thinned
        np.testing.assert_array_equal(history.vec("w")[-1], ref.w[-1])
        rows = np.searchsorted(ref.step, history.step)
        np.testing.assert_array_equal(history.loss, ref.loss[rows])


def test_hyperparameter_change_mid_run_applies_from_next_step(window, qtbot) -> None:
    press_step(window, qtbot, 3)
    window.controls.select_racer("sgd")
    field = window.controls._hyper_fields["lr"]
    field.setText("0.0123")
    field.editingFinished.emit()
    assert window.racers["sgd"].hyperparameters["lr"] == 0.0123
    press_step(window, qtbot)
    lr = window.histories["sgd"].vec("lr")
    assert lr[3, 0] == 0.05 and lr[4, 0] == 0.0123
    w = window.histories["sgd"].vec("w")
    g = window.histories["sgd"].vec("grad")
    np.testing.assert_array_equal(w[4], w[3] - 0.0123 * g[4])


def test_bad_hyperparameter_shows_message_and_changes_nothing(window) -> None:
    window.controls.select_racer("rmsprop")
    before = dict(window.racers["rmsprop"].hyperparameters)
    field = window.controls._hyper_fields["beta"]
    field.setText("1.5")
    field.editingFinished.emit()
    message = window.controls.hyper_error.text()
    assert "beta" in message and "[0, 1)" in message
    assert window.racers["rmsprop"].hyperparameters == before


def test_click_on_contour_sets_the_start(window, qtbot) -> None:
    vb = window.contour.plot.vb
    scene_point = vb.mapViewToScene(QPointF(-2.0, 1.0))
    pos = window.contour.mapFromScene(scene_point)
    with qtbot.waitSignal(window.worker.race_reset, timeout=5000) as blocker:
        qtbot.mouseClick(window.contour.viewport(), Qt.LeftButton, pos=pos)
    start = blocker.args[0][0].start
    assert start == pytest.approx((-2.0, 1.0), abs=0.05)
    assert window.controls.start_x.value() == pytest.approx(start[0])


def test_diverging_optimizer_is_reported_while_others_go_on(window, qtbot) -> None:
    window.controls.select_racer("sgd")
    field = window.controls._hyper_fields["lr"]
    field.setText("50")
    field.editingFinished.emit()
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    window.controls.steps_spin.setValue(400)
    with qtbot.waitSignal(window.worker.race_finished, timeout=20_000):
        window.play_action.trigger()
    window._redraw()
    sgd = window.histories["sgd"]
    assert sgd.status == "diverged"
    assert np.all(np.isfinite(sgd.vec("w")))
    assert window.status_table.item(0, 4).text() == f"diverged at step {sgd.diverged_at}"
    assert window.histories["adam-lecture"].last_step == 400


def test_reset_goes_back_to_step_zero(window, qtbot) -> None:
    press_step(window, qtbot)
    with qtbot.waitSignal(window.worker.race_reset, timeout=5000):
        window.reset_action.trigger()
    assert all(len(h) == 1 for h in window.histories.values())


def test_bad_expression_keeps_the_surface(window, qtbot) -> None:
    with qtbot.waitSignal(window.worker.error, timeout=ENGINE_TIMEOUT_MS) as blocker:
        window.controls.expression_edit.setText("x^2 + z")
        window.controls.expression_edit.returnPressed.emit()
    assert blocker.args[0] == "loss"
    assert "z" in window.controls.loss_error.text()
    assert window.surface.name == "quadratic"
    assert window.config.loss == "quadratic"


def test_close_mid_run_joins_the_worker(qtbot, isolated_settings) -> None:
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()
    w.speed_slider.setValue(SPEEDS.index(math.inf))
    with qtbot.waitSignal(w.worker.playing_changed, timeout=5000):
        w.play_action.trigger()
    qtbot.wait(200)
    w.close()
    assert w.worker.isFinished()


def test_settings_remember_the_configuration(qtbot, isolated_settings) -> None:
    from gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.race.add("nadam")
    first.race.edit(first.racers["nadam"].with_values(lr=0.02))
    twin = first.race.duplicate("rmsprop")
    first.race.edit(first.racers[twin].with_values(beta=0.5))
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.racers["nadam"].enabled
    assert second.racers["nadam"].hyperparameters["lr"] == 0.02
    assert second.racers["rmsprop#2"].hyperparameters["beta"] == 0.5  # a second RMSprop, remembered
    assert list(second.racers) == [
        "sgd",
        "momentum-lecture",
        "adagrad",
        "rmsprop",
        "rmsprop#2",
        "adam-lecture",
        "nadam",
    ]
    second.close()


def test_inspector_shows_the_picked_step_with_recorded_numbers(window, qtbot) -> None:
    from engine.explain import format_number

    window.controls.select_racer("adagrad")
    window._racer_selected("adagrad")
    press_step(window, qtbot, 6)
    window._redraw()  # the plots show step 6 before the learner clicks one at step 4
    window.panels.step_picked.emit(4)
    window._redraw()
    assert window.timeline.cursor == 4
    assert window.bottom_tabs.currentWidget() is window.inspector
    text = window.inspector.toPlainText()
    history = window.histories["adagrad"]
    assert "AdaGrad, step 4" in text
    assert f"= {format_number(history.vec('G')[4, 0])}" in text
    assert format_number(history.vec("dw")[4, 1], signed=True) in text
    # the contour markers sit at step 4, not at the newest step
    assert window.contour.marker_position("adagrad") == tuple(history.vec("w")[4])


def test_inspector_uses_the_settings_in_effect_at_that_step(window, qtbot) -> None:
    window.controls.select_racer("sgd")
    window._racer_selected("sgd")
    press_step(window, qtbot)
    field = window.controls._hyper_fields["lr"]
    field.setText("0.02")
    field.editingFinished.emit()
    press_step(window, qtbot)
    # a frame is drawn before the learner moves the timeline: only then does it reach step 2 (the
    # window's redraw timer does this ~30 times a second; on a loaded machine it had not yet, so
    # set_cursor(1) was clamped to 0 and the inspector showed the start)
    window._redraw()
    window.bottom_tabs.setCurrentWidget(window.inspector)
    window.timeline.set_cursor(1)
    window._redraw()
    assert "0.05" in window.inspector.toPlainText()
    assert "match" not in window.inspector.toPlainText()
    window.timeline.set_cursor(2)
    window._redraw()
    assert "0.02" in window.inspector.toPlainText()


def test_every_lesson_opens_and_plays(window, qtbot) -> None:
    assert len(window.lessons) >= 10
    for lesson in window.lessons:
        with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
            window.open_lesson(lesson)
        assert window.left_tabs.currentWidget() is window.lesson_panel
        assert window.config.loss == lesson.config.loss
        assert window.config.data == lesson.config.data
        enabled = [r.key for r in lesson.config.racers if r.enabled]  # "sgd", "sgd#2": one optimizer twice
        assert sorted(window.histories) == sorted(enabled)
        assert not window.playing  # the learner reads first
    with qtbot.waitSignal(window.worker.playing_changed, timeout=ENGINE_TIMEOUT_MS) as blocker:
        window.lesson_panel.play_requested.emit()
    assert blocker.args == [True]
    wait_steps(qtbot, window, 5)
    window.play_action.trigger()


def test_watch_hint_points_at_its_plot(window) -> None:
    window.highlight("lr")
    assert window.panels.plots["lr"].vb.background.isVisible()
    window.highlight("inspector")
    assert window.bottom_tabs.currentWidget() is window.inspector


def test_changing_the_surface_mid_run_restarts_the_race_on_it(window, qtbot) -> None:
    window.speed_slider.setValue(SPEEDS.index(math.inf))
    with qtbot.waitSignal(window.worker.playing_changed, timeout=5000):
        window.play_action.trigger()
    wait_steps(qtbot, window, 50)
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.choose_loss("rosenbrock")
    assert window.surface.name == "rosenbrock"
    assert window.config.loss == "rosenbrock"
    assert all(len(h) == 1 for h in window.histories.values())
    assert all(h.vec("w")[0].tolist() == [-1.2, 1.0] for h in window.histories.values())
    assert not window.playing


def test_a_typed_loss_replaces_the_surface_and_shows_as_custom(window, qtbot) -> None:
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.controls.expression_edit.setText("log(1 + (x^2 + y^2 - 1)^2)")
        window.controls.expression_edit.returnPressed.emit()
    assert window.surface.expression == "log(1 + (x^2 + y^2 - 1)^2)"
    assert window.controls.surface_combo.currentData() == "__custom__"
    assert window.controls.loss_error.text() == ""
    press_step(window, qtbot)
    adam = window.racers["adam-lecture"]
    ref = simulate(window.surface, "adam-lecture", window.start_point, 1, **adam.hyperparameters)
    np.testing.assert_array_equal(window.histories["adam-lecture"].vec("w"), ref.w)


def test_the_readout_never_covers_the_start_or_the_racers(window, qtbot) -> None:
    """A start under the readout's corner (the default start is top left, where it used to sit)."""
    window.resize(1366, 768)
    qtbot.wait(50)
    window._redraw()
    contour = window.contour
    vb = contour.plot.vb
    box = contour.readout.sceneBoundingRect()
    under = vb.mapSceneToView(box.center())
    with qtbot.waitSignal(window.worker.race_reset, timeout=5000):
        contour.start_picked.emit(float(under.x()), float(under.y()))
    press_step(window, qtbot, 8)
    window._redraw()
    box = contour.readout.sceneBoundingRect()
    start = vb.mapViewToScene(QPointF(*window.start_point))
    assert window.start_point == pytest.approx((under.x(), under.y()), abs=1e-3)  # rounded for display
    assert not box.contains(start)
    for name in window.histories:
        x, y = contour.marker_position(name)
        assert not box.contains(vb.mapViewToScene(QPointF(x, y))), name


def test_a_resized_window_grids_the_surface_over_what_it_now_shows(window, qtbot) -> None:
    """Blank bands beside the surface after a resize (the plot's aspect is locked) were a bug."""
    window.resize(1366, 768)
    qtbot.wait(600)
    with qtbot.waitSignal(window.worker.surface_ready, timeout=5000):
        window.resize(900, 900)
    qtbot.wait(50)
    view = window.contour.current_view()
    image = window.contour.image
    rect = image.mapRectToParent(image.boundingRect())
    assert (rect.left(), rect.right(), rect.top(), rect.bottom()) == pytest.approx(view, rel=1e-6, abs=1e-9)


def test_a_saved_view_comes_back_filled_with_the_surface(qtbot, isolated_settings) -> None:
    """A restart used to show the saved view's grid with blank bands around it."""

    from gui.main_window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    first.race.update(view=(-3.8, 0.8, -1.8, 2.8))
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.resize(1366, 768)
    second.show()
    with qtbot.waitSignal(second.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        second.start_engine()
    contour, image = second.contour, second.contour.image

    def filled() -> bool:
        view = contour.current_view()
        rect = image.mapRectToParent(image.boundingRect())
        have = (rect.left(), rect.right(), rect.top(), rect.bottom())
        return all(abs(a - b) < 1e-9 for a, b in zip(view, have, strict=True))

    qtbot.waitUntil(filled, timeout=5000)
    x0, x1, y0, y1 = contour.current_view()
    # the saved window is all in view, widened on one axis only (the aspect is 1:1)
    assert x0 <= -3.8 and x1 >= 0.8 and y0 <= -1.8 and y1 >= 2.8
    assert min(abs(x0 + 3.8) + abs(x1 - 0.8), abs(y0 + 1.8) + abs(y1 - 2.8)) < 1e-6
    close_and_join(qtbot, second)


def test_the_contours_auto_button_resets_the_view_to_the_surface(window, qtbot) -> None:
    window.contour.set_view((-1e154, 1e154, -1e154, 1e154))  # as if fitted to a runaway trail
    with qtbot.waitSignal(window.worker.surface_ready, timeout=5000):
        window.contour.plot.autoBtn.clicked.emit(window.contour.plot.autoBtn)
    x0, x1, y0, y1 = window.contour.current_view()
    sx0, sx1, sy0, sy1 = window.surface.view
    assert x0 <= sx0 and x1 >= sx1 and y0 <= sy0 and y1 >= sy1
    assert max(x1 - x0, y1 - y0) < 4 * max(sx1 - sx0, sy1 - sy0)
    assert window.config.view is None or window.config.view == pytest.approx(window.contour.current_view())


def test_sgds_step_arrow_does_not_hide_the_gradient_arrow(window, qtbot) -> None:
    """Δw = −η·g lies along −g: at one length one arrow covered the other and its label."""
    window.controls.select_racer("sgd")
    window._racer_selected("sgd")
    press_step(window, qtbot, 3)
    window._redraw()
    grad, dw = window.contour.arrows["grad"], window.contour.arrows["dw"]
    assert grad.line.isVisible() and dw.line.isVisible()
    gx, gy = grad.line.getData()
    dx, dy = dw.line.getData()
    assert (gx[0], gy[0]) == (dx[0], dy[0])  # both from the current point…
    direction_g = np.arctan2(gy[1] - gy[0], gx[1] - gx[0])
    direction_d = np.arctan2(dy[1] - dy[0], dx[1] - dx[0])
    assert direction_g == pytest.approx(direction_d, abs=1e-9)  # …the same way…
    assert math.hypot(dx[1] - dx[0], dy[1] - dy[0]) < 0.7 * math.hypot(gx[1] - gx[0], gy[1] - gy[0])
    assert grad.text.pos() != dw.text.pos()  # …and their labels apart


def test_the_readout_is_compact_on_a_narrow_plot(window, qtbot) -> None:
    window.resize(1920, 1080)
    qtbot.wait(50)
    window._dirty = True
    window._redraw()
    assert "η=0.05" in window.contour.readout.textItem.toPlainText()
    wide = window.contour.readout.boundingRect().width()
    window.resize(1000, 700)
    qtbot.wait(50)
    window._redraw()
    assert window.contour.plot.vb.width() < 430
    text = window.contour.readout.textItem.toPlainText()
    assert "η=" not in text and "step 0" in text and "L=" in text
    assert window.contour.readout.boundingRect().width() < 0.8 * wide


def test_on_a_plot_narrower_than_the_legend_names_are_cut_and_every_loss_is_whole(window, qtbot) -> None:
    """Beside the Data dock at 1024×768 the plot cut the legend's box: every loss read "L=0"."""
    from gui.main_window import READOUT_MARGIN_PX
    from gui.panels.status import fmt

    window.resize(760, 600)
    contour = window.contour
    qtbot.waitUntil(lambda: 0 < contour.plot.vb.width() < 230)
    press_step(window, qtbot, 3)
    window._dirty = True
    window._redraw()
    box = contour.readout.boundingRect()
    assert box.width() <= contour.plot.vb.width() - 2 * READOUT_MARGIN_PX
    text = contour.readout.textItem.toPlainText()
    for h in window.histories.values():
        assert f"L={fmt(float(h.loss[-1]))}" in text  # whole
    assert "…" in text or "Momentum (lecture)" not in text  # the names gave way
    window.resize(1366, 768)  # room again: the whole names
    qtbot.waitUntil(lambda: contour.plot.vb.width() > 400)
    window._dirty = True
    window._redraw()
    assert "Momentum (lecture)" in contour.readout.textItem.toPlainText()


@pytest.mark.parametrize(
    ("available", "size", "maximized"),
    [
        ((1920, 1040), (1366, 768), False),
        ((1382, 816), (1366, 768), False),
        ((1366, 728), (1350, 680), True),  # a 1366×768 lab screen with a task bar
        ((1024, 768), (1008, 720), True),
    ],
)
def test_a_first_window_fits_its_screen(available, size, maximized) -> None:
    from PySide6.QtCore import QSize

    from gui.main_window import first_size

    got, maximize = first_size(QSize(*available))
    assert (got.width(), got.height(), maximize) == (*size, maximized)


def test_a_window_without_saved_geometry_is_fitted_a_restored_one_is_not(qtbot, isolated_settings) -> None:
    from gui.main_window import MainWindow

    first = MainWindow()  # the offscreen screen is 800×800: no room for 1366×768
    qtbot.addWidget(first)
    first.fit_screen()
    assert first.windowState() & Qt.WindowState.WindowMaximized
    first.setWindowState(Qt.WindowState.WindowNoState)
    first.resize(760, 600)
    first.close()
    second = MainWindow()
    qtbot.addWidget(second)
    second.fit_screen()
    assert not second.windowState() & Qt.WindowState.WindowMaximized
    assert (second.width(), second.height()) == (760, 600)
    second.close()


def test_until_the_engine_is_ready_the_contour_says_so_and_nothing_stray(qtbot, isolated_settings) -> None:
    """A cold start takes seconds: the plot said nothing and showed arrows at (0, 0) meanwhile."""
    from gui.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    contour = w.contour
    assert not w.controls.isEnabled()  # its start point is not known yet
    assert not contour.readout.isVisible() and not contour.glyph.isVisible()
    assert not any(item.isVisible() for a in contour.arrows.values() for item in (a.line, a.head, a.text))
    assert contour.current_view() == pytest.approx((-4.0, 4.0, -4.0, 4.0), abs=0.5)
    w._busy("compiling…")  # as the worker says while it loads the kernels
    assert contour.notice.isVisible() and "Loading the optimizers" in contour.notice.toPlainText()
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()
    assert not contour.notice.isVisible()
    assert w.controls.isEnabled()
    assert w.controls.start_x.value() == w.start_point[0]
    w._busy("compiling…")  # a typed loss compiling later: the status bar says it, the plot stays clear
    assert not contour.notice.isVisible()
    close_and_join(qtbot, w)


def test_the_source_pyside_reads_at_import_is_not_kept(qtbot, isolated_settings) -> None:
    """PySide's import hook reads every new module's source; kept in linecache that was ~20 MB."""
    import linecache

    import numba

    from gui.main_window import MainWindow

    numba_file = numba.__file__
    linecache.getlines(numba_file)  # as PySide's hook does for each module imported after it
    assert numba_file in linecache.cache
    w = MainWindow()
    qtbot.addWidget(w)
    assert numba_file not in linecache.cache
    linecache.getlines(numba_file)
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()  # the worker imports the engine (numba) and drops the cache again
    assert numba_file not in linecache.cache
    close_and_join(qtbot, w)


def _status_table(qtbot, names: list[str], steps: int, lr: dict[str, float] | None = None):
    """A status table 390 pixels wide (a 1024-pixel screen's) showing ``names`` after ``steps``
    steps on the bowl (``lr``: a racer's η, else its default)."""
    from engine.simulate import Run
    from gui.history import RacerHistory
    from gui.panels.status import StatusTable

    table = StatusTable()
    qtbot.addWidget(table)
    table.set_racers(names)
    histories = {}
    for name in names:
        run = Run("quadratic", name, (-3.5, 1.5), tol=0.0, **({"lr": lr[name]} if name in (lr or {}) else {}))
        histories[name] = RacerHistory(run.start, float(run.trajectory().loss[0]))
        histories[name].append(run.advance(steps))
    table.update_racers(histories, 2000)
    table.resize(390, 160)
    table.show()
    return table, histories


def test_a_narrow_status_table_elides_names_and_keeps_the_state_in_view(qtbot) -> None:
    """On a 1024-pixel screen the State column ran off the table, behind a scroll bar."""
    table, _ = _status_table(qtbot, ["momentum", "adagrad", "rmsprop"], 1234)
    qtbot.waitUntil(
        lambda: table.columnWidth(4) >= table.fontMetrics().horizontalAdvance(table.item(0, 4).text())
    )
    last = table.columnViewportPosition(4) + table.columnWidth(4)
    assert last <= table.viewport().width()
    assert table.item(0, 0).toolTip() == "Momentum (heavy ball)"


def test_on_a_projectors_table_a_long_state_gives_way_before_the_names_do(qtbot) -> None:
    """At 1024 pixels "diverged at step 6" at its full width left every name "…"."""
    from gui.panels.status import NAME_MIN_CHARS, STATE

    table, histories = _status_table(qtbot, ["momentum", "nesterov", "adagrad"], 300, {"momentum": 5.0})
    assert histories["momentum"].status == "diverged"
    state = table.item(0, STATE).text()
    assert state.startswith("diverged at step") and table.item(0, STATE).toolTip() == state
    name_min = table.fontMetrics().averageCharWidth() * NAME_MIN_CHARS
    qtbot.waitUntil(lambda: table.columnWidth(0) >= name_min)
    # the name's start is drawn, not "…" (wrapped at its space, it was all elided)
    image = table.grab().toImage()
    top = table.viewport().y() + table.rowViewportPosition(0)
    x0 = table.viewport().x() + table.columnWidth(0) // 3
    xs = range(x0, x0 + table.columnWidth(0) // 3)
    ys = range(top + 2, top + table.rowHeight(0) - 3)  # not the grid
    pixels = [image.pixelColor(x, y) for x in xs for y in ys]
    assert sum(p.alpha() == 255 and p.lightness() < 200 for p in pixels) > 20
    assert table.columnWidth(STATE) < table.fontMetrics().horizontalAdvance(state)  # elided
    last = table.columnViewportPosition(STATE) + table.columnWidth(STATE)
    assert last <= table.viewport().width()  # no scroll bar
    table.resize(700, 160)  # room again: the whole state
    qtbot.waitUntil(lambda: table.columnWidth(STATE) >= table.fontMetrics().horizontalAdvance(state))


def test_a_thinned_step_is_recomputed_exactly_where_the_timeline_looks(window, qtbot) -> None:
    """A long run keeps only what is drawn; the step looked at comes back exact, from a checkpoint."""
    from dataclasses import replace

    from engine.explain import format_number

    key = "adam-lecture"  # the lecture's Adam, in the default race

    with qtbot.waitSignal(window.race.reset, timeout=ENGINE_TIMEOUT_MS):
        window.apply_config(replace(window.config, tol=0.0, steps=40_000), keep_surface=True)
    window.worker.advance_to(40_000)  # chunks of thousands of steps, thinned on their way
    wait_steps(qtbot, window, 40_000, timeout=60_000)
    history = window.histories[key]
    assert history.last_step == 40_000 and not history.has_steps(30_000, 30_001)
    window._dirty = True
    window._redraw()  # the timeline reaches step 40,000
    window.controls.select_racer(key)
    window._racer_selected(key)
    window.bottom_tabs.setCurrentWidget(window.inspector)
    window.timeline.set_cursor(30_001)
    window._redraw()
    assert history.has_steps(30_001 - 64, 30_001 + 64)
    racer = window.racers[key]
    ref = simulate(
        window.surface, racer.optimizer, window.start_point, 30_001, tol=0.0, **racer.hyperparameters
    )
    row = history.row_at_step(30_001)
    for name in ("w", "grad", "G", "M", "lr", "dw"):
        np.testing.assert_array_equal(history.vec(name)[row - 1 : row + 1], getattr(ref, name)[-2:])
    assert window.contour.marker_position(key) == tuple(ref.w[-1])
    text = window.inspector.toPlainText()
    assert format_number(ref.G[-1, 0]) in text and format_number(ref.dw[-1, 1], signed=True) in text
    assert "every" not in text  # no "long run: every k-th step is kept" note: this step is exact
    # an export of the window carries every step, exact, though the record kept what is drawn
    from gui.export import scene_from_window

    run = scene_from_window(window).trajectories[key]
    full = simulate(
        window.surface, racer.optimizer, window.start_point, 40_000, tol=0.0, **racer.hyperparameters
    )
    np.testing.assert_array_equal(run.step, np.arange(40_001))
    for name in ("w", "loss", "grad", "G", "M", "lr", "dw"):
        np.testing.assert_array_equal(getattr(run, name), getattr(full, name))
