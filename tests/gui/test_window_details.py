"""Small things a learner noticed: hover, the inspector's pace, the speed label, start-up text."""

from __future__ import annotations

from gui.main_window import MainWindow
from tests.gui.test_main_window import press_step


def test_hovering_a_trail_inspects_it_without_selecting_it(window, qtbot) -> None:
    press_step(window, qtbot, 4)
    window._racer_selected("adam")
    window._redraw()
    card = window.formula.toPlainText() if hasattr(window.formula, "toPlainText") else None
    window._trail_hovered("sgd", 2)
    window._redraw()
    assert window.controls.selected == "adam"  # the list, card and editor stay on Adam
    assert window.panels._selected == "adam"
    if card is not None:
        assert window.formula.toPlainText() == card
    assert window.timeline.cursor == 2
    assert window.inspector.shown == ("sgd", 2)  # the inspector shows what is hovered
    window.contour.step_picked.emit("sgd", 3)  # a click selects
    window._redraw()
    assert window.controls.selected == "sgd" and window.inspector.shown == ("sgd", 3)


def test_while_playing_the_inspector_shows_the_step_the_timeline_shows(window, qtbot) -> None:
    window.bottom_tabs.setCurrentWidget(window.inspector)
    press_step(window, qtbot, 2)
    window._dirty = True
    window._redraw()
    assert window.inspector.shown[1] == window.timeline.slider.maximum() == 2
    window.playing = True  # as between the 10 Hz number frames of a playing race
    window._frame = 0
    press_step(window, qtbot, 1)  # a chunk arrives
    window.playing = True
    window._dirty = True
    window._redraw()  # a frame that moves the racers but not the numbers
    assert window.inspector.shown[1] == window.timeline.slider.maximum() == 2  # not a step ahead
    window._frame = 2
    window._redraw()  # the next number frame: both move on together
    assert window.inspector.shown[1] == window.timeline.slider.maximum() == 3


def test_one_step_per_second_is_singular(window) -> None:
    assert window.speed_text(1) == "1 step/s"
    assert window.speed_text(2) == "2 steps/s"


def test_only_a_first_start_promises_to_compile(window, qtbot) -> None:
    assert window.settings.value("engine_loaded_once", False, type=bool)
    later = MainWindow()
    qtbot.addWidget(later)
    later._busy("compiling…")
    assert "Loading" in later.contour.notice.toPlainText()
    assert "first start" not in later.contour.notice.toPlainText()
    window.settings.remove("engine_loaded_once")  # as on a machine that never ran it
    first = MainWindow()
    qtbot.addWidget(first)
    first._busy("compiling…")
    assert "first start" in first.contour.notice.toPlainText()
