"""The plots' axes keep pyqtgraph's bounding rect between the changes that move it."""

from __future__ import annotations

import pyqtgraph as pg
import pytest

from gui.views.contour import ContourView
from gui.views.panels import PerWeightPanels
from tests.gui.conftest import shown


def _rect(r) -> tuple[float, float, float, float]:
    return (r.x(), r.y(), r.width(), r.height())


def _axes(widget) -> list[pg.AxisItem]:
    plots = widget.plots.values() if isinstance(widget, PerWeightPanels) else [widget.plot]
    return [plot.getAxis(side) for plot in plots for side in ("left", "bottom")]


def _all_pyqtgraphs(widget) -> None:
    for axis in _axes(widget):
        assert _rect(axis.boundingRect()) == pytest.approx(_rect(pg.AxisItem.boundingRect(axis)), abs=1e-9)


@pytest.mark.parametrize("make", [ContourView, PerWeightPanels], ids=["contour", "panels"])
def test_an_axis_rect_is_found_once_and_again_after_each_change_moving_it(qtbot, monkeypatch, make) -> None:
    widget = shown(qtbot, make(), (500, 600))
    qtbot.waitExposed(widget)
    _all_pyqtgraphs(widget)
    found = []
    original = pg.AxisItem.boundingRect
    monkeypatch.setattr(pg.AxisItem, "boundingRect", lambda axis: found.append(axis) or original(axis))
    axis = _axes(widget)[0]
    for _ in range(3):
        axis.boundingRect()
    assert found == []  # kept
    monkeypatch.setattr(pg.AxisItem, "boundingRect", original)
    widget.resize(700, 600)  # wider: the left axes stay, their view boxes (and grids) widen
    qtbot.waitUntil(lambda: widget.width() == 700)
    _all_pyqtgraphs(widget)
    widget.resize(700, 450)  # the axes and view boxes laid out again
    qtbot.waitUntil(lambda: widget.height() == 450)
    _all_pyqtgraphs(widget)
    axis.setWidth(90)  # the view box beside it moves over
    qtbot.wait(20)
    _all_pyqtgraphs(widget)
    plots = widget.plots.values() if isinstance(widget, PerWeightPanels) else [widget.plot]
    for plot in plots:  # a grid reaches across the view box: a larger rect; and back
        plot.showGrid(x=True, y=True, alpha=0.3)
    _all_pyqtgraphs(widget)
    widget.resize(800, 450)
    qtbot.waitUntil(lambda: widget.width() == 800)
    _all_pyqtgraphs(widget)
    for plot in plots:
        plot.showGrid(x=False, y=False)
    _all_pyqtgraphs(widget)
    axis.setStyle(hideOverlappingLabels=True)  # no room for labels past its ends
    _all_pyqtgraphs(widget)
    axis.setStyle(tickLength=-12)  # ticks out of the axis, into the plot
    _all_pyqtgraphs(widget)
    for plot in plots:  # a zoom moves no axis
        plot.setRange(xRange=(0, 0.001), yRange=(5, 5.001), padding=0)
    _all_pyqtgraphs(widget)
