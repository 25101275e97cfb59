"""The contour's trails: a cached body and a fresh tip that together are the recorded path."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise

import numpy as np
import pytest
from PySide6.QtCore import QPointF

from engine.simulate import Run
from gui.history import RacerHistory
from gui.views.contour import (
    BODIES_PER_FRAME,
    MAX_TRAIL_POINTS,
    READOUT_CLEAR_S,
    READOUT_FADED,
    SHORTEST,
    STILL_PX,
    ContourView,
    arrow_scale,
)
from tests.gui.conftest import shown


@pytest.fixture
def view(qtbot):
    return shown(qtbot, ContourView(), (600, 500))


def _trail(view: ContourView, name: str) -> np.ndarray:
    parts = [np.column_stack(item.getData()) for item in view._racers[name].parts()]
    for before, after in pairwise(parts):
        assert np.array_equal(before[-1], after[0])  # each part starts where the last ends: no gap
    return np.vstack([parts[0], *(part[1:] for part in parts[1:])])


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


def test_full_tips_become_pieces_and_the_body_is_drawn_again_only_every_so_often(view) -> None:
    """Flat out the tip fills every few frames: it becomes a piece (drawn once) and the body is
    left alone, until MAX_PIECES pieces, a thinned record or a cursor moved back."""
    run = Run("rosenbrock", "momentum", (-1.5, 2.0), tol=0.0, lr=0.001)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]), max_rows=20_000)
    view.set_racers({"m": "Momentum"}, run.start)
    racer = view._racers["m"]
    body_sets, most_pieces, body = 0, 0, None
    # past TIP at every frame: 35 frames on one trail stride, then faster, where the trail stride
    # grows (at 6,000, 12,000 and 18,000 rows) and the record is thinned (past 20,000 rows)
    frames = [150] * 35 + [400] * 45
    for n in frames:
        history.append(run.advance(n))
        view.update_racers({"m": history})
        np.testing.assert_array_equal(_trail(view, "m"), _expected(history, len(history)))
        assert len(racer.pieces) <= racer.MAX_PIECES
        most_pieces = max(most_pieces, len(racer.pieces))
        data = racer.body.getData()[0]
        body_sets += data is not body
        body = data
    assert history.stride > 1 and most_pieces == racer.MAX_PIECES
    # not at every frame: once per MAX_PIECES full tips, and for each new stride
    assert body_sets <= len(frames) // racer.MAX_PIECES + 6
    view.update_racers({"m": history}, cursor=3_000)  # back: the body alone again, then the tip
    end = history.row_at_step(3_000) + 1
    np.testing.assert_array_equal(_trail(view, "m"), _expected(history, end))
    assert racer.pieces == []


def test_racers_in_step_draw_their_bodies_again_on_different_frames(view) -> None:
    """Twelve racers flat out fill their tips together; their bodies take the pieces in on
    different frames (at most two a frame, 12 racers over MAX_PIECES phases), and every trail is
    still exactly the recorded path."""
    names = [f"r{i}" for i in range(12)]
    starts = {n: (-1.5, 2.0 - k / 100) for k, n in enumerate(names)}
    runs = {n: Run("rosenbrock", "momentum", starts[n], tol=0.0, lr=0.001) for n in names}
    histories = {
        n: RacerHistory(r.start, float(r.trajectory().loss[0]), max_rows=20_000) for n, r in runs.items()
    }
    view.set_racers({n: n for n in names}, (-1.5, 2.0))
    racers = [view._racers[n] for n in names]
    frames = [150] * 35  # past TIP at every frame, on one trail stride
    most_at_once, redrawn = 0, {n: 0 for n in names}
    for frame, count in enumerate(frames):
        for n in names:
            histories[n].append(runs[n].advance(count))
        before = [r.body.getData()[0] for r in racers]
        view.update_racers(histories)
        fresh = [n for n, r, b in zip(names, racers, before, strict=True) if r.body.getData()[0] is not b]
        fresh = fresh if frame else []
        most_at_once = max(most_at_once, len(fresh))
        for n in fresh:
            redrawn[n] += 1
        for n in names:
            np.testing.assert_array_equal(_trail(view, n), _expected(histories[n], len(histories[n])))
    assert most_at_once == 2  # (the first frame draws every body: not counted, there was none)
    assert all(count >= 2 for count in redrawn.values())  # each took its pieces in, more than once


def test_racers_whose_rows_move_together_draw_their_bodies_a_few_a_frame(view) -> None:
    """Twelve racers flat out reach a new trail stride (6,000, 12,000, 18,000 rows) and a
    thinned record (past 20,000) on the same frame: each draws its body afresh, twelve bodies in
    one frame's job. While playing, BODIES_PER_FRAME a frame; the others keep their trail and dot
    as they were, then catch up, and every trail is the recorded path again."""
    names = [f"r{i}" for i in range(12)]
    runs = {
        n: Run("rosenbrock", "momentum", (-1.5, 2.0 - k / 100), tol=0.0, lr=0.001)
        for k, n in enumerate(names)
    }
    histories = {
        n: RacerHistory(r.start, float(r.trajectory().loss[0]), max_rows=20_000) for n, r in runs.items()
    }
    view.set_racers({n: n for n in names}, (-1.5, 2.0))
    racers = [view._racers[n] for n in names]
    most_at_once, kept_back = 0, 0
    for frame, count in enumerate([150] * 35 + [400] * 45):
        for n in names:
            histories[n].append(runs[n].advance(count))
        before = [r.body.getData()[0] for r in racers]
        view.update_racers(histories, still_px=STILL_PX)
        fresh = sum(r.body.getData()[0] is not b for r, b in zip(racers, before, strict=True))
        most_at_once = max(most_at_once, fresh if frame else 0)
        for n, racer in zip(names, racers, strict=True):
            trail = _trail(view, n)
            # a racer kept back shows the trail it had: it still ends at its dot
            assert tuple(trail[-1]) == tuple(racer.end_point) == view.marker_position(n)
            kept_back += not np.array_equal(racer.end_point, histories[n].vec("w")[-1])
    assert histories[names[0]].stride > 1  # the record was thinned on the way
    assert most_at_once == BODIES_PER_FRAME and kept_back > 0
    caught_up = 0
    for _ in range(len(names) // BODIES_PER_FRAME):  # frames with no new rows: they catch up
        view.update_racers(histories, still_px=STILL_PX)
        caught_up += sum(racer.drew_body for racer in racers)
    view.update_racers(histories, still_px=STILL_PX)
    assert caught_up > 0 and not any(racer.drew_body for racer in racers)  # none left waiting
    # paused (no budget, no "still"): each trail is the recorded path on its grid again
    view.update_racers(histories)
    for n in names:
        np.testing.assert_array_equal(_trail(view, n), _expected(histories[n], len(histories[n])))


def test_racers_kept_waiting_for_their_bodies_go_first_the_next_frame(view) -> None:
    names = ["a", "b", "c", "d"]
    runs = {
        n: Run("rosenbrock", "momentum", (-1.5, 2.0 - k / 100), tol=0.0, lr=0.001)
        for k, n in enumerate(names)
    }
    histories = {n: RacerHistory(r.start, float(r.trajectory().loss[0])) for n, r in runs.items()}
    view.set_racers({n: n for n in names}, (-1.5, 2.0))
    for rows in (1_000, 6_000):  # past 6,000 rows a new trail stride: every body is drawn again
        for n in names:
            histories[n].append(runs[n].advance(rows))
        view.update_racers(histories, still_px=STILL_PX)
    racers = {n: view._racers[n] for n in names}
    assert [racers[n].waiting for n in names] == [False, False, True, True]
    for n in names:  # past 12,000 rows: all four need their bodies drawn again
        histories[n].append(runs[n].advance(6_000))
    view.update_racers(histories, still_px=STILL_PX)
    assert [racers[n].drew_body for n in names] == [False, False, True, True]
    assert [racers[n].waiting for n in names] == [True, True, False, False]


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


def _settled(view: ContourView) -> tuple[RacerHistory, Run]:
    """SGD on the bowl after 300 steps: each step moves it far less than a pixel."""
    run = Run("quadratic", "sgd", (2.0, 1.0), tol=0.0)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]))
    view.set_racers({"sgd": "SGD"}, run.start)
    history.append(run.advance(300))
    view.update_racers({"sgd": history}, still_px=STILL_PX)
    return history, run


def test_a_playing_racer_that_moves_less_than_half_a_pixel_is_not_drawn_again(view, monkeypatch) -> None:
    """While a race plays (``still_px``), rows within half a pixel of the trail's end change nothing
    on screen: no new data, no repaint, the dot where the trail ends. Rows that reach farther
    than that are drawn, all of them (none skipped); paused (no ``still_px``) every row is."""
    history, run = _settled(view)
    racer = view._racers["sgd"]
    px, _py = view.plot.vb.viewPixelSize()
    drawn_end = history.vec("w")[-1].copy()
    assert 0 < np.abs(history.vec("w")[-1] - history.vec("w")[-2]).max() < 1e-3 * px  # settled
    repaints: list[object] = []
    for item in (racer.tip, view.dots):
        monkeypatch.setattr(item, "update", lambda *a, r=repaints: r.append(a))
    tip = racer.tip.getData()[0]
    for _ in range(5):
        history.append(run.advance(2))  # a frame's rows at 60 steps/s
        view.update_racers({"sgd": history}, still_px=STILL_PX)
    assert racer.tip.getData()[0] is tip and repaints == []  # nothing set, nothing repainted
    assert view.marker_position("sgd") == tuple(drawn_end)  # at the trail's end, not at the newest row
    # a row half a pixel and more away (a learner's edit kicks it): drawn, with the rows before it
    moved = history.vec("w")[-1] + (0.6 * px, 0.0)
    kick = run.advance(1)
    kick = replace(kick, w=np.array([moved]))
    history.append(kick)
    view.update_racers({"sgd": history}, still_px=STILL_PX)
    np.testing.assert_array_equal(_trail(view, "sgd"), _expected(history, len(history)))
    assert view.marker_position("sgd") == tuple(moved) and repaints
    # paused: the newest row, however close
    history.append(run.advance(2))
    view.update_racers({"sgd": history})
    np.testing.assert_array_equal(_trail(view, "sgd"), _expected(history, len(history)))
    assert view.marker_position("sgd") == tuple(history.vec("w")[-1])


def test_still_arrows_are_not_moved_and_arrows_that_move_a_pixel_are(view, monkeypatch) -> None:
    """The selected racer's arrows, labels and glyph are set again only if some end moves half a
    pixel or more, a head turns a degree, a label's words or an arrow's fading change."""
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    px, _py = view.plot.vb.viewPixelSize()
    moved: list[object] = []
    monkeypatch.setattr(view.arrows["grad"].line, "setData", lambda *a: moved.append(a))
    state = ((0.0, 0.0), (1.0, 0.5), (0.2, 0.1), (-0.1, -0.05), (1.0, 0.25))
    view.show_state(*state, racer="a", still_px=STILL_PX)
    assert len(moved) == 1
    # a thousandth of a pixel, labels as they are: nothing moves
    nudged = ((0.001 * px, 0.0), (1.0, 0.5), (0.2, 0.1), (-0.1, -0.05), (1.0, 0.25))
    view.show_state(*nudged, racer="a", numbers=False, still_px=STILL_PX)
    assert len(moved) == 1
    view.show_state(*nudged, racer="a", numbers=True, still_px=STILL_PX)  # the same words
    assert len(moved) == 1
    # a pixel: moved; a new label's words: drawn; without still_px: always
    view.show_state((px, 0.0), *state[1:], racer="a", numbers=False, still_px=STILL_PX)
    assert len(moved) == 2
    view.show_state((px, 0.0), (1.5, 0.75), *state[2:], racer="a", numbers=True, still_px=STILL_PX)
    assert len(moved) == 3 and view.arrows["grad"].text.toPlainText() == "−g 1.7"
    view.show_state((px, 0.0), (1.5, 0.75), *state[2:], racer="a", numbers=True)
    assert len(moved) == 4
    # the racers replaced (the arrows hidden): the same state is drawn again
    view.set_racers({"b": "B"}, (0.0, 0.0))
    view.show_state((px, 0.0), (1.5, 0.75), *state[2:], racer="a", still_px=STILL_PX)
    assert len(moved) == 5 and view.arrows["grad"].line.isVisible()


def test_arrow_lengths_fall_by_a_quarter_a_decade_and_fade_when_negligible() -> None:
    assert arrow_scale(5.0, 5.0) == (1.0, 1.0)
    assert arrow_scale(0.5, 5.0) == pytest.approx((0.75, 1.0))
    assert arrow_scale(5e-3, 5.0) == pytest.approx((0.25, 1.0))
    length, alpha = arrow_scale(5e-9, 5.0)
    assert length == SHORTEST and alpha < 0.5
    assert arrow_scale(1.0, 0.0) == (1.0, 1.0)  # nothing to compare with: full length


def _segment(arrow) -> tuple[np.ndarray, np.ndarray]:
    x, y = arrow.line.getData()
    return np.array([x[0], y[0]]), np.array([x[1] - x[0], y[1] - y[0]])


def test_the_momentum_arrow_points_the_way_the_step_goes_and_sizes_say_magnitude(view) -> None:
    run = Run("quadratic", "adam", (-3.5, 1.5), tol=0.0)
    history = RacerHistory(run.start, float(run.trajectory().loss[0]))
    history.append(run.advance(3000))
    view.set_racers({"adam": "Adam"}, run.start)
    view.update_racers({"adam": history})
    view.set_view((-4.0, 4.0, -4.0, 4.0))

    def show(row: int) -> None:
        w = history.vec("w")[row]
        vecs = [tuple(history.vec(k)[row]) for k in ("grad", "M", "dw", "G")]
        view.show_state((float(w[0]), float(w[1])), *vecs, racer="adam")

    show(5)
    _origin, m_arrow = _segment(view.arrows["M"])
    m, dw = history.vec("M")[5], history.vec("dw")[5]
    assert np.dot(m_arrow, dw) > 0 and np.dot(m_arrow, m) < 0  # −M, along the step taken
    assert view.arrows["M"].text.toPlainText().startswith("−M")
    early = np.hypot(*_segment(view.arrows["grad"])[1])
    show(len(history) - 1)  # converged: ‖g‖ many decades below its start
    assert np.hypot(*history.vec("grad")[-1]) < 1e-6 * np.hypot(*history.vec("grad")[1])
    late = np.hypot(*_segment(view.arrows["grad"])[1])
    assert late < 0.3 * early and view.arrows["grad"].line.opacity() < 0.5
    assert "e-" in view.arrows["grad"].text.toPlainText()  # its size, written on it


def test_between_the_readouts_frames_the_arrows_move_and_their_numbers_wait(view) -> None:
    """``numbers=False`` (a playing frame between the readout's, which change at 5 Hz): the
    arrow follows the step, its label keeps its number; a new racer's arrows say theirs at once."""
    view.set_view((-4.0, 4.0, -4.0, 4.0))

    def label() -> str:
        return view.arrows["grad"].text.toPlainText()

    view.show_state((0.0, 0.0), (1.0, 0.0), None, None, None, racer="a")
    assert label() == "−g 1"
    view.show_state((0.5, 0.0), (2.5, 0.0), None, None, None, racer="a", numbers=False)
    assert label() == "−g 1" and _segment(view.arrows["grad"])[0][0] == 0.5  # moved, same words
    view.show_state((0.5, 0.0), (2.5, 0.0), None, None, None, racer="a")
    assert label() == "−g 2.5"
    view.show_state((0.5, 0.0), (4.0, 0.0), None, None, None, racer="b", numbers=False)
    assert label() == "−g 4"  # another racer: its own size, not the last one's


def test_arrow_labels_neither_overlap_nor_leave_the_plot(view, qtbot) -> None:
    # SGD: Δw lies exactly along −g, and at the plot's corner the labels would be cut off
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    qtbot.wait(1)
    _x0, x1, _y0, y1 = view.current_view()
    corner = (x1 - 0.05, y1 - 0.05)
    view.show_state(corner, (-1.0, -1.0), (-1.0, -1.2), (0.5, 0.5), None)
    rects = []
    plot_rect = view.plot.vb.sceneBoundingRect()
    for arrow in view.arrows.values():
        assert arrow.text.isVisible()
        rect = arrow.text.sceneBoundingRect()
        assert plot_rect.contains(rect), arrow.name
        rects.append(rect)
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)


def test_the_root_g_label_stays_clear_of_the_arrow_labels(view, qtbot) -> None:
    """The √G glyph's label sat on its ellipse's upper right corner whatever was there: at
    900×640 it was drawn over "−g 1.1". It now takes a free corner of the ellipse."""
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    view.show_vectors["glyph"] = True
    qtbot.wait(1)
    checked = 0
    for angle in np.linspace(0.0, 2 * np.pi, 24, endpoint=False):
        g = (-float(np.cos(angle)), -float(np.sin(angle)))  # −g points at ``angle``
        view.show_state((0.0, 0.0), g, None, (0.3 * -g[0], 0.3 * -g[1]), (1.0, 0.6))
        glyph = view.glyph_label.sceneBoundingRect()
        assert view.glyph_label.isVisible()
        for arrow in view.arrows.values():
            if arrow.text.isVisible():
                checked += 1
                assert not glyph.intersects(arrow.text.sceneBoundingRect()), (round(angle, 2), arrow.name)
    assert checked >= 24


def test_an_arrow_label_leaves_its_racers_point_and_its_tip_uncovered(view, qtbot) -> None:
    """A short −g arrow's label, centred at 1.22× its length, sat on the racer's dot and hid the
    arrow's own minus ("g 0.55"): it now starts past the tip."""
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    qtbot.wait(1)
    origin = (0.0, 0.0)
    for vector in ((1e-3, 0.0), (0.0, -1e-3), (-1e-3, 1e-3)):  # tiny: the shortest arrows
        view.show_state(origin, vector, None, None, None)
        arrow = view.arrows["grad"]
        assert arrow.text.isVisible()
        label = arrow.text.sceneBoundingRect()
        tip = arrow.head.pos()
        for point in (origin, (tip.x(), tip.y())):
            assert not label.contains(view.plot.vb.mapViewToScene(QPointF(*point))), vector


def _coverage(item_cls: type, pen_width: float) -> np.ndarray:
    """Which pixels a curve of ``item_cls`` with a ``pen_width`` pen paints (its alpha, 0-255)."""
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter

    t = np.linspace(0.0, 6.0, 300)
    y = 75 + 50 * np.sin(2 * t) * np.exp(-t / 4)
    curve = item_cls(20 + 45 * t, y, pen=pg.mkPen("#c00", width=pen_width))
    image = QImage(300, 150, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    curve.paint(painter, None, None)
    painter.end()
    bits = np.frombuffer(image.constBits(), dtype=np.uint8).reshape(150, 300, 4)
    return bits[:, :, 3].astype(int)


def test_a_trail_drawn_as_thin_strokes_covers_the_band_the_wide_pen_covers(qtbot) -> None:
    """TrailCurve draws its 2.2 px pen as 2×2 one-pixel strokes (10× cheaper than Qt's stroker):
    the band it paints must be the wide pen's, not a thinner or shifted line."""
    import pyqtgraph as pg

    from gui.views.contour import TRAIL_WIDTH, TrailCurve

    fast = _coverage(TrailCurve, TRAIL_WIDTH)
    true = _coverage(pg.PlotCurveItem, TRAIL_WIDTH)
    thin = _coverage(pg.PlotCurveItem, 1.0)
    solid_true, solid_fast = true > 128, fast > 128
    # the wide pen's core is painted, and little outside its antialiased edge
    assert (solid_true & ~(fast > 0)).sum() == 0
    assert (solid_fast & ~(true > 0)).sum() <= 0.02 * solid_fast.sum()
    # as much ink as the wide pen (within 15 %), and clearly more than a 1 px line
    assert abs(fast.sum() - true.sum()) <= 0.15 * true.sum()
    assert fast.sum() > 1.5 * thin.sum()


def test_the_weight_axes_tick_in_the_weights_own_units_when_zoomed_in(view, qtbot) -> None:
    """A standardised data loss spans |w| < 1: its ticks must read 0.5, not 500 with "(x0.001)"."""
    view.plot.setRange(xRange=(-0.4, 1.2), yRange=(-0.75, 0.75), padding=0)
    qtbot.waitUntil(lambda: view.plot.vb.viewRange()[1][1] < 1)
    for axis in ("bottom", "left"):
        item = view.plot.getAxis(axis)
        assert item.autoSIPrefixScale == 1.0 and "x0.001" not in item.labelString()
        values = [v for _spacing, ticks in item.tickValues(-0.75, 0.75, 400) for v in ticks]
        assert any(0.1 <= abs(v) <= 0.75 for v in values)  # ticks in [-0.75, 0.75], not ±700


def test_the_readouts_box_covers_its_table(view, qtbot) -> None:
    """The readout's box is drawn around the whole table from its first showing (it was cached
    at the empty readout's size: the first twelve-row table stood over a strip of box)."""
    view.setBackground("k")  # the box is light: it shows against black
    view.grab()  # painted once with the readout hidden and empty
    rows = "".join(f"<tr><td>racer number {i} η=0.05</td><td>L=24.2</td></tr>" for i in range(12))
    view.set_readout(f"<table>{rows}</table>")
    box = view.mapFromScene(view.readout.sceneBoundingRect()).boundingRect()
    image = view.grab().toImage()
    for x, y in ((box.left() + 2, box.bottom() - 2), (box.right() - 2, box.bottom() - 2),
                 (box.left() + 2, box.top() + 2), (box.right() - 2, box.top() + 2)):  # fmt: skip
        assert image.pixelColor(x, y).lightness() > 200, (x, y, box)


def test_a_legend_growing_between_its_placings_stays_in_its_corner_and_in_the_plot(view, qtbot) -> None:
    """Playing, the legend's corner is weighed only every few updates (``place=False`` between):
    a legend at the top right whose losses grew (L=1 → L=0.2654) ran past the plot's right
    edge, and the plot cut the losses ("L=0.2"). It keeps its corner at its new size."""
    view.resize(500, 400)
    view.show()
    qtbot.waitExposed(view)
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    short = "<table><tr><td>SGD</td><td>L=1</td></tr></table>"
    long = "<table><tr><td>SGD</td><td>L=0.26543333</td></tr><tr><td>Adam</td><td>L=0.2</td></tr></table>"
    view.set_readout(short, place=False)
    width, height = view.plot.vb.width(), view.plot.vb.height()
    for corner in range(4):
        view.readout.setPos(*view._readout_corners(view.readout.boundingRect())[corner])
        view.set_readout(long, place=False)
        box = view.readout.boundingRect()
        pos = view.readout.pos()
        assert (pos.x(), pos.y()) == view._readout_corners(box)[corner]
        assert 0 < pos.x() < pos.x() + box.width() < width
        assert 0 < pos.y() < pos.y() + box.height() < height
        view.set_readout(short, place=False)  # and back: the same corner again
        assert (view.readout.pos().x(), view.readout.pos().y()) == view._readout_corners(
            view.readout.boundingRect()
        )[corner]


def _legend_over(view: ContourView, x: float, y: float) -> None:
    """Show a twelve-row legend with its box over the point (x, y) of the plot."""
    rows = "".join(f"<tr><td>racer number {i}</td><td>L=24.2</td></tr>" for i in range(12))
    view.set_readout(f"<table>{rows}</table>", place=False)
    at = view.plot.vb.mapFromView(QPointF(x, y))
    view.readout.setPos(at.x() - 30, at.y() - 30)


def _lightness_at(view: ContourView, x: float, y: float) -> int:
    at = view.mapFromScene(view.plot.vb.mapViewToScene(QPointF(x, y)))
    return view.grab().toImage().pixelColor(at.x(), at.y()).lightness()


def test_the_legend_fades_while_a_racers_dot_is_under_it_and_comes_back_once_clear(view) -> None:
    """Twelve racers on a projector's narrow plot: the legend covered half of it, and a racer
    under it (dot, arrows) could not be seen. Faded, the black dot shows through it."""
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    view.gives_way = True  # the window's does; an export's does not
    view.set_racers({"a": "A"}, (0.0, 0.0), {"a": "#000000"})
    view.update_racers({"a": RacerHistory((0.0, 0.0), 1.0)})
    _legend_over(view, 0.0, 0.0)
    assert _lightness_at(view, 0.0, 0.0) > 200  # the legend's white box over the black dot
    view.give_way(now=10.0)  # playing
    assert view.readout.opacity() == READOUT_FADED
    assert _lightness_at(view, 0.0, 0.0) < 120  # the dot shows through
    view.update_racers({"a": RacerHistory((-3.5, -3.5), 1.0)})  # out from under it
    view.give_way(now=10.0 + READOUT_CLEAR_S / 2)
    assert view.readout.opacity() == READOUT_FADED  # not yet: a racer on its edge would flicker
    view.give_way(now=10.0 + READOUT_CLEAR_S + 0.01)
    assert view.readout.opacity() == 1.0
    view.update_racers({"a": RacerHistory((0.0, 0.0), 1.0)})
    view.give_way()  # paused, or a step on the timeline: at once, both ways
    assert view.readout.opacity() == READOUT_FADED
    view.update_racers({"a": RacerHistory((-3.5, -3.5), 1.0)})
    view.give_way()
    assert view.readout.opacity() == 1.0
    at = view.plot.vb.mapFromView(QPointF(0.0, 0.0))
    view.readout.setPos(at.x() + 3, at.y() - 30)  # the dot's centre just off its left edge
    view.give_way()
    assert view.readout.opacity() == 1.0  # half of it is in view: no need to fade
    view.gives_way = False  # an export's legend: as it is
    view.readout.setPos(at.x() - 30, at.y() - 30)
    view.give_way()
    assert view.readout.opacity() == 1.0
    view.gives_way = True
    view.set_readout("")  # no legend: nothing to fade
    view.update_racers({"a": RacerHistory((0.0, 0.0), 1.0)})
    view.give_way()
    assert view.readout.opacity() == 1.0


def test_the_legend_fades_over_the_selected_racers_arrow_and_moving_it_looks_again(view) -> None:
    view.set_view((-4.0, 4.0, -4.0, 4.0))
    view.gives_way = True
    view.set_racers({"a": "A"}, (-3.0, -3.0))
    view.update_racers({"a": RacerHistory((-3.0, -3.0), 1.0)})
    view.show_state((-3.0, -3.0), (-1.0, -1.0), None, None, None)  # −g points up and right
    tip = view.arrows["grad"].tip
    assert tip[0] > -3.0 and tip[1] > -3.0
    _legend_over(view, *tip)
    view.give_way()
    assert view.readout.opacity() == READOUT_FADED
    view.readout.setPos(-1000, -1000)  # then the legend goes to a corner clear of it
    view.place_readout()  # (it moved, so it looks at once)
    assert view.readout.opacity() == 1.0
