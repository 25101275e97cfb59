"""LazyFormPlotItem: a pyqtgraph plot whose Plot Options form waits until something needs it.

Compared with pyqtgraph's own PlotItem given the same calls: the same attributes, the same log
axes and grid, the same state in the form once it is built, and a right-click menu that still
offers "Plot Options" with that state.
"""

from __future__ import annotations

import contextlib
from itertools import pairwise

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QRectF, Qt

from gui.views import lazy_plot
from gui.views.lazy_plot import LazyColorBar, LazyFormPlotItem
from tests.gui.conftest import shown

pytestmark = pytest.mark.skipif(not lazy_plot.LAZY_FORM, reason="pyqtgraph's own PlotItem is used")


def _state(plot: pg.PlotItem) -> dict[str, object]:
    """What log and grid calls leave behind: each axis' log mode and grid, the plot's own."""
    return {
        name: (plot.getAxis(name).logMode, plot.getAxis(name).grid)
        for name in ("left", "bottom", "top", "right")
    }


class _LogItem(pg.GraphicsObject):
    """An item that notes every log mode its plot gives it (as PlotDataItem is given them)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[bool, bool]] = []

    def setLogMode(self, x: bool, y: bool) -> None:
        self.calls.append((x, y))

    def boundingRect(self):
        return QRectF()

    def paint(self, *args: object) -> None:
        pass


def _configure(plot: pg.PlotItem) -> _LogItem:
    plot.addItem(pg.PlotCurveItem([1.0, 2.0, 3.0], [1.0, 10.0, 100.0]))
    item = _LogItem()
    plot.addItem(item)  # told the log mode at once
    plot.showGrid(x=True, y=True, alpha=0.15)
    plot.setLogMode(y=True)  # told again
    plot.setLogMode(x=False)  # no change: not told
    return item


def test_the_constructor_makes_what_pyqtgraphs_makes(qtbot) -> None:
    """Guards the copied constructor: a pyqtgraph that makes other attributes fails here."""
    plain, lazy = pg.PlotItem(enableMenu=False), LazyFormPlotItem(enableMenu=False)
    assert not lazy.form_built
    lazy.build_form()
    ours = {"_ctrl_menu", "_state_group", "_form_built"}
    assert set(vars(lazy)) - ours == set(vars(plain)) - {"ctrlMenu", "stateGroup"}
    assert type(lazy.ctrl) is type(plain.ctrl)
    assert lazy.stateGroup.state() == plain.stateGroup.state()


def test_log_and_grid_act_as_pyqtgraphs_without_building_the_form(qtbot) -> None:
    plain, lazy = pg.PlotItem(enableMenu=False), LazyFormPlotItem(enableMenu=False)
    plain_item, lazy_item = _configure(plain), _configure(lazy)
    assert not lazy.form_built  # none of these needed the form
    assert _state(lazy) == _state(plain)
    assert _state(lazy)["left"] == (True, 38)  # log y; grid alpha 0.15 → 38 of 255
    assert _state(lazy)["bottom"] == (False, 38)
    assert lazy_item.calls == plain_item.calls == [(False, False), (False, True)]
    plain.showGrid(x=False, alpha=2.0)  # clamped to 255 like the slider
    lazy.showGrid(x=False, alpha=2.0)
    assert _state(lazy) == _state(plain)
    with pytest.raises(ValueError, match="Must specify"):  # pyqtgraph's own check still runs
        lazy.showGrid()


def test_the_form_built_later_shows_the_state_and_drives_the_plot(qtbot) -> None:
    plain, lazy = pg.PlotItem(enableMenu=False), LazyFormPlotItem(enableMenu=False)
    _configure(plain)
    _configure(lazy)
    form = lazy.build_form()
    assert lazy.form_built and lazy.ctrl is form
    for name in ("logXCheck", "logYCheck", "xGridCheck", "yGridCheck"):
        assert getattr(form, name).isChecked() == getattr(plain.ctrl, name).isChecked(), name
    assert form.gridAlphaSlider.value() == plain.ctrl.gridAlphaSlider.value() == 38
    assert lazy.saveState()["logYCheck"] is True
    # the form's own widgets now drive the plot, as in pyqtgraph
    form.logYCheck.setChecked(False)
    plain.ctrl.logYCheck.setChecked(False)
    form.xGridCheck.setChecked(False)
    plain.ctrl.xGridCheck.setChecked(False)
    assert _state(lazy) == _state(plain)
    assert _state(lazy)["left"] == (False, 38) and _state(lazy)["bottom"] == (False, False)


def test_any_other_part_of_the_form_builds_it(qtbot) -> None:
    lazy = LazyFormPlotItem(enableMenu=False)
    lazy.setLogMode(x=True)
    assert lazy.ctrl.fftCheck.isChecked() is False  # not stood in for: the real form is built
    assert lazy.form_built and lazy.ctrl.logXCheck.isChecked()
    other = LazyFormPlotItem(enableMenu=False)
    other.addItem(pg.PlotDataItem([1, 2], [3, 4]))  # reads alpha, downsampling …: builds it
    assert other.form_built


def test_the_right_click_menu_offers_plot_options_with_the_plots_state(qtbot) -> None:
    lazy = LazyFormPlotItem()  # menus on, as pyqtgraph's default
    widget = pg.PlotWidget(plotItem=lazy)
    shown(qtbot, widget, (400, 300))
    lazy.showGrid(x=True)
    assert not lazy.form_built
    centre = widget.mapFromScene(lazy.vb.mapToScene(lazy.vb.boundingRect().center()))
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.RightButton, pos=QPoint(centre.x(), centre.y()))
    menu = lazy.vb.menu
    qtbot.waitUntil(menu.isVisible)
    titles = [a.text() for a in menu.actions()]
    assert "Plot Options" in titles
    options = next(a.menu() for a in menu.actions() if a.text() == "Plot Options")
    assert [a.text() for a in options.actions()] == [
        "Transforms",
        "Downsample",
        "Average",
        "Alpha",
        "Grid",
        "Points",
    ]
    assert lazy.form_built and lazy.ctrl.xGridCheck.isChecked() and not lazy.ctrl.yGridCheck.isChecked()
    menu.close()


def test_the_colour_bar_builds_neither_menu(qtbot) -> None:
    plain = pg.ColorBarItem(interactive=False, width=14)
    bar = LazyColorBar(interactive=False, width=14)
    assert bar.vb.menu is None and not bar.form_built and not bar.menuEnabled()
    assert plain.vb.menu is None and not plain.menuEnabled()  # pyqtgraph's: built, then dropped
    image = pg.ImageItem()
    bar.setImageItem(image)
    bar.setLevels((2.0, 5.0))
    assert bar.levels() == (2.0, 5.0) and image.getLevels() == pytest.approx((2.0, 5.0))


def test_axes_tick_in_the_values_own_units(qtbot) -> None:
    """Below 1, pyqtgraph rescaled a titled axis: a loss of 0.3 read 300 on a bar titled "L (x0.001)"."""
    bar = LazyColorBar(colorMap=pg.colormap.get("viridis"), interactive=False, width=14)
    view = shown(qtbot, pg.GraphicsLayoutWidget(), (120, 300))
    view.addItem(bar)
    bar.axis.setLabel("L")
    bar.setLevels((0.1, 0.69))
    assert bar.axis.autoSIPrefixScale == 1.0
    assert "x0.001" not in bar.axis.labelString()
    assert bar.axis.tickStrings([0.2, 0.4], 1.0, 0.2) == ["0.2", "0.4"]
    plot = LazyFormPlotItem(enableMenu=False)
    assert not any(axis["item"].autoSIPrefix for axis in plot.axes.values())


def _sides(plot: pg.PlotItem) -> dict[str, tuple[type, bool]]:
    return {
        side: (type(plot.getAxis(side)), plot.getAxis(side).isVisible())
        for side in ("left", "bottom", "top", "right")
    }


def test_the_plots_axes_label_like_pyqtgraphs_and_parse_only_changed_labels(qtbot, monkeypatch) -> None:
    """LabelCachingAxis skips only identical label HTML: a new text, colour or SI prefix still shows."""
    plain, lazy = pg.PlotItem(enableMenu=False), LazyFormPlotItem(enableMenu=False)
    assert {s: v for s, (_, v) in _sides(lazy).items()} == {s: v for s, (_, v) in _sides(plain).items()}
    assert all(kind is lazy_plot.LabelCachingAxis for kind, _ in _sides(lazy).values())
    given = lazy_plot.LabelCachingAxis("left")
    mixed = LazyFormPlotItem(enableMenu=False, axisItems={"left": given, "right": pg.AxisItem("right")})
    assert mixed.getAxis("left") is given and mixed.getAxis("right").isVisible()  # given: shown
    assert not mixed.getAxis("top").isVisible() and mixed.getAxis("bottom").isVisible()

    parsed: list[str] = []
    real = pg.QtWidgets.QGraphicsTextItem.setHtml
    monkeypatch.setattr(
        pg.QtWidgets.QGraphicsTextItem, "setHtml", lambda item, html: (parsed.append(html), real(item, html))
    )
    for plot in (plain, lazy):
        parsed.clear()
        axis = plot.getAxis("bottom")
        axis.enableAutoSIPrefix(True)  # (LazyFormPlotItem turns it off; the label path is tested here)
        parsed.clear()
        plot.setLabel("bottom", "w1")
        axis.setTextPen("#222")
        for _ in range(5):
            plot.setXRange(0, 4e-3, padding=0)  # no units: pyqtgraph writes "(x0.001)"
        with_prefix = axis.label.toPlainText()
        plot.setXRange(0, 5, padding=0)
        plain_text, html = axis.label.toPlainText(), axis.label.toHtml()
        if plot is plain:
            expected, plain_parses = (with_prefix, plain_text, html), len(parsed)
            continue
        assert (with_prefix, plain_text, html) == expected
        assert "w1" in plain_text and "(x0.001)" in with_prefix and "(x" not in plain_text
        assert all(a != b for a, b in pairwise(parsed))  # only changes parsed
        assert len(parsed) == 4 < plain_parses  # grey "w1", then #222, prefixed, back


def _stacked(one_pass: bool) -> tuple[pg.GraphicsLayoutWidget, list[pg.PlotItem], list[int]]:
    """Four plots and a label stacked as the per-weight panels are; counts the view boxes' resizes."""
    widget = pg.GraphicsLayoutWidget()
    resizes: list[int] = []
    plots: list[pg.PlotItem] = []
    with lazy_plot.one_layout_pass(widget.ci) if one_pass else contextlib.nullcontext():
        for row in range(4):
            plot = LazyFormPlotItem(enableMenu=False)
            plot.vb.sigResized.connect(lambda *_: resizes.append(1))
            widget.addItem(plot, row=row, col=0)
            plot.setLabel("left", f"y{row}")
            plots.append(plot)
        widget.addItem(pg.LabelItem("key"), row=4, col=0)
    return widget, plots, resizes


def test_one_layout_pass_lays_out_as_pyqtgraph_does_once(qtbot) -> None:
    each, each_plots, each_resizes = _stacked(one_pass=False)
    once, once_plots, once_resizes = _stacked(one_pass=True)
    assert 0 < len(once_resizes) < len(each_resizes)  # laid out, but once, not after every plot
    assert [p.geometry() for p in once_plots] == [p.geometry() for p in each_plots]
    for widget in (each, once):
        shown(qtbot, widget, (500, 600))
        qtbot.waitExposed(widget)
    assert once_plots[0].geometry().height() > 100  # laid out at the shown size
    assert [p.geometry() for p in once_plots] == [p.geometry() for p in each_plots]
    assert [p.vb.geometry() for p in once_plots] == [p.vb.geometry() for p in each_plots]
    assert "activate" not in vars(once.ci.layout)  # the C++ method is back
