"""FastCurve and FastScatter: the bounds pyqtgraph's own items find, for every kind of data,
found cheaper (FastScatter's kept until something that moves them changes)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest

from gui.views.curves import FastCurve, FastScatter

INF, NAN = np.inf, np.nan

DATA = {
    "plain": ([0.0, 1.0, 2.0, 3.0], [5.0, -1.0, 2.5, 0.25]),
    "gaps": ([0.0, 1.0, 2.0, 3.0], [NAN, -1.0, 2.5, NAN]),
    "infinite": ([0.0, 1.0, 2.0, 3.0], [1.0, INF, -2.0, -INF]),
    "all gaps": ([0.0, 1.0], [NAN, NAN]),
    "one point": ([2.0], [3.0]),
    "empty": ([], []),
}
PENS = {
    "cosmetic": pg.mkPen("#123", width=2.0),
    "data units": pg.mkPen("#123", width=0.3, cosmetic=False),
}


def _pair(qtbot, pen) -> tuple[pg.PlotWidget, pg.PlotCurveItem, FastCurve]:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.setRange(xRange=(-2, 5), yRange=(-3, 6), padding=0)
    reference, fast = pg.PlotCurveItem(pen=pen), FastCurve(pen=pen)
    for item in (reference, fast):
        widget.addItem(item)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, reference, fast


def _same_rect(a, b) -> None:
    got = (b.x(), b.y(), b.width(), b.height())
    want = (a.x(), a.y(), a.width(), a.height())
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)


@pytest.mark.parametrize("pen", PENS.values(), ids=PENS.keys())
@pytest.mark.parametrize("data", DATA.values(), ids=DATA.keys())
def test_bounds_and_rect_are_pyqtgraphs(qtbot, pen, data) -> None:
    _widget, reference, fast = _pair(qtbot, pen)
    x, y = (np.asarray(v, dtype=float) for v in data)
    for item in (reference, fast):
        item.setData(x, y)
    for ax in (0, 1):
        assert fast.dataBounds(ax) == pytest.approx(reference.dataBounds(ax), nan_ok=True)
        # a fraction or an orthogonal range goes pyqtgraph's own way
        assert fast.dataBounds(ax, 0.9) == pytest.approx(reference.dataBounds(ax, 0.9), nan_ok=True)
    _same_rect(reference.boundingRect(), fast.boundingRect())


def test_the_pen_padding_follows_a_zoom(qtbot) -> None:
    """The pixel size is kept between setData calls, and measured again when the view changes."""
    widget, reference, fast = _pair(qtbot, PENS["cosmetic"])
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 0.0])
    widths = []
    for span in (7.0, 70.0, 0.7):  # a pixel 10× larger, then 100× smaller
        widget.setRange(xRange=(-2, span - 2), yRange=(-3, span - 3), padding=0)
        qtbot.waitUntil(lambda s=span: widget.getViewBox().viewPixelSize()[0] < s / 100)
        for shift in (0.0, 0.5):  # new data in the same view: the kept pixel size
            for item in (reference, fast):
                item.setData(x, y + shift)
            _same_rect(reference.boundingRect(), fast.boundingRect())
        widths.append(fast.boundingRect().width() - 2.0)  # the data span 2: the rest is padding
    assert widths[1] > 5 * widths[0] > 25 * widths[2] > 0


def _scatter_pair(qtbot, **opts) -> tuple[pg.PlotWidget, pg.ScatterPlotItem, FastScatter]:
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.setRange(xRange=(-2, 5), yRange=(-3, 6), padding=0)
    reference, fast = pg.ScatterPlotItem(**opts), FastScatter(**opts)
    for item in (reference, fast):
        widget.addItem(item)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, reference, fast


def test_a_scatters_kept_rect_follows_its_data_sizes_pens_and_every_zoom(qtbot) -> None:
    """The rect is found once, then kept: and it is pyqtgraph's again after each change that
    moves it (new points, emptied, a larger symbol or pen, a zoom, a resized plot)."""
    widget, reference, fast = _scatter_pair(qtbot, symbol="star", size=17, pen=pg.mkPen("#111", width=1.2))
    both = (reference, fast)
    calls = []
    fast.pixelVectors = lambda *a: calls.append(1) or pg.ScatterPlotItem.pixelVectors(fast, *a)
    for item in both:
        item.setData(pos=[(0.0, 1.0), (2.0, -1.0)])
    _same_rect(reference.boundingRect(), fast.boundingRect())
    for _ in range(3):
        _same_rect(reference.boundingRect(), fast.boundingRect())
    assert len(calls) == 1  # kept: found once for four calls

    def changed(change) -> None:
        for item in both:
            change(item)
        _same_rect(reference.boundingRect(), fast.boundingRect())

    changed(lambda item: item.setData(pos=[(4.0, 5.0)]))
    changed(lambda item: item.setData(pos=np.zeros((0, 2))))  # emptied
    changed(lambda item: item.setData(pos=[(1.0, 1.0), (-1.0, 3.0)]))
    changed(lambda item: item.setSize(40))  # presenting: no prepareGeometryChange in pyqtgraph
    changed(lambda item: item.setPen(pg.mkPen("#111", width=6)))
    for span in (70.0, 0.7):  # zoomed out 10×, then in 100×
        widget.setRange(xRange=(-2, span - 2), yRange=(-3, span - 3), padding=0)
        qtbot.waitUntil(lambda s=span: widget.getViewBox().viewPixelSize()[0] < s / 100)
        _same_rect(reference.boundingRect(), fast.boundingRect())
    before = fast.boundingRect().width()
    pixel = widget.getViewBox().viewPixelSize()[0]
    widget.resize(800, 200)  # the same range over more pixels: smaller padding
    qtbot.waitUntil(lambda: widget.getViewBox().viewPixelSize()[0] < pixel * 0.6)
    _same_rect(reference.boundingRect(), fast.boundingRect())
    assert fast.boundingRect().width() < before


def test_a_scatter_shown_after_its_rect_was_asked_for_gets_the_shown_plots_padding(qtbot) -> None:
    """A rect found before the plot was laid out and shown is not kept past it."""
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    fast, reference = FastScatter(size=11), pg.ScatterPlotItem(size=11)
    for item in (fast, reference):
        item.setData(pos=[(0.0, 0.0)])
        widget.addItem(item)
    unpadded = fast.boundingRect()
    widget.resize(400, 300)
    widget.setRange(xRange=(-2, 5), yRange=(-3, 6), padding=0)
    widget.show()
    qtbot.waitExposed(widget)
    _same_rect(reference.boundingRect(), fast.boundingRect())
    assert fast.boundingRect() != unpadded


def _painted(curve: pg.PlotCurveItem, pen, seed: int = 3, noise: float = 4.0) -> np.ndarray:
    """Where ``curve`` paints an 800-point noisy line on a raster image (a bool mask)."""
    from PySide6.QtGui import QImage, QPainter

    rng = np.random.default_rng(seed)
    x = np.linspace(5.0, 395.0, 800)
    curve.setData(x, 100 + 60 * np.sin(x / 40) + rng.normal(0, noise, x.size))
    curve.setPen(pen)
    image = QImage(400, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    curve.paint(painter, None, None)
    painter.end()
    return np.frombuffer(image.constBits(), np.uint8).reshape(200, 400, 4)[..., 3] > 0


def _near(mask: np.ndarray, other: np.ndarray) -> float:
    """The share of ``mask``'s pixels within one pixel of one of ``other``'s."""
    grown = other.copy()
    for dy, dx in ((0, 1), (0, -1), (1, 0), (-1, 0)):
        grown |= np.roll(np.roll(other, dy, axis=0), dx, axis=1)
    return float((mask & grown).sum() / mask.sum())


@pytest.mark.parametrize("seed, noise", [(3, 4.0), (1, 0.5), (2, 0.0)])
def test_a_band_curve_paints_the_wide_dashed_pens_band(seed, noise) -> None:
    """The 2.4 px dashed selected curve as four one-pixel dashed strokes covers the band the wide
    pen does: nearly as many pixels (two rows where the pen covers two or three: one pixel apart,
    the strokes leave no hole), nine in ten within a pixel of the other's (dashes as long); so does
    a solid wide pen's, against pyqtgraph's wide segments."""
    from PySide6.QtCore import Qt

    from gui.views.curves import BandCurve

    dashed = pg.mkPen("#d55e00", width=2.4, style=Qt.PenStyle.DashLine)
    wide = _painted(pg.PlotCurveItem(antialias=False), dashed, seed, noise)
    band = _painted(BandCurve(antialias=False), dashed, seed, noise)
    assert 0.75 * wide.sum() <= band.sum() <= 1.1 * wide.sum()
    # (dash ends may lie a pixel apart, and the wide pen's third row is a pixel from the band)
    assert _near(band, wide) > 0.9 and _near(wide, band) > 0.85
    thin = _painted(
        pg.PlotCurveItem(antialias=False),
        pg.mkPen("#d55e00", width=1.0, style=Qt.PenStyle.DashLine),
        seed,
        noise,
    )
    assert band.sum() > 1.5 * thin.sum()  # a band, not one stroke
    # the solid wide pen (the selected racer's w1), which pyqtgraph draws as wide segments
    solid = pg.mkPen("#d55e00", width=2.4)
    segments = _painted(pg.PlotCurveItem(antialias=False), solid, seed, noise)
    solid_band = _painted(BandCurve(antialias=False), solid, seed, noise)
    assert 0.75 * segments.sum() <= solid_band.sum() <= 1.2 * segments.sum()  # a 2 px band for 2.4 px
    assert _near(solid_band, segments) > 0.95 and _near(segments, solid_band) > 0.95
    one_pixel = _painted(pg.PlotCurveItem(antialias=False), pg.mkPen("#d55e00", width=1.0), seed, noise)
    assert solid_band.sum() > 1.5 * one_pixel.sum()


@pytest.mark.parametrize("width", [2.4, 3.4])
def test_a_band_has_no_hole_where_a_flat_line_steps_a_pixel(width) -> None:
    """The selected racer's wide line on a nearly flat stretch (G or L settling): its one-pixel
    strokes 1.2 px apart left a pixel row empty between them wherever the line's height fell
    just short of a row boundary, small hollow boxes along the line. Every column of the band is
    one run of painted rows, as wide as the pen's (2–3 rows for 2.4 px, 2–4 for 3.4)."""
    from PySide6.QtGui import QImage, QPainter

    from gui.views.curves import BandCurve

    curve = BandCurve(antialias=False)
    x = np.linspace(5.0, 395.0, 800)
    curve.setData(x, 100 + 0.01 * x)  # climbs four pixels over 390: every sub-pixel height
    curve.setPen(pg.mkPen("#cc79a7", width=width))
    image = QImage(400, 200, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    curve.paint(painter, None, None)
    painter.end()
    mask = np.frombuffer(image.constBits(), np.uint8).reshape(200, 400, 4)[..., 3] > 0
    for column in range(10, 390):
        rows = np.flatnonzero(mask[:, column])
        assert rows.size and rows[-1] - rows[0] + 1 == rows.size, (column, rows)  # no hole
        assert round(width) - 1 <= rows.size <= round(width) + 1
