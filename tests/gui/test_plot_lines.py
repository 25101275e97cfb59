"""PlotLines: every racer's lines of a plot as one item, drawn exactly as one BandCurve per line."""

from __future__ import annotations

import warnings

import numpy as np
import pyqtgraph as pg
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from PySide6.QtCore import QEvent, QObject, QRect, QRectF, Qt
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QWidget

from gui.views.curves import BandCurve
from gui.views.plot_lines import PlotLines, _changed_tail
from tests.gui.conftest import shown

W, H = 420, 240
#: data → pixels: 1 step is 4 px across, 1 unit is 20 px up (the painter's transform, as in a plot)
DATA_TO_PIXELS = QTransform(4.0, 0.0, 0.0, -20.0, 10.0, 200.0)


def _lines() -> list[tuple[object, np.ndarray, np.ndarray, float]]:
    """(pen, x, y, z) for the lines of one plot: w1 solid and w2 dashed for three racers, the
    selected one (z 10, wide pens) added first, a gap (NaN, as a log plot's value ≤ 0) in one."""
    rng = np.random.default_rng(7)
    x = np.arange(0.0, 100.0, 0.125)
    out = []
    for k, (color, width, z) in enumerate(
        (("#d55e00", 2.4, 10.0), ("#0072b2", 1.0, 0.0), ("#009e73", 1.0, 0.0))
    ):
        for i, style in enumerate((Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine)):
            y = 4 + 3 * np.sin(x / (9 + 4 * k) + i) + rng.normal(0, 0.2, x.size)
            if k == 1 and i == 0:
                y[300:340] = np.nan
            out.append((pg.mkPen(color, width=width, style=style), x, y, z))
    return out


def _image() -> tuple[QImage, QPainter]:
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setTransform(DATA_TO_PIXELS)
    return image, painter


def _pixels(image: QImage) -> np.ndarray:
    return np.frombuffer(image.constBits(), np.uint8).reshape(H, W, 4).copy()


def _one_item(lines, fast: bool = True) -> tuple[np.ndarray, PlotLines, list]:
    item = PlotLines()
    item.fast = fast
    handles = []
    for pen, x, y, z in lines:
        handle = item.add_line(pen)
        handle.setData(x, y)
        handle.setZValue(z)
        handles.append(handle)
    image, painter = _image()
    item.paint(painter, None, None)
    painter.end()
    return _pixels(image), item, handles


def _one_curve_each(lines, fast: bool = True, antialias: bool | None = None) -> np.ndarray:
    """The reference: a BandCurve per line, painted in z order (then the order added), as the
    scene painted them when each was an item of its own: on screen without antialiasing, in an
    export (not ``fast``) with it, as pyqtgraph's exporters ask."""
    image, painter = _image()
    for pen, x, y, _z in sorted(lines, key=lambda line: line[3]):
        smooth = not fast if antialias is None else antialias
        curve = BandCurve(pen=pen, connect="finite", antialias=smooth)
        curve.fast = fast
        curve.setData(x, y)
        painter.save()
        curve.paint(painter, None, None)
        painter.restore()
    painter.end()
    return _pixels(image)


@pytest.mark.parametrize("fast", [True, False], ids=["screen", "export"])
def test_one_item_paints_every_line_as_a_band_curve_each_would(qapp, fast) -> None:
    """Pixel for pixel: pens, dashes, the wide dashed band on screen (its true stroke in an
    export), the wide solid pen's segments, the NaN gap, and the selected racer on top."""
    lines = _lines()
    ours, _item, _handles = _one_item(lines, fast)
    reference = _one_curve_each(lines, fast)
    assert (ours[..., :3] != 255).any(axis=2).sum() > 5000  # something was drawn
    np.testing.assert_array_equal(ours, reference)
    # the comparison sees which is drawn: not the true stroke without antialiasing, which on
    # screen the band replaces, and in a file the smooth one (without it, a PNG's sloping 1.5 px
    # line went from one pixel thick to two and back)
    assert not np.array_equal(ours, _one_curve_each(lines, fast=False, antialias=False))


def test_the_selected_racer_is_drawn_on_top_whatever_order_the_lines_came_in(qapp) -> None:
    x = np.array([0.0, 100.0])
    item = PlotLines()
    selected = item.add_line(pg.mkPen("#ff0000", width=2.4))
    other = item.add_line(pg.mkPen("#0000ff", width=2.4))
    selected.setData(x, np.array([0.0, 10.0]))  # the two cross at step 50, value 5
    other.setData(x, np.array([10.0, 0.0]))

    def at_crossing() -> tuple[int, int, int]:
        image, painter = _image()
        item.paint(painter, None, None)
        painter.end()
        px = DATA_TO_PIXELS.map(50.0, 5.0)
        rgba = _pixels(image)[round(px[1]), round(px[0])]
        return int(rgba[2]), int(rgba[1]), int(rgba[0])  # (BGRA in memory)

    assert at_crossing() == (0, 0, 255)  # same z: the one added later on top
    selected.setZValue(10)
    assert selected.zValue() == 10
    assert at_crossing() == (255, 0, 0)
    selected.setZValue(0)
    assert at_crossing() == (0, 0, 255)


def test_a_nan_is_a_gap_and_a_hidden_line_is_not_drawn(qapp) -> None:
    x = np.arange(0.0, 100.0)
    y = np.full(x.size, 5.0)
    y[40:60] = np.nan  # e.g. L ≤ 0 on a log plot
    item = PlotLines()
    line = item.add_line(pg.mkPen("#000", width=1.0))
    line.setData(x, y)
    image, painter = _image()
    item.paint(painter, None, None)
    painter.end()
    drawn = (_pixels(image)[..., :3] != 255).any(axis=2).any(axis=0)  # columns with ink
    left, right = DATA_TO_PIXELS.map(39.0, 0.0)[0], DATA_TO_PIXELS.map(60.0, 0.0)[0]
    assert drawn[: round(left)].sum() >= round(left) - 12  # solid up to the gap
    assert not drawn[round(left) + 1 : round(right)].any()  # nothing across it
    assert drawn[round(right) : round(DATA_TO_PIXELS.map(99.0, 0.0)[0])].all()
    line.setVisible(False)
    assert not line.isVisible()
    image, painter = _image()
    item.paint(painter, None, None)
    painter.end()
    assert (_pixels(image)[..., :3] == 255).all()


def test_a_handle_keeps_what_it_was_given(qapp) -> None:
    item = PlotLines()
    pen = pg.mkPen("#123456", width=1.0, style=Qt.PenStyle.DashLine)
    line = item.add_line(pen)
    assert line.getData() == (None, None) and line.opts["pen"] is pen and line.isVisible()
    x, y = np.array([1.0, 2.0, 3.0]), np.array([0.5, np.nan, -np.inf])
    line.setData(x, y)
    got_x, got_y = line.getData()
    np.testing.assert_array_equal(got_x, x)
    np.testing.assert_array_equal(got_y, y)
    assert line.y_extent() == (0.5, 0.5)  # the finite values' only: no NaN, no -inf
    line.setData(x, np.array([0.5, np.nan, 2.0]))
    assert line.y_extent() == (0.5, 2.0)
    line.setData([], [])
    assert len(line.getData()[0]) == 0 and line.y_extent() is None
    wide = pg.mkPen("#123456", width=2.4)
    line.setPen(wide)
    assert line.opts["pen"] is wide
    item.remove_line(line)
    assert item.lines == []


class _Regions(QObject):
    """The regions of a widget's paint events."""

    def __init__(self) -> None:
        super().__init__()
        self.rects: list[QRect] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.extend(event.region())
        return False

    def settle(self, qtbot) -> None:
        """Wait until the repaints are over (two polls in a row without a paint)."""
        quiet = [0]

        def settled() -> bool:
            quiet[0] = 0 if self.rects else quiet[0] + 1
            self.rects.clear()
            return quiet[0] >= 2

        qtbot.waitUntil(settled)

    @classmethod
    def after_settling(cls, qtbot, widget: QWidget) -> _Regions:
        """Watching ``widget``'s paints once the first layout's repaints are over."""
        regions = cls()
        widget.viewport().installEventFilter(regions)
        regions.settle(qtbot)
        return regions


def test_one_changed_line_repaints_only_around_it(qtbot) -> None:
    """A line that changes repaints where it was and is (with its pen's width), not the plot."""
    widget = shown(qtbot, pg.PlotWidget(), (500, 400))
    widget.setRange(xRange=(0, 100), yRange=(0, 10), padding=0)
    item = PlotLines()
    widget.getPlotItem().addItem(item, ignoreBounds=True)
    far = item.add_line(pg.mkPen("#000", width=1.0))
    far.setData(np.arange(0.0, 100.0), np.full(100, 8.0))
    short = item.add_line(pg.mkPen("#000", width=1.0))
    short.setData(np.array([10.0, 20.0]), np.array([2.0, 3.0]))
    qtbot.waitExposed(widget)
    regions = _Regions.after_settling(qtbot, widget)
    short.setData(np.array([10.0, 20.0]), np.array([2.5, 3.0]))
    qtbot.waitUntil(lambda: bool(regions.rects))
    vb = widget.getViewBox()
    corner_a = widget.mapFromScene(vb.mapViewToScene(pg.Point(10.0, 3.0)))
    corner_b = widget.mapFromScene(vb.mapViewToScene(pg.Point(20.0, 2.0)))
    around = QRect(corner_a, corner_b).normalized().adjusted(-4, -4, 4, 4)
    assert all(around.contains(r) for r in regions.rects), (regions.rects, around)
    regions.rects.clear()
    far.setData(np.arange(0.0, 100.0), np.full(100, 8.5))  # the whole width: a wide strip
    qtbot.waitUntil(lambda: bool(regions.rects))
    assert max(r.width() for r in regions.rects) > 0.9 * vb.width()
    assert sum(r.height() for r in regions.rects) < 0.25 * vb.height()


def test_a_range_of_1e21_keeps_the_items_bounds_and_draws_its_lines(qtbot) -> None:
    """Over ±1e21 (a racer diverging) Qt takes the view's transform as singular and maps
    rectangles back into the plot as if by the identity: the item's bounds and the exposed
    rectangle must not come from that (its curve, cut at the plot's edge, went missing)."""
    widget = shown(qtbot, pg.PlotWidget(), (420, 160))
    widget.setRange(xRange=(-1, 51), yRange=(-6e21, 2e21), padding=0)
    item = PlotLines()
    widget.getPlotItem().addItem(item, ignoreBounds=True)
    line = item.add_line(pg.mkPen("#ff0000", width=1.0))
    line.setData(np.array([1.0, 10.0, 20.0, 40.0]), np.array([0.0, -1e21, -3e21, -5e21]))
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: not item.sceneTransform().isInvertible())  # Qt's verdict at this scale
    rect = item.boundingRect()
    assert (rect.left(), rect.right()) == pytest.approx((-1.0, 51.0))
    assert (rect.top(), rect.bottom()) == pytest.approx((-6e21, 2e21))
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    red = (pixels[..., 2] > 200) & (pixels[..., 1] < 60) & (pixels[..., 0] < 60)
    assert red.sum() > 100  # the line, across most of the plot


def test_lines_are_drawn_whatever_exposed_rectangle_a_singular_transform_gave(qapp) -> None:
    """What Qt passed on screen over ±1e21: the exposed rectangle in the box's pixels (its inverse
    of the data transform taken as the identity). Every line is drawn then, none skipped."""
    from PySide6.QtWidgets import QGraphicsRectItem, QGraphicsScene, QStyleOptionGraphicsItem

    to_pixels = QTransform(7.6, 0.0, 0.0, -2.0e-20, 10.0, 60.0)  # y: 1e21 → 20 px
    scene = QGraphicsScene()
    box = QGraphicsRectItem()  # the view box's child group, with the data transform
    box.setTransform(to_pixels)
    scene.addItem(box)
    item = PlotLines()
    item.setParentItem(box)
    line = item.add_line(pg.mkPen("#ff0000", width=1.0))
    line.setData(np.array([1.0, 10.0, 20.0, 40.0]), np.array([0.0, -1e21, -3e21, -5e21]))
    image = QImage(W, H, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    painter.setTransform(to_pixels)
    assert not painter.worldTransform().isInvertible()
    option = QStyleOptionGraphicsItem()
    option.exposedRect = QRectF(61.0, 3.0, 315.0, 66.0)
    item.paint(painter, option, None)
    painter.end()
    assert (_pixels(image)[..., :3] != 255).any(axis=2).sum() > 100


def test_an_auto_ranging_plot_fits_the_lines_as_it_fitted_one_curve_each(qtbot) -> None:
    """Exports fit the panels' axes with pyqtgraph's auto-range: the item gives the range it found
    over one curve item per line (each widened by its own pen: the widest pen's line is not the
    highest here), also after new data."""
    plots = []
    for _ in range(2):
        widget = shown(qtbot, pg.PlotWidget(), (420, 260))
        widget.setRange(xRange=(0, 100), yRange=(0, 1), padding=0)
        plots.append(widget)
    reference, ours = plots
    item = PlotLines()
    ours.getPlotItem().addItem(item)
    data = [
        (pg.mkPen("#000", width=1.0), np.arange(0.0, 50.0), np.linspace(-3.0, 7.0, 50)),
        (pg.mkPen("#f00", width=2.4), np.arange(10.0, 60.0), np.linspace(6.0, -2.5, 50)),
        (
            pg.mkPen("#00f", width=1.0, style=Qt.PenStyle.DashLine),
            np.arange(5.0),
            [1.0, np.nan, np.inf, 2, 3],
        ),
        (pg.mkPen("#0f0", width=1.0), np.arange(3.0), [np.nan, np.nan, np.nan]),
    ]
    curves, lines = [], []
    for pen, x, y in data:
        curve = BandCurve(pen=pen, connect="finite", antialias=False)
        curve.setData(x, np.asarray(y, dtype=float))
        reference.getPlotItem().addItem(curve)
        curves.append(curve)
        line = item.add_line(pen)
        line.setData(x, y)
        lines.append(line)
    for widget in plots:
        widget.getPlotItem().enableAutoRange(axis="y")
        widget.getViewBox().updateAutoRange()

    def same() -> bool:
        return np.allclose(ours.getViewBox().viewRange(), reference.getViewBox().viewRange(), rtol=1e-12)

    assert same() and reference.getViewBox().viewRange()[1][1] > 7.0
    curves[0].setData(np.arange(0.0, 50.0), np.linspace(-9.0, 7.0, 50))  # auto-ranging follows new data
    lines[0].setData(np.arange(0.0, 50.0), np.linspace(-9.0, 7.0, 50))
    qtbot.waitUntil(lambda: reference.getViewBox().viewRange()[1][0] < -9.0)
    qtbot.waitUntil(lambda: ours.getViewBox().viewRange()[1][0] < -9.0)
    assert same()


class _Recorded(PlotLines):
    """A ``PlotLines`` that keeps the rectangles it asks to repaint (None: all of it)."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[QRectF | None] = []

    def update(self, rect: QRectF | None = None) -> None:
        self.asked.append(None if rect is None else QRectF(rect))
        super().update() if rect is None else super().update(rect)


def _data_rect(x: np.ndarray, y: np.ndarray) -> QRectF:
    return QRectF(float(x[0]), float(np.nanmin(y)), float(x[-1] - x[0]), float(np.nanmax(y) - np.nanmin(y)))


def test_an_append_repaints_only_the_lines_changed_tail(qtbot) -> None:
    """Playing, a line's new points are its old ones and a few more: only the segment from the
    last point both share to the new end is repainted (with its pen's width), not the plot;
    anything else repaints where the line was and is, as before."""
    widget = shown(qtbot, pg.PlotWidget(), (500, 400))
    widget.setRange(xRange=(0, 100), yRange=(0, 10), padding=0)
    item = _Recorded()
    widget.getPlotItem().addItem(item, ignoreBounds=True)
    line = item.add_line(pg.mkPen("#000", width=1.0))
    steps = np.arange(0.0, 100.0)
    values = 5 + 3 * np.sin(steps / 7)
    qtbot.waitExposed(widget)
    vb = widget.getViewBox()
    qtbot.waitUntil(lambda: item._pixel_size() == pytest.approx((100 / vb.width(), 10 / vb.height())))

    def asked(rows: np.ndarray, y: np.ndarray | None = None) -> QRectF:
        item.asked.clear()
        line.setData(steps[rows], values[rows] if y is None else y)
        assert len(item.asked) == 1 and item.asked[0] is not None, item.asked
        return item.asked[0]

    line.setData(steps[:60], values[:60])
    rect = asked(np.arange(64))  # four points appended
    assert rect.left() <= 59.0 < 63.0 <= rect.right() and rect.width() < 6.0
    tail = _data_rect(steps[59:64], values[59:64])
    assert rect.top() <= tail.top() and rect.bottom() >= tail.bottom()
    # thinned: the old last row (63) is off the stride's grid, so the shared points end at 62
    line.setData(steps[[*range(0, 63, 2), 63]], values[[*range(0, 63, 2), 63]])
    rect = asked(np.array([*range(0, 67, 2), 67]))
    assert rect.left() <= 62.0 and rect.right() >= 67.0 and rect.width() < 7.0
    tail = _data_rect(steps[62:68], values[62:68])  # the highest is the shared point's, 62
    assert rect.top() <= tail.top() and rect.bottom() >= tail.bottom()
    item.asked.clear()
    line.setData(steps[[*range(0, 67, 2), 67]], values[[*range(0, 67, 2), 67]])
    assert item.asked == []  # the same data again (a diverged racer's at every fit): nothing changes
    line.setData(steps[:80], values[:80])
    rect = asked(np.arange(80), np.where(steps[:80] == 30.0, 9.0, values[:80]))  # a point changed
    assert 25.0 < rect.left() <= 29.0 and rect.right() >= 79.0  # from the point before it
    for rows, y in (
        (np.arange(80), np.where(steps[:80] == 1.0, 9.0, values[:80])),  # the second point changed
        (np.arange(0, 80, 2), None),  # the stride changed
        (np.arange(40), values[:40] - 1.0),  # a new, shorter line
    ):
        line.setData(steps[:80], values[:80])
        rect = asked(rows, y)
        new_y = values[rows] if y is None else y
        assert rect.contains(_data_rect(steps[:80], values[:80]).united(_data_rect(steps[rows], new_y)))


def _tail_by_search(old_x: np.ndarray, old_y: np.ndarray, x: np.ndarray, y: np.ndarray) -> QRectF | None:
    """``_changed_tail`` as an elementwise search (a NaN matches a NaN), its fast path left out."""
    m = min(len(old_x), len(x))
    same = [
        old_x[i] == x[i] and (old_y[i] == y[i] or (np.isnan(old_y[i]) and np.isnan(y[i]))) for i in range(m)
    ]
    k = same.index(False) if False in same else m
    if len(old_x) < 2 or k < 2:
        return None
    tail = np.concatenate((old_y[k - 1 :], y[k - 1 :]))
    x0, x1, y0, y1 = x[k - 1], max(old_x[-1], x[-1]), np.nanmin(tail), np.nanmax(tail)
    return None if not np.all(np.isfinite([x0, x1, y0, y1])) else QRectF(x0, y0, x1 - x0, y1 - y0)


_VALUES = st.sampled_from([0.0, -0.0, 1.0, 2.5, -3.0, float("nan"), float("inf")])


@given(
    st.lists(_VALUES, min_size=2, max_size=12),
    st.integers(0, 12),
    st.lists(_VALUES, max_size=6),
    st.booleans(),
)
@example(values=[0.0, 0.0], keep=1, appended=[-0.0], thinned=False)  # -0.0 appended where 0.0 was
def test_a_changed_tail_covers_what_an_elementwise_search_finds(
    values: list[float], keep: int, appended: list[float], thinned: bool
) -> None:
    """The byte comparison that finds the usual appends fast gives the search's rectangle, or
    (values equal but not in bytes, 0.0 and -0.0) one a point wider: never less to repaint."""
    old_y = np.array(values)
    old_x = np.arange(float(len(old_y)))
    y = np.concatenate((old_y[:keep], appended)) if not thinned else np.concatenate((old_y[:-1], appended))
    flip = keep % 3 == 2
    y = np.where(y == 0.0, -y, y) if flip else y  # now and then 0.0 as -0.0: same value
    x = np.arange(float(len(y)))
    # equal values in other bytes where both are compared (0.0 and -0.0, flipped or appended)
    m = min(len(old_y), len(y))
    zeros = (old_y[:m] == 0.0) & (y[:m] == 0.0)
    flipped = bool(np.any(zeros & (np.signbit(old_y[:m]) != np.signbit(y[:m]))))
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN tail: nanmin says so
        ours, search = _changed_tail(old_x, old_y, x, y), _tail_by_search(old_x, old_y, x, y)
    if not flipped or ours is None or search is None:
        assert ours == search or (flipped and ours is None), (ours, search)  # None: repaint it all
    else:
        assert ours.left() <= search.left() and ours.right() >= search.right(), (ours, search)
        assert ours.top() <= search.top() and ours.bottom() >= search.bottom(), (ours, search)


def _backing_store(widget: pg.PlotWidget) -> np.ndarray:
    """What the window shows: the offscreen platform grabs its backing store, where partial
    repaints leave any pixel they missed (``widget.grab()`` would paint it all afresh)."""
    return _rgb32(widget.screen().grabWindow(widget.winId()).toImage())


def _rgb32(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    shape = (image.height(), image.bytesPerLine() // 4, 4)
    return np.frombuffer(image.constBits(), np.uint8).reshape(shape).copy()


def test_appends_leave_the_picture_a_full_repaint_gives(qtbot) -> None:
    """After a run of appends (thinned rows, so the last point moves; gaps; a log plot's NaN; a
    diverged line cut at the edge) the window holds exactly the pixels of a plot given the
    final data at once: the tails' repaints leave nothing stale, and they were narrow."""
    from gui.views.panels import _thin_rows

    steps = np.arange(0.0, 2000.0)
    rng = np.random.default_rng(3)
    gap = np.where((steps >= 1300) & (steps < 1316), np.nan, 1.0)  # each tail keeps a finite point
    noisy = gap * (5 + np.sin(steps / 30) + rng.normal(0, 0.1, steps.size))
    log_like = 0.3 + 0.2 * np.sin(steps / 40) + rng.normal(0, 0.05, steps.size)  # now and then ≤ 0
    with np.errstate(invalid="ignore"):
        logged = np.where(log_like > 0, np.log10(log_like) + 8, np.nan)
    series = [  # (pen, z, values, rows from 0 (w, L) or from 1)
        (pg.mkPen("#d55e00", width=2.4), 10.0, 6 + 2 * np.sin(steps / 90), 0),
        (pg.mkPen("#d55e00", width=2.4, style=Qt.PenStyle.DashLine), 10.0, 4 + np.cos(steps / 60), 0),
        (pg.mkPen("#0072b2", width=1.0), 0.0, noisy, 1),
        (pg.mkPen("#0072b2", width=1.0, style=Qt.PenStyle.DashLine), 0.0, 3 + np.sin(steps / 45), 1),
        (pg.mkPen("#009e73", width=1.0), 0.0, logged, 1),
        (pg.mkPen("#cc79a7", width=1.0), 0.0, np.clip(9.5 - (steps - 1100) / 60, 0.5, 9.5), 1),  # steep
    ]

    def plot() -> tuple[pg.PlotWidget, PlotLines, list]:
        widget = shown(qtbot, pg.PlotWidget(), (520, 320))
        widget.setBackground("w")
        widget.showGrid(x=True, y=True)
        widget.setRange(xRange=(0, 2000), yRange=(0, 10), padding=0)
        item = PlotLines()
        widget.getPlotItem().addItem(item, ignoreBounds=True)
        handles = []
        for pen, z, _values, _first in series:
            handle = item.add_line(pen)
            handle.setZValue(z)
            handles.append(handle)
        return widget, item, handles

    def give(handles: list, n: int) -> list[tuple[np.ndarray, np.ndarray]]:
        given = []
        for handle, (_pen, _z, values, first) in zip(handles, series, strict=True):
            rows = _thin_rows(n, first)
            handle.setData(steps[rows], values[rows])
            given.append((steps[rows], values[rows]))
        return given

    live, _item, handles = plot()
    give(handles, 1100)
    qtbot.waitExposed(live)
    regions = _Regions.after_settling(qtbot, live)
    widest = 0
    for n in range(1123, 1590, 23):  # every row count gives stride 2; half leave the last row off grid
        given = give(handles, n)
        qtbot.waitUntil(lambda: bool(regions.rects))
        widest = max(widest, max(r.width() for r in regions.rects))
        regions.rects.clear()
    assert widest < 0.15 * live.getViewBox().width()
    for i, step, edge in ((3, 1400.0, 0.4), (0, 1450.0, 9.6)):  # diverged: cut where it leaves the
        x, y = given[i]  # plot, its end moved to the edge (the old tail's far side repainted too)
        j = int(np.searchsorted(x, step))
        cut = y[: j + 1].copy()
        cut[j] = edge
        handles[i].setData(x[: j + 1], cut)
        given[i] = (x[: j + 1], cut)
        qtbot.waitUntil(lambda: bool(regions.rects))  # each cut painted on its own
        assert max(r.width() for r in regions.rects) < 0.5 * live.getViewBox().width()
        regions.settle(qtbot)
    ours = _backing_store(live)  # now: another window shown repaints this one whole (inactive)

    fresh, _item, fresh_handles = plot()
    for handle, (x, y) in zip(fresh_handles, given, strict=True):
        handle.setData(x, y)
    qtbot.waitExposed(fresh)
    box = live.getViewBox().sceneBoundingRect()
    qtbot.waitUntil(lambda: fresh.getViewBox().sceneBoundingRect() == box)  # laid out as the live one
    reference = _rgb32(fresh.grab().toImage())  # painted whole
    assert (ours[..., :3] != 255).any(axis=2).sum() > 5000  # lines and grid drawn
    np.testing.assert_array_equal(ours, reference)
