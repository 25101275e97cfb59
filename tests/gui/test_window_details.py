"""Small things a learner noticed: hover, the inspector's pace, the speed label, start-up text."""

from __future__ import annotations

import itertools
import math
import re
from itertools import pairwise

import pytest
from PySide6.QtWidgets import QTextBrowser

from gui.main_window import NUMBERS_EVERY, NUMBERS_WAIT, PANEL_KEYS, PLOTS_TOGETHER_ROWS, SPEEDS, MainWindow
from tests.gui.conftest import choose_loss_and_wait
from tests.gui.test_main_window import press_step


def test_hovering_a_trail_inspects_it_without_selecting_it(window, qtbot) -> None:
    press_step(window, qtbot, 4)
    window._racer_selected("adam-lecture")
    window._redraw()
    card = window.formula.toPlainText() if hasattr(window.formula, "toPlainText") else None
    window._trail_hovered("sgd", 2)
    window._redraw()
    assert window.controls.selected == "adam-lecture"  # the list, card and editor stay on Adam
    assert window.panels._selected == "adam-lecture"
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
    window.playing = True  # as between the 5 Hz number frames of a playing race
    window._frame = window._numbers_at = 0
    press_step(window, qtbot, 1)  # a chunk arrives
    window.playing = True
    window._dirty = True
    window._redraw()  # a frame that moves the racers but not the numbers
    assert window.inspector.shown[1] == window.timeline.slider.maximum() == 2  # not a step ahead
    window._frame = NUMBERS_EVERY - 1
    window._dirty = True
    window._redraw()  # rows on the next number frame: both move on together
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


def test_formulas_wrap_only_between_statements() -> None:
    from engine.optimizers import OPTIMIZERS
    from gui.panels.status import unbroken_formula

    text = unbroken_formula(OPTIMIZERS["adam"].formula)
    statements = text.split(" ")
    assert len(statements) >= 4 and all(s.endswith((";", ",")) for s in statements[:-1])
    assert "/\u2060(1−αᵗ)" in text  # no break between a fraction's bar and its denominator


def test_the_formula_card_keeps_its_height_whichever_optimizer_is_picked(window, qtbot) -> None:
    for name in ("adam", "nadam", "adadelta"):
        window.race.add(name)
    heights = set()
    top_of_panels = set()
    for name in ("sgd", "adam", "nadam", "rmsprop", "adadelta", "adam-lecture"):
        window._racer_selected(name)
        qtbot.wait(1)
        heights.add(window.formula.height())
        top_of_panels.add(window.panels.geometry().top())
    assert len(heights) == 1 and len(top_of_panels) == 1  # the plots below do not jump
    assert "Adam (lecture)" in window.formula.text()  # the last one picked, shown


def test_presenting_the_formula_card_shows_the_rule_as_tall_as_the_races_longest(window, qtbot) -> None:
    """Presenting at 768 pixels, the card held the height of the longest rule of all 17 (not
    racing) with its notes, and left the six plots 45 pixels each. It shows the racer and its
    rule only, as tall as the longest rule in the race."""
    from engine.optimizers import OPTIMIZERS

    card = window.formula
    window._racer_selected("adam-lecture")
    assert "(no bias correction)" in card.text() and "M ← α·M" in card.text()
    # its settings in the rule's own symbols ("alpha = 0.9" beside "M ← α·M" read as two things)
    settings = "η = 0.01, α = 0.9, β = 0.999, ε = 1e-08".replace(" = ", "\u00a0=\u00a0")  # unbroken
    assert settings in card.text() and "alpha" not in card.text()
    window.presentation_action.trigger()
    card.setFixedWidth(460)  # heights are per width: keep one
    window._show_formula()
    assert card.compact and "(1−α)·g" in card.text() and "(√G+ε)·M" in card.text()
    assert "(no bias correction)" not in card.text() and settings not in card.text()
    racing = card.minimumHeight()

    def alone(name: str) -> int:
        card.set_candidates([name])
        return card.minimumHeight()

    tallest = max(OPTIMIZERS, key=alone)
    tall = alone(tallest)
    assert tallest not in {r.optimizer for r in window.racers.values()}
    assert tall > racing + 15  # a line or more: what the plots below used to lose
    window._show_formula()
    assert card.minimumHeight() == pytest.approx(racing, abs=3)  # (text layout rounds a pixel or two)
    window.race.add(tallest)  # the longest rule joins the race: the card grows to hold it
    window._show_formula()
    assert card.minimumHeight() == pytest.approx(tall, abs=3)
    window.race.remove(tallest)
    window._show_formula()
    assert card.minimumHeight() == pytest.approx(racing, abs=3)
    window.presentation_action.trigger()
    assert not card.compact and "(no bias correction)" in card.text()


def test_the_colour_bars_ticks_sit_beside_its_strip_in_persian(qtbot, qapp) -> None:
    from gui.i18n import install_language
    from gui.views.contour import ContourView
    from tests.gui.conftest import shown

    install_language(qapp, "fa")
    try:
        view = shown(qtbot, ContourView(), (600, 500))
        qtbot.wait(1)
        strip = view.colorbar.bar.sceneBoundingRect()
        ticks = view.colorbar.axis.sceneBoundingRect()
        assert ticks.center().x() > strip.center().x()  # on its right, as in English…
        assert abs(ticks.left() - strip.right()) < 10  # …and attached to it
    finally:
        install_language(qapp, "en")


def test_the_legend_keeps_clear_of_the_start_square_at_first_start(window, qtbot) -> None:
    from PySide6.QtCore import QPointF

    window.resize(1366, 768)
    qtbot.wait(50)
    window._dirty = True
    window._redraw()
    contour = window.contour
    box = contour.readout.sceneBoundingRect()
    start = contour.plot.vb.mapViewToScene(QPointF(*window.start_point))
    assert not box.adjusted(-8, -8, 8, 8).contains(start)  # the square (11 px) is all in sight


def test_a_bad_formula_keeps_what_was_typed_with_the_error_marked(typed_loss_runners, window, qtbot) -> None:
    choose_loss_and_wait(qtbot, window, "x^2 + 2*y^2")  # a typed loss racing, then a mistake in the next
    edit = window.controls.expression_edit
    edit.setText("x^2 + z*y")
    window._show_config()  # a refresh of the loss still racing (a race reset, a restart) …
    assert edit.text() == "x^2 + z*y"  # … keeps what is being typed
    with qtbot.waitSignal(window.worker.error, timeout=30_000):
        edit.returnPressed.emit()
        # the race of the loss asked for before (its reset can come after the surface) shows
        # while the new formula compiles: the list follows it, the field stays as sent
        from dataclasses import replace

        window._show_config(replace(window.config, loss="quadratic"))  # the race before it …
        window._show_config(replace(window.config, loss="x^2 + 2*y^2"))  # … then its reset
        assert edit.text() == "x^2 + z*y"
    window._show_config()
    assert edit.text() == "x^2 + z*y"  # not replaced by the loss still racing
    assert edit.selectionStart() == 6 and edit.selectedText() == "z"  # column 7, as the message says
    assert "column 7" in window.controls.loss_error.text()
    assert window.surface.expression == "x^2 + 2*y^2"  # the previous surface stays


def test_help_lists_the_real_shortcuts_the_symbols_and_the_lessons(window, qtbot) -> None:
    from gui.help import GLOSSARY

    window.show_shortcuts()
    text = window._help_window.findChild(QTextBrowser).toPlainText()
    assert "Space" in text and "Play" in text and "Ctrl+E" in text and "F1" in text
    window._help_window.close()
    window.show_glossary()
    text = window._help_window.findChild(QTextBrowser).toPlainText()
    for symbol in ("η", "Gᵢ(t)", "Mᵢ(t)", "ε", "α", "β", "gᵢ(t)", "Δwᵢ(t)"):
        assert symbol in text, symbol
    assert all(symbol in text for symbol, _ in GLOSSARY)
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    lessons = next(a.menu() for a in help_menu.actions() if a.menu() is not None)
    assert len(lessons.actions()) == len(window.lessons)


def test_presentation_mode_scales_text_lines_markers_and_legend_and_comes_back(window, qtbot) -> None:
    from PySide6.QtWidgets import QApplication

    from gui.main_window import PRESENTATION_SCALE

    app = QApplication.instance()
    press_step(window, qtbot, 2)
    window._dirty = True
    window._redraw()
    font = app.font().pointSizeF()
    radius = window.contour.dots.radius
    curve = next(iter(window.panels._curves.values()))
    width = curve.opts["pen"].widthF()
    legend = window._readout_html
    window.presentation_action.trigger()  # F11
    window._dirty = True
    window._redraw()
    assert 1.5 <= PRESENTATION_SCALE <= 2.0
    assert app.font().pointSizeF() == pytest.approx(font * PRESENTATION_SCALE)
    assert window.contour.dots.radius == pytest.approx(radius * PRESENTATION_SCALE)
    assert curve.opts["pen"].widthF() == pytest.approx(width * PRESENTATION_SCALE)

    def legend_pt(html: str) -> int:
        return int(re.search(r"<table style='font-size:(\d+)pt'", html).group(1))

    # the same legend (or its compact form, without η, on a narrow plot) 1.5× larger
    base = legend_pt(legend) if "η=" in window._readout_html else legend_pt(legend) - 1
    assert legend_pt(window._readout_html) == round(base * PRESENTATION_SCALE)
    assert not window.left_tabs.isVisible() and not window.bottom_tabs.isVisible()  # room for the race
    assert window.isFullScreen() and window.presentation_action.isChecked()
    window.presentation_action.trigger()  # and back, exactly
    assert app.font().pointSizeF() == pytest.approx(font)
    assert window.contour.dots.radius == pytest.approx(radius)
    assert not window.isFullScreen()
    assert window.left_tabs.isVisible() and window.bottom_tabs.isVisible()


def test_ctrl_plus_and_minus_zoom_the_interface_in_steps(window) -> None:
    from PySide6.QtWidgets import QApplication

    font = QApplication.instance().font().pointSizeF()
    window.zoom_in_action.trigger()
    assert window.ui_scale == pytest.approx(1.15)
    assert QApplication.instance().font().pointSizeF() == pytest.approx(font * 1.15)
    window.zoom_out_action.trigger()
    window.zoom_out_action.trigger()
    assert window.ui_scale == pytest.approx(0.9)
    window.zoom_in_action.trigger()
    assert QApplication.instance().font().pointSizeF() == pytest.approx(font)


def drawn_tick_labels(axis) -> list[tuple[object, str]]:
    """The (box, text) of each tick label ``axis`` draws now, as its paint() lays them out."""
    from PySide6.QtGui import QImage, QPainter

    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    if axis.style["tickFont"] is not None:
        painter.setFont(axis.style["tickFont"])
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _flags, text in specs[2] if text.strip()]


@pytest.mark.parametrize(
    ("presenting", "size"), [(True, (1024, 768)), (True, (1366, 768)), (False, (1366, 768))]
)
def test_every_panel_shows_two_readable_tick_labels(window, qtbot, presenting, size) -> None:
    """Presenting at 1024×768 a plot is ~60 pixels tall and pyqtgraph dropped the labels near
    its edges: the η/(√G+ε) and L plots showed no label, G only "1" — no scale to read. Each
    plot now draws at least two labels, apart and inside the plot, early in the race and late."""
    from tests.gui.test_main_window import wait_steps

    if presenting:
        window.presentation_action.trigger()
        window.showNormal()  # the offscreen screen is not 1024×768: the window is
    window.resize(*size)
    for step in (60, 151, 1000):  # (at 151 presenting at 1366, L's nine decades had no label)
        window.worker.advance_to(step)
        wait_steps(qtbot, window, step)
        window._dirty = True
        window._redraw()
        qtbot.wait(1)
        for key, plot in window.panels.plots.items():
            if presenting:
                assert plot.vb.height() < 90, "the case of the issue: a short plot"
            axis = plot.getAxis("left")
            labels = drawn_tick_labels(axis)
            assert len(labels) >= 2, (key, step, [t for _r, t in labels], plot.vb.viewRange()[1])
            top, bottom = axis.boundingRect().top(), axis.boundingRect().bottom()
            boxes = sorted((r.top(), r.bottom()) for r, _t in labels)
            assert all(top - 0.5 <= a and b <= bottom + 0.5 for a, b in boxes), (key, boxes)
            assert all(b <= c + 0.5 for (_a, b), (c, _d) in pairwise(boxes)), (key, boxes)  # apart


def test_the_legend_marks_converged_only_from_the_step_it_happened(window, qtbot) -> None:
    """The timeline at step 15 showed "SGD … L=1.315 ✓": a racer that converges at step 400
    is not converged at step 15. Live, and from its last step on, the ✓ is there."""
    from tests.gui.test_main_window import wait_steps

    window.worker.advance_to(2000)
    wait_steps(qtbot, window, 2000, timeout=60_000)
    sgd = window.histories["sgd"]
    assert sgd.status == "converged" and sgd.last_step > 15
    window._dirty = True
    window._redraw()
    sgd_row = next(row for row in window._readout_html.split("<tr>") if "SGD" in row)
    assert "✓" in sgd_row
    window.timeline.set_cursor(15)
    window._redraw()
    sgd_row = next(row for row in window._readout_html.split("<tr>") if "SGD" in row)
    assert "✓" not in sgd_row and "step 15" in window._readout_html
    window.timeline.set_cursor(sgd.last_step)
    window._redraw()
    assert "✓" in next(row for row in window._readout_html.split("<tr>") if "SGD" in row)


def _count_draws(window, monkeypatch) -> list[object]:
    """What the window's frames draw: "contour", "table", and each line-plot update's keys
    ("all": no keys given, every plot)."""
    calls: list[object] = []
    monkeypatch.setattr(window.contour, "update_racers", lambda *a, **k: calls.append("contour"))
    monkeypatch.setattr(
        window.panels, "update_racers", lambda *a, **k: calls.append(tuple(a[2]) if len(a) > 2 else "all")
    )
    monkeypatch.setattr(window.status_table, "update_racers", lambda *a, **k: calls.append("table"))
    return calls


def _first_frame_with_rows(window, monkeypatch) -> list[object]:
    """Playing, frame 1 (the numbers last changed on frame 0) with new rows; what it drew. The
    redraw timer stops: the frames are the test's calls (it starts the timer again)."""
    calls = _count_draws(window, monkeypatch)
    window.redraw_timer.stop()
    window.playing = True
    window._frame = window._numbers_at = 0
    window._dirty = True  # rows arrived
    window._redraw()
    return calls


def test_slow_a_frame_without_new_rows_leaves_the_contour_and_the_six_plots_come_with_the_numbers(
    window, qtbot, monkeypatch
) -> None:
    """At 10 steps/s (1×) rows arrive every third 30 Hz frame: the frames between them must not
    draw the contour again (it was a third of the window's CPU at 1×); the six line plots take
    the rows together with the 5 Hz numbers, half a frame after them (one repaint of the plots,
    not three), each once."""
    press_step(window, qtbot, 2)
    assert SPEEDS[window.speed_slider.value()] == 10 and 10 * len(window.histories) <= PLOTS_TOGETHER_ROWS
    calls = _first_frame_with_rows(window, monkeypatch)
    assert calls == ["contour"]  # the numbers changed 1 frame ago: no plot, no table yet
    for _ in range(NUMBERS_EVERY + NUMBERS_WAIT - 1):
        window._redraw()
    assert calls == ["contour", "table"] and window._numbers_at == NUMBERS_EVERY + NUMBERS_WAIT
    qtbot.waitUntil(lambda: len(calls) == 3)  # the plots, half a frame later
    assert calls == ["contour", "table", "all"] and window._behind == set()
    for _ in range(2 * NUMBERS_EVERY):
        window._redraw()
    assert calls == ["contour", "table", "all"] and window._pair_due is None  # nothing more to draw
    window.redraw_timer.start()


def test_faster_a_playing_frame_without_new_rows_leaves_the_contour_and_draws_only_what_is_behind(
    window, qtbot, monkeypatch
) -> None:
    """Past PLOTS_TOGETHER_ROWS rows a second, each update brings many: the line plots take them a
    pair a frame in turn (no frame carries all six), and a frame without rows draws only what is
    still behind, each once."""
    press_step(window, qtbot, 2)
    racers = len(window.histories)
    window.speed_slider.setValue(next(i for i, s in enumerate(SPEEDS) if s * racers > PLOTS_TOGETHER_ROWS))
    calls = _first_frame_with_rows(window, monkeypatch)
    assert calls == ["contour"]  # frame 1's pair waits half a frame: the contour paints alone
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls == ["contour", PANEL_KEYS[:2]]
    for _ in range(2 * NUMBERS_EVERY):
        window._redraw()
    pairs = [c for c in calls if isinstance(c, tuple)]
    assert calls.count("contour") == 1  # only on the frame the rows came
    assert len(pairs) == 3 and sorted(k for pair in pairs for k in pair) == sorted(PANEL_KEYS)
    assert calls.count("table") == 1  # the numbers once, when no rows came to go with them
    assert window._numbers_at == NUMBERS_EVERY + NUMBERS_WAIT
    assert window._behind == set() and window._pair_due is None  # then it stopped
    calls.clear()
    window._frame = NUMBERS_EVERY + NUMBERS_WAIT
    window._frame += 4  # the next rows, on an odd frame: the contour again at once, then a pair
    window._dirty = True
    window._redraw()
    # the numbers wait for 5 Hz (changed 3 frames ago), the Data dock for a 10 Hz frame (frame 13
    # is not), the pair for half a frame
    assert calls == ["contour"] and window._behind == {0, 1, 2, "numbers", "data"}
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls == ["contour", PANEL_KEYS[:2]] and window._behind == {1, 2, "numbers", "data"}
    window.redraw_timer.start()


def test_a_trail_kept_waiting_for_its_body_is_drawn_on_the_next_frame_without_new_rows(
    window, qtbot, monkeypatch
) -> None:
    """A racer whose body waited (a frame draws BODIES_PER_FRAME) catches up on the next frames
    even when no rows come: the race may have ended on the frame that kept it waiting."""
    press_step(window, qtbot, 2)
    calls = _count_draws(window, monkeypatch)
    window.redraw_timer.stop()
    window.playing = True
    window._behind = set()
    window._dirty = False
    window._redraw()
    assert calls == []  # nothing new, nothing waiting: nothing drawn
    racer = next(iter(window.contour._racers.values()))
    racer.waiting = True
    window._redraw()
    assert calls == ["contour"]
    window.redraw_timer.start()


def test_playing_the_numbers_change_at_5_hz_on_frames_that_bring_rows(window, qtbot, monkeypatch) -> None:
    """The readout, the arrows' labels, the table and the timeline change with the racers' move
    (one repaint of the contour, not one more for the numbers between two rows): at 10 steps/s
    (rows every third frame) on every other row frame, 5 Hz; with rows every frame (60/s) every
    sixth; and without rows they still catch up with the last ones."""
    press_step(window, qtbot, 2)
    calls = _count_draws(window, monkeypatch)
    monkeypatch.setattr(window, "_update_readout", lambda: calls.append("readout"))
    window.redraw_timer.stop()
    window.playing = True
    window._frame = window._numbers_at = 0
    try:
        for rows_every in (3, 1):
            rows_frames, numbers_frames = [], []
            for tick in range(6 * NUMBERS_EVERY):
                window._dirty = tick % rows_every == 0
                calls.clear()
                window._redraw()
                if window._dirty is False and "contour" in calls:
                    rows_frames.append(window._frame)
                if "table" in calls:
                    assert "readout" in calls  # the readout and the table together
                    assert not any(isinstance(c, tuple) for c in calls)  # never with a pair of plots
                    numbers_frames.append(window._frame)
            assert set(numbers_frames) <= set(rows_frames)  # each with a move of the racers
            gaps = {b - a for a, b in itertools.pairwise(numbers_frames)}
            assert gaps == {NUMBERS_EVERY} and len(numbers_frames) >= 5  # 5 Hz at 30 frames/s
        calls.clear()
        # rows on frame 10, the numbers last changed on frame 5: they wait for 5 Hz, then no more rows
        # come (all racers stopped) and they catch up on frame 13, an odd frame whose pair of plots
        # is behind too: it goes half a frame later, as a job of its own
        window._frame, window._numbers_at = 9, 10 - NUMBERS_EVERY + 1
        window._dirty = True
        window._redraw()
        assert "table" not in calls and "numbers" in window._behind
        frames = {}
        for _ in range(NUMBERS_EVERY + NUMBERS_WAIT):
            calls.clear()
            window._redraw()
            frames[window._frame] = list(calls)
            if window._frame >= 10 + NUMBERS_EVERY + NUMBERS_WAIT:
                break
        caught_up = [f for f, c in frames.items() if "table" in c]
        assert caught_up == [10 - NUMBERS_EVERY + 1 + NUMBERS_EVERY + NUMBERS_WAIT] == [13]
        assert not any(isinstance(c, tuple) for c in frames[13]), frames[13]
        assert window._pair_due is not None  # the pair waits for its timer
        assert "numbers" not in window._behind
    finally:
        window.playing = False
        window.redraw_timer.start()


def test_a_frame_due_with_the_put_off_pair_of_plots_waits_for_the_next_pass(
    window, qtbot, monkeypatch
) -> None:
    """Running late, the GUI thread finds the put-off pair of line plots and the next frame due at
    once; run together, their repaints were one job of up to 46 ms (12 racers flat out). The frame
    waits a pass, then runs; a frame with no pair just drawn runs at once."""
    press_step(window, qtbot, 2)
    window.redraw_timer.stop()  # the frames are this test's calls
    drawn: list[object] = []
    monkeypatch.setattr(window.panels, "update_racers", lambda *a, **k: drawn.append(tuple(a[2])))
    monkeypatch.setattr(window, "_redraw", lambda: drawn.append("frame"))
    now = [100.0]
    monkeypatch.setattr(window, "_clock", lambda: now[0])  # a machine as slow as it likes
    window._frame_drawn_at = -1.0  # (on the real clock)
    window.playing = True
    window._behind = {1}
    window._pair_due = 1
    window._draw_due_pair()
    window._frame_due()
    assert drawn == [PANEL_KEYS[2:4]]  # the frame did not run in the pair's pass
    qtbot.waitUntil(lambda: len(drawn) == 2)
    assert drawn == [PANEL_KEYS[2:4], "frame"] and window._behind == set()
    window._frame_due()  # the same instant, but the pair was answered by that frame already
    assert drawn[-1] == "frame" and len(drawn) == 3  # nothing put off: at once
    window._pair_due = 1  # drawn already: the put-off call draws nothing
    window._draw_due_pair()
    assert len(drawn) == 3
    window._behind, window._pair_due = {1}, 1
    window._draw_due_pair()
    now[0] += 0.004  # a later pass: the frame runs at once
    window._frame_due()
    assert drawn[-2:] == [PANEL_KEYS[2:4], "frame"] and len(drawn) == 5
    # the other order: the frame's timer first, the pair's in the same pass; the pair waits a pass
    now[0] += 0.004
    window._behind, window._pair_due = {1}, 1
    window._frame_due()
    window._draw_due_pair()
    assert drawn[-1] == "frame" and len(drawn) == 6 and window._pair_due == 1
    qtbot.waitUntil(lambda: len(drawn) == 7)
    assert drawn[-1] == PANEL_KEYS[2:4] and window._behind == set()
    window.redraw_timer.start()


def test_playing_at_a_set_speed_each_frame_asks_the_worker_for_the_next_frames_rows(
    window, monkeypatch
) -> None:
    """At a set speed of more than a step a frame, the window's frames drive the worker's ticks
    (one tick's rows a frame, computed while the frame paints); paused, slower (the worker's own
    clock ticks less often than frames come) or flat out, nothing is asked."""
    window.redraw_timer.stop()  # the frames are this test's calls
    asked: list[int] = []
    monkeypatch.setattr(window.worker, "frame", lambda: asked.append(window._frame))
    monkeypatch.setattr(window, "_redraw", lambda: setattr(window, "_frame", window._frame + 1))
    try:
        window._frame_due()  # paused
        assert asked == []
        window.playing = True
        window.speed_slider.setValue(SPEEDS.index(60))
        window._frame_due()
        assert asked == [window._frame]  # after the frame took its rows
        window.speed_slider.setValue(SPEEDS.index(10))  # 1×: a step every third frame
        window._frame_due()
        assert len(asked) == 1
        window.speed_slider.setValue(SPEEDS.index(math.inf))
        window._frame_due()
        assert len(asked) == 1
    finally:
        window.playing = False
        window.redraw_timer.start()


def test_the_legend_on_the_plot_can_be_hidden_and_stays_hidden_while_the_race_runs(window, qtbot) -> None:
    """View ▸ Legend on the plot: off, the readout leaves the contour (twelve racers' rows hide
    racers on a projector's narrow plot) and stays off through new steps; on, it is back at once."""
    readout = window.contour.readout
    assert window.legend_action in window.view_menu.actions()
    press_step(window, qtbot, 1)
    window._dirty = True
    window._redraw()
    assert readout.isVisible() and "step 1" in readout.textItem.toPlainText()
    window.legend_action.setChecked(False)
    assert not readout.isVisible()
    press_step(window, qtbot, 2)
    window._dirty = True
    window._redraw()
    assert not readout.isVisible()
    window.legend_action.setChecked(True)
    assert readout.isVisible() and "step 3" in readout.textItem.toPlainText()
