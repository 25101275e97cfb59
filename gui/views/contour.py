"""The centre of the window: the loss as a colour map with contour lines, and the racers on it.

Axes keep a 1:1 aspect so the gradient arrows stand perpendicular to the contour lines
as they really do. Glyphs and arrows have a fixed on-screen size: their *directions*
and *ratios* carry the meaning, so they never grow over the surface.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.PlotCurveItem import arrayToLineSegments
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen, QPixmapCache
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from gui import theme
from gui.history import RacerHistory, display_stride
from gui.slots import weak_slot
from gui.views.centred import CentredNote
from gui.views.curves import FastScatter, StrokedBand, pixel_lengths, polyline_path, uses_segments
from gui.views.lazy_plot import LazyColorBar, LazyFormPlotItem, set_axis_fonts

if TYPE_CHECKING:
    from engine.contours import SurfacePicture

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)
#: The colour bar's axis width at the normal size (pyqtgraph's ColorBarItem sets it so).
COLORBAR_AXIS_WIDTH = 45

PIXMAP_CACHE_KB = 128 * 1024
TRAIL_WIDTH = 2.2
ARROW_WIDTH = 2.4
CONTOUR_WIDTH = 1.0
MAX_TRAIL_POINTS = 6000
#: While a race plays, a racer (or the selected racer's arrows) moved less than this many pixels
#: since it was drawn is not drawn again: nothing on screen would change.
STILL_PX = 0.5
DOT_DIAMETER_PX = 13.0
#: Points this close to the legend's box count as hidden by it (markers are drawn 11–13 px wide).
READOUT_CLEARANCE_PX = 12.0
#: The readout's distance from the plot's edges.
READOUT_MARGIN_PX = 6.0
#: The legend's opacity while a racer's dot or the selected racer's arrows are under it
#: (``ContourView.give_way``): twelve racers on a projector's narrow plot fill half of it,
#: and no corner is free of them.
READOUT_FADED = 0.4
#: Playing, seconds clear of the racers before a faded legend shows again: a racer bouncing
#: on its edge would make it flicker at the frame rate.
READOUT_CLEAR_S = 0.6
#: Full arrow lengths as shares of the view. They differ so that parallel vectors stay apart:
#: SGD's Δw lies exactly along −g, and at one length it hid it, labels on top of each other.
ARROW_LENGTH = {"grad": 0.17, "M": 0.135, "dw": 0.10}
#: An arrow's length is log-compressed against the largest of its kind in the run so far:
#: the largest is full length, each decade below takes a quarter off, down to SHORTEST.
DECADES_TO_SHORTEST = 4.0
SHORTEST = 0.18
#: More decades below the largest than this, and the arrow fades: ‖g‖ has become negligible.
FADE_AFTER_DECADES = 4.0
FADED_ALPHA = 0.25


def arrow_scale(norm: float, largest: float) -> tuple[float, float]:
    """(share of the full length, opacity) of an arrow of size ``norm`` when the run's largest
    of its kind is ``largest``: lengths say how big a vector is, compressed over decades."""
    if not (norm > 0 and largest > 0) or not math.isfinite(norm):
        return 1.0, 1.0
    decades = max(0.0, math.log10(largest / norm)) if math.isfinite(largest) else 0.0
    length = max(SHORTEST, 1.0 - decades / DECADES_TO_SHORTEST)
    alpha = (
        1.0 if decades <= FADE_AFTER_DECADES else max(FADED_ALPHA, 1.0 - (decades - FADE_AFTER_DECADES) / 4)
    )
    return length, alpha


def short_number(value: float) -> str:
    """A vector's size in a label: two significant digits."""
    return f"{value:.2g}" if 1e-2 <= value < 1e3 else f"{value:.1e}".replace("e-0", "e-").replace("e+0", "e")


def surface_colormap() -> pg.ColorMap:
    pos = [p for p, _c in theme.SURFACE_STOPS]
    colors = [c for _p, c in theme.SURFACE_STOPS]
    return pg.ColorMap(pos, colors)


class _LevelLines(pg.GraphicsObject):
    """All contour lines in one path: one cached picture to repaint instead of one per level."""

    def __init__(self) -> None:
        super().__init__()
        self._path = QPainterPath()
        self._pen = pg.mkPen(theme.CONTOUR_PEN, width=CONTOUR_WIDTH)
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def set_lines(self, lines: np.ndarray) -> None:
        """Polylines of shape (n, 2) in plot coordinates, separated by NaN rows."""
        self.prepareGeometryChange()
        if lines.shape[0]:
            self._path = pg.arrayToQPath(lines[:, 0], lines[:, 1], connect="finite")
        else:
            self._path = QPainterPath()
        self.update()

    def set_pen(self, pen: QPen) -> None:
        self._pen = pen
        self.update()

    def boundingRect(self) -> QRectF:
        return self._path.boundingRect()

    def paint(self, painter: QPainter, *_: object) -> None:
        painter.setPen(self._pen)
        painter.drawPath(self._path)


#: Trails drawn afresh in one frame while playing, at most: the others wait a frame (``_Racer``).
BODIES_PER_FRAME = 2

#: Trail points farther out than this are left out (a gap): a diverging run's 1e150 made Qt's
#: stroker fill the plot with the racer's colour when the axes are not 1:1.
FAR = 1e12


def drawable(points: np.ndarray) -> np.ndarray:
    """``points`` with any beyond ±FAR replaced by NaN (the curve breaks there)."""
    if np.abs(points).max(initial=0.0) < FAR:  # the usual case: no copy
        return points
    return np.where(np.abs(points) < FAR, points, np.nan)


class TrailCurve(StrokedBand):
    """A curve whose wide pen is drawn as a few 1-pixel strokes side by side, on a raster device.

    Qt strokes a pen wider than a pixel through its general stroker, which with antialiasing
    cost ≈ 60 ms for a 6,000-point trail; its 1-pixel (cosmetic) lines take ≈ 1 ms. Two by two
    of them one pixel apart (three by three for a presenting pen) cover the same band and look
    the same on screen at a tenth of the cost. Exports (``fast`` False), SVG and wider pens keep
    the true stroke.
    """

    _strokes: tuple[QPen, QPen, list[tuple[float, float]]] | None = None  # (for pen, thin, shifts)

    def generatePath(self, x: np.ndarray, y: np.ndarray) -> QPainterPath:
        """pyqtgraph's path, made faster for finite points (``polyline_path``): a tip's path is
        made again at every frame."""
        if self.opts["stepMode"] or self.opts["skipFiniteCheck"]:
            return super().generatePath(x, y)
        return polyline_path(x, y, self.opts["connect"])

    def paint(self, painter: QPainter, option: object, widget: object) -> None:
        pen = self.opts["pen"]
        if not self._band_allowed(painter) or pen.style() != Qt.PenStyle.SolidLine:
            super().paint(painter, option, widget)
            return
        strokes = self._strokes
        if strokes is None or strokes[0] is not pen:  # the thin pen and shifts, once per pen
            thin = QPen(pen)
            thin.setWidthF(1.0)
            thin.setCosmetic(True)
            n = round(pen.widthF())
            mid = (n - 1) / 2
            strokes = self._strokes = (pen, thin, [(i - mid, j - mid) for i in range(n) for j in range(n)])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._stroke_shifted(painter, strokes[1], strokes[2])


class _Racer:
    """The trail of one racer on the contour (its current point is one of the _Dots).

    The trail is a body and its pieces, each repainted from a cached picture, and a short tip
    that is all a new frame has to stroke. Wide antialiased lines are the dearest thing Qt draws
    in software; stroking whole trails 30 times a second was a fifth of the window's CPU.
    A full tip becomes a piece (a few dozen points drawn once) instead of making the body take
    it in: flat out, the tip filled every few frames, and redrawing 12 bodies of 6,000 points
    each time was the largest part of the window's painting. Every ``MAX_PIECES`` pieces the
    body takes them all in; a thinned record or a new trail stride draws the body afresh.
    Racers flat out fill their tips on the same frames, so after a fresh body the racer with
    ``phase`` k takes its pieces in after ``MAX_PIECES − k mod MAX_PIECES`` of them, then every
    ``MAX_PIECES``: at most two of twelve bodies are drawn again on one frame, not all twelve
    (that frame's paint took ≈ 17 ms of CPU). Rows that move under a drawn trail (a thinned
    record, a new trail stride) redraw the body too, and racers flat out reach those row counts
    together: up to twelve bodies on one frame, a job of up to 50 ms of CPU. While playing, a
    view lets ``BODIES_PER_FRAME`` bodies be drawn a frame; a racer over that keeps its trail
    and dot as they are for a frame or a few (its drawn points are copies, so a thinned record
    does not change them).
    """

    #: Points the tip may grow to before it becomes a piece (drawn once, then cached). At 1× the
    #: tip grows a point a frame and is stroked at every frame: at 96 points (ten seconds' worth)
    #: the trails were ≈ 18 ms/s of the window's paint, at 24 half that. Flat out a frame brings
    #: more than either, so each frame makes a piece all the same.
    TIP = 24
    #: Pieces kept before the body takes them in (and is drawn once more).
    MAX_PIECES = 8

    def __init__(
        self,
        plot: pg.PlotItem,
        name: str,
        label: str,
        pen_scale: float = 1.0,
        color: str | None = None,
        *,
        fast: bool = True,
    ) -> None:
        color = QColor(color or theme.racer_color(name))
        self._plot = plot
        self._fast = fast
        self._pen = pg.mkPen(color, width=TRAIL_WIDTH * pen_scale)
        self.body = self._curve(cached=True)
        self.tip = self._curve(cached=False)
        #: Full tips, in order after the body: rows (points of the body − 1)·s … on a stride s.
        self.pieces: list[TrailCurve] = []
        self._spare: list[TrailCurve] = []  # hidden pieces, reused (adding an item costs more)
        self.color = color
        self.label = label
        # (record stride, trail stride, points) the body and pieces show: rows 0, s, … (points − 1)·s
        self._body: tuple[int, int, int] = (0, 0, 0)
        self._shown: tuple[int, int, int] | None = None
        self._drawn_from: RacerHistory | None = None  # the record _shown's rows are of
        self.end_point = np.zeros(2)
        #: Its place among the racers (set by the view): staggers the bodies' redraws.
        self.phase = 0
        self._max_pieces = self.MAX_PIECES  # pieces before the body takes them in, this round
        #: Whether the last ``show`` drew the body afresh (a view counts them per frame), and
        #: whether it was kept waiting to (the view lets it go first next frame).
        self.drew_body = False
        self.waiting = False

    def _curve(self, *, cached: bool) -> TrailCurve:
        item = TrailCurve(pen=self._pen, connect="finite")
        if cached:
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        item.fast = self._fast
        item.setZValue(20)
        self._plot.addItem(item)
        return item

    def parts(self) -> list[TrailCurve]:
        """The curves that draw the trail, in order along it (each starts where the last ends)."""
        return [self.body, *self.pieces, self.tip]

    def set_pen(self, pen: QPen) -> None:
        self._pen = pen
        for item in (*self.parts(), *self._spare):
            item.setPen(pen)

    def show(
        self,
        history: RacerHistory,
        end: int,
        near: tuple[float, float] | None = None,
        *,
        body_allowed: bool = True,
    ) -> bool:
        """The trail through rows [0, end) of the record, at most ~MAX_TRAIL_POINTS points;
        whether it changed. ``near`` (x, y in data units, while playing): rows that all lie this
        close to the end drawn are not drawn yet (see ``still``). Not ``body_allowed``: if a
        drawn body would be drawn afresh, nothing changes (the view's frame has drawn enough)."""
        self.drew_body = self.waiting = False
        shown = (end, history.stride, history.last_step)
        if shown == self._shown:
            return False  # nothing new (paused, converged, diverged): no repaint either
        if near is not None and self.still(history, end, near):
            return False
        stride = display_stride(end, MAX_TRAIL_POINTS)
        on_grid = (end - 1) // stride + 1  # rows 0, stride, … below end
        record, body_stride, points = self._body
        same_rows = (record, body_stride) == (history.stride, stride)
        piece_due = (
            same_rows and points > 0 and points + self.TIP < on_grid and len(self.pieces) < self._max_pieces
        )
        if not piece_due and (not same_rows or not 0 < points <= on_grid <= points + self.TIP):
            if not body_allowed and self._shown is not None:  # (a first trail is drawn at once)
                self.waiting = True
                return False
            self.drew_body = True
        self._shown = shown
        self._drawn_from = history
        w = history.vec("w")
        self.end_point = w[end - 1].copy()  # the point the trail ends at
        if piece_due:
            # the tip is full: its points become a piece (a copy: the record is thinned in place)
            piece = self._spare.pop() if self._spare else self._curve(cached=True)
            rows = drawable(w[(points - 1) * stride : (on_grid - 1) * stride + 1 : stride].copy())
            piece.setData(rows[:, 0], rows[:, 1])
            piece.setVisible(True)
            self.pieces.append(piece)
            points = on_grid
            self._body = (record, body_stride, points)
        elif self.drew_body:
            # rows moved (thinned record, a new trail stride, a cursor moved back) or the pieces
            # are many: the body takes every row on the grid again
            full = same_rows and 0 < points <= on_grid and len(self.pieces) >= self._max_pieces
            self._max_pieces = self.MAX_PIECES if full else self.MAX_PIECES - self.phase % self.MAX_PIECES
            points = on_grid
            # a copy: a body kept a frame longer (BODIES_PER_FRAME) outlives these rows
            body = drawable(w[0 : (points - 1) * stride + 1 : stride].copy())
            self.body.setData(body[:, 0], body[:, 1])
            self._body = (history.stride, stride, points)
            for piece in self.pieces:
                piece.setVisible(False)
                piece.setData([], [])
            self._spare.extend(self.pieces)
            self.pieces = []
        tip = w[(points - 1) * stride : end : stride]
        tip = np.vstack([tip, w[end - 1 : end]]) if (end - 1) % stride else tip.copy()
        tip = drawable(tip)
        self.tip.setData(tip[:, 0], tip[:, 1])
        return True

    def still(self, history: RacerHistory, end: int, near: tuple[float, float]) -> bool:
        """Whether rows [drawn end, end) all lie within ``near`` of the point the trail ends at:
        drawing them would change nothing on screen. A racer that has settled moves a tiny
        fraction of a pixel a step, and redrawing its tip at every frame was most of the
        window's work while a race played on (≈ 0.5 ms a racer a frame at 60 steps/s). The
        rows must follow on from those drawn (the same record stride and trail stride, more
        of them); any that move farther, or are not finite, and the trail is drawn."""
        if history is not self._drawn_from or self._shown is None:
            return False
        drawn, stride, _ = self._shown  # rows [0, drawn) are drawn
        if stride != history.stride or not 0 < drawn < end:
            return False
        if display_stride(end, MAX_TRAIL_POINTS) != self._body[1]:
            return False
        # from the drawn end's row on: on a thinned record an append replaces the newest row
        with np.errstate(invalid="ignore"):
            away = np.abs(history.vec("w")[drawn - 1 : end] - self.end_point)
            return bool((away[:, 0] <= near[0]).all() and (away[:, 1] <= near[1]).all())

    def remove(self, plot: pg.PlotItem) -> None:
        for item in (*self.parts(), *self._spare):
            plot.removeItem(item)


class _Dots(pg.GraphicsObject):
    """The racers' current points, outlined discs of a fixed size in pixels, as one item.

    One item repaints in one call where a scatter plot per racer took five (each ≈ 0.1 ms
    of Python per frame).
    """

    def __init__(self, diameter_px: float = 13.0) -> None:
        super().__init__()
        self._radius = diameter_px / 2
        self._pen = pg.mkPen("#1a1a1a", width=1.6)
        self._points: dict[str, tuple[float, float, QColor]] = {}
        self.points: dict[str, tuple[float, float, QColor]] = {}  # as last given
        self._bounds = QRectF()

    def set_points(self, points: dict[str, tuple[float, float, QColor]]) -> None:
        """Racer → (x, y, colour), drawn in that order; non-finite points are not drawn."""
        self.prepareGeometryChange()
        self.points = dict(points)
        self._points = {k: p for k, p in points.items() if math.isfinite(p[0]) and math.isfinite(p[1])}
        self._bounds = QRectF()
        self.update()

    def set_diameter(self, diameter_px: float) -> None:
        self.prepareGeometryChange()
        self._radius = diameter_px / 2
        self._bounds = QRectF()
        self.update()

    @property
    def radius(self) -> float:
        return self._radius

    def position(self, name: str) -> tuple[float, float] | None:
        point = self._points.get(name)
        return None if point is None else (point[0], point[1])

    def viewTransformChanged(self) -> None:
        # the pixel size of the discs changes in data units: grow or shrink the bounds
        self.prepareGeometryChange()
        self._bounds = QRectF()

    def boundingRect(self) -> QRectF:
        if self._bounds.isNull() and self._points:
            px, py = self.pixelSize() if self.getViewBox() is not None else (0.0, 0.0)
            pad_x, pad_y = (self._radius + 2) * px, (self._radius + 2) * py
            xs = [p[0] for p in self._points.values()]
            ys = [p[1] for p in self._points.values()]
            self._bounds = QRectF(
                min(xs) - pad_x, min(ys) - pad_y, max(xs) - min(xs) + 2 * pad_x, max(ys) - min(ys) + 2 * pad_y
            )
        return self._bounds

    def paint(self, painter: QPainter, *_: object) -> None:
        to_device = painter.transform()
        painter.resetTransform()  # discs are round and of fixed size whatever the axes' scale
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(self._pen)
        for x, y, color in self._points.values():
            painter.setBrush(color)
            painter.drawEllipse(to_device.map(QPointF(x, y)), self._radius, self._radius)


Box = tuple[float, float, float, float]  # a label's centre x, y and its width, height (view units)


def _first_clash(placed: list[Box], box: Box) -> Box | None:
    """The first of the labels ``placed`` that ``box`` overlaps, or None."""
    x, y, w, h = box
    return next(
        (b for b in placed if abs(b[0] - x) < (b[2] + w) / 2 and abs(b[1] - y) < (b[3] + h) / 2), None
    )


class _Shaft(pg.GraphicsObject):
    """An arrow's line: one segment, painted as the ``PlotCurveItem`` it replaces painted it (the
    same path, pen and antialiasing, so the same pixels) and bounded by the same rect.

    The selected racer's arrows move at every frame; as curves each move cost ≈ 35 µs of
    ``setData`` (array checks, bounds, the view box told, signals) and each paint ≈ 80 µs (a
    curve's general paint, the path from ``arrayToQPath``). ``getData``, ``setData`` and
    ``setPen`` are the curve's, for two-point data.
    """

    def __init__(self, pen: QPen) -> None:
        super().__init__()
        self._pen = pen
        self._x = self._y = np.zeros(0)
        self._path = QPainterPath()
        self._rect: QRectF | None = None
        self._pixel: tuple[float, float] | None = None  # a view pixel in data units, (x, y)
        self._antialias = bool(pg.getConfigOption("antialias"))  # as a curve reads it

    def getData(self) -> tuple[np.ndarray, np.ndarray]:
        return self._x, self._y

    def setData(self, x: Iterable[float], y: Iterable[float]) -> None:
        """The segment from (x[0], y[0]) to (x[1], y[1])."""
        self._x, self._y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        self.prepareGeometryChange()
        if len(self._x) == 2 and np.isfinite(self._x).all() and np.isfinite(self._y).all():
            # what arrayToQPath makes of two points: a move and a line
            self._path = QPainterPath(QPointF(self._x[0], self._y[0]))
            self._path.lineTo(self._x[1], self._y[1])
        else:
            self._path = pg.arrayToQPath(self._x, self._y) if len(self._x) else QPainterPath()
        self._rect = None
        self.update()

    def setPen(self, pen: QPen) -> None:
        self.prepareGeometryChange()
        self._pen = pen
        self._rect = None
        self.update()

    def viewTransformChanged(self) -> None:
        super().viewTransformChanged()
        self.prepareGeometryChange()
        self._pixel = self._rect = None

    def boundingRect(self) -> QRectF:
        """``PlotCurveItem``'s: the finite data's bounds, padded by the pen (0.7072 of its
        width, in pixels for a cosmetic pen)."""
        if self._rect is None:
            x, y = self._x[np.isfinite(self._x)], self._y[np.isfinite(self._y)]
            if not (x.size and y.size):
                return QRectF()
            xmn, xmx, ymn, ymx = float(x.min()), float(x.max()), float(y.min()), float(y.max())
            pen, px, py = self._pen, 0.0, 0.0
            if pen.style() != Qt.PenStyle.NoPen:
                pad = pen.widthF() * 0.7072
                if not pen.isCosmetic():
                    xmn, xmx, ymn, ymx = xmn - pad, xmx + pad, ymn - pad, ymx + pad
                else:
                    if self._pixel is None:
                        lx, ly, known = pixel_lengths(self)
                        if not known:
                            return QRectF(xmn, ymn, xmx - xmn, ymx - ymn)
                        self._pixel = (lx, ly)
                    px, py = self._pixel[0] * pad, self._pixel[1] * pad
            self._rect = QRectF(xmn - px, ymn - py, (2 * px) + xmx - xmn, (2 * py) + ymx - ymn)
        return self._rect

    def paint(self, painter: QPainter, *_: object) -> None:
        if len(self._x) == 0 or self._pen.style() == Qt.PenStyle.NoPen:
            return
        aa = self._exportOpts.get("antialias", True) if self._exportOpts is not False else self._antialias
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, aa)
        painter.setPen(self._pen)
        if not aa and uses_segments(self._pen):  # a curve's rule, without antialiasing
            painter.drawLines(*arrayToLineSegments(self._x, self._y, "all", True).drawargs())
        else:
            painter.drawPath(self._path)


class _Arrow:
    """A vector drawn from a point: a line and a head, with a short label and its size."""

    def __init__(self, plot: pg.PlotItem, color: str, text: str) -> None:
        self.color = color
        self.name = text
        self.opacity = 1.0
        self.visible = True
        self.angle: float | None = None  # of the head, in whole degrees
        self.label = text
        self.tip, self.direction = (0.0, 0.0), (1.0, 0.0)
        pen = pg.mkPen(color, width=ARROW_WIDTH)
        self.line = _Shaft(pen)
        self.head = pg.ArrowItem(headLen=12, tipAngle=32, pen=pen, brush=color)
        self.text = pg.TextItem(text, color=color, anchor=(0.5, 0.5), fill=pg.mkBrush(255, 255, 255, 170))
        font = QFont()
        font.setBold(True)
        self.text.setFont(font)
        for item in (self.line, self.head, self.text):
            item.setZValue(40)
            plot.addItem(item, ignoreBounds=True)
        for item in (self.text, self.text.textItem):  # its text changes far less often than it moves
            item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)

    def set(
        self,
        origin: tuple[float, float],
        vector: tuple[float, float] | None,
        length: float,
        largest: float | None = None,
        *,
        label: bool = True,
    ) -> None:
        """Draw ``vector`` from ``origin``; ``largest`` (the run's biggest of its kind) scales it.

        ``label=False`` keeps the label's number as it is (while playing, numbers change at 5 Hz).
        """
        self.draw(origin, self.shape(origin, vector, length, largest), label=label)

    @staticmethod
    def shape(
        origin: tuple[float, float], vector: tuple[float, float] | None, length: float, largest: float | None
    ) -> tuple[float, float, float, float, float, float] | None:
        """Where ``vector`` drawn from ``origin`` ends: (x1, y1, ux, uy, norm, opacity); None: not drawn."""
        if vector is None or not all(map(math.isfinite, vector)) or math.hypot(*vector) == 0:
            return None
        norm = math.hypot(*vector)
        share, alpha = arrow_scale(norm, norm if largest is None else largest)
        length *= share
        ux, uy = vector[0] / norm, vector[1] / norm
        return origin[0] + ux * length, origin[1] + uy * length, ux, uy, norm, alpha

    @staticmethod
    def head_angle(ux: float, uy: float) -> float:
        """The head's angle for a unit direction, in whole degrees."""
        return float(round(180.0 - math.degrees(math.atan2(uy, ux))))

    def text_for(self, norm: float, label: bool) -> str:
        """The label for a vector of size ``norm``: its name and size, or as it is (``label`` False)."""
        return f"{self.name} {short_number(norm)}" if label or self.label == self.name else self.label

    def draw(
        self,
        origin: tuple[float, float],
        shape: tuple[float, float, float, float, float, float] | None,
        *,
        label: bool = True,
    ) -> None:
        """Draw the arrow ``shape`` found (or hide it: None); ``label`` as in ``set``."""
        if shape is None:
            self.set_visible(False)
            return
        self.set_visible(True)
        x1, y1, ux, uy, norm, alpha = shape
        self.line.setData([origin[0], x1], [origin[1], y1])
        self.head.setPos(x1, y1)
        # whole degrees, set only when they change: setStyle rebuilds the head's path
        angle = self.head_angle(ux, uy)
        if angle != self.angle:
            self.angle = angle
            self.head.setStyle(angle=angle)
        text = self.text_for(norm, label)
        if text != self.label:  # laying the label out again costs more than the arrow
            self.label = text
            self.text.setText(text)
        # (the label is placed by ContourView._separate_labels, clear of the others)
        self.tip, self.direction = (x1, y1), (ux, uy)  # where the label goes (ContourView)
        if alpha != self.opacity:
            self.opacity = alpha
            for item in (self.line, self.head, self.text):
                item.setOpacity(alpha)

    def set_visible(self, visible: bool) -> None:
        # each setVisible runs pyqtgraph's Python itemChange twice: only when it changes
        if visible == self.visible:
            return
        self.visible = visible
        for item in (self.line, self.head, self.text):
            item.setVisible(visible)


def _in_box(px: np.ndarray, py: np.ndarray, box: tuple[float, float, float, float], pad: float) -> np.ndarray:
    """Which points (pixels) lie within ``pad`` pixels of ``box`` (left, top, width, height)."""
    left, top, width, height = box
    return (px >= left - pad) & (px <= left + width + pad) & (py >= top - pad) & (py <= top + height + pad)


class ContourView(pg.PlotWidget):
    """Loss surface, racers, the selected racer's vectors and its √G glyph."""

    start_picked = Signal(float, float)
    reset_view_requested = Signal()  # the plot's "A" button
    step_picked = Signal(str, int)  # a click on (near) a trail point: (optimizer, step)
    step_hovered = Signal(str, int)
    view_changed = Signal(tuple)  # (x_min, x_max, y_min, y_max) after the user panned or zoomed

    def __init__(self, parent: object = None) -> None:
        # no context menus: pyqtgraph would build them (a good part of making a plot), never
        # shown; the hidden form behind them waits until something asks for it (lazy_plot.py)
        super().__init__(parent, background="w", plotItem=LazyFormPlotItem(enableMenu=False))
        # The surface, its contour lines and the axes are repainted from cached pixmaps; Qt's
        # default 10 MB cache holds fewer than the contour lines alone, and thrashing it made
        # every frame redraw them (10.6 → 3.7 ms a frame measured).
        QPixmapCache.setCacheLimit(max(QPixmapCache.cacheLimit(), PIXMAP_CACHE_KB))
        self.plot = self.getPlotItem()
        # graphics items take the application's direction; a plot's axes must not mirror in Persian
        self.plot.setLayoutDirection(Qt.LeftToRight)
        self.plot.setAspectLocked(True)
        self.plot.showGrid(x=False, y=False)
        for axis, name in (("bottom", "w1"), ("left", "w2")):
            self.plot.setLabel(axis, f"<i>{name}</i>")
            self.plot.getAxis(axis).setTextPen("#222")
            self.plot.getAxis(axis).setPen("#444")
            self.plot.getAxis(axis).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        # pyqtgraph's "A" button would fit every item, a runaway trail too (a plane of ±1e154):
        # here it means "Reset view", as in the View menu
        self.plot.autoBtn.clicked.disconnect()
        self.plot.autoBtn.clicked.connect(weak_slot(self._reset_view_clicked))
        self.image = pg.ImageItem()
        self.image.setNanPolicy("omit")
        # the surface is still while racers move: repaint it from a cached pixmap
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.colorbar = LazyColorBar(colorMap=surface_colormap(), interactive=False, width=14)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        # its ticks beside its strip in Persian too (a mirrored layout put them across the label)
        self.colorbar.setLayoutDirection(Qt.LeftToRight)
        self.colorbar.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.lines = _LevelLines()
        self.lines.setZValue(-5)
        self.plot.addItem(self.lines, ignoreBounds=True)
        self.minima = FastScatter(
            symbol="star", size=17, pen=pg.mkPen("#111", width=1.2), brush=pg.mkBrush("#ffffff")
        )
        self.minima.setZValue(15)
        self.start_marker = FastScatter(
            symbol="s", size=11, pen=pg.mkPen("#111", width=2), brush=pg.mkBrush(255, 255, 255, 200)
        )
        self.start_marker.setZValue(16)
        for marks in (self.minima, self.start_marker):  # still while racers move: cached pictures
            marks.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.plot.addItem(self.minima)
        self.plot.addItem(self.start_marker)
        self.readout = pg.TextItem(
            color="#111", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 225), border=pg.mkPen("#999")
        )
        self.readout.setParentItem(self.plot.vb)
        self.readout.setPos(6, 6)
        self.readout.setZValue(50)
        # the table changes a few times a second, the racers under it at every frame: repaint
        # its text from a cached picture instead of laying it out each time. Not its box: one
        # polygon, and pyqtgraph's TextItem changes its size without telling Qt, so a cached
        # box kept the first one's size (the first 12-row table showed over a strip of box)
        self.readout.textItem.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.readout.setVisible(False)  # an empty one is a stray little box
        # what the plot is waiting for, in its middle (the engine still loading at start-up)
        self.notice = CentredNote(self.plot.vb, z=60, color="#333", fill=pg.mkBrush(255, 255, 255, 235))
        self.arrows = {
            "grad": _Arrow(self.plot, "#C0392B", "−g"),
            # every momentum rule steps along −M (M gathers +g): the arrow shows where it pushes
            "M": _Arrow(self.plot, "#6A3D9A", "−M"),
            "dw": _Arrow(self.plot, "#111111", "Δw"),
        }
        self.glyph = QGraphicsEllipseItem()
        self.glyph.setPen(QPen(QColor("#6A3D9A"), 0))
        self.glyph.setBrush(QColor(106, 61, 154, 40))
        self.glyph.setZValue(35)
        self.plot.addItem(self.glyph, ignoreBounds=True)
        self.glyph_label = pg.TextItem("√G", color="#6A3D9A", anchor=(0, 1))
        self._placed_labels: list[
            tuple[float, float, float, float]
        ] = []  # (x, y, w, h) of the arrows' labels
        self.plot.addItem(self.glyph_label, ignoreBounds=True)
        self.glyph.setVisible(False)
        self.glyph_label.setVisible(False)
        for arrow in self.arrows.values():
            arrow.set_visible(False)  # until a racer's state is shown
        self.show_vectors = {"grad": True, "M": True, "dw": True, "glyph": True}
        self._racers: dict[str, _Racer] = {}
        # where the selected racer would go with the settings being tried (a "what if")
        self.ghost = pg.PlotCurveItem(connect="finite")
        self.ghost.setZValue(19)
        self.ghost.setVisible(False)
        self.plot.addItem(self.ghost, ignoreBounds=True)
        self.dots = _Dots()
        self.dots.setZValue(30)
        self.plot.addItem(self.dots, ignoreBounds=True)
        self._pen_scale = 1.0
        #: Trails as overlaid 1-pixel strokes (``TrailCurve``); an export sets False: true strokes.
        self.fast_trails = True
        self._histories: dict[str, RacerHistory] = {}
        self._largest_cache: tuple[object, dict[str, float]] = (None, {})
        # (record, stride, k, step of row k−1, maxima of rows 1 … k−1): rows weighed (_largest)
        self._largest_rows: tuple = (None, 0, 0, 0, {})
        self._labelled: str | None = None  # the racer whose sizes the arrows' labels give
        self._state_drawn: tuple[list[object], list[float]] | None = None  # (_state_still)
        self._covered_at: float | None = None  # when the legend last had a racer under it (give_way)
        #: Whether the legend fades over racers (``give_way``): the window's does; an export's
        #: stays as it is (a still image with a faded legend looked washed out).
        self.gives_way = False
        self._view: tuple[float, float, float, float] = (-4.0, 4.0, -4.0, 4.0)
        self.set_view(self._view)  # round numbers on the axes until a surface comes
        self._regrid_timer = QTimer(self, singleShot=True, interval=350)
        self._regrid_timer.timeout.connect(self._emit_view)
        self.plot.vb.sigRangeChangedManually.connect(weak_slot(self._regrid_soon))
        # A new size shows more or less of the plane (the aspect is locked): grid what is seen,
        # or a resized window shows blank bands beside the surface. Corners move with the size,
        # and the trails under them with the view: the readout looks for its corner again.
        self.plot.vb.sigResized.connect(weak_slot(self._regrid_soon))
        self.plot.vb.sigResized.connect(weak_slot(self.place_readout))
        self.plot.vb.sigRangeChanged.connect(weak_slot(self.place_readout))
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hovered)
        self._last_hover = 0.0

    # -- surface ----------------------------------------------------------------------
    def set_surface(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        picture: SurfacePicture,
        minima: Iterable[tuple[float, float]],
        reset_view: bool = True,
    ) -> None:
        """Show a surface prepared by ``engine.contours.surface_picture`` (off the GUI thread)."""
        lo, hi = picture.color_range
        self.image.setImage(picture.values, autoLevels=False, levels=(lo, hi))
        self.image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
        self.colorbar.setLevels((lo, hi))
        self.colorbar.axis.setLabel(picture.label)
        self.lines.set_lines(picture.lines)
        self.minima.setData(pos=list(minima) or np.zeros((0, 2)))
        if reset_view:
            self.set_view((float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])))
            # the 1:1 aspect usually shows more than the surface's window: fill it
            self._regrid_timer.start()

    def set_aspect_locked(self, locked: bool) -> None:
        """1:1 axes (arrows stand perpendicular to the level lines), or free for a surface whose
        window is far from square (raw data: w2 spans 100× the range of w1)."""
        self.plot.setAspectLocked(locked)

    def set_title(self, text: str) -> None:
        """A title above the plot (exports; the window shows the formula beside it instead)."""
        self.plot.setTitle(text, color="#111", size="14pt")

    def set_pen_scale(self, scale: float) -> None:
        """Widen lines for a large export: cosmetic pens ignore the painter's scale, text does not."""
        self._pen_scale = scale
        for racer in self._racers.values():
            racer.set_pen(pg.mkPen(racer.color, width=TRAIL_WIDTH * scale))
        self.lines.set_pen(pg.mkPen(theme.CONTOUR_PEN, width=CONTOUR_WIDTH * scale))
        for arrow in self.arrows.values():
            arrow.line.setPen(pg.mkPen(arrow.color, width=ARROW_WIDTH * scale))
        self._state_drawn = None  # the arrows' heads and labels are drawn anew

    def set_display_scale(self, scale: float, base: QFont | None = None) -> None:
        """Presentation mode: lines, markers, arrows and axis text ``scale`` times their size.

        ``base``: the normal-size font to scale (the window's before presenting: the application
        font is already scaled then, and scaling it again made the axes' text 2.25×).
        """
        self.set_pen_scale(scale)
        self.dots.set_diameter(DOT_DIAMETER_PX * scale)
        self.minima.setSize(17 * scale)
        self.start_marker.setSize(11 * scale)
        font = QFont(base) if base is not None else QFont()
        font.setPointSizeF(font.pointSizeF() * scale)
        # the colour bar's axis has a fixed width (pyqtgraph's 45 px): its numbers and its title,
        # both larger, overlapped in it
        self.colorbar.axis.setWidth(round(COLORBAR_AXIS_WIDTH * scale) + (6 if scale > 1 else 0))  # + air
        for axis in (self.plot.getAxis("bottom"), self.plot.getAxis("left"), self.colorbar.axis):
            set_axis_fonts(axis, font, font)
        for arrow in self.arrows.values():
            bold = QFont(font)
            bold.setBold(True)
            arrow.text.setFont(bold)
            arrow.head.setStyle(headLen=12 * scale)
        self.glyph_label.setFont(font)  # "√G" kept the normal size when presenting

    def set_view(self, view: tuple[float, float, float, float]) -> None:
        self._view = view
        self.plot.setRange(xRange=view[:2], yRange=view[2:], padding=0.0)

    def current_view(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        return (x0, x1, y0, y1)

    def _reset_view_clicked(self) -> None:
        self.reset_view_requested.emit()

    def _regrid_soon(self) -> None:
        self._regrid_timer.start()

    def _emit_view(self) -> None:
        if self.plot.vb is None or self.image.image is None:  # closed, or no surface yet
            return
        view = self.current_view()
        rect = self.image.mapRectToParent(self.image.boundingRect())
        have = (rect.left(), rect.right(), rect.top(), rect.bottom())
        if any(abs(a - b) > 1e-9 * max(1.0, abs(b)) for a, b in zip(view, have, strict=True)):
            self.view_changed.emit(view)

    def _clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton or event.double():  # type: ignore[attr-defined]
            return
        pos = event.scenePos()  # type: ignore[attr-defined]
        if not self.plot.vb.sceneBoundingRect().contains(pos):
            return
        point = self.plot.vb.mapSceneToView(pos)
        hit = self.nearest_step(point.x(), point.y())
        if hit is not None:
            self.step_picked.emit(*hit)
        else:
            self.start_picked.emit(float(point.x()), float(point.y()))

    def _hovered(self, pos: QPointF) -> None:
        now = time.perf_counter()
        if now - self._last_hover < 0.05 or not self.plot.vb.sceneBoundingRect().contains(pos):
            return
        self._last_hover = now
        point = self.plot.vb.mapSceneToView(pos)
        hit = self.nearest_step(point.x(), point.y(), radius_px=6.0)
        if hit is not None:
            self.step_hovered.emit(*hit)

    def nearest_step(self, x: float, y: float, radius_px: float = 9.0) -> tuple[str, int] | None:
        """The recorded point of any racer closest to (x, y), if within ``radius_px`` pixels."""
        px, py = self.plot.vb.viewPixelSize()
        best: tuple[float, str, int] | None = None
        for name, history in self._histories.items():
            w = history.vec("w")
            d2 = ((w[:, 0] - x) / px) ** 2 + ((w[:, 1] - y) / py) ** 2
            d2 = np.where(np.isfinite(d2), d2, np.inf)
            i = int(np.argmin(d2))
            if d2[i] <= radius_px**2 and (best is None or d2[i] < best[0]):
                best = (float(d2[i]), name, int(history.step[i]))
        return None if best is None else (best[1], best[2])

    # -- racers -----------------------------------------------------------------------
    def set_racers(
        self, racers: dict[str, str], start: tuple[float, float], colors: dict[str, str] | None = None
    ) -> None:
        """Replace the racers (key → legend label; ``colors``: key → colour, else the optimizer's)."""
        for racer in self._racers.values():
            racer.remove(self.plot)
        self._racers = {}
        for phase, (name, label) in enumerate(racers.items()):
            racer = _Racer(
                self.plot, name, label, self._pen_scale, (colors or {}).get(name), fast=self.fast_trails
            )
            racer.phase = phase
            self._racers[name] = racer
        self.start_marker.setData(pos=[start])
        self.dots.set_points({})
        for arrow in self.arrows.values():
            arrow.set_visible(False)
        self.glyph.setVisible(False)
        self.glyph_label.setVisible(False)
        self._state_drawn = None

    def update_racers(
        self, histories: dict[str, RacerHistory], cursor: int | None = None, *, still_px: float = 0.0
    ) -> None:
        """Redraw trails and markers; with ``cursor``, markers sit at that step.

        ``still_px`` (a playing race): a racer whose new rows all lie within that many pixels of
        the end of its trail is not drawn again until they move farther (``_Racer.still``); its
        dot stays at the trail's end. With every racer still, nothing is repainted.
        """
        self._histories = histories
        near = None
        if still_px > 0:
            px, py = self.plot.vb.viewPixelSize()
            if px > 0 and py > 0 and math.isfinite(px) and math.isfinite(py):
                near = (still_px * px, still_px * py)
        points = dict.fromkeys(name for name in histories if name in self._racers)  # the dots' order
        bodies = BODIES_PER_FRAME if near is not None else math.inf
        # those kept waiting last frame first: a burst of bodies is drawn in turn, none waits long
        for name in sorted(points, key=lambda name: not self._racers[name].waiting):
            history, racer = histories[name], self._racers[name]
            end = len(history) if cursor is None else history.row_at_step(cursor) + 1
            drawn = racer.show(history, end, near, body_allowed=bodies > 0)
            bodies -= racer.drew_body
            if drawn or near is None:
                x, y = history.vec("w")[end - 1]
            else:  # still (or nothing new): the dot stays where its trail ends
                x, y = racer.end_point
            points[name] = (float(x), float(y), racer.color)
        if near is None or points != self.dots.points:
            self.dots.set_points(points)

    @property
    def bodies_waiting(self) -> bool:
        """Whether a trail was kept waiting to draw its body (``BODIES_PER_FRAME``): the next
        frame must update the racers even if no rows come (the race may have ended)."""
        return any(racer.waiting for racer in self._racers.values())

    def set_ghost(self, w: np.ndarray | None, color: str = "#333333") -> None:
        """Draw a path not raced yet, dashed and faint, or hide it (None)."""
        if w is None or len(w) == 0:
            self.ghost.setVisible(False)
            return
        stride = display_stride(len(w), MAX_TRAIL_POINTS)
        shown = w[::stride] if stride > 1 else w
        if stride > 1 and len(w) % stride != 1:
            shown = np.vstack([shown, w[-1:]])
        c = QColor(color)
        c.setAlpha(170)
        self.ghost.setPen(pg.mkPen(c, width=1.8 * self._pen_scale, style=Qt.DashLine))
        self.ghost.setData(shown[:, 0], shown[:, 1])
        self.ghost.setVisible(True)

    def marker_position(self, name: str) -> tuple[float, float] | None:
        """Where the racer ``name``'s current point is drawn (None: not drawn)."""
        return self.dots.position(name)

    def show_state(
        self,
        point: tuple[float, float],
        grad: tuple[float, float] | None,
        m: tuple[float, float] | None,
        dw: tuple[float, float] | None,
        G: tuple[float, float] | None,
        *,
        racer: str | None = None,
        numbers: bool = True,
        still_px: float = 0.0,
    ) -> None:
        """Arrows (−g, −M, Δw) and the √G glyph of the selected racer at its current point.

        With ``racer`` (whose record this view draws), each arrow's length is log-compressed
        against the largest of its kind in that racer's run, and it fades once negligible; the
        label gives the vector's size. Without it, every arrow is full length.
        ``numbers=False`` (a playing frame between the readout's): the arrows move, their labels'
        numbers stay until the next such frame, unless another racer is shown (a new label
        costs more than the arrows, and at 30 Hz no one reads it). ``still_px`` (a playing race):
        a state drawn within that many pixels of the one on screen is not drawn (``_state_still``).
        """
        numbers = numbers or racer != self._labelled
        x0, x1, y0, y1 = self.current_view()
        size = min(x1 - x0, y1 - y0)
        # a point off the plot (a run far away, one that diverged at 1e26): no arrows, whose
        # labels were held in a corner of the plot, attached to nothing ("−g 6.5e+27")
        on_plot = x0 <= point[0] <= x1 and y0 <= point[1] <= y1
        neg_g = (-grad[0], -grad[1]) if grad is not None else None
        neg_m = (-m[0], -m[1]) if m is not None else None
        largest = self._largest(racer)
        shapes = {
            key: _Arrow.shape(
                point,
                vec if self.show_vectors[key] and on_plot else None,
                ARROW_LENGTH[key] * size,
                largest.get(key),
            )
            for key, vec in (("grad", neg_g), ("M", neg_m), ("dw", dw))
        }
        show_glyph = (
            on_plot
            and self.show_vectors["glyph"]
            and G is not None
            and all(map(math.isfinite, G))
            and max(G) > 0
        )
        r = (0.0, 0.0)
        if show_glyph:
            assert G is not None
            radii = np.sqrt(np.asarray(G, dtype=float))
            radii = np.maximum(radii / radii.max() * 0.09 * size, 0.004 * size)
            r = (float(radii[0]), float(radii[1]))
        if still_px > 0 and self._state_still(racer, numbers, point, shapes, show_glyph, r, still_px):
            return
        if numbers:
            self._labelled = racer
        for key, shape in shapes.items():
            self.arrows[key].draw(point, shape, label=numbers)
        self._separate_labels()
        if bool(show_glyph) != self.glyph.isVisible():
            self.glyph.setVisible(bool(show_glyph))
            self.glyph_label.setVisible(bool(show_glyph))
        if show_glyph:
            self.glyph.setRect(
                QRectF(QPointF(point[0] - r[0], point[1] - r[1]), QPointF(point[0] + r[0], point[1] + r[1]))
            )
            self._place_glyph_label(point, r)

    def _state_still(
        self,
        racer: str | None,
        numbers: bool,
        point: tuple[float, float],
        shapes: dict[str, tuple[float, float, float, float, float, float] | None],
        glyph: bool,
        r: tuple[float, float],
        still_px: float,
    ) -> bool:
        """Whether the arrows and glyph would be drawn as they are, to within ``still_px`` pixels
        (the same arrows, head angles, labels and fading; ends and radii that close); if not,
        the new state is kept as the one drawn. A settled racer's vectors shrink or turn by a
        fraction of a pixel a frame, and moving the arrows, their labels and the glyph again
        cost ≈ 1 ms of a frame at 60 steps/s."""
        px, py = self.plot.vb.viewPixelSize()
        if not (px > 0 and py > 0):
            return False
        same: list[object] = [racer, glyph]
        spots = [point[0] / px, point[1] / py, r[0] / px, r[1] / py]
        for arrow, shape in zip(self.arrows.values(), shapes.values(), strict=True):
            if shape is None:
                same.append(None)
                continue
            x1, y1, ux, uy, norm, alpha = shape
            same += [arrow.head_angle(ux, uy), round(alpha, 2), arrow.text_for(norm, numbers)]
            spots += [x1 / px, y1 / py]
        drawn = self._state_drawn
        self._state_drawn = (same, spots)
        if drawn is None or drawn[0] != same or len(drawn[1]) != len(spots):
            return False
        if all(abs(a - b) <= still_px for a, b in zip(drawn[1], spots, strict=True)):
            self._state_drawn = drawn  # the state drawn stays the reference
            return True
        return False

    def _largest(self, racer: str | None) -> dict[str, float]:
        """The largest ‖g‖, ‖M‖, ‖Δw‖ of a racer's recorded run (cached per record length).

        Rows already weighed are not weighed again: at 60 steps a second the record is at its
        12,000-row cap within minutes, and three norms over all of it at every frame cost ≈ 1 ms.
        The rows before the newest (an append may replace that one) are kept as weighed while
        the record is the same object on the same stride and the last of them holds the same
        step (a thinning or an insertion of exact rows before it moves it); only the rows after
        them are weighed. The maxima are those of all rows, as before: a max is exact.
        """
        history = self._histories.get(racer) if racer is not None else None
        if history is None or len(history) < 2:
            return {}
        n = len(history)
        stamp = (racer, n, history.last_step, history.stride)
        if self._largest_cache[0] == stamp and self._largest_rows[0] is history:
            return self._largest_cache[1]
        kept, stride, k, step, prefix = self._largest_rows
        if not (kept is history and stride == history.stride and 1 <= k < n and history.step[k - 1] == step):
            k, prefix = 1, {}  # rows 1 … k−1 weighed: none
        out, weighed = {}, {}
        for key in ("grad", "M", "dw"):
            v = history.vec(key)[k:]
            with np.errstate(invalid="ignore", over="ignore"):
                norms = np.hypot(v[:, 0], v[:, 1])
            norms = np.where(np.isfinite(norms), norms, -np.inf)
            before = max(prefix.get(key, -math.inf), float(norms[:-1].max(initial=-math.inf)))
            weighed[key] = before
            best = max(before, float(norms[-1]))
            out[key] = best if best > -math.inf else 0.0
        self._largest_rows = (history, history.stride, n - 1, history.step[n - 2], weighed)
        self._largest_cache = (stamp, out)
        return out

    def _separate_labels(self) -> None:
        """Keep the arrows' labels apart and inside the plot (they sit at the arrow tips)."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        px, py = vb.viewPixelSize()
        placed: list[tuple[float, float, float, float]] = []
        for arrow in self.arrows.values():
            if not arrow.text.isVisible():
                continue
            rect = arrow.text.boundingRect()
            w, h = rect.width() * px, rect.height() * py
            # past the tip, the whole label clear of it: centred at 1.22 × a short arrow's
            # length, a label covered the racer's dot and its own arrow ("g 0.55" for "−g 0.55")
            (tx, ty), (ux, uy) = arrow.tip, arrow.direction
            x = tx + ux * (w / 2 + 6 * px)
            y = ty + uy * (h / 2 + 6 * py)
            x = min(max(x, x0 + w / 2 + 2 * px), x1 - w / 2 - 2 * px)
            y = min(max(y, y0 + h / 2 + 2 * py), y1 - h / 2 - 2 * py)
            for _ in range(len(placed) + 1):  # step aside from a label already placed
                clash = _first_clash(placed, (x, y, w, h))
                if clash is None:
                    break
                below = clash[1] - (clash[3] + h) / 2 - py
                y = below if below - h / 2 > y0 else clash[1] + (clash[3] + h) / 2 + py
            arrow.text.setPos(x, y)
            placed.append((x, y, w, h))
        self._placed_labels = placed

    def _place_glyph_label(self, point: tuple[float, float], r: tuple[float, float]) -> None:
        """Put "√G" at the first corner of its ellipse clear of the arrows' labels (upper right
        first; it was always there, and at 900×640 it sat on "−g 1.1")."""
        px, py = self.plot.vb.viewPixelSize()
        rect = self.glyph_label.boundingRect()
        w, h = rect.width() * px, rect.height() * py
        corners = ((1, 1), (-1, 1), (1, -1), (-1, -1))  # (x side, y side) of the ellipse
        for sx, sy in corners:
            cx, cy = point[0] + sx * (r[0] + w / 2), point[1] + sy * (r[1] + h / 2)
            if _first_clash(self._placed_labels, (cx, cy, w, h)) is None:
                break
        else:
            sx, sy = corners[0]
        anchor = ((1 - sx) / 2, (1 + sy) / 2)  # the text's corner that touches the ellipse's
        if tuple(self.glyph_label.anchor) != anchor:
            self.glyph_label.setAnchor(anchor)
        self.glyph_label.setPos(point[0] + sx * r[0], point[1] + sy * r[1])

    def flash(self, ms: int = 1800) -> None:
        """Outline the contour for a moment (a lesson's "watch this")."""
        self.plot.vb.setBorder(pg.mkPen("#E69F00", width=4))
        QTimer.singleShot(ms, self, lambda: self.plot.vb.setBorder(None))  # dies with the view

    def set_readout(self, html: str, *, place: bool = True) -> None:
        """Show the legend's table; ``place=False`` leaves it in its corner (``place_readout``
        weighs every trail's points: while playing it runs a few times a second, not each time)."""
        before = self.readout.boundingRect()
        self.readout.setHtml(html)
        if self.readout.isVisible() != bool(html):
            self.readout.setVisible(bool(html))
        if place:
            self.place_readout()
        elif self.readout.boundingRect().size() != before.size():
            # grown or shrunk in its corner (L=1 became L=0.2654): the same corner, at the new size;
            # a box kept where it was ran past the plot's right edge, and the plot cut its losses
            corners = self._readout_corners(before)
            if corners:
                here = self._readout_corner(corners)
                self.readout.setPos(*self._readout_corners(self.readout.boundingRect())[here])

    def set_notice(self, html: str) -> None:
        """A message in the middle of the plot; empty hides it."""
        self.notice.show_html(html)

    def _readout_corners(self, size: QRectF) -> list[tuple[float, float]]:
        """Where a readout of ``size`` stands in each corner of the plot: top left, top right,
        bottom left, bottom right (none before the plot has a size)."""
        width, height = self.plot.vb.width(), self.plot.vb.height()
        if width <= 0 or height <= 0:
            return []
        m = READOUT_MARGIN_PX
        right, bottom = width - size.width() - m, height - size.height() - m
        return [(m, m), (right, m), (m, bottom), (right, bottom)]

    def _readout_corner(self, corners: list[tuple[float, float]]) -> int:
        """Which of ``corners`` (``_readout_corners``) the readout stands in: the nearest one."""
        pos = self.readout.pos()
        return min(range(4), key=lambda i: abs(corners[i][0] - pos.x()) + abs(corners[i][1] - pos.y()))

    def place_readout(self) -> None:
        """Move the readout to the corner of the plot where it hides the fewest trail points.

        The default start sits top left, where the readout used to cover the start marker and
        the first steps. The start and the minima count as many points: they are never hidden
        if a corner is free of them. The readout stays put unless another corner is better.
        """
        size = self.readout.boundingRect()
        corners = self._readout_corners(size)
        if not corners:
            return
        # ≈ 500-1,000 points a racer tell the corners apart; with 12 racers 2,000 cost 7 ms a call
        clouds = [h.vec("w")[:: max(1, len(h) // 500)] for h in self._histories.values()]
        weights = [np.ones(c.shape[0]) for c in clouds]
        for marks, weight in ((self.start_marker.getData(), 200.0), (self.minima.getData(), 50.0)):
            if marks[0] is not None and len(marks[0]):
                clouds.append(np.column_stack(marks))
                weights.append(np.full(len(marks[0]), weight))
        if not clouds:
            return
        points, weight = np.concatenate(clouds), np.concatenate(weights)
        px, py = self._view_pixels(points)
        # a marker just outside the box is half under it (a 13 px disc)
        hidden = [
            float(weight[_in_box(px, py, (cx, cy, size.width(), size.height()), READOUT_CLEARANCE_PX)].sum())
            for cx, cy in corners
        ]
        current = self._readout_corner(corners)
        best = min(range(4), key=lambda i: hidden[i])
        if hidden[best] < hidden[current]:
            current = best
        if (self.readout.pos().x(), self.readout.pos().y()) != corners[current]:
            self.readout.setPos(*corners[current])
            self.give_way()  # what is under it now, at once

    def give_way(self, now: float | None = None) -> None:
        """Fade the legend while a racer's dot or the selected racer's arrows are under it.

        With many racers, or on a projector's narrow plot, the legend covers a large part of
        the plot, and a racer under it disappeared, arrows and all. Faded (``READOUT_FADED``),
        the racers show through it; the legend comes back once nothing is under it.
        ``now`` (seconds, while playing): it comes back only after ``READOUT_CLEAR_S`` clear,
        so a racer on its edge does not make it flicker; None (paused, a timeline step): at once.
        """
        readout = self.readout
        covered = self.gives_way and readout.isVisible() and self._under_readout()
        if covered:
            self._covered_at = now if now is not None else -math.inf
        elif self._covered_at is not None and (
            now is None or self._covered_at == -math.inf or now - self._covered_at >= READOUT_CLEAR_S
        ):
            self._covered_at = None
        opacity = READOUT_FADED if self._covered_at is not None else 1.0
        if readout.opacity() != opacity:
            readout.setOpacity(opacity)

    def _under_readout(self) -> bool:
        """Whether a racer's dot or an arrow's tip of the selected racer is under the legend."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        if not (vb.width() > 0 and vb.height() > 0 and x1 > x0 and y1 > y0):
            return False
        points = [(p[0], p[1]) for p in self.dots.points.values()]
        points += [arrow.tip for arrow in self.arrows.values() if arrow.visible]
        if not points:
            return False
        px, py = self._view_pixels(np.asarray(points, dtype=float))
        pos, size = self.readout.pos(), self.readout.boundingRect()
        # a point on the box's edge is still half in view: only one inside it counts
        return bool(_in_box(px, py, (pos.x(), pos.y(), size.width(), size.height()), 0.0).any())

    def _view_pixels(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``points`` (data coordinates, one a row) in the view box's pixels, as the legend,
        a child of the view box, is placed."""
        vb = self.plot.vb
        (x0, x1), (y0, y1) = vb.viewRange()
        return (points[:, 0] - x0) / (x1 - x0) * vb.width(), (y1 - points[:, 1]) / (y1 - y0) * vb.height()
