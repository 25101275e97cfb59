"""A pyqtgraph curve whose bounds are cheap to find again after every ``setData``.

The live views give their curves new data many times a second (a trail's tip at every frame,
the per-weight plots a few times a second). Each ``setData`` drops pyqtgraph's bounding rect,
and finding it again cost ≈ 0.1 ms of Python per curve: ``nanmin``/``nanmax`` per axis under a
``warnings`` guard, then the pixel size in data units for the pen's padding. With 12 racers
that was a tenth of the GUI thread. Here the bounds are one ``fmin``/``fmax`` pass per axis, and
the pixel size is kept until the view's transform changes (which already drops the rect).
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from pyqtgraph.functions import create_qpolygonf, ndarray_from_qpolygonf
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPainter, QPainterPath, QPen, QTransform


class FastCurve(pg.PlotCurveItem):
    """``pg.PlotCurveItem`` with the same bounds, found faster (see the module docstring)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._pixel: tuple[float, float] | None = None  # a pixel's size in data units, (x, y)
        super().__init__(*args, **kwargs)

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange: object = None) -> tuple:
        cache = self._boundsCache[ax]
        if cache is not None and cache[0] == (frac, orthoRange):
            return cache[1]
        d = self.xData if ax == 0 else self.yData
        if (
            frac != 1.0
            or orthoRange is not None
            or d is None
            or len(d) == 0
            or self.opts.get("stepMode") is not None
            or (ax == 1 and self.opts["fillLevel"] not in (None, "enclosed"))
        ):
            return super().dataBounds(ax, frac, orthoRange)
        lo, hi = float(np.fmin.reduce(d)), float(np.fmax.reduce(d))  # NaN skipped, as nanmin does
        if not (math.isfinite(lo) and math.isfinite(hi)):  # ±inf in the data, or only NaN
            return super().dataBounds(ax, frac, orthoRange)
        pen = self.opts["pen"]
        if pen is not None and not pen.isCosmetic() and pen.style() != pg.QtCore.Qt.PenStyle.NoPen:
            lo, hi = lo - pen.widthF() * 0.7072, hi + pen.widthF() * 0.7072
        shadow = self.opts["shadowPen"]
        if shadow is not None and not shadow.isCosmetic() and shadow.style() != pg.QtCore.Qt.PenStyle.NoPen:
            lo, hi = lo - shadow.widthF() * 0.7072, hi + shadow.widthF() * 0.7072
        self._boundsCache[ax] = [(frac, orthoRange), (lo, hi)]
        return (lo, hi)

    def viewTransformChanged(self) -> None:
        self._pixel = None
        super().viewTransformChanged()

    def boundingRect(self) -> QRectF:
        if self._boundingRect is None:
            xmn, xmx = self.dataBounds(ax=0)
            if xmn is None or xmx is None:
                return QRectF()
            ymn, ymx = self.dataBounds(ax=1)
            if ymn is None or ymx is None:
                return QRectF()
            px = py = 0.0
            pad = self.pixelPadding()
            if pad > 0:
                pixel = self._pixel or self._pixel_size()
                px, py = pixel[0] * pad, pixel[1] * pad
            self._boundingRect = QRectF(xmn - px, ymn - py, 2 * px + xmx - xmn, 2 * py + ymx - ymn)
        return self._boundingRect

    def _pixel_size(self) -> tuple[float, float]:
        """A pixel's length in data units along x and y (0 where unknown), as pyqtgraph finds it;
        kept once the item is on screen (before, there is no pixel to measure)."""
        px, py, known = pixel_lengths(self)
        if known:
            self._pixel = (px, py)
        return px, py


def uses_segments(pen: QPen) -> bool:
    """pyqtgraph's rule (``antialias`` off): a wide, solid, opaque pen is drawn as separate
    segments, far cheaper than stroking one wide polyline."""
    return (
        pen.widthF() > 1.0
        and pen.style() == Qt.PenStyle.SolidLine
        and pen.isSolid()
        and pen.color().alphaF() == 1.0
    )


def pixel_lengths(item: pg.GraphicsObject) -> tuple[float, float, bool]:
    """A view pixel's length along x and y in ``item``'s units, as pyqtgraph's bounding rects find
    it (0 where unknown or overflowing), and whether both were known (the item is on screen)."""
    vx, vy = item.pixelVectors()
    lengths = []
    for v in (vx, vy):
        try:
            lengths.append(0.0 if v is None else v.length())
        except OverflowError:
            lengths.append(0.0)
    return lengths[0], lengths[1], vx is not None and vy is not None


class FastScatter(pg.ScatterPlotItem):
    """``pg.ScatterPlotItem`` whose bounding rect is kept until something that moves it changes.

    Qt asks every item it walks for its rect at every repaint, and pyqtgraph's finds it again
    each time (the spots' padding in data units from the view's device transform): ≈ 40 µs of
    Python per call, two or three a repaint of the contour for its minima and start marker,
    which hardly ever change. What moves the rect — new points (``setData``, ``clear``), new
    sizes or pens (``updateSpots``), a zoom or resize (``viewTransformChanged``) — gives
    pyqtgraph a new ``bounds`` list, so the rect is kept with the list it was found for. A rect
    found before the item had a pixel size (not yet on screen) is not kept.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        self._rect: QRectF | None = None
        self._rect_for: object = None  # the ``bounds`` list the rect was found for
        super().__init__(*args, **kwargs)

    def boundingRect(self) -> QRectF:
        bounds = self.bounds
        if self._rect is not None and bounds is self._rect_for:
            return QRectF(self._rect)
        xmn, xmx = self.dataBounds(ax=0)
        ymn, ymx = self.dataBounds(ax=1)
        if xmn is None or xmx is None:
            xmn = xmx = 0
        if ymn is None or ymx is None:
            ymn = ymx = 0
        px = py = 0.0
        known = True
        pad = self.pixelPadding()
        if pad > 0:  # as pyqtgraph finds it: a view pixel's length in local units
            px, py, known = pixel_lengths(self)
            px, py = px * pad, py * pad
        rect = QRectF(xmn - px, ymn - py, (2 * px) + xmx - xmn, (2 * py) + ymx - ymn)
        if known and bounds is self.bounds:
            self._rect, self._rect_for = rect, bounds
        return QRectF(rect)


def polyline_path(x: np.ndarray, y: np.ndarray, connect: object = "finite") -> QPainterPath:
    """pyqtgraph's ``arrayToQPath(x, y, connect, finiteCheck=True)``, made faster for finite points.

    Those go straight into one polygon, the path pyqtgraph makes of them (a move, then a line to
    each point, repeated points kept; a ``lineTo`` would drop those): ≈ 12 µs against ≈ 30
    through pyqtgraph's checks, for a trail's tip at every frame and each line of a pair of
    plots a few times a second. Gaps, other ``connect`` modes, fewer than two points and more
    than 20,000 (which pyqtgraph joins from chunks) go pyqtgraph's way.
    """
    n = len(x)
    if (
        not 2 <= n <= 20_000
        or len(y) != n
        or not (isinstance(connect, str) and connect in ("all", "finite"))
        or not (np.isfinite(x).all() and np.isfinite(y).all())
    ):
        return pg.arrayToQPath(x, y, connect=connect, finiteCheck=True)
    polygon = create_qpolygonf(n)
    points = ndarray_from_qpolygonf(polygon)
    points[:, 0] = x
    points[:, 1] = y
    path = QPainterPath()
    path.reserve(n)
    path.addPolygon(polygon)
    return path


#: The widest pen drawn as 1-pixel strokes side by side (``StrokedBand``); wider ones stroke.
MAX_BAND_WIDTH = 3.5


class StrokedBand(FastCurve):
    """A ``FastCurve`` whose wide pen may be drawn, on screen, as 1-pixel strokes side by side.

    Qt strokes a pen wider than a pixel through its general (and dash) stroker, many times the
    cost of 1-pixel lines; a few of those, shifted by fractions of a pixel, cover the same band.
    Subclasses say which pens and which shifts; exports (``fast`` False, or pyqtgraph's export
    options set), other paint devices and wider pens keep the true stroke.
    """

    fast = True

    def _band_allowed(self, painter: QPainter) -> bool:
        """On screen, on a raster device, with points, and a pen 1.5–``MAX_BAND_WIDTH`` px wide."""
        engine = painter.paintEngine()
        return (
            self.fast
            and 1.5 <= self.opts["pen"].widthF() <= MAX_BAND_WIDTH
            and self._exportOpts is False
            and engine is not None
            and engine.type() == QPaintEngine.Type.Raster
            and self.xData is not None
            and len(self.xData) > 0
        )

    def _stroke_shifted(self, painter: QPainter, pen: QPen, shifts: list[tuple[float, float]]) -> None:
        """``pen`` along the curve once per (dx, dy) shift, in device pixels."""
        stroke_shifted(painter, pen, self.getPath(), shifts)


def stroke_shifted(
    painter: QPainter, pen: QPen, path: QPainterPath, shifts: list[tuple[float, float]]
) -> None:
    """``pen`` along ``path`` once per (dx, dy) shift, in device pixels (after the data transform)."""
    painter.setPen(pen)
    base = painter.transform()
    for dx, dy in shifts:
        painter.setTransform(base * QTransform.fromTranslate(dx, dy))
        painter.drawPath(path)
    painter.setTransform(base)


def band_strokes(pen: QPen) -> tuple[QPen, list[tuple[float, float]]]:
    """A 1.5–3.5 px cosmetic pen as one-pixel strokes: the thin pen (its dashes as long as the
    wide pen's) and the shifts to stroke it at (``BandCurve``, and the per-weight plots'
    ``PlotLines``): two or three on each axis, at most a pixel apart. Strokes 1.2 px apart (± a
    quarter of 2.4 px) left a row empty between them wherever the line's height fell just short
    of a row boundary: small hollow boxes along a flat stretch of the selected racer's line."""
    width = pen.widthF()
    thin = QPen(pen)
    thin.setWidthF(1.0)
    if pen.style() != Qt.PenStyle.SolidLine:
        grow = width - 1.0
        thin.setDashPattern(
            [d * width + (grow if k % 2 == 0 else -grow) for k, d in enumerate(pen.dashPattern())]
        )
    n = 2 if width <= 2.5 else 3
    gap = min(1.0, (width - 1.0) / (n - 1))
    offsets = [(i - (n - 1) / 2) * gap for i in range(n)]
    return thin, [(dx, dy) for dy in offsets for dx in offsets]


class BandCurve(StrokedBand):
    """A ``FastCurve`` whose 1.5–3.5 px cosmetic pen is drawn as four one-pixel strokes, ± a
    quarter of the width apart on each axis: the same band at a fraction of the cost.

    Qt strokes a dashed pen wider than a pixel through its dash and general strokers even without
    antialiasing: ≈ 0.5–0.9 ms for an 800-point curve against ≈ 0.1 ms at one pixel, so the
    selected racer's dashed w2 curves (2.4 px) were the dearest part of painting the per-weight
    plots. The dashes stay as long as the wide pen's (its pattern is in pen widths, and its square
    caps lengthen each dash by its width). A solid wide pen, which pyqtgraph draws as separate
    wide segments, is then the dearest: as a band, a pair of plots with a selected racer of 800
    points paints in 1.6 ms instead of 2.3–3.7. Exports (``fast`` False) and wider pens keep the
    true stroke.
    """

    def paint(self, painter: QPainter, option: object, widget: object) -> None:
        pen = self.opts["pen"]
        if (
            not self._band_allowed(painter)
            or pen.style() == Qt.PenStyle.NoPen
            or not pen.isCosmetic()
            or self.opts["fillLevel"] is not None
            or self.opts["shadowPen"] is not None
        ):
            super().paint(painter, option, widget)
            return
        thin, shifts = band_strokes(pen)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, bool(self.opts["antialias"]))
        self._stroke_shifted(painter, thin, shifts)
