"""The data view: the rows a data loss is fitted to, and the selected racer's current model over them.

It draws what it is given: the table's two columns, the model's curve as arrays the engine
computed (``DataProblem.predict``) and which rows the step's minibatch used. A linear model
is a line through the points; a logistic one is the probability curve p(x) over points at
0 and 1, with the level p = ½ (where the curve crosses it is the decision boundary). Nothing
here knows how a model predicts.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QGraphicsItem

from gui.views.centred import CentredNote
from gui.views.lazy_plot import LazyFormPlotItem, set_axis_fonts

POINT_SIZE = 6
BATCH_SIZE_PX = 9
MODEL_WIDTH = 2.6
#: Logistic targets are drawn this far apart around 0 and 1, by row number (no randomness),
#: so 300 penguins on two lines read as two bands rather than two solid strokes.
SPREAD = 0.035


class DataView(pg.PlotWidget):
    """Scatter of the data, the current model's line or probability curve, the minibatch marked."""

    def __init__(self, parent: object = None) -> None:
        # no context menus: pyqtgraph would build two per plot (≈ 40 % of making one), never shown
        super().__init__(parent, background="w", plotItem=LazyFormPlotItem(enableMenu=False))
        self.plot = self.getPlotItem()
        self.plot.setLayoutDirection(Qt.LeftToRight)  # axes never mirror in Persian
        self.plot.showGrid(x=True, y=True, alpha=0.15)
        for axis in ("bottom", "left"):
            self.plot.getAxis(axis).setTextPen("#222")
            self.plot.getAxis(axis).setPen("#444")
            self.plot.getAxis(axis).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.points = pg.ScatterPlotItem(
            size=POINT_SIZE, pen=pg.mkPen(60, 60, 60, 160), brush=pg.mkBrush(120, 140, 170, 110)
        )
        # the rows stay put while the model moves over them (every repaint covers the whole
        # plot): a picture of them, drawn again only when they or the axes change
        self.points.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.batch = pg.ScatterPlotItem(
            size=BATCH_SIZE_PX, pen=pg.mkPen("#111", width=1.4), brush=pg.mkBrush(255, 255, 255, 0)
        )
        self.batch.setZValue(5)
        self.model = pg.PlotCurveItem(connect="finite")
        self.model.setZValue(10)
        self.half = pg.InfiniteLine(angle=0, pos=0.5, pen=pg.mkPen("#777", width=1, style=Qt.DashLine))
        self.half.setVisible(False)
        self.plot.addItem(self.points)
        # the rings are larger than the points: counted in the data's bounds, a minibatch with an
        # outermost row moved the auto range a little and the whole plot was drawn afresh
        self.plot.addItem(self.batch, ignoreBounds=True)
        self.plot.addItem(self.half)
        self.plot.addItem(self.model, ignoreBounds=True)  # a diverged model must not rescale the data
        self.notice = CentredNote(self.plot.vb, z=60, color="#333", fill=pg.mkBrush(255, 255, 255, 235))
        self.logistic = False
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self.shown_model: tuple[np.ndarray, np.ndarray] | None = None
        # what the plot's title says of a line off the plot ("" when it is on it)
        self.where = ""
        self.shown_batch = np.zeros(0, dtype=np.int64)
        self._pen_scale = 1.0

    def set_data(
        self, x: np.ndarray, y: np.ndarray, x_label: str, y_label: str, logistic: bool = False
    ) -> None:
        """The table's rows: ``x`` across, ``y`` up (for a logistic model y is 0 or 1)."""
        self.logistic = logistic
        self._x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if logistic:  # a fixed, row-determined spread keeps coincident points apart
            y = y + SPREAD * (np.arange(len(y)) % 5 - 2) / 2
        self._y = y
        self.points.setData(self._x, self._y)
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", y_label)
        self.half.setVisible(logistic)
        self.set_notice("")
        self.set_batch(None)
        self.set_model(None, None)
        self.plot.enableAutoRange()
        if logistic:
            self.plot.setYRange(-0.15, 1.15, padding=0)

    def clear_data(self, notice: str = "") -> None:
        """No data loss races: an empty plot that says why."""
        self._x = np.zeros(0)
        self._y = np.zeros(0)
        self.points.setData([], [])
        self.set_batch(None)
        self.set_model(None, None)
        self.half.setVisible(False)
        self.set_notice(notice)

    def set_notice(self, html: str) -> None:
        """A message in the middle of the plot (why it is empty); empty hides it."""
        self.notice.show_html(html)

    def set_model(self, xs: np.ndarray | None, ys: np.ndarray | None, color: str = "#D55E00") -> None:
        """The model's prediction ``ys`` at ``xs`` (a line or p(x)), in the racer's colour."""
        if xs is None or ys is None:
            self.shown_model = None
            self.model.setData([], [])
            self.where = ""
            self.plot.setTitle(None)
            return
        self.shown_model = (np.asarray(xs), np.asarray(ys))
        self.model.setData(
            self.shown_model[0],
            self.shown_model[1],
            pen=pg.mkPen(QColor(color), width=MODEL_WIDTH * self._pen_scale),
        )
        self._say_where(self.shown_model[1])

    def _say_where(self, ys: np.ndarray) -> None:
        """Say so when the line runs wholly above or below the points: on raw columns a model at
        w ≈ 0 is hundreds of units off, and a plot with no line reads as a missing one."""
        text = ""
        finite = ys[np.isfinite(ys)]
        if len(self._y) and not finite.size:  # the racer diverged (either model)
            text = self.tr("The model's weights have diverged: no line.")
        elif len(self._y) and not self.logistic:
            if finite.max() < self._y.min():
                text = self.tr("The model's line is below the data.")
            elif finite.min() > self._y.max():
                text = self.tr("The model's line is above the data.")
        if text != self.where:
            self.where = text
            self.plot.setTitle(text or None, size="9pt", color="#8a4b00")
            self._wrap_title()

    def _wrap_title(self) -> None:
        """Wrap the title at the plot's width. pyqtgraph sizes a title to its one line, and in a
        narrow dock "The model's weights have diverged: no line." made the plot wider than the
        dock: the title and the points' right part were cut off."""
        if not self.where:
            return
        label = self.plot.titleLabel
        text = label.item
        text.setTextWidth(-1)
        room = max(self.width() - self.plot.getAxis("left").width() - 24, 80)  # over the view box
        if text.boundingRect().width() > room:
            text.setTextWidth(room)
            option = text.document().defaultTextOption()
            option.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            text.document().setDefaultTextOption(option)
        label.updateMin()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        # (Qt resizes it once before __init__ is done, and again while closing: scene cleared)
        if getattr(self, "where", "") and not getattr(self, "closed", False):
            self._wrap_title()

    def set_batch(self, rows: np.ndarray | None) -> None:
        """Ring the rows the shown step's minibatch used (None or all rows: none ringed)."""
        rows = np.zeros(0, dtype=np.int64) if rows is None else np.asarray(rows, dtype=np.int64)
        if len(rows) >= len(self._x):
            rows = np.zeros(0, dtype=np.int64)  # a full batch: every point, nothing to tell apart
        if np.array_equal(rows, self.shown_batch):
            return  # the same rings (a racer that stopped, a full batch): no repaint
        self.shown_batch = rows
        self.batch.setData(self._x[rows], self._y[rows]) if len(rows) else self.batch.setData([], [])

    def x_range(self, count: int = 200) -> np.ndarray:
        """Where to ask the model for its curve: the data's x range, a little wider."""
        if not len(self._x):
            return np.zeros(0)
        lo, hi = float(np.min(self._x)), float(np.max(self._x))
        pad = 0.05 * (hi - lo or 1.0)
        return np.linspace(lo - pad, hi + pad, count)

    def set_display_scale(self, scale: float, base: QFont | None = None) -> None:
        """Presentation mode: thicker line, larger points; ``base``: the normal-size font to scale
        (``ContourView.set_display_scale``)."""
        self._pen_scale = scale
        self.points.setSize(POINT_SIZE * scale)
        self.batch.setSize(BATCH_SIZE_PX * scale)
        font = QFont(base) if base is not None else QFont()
        font.setPointSizeF(font.pointSizeF() * scale)
        for axis in ("bottom", "left"):
            set_axis_fonts(self.plot.getAxis(axis), font, font)
        if self.shown_model is not None:
            pen = self.model.opts["pen"]
            self.model.setPen(pg.mkPen(pen.color(), width=MODEL_WIDTH * scale))
