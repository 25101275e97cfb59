"""Paths made faster (``polyline_path``) for trails and plot lines are pyqtgraph's; a trail's
one-pixel strokes follow its pen."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QImage, QPainter, QPainterPath

from gui.views.contour import TRAIL_WIDTH, TrailCurve
from gui.views.curves import polyline_path
from gui.views.plot_lines import PlotLines

NAN = np.nan
T = np.linspace(0.0, 6.0, 90)
DATA = {
    "a tip": (20 + 45 * T, 75 + 50 * np.sin(2 * T)),
    "repeated points": (np.array([0.0, 1.0, 1.0, 1.0, 2.0]), np.array([0.0, 1.0, 1.0, 1.0, 3.0])),
    "two points": (np.array([0.0, 1.0]), np.array([1.0, 0.0])),
    "one point": (np.array([1.0]), np.array([2.0])),
    "a gap": (np.array([0.0, 1.0, NAN, 3.0, 4.0]), np.array([0.0, 1.0, 2.0, 3.0, 2.0])),
    "a far point": (np.array([0.0, 1.0, 2.0]), np.array([0.0, np.inf, 2.0])),
    "long": (np.arange(30_000.0), np.sin(np.arange(30_000.0))),
}


def _elements(path: QPainterPath) -> list[tuple[float, float, object]]:
    return [(e.x, e.y, e.type) for e in map(path.elementAt, range(path.elementCount()))]


@pytest.mark.parametrize("data", DATA.values(), ids=DATA.keys())
def test_a_trails_path_has_pyqtgraphs_elements(qtbot, data) -> None:
    """Made without pyqtgraph's checks, the path has the same moves and lines (repeated points
    too: a lineTo would drop them), and non-finite points leave gaps as pyqtgraph's do."""
    curve = TrailCurve(pen=pg.mkPen("#c00", width=TRAIL_WIDTH), connect="finite")
    curve.setData(*data)
    want = pg.arrayToQPath(*data, connect="finite", finiteCheck=True)
    assert _elements(curve.getPath()) == _elements(want)


@pytest.mark.parametrize("connect", ["finite", "all"])
@pytest.mark.parametrize("data", DATA.values(), ids=DATA.keys())
def test_a_polyline_path_has_pyqtgraphs_elements(data, connect) -> None:
    want = pg.arrayToQPath(*data, connect=connect, finiteCheck=True)
    assert _elements(polyline_path(*data, connect)) == _elements(want)


@pytest.mark.parametrize("data", DATA.values(), ids=DATA.keys())
def test_a_plot_lines_path_has_pyqtgraphs_elements(qtbot, data) -> None:
    line = PlotLines().add_line(pg.mkPen("#c00"))
    line.setData(*data)
    assert _elements(line.path()) == _elements(pg.arrayToQPath(*data, connect="finite", finiteCheck=True))


def _painted(curve: TrailCurve) -> np.ndarray:
    image = QImage(300, 150, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    curve.paint(painter, None, None)
    painter.end()
    return np.frombuffer(image.constBits(), dtype=np.uint8).reshape(150, 300, 4).copy()


def test_a_trails_strokes_follow_a_new_pen(qtbot) -> None:
    """The thin pen and its shifts are kept between paints, and made again for a new pen (a
    racer's new colour, a presenting width: 3×3 strokes instead of 2×2)."""
    x, y = DATA["a tip"]
    curve = TrailCurve(x, y, pen=pg.mkPen("#c00", width=TRAIL_WIDTH))
    first = _painted(curve)
    assert np.array_equal(_painted(curve), first)
    for pen in (pg.mkPen("#0a0", width=TRAIL_WIDTH), pg.mkPen("#0a0", width=TRAIL_WIDTH * 1.5)):
        curve.setPen(pen)
        assert np.array_equal(_painted(curve), _painted(TrailCurve(x, y, pen=pen)))
    assert not np.array_equal(_painted(curve), first)
