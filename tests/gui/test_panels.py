"""The per-weight plots: thinned rows, and y ranges that follow the data in round steps."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.optimizers import OPTIMIZERS
from engine.simulate import Run
from gui.history import RacerHistory
from gui.views.panels import (
    MAX_POINTS,
    ROWS,
    PerWeightPanels,
    _thin_rows,
    fit_range,
    nice_step,
    robust_extent,
)
from tests.gui.conftest import shown


@pytest.mark.parametrize(("span", "step"), [(0.7, 1.0), (1.0, 1.0), (1.3, 2.0), (3.0, 5.0), (0.004, 0.005)])
def test_nice_steps(span: float, step: float) -> None:
    assert nice_step(span) == pytest.approx(step)


def test_a_range_is_kept_while_the_data_fill_it() -> None:
    assert fit_range(0.1, 0.9, (0.0, 1.0)) is None
    assert fit_range(0.2, 0.5, (0.0, 1.0)) is None  # fills 30 %


def test_growing_data_widen_the_range_to_round_numbers_with_headroom() -> None:
    lo, hi = fit_range(0.0, 1.2, (0.0, 1.0))
    assert lo <= 0.0 and hi >= 1.2 + 0.25 * 1.2 - 1e-12
    step = nice_step((hi - lo) / 5)
    assert lo / step == pytest.approx(round(lo / step)) and hi / step == pytest.approx(round(hi / step))
    # the next few frames of growth fit without moving the axis
    assert fit_range(0.0, 1.35, (lo, hi)) is None


def test_shrinking_data_shrink_the_range() -> None:
    new = fit_range(0.0, 0.1, (0.0, 1.0))
    assert new is not None and new[1] - new[0] < 0.5 and new[0] <= 0.0 and new[1] >= 0.1


def test_a_single_value_gets_a_range_around_it() -> None:
    lo, hi = fit_range(3.0, 3.0, None)
    assert lo < 3.0 < hi
    # all zeros (RMSprop's M): a plain unit range, not ±5e-13 tick labels
    lo, hi = fit_range(0.0, 0.0, None)
    assert lo <= -0.5 and hi >= 0.5 and hi - lo <= 2.0
    assert fit_range(0.0, 0.0, (lo, hi)) is None  # and it stays


def test_thin_rows_keeps_the_last_row_and_bounds_the_count() -> None:
    np.testing.assert_array_equal(_thin_rows(5, 1), [1, 2, 3, 4])
    rows = _thin_rows(100_001, 0)
    assert rows[0] == 0 and rows[-1] == 100_000 and rows.size <= MAX_POINTS + 1
    assert np.all(np.diff(rows) > 0)


@pytest.fixture
def panels(qtbot):
    return shown(qtbot, PerWeightPanels(), (460, 700))


def _histories(steps: int) -> dict[str, RacerHistory]:
    out = {}
    for name in ("adagrad", "rmsprop", "adam"):
        run = Run("quadratic", name, (-3.5, 1.5), tol=0.0)
        h = RacerHistory(run.start, float(run.trajectory().loss[0]))
        h.append(run.advance(steps))
        out[name] = h
    return out


def _shown_bounds(panels: PerWeightPanels, key: str) -> tuple[float, float]:
    ys = [c.getData()[1] for (_n, k, _i), c in panels._curves.items() if k == key]
    finite = np.concatenate([y[np.isfinite(y)] for y in ys if y is not None])
    return float(finite.min()), float(finite.max())


def test_every_plot_shows_all_its_data_as_the_race_goes_on(panels, qtbot) -> None:
    adaptive = {n: OPTIMIZERS[n].adaptive for n in ("adagrad", "rmsprop", "adam")}
    panels.set_racers(list(adaptive))
    for steps in (3, 10, 30, 100, 300):
        panels.update_racers(_histories(steps), adaptive)
        qtbot.wait(1)
        for key, *_ in ROWS:
            lo, hi = _shown_bounds(panels, key)
            (y0, y1) = panels.plots[key].vb.viewRange()[1]
            assert y0 <= lo and hi <= y1, (key, steps)
            assert (hi - lo) >= 0.3 * (y1 - y0) - 1e-12 or math.isclose(hi, lo), key
    # the log-scale rate plot holds log10 of the engine's rates
    _x, y = panels.curve_data("adagrad", "lr", 0)
    np.testing.assert_array_equal(panels._curves[("adagrad", "lr", 0)].getData()[1], np.log10(y))


def test_a_zoomed_plot_stays_put_until_its_auto_button(panels, qtbot) -> None:
    adaptive = {"adam": True}
    panels.set_racers(["adam"])
    run = Run("quadratic", "adam", (-3.5, 1.5), tol=0.0)
    h = RacerHistory(run.start, float(run.trajectory().loss[0]))
    h.append(run.advance(50))
    panels.update_racers({"adam": h}, adaptive)
    plot = panels.plots["w"]
    plot.vb.sigRangeChangedManually.emit([False, True])  # as a wheel zoom does
    plot.setYRange(100.0, 200.0, padding=0)
    h.append(run.advance(500))
    panels.update_racers({"adam": h}, adaptive)
    assert plot.vb.viewRange()[1] == pytest.approx([100.0, 200.0])
    plot.autoBtn.clicked.emit(plot.autoBtn)  # pyqtgraph ButtonItem sends itself
    lo, hi = _shown_bounds(panels, "w")
    y0, y1 = plot.vb.viewRange()[1]
    assert y0 <= lo and hi <= y1 < 100.0


@pytest.mark.parametrize(
    ("lo", "hi"), [(-1e308, 1e308), (1e308, 1.7e308), (-1.7e308, -1e307), (5e-324, 1e-323)]
)
def test_data_at_the_float_limits_get_a_finite_range(lo: float, hi: float) -> None:
    """A racer blowing up (w → 1e308 on a linear loss) must not break the plot that shows it."""
    new = fit_range(lo, hi, None)
    assert new is not None
    assert all(map(math.isfinite, new)) and new[0] < new[1]
    assert new[0] <= max(lo, -1e307) and new[1] >= min(hi, 1e307)


def test_a_step_axis_jump_reaches_the_plots_two_at_a_time(panels, qtbot) -> None:
    """All six plots repainting in one frame was the longest stall flat out."""
    adaptive = {n: OPTIMIZERS[n].adaptive for n in ("adagrad", "rmsprop", "adam")}
    panels.set_racers(list(adaptive))
    histories = _histories(30)
    panels.update_racers(histories, adaptive)
    keys = [key for key, *_ in ROWS]
    before = {k: tuple(panels.plots[k].vb.viewRange()[0]) for k in keys}
    assert len(set(before.values())) == 1 and before[keys[0]][1] < 60
    longer = _histories(300)  # past the axis' end: it jumps to 0 … 500
    for turn in range(3):
        shown = tuple(keys[2 * turn : 2 * turn + 2])
        panels.update_racers(longer, adaptive, shown, stagger=True)
        for k in keys:
            x1 = panels.plots[k].vb.viewRange()[0][1]
            moved = keys.index(k) < 2 * turn + 2
            assert (x1 > 500) == moved, (turn, k)
    assert len({tuple(panels.plots[k].vb.viewRange()[0]) for k in keys}) == 1
    # at 1× the plots jump together: a ripple across them would look like a fault
    panels.update_racers(_histories(700), adaptive, tuple(keys[:2]))
    assert len({tuple(panels.plots[k].vb.viewRange()[0]) for k in keys}) == 1
    assert panels.plots[keys[-1]].vb.viewRange()[0][1] > 1000


def test_a_zoom_on_one_plot_moves_every_plots_steps_until_the_auto_button(panels, qtbot) -> None:
    adaptive = {"adam": True}
    panels.set_racers(["adam"])
    panels.update_racers(_histories(100), adaptive)
    plot = panels.plots["G"]
    plot.setXRange(20.0, 40.0, padding=0)
    plot.vb.sigRangeChangedManually.emit([True, True])
    assert all(p.vb.viewRange()[0] == pytest.approx([20.0, 40.0]) for p in panels.plots.values())
    panels.update_racers(_histories(900), adaptive)  # a jump would come here: the zoom stays
    assert all(p.vb.viewRange()[0] == pytest.approx([20.0, 40.0]) for p in panels.plots.values())
    plot.autoBtn.clicked.emit(plot.autoBtn)
    assert all(p.vb.viewRange()[0][1] > 900 for p in panels.plots.values())


def test_at_step_0_the_empty_plots_say_what_fills_them(panels) -> None:
    histories = _histories(0)
    panels.set_racers(list(histories))
    panels.update_racers(histories, {name: True for name in histories})
    assert panels.empty_hint.isVisible() and "press Step or Play" in panels.empty_hint.toPlainText()
    vb = panels.plots["lr"].vb
    assert panels.empty_hint.pos().x() == pytest.approx(vb.width() / 2)
    histories = _histories(3)
    panels.update_racers(histories, {name: True for name in histories})
    assert not panels.empty_hint.isVisible()


def _history(loss: str, name: str, steps: int, start=(-3.5, 1.5), **hyper) -> RacerHistory:
    run = Run(loss, name, start, **hyper)
    h = RacerHistory(run.start, float(run.trajectory().loss[0]))
    h.append(run.advance(steps))
    return h


def _adaptive(names) -> dict[str, bool]:
    return {n: OPTIMIZERS[n].adaptive for n in names}


def test_reach_ratio_decides_who_sets_the_scale() -> None:
    extents = {"big": (-40.0, 39.0), "small": (-2.0, 8.0), "flat": (0.0, 0.0)}
    assert robust_extent(extents, "small", log=False) == ((-2.0, 8.0), {"big"})
    # the selected racer always fits, whatever its size
    assert robust_extent(extents, "big", log=False) == ((-40.0, 39.0), set())
    # close reaches all count; a flat zero never makes another racer "far"
    assert robust_extent({"a": (0.0, 3.0), "b": (-1.0, 2.0)}, None, log=False) == ((-1.0, 3.0), set())
    assert robust_extent({"a": (0.0, 3.0), "z": (0.0, 0.0)}, None, log=False) == ((0.0, 3.0), set())
    # log plots compare decades
    assert robust_extent({"a": (-2.0, 9.0), "b": (-3.0, 1.0)}, "b", log=True)[1] == {"a"}
    assert robust_extent({"a": (-2.0, 4.0), "b": (-3.0, 1.0)}, "b", log=True)[1] == set()


def test_a_diverged_racer_does_not_set_a_plots_range_and_ends_in_a_cross_at_its_edge(panels) -> None:
    histories = {
        "sgd": _history("quadratic", "sgd", 400, lr=5.0),
        "adam": _history("quadratic", "adam", 400),
    }
    assert histories["sgd"].status == "diverged"
    assert np.abs(histories["sgd"].vec("grad")).max() > 1e100
    panels.set_racers(list(histories))
    panels.set_selected("adam")
    panels.update_racers(histories, _adaptive(histories))
    for key in ("grad", "w", "loss"):
        y0, y1 = panels.plots[key].vb.viewRange()[1]
        adam = panels._shown(key, histories["adam"].vec(key)[1:] if key != "loss" else histories["adam"].loss)
        assert y0 <= np.nanmin(adam) and np.nanmax(adam) <= y1, key
        assert y1 - y0 < 100, key  # not ±1e151 (or 151 decades)
        assert "sgd" in panels.clipped[key]
        # the curve stops at the plot's edge, where a ✗ in its colour sits
        _x, shown = panels._curves[("sgd", key, 0)].getData()
        assert np.all(shown[np.isfinite(shown)] <= y1) and np.all(shown[np.isfinite(shown)] >= y0)
        marks = panels.clip_marks[key].data
        assert "x" in list(marks["symbol"])
        mark = marks[list(marks["symbol"]).index("x")]
        assert y0 < mark["y"] < y1 and mark["y"] == pytest.approx(shown[-1])


def test_a_racer_far_larger_than_the_rest_is_left_out_of_the_scale_until_selected(panels) -> None:
    # the default race's heavy ball: its M reaches ~39, Adam's ~8
    histories = {n: _history("quadratic", n, 300, start=None) for n in ("momentum", "adam")}
    panels.set_racers(list(histories))
    panels.set_selected("adam")
    panels.update_racers(histories, _adaptive(histories))
    y0, y1 = panels.plots["M"].vb.viewRange()[1]
    assert y1 - y0 < 30 and panels.clipped["M"] == {"momentum"}
    assert set(panels.clip_marks["M"].data["symbol"]) <= {"t", "t1"} and len(panels.clip_marks["M"].data)
    assert panels.clip_marks["M"].isVisible()
    given = []  # the same marks again (played on, the curve leaves at the same step): not given again
    panels.clip_marks["M"].setData = lambda *a, **k: given.append(k)
    panels._fit_y("M")  # what each update with new rows does
    assert given == [] and panels.clipped["M"] == {"momentum"}
    del panels.clip_marks["M"].setData
    panels.set_selected("momentum")  # what the learner looks at always fits
    y0, y1 = panels.plots["M"].vb.viewRange()[1]
    m = histories["momentum"].vec("M")
    assert y0 <= m.min() and m.max() <= y1 and panels.clipped["M"] == set()
    assert len(panels.clip_marks["M"].data) == 0
    assert not panels.clip_marks["M"].isVisible()  # an empty scatter is not repainted at all


def test_a_selected_racer_running_away_does_not_flatten_the_others(panels) -> None:
    """SGD at η = 0.3 on the κ = 10 bowl, selected: its w and g grow ×2 a step for hundreds of
    steps before the engine calls it diverged, and the plots followed it to ±1e60."""
    histories = {"sgd": _history("quadratic", "sgd", 150, start=None, lr=0.3)}
    histories.update({n: _history("quadratic", n, 150, start=None) for n in ("rmsprop", "adam")})
    assert histories["sgd"].status != "diverged" and np.abs(histories["sgd"].vec("w")).max() > 1e30
    panels.set_racers(list(histories))
    panels.set_selected("sgd")
    panels.update_racers(histories, _adaptive(histories))
    for key in ("w", "grad"):
        y0, y1 = panels.plots[key].vb.viewRange()[1]
        assert y1 - y0 < 100 and "sgd" in panels.clipped[key], key  # the others keep their scale
        assert len(panels.clip_marks[key].data)  # and SGD's curve is marked where it leaves
    top = np.log10(max(h.loss.max() for n, h in histories.items() if n != "sgd"))
    assert panels.plots["loss"].vb.viewRange()[1][1] < top + 2  # log L: not up to 1e100


def test_a_runaway_racers_zig_zag_leaves_gaps_far_outside_the_plot_not_a_block(panels) -> None:
    """SGD at η = 0.3 on the κ = 10 bowl: w2 and g2 double and flip sign at every step. Drawn
    whole, out of scale, its lines crossed the plot from far above to far below at every step
    and covered the selected racer's curve as a hatched block."""
    histories = {"sgd": _history("quadratic", "sgd", 150, start=None, lr=0.3)}
    histories["adam"] = _history("quadratic", "adam", 150, start=None)
    panels.set_racers(list(histories))
    panels.set_selected("adam")
    panels.update_racers(histories, _adaptive(histories))
    for key in ("w", "grad"):
        y0, y1 = panels.plots[key].vb.viewRange()[1]
        assert "sgd" in panels.clipped[key] and len(panels.clip_marks[key].data), key
        x, values = panels.curve_data("sgd", key, 1)
        drawn_x, drawn = panels._curves[("sgd", key, 1)].getData()
        np.testing.assert_array_equal(drawn_x, x)
        inside = (values >= y0) & (values <= y1)
        beside = inside | np.r_[False, inside[:-1]] | np.r_[inside[1:], False]
        # every point inside the plot, and each one next to it, as it is; the rest left out
        np.testing.assert_array_equal(drawn[beside], values[beside])
        assert np.isnan(drawn[~beside]).all() and (~beside).sum() > 100, key
        # no line from outside to outside the plot at each of those steps: one crossing at most
        both_out = ~((drawn[1:] >= y0) & (drawn[1:] <= y1)) & ~((drawn[:-1] >= y0) & (drawn[:-1] <= y1))
        assert np.sum(both_out & np.isfinite(drawn[1:]) & np.isfinite(drawn[:-1])) <= 1, key
        # the scale fits the others: the gaps do not make SGD look in scale on the next update
        panels._fit_y(key)
        assert panels.plots[key].vb.viewRange()[1] == [y0, y1] and "sgd" in panels.clipped[key]
        # the learner zooms out over all of it: every point is drawn again
        vb = panels.plots[key].vb
        vb.setYRange(-1e50, 1e50, padding=0.0)
        vb.sigRangeChangedManually.emit(vb.state["mouseEnabled"])
        np.testing.assert_array_equal(panels._curves[("sgd", key, 1)].getData()[1], values)


def test_ranges_reset_between_races(panels) -> None:
    histories = {"sgd": _history("quadratic", "sgd", 60, lr=1.05)}
    panels.set_racers(list(histories))
    panels.set_selected("sgd")  # growing, not yet diverged, and alone: it sets the scale
    panels.update_racers(histories, _adaptive(histories))
    assert histories["sgd"].status != "diverged"
    assert panels.plots["grad"].vb.viewRange()[1][1] > 1e3
    panels.set_racers(["adam"])  # a new race or lesson: nothing of the last one on an axis
    for key, *_ in ROWS:
        assert panels.plots[key].vb.viewRange()[1] == pytest.approx([0.0, 1.0]), key
        assert len(panels.clip_marks[key].data) == 0


def test_a_log_loss_plot_shows_losses_at_or_below_zero_linearly_and_says_so(panels) -> None:
    histories = {"adam": _history("saddle", "adam", 100, start=None)}
    assert histories["adam"].loss.min() < 0
    panels.set_racers(["adam"])
    assert panels.is_log("loss")
    panels.update_racers(histories, _adaptive(histories))
    assert not panels.is_log("loss") and panels.log_y["loss"]  # asked for log, shown linear
    _x, shown = panels._curves[("adam", "loss", 0)].getData()
    np.testing.assert_array_equal(shown, histories["adam"].loss)  # every point, none dropped
    note = panels.scale_notes["loss"]
    assert note.isVisible() and "L ≤ 0" in note.toPlainText()
    # said inside the plot (beside "L" on its axis it ran into the w plot's label)
    assert panels.plots["loss"].vb.sceneBoundingRect().contains(note.sceneBoundingRect())
    y0, y1 = panels.plots["loss"].vb.viewRange()[1]
    assert y0 <= shown.min() and shown.max() <= y1
    panels.set_racers(["adam"])  # a new race starts on the asked-for log scale again
    assert panels.is_log("loss") and not note.isVisible()


def test_log_turned_on_over_losses_below_zero_already_drawn_shows_them_linearly_and_says_so(panels) -> None:
    """A finished race with L < 0, then "log L": every curve past L = 0 vanished (log10 of a
    negative number), without a word; the check ran only when new rows came."""
    histories = {"adam": _history("saddle", "adam", 100, start=None)}
    panels.set_racers(["adam"])
    panels.set_log("loss", False)
    panels.update_racers(histories, _adaptive(histories))
    note = panels.scale_notes["loss"]
    assert not note.isVisible()
    panels.set_log("loss", True)  # the race is over: no rows come any more
    assert not panels.is_log("loss") and panels.log_y["loss"]
    _x, shown = panels._curves[("adam", "loss", 0)].getData()
    np.testing.assert_array_equal(shown, histories["adam"].loss)  # every point, none dropped
    assert note.isVisible() and "L ≤ 0" in note.toPlainText()
    panels.set_log("loss", False)  # off again: linear, and nothing to say
    assert not panels.is_log("loss") and not note.isVisible()
    positive = {"adam": _history("quadratic", "adam", 50)}
    panels.set_racers(["adam"])
    panels.update_racers(positive, _adaptive(positive))
    panels.set_log("loss", True)  # all above zero: log, as asked
    assert panels.is_log("loss") and not note.isVisible()


def test_a_rule_without_momentum_gets_no_m_curve(panels) -> None:
    histories = {n: _history("quadratic", n, 20) for n in ("sgd", "rmsprop", "adam")}
    panels.set_racers(list(histories), without_momentum=["sgd", "rmsprop"])
    panels.update_racers(histories, _adaptive(histories))
    m_curves = {name for (name, key, _i) in panels._curves if key == "M"}
    assert m_curves == {"adam"}
    # and no step-0 point for the values that only exist after a step
    for key in ("lr", "G", "M", "grad"):
        x, _y = panels._curves[("adam", key, 0)].getData()
        assert x[0] == 1, key


def test_switching_the_loss_plots_scale_keeps_its_step_axis_with_the_others(panels) -> None:
    histories = {"adam": _history("quadratic", "adam", 30)}
    panels.set_racers(["adam"])
    panels.update_racers(histories, _adaptive(histories))
    for log in (False, True):
        panels.set_log("loss", log)
        assert panels.plots["loss"].vb.viewRange()[0] == panels.plots["w"].vb.viewRange()[0]


def test_the_plots_key_says_which_colour_is_which_racer(panels) -> None:
    from gui import theme

    panels.set_racers(["sgd", "adam"], labels={"sgd": "SGD", "adam": "Adam"})
    key = panels.title.text
    for name, label in (("sgd", "SGD"), ("adam", "Adam")):
        assert theme.racer_color(name) in key and label in key
    assert "w1" in key and "w2" in key


def test_the_first_n_steps_fill_the_plots_at_full_resolution_and_set_their_ranges(panels, qtbot) -> None:
    """'Plots show: the first 50 steps' of a 2,000-step race: every one of those steps is drawn
    (not every 3rd, as thinning the whole race for 800 points would), the step axis ends at 50
    whatever the race's length, and the y ranges fit those steps alone."""
    adaptive = {n: OPTIMIZERS[n].adaptive for n in ("adagrad", "rmsprop", "adam")}
    panels.set_racers(list(adaptive))
    histories = _histories(2000)
    panels.update_racers(histories, adaptive)
    x_all, _y = panels.curve_data("adam", "w", 0)
    assert x_all[-1] == 2000 and np.diff(x_all).min() > 1  # thinned: 2001 rows > MAX_POINTS
    loss_range_all = panels.plots["loss"].vb.viewRange()[1]
    panels.set_step_window(50)
    panels.update_racers(histories, adaptive)
    x, y = panels.curve_data("adam", "w", 0)
    np.testing.assert_array_equal(x, np.arange(52))  # steps 0 … 50 and one past the edge
    np.testing.assert_array_equal(y, histories["adam"].vec("w")[:52, 0])  # the engine's numbers
    g_steps, _ = panels.curve_data("adam", "grad", 0)
    assert g_steps[0] == 1  # step 0 has no g
    for plot in panels.plots.values():
        x0, x1 = plot.vb.viewRange()[0]
        assert x0 < 0 < 50 < x1 < 52
    # the losses of steps 0 … 51 fill the loss plot (log10): its range is theirs, not the race's
    losses = np.log10(np.concatenate([h.loss[:52] for h in histories.values()]))
    lo, hi = panels.plots["loss"].vb.viewRange()[1]
    assert lo <= losses.min() and losses.max() <= hi
    assert (losses.max() - losses.min()) >= 0.3 * (hi - lo)
    assert lo > loss_range_all[0] + 1  # the whole race's lowest losses no longer set it
    histories = _histories(2500)  # the race goes on: the window stays
    panels.update_racers(histories, adaptive)
    assert panels.plots["loss"].vb.viewRange()[0][1] < 52
    panels.set_step_window(None)  # back to all steps: the axis takes the whole race again
    panels.update_racers(histories, adaptive)
    assert panels.curve_data("adam", "w", 0)[0][-1] == 2500
    assert all(p.vb.viewRange()[0][1] >= 2500 for p in panels.plots.values())


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
@pytest.mark.parametrize(("lo", "hi", "pixels"), [(-10.0, 45.0, 55.0), (-3.2, 0.6, 60.0), (0.0, 1.0, 120.0)])
def test_linear_tick_labels_never_print_over_each_other(qtbot, scale, lo, hi, pixels) -> None:
    """Presenting (1.5× text on 60-pixel plots) printed M's "20" over its "0"."""
    from PySide6.QtGui import QFont, QFontMetricsF

    from gui.views.panels import LABEL_GAP, SparseLogAxis

    axis = SparseLogAxis("left")
    font = QFont()
    font.setPointSizeF(font.pointSizeF() * scale)
    axis.setStyle(tickFont=font)
    levels = axis.tickSpacing(lo, hi, pixels)
    assert levels
    text_px = QFontMetricsF(font).height()
    for spacing, _offset in levels:  # every level pyqtgraph may label
        assert spacing / (hi - lo) * pixels >= LABEL_GAP * text_px - 1e-9
    first = math.ceil(lo / levels[0][0]) * levels[0][0]
    assert lo <= first <= hi  # at least one label stays


def test_the_key_wraps_so_the_plots_stay_inside_a_narrow_presenting_view(qtbot) -> None:
    """Presenting at 1024 pixels, a key of three racers a line was wider than the plots: the
    layout grew past the view and cut the plots' right side off."""
    panels = shown(qtbot, PerWeightPanels(), (440, 600))
    names = ["sgd", "momentum-lecture", "adagrad", "rmsprop", "adam-lecture"]
    labels = {n: OPTIMIZERS[n].title for n in names}
    panels.set_racers(names, labels=labels)
    panels.set_display_scale(1.5)
    qtbot.wait(20)
    width = panels.viewport().width()
    key = panels.title.item.sceneBoundingRect()
    assert key.right() <= width
    for plot in panels.plots.values():
        assert plot.sceneBoundingRect().right() <= width + 1
    text = panels.title.text
    assert all(label in text for label in labels.values()) and "w1" in text
    assert text.count("<br>") >= 2  # wrapped, not one line per three racers regardless of width


def test_log_tick_labels_skip_decades_rather_than_print_over_each_other(qtbot) -> None:
    from PySide6.QtGui import QFont, QFontMetricsF

    from gui.views.panels import LABEL_GAP, SparseLogAxis

    axis = SparseLogAxis("left")
    axis.setLogMode(False, True)
    font = QFont()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    axis.setStyle(tickFont=font)
    levels = axis.tickSpacing(-4.5, 0.5, 60.0)  # L from 3e-5 to 3 on a 60-pixel plot
    text_px = QFontMetricsF(font).height()
    assert levels and all(s / 5.0 * 60.0 >= LABEL_GAP * text_px for s, _o in levels)
    assert levels[0][0] in (2.0, 5.0)  # every 2nd or 5th decade


def test_labels_inside_a_short_plot_are_round_apart_and_inside() -> None:
    """Two or more round labels inside lo … hi, ``gap`` apart (see SparseLogAxis.generateDrawSpecs)."""
    from gui.views.panels import labels_inside, log_label

    assert labels_inside(-3.3, 23.3, 19.5, log=False) == (20.0, [0.0, 20.0])
    # w from -2.7 to 0.7, labels 2.1 apart: neither 5s nor 2s nor 1s give two, halves do
    assert labels_inside(-2.7, 0.7, 2.1, log=False) == (0.5, [-2.5, 0.5])
    assert labels_inside(0.02, 0.9, 0.3, log=False) == (0.2, [0.2, 0.8])  # ends of 0.2 … 0.8
    # log: two decades; then 1-2-5 marks; then round values of a plot less than a decade tall
    assert labels_inside(-1.6, 1.5, 1.5, log=True) == (1.0, [-1.0, 1.0])
    spacing, values = labels_inside(-2.4, -1.6, 0.3, log=True)
    assert [round(10**v, 9) for v in values] == [0.005, 0.01, 0.02]
    spacing, values = labels_inside(-0.08, 0.1, 0.05, log=True)  # L from 0.83 to 1.26
    assert spacing == 0.2 and [round(10**v, 9) for v in values] == [1.0, 1.2]
    assert [log_label(math.log10(x)) for x in (1e-5, 5e-5, 0.02, 1.0, 1.2, 1e4)] == [
        "10⁻⁵", "5·10⁻⁵", "0.02", "1", "1.2", "10⁴",
    ]  # fmt: skip
    assert labels_inside(0.0, 1.0, 2.0, log=False) == (0.0, [])  # no room: none
    # a diverged racer's numbers at the float limits: no label, no exception (a paint would fail)
    assert labels_inside(1e-320, 2e-320, 1e-310, log=False) == (0.0, [])
    assert labels_inside(0.5, math.nextafter(0.5, 1.0), 1e-3, log=True) == (0.0, [])


def test_the_step_0_hint_wraps_inside_a_narrow_column(qtbot) -> None:
    """After a splitter move made the plots' column narrow, "Each step adds a point…" ran past
    both sides of the plot, cut off ("ach step adds a point to these plots: press")."""
    panels = shown(qtbot, PerWeightPanels(), (300, 600))
    histories = _histories(0)
    panels.set_racers(list(histories))
    panels.update_racers(histories, {name: True for name in histories})
    qtbot.wait(1)
    hint, vb = panels.empty_hint, panels.plots["lr"].vb
    box, plot = hint.sceneBoundingRect(), vb.sceneBoundingRect()
    assert vb.width() < 260 and plot.left() - 1 <= box.left() and box.right() <= plot.right() + 1, (box, plot)
    panels.resize(900, 600)  # wide again: one line, centred
    qtbot.wait(1)
    box, plot = hint.sceneBoundingRect(), vb.sceneBoundingRect()
    assert box.height() < 2.2 * hint.textItem.document().firstBlock().layout().lineAt(0).height() + 20
    assert box.center().x() == pytest.approx(plot.center().x(), abs=2)


def test_with_no_round_pair_that_fits_the_ends_are_labelled() -> None:
    """Presenting at 1366×768 the loss plot (1.4e-6 … 17 on 58 pixels) had no label at all:
    no two decades, 1-2-5 marks or round values fitted. Its ends, to one digit, inwards."""
    from gui.views.panels import labels_inside, log_label

    _spacing, values = labels_inside(-5.6, -0.8, 4.5, log=True)
    assert [log_label(v) for v in values] == ["3·10⁻⁶", "0.1"]
    assert values[0] >= -5.6 and values[1] <= -0.8 and values[1] - values[0] >= 4.5
    spacing, values = labels_inside(-3.3, 23.3, 25.0, log=False)
    assert values == [-3.0, 23.0] and spacing == 1.0


def test_a_log_axis_over_hundreds_of_decades_draws_no_minor_tick_per_decade(qtbot) -> None:
    """G spanning 1e-307 … 1e292 made 5,400 minor ticks (2…9 of every decade) on a 60-pixel
    axis: 70 ms to repaint it. Past one tick per MIN_TICK_PX pixels they go; a short span keeps them."""
    from gui.views.panels import MIN_TICK_PX, SparseLogAxis

    axis = SparseLogAxis("left")
    axis.setLogMode(False, True)
    axis.resize(58, 60)
    wide = axis.tickValues(-307.6, 292.4, 60.0)
    assert sum(len(values) for _spacing, values in wide) < 60 / MIN_TICK_PX
    assert all(spacing is not None for spacing, _values in wide)  # no per-decade minor level
    tall = axis.tickValues(-3.0, 1.0, 400.0)  # a tall plot keeps them
    tall_minor = [values for spacing, values in tall if spacing is None]
    assert tall_minor and any(abs(v - (-3 + math.log10(2))) < 1e-12 for v in tall_minor[0])


def test_a_rule_without_g_leaves_its_empty_g_curves_alone_and_the_ranges_follow_the_drawn_values(
    panels, monkeypatch
) -> None:
    """SGD has no G: its G curves stay empty, so later updates do not set them again (each set repaints
    its plot). The y range is fitted to the values as drawn (log10 on the log G plot)."""
    names = ["sgd", "adam"]
    panels.set_racers(names)
    sets: list[str] = []
    for (name, key, i), curve in panels._curves.items():
        original = curve.setData
        monkeypatch.setattr(
            curve, "setData", lambda *a, _o=original, _k=(name, key, i), **k: (sets.append(_k), _o(*a, **k))
        )
    for steps in (5, 40):
        histories = {n: _history("quadratic", n, steps) for n in names}
        panels.update_racers(histories, _adaptive(names))
    assert ("sgd", "G", 0) in panels._curves and len(panels._curves[("sgd", "G", 0)].getData()[0]) == 0
    assert sets.count(("sgd", "G", 0)) == sets.count(("sgd", "G", 1)) == 1  # the first update only
    assert sets.count(("adam", "G", 0)) == 2 and sets.count(("sgd", "w", 1)) == 2
    g = histories["adam"].vec("G")
    drawn = np.log10(g[1:][g[1:] > 0])
    lo, hi = panels.plots["G"].vb.viewRange()[1]
    assert panels.is_log("G") and lo <= drawn.min() and drawn.max() <= hi
    assert hi - lo < 3 * (drawn.max() - drawn.min()) + 2  # fitted to the log values, not to G itself


def test_each_plot_draws_all_its_racers_curves_as_one_item(panels) -> None:
    """One PlotLines item a plot holds every racer's curves of it (no curve item each); a new
    set of racers keeps the curves of the racers that stay and drops the others'."""
    import pyqtgraph as pg

    from gui.views.plot_lines import PlotLines

    panels.set_racers(["sgd", "adam", "rmsprop"], without_momentum=["sgd", "rmsprop"])
    for key, plot in panels.plots.items():
        children = plot.vb.childGroup.childItems()
        assert not any(isinstance(item, pg.PlotCurveItem) for item in children), key
        assert [item for item in children if isinstance(item, PlotLines)] == [panels.lines[key]]
        mine = [curve for (_n, k, _i), curve in panels._curves.items() if k == key]
        assert panels.lines[key].lines == mine, key
    assert len(panels.lines["M"].lines) == 2 and len(panels.lines["loss"].lines) == 3
    kept = panels._curves[("adam", "w", 1)]
    panels.set_racers(["adam"])
    assert panels.lines["w"].lines == [panels._curves[("adam", "w", 0)], kept]
    assert all(len(lines.lines) == (1 if key == "loss" else 2) for key, lines in panels.lines.items())
