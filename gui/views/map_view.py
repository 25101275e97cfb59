"""A basin or hyperparameter map: the pixels ``engine.maps.map_picture`` coloured, with axes and a key.

Only draws: the colours, the legend's entries and the colour bar's range all come from the engine.
A log axis (η from 1e-4 to 10) is drawn in log₁₀ coordinates with 10ⁿ tick labels.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, Signal

from engine.maps import Axis, MapPicture, MapResult
from gui.i18n import translate_message
from gui.views.lazy_plot import LazyFormPlotItem

#: Axis titles of the weights and the hyperparameters, in the lecture's notation.
_SYMBOLS = {"w1": "w1", "w2": "w2", "lr": "η", "alpha": "α", "beta": "β", "eps": "ε", "condition": "κ"}


def _edges(axis: Axis) -> tuple[float, float]:
    """The image's extent along an axis: half a pixel beyond the first and last pixel centres."""
    lo, hi = (math.log10(axis.low), math.log10(axis.high)) if axis.log else (axis.low, axis.high)
    half = (hi - lo) / (axis.n - 1) / 2
    return lo - half, hi + half


def _log_ticks(axis: Axis) -> list[list[tuple[float, str]]]:
    """Ticks of a log axis at log₁₀ positions: each decade labelled (1e-4, 0.001, …, 10), and 2 and 5
    between them, labelled only when the axis spans fewer than three decades."""
    lo, hi = math.log10(axis.low), math.log10(axis.high)
    major, minor = [], []
    for k in range(math.floor(lo), math.ceil(hi) + 1):
        if lo - 1e-9 <= k <= hi + 1e-9:
            major.append((float(k), f"{10.0**k:g}"))
        for m in (2, 5):
            p = k + math.log10(m)
            if lo <= p <= hi:
                minor.append((p, f"{m * 10.0**k:g}" if hi - lo < 3 else ""))
    return [major, minor]


def _coord(axis: Axis, value: float) -> float:
    return math.log10(value) if axis.log else value


class MapView(pg.GraphicsLayoutWidget):
    """One map with its axes, the minima (☆), a marked point (the start or the current setting)
    and a legend of what each colour means. A click on a pixel reports its (x, y) values."""

    pixel_clicked = Signal(float, float)

    def __init__(self) -> None:
        super().__init__()
        self._axes: tuple[Axis, Axis] | None = None
        self.setBackground("w")
        # no context menu built (never shown), nor its hidden form (gui/views/lazy_plot.py)
        self.plot = LazyFormPlotItem(enableMenu=False)
        self.plot.setLayoutDirection(Qt.LeftToRight)  # w2's axis on the left in Persian, as on every plot
        self.addItem(self.plot)
        self.plot.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        self.plot.addItem(self.image)
        self.stars = pg.ScatterPlotItem(symbol="star", size=16, brush="w", pen=pg.mkPen("#202020", width=1.5))
        # the marked start or setting: white inside a dark halo, readable on every colour of the map
        self.mark_halo = pg.ScatterPlotItem(symbol="s", size=13, brush=None, pen=pg.mkPen("#202020", width=5))
        self.mark = pg.ScatterPlotItem(symbol="s", size=13, brush=None, pen=pg.mkPen("#FFFFFF", width=2))
        self.plot.addItem(self.stars)
        self.plot.addItem(self.mark_halo)
        self.plot.addItem(self.mark)
        # the key sits under the map, never over a basin or a ☆, and keeps its width in a narrow dock
        self.key = pg.LabelItem(justify="left")
        self.addItem(self.key, row=1, col=0)
        self.ci.layout.setRowStretchFactor(0, 4)
        self.scene().sigMouseClicked.connect(self._clicked)
        for side in ("bottom", "left"):
            axis = self.plot.getAxis(side)
            axis.setPen("#404040")
            axis.setTextPen("#202020")

    def show_map(
        self,
        result: MapResult,
        picture: MapPicture,
        title: str,
        marked: tuple[float, float] | None = None,
    ) -> None:
        """Draw ``picture``; ``marked`` is the start (basin map) or the setting (hyperparameter map)."""
        x, y = result.x, result.y
        self._axes = (x, y)
        self.image.setImage(picture.rgba, levels=(0, 255))
        x0, x1 = _edges(x)
        y0, y1 = _edges(y)
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        for side, axis in (("bottom", x), ("left", y)):
            item = self.plot.getAxis(side)
            item.setLabel(_SYMBOLS.get(axis.name, axis.name))
            item.setTicks(_log_ticks(axis) if axis.log else None)
        self.plot.setTitle(title, size="13pt", color="#202020")
        self.plot.setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)
        if result.kind == "basin" and result.targets:
            pts = np.array(result.targets)
            self.stars.setData(pts[:, 0], pts[:, 1])
        else:
            self.stars.setData([], [])
        at = ([_coord(x, marked[0])], [_coord(y, marked[1])]) if marked is not None else ([], [])
        self.mark_halo.setData(*at)
        self.mark.setData(*at)
        # the engine's words in the interface language (str() of them is English)
        lines = [
            f'<span style="color:{colour}; font-size:20pt">■</span>&nbsp;{translate_message(text)}'
            for colour, text in picture.legend
        ]
        if picture.colorbar is not None:
            lo, hi, what = picture.colorbar
            lines.append(translate_message(what).replace("; ", ";<br>").replace("؛ ", "؛<br>"))
            for colour, value in ((picture.colorbar_high, hi), (picture.colorbar_low, lo)):
                lines.append(f'<span style="color:{colour}; font-size:20pt">■</span>&nbsp;{value:.3g}')
        self.key.setText("<br>".join(lines), color="#202020", size="11pt")

    def _clicked(self, event: object) -> None:
        if self._axes is None or not self.plot.sceneBoundingRect().contains(event.scenePos()):  # type: ignore[attr-defined]
            return
        p = self.plot.vb.mapSceneToView(event.scenePos())  # type: ignore[attr-defined]
        x, y = self._axes
        (x0, x1), (y0, y1) = _edges(x), _edges(y)
        if not (x0 <= p.x() <= x1 and y0 <= p.y() <= y1):
            return
        # the clicked pixel's own value, so the run it starts is exactly that pixel's run
        i = min(x.n - 1, max(0, int((p.x() - x0) / (x1 - x0) * x.n)))
        j = min(y.n - 1, max(0, int((p.y() - y0) / (y1 - y0) * y.n)))
        self.pixel_clicked.emit(float(x.values[i]), float(y.values[j]))
