"""The contour's arrow shafts: the pixels and bounds of the pyqtgraph curves they replace."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage

from gui.views.contour import _Shaft

SEGMENTS = {
    "diagonal": ([0.3, 2.7], [-1.2, 3.9]),
    "level": ([-1.0, 3.0], [1.0, 1.0]),
    "short": ([1.0, 1.02], [2.0, 1.99]),
}
PENS = {
    "screen": pg.mkPen("#C0392B", width=2.4),
    "presenting": pg.mkPen("#111111", width=3.6),
    "data units": pg.mkPen("#6A3D9A", width=0.05, cosmetic=False),
}


def _plot(qtbot, item: pg.GraphicsObject) -> pg.PlotWidget:
    widget = pg.PlotWidget(background="w")
    qtbot.addWidget(widget)
    widget.resize(300, 260)
    widget.setRange(xRange=(-2, 5), yRange=(-2, 5), padding=0)
    widget.addItem(item, ignoreBounds=True)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _pixels(widget: pg.PlotWidget) -> np.ndarray:
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)
    return np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine()).copy()


def _rect(item: pg.GraphicsObject) -> tuple[float, ...]:
    r = item.boundingRect()
    return (r.x(), r.y(), r.width(), r.height())


@pytest.mark.parametrize("antialias", [True, False], ids=["antialiased", "aliased"])
@pytest.mark.parametrize("pen", PENS.values(), ids=PENS.keys())
def test_a_shaft_paints_and_bounds_as_the_curve_it_replaces(qtbot, pen, antialias) -> None:
    was = pg.getConfigOption("antialias")
    pg.setConfigOptions(antialias=antialias)  # both read it when made, as in the contour view
    try:
        curve, shaft = pg.PlotCurveItem(pen=pen), _Shaft(pen)
    finally:
        pg.setConfigOptions(antialias=was)
    curve_plot, shaft_plot = _plot(qtbot, curve), _plot(qtbot, shaft)
    for x, y in SEGMENTS.values():
        for item in (curve, shaft):
            item.setData(x, y)
        np.testing.assert_array_equal(shaft.getData(), curve.getData())
        assert _rect(shaft) == pytest.approx(_rect(curve), rel=1e-12)
        assert np.array_equal(_pixels(shaft_plot), _pixels(curve_plot))
    wider = pg.mkPen(pen.color(), width=pen.widthF() * 2, cosmetic=pen.isCosmetic())
    for item in (curve, shaft):
        item.setPen(wider)  # presenting: the pen's padding grows
    assert _rect(shaft) == pytest.approx(_rect(curve), rel=1e-12)
    assert np.array_equal(_pixels(shaft_plot), _pixels(curve_plot))
    for plot in (curve_plot, shaft_plot):  # zoomed in: a pixel is less in data units
        plot.setRange(xRange=(0, 3), yRange=(0, 3), padding=0)
    qtbot.waitUntil(
        lambda: all(p.getViewBox().viewPixelSize()[0] < 3.5 / 200 for p in (curve_plot, shaft_plot))
    )
    assert _rect(shaft) == pytest.approx(_rect(curve), rel=1e-12)
    assert np.array_equal(_pixels(shaft_plot), _pixels(curve_plot))
