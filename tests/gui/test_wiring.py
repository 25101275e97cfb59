"""Every control reaches its handler through its real signal (they go through weak slots now)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDoubleSpinBox

from engine.session import save_session
from gui.panels.controls import NumberField
from tests.gui.test_main_window import press_step, wait_steps


def test_toolbar_and_view_menu_toggles(window) -> None:
    window.vector_actions["M"].setChecked(False)
    window.vector_actions["glyph"].setChecked(False)
    assert window.contour.show_vectors == {"grad": True, "M": False, "dw": True, "glyph": False}
    window.vector_actions["M"].setChecked(True)
    assert window.contour.show_vectors["M"]
    window.log_loss_action.setChecked(False)
    assert window.panels.log_y["loss"] is False
    window.log_loss_action.setChecked(True)
    assert window.panels.log_y["loss"] is True


def test_language_menu_asks_for_the_language(window, qtbot) -> None:
    with qtbot.waitSignal(window.language_change_requested) as blocker:
        window.language_actions["fa"].trigger()
    assert blocker.args == ["fa"]
    assert window.language_actions["fa"].isChecked() and not window.language_actions["en"].isChecked()


def test_lessons_menu_opens_the_lesson(window) -> None:
    lesson = window.lessons[0]
    title = f"{lesson.order}. {lesson.text('title', 'en')}"
    actions = [a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions()]
    next(a for a in actions if a.text() == title).trigger()
    assert window.lesson_panel.lesson is lesson


def test_the_lesson_tabs_list_opens_the_lesson_clicked(window, qtbot) -> None:
    lesson = window.lessons[3]
    assert window.lesson_panel.lesson is None
    assert f'href="lesson:{lesson.id}"' in window.lesson_panel.body.toHtml()
    window.lesson_panel.body.anchorClicked.emit(QUrl(f"lesson:{lesson.id}"))
    assert window.lesson_panel.lesson is lesson
    qtbot.waitUntil(lambda: window.config.loss == lesson.config.loss, timeout=10_000)


def test_timeline_back_and_forward_actions(window, qtbot) -> None:
    press_step(window, qtbot, 3)
    window._redraw()
    window.back_action.trigger()
    assert window.timeline.cursor == 2
    window.back_action.trigger()
    window.forward_action.trigger()
    assert window.timeline.cursor == 2


def test_recent_session_menu_opens_the_file(window, qtbot, tmp_path: Path) -> None:
    path = tmp_path / "mine.olab.json"
    config = window.config.__class__(loss="rosenbrock")
    save_session(config, path)
    assert window.open_session(path)
    window.apply_config(window.config.__class__())  # somewhere else again
    window.sessions.refresh_menu()
    recent = [a for a in window.recent_menu.actions() if a.text().endswith("mine.olab.json")]
    recent[0].trigger()
    qtbot.waitUntil(lambda: window.config.loss == "rosenbrock", timeout=10_000)


def test_status_table_click_selects_the_racer(window) -> None:
    window._redraw()
    row = window.status_table._names.index("adagrad")
    window.status_table.cellClicked.emit(row, 0)
    assert window.controls.selected == "adagrad"


def test_editing_fields_reaches_the_window(window, qtbot) -> None:
    controls = window.controls
    controls.start_x.setValue(1.25)  # a start field
    assert window.config.start is not None and window.config.start[0] == 1.25
    spin = controls.findChild(QDoubleSpinBox, "param_condition")  # a surface parameter
    spin.setValue(20.0)
    qtbot.waitUntil(lambda: window.config.loss_params.get("condition") == 20.0, timeout=10_000)
    field = controls.findChild(NumberField, "hyper_lr")  # a hyperparameter
    field.committed.emit(0.02)
    assert window.racers[controls.selected].hyperparameters["lr"] == 0.02
    combo = controls.schedule_combo  # a learning-rate schedule
    controls.schedule_params.setText("0.5")
    index = combo.findData("step")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert window.racers[controls.selected].schedule.startswith("step:")  # with its default parameters
    assert controls.schedule_params.text() == ""  # a new kind starts from its defaults


def test_a_lessons_watch_hint_highlights_its_target(window, qtbot) -> None:
    lesson = next(le for le in window.lessons if le.watch)
    window.open_lesson(lesson)
    button = window.lesson_panel.hint_buttons[0]
    with qtbot.waitSignal(window.lesson_panel.highlight) as blocker:
        button.click()
    assert blocker.args == [lesson.watch[0].target]


def test_the_racers_still_run_after_all_that(window, qtbot) -> None:
    window.play_action.trigger()
    wait_steps(qtbot, window, 5)
    window.play_action.trigger()
