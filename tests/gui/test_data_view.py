"""The data view draws what it is given (points, the model's curve, the minibatch ringed), and the
controls' gradient box turns each edit into one race-model change (batch size N means the full batch)."""

from __future__ import annotations

import numpy as np
import pytest

from gui.panels.controls import ControlPanel
from gui.views.data_view import DataView


@pytest.fixture
def view(qtbot) -> DataView:
    widget = DataView()
    qtbot.addWidget(widget)
    return widget


def test_points_model_and_batch_are_drawn_from_the_given_arrays(view: DataView) -> None:
    x = np.array([1.0, 2.0, 3.0, 4.0])
    y = np.array([2.0, 4.0, 6.0, 8.0])
    view.set_data(x, y, "flipper_length_mm", "body_mass_g")
    px, py = view.points.getData()
    assert px.tolist() == x.tolist() and py.tolist() == y.tolist()
    assert not view.half.isVisible()
    xs = view.x_range(5)
    assert xs[0] < 1.0 and xs[-1] > 4.0 and len(xs) == 5
    view.set_model(xs, 2 * xs, "#000000")
    mx, my = view.model.getData()
    assert np.array_equal(mx, xs) and np.array_equal(my, 2 * xs)
    view.set_batch(np.array([3, 1]))
    bx, by = view.batch.getData()
    assert bx.tolist() == [4.0, 2.0] and by.tolist() == [8.0, 4.0]
    view.set_batch(np.arange(4))  # the full batch: every point, none ringed
    assert len(view.batch.getData()[0]) == 0
    view.set_model(None, None)
    assert view.shown_model is None and len(view.model.getData()[0]) == 0


def test_a_minibatch_with_the_outermost_rows_leaves_the_axes_where_they_are(qtbot, view: DataView) -> None:
    """The rings are larger than the points; counted in the auto range, a batch holding an
    outermost row widened the axes by a few pixels (and the plot was drawn afresh each time)."""
    rng = np.random.default_rng(5)
    x, y = rng.normal(200.0, 15.0, 344), rng.normal(4200.0, 800.0, 344)
    view.resize(340, 330)
    view.show()
    qtbot.waitExposed(view)
    view.set_data(x, y, "flipper_length_mm", "body_mass_g")
    qtbot.waitUntil(lambda: view.plot.vb.viewRange()[0][0] < x.min())
    view.plot.vb.updateAutoRange()
    before = view.plot.vb.viewRange()
    ends = [int(np.argmin(x)), int(np.argmax(x)), int(np.argmin(y)), int(np.argmax(y))]
    for rows in ([ends[0]], [ends[1], 3], ends, [ends[3]]):
        view.set_batch(np.array(rows))
        view.plot.vb.updateAutoRange()
        assert view.plot.vb.viewRange() == before
    assert len(view.batch.getData()[0]) == 1  # the rings were drawn


def test_logistic_points_sit_in_two_bands_around_0_and_1_with_the_half_level(view: DataView) -> None:
    y = np.array([0.0, 1.0] * 10)
    view.set_data(np.arange(20.0), y, "bill_length_mm", "P(Gentoo)", logistic=True)
    _, py = view.points.getData()
    assert view.half.isVisible() and view.half.value() == 0.5
    assert np.all(np.abs(py - y) <= 0.035 + 1e-12)
    assert len(set(np.round(py[y == 0], 6))) > 1  # spread apart, the same way every time
    view.set_data(np.arange(20.0), y, "bill_length_mm", "P(Gentoo)", logistic=True)
    assert np.array_equal(view.points.getData()[1], py)


def test_a_line_off_the_plot_is_said_in_the_title(view: DataView) -> None:
    """Raw penguins: at w = (0, 0) the line y = 0 is far below 2,700–6,300 g; a plot without a line
    must not read as a missing one. On the data, or logistic, the title says nothing."""
    from engine.data import DataSpec, data_surface

    problem = data_surface(DataSpec("penguins", "linear", "flipper_length_mm", "body_mass_g")).data
    view.set_data(problem.X, problem.Y, "flipper_length_mm", "body_mass_g")
    xs = view.x_range(50)
    title = view.plot.titleLabel
    view.set_model(xs, problem.predict(0.0, 0.0, xs))
    assert view.where == "The model's line is below the data." and title.isVisible()
    assert "below the data" in title.text
    view.set_model(xs, problem.predict(0.0, 1e5, xs))
    assert "above the data" in view.where
    view.set_model(xs, problem.predict(float("nan"), 0.0, xs))
    assert "diverged" in view.where
    fit = np.linalg.lstsq(np.column_stack([problem.X, np.ones_like(problem.X)]), problem.Y, rcond=None)[0]
    view.set_model(xs, problem.predict(*fit, xs))
    assert view.where == "" and not title.isVisible()
    view.set_model(xs, problem.predict(0.0, 0.0, xs))
    view.set_model(None, None)
    assert view.where == "" and not title.isVisible()


@pytest.mark.parametrize("model", ["linear", "logistic"])
def test_a_long_title_wraps_in_a_narrow_dock_and_the_plot_stays_in_it(qtbot, view, model: str) -> None:
    """At a fifth of a 1366-px window the diverged racer's title, on one line, was wider than the
    view: pyqtgraph widened the plot to it and cut off its right part (points and ticks)."""
    from engine.data import DataSpec, data_surface

    y = "body_mass_g" if model == "linear" else "species"
    problem = data_surface(DataSpec("penguins", model, "flipper_length_mm", y, positive="Gentoo")).data
    view.resize(273, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_data(problem.X, problem.Y, "flipper_length_mm", y, logistic=model == "logistic")
    xs = view.x_range(50)
    view.set_model(xs, np.full(len(xs), np.nan))  # a diverged racer, either model
    assert view.where == "The model's weights have diverged: no line."
    from PySide6.QtWidgets import QApplication

    for _ in range(3):  # the layout requests the new title posted, and what they post in turn
        QApplication.processEvents()
    title = view.plot.titleLabel
    assert title.item.boundingRect().height() > 1.5 * title.item.document().defaultFont().pointSizeF()
    assert view.plot.sceneBoundingRect().right() <= view.viewport().width() + 0.5
    assert title.sceneBoundingRect().right() <= view.viewport().width() + 0.5
    view.resize(700, 500)  # room again: one line
    qtbot.waitUntil(lambda: title.item.textWidth() < 0)


def test_an_empty_view_says_why(view: DataView) -> None:
    view.set_data(np.arange(3.0), np.arange(3.0), "x", "y")
    view.clear_data("Pick a data loss")
    assert len(view.points.getData()[0]) == 0
    assert view.notice.isVisible() and "Pick a data loss" in view.notice.toHtml()


@pytest.fixture
def controls(qtbot) -> ControlPanel:
    panel = ControlPanel()
    qtbot.addWidget(panel)
    return panel


def test_batch_size_n_is_the_full_batch_and_each_edit_is_one_change(qtbot, controls: ControlPanel) -> None:
    controls.set_gradient(rows=342, standardize=False, batch_size=0, own_batches=False, noise=0.0, seed=7)
    assert controls.batch_spin.value() == 342 and controls.batch_spin.maximum() == 342
    assert "full batch" in controls.batch_full_label.text()
    assert controls.standardize_check.isEnabled() and controls.seed_spin.value() == 7
    with qtbot.waitSignal(controls.gradient_changed) as blocker:
        controls.batch_spin.setValue(8)
    assert blocker.args == [{"batch_size": 8}]
    assert "full batch" not in controls.batch_full_label.text()
    with qtbot.waitSignal(controls.gradient_changed) as blocker:
        controls.batch_spin.setValue(342)
    assert blocker.args == [{"batch_size": 0}]
    with qtbot.waitSignal(controls.gradient_changed) as blocker:
        controls.standardize_check.setChecked(True)
    assert blocker.args == [{"standardize": True}]
    with qtbot.waitSignal(controls.gradient_changed) as blocker:
        controls.batches_combo.activated.emit(1)
    assert blocker.args == [{"own_batches": True}]
    with qtbot.waitSignal(controls.gradient_changed) as blocker:
        controls.seed_spin.setValue(3)
    assert blocker.args == [{"seed": 3}]


def test_noise_must_be_a_number_at_least_zero(qtbot, controls: ControlPanel) -> None:
    controls.set_gradient(rows=0, standardize=False, batch_size=0, own_batches=False, noise=0.0, seed=0)
    assert not controls.batch_spin.isEnabled() and not controls.standardize_check.isEnabled()
    assert controls.noise_field.isEnabled()  # noise works on every surface
    received: list[dict] = []
    controls.gradient_changed.connect(received.append)
    for text in ("-1", "abc", "nan"):
        controls.noise_field.setText(text)
        controls.noise_field.editingFinished.emit()
        assert "≥ 0" in controls.gradient_error.text()
    assert received == []
    controls.noise_field.setText("0.5")
    controls.noise_field.editingFinished.emit()
    assert received == [{"noise": 0.5}] and not controls.gradient_error.isVisible()


def test_the_same_minibatch_again_is_not_drawn_again(view: DataView, monkeypatch) -> None:
    """A racer that stopped while the others race keeps its weights and batch: the model's line
    is not recomputed (DataDock) and the rings are not set again (each repaint covers the plot)."""
    view.set_data(np.arange(6.0), np.arange(6.0), "x", "y")
    sets: list[int] = []
    set_data = view.batch.setData
    monkeypatch.setattr(view.batch, "setData", lambda *a, **k: (sets.append(1), set_data(*a, **k)))
    view.set_batch(np.array([4, 2]))
    view.set_batch(np.array([4, 2]))
    assert len(sets) == 1 and view.batch.getData()[0].tolist() == [4.0, 2.0]
    view.set_batch(np.array([2, 4]))  # other rows in another order: drawn
    view.set_batch(None)
    view.set_batch(np.arange(6))  # the full batch rings nothing, like None: nothing to draw
    assert len(sets) == 3 and len(view.batch.getData()[0]) == 0
    view.set_data(np.arange(7.0), np.arange(7.0), "x", "y")
    view.set_batch(np.array([6]))  # new data: rows index the new table
    assert view.batch.getData()[0].tolist() == [6.0]


def test_the_points_picture_looks_like_the_points_drawn_afresh(qtbot, view: DataView) -> None:
    """The points are cached as a picture in device pixels; it must look like drawing them
    afresh (their translucent colours blend into the picture first: at most 2 of 255 apart),
    before and after the axes move and while the model's line moves over them."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QGraphicsItem

    rng = np.random.default_rng(3)
    view.resize(340, 330)
    view.show()
    qtbot.waitExposed(view)
    view.set_data(rng.normal(0, 1, 120), rng.normal(0, 1, 120), "x", "y")
    xs = view.x_range(50)

    def shot(cached: bool, w: float) -> np.ndarray:
        view.points.setCacheMode(QGraphicsItem.DeviceCoordinateCache if cached else QGraphicsItem.NoCache)
        view.set_model(xs, w * xs, "#D55E00")
        image = view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
        pixels = np.frombuffer(image.constBits(), np.uint8)
        rows = pixels.reshape(image.height(), image.bytesPerLine() // 4, 4)
        return rows[:, : image.width(), :3].astype(int)

    assert view.points.cacheMode() == QGraphicsItem.DeviceCoordinateCache  # as the view makes it
    view.points.setVisible(False)
    without = shot(False, 0.5)
    view.points.setVisible(True)
    for w in (0.5, -1.0):
        cached, fresh = shot(True, w), shot(False, w)
        assert np.abs(cached - fresh).max() <= 2
        if w == 0.5:  # the points are there: hundreds of pixels differ from the plot without them
            assert (np.abs(cached - without).max(axis=2) > 20).sum() > 300
    view.plot.setXRange(-1, 1, padding=0)
    assert np.abs(shot(True, 2.0) - shot(False, 2.0)).max() <= 2
