"""The centre of the window: the loss as a colour map with contour lines, and the racers on it.

Axes keep a 1:1 aspect so the gradient arrows stand perpendicular to the contour lines
as they really do. Glyphs and arrows have a fixed on-screen size: their *directions*
and *ratios* carry the meaning, so they never grow over the surface.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPen, QPixmapCache
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from gui import theme
from gui.history import RacerHistory

pg.setConfigOptions(imageAxisOrder="row-major", antialias=True)

N_LEVELS = 14
PIXMAP_CACHE_KB = 128 * 1024
TRAIL_WIDTH = 2.2
ARROW_WIDTH = 2.4
CONTOUR_WIDTH = 1.0
MAX_TRAIL_POINTS = 6000


def surface_colormap() -> pg.ColorMap:
    pos = [p for p, _c in theme.SURFACE_STOPS]
    colors = [c for _p, c in theme.SURFACE_STOPS]
    return pg.ColorMap(pos, colors)


def display_values(z: np.ndarray, log_levels: bool) -> tuple[np.ndarray, str]:
    """Values to colour and contour by; log-spaced where the loss spans decades."""
    finite = z[np.isfinite(z)]
    if finite.size == 0:
        return z, "L"
    lo, hi = float(finite.min()), float(finite.max())
    if log_levels and hi - lo > 0:
        floor = (hi - lo) * 1e-6
        return np.log10(z - lo + floor), "log₁₀(L − L_min)"
    return z, "L"


def contour_levels(values: np.ndarray, n: int = N_LEVELS) -> np.ndarray:
    """Evenly spaced levels between robust low and high percentiles (outliers don't flatten them)."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return np.zeros(0)
    lo, hi = np.percentile(finite, [0.5, 97.0])
    if not hi > lo:
        return np.zeros(0)
    return np.linspace(lo, hi, n + 2)[1:-1]


class _Racer:
    """The items that draw one racer on the contour."""

    def __init__(self, plot: pg.PlotItem, name: str, label: str, pen_scale: float = 1.0) -> None:
        color = QColor(theme.racer_color(name))
        self.trail = pg.PlotCurveItem(pen=pg.mkPen(color, width=TRAIL_WIDTH * pen_scale), connect="finite")
        self.marker = pg.ScatterPlotItem(
            size=13, pen=pg.mkPen("#1a1a1a", width=1.6), brush=pg.mkBrush(color), symbol="o"
        )
        self.trail.setZValue(20)
        self.marker.setZValue(30)
        plot.addItem(self.trail)
        plot.addItem(self.marker)
        self.label = label

    def remove(self, plot: pg.PlotItem) -> None:
        plot.removeItem(self.trail)
        plot.removeItem(self.marker)


class _Arrow:
    """A vector drawn from a point: a line and a head, with a short label."""

    def __init__(self, plot: pg.PlotItem, color: str, text: str) -> None:
        self.color = color
        pen = pg.mkPen(color, width=ARROW_WIDTH)
        self.line = pg.PlotCurveItem(pen=pen)
        self.head = pg.ArrowItem(headLen=12, tipAngle=32, pen=pen, brush=color)
        self.text = pg.TextItem(text, color=color, anchor=(0.5, 0.5))
        font = QFont()
        font.setBold(True)
        self.text.setFont(font)
        for item in (self.line, self.head, self.text):
            item.setZValue(40)
            plot.addItem(item, ignoreBounds=True)

    def set(self, origin: tuple[float, float], vector: tuple[float, float] | None, length: float) -> None:
        if vector is None or not all(map(math.isfinite, vector)) or math.hypot(*vector) == 0:
            self.set_visible(False)
            return
        self.set_visible(True)
        norm = math.hypot(*vector)
        ux, uy = vector[0] / norm, vector[1] / norm
        x1, y1 = origin[0] + ux * length, origin[1] + uy * length
        self.line.setData([origin[0], x1], [origin[1], y1])
        self.head.setPos(x1, y1)
        self.head.setStyle(angle=180.0 - math.degrees(math.atan2(uy, ux)))
        self.text.setPos(origin[0] + ux * length * 1.22, origin[1] + uy * length * 1.22)

    def set_visible(self, visible: bool) -> None:
        for item in (self.line, self.head, self.text):
            item.setVisible(visible)


class ContourView(pg.PlotWidget):
    """Loss surface, racers, the selected racer's vectors and its √G glyph."""

    start_picked = Signal(float, float)
    step_picked = Signal(str, int)  # a click on (near) a trail point: (optimizer, step)
    step_hovered = Signal(str, int)
    view_changed = Signal(tuple)  # (x_min, x_max, y_min, y_max) after the user panned or zoomed

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent, background="w")
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
        self.plot.setMenuEnabled(False)
        self.image = pg.ImageItem()
        self.image.setNanPolicy("omit")
        # the surface is still while racers move: repaint it from a cached pixmap
        self.image.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.image.setZValue(-10)
        self.plot.addItem(self.image)
        self.colorbar = pg.ColorBarItem(colorMap=surface_colormap(), interactive=False, width=14)
        self.colorbar.setImageItem(self.image, insert_in=self.plot)
        self.colorbar.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self._isocurves: list[pg.IsocurveItem] = []
        self.minima = pg.ScatterPlotItem(
            symbol="star", size=17, pen=pg.mkPen("#111", width=1.2), brush=pg.mkBrush("#ffffff")
        )
        self.minima.setZValue(15)
        self.start_marker = pg.ScatterPlotItem(
            symbol="s", size=11, pen=pg.mkPen("#111", width=2), brush=pg.mkBrush(255, 255, 255, 200)
        )
        self.start_marker.setZValue(16)
        self.plot.addItem(self.minima)
        self.plot.addItem(self.start_marker)
        self.readout = pg.TextItem(
            color="#111", anchor=(0, 0), fill=pg.mkBrush(255, 255, 255, 225), border=pg.mkPen("#999")
        )
        self.readout.setParentItem(self.plot.vb)
        self.readout.setPos(6, 6)
        self.readout.setZValue(50)
        self.arrows = {
            "grad": _Arrow(self.plot, "#C0392B", "−g"),
            "M": _Arrow(self.plot, "#6A3D9A", "M"),
            "dw": _Arrow(self.plot, "#111111", "Δw"),
        }
        self.glyph = QGraphicsEllipseItem()
        self.glyph.setPen(QPen(QColor("#6A3D9A"), 0))
        self.glyph.setBrush(QColor(106, 61, 154, 40))
        self.glyph.setZValue(35)
        self.plot.addItem(self.glyph, ignoreBounds=True)
        self.glyph_label = pg.TextItem("√G", color="#6A3D9A", anchor=(0, 1))
        self.plot.addItem(self.glyph_label, ignoreBounds=True)
        self.show_vectors = {"grad": True, "M": True, "dw": True, "glyph": True}
        self._racers: dict[str, _Racer] = {}
        self._pen_scale = 1.0
        self._view: tuple[float, float, float, float] = (-1.0, 1.0, -1.0, 1.0)
        self._regrid_timer = QTimer(self, singleShot=True, interval=350)
        self._regrid_timer.timeout.connect(self._emit_view)
        self.plot.vb.sigRangeChangedManually.connect(lambda *_: self._regrid_timer.start())
        self.scene().sigMouseClicked.connect(self._clicked)
        self.scene().sigMouseMoved.connect(self._hovered)
        self._histories: dict[str, RacerHistory] = {}
        self._last_hover = 0.0

    # -- surface ----------------------------------------------------------------------
    def set_surface(
        self,
        xs: np.ndarray,
        ys: np.ndarray,
        z: np.ndarray,
        log_levels: bool,
        minima: Iterable[tuple[float, float]],
        reset_view: bool = True,
    ) -> None:
        values, label = display_values(z, log_levels)
        levels = contour_levels(values)
        finite = values[np.isfinite(values)]
        lo, hi = (
            (float(np.percentile(finite, 0.5)), float(np.percentile(finite, 99.5))) if finite.size else (0, 1)
        )
        if not hi > lo:
            hi = lo + 1.0
        self.image.setImage(values, autoLevels=False, levels=(lo, hi))
        self.image.setRect(QRectF(xs[0], ys[0], xs[-1] - xs[0], ys[-1] - ys[0]))
        self.colorbar.setLevels((lo, hi))
        self.colorbar.axis.setLabel(label)
        for iso in self._isocurves:
            self.plot.removeItem(iso)
        contour_data = np.where(np.isfinite(values), values, hi)
        self._isocurves = []
        for level in levels:
            iso = pg.IsocurveItem(
                data=contour_data,
                level=float(level),
                pen=pg.mkPen(theme.CONTOUR_PEN, width=CONTOUR_WIDTH * self._pen_scale),
            )
            iso.setParentItem(self.image)
            iso.setZValue(5)
            iso.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
            self._isocurves.append(iso)
        self.minima.setData(pos=list(minima) or np.zeros((0, 2)))
        if reset_view:
            self.set_view((float(xs[0]), float(xs[-1]), float(ys[0]), float(ys[-1])))
            # the 1:1 aspect usually shows more than the surface's window: fill it
            self._regrid_timer.start()

    def set_title(self, text: str) -> None:
        """A title above the plot (exports; the window shows the formula beside it instead)."""
        self.plot.setTitle(text, color="#111", size="14pt")

    def set_pen_scale(self, scale: float) -> None:
        """Widen lines for a large export: cosmetic pens ignore the painter's scale, text does not."""
        self._pen_scale = scale
        for name, racer in self._racers.items():
            racer.trail.setPen(pg.mkPen(theme.racer_color(name), width=TRAIL_WIDTH * scale))
        for iso in self._isocurves:
            iso.setPen(pg.mkPen(theme.CONTOUR_PEN, width=CONTOUR_WIDTH * scale))
        for arrow in self.arrows.values():
            arrow.line.setPen(pg.mkPen(arrow.color, width=ARROW_WIDTH * scale))

    def set_view(self, view: tuple[float, float, float, float]) -> None:
        self._view = view
        self.plot.setRange(xRange=view[:2], yRange=view[2:], padding=0.0)

    def current_view(self) -> tuple[float, float, float, float]:
        (x0, x1), (y0, y1) = self.plot.vb.viewRange()
        return (x0, x1, y0, y1)

    def _emit_view(self) -> None:
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
    def set_racers(self, racers: dict[str, str], start: tuple[float, float]) -> None:
        """Replace the racers (id → legend label)."""
        for racer in self._racers.values():
            racer.remove(self.plot)
        self._racers = {}
        for name, label in racers.items():
            racer = _Racer(self.plot, name, label, self._pen_scale)
            self._racers[name] = racer
        self.start_marker.setData(pos=[start])
        for arrow in self.arrows.values():
            arrow.set_visible(False)
        self.glyph.setVisible(False)
        self.glyph_label.setVisible(False)

    def update_racers(self, histories: dict[str, RacerHistory], cursor: int | None = None) -> None:
        """Redraw trails and markers; with ``cursor``, markers sit at that step."""
        self._histories = histories
        for name, history in histories.items():
            racer = self._racers.get(name)
            if racer is None:
                continue
            w = history.vec("w")
            end = len(history) if cursor is None else history.row_at_step(cursor) + 1
            shown = w[:end]
            if shown.shape[0] > MAX_TRAIL_POINTS:
                stride = shown.shape[0] // MAX_TRAIL_POINTS + 1
                shown = np.vstack([shown[::stride], shown[-1:]])
            racer.trail.setData(shown[:, 0], shown[:, 1])
            racer.marker.setData(pos=w[end - 1 : end])

    def show_state(
        self,
        point: tuple[float, float],
        grad: tuple[float, float] | None,
        m: tuple[float, float] | None,
        dw: tuple[float, float] | None,
        G: tuple[float, float] | None,
    ) -> None:
        """Arrows (−g, M, Δw) and the √G glyph of the selected racer at its current point."""
        x0, x1, y0, y1 = self.current_view()
        size = min(x1 - x0, y1 - y0)
        length = 0.16 * size
        neg_g = (-grad[0], -grad[1]) if grad is not None else None
        for key, vec in (("grad", neg_g), ("M", m), ("dw", dw)):
            self.arrows[key].set(point, vec if self.show_vectors[key] else None, length)
        show_glyph = (
            self.show_vectors["glyph"] and G is not None and all(map(math.isfinite, G)) and max(G) > 0
        )
        self.glyph.setVisible(bool(show_glyph))
        self.glyph_label.setVisible(bool(show_glyph))
        if show_glyph:
            assert G is not None
            r = np.sqrt(np.asarray(G, dtype=float))
            r = r / r.max() * 0.09 * size
            r = np.maximum(r, 0.004 * size)
            self.glyph.setRect(
                QRectF(QPointF(point[0] - r[0], point[1] - r[1]), QPointF(point[0] + r[0], point[1] + r[1]))
            )
            self.glyph_label.setPos(point[0] + r[0], point[1] + r[1])

    def flash(self, ms: int = 1800) -> None:
        """Outline the contour for a moment (a lesson's "watch this")."""
        self.plot.vb.setBorder(pg.mkPen("#E69F00", width=4))
        QTimer.singleShot(ms, self, lambda: self.plot.vb.setBorder(None))  # dies with the view

    def set_readout(self, html: str) -> None:
        self.readout.setHtml(html)
