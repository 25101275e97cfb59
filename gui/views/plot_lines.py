"""Every racer's lines of one plot as ONE graphics item, painted in one ``paint`` call.

The per-weight plots held one ``PlotCurveItem`` per racer and weight (12 racers: up to 24 a
plot, 132 in all). Each ``setData`` then ran pyqtgraph's Python per curve — bounds invalidation,
``prepareGeometryChange``, ``informViewBoundsChanged``, signals — and each repaint its
``boundingRect``/``dataBounds`` and pen set-up. One item a plot: with 12 racers flat out the
plots' paint costs about a fifth less and their updates a seventh less (benchmarks/HISTORY.md, "The live
window"). The live plots fit their own ranges (``fit_range``): ``PlotLines`` covers its view box,
keeps each line's path, and paints the lines in z order exactly as a ``BandCurve`` each would
(the same pens, ``connect="finite"`` gaps, the one-pixel band for a wide dashed pen on screen,
segments for a wide solid one). ``PlotLine`` is a light handle with the part of the curve API
the panels use (``setData``, ``getData``, ``setPen``, ``setZValue``, ``opts["pen"]`` …).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from gui.views.curves import MAX_BAND_WIDTH, band_strokes, polyline_path, stroke_shifted, uses_segments

#: Room around a line's data bounds, in pen widths, when only its part of the plot is repainted:
#: pyqtgraph's own (a square cap's corner reaches √2/2 of the width; a band's strokes less).
_PAD_WIDTHS = 0.7072
#: ... and in pixels more when deciding which lines an exposed rectangle needs painted.
_SLACK_PX = 1.0


def finite_extent(y: np.ndarray) -> tuple[float, float] | None:
    """The smallest and largest finite value of ``y`` (None: none)."""
    values = y[np.isfinite(y)]
    return (float(values.min()), float(values.max())) if values.size else None


class PlotLine:
    """One racer's line for one weight in a ``PlotLines``: its data, pen, z and visibility.

    Changing any of them repaints only the part of the plot the line covered and now covers.
    """

    def __init__(self, owner: PlotLines, pen: QPen) -> None:
        self._owner = owner
        self.opts: dict[str, object] = {"pen": pen}
        self.xData: np.ndarray | None = None
        self.yData: np.ndarray | None = None
        self._z = 0.0
        self._visible = True
        self._path: QPainterPath | None = None  # in data coordinates: a view change keeps it
        self._segments: object = None  # pyqtgraph's QLineF array, for a wide solid pen
        self._segments_ok = False
        self._bounds: QRectF | None = QRectF()  # the data's; null: nothing drawn; None: not finite
        self._y_extent: tuple[float, float] | None = None  # the finite values' (min, max)

    # -- the curve API the panels use ------------------------------------------------------
    def setData(self, x: object, y: object) -> None:
        """New points; ``x`` ascending (steps), so its ends are its bounds.

        Playing, a line's new points are its old ones plus a few appended: then only its
        changed tail is repainted (``_changed_tail``), not the whole line's rectangle.
        """
        old = self._bounds
        old_x, old_y = self.xData, self.yData
        self.xData = x = np.asarray(x, dtype=float)
        self.yData = y = np.asarray(y, dtype=float)
        self._path = None
        self._segments_ok = False
        self._bounds, self._y_extent = QRectF(), None
        if len(x) and len(y):
            x0, x1 = float(x[0]), float(x[-1])
            y0, y1 = float(np.fmin.reduce(y)), float(np.fmax.reduce(y))  # NaN skipped (all NaN: NaN)
            if math.isfinite(y0) and math.isfinite(y1):
                self._y_extent = (y0, y1)
                finite = math.isfinite(x0) and math.isfinite(x1)
                self._bounds = QRectF(x0, y0, x1 - x0, y1 - y0) if finite else None
            else:  # ±inf, or no finite value: repaint the whole plot; the extent, as numpy finds it
                self._bounds = None
                self._y_extent = finite_extent(y)
        tail = _changed_tail(old_x, old_y, x, y) if old is not None and self._bounds is not None else None
        if tail is not None:
            self._owner._update_around(tail, self.opts["pen"])
        else:
            self._owner.line_changed(self, old)
        self._owner.data_changed()

    def y_extent(self) -> tuple[float, float] | None:
        """The smallest and largest finite value (None: none), found once per ``setData``."""
        return self._y_extent

    def span(self, ax: int) -> tuple[float, float, float] | None:
        """(lo, hi, padding in pixels) along x (0) or y (1), as a ``PlotCurveItem`` gave its view
        box for auto-ranging (``dataBounds``, ``pixelPadding``); None: no finite value there."""
        if not self._visible or self.xData is None or len(self.xData) == 0:
            return None
        if ax == 0:
            lo, hi = float(self.xData[0]), float(self.xData[-1])
            if not (math.isfinite(lo) and math.isfinite(hi)):
                finite = self.xData[np.isfinite(self.xData)]
                if finite.size == 0:
                    return None
                lo, hi = float(finite.min()), float(finite.max())
        elif self._y_extent is None:
            return None
        else:
            lo, hi = self._y_extent
        pen = self.opts["pen"]
        pad = pen.widthF() * _PAD_WIDTHS if pen.isCosmetic() and pen.style() != Qt.PenStyle.NoPen else 0.0
        return lo, hi, pad

    def getData(self) -> tuple[np.ndarray | None, np.ndarray | None]:
        return self.xData, self.yData

    def setPen(self, pen: QPen) -> None:
        old = self.opts["pen"]
        self.opts["pen"] = pen
        if pen != old:
            self._owner.line_changed(self, self._bounds, old)

    def setZValue(self, z: float) -> None:
        if z != self._z:
            self._z = float(z)
            self._owner.order_changed(self)

    def zValue(self) -> float:
        return self._z

    def setVisible(self, visible: bool) -> None:
        if visible != self._visible:
            self._visible = bool(visible)
            self._owner.line_changed(self, self._bounds)

    def isVisible(self) -> bool:
        return self._visible

    # -- what the item paints -------------------------------------------------------------------
    def path(self) -> QPainterPath:
        """The line as pyqtgraph's ``arrayToQPath`` makes it (non-finite points: gaps), made
        faster for finite points (``polyline_path``: a pair of plots makes ten to twenty a
        few times a second). Not a polyline: the raster engine strokes that a little
        differently (dash phase, end pixels)."""
        if self._path is None:
            x, y = self.xData, self.yData
            if x is None or y is None or len(x) == 0 or len(y) == 0:
                self._path = QPainterPath()
            else:
                self._path = polyline_path(x, y)
        return self._path

    def segments(self) -> tuple:
        """The line as separate segments (``drawLines`` arguments), as pyqtgraph draws a wide solid pen."""
        if not self._segments_ok:
            self._segments = arrayToLineSegments(self.xData, self.yData, "finite", True, out=self._segments)
            self._segments_ok = True
        return self._segments.drawargs()


def _changed_tail(
    old_x: np.ndarray | None, old_y: np.ndarray | None, x: np.ndarray, y: np.ndarray
) -> QRectF | None:
    """The data rectangle a line's new points change, if they keep its first ``k`` ≥ 2 old ones
    (a NaN matching a NaN): old[k-1:] ∪ new[k-1:], as the segment from point k-1 on may change.
    None (repaint the whole line's rectangles): no such prefix, or a tail without finite bounds.

    ``_thin_rows`` keeps the last row, off the stride's grid: the prefix then ends a point
    before the old end, which is in the tail.
    """
    if old_x is None or old_y is None or len(old_x) < 2 or len(old_y) != len(old_x) or len(y) != len(x):
        return None
    m = min(len(old_x), len(x))
    if m < 2:
        return None
    k = _byte_prefix(old_x, old_y, x, y, m)
    if k is None:
        a, b = old_y[:m], y[:m]
        same = (old_x[:m] == x[:m]) & ((a == b) | (np.isnan(a) & np.isnan(b)))
        k = m if same.all() else int(same.argmin())
    if k < 2:
        return None
    both = np.concatenate((old_y[k - 1 :], y[k - 1 :]))  # NaN skipped (all NaN: NaN); -inf, inf kept
    y0, y1 = float(np.fmin.reduce(both)), float(np.fmax.reduce(both))
    x0 = float(x[k - 1])
    x1 = max(float(old_x[-1]), float(x[-1]))
    if not all(math.isfinite(v) for v in (x0, x1, y0, y1)):
        return None
    return QRectF(x0, y0, x1 - x0, y1 - y0)


def _byte_prefix(old_x: np.ndarray, old_y: np.ndarray, x: np.ndarray, y: np.ndarray, m: int) -> int | None:
    """The usual appends at a byte comparison's cost (≈ 2 µs, the elementwise search ≈ 40 µs: 55
    lines at 5 Hz were a tenth of the window's CPU at 1×): ``m`` if the first ``m`` points are the
    same bytes, ``m - 1`` if all but the last are (thinned, the old last row is off the grid);
    else None (search). Equal bytes are equal values (a NaN the same NaN); values equal but not
    in bytes (0.0 and -0.0) only make the prefix a point shorter: a wider repaint, still right.
    """
    for k in (m, m - 1):
        if old_x[:k].tobytes() == x[:k].tobytes() and old_y[:k].tobytes() == y[:k].tobytes():
            return k
    return None


class PlotLines(pg.GraphicsObject):
    """All lines of one plot, painted together; its bounds are the plot's view box.

    ``fast`` False (exports) strokes wide dashed pens truly instead of as one-pixel bands.
    """

    fast = True

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[PlotLine] = []
        self._order: list[PlotLine] | None = None  # the lines in paint order (z, then added)
        self._rect: QRectF | None = None
        self._pixel: tuple[float, float] | None = None  # a device pixel in data units
        # the exposed rectangle in item coordinates: lines wholly outside it are not painted
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)

    # -- lines ----------------------------------------------------------------------------------
    def add_line(self, pen: QPen) -> PlotLine:
        line = PlotLine(self, pen)
        self.lines.append(line)
        self._order = None
        return line

    def remove_line(self, line: PlotLine) -> None:
        self.lines.remove(line)
        self._order = None
        self._update_around(line._bounds, line.opts["pen"])

    def line_changed(self, line: PlotLine, old: QRectF | None, old_pen: QPen | None = None) -> None:
        """Repaint where the line was and where it is now (as a curve item's own update did)."""
        pen = line.opts["pen"]
        if old_pen is not None and old_pen.widthF() > pen.widthF():
            pen = old_pen
        new = line._bounds
        if old is None or new is None:
            self._update_around(None, pen)
        elif old.isNull() or new is old:
            self._update_around(new, pen)
        else:  # one rectangle: where the line was and is (usually nearly the same)
            self._update_around(old if new.isNull() else old.united(new), pen)

    def data_changed(self) -> None:
        """A line's data changed: tell the view box, if it auto-ranges (an export fitting its
        axes), as a curve item did; the live plots fit their own ranges and skip this."""
        box = self.getViewBox()
        if box is not None and any(on is not False for on in box.state["autoRange"]):
            self.informViewBoundsChanged()

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: object = None) -> tuple:
        """The range pyqtgraph's auto-range found over one curve item per line: the lines' union,
        widened by each line's pen padding at the pixel size of that union (``ViewBox.
        childrenBounds``), so the padding is already in and ``pixelPadding`` is 0. Only the whole
        data (``frac`` 1, no ``orthoRange``), which is all the plots ask for."""
        if frac != 1.0 or orthoRange is not None:
            return (None, None)
        spans = [span for line in self.lines if (span := line.span(ax)) is not None]
        if not spans:
            return (None, None)
        # as the view box does: each span a QRectF (bottom = top + height), then the union
        ends = [(a, a + (b - a), pad) for a, b, pad in spans]
        lo, hi = min(e[0] for e in ends), max(e[1] for e in ends)
        box = self.getViewBox()
        size = 0.0 if box is None else (box.width() if ax == 0 else box.height())
        if size > 0:
            pixel = (hi - lo) / size
            for a, b, pad in ends:
                if pad:
                    lo, hi = min(lo, a - pad * pixel), max(hi, b + pad * pixel)
        return (lo, hi)

    def pixelPadding(self) -> float:
        return 0.0  # in dataBounds already

    def order_changed(self, line: PlotLine) -> None:
        self._order = None
        self._update_around(line._bounds, line.opts["pen"])

    def _update_around(self, bounds: QRectF | None, pen: QPen) -> None:
        if bounds is None:
            self.update()
            return
        if bounds.isNull():
            return  # no line, or one point: nothing was drawn there
        px, py = self._pixel or self._pixel_size()
        if px <= 0 or py <= 0:
            self.update()
            return
        pad = pen.widthF() * _PAD_WIDTHS
        # within the view box: a diverging racer's 1e150 overflowed Qt's integer device rectangle,
        # and the repaint it asked for did not happen (its curve, cut at the plot's edge, missing)
        rect = bounds.adjusted(-pad * px, -pad * py, pad * px, pad * py).intersected(self.boundingRect())
        if not rect.isEmpty():
            self.update(rect)

    def _pixel_size(self) -> tuple[float, float]:
        """A device pixel's width and height in data units (0 until the item is in a view)."""
        t = self.sceneTransform()
        sx, sy = math.hypot(t.m11(), t.m12()), math.hypot(t.m21(), t.m22())
        if not (sx > 0 and sy > 0 and math.isfinite(sx) and math.isfinite(sy)) or self.scene() is None:
            return 0.0, 0.0
        self._pixel = (1.0 / sx, 1.0 / sy)
        return self._pixel

    # -- the graphics item -----------------------------------------------------------------------
    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self._pixel = None
        self.prepareGeometryChange()
        self._rect = None

    def boundingRect(self) -> QRectF:
        """The view box's range in data coordinates, from its state: mapping the box's rectangle
        needs the view's inverse transform, which Qt drops as singular (identity) over a range
        like ±1e21 (a diverging racer), and the item then claimed a sliver of the plot."""
        if self._rect is None:
            box = self.getViewBox()
            if box is None:
                return QRectF()
            self._rect = box.viewRect()
        return QRectF(self._rect)

    def _in_order(self) -> list[PlotLine]:
        if self._order is None:
            self._order = sorted(self.lines, key=PlotLine.zValue)  # stable: added order within a z
        return self._order

    def paint(self, painter: QPainter, option: object, widget: object) -> None:
        exporting = self._exportOpts is not False
        # on screen without: a wide pen's smooth edges cost several times its strokes; a file
        # (``fast`` False: the exports render the view) with, as pyqtgraph's exporters ask: drawn
        # without, a PNG's slightly sloping 1.5 px line went from one pixel thick to two and back
        antialias = bool(self._exportOpts.get("antialias", True)) if exporting else not self.fast
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialias)
        engine = painter.paintEngine()
        band_ok = (
            self.fast and not exporting and engine is not None and engine.type() == QPaintEngine.Type.Raster
        )
        # Qt finds the exposed rectangle in item coordinates with the inverse transform: wrong
        # (identity) when Qt deems that singular, so then every line is drawn
        exposed = getattr(option, "exposedRect", None) if painter.worldTransform().isInvertible() else None
        pixel = self._pixel or self._pixel_size()
        for line in self._in_order():
            if not line._visible or line.xData is None or len(line.xData) == 0:
                continue
            pen = line.opts["pen"]
            style = pen.style()
            if style == Qt.PenStyle.NoPen:
                continue
            bounds = line._bounds
            if exposed is not None and bounds is not None and pixel[0] > 0:
                pad = pen.widthF() * _PAD_WIDTHS + _SLACK_PX
                grown = bounds.adjusted(-pad * pixel[0], -pad * pixel[1], pad * pixel[0], pad * pixel[1])
                if not grown.intersects(exposed):
                    continue
            if band_ok and pen.isCosmetic() and 1.5 <= pen.widthF() <= MAX_BAND_WIDTH:
                _paint_band(painter, pen, line.path())
            elif not antialias and uses_segments(pen):
                painter.setPen(pen)
                painter.drawLines(*line.segments())
            else:
                painter.setPen(pen)
                painter.drawPath(line.path())


def _paint_band(painter: QPainter, pen: QPen, path: QPainterPath) -> None:
    """A 1.5–3.5 px cosmetic pen as four one-pixel strokes: ``BandCurve``'s band (see there).
    Dashed, a third of the wide pen's cost; solid (the selected racer's w1), cheaper than
    pyqtgraph's separate wide segments, which were the dearest draw of a plots' paint (a quarter
    of a pair's paint at 1×)."""
    thin, shifts = band_strokes(pen)
    stroke_shifted(painter, thin, path, shifts)
