"""Per-weight line plots sharing one step axis: the effective rate, G, M, g, w and the loss.

Each optimizer is one colour; w1 is drawn solid and w2 dashed, so the learner sees
the two weights of one optimizer get different learning rates.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable
from itertools import pairwise

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import QGraphicsItem

from engine.record import BY_NAME as RECORD_FIELDS
from gui import theme
from gui.history import RacerHistory, display_stride
from gui.i18n import whole_name
from gui.slots import weak_slot
from gui.views.centred import CentredNote
from gui.views.curves import FastScatter
from gui.views.lazy_plot import LabelCachingAxis, LazyFormPlotItem, one_layout_pass, set_axis_fonts
from gui.views.plot_lines import PlotLine, PlotLines, finite_extent

#: The recorded fields plotted, top to bottom: (log-y by default, what it is, for the tooltip).
_PLOTTED: dict[str, tuple[bool, str]] = {
    "lr": (True, QT_TRANSLATE_NOOP("PerWeightPanels", "effective learning rate of each weight")),
    "G": (True, QT_TRANSLATE_NOOP("PerWeightPanels", "accumulated squared gradient")),
    "M": (False, QT_TRANSLATE_NOOP("PerWeightPanels", "momentum / first moment")),
    "grad": (False, QT_TRANSLATE_NOOP("PerWeightPanels", "gradient ∂L/∂w")),
    "w": (False, QT_TRANSLATE_NOOP("PerWeightPanels", "the weights")),
    "loss": (True, QT_TRANSLATE_NOOP("PerWeightPanels", "the loss")),
}
#: (key, axis label, log-y by default, what it is) — the rows top to bottom; keys and axis
#: labels are the record schema's (``engine.record.FIELDS``: a field's name and symbol).
ROWS: tuple[tuple[str, str, bool, str], ...] = tuple(
    (key, RECORD_FIELDS[key].symbol, log, tip) for key, (log, tip) in _PLOTTED.items()
)
#: Tick labels on a linear plot stay this many text heights apart (centre to centre).
LABEL_GAP = 1.6
#: ... and at least this many label boxes where that leaves fewer than two (a 60-pixel plot presenting).
TIGHT_LABEL_GAP = 1.1
#: A log axis draws its minor ticks (2…9 in each decade) only this many pixels apart or more.
MIN_TICK_PX = 2.0
MAX_POINTS = 800  # a panel is 400-700 pixels wide: more points only cost paint time
# Curves are 1 px wide: Qt draws those with its fast line rasteriser, while any wider pen
# goes through the general stroker, 6× slower (10.4 vs 1.8 ms for a full repaint of the six
# plots). Only the selected optimizer's curves are wide, which also makes them stand out.
CURVE_WIDTH = 1.0
SELECTED_WIDTH = 2.4
# A y range is kept while the data fill at least this share of it (then it shrinks to fit).
MIN_FILL = 0.3
# Room left above (and below) growing data when a range has to widen, as a share of its span.
HEADROOM = 0.25
# A racer whose values reach this many times further than every other racer's does not set a
# linear plot's range (heavy-ball M at ±40 would flatten Adam's ±2); on a log plot, this many
# decades more. Its curve leaves the plot at a ▲/▼ mark instead. The selected racer always counts.
OUTLIER_RATIO = 4.0
OUTLIER_DECADES = 4.0
# The selected racer is left out only this far beyond the rest: it is running away.
RUNAWAY_RATIO = 1e6
RUNAWAY_DECADES = 12.0
#: "Plots show" choices: the first N steps only (None: every step, the axis growing with the race).
#: Most of what distinguishes the optimizers happens in the first 10-100 steps, which a 2,000-step
#: axis squeezes into its first few pixels.
STEP_WINDOWS: tuple[int | None, ...] = (None, 10, 20, 50, 100, 200, 500, 1000)
#: Shown in place of a log plot's label when some value is ≤ 0 and the plot falls back to linear.
LINEAR_FALLBACK_NOTE = QT_TRANSLATE_NOOP("PerWeightPanels", "linear: L ≤ 0")


class CornerNote(pg.TextItem):
    """A short note in a view box's top right corner, hidden until shown."""

    def __init__(self, vb: pg.ViewBox, text: str) -> None:
        super().__init__(text, anchor=(1.0, 0.0), color="#7a4a00", fill=pg.mkBrush(255, 255, 255, 200))
        self.setParentItem(vb)
        self.setZValue(40)
        self.setVisible(False)
        vb.sigResized.connect(self.place)

    def place(self, *_: object) -> None:
        self.setPos(self.parentItem().width() - 2, 0)


def nice_step(span: float) -> float:
    """1, 2 or 5 × 10ᵏ, at least ``span``."""
    magnitude = 10.0 ** math.floor(math.log10(span))
    # among subnormals 10ᵏ is inexact and may fall short of the span: the span itself then
    return next((f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= span * (1 - 1e-12)), span)


def fit_range(
    lo: float, hi: float, current: tuple[float, float] | None, headroom: float = HEADROOM
) -> tuple[float, float] | None:
    """A new y range for data in [lo, hi], or None to keep ``current``.

    The range only changes when data leave it or fill too little of it, and then widens
    with headroom to round numbers: an axis that moved every frame would repaint its
    labels and grid every frame, which cost more than drawing the curves.
    """
    if current is not None:
        c_lo, c_hi = current
        if c_lo <= lo and hi <= c_hi and (hi - lo) >= MIN_FILL * (c_hi - c_lo):
            return None
    span = hi - lo
    if math.isinf(span):  # e.g. -1e308 … 1e308: no headroom, no rounding
        return lo_hi_clamped(lo, hi)
    if not span > 0:
        span = abs(hi) * 0.1 if hi else 1.0  # a flat line: around its value (0 → ±0.5)
        lo, hi = lo - span / 2, hi + span / 2
    grow_up = current is not None and hi > current[1]
    grow_down = current is not None and lo < current[0]
    lo -= span * (headroom if grow_down else 0.05)
    hi += span * (headroom if grow_up else 0.05)
    if not 1e-300 < (hi - lo) / 5 < 1e300:  # at the float limits: no rounding
        return lo_hi_clamped(lo, hi)
    step = nice_step((hi - lo) / 5)
    rounded = math.floor(lo / step) * step, math.ceil(hi / step) * step
    if not all(map(math.isfinite, rounded)):
        return lo_hi_clamped(lo, hi)
    return None if rounded == current else rounded  # e.g. a flat line: no repaint each frame


def lo_hi_clamped(lo: float, hi: float) -> tuple[float, float]:
    """A range for data at the float limits (a racer blowing up): the data's own, kept finite."""
    big = 1e307  # pyqtgraph computes widths and tick spacings from the range: leave it room
    lo, hi = max(lo, -big), min(hi, big)
    return (lo, hi) if lo < hi else (-big, big)


def robust_extent(
    extents: dict[str, tuple[float, float]], keep: str | None, *, log: bool
) -> tuple[tuple[float, float] | None, set[str]]:
    """The range of the racers that set a plot's scale, and the racers left out as outliers.

    A racer is left out while its reach (largest |value|, or top decade on a log plot) is more
    than OUTLIER_RATIO times (OUTLIER_DECADES more than) the next racer's: one racer far larger
    than the rest is then drawn leaving the plot, and the rest keep a readable scale. ``keep``
    (the selected racer) is left out only when it runs away (RUNAWAY_RATIO / RUNAWAY_DECADES):
    what the learner looks at fits, but a selected SGD blowing up towards 1e60 made every
    other curve a flat line while the engine still counted it as running.
    """
    if not extents:
        return None, set()

    def reach(name: str) -> float:
        lo, hi = extents[name]
        return hi if log else max(abs(lo), abs(hi))

    order = sorted(extents, key=reach, reverse=True)
    out: set[str] = set()
    for top, nxt in pairwise(order):
        a, b = reach(top), reach(nxt)
        ratio, decades = (RUNAWAY_RATIO, RUNAWAY_DECADES) if top == keep else (OUTLIER_RATIO, OUTLIER_DECADES)
        # next to a flat zero (M of a rule without momentum) nothing counts as far
        far = a - b > decades if log else (b > 0 and a > ratio * b)
        if not far:
            break
        out.add(top)
    inside = [extents[n] for n in extents if n not in out]
    return (min(e[0] for e in inside), max(e[1] for e in inside)), out


def rows_up_to(steps: np.ndarray, limit: int | None) -> int:
    """How many rows a plot showing steps 0 … ``limit`` draws: those up to it and one past it,
    so a curve runs on to the plot's edge instead of stopping short of it."""
    n = steps.shape[0]
    if limit is None:
        return n
    return min(n, int(np.searchsorted(steps, limit, side="right")) + 1)


def _thin_rows(n: int, first: int) -> np.ndarray:
    """Rows ``first … n-1``, at most ~MAX_POINTS of them (the last always): redraws stay cheap.

    Picking rows before copying anything keeps a frame's cost independent of the run's length.
    """
    count = n - first
    if count <= MAX_POINTS:
        return np.arange(first, n)
    return np.append(np.arange(first, n, display_stride(count, MAX_POINTS)), n - 1)


def _nice_steps_down(start: float) -> Iterable[float]:
    """1-2-5 × 10ᵏ steps from ``nice_step(start)`` down, 40 of them (12 decades)."""
    if not (start > 1e-300 and math.isfinite(start)):
        return
    step = nice_step(start)
    for _ in range(40):
        if not step > 1e-300:  # near the smallest floats (a diverged racer's numbers): 10ᵏ is inexact
            return
        yield step
        mantissa = round(step / 10 ** math.floor(math.log10(step) + 1e-9))
        step *= 0.4 if mantissa == 5 else 0.5


def _first_and_last(lo: float, hi: float, step: float, gap: float) -> list[float] | None:
    """The multiples of ``step`` in lo … hi, every one if they are ``gap`` apart, else the first
    and the last if those are; None if fewer than two fit."""
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    if last <= first:
        return None
    if step >= gap * (1 - 1e-9):
        return [k * step for k in range(first, last + 1)]
    if (last - first) * step >= gap:
        return [first * step, last * step]
    return None


def labels_inside(lo: float, hi: float, gap: float, *, log: bool) -> tuple[float, list[float]]:
    """(spacing, values): two or more round values in lo … hi at least ``gap`` apart, or none.

    Linear: multiples of the largest 1-2-5 step that gives two. Log (lo, hi in decades): whole
    decades, then values 1, 2 or 5 × 10ᵏ, then round values of 10^lo … 10^hi (a loss plot
    from 0.8 to 1.3 has no decade and no 2 or 5 in it). The spacing is the step whose digits
    the labels need.
    """
    if not (hi > lo and gap > 0):
        return 0.0, []
    if not log:
        for step in _nice_steps_down(hi - lo):
            values = _first_and_last(lo, hi, step, gap)
            if values is not None:
                return step, values
        return _ends(lo, hi, gap, log=False)
    for step in _nice_steps_down(max(hi - lo, 1.0)):
        if step < 1.0:
            break
        values = _first_and_last(lo, hi, step, gap)
        if values is not None:
            return step, values
    if hi - lo > 3.0:  # no whole decades fit: the ends, at two or three digits
        return _ends(lo, hi, gap, log=True)
    marks = [d + math.log10(m) for d in range(math.floor(lo), math.ceil(hi) + 1) for m in (1, 2, 5)]
    marks = [v for v in marks if lo <= v <= hi]
    if len(marks) >= 2 and marks[-1] - marks[0] >= gap:
        kept = [marks[0]]
        for v in marks[1:-1]:
            if v - kept[-1] >= gap and marks[-1] - v >= gap:
                kept.append(v)
        return 1.0, [*kept, marks[-1]]
    if hi - lo > 1.0:  # a decade or more: a decade or 1-2-5 mark would have fitted
        return 0.0, []
    x_lo, x_hi = 10.0**lo, 10.0**hi
    for step in _nice_steps_down(x_hi - x_lo):
        first, last = math.ceil(x_lo / step - 1e-9) * step, math.floor(x_hi / step + 1e-9) * step
        if first > 0 and last > first and math.log10(last) - math.log10(first) >= gap:
            return step, [math.log10(first), math.log10(last)]
    return _ends(lo, hi, gap, log=True)


def _ends(lo: float, hi: float, gap: float, *, log: bool) -> tuple[float, list[float]]:
    """The last resort of ``labels_inside``: the ends of lo … hi rounded inwards to one (two,
    three) significant digits, e.g. "2·10⁻⁶" and "10" on a 60-pixel plot of seven decades."""

    def inward(x: float, digits: int, up: bool) -> float:
        if x == 0:
            return 0.0
        unit = 10.0 ** (math.floor(math.log10(abs(x))) - digits + 1)
        return (math.ceil(x / unit - 1e-9) if up else math.floor(x / unit + 1e-9)) * unit

    for digits in (1, 2, 3):
        if log:
            if not (lo > -300 and hi < 300):
                return 0.0, []
            a, b = inward(10.0**lo, digits, True), inward(10.0**hi, digits, False)
            if not 0 < a < b:
                continue
            values = [math.log10(a), math.log10(b)]
        else:
            values = [inward(lo, digits, True), inward(hi, digits, False)]
        if values[1] - values[0] >= gap and lo <= values[0] and values[1] <= hi:
            spacing = 10.0 ** (math.floor(math.log10(max(abs(lo), abs(hi), 1e-300))) - digits + 1)
            return (1.0 if log else spacing), values
    return 0.0, []


def _drawn_labels(specs: tuple) -> int:
    """How many non-empty tick labels an axis' draw specs hold."""
    return sum(1 for _rect, _flags, text in specs[2] if text)


def log_label(decades: float) -> str:
    """The label of a log plot's tick at 10^decades: "10⁻³", "0.2", "1.25"."""
    exponent = math.floor(decades + 1e-9)
    if -3 <= exponent <= 3:
        return f"{10.0**decades:.6g}"
    mantissa = f"{10.0 ** (decades - exponent):.3g}"
    power = "10" + ("⁻" if exponent < 0 else "") + str(abs(exponent)).translate(_SUPERSCRIPT)
    return power if mantissa == "1" else f"{mantissa}·{power}"


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


class SparseLogAxis(LabelCachingAxis):
    """A log axis that labels only decades (or 1-2-5 within one): a short plot has no room
    for pyqtgraph's label at every minor tick, which made them print over each other.

    Labels keep at least LABEL_GAP text heights apart: pyqtgraph spaces ticks by the plot's
    height alone, and presenting (1.5× text on 60-pixel plots) printed "20" over "0" and
    "0.01" over "0.1" (then a log plot labels every 2nd or 5th decade).
    """

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        levels = super().tickSpacing(minVal, maxVal, size)
        span = abs(maxVal - minVal)
        if not levels or not span > 0 or size <= 0:  # (on a log plot values are decades)
            return levels
        font = self.style.get("tickFont") or QFont()
        least = span * LABEL_GAP * QFontMetricsF(font).height() / size
        major = levels[0][0]
        if major >= least and (len(levels) < 2 or levels[1][0] >= least):
            return levels
        while major < least:  # the next 1-2-5 step
            mantissa = major / 10 ** math.floor(math.log10(major) + 1e-9)
            major *= 2.5 if round(mantissa) == 2 else 2.0
        return [(major, 0.0)]

    def _tick_font(self) -> QFont:
        return self.style.get("tickFont") or QFont()

    def generateDrawSpecs(self, p: object) -> object:
        """pyqtgraph's ticks, unless fewer than two of their labels are drawn: then two or more
        labels of our own (``labels_inside``) that fit inside the plot.

        Presenting at 1024×768 a plot is ~60 pixels tall, and pyqtgraph drops every label that
        would stick out of it (with a grid, out of the plot itself): the rate and the loss plot
        showed no label at all, G only "1" — no scale to read."""
        self._own_ticks = False
        specs = super().generateDrawSpecs(p)
        if specs is None or self.orientation not in ("left", "right") or _drawn_labels(specs) >= 2:
            return specs
        self._own_ticks = True
        try:
            own = super().generateDrawSpecs(p)
        finally:
            self._own_ticks = False
        return own if own is not None and _drawn_labels(own) > _drawn_labels(specs) else specs

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        if not getattr(self, "_own_ticks", False):
            return super().tickValues(minVal, maxVal, size)
        lo, hi = sorted((minVal, maxVal))
        if not (size > 0 and hi > lo and math.isfinite(hi - lo)):
            return super().tickValues(minVal, maxVal, size)
        # pyqtgraph's box of a label: 0.8 of the line height, all of it inside the plot
        label_px = 0.8 * QFontMetricsF(self._tick_font()).height()
        per_px = (hi - lo) / size
        margin = (0.5 * label_px + 1.0) * per_px
        gap = TIGHT_LABEL_GAP * label_px * per_px
        spacing, values = labels_inside(lo + margin, hi - margin, gap, log=self.logMode)
        if len(values) < 2:
            return super().tickValues(minVal, maxVal, size)
        if self.logMode:  # their own strings: pyqtgraph writes 1.5 as "2" (one digit)
            self._own_labels = {v: log_label(v) for v in values}
        return [(spacing, values)]

    def logTickValues(
        self, minVal: float, maxVal: float, size: float, stdTicks: list[tuple[float, list[float]]]
    ) -> list[tuple[float | None, list[float]]]:
        """pyqtgraph's ticks, without the 2…9 minor ticks of each decade when they would be
        denser than one per MIN_TICK_PX pixels: over G's 600 decades (1e-307 … 1e292) that was
        5,400 ticks, and repainting the axis took 70 ms, a frame lost whenever its range moved."""
        ticks = super().logTickValues(minVal, maxVal, size, stdTicks)
        if size > 0 and 9 * (maxVal - minVal) * MIN_TICK_PX > size:
            ticks = [(spacing, values) for spacing, values in ticks if spacing is not None]
        self._has_major = any(spacing is not None for spacing, _values in ticks)
        return ticks

    def logTickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        own = getattr(self, "_own_labels", None)
        if own is not None and values and all(v in own for v in values):
            return [own[v] for v in values]
        strings = super().logTickStrings(values, scale, spacing)
        mantissas = [round(10 ** (v % 1), 6) for v in values]
        keep = {1.0} if sum(m == 1.0 for m in mantissas) >= 2 else {1.0, 2.0, 5.0}
        if spacing is None and getattr(self, "_has_major", False):
            # the minor level (2…9 of each decade, and the decades again): the decades are the
            # major level's to label, or to skip when it labels every 2nd; labelled here too,
            # "0.01" was printed twice and a skipped "0.1" in the gap meant for it
            keep = keep - {1.0}
        return [s if m in keep else "" for s, m in zip(strings, mantissas, strict=True)]


class PerWeightPanels(pg.GraphicsLayoutWidget):
    """Six stacked plots with a linked step axis; one curve per optimizer and weight."""

    step_picked = Signal(int)
    # dashed wide curves as one-pixel bands on screen (PlotLines); exports set it False
    fast_curves = True

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setBackground("w")
        self.ci.setLayoutDirection(Qt.LeftToRight)  # axes stay on the left in Persian too
        self.ci.layout.setSpacing(2)
        self.ci.setContentsMargins(2, 2, 2, 2)
        self.plots: dict[str, pg.PlotItem] = {}
        self.cursors: dict[str, pg.InfiniteLine] = {}
        self.clip_marks: dict[str, FastScatter] = {}
        self._marks_at: dict[str, tuple] = {}  # what each plot's marks were last given
        self.lines: dict[str, PlotLines] = {}
        #: Racers each plot leaves out of its range (diverged, or far out of scale) and marks.
        self.clipped: dict[str, set[str]] = {key: set() for key, *_ in ROWS}
        #: Each curve's (smallest, largest) finite value shown: what fits the plot's range.
        self._extent: dict[tuple[str, str, int], tuple[float, float] | None] = {}
        #: Out-of-scale curves drawn with gaps where they are far outside the plot (_mark_clipped).
        self._gapped: set[tuple[str, str, int]] = set()
        self._status: dict[str, str] = {}
        self._colors: dict[str, str] = {}
        # a log plot showing linear values because some are ≤ 0 (the log of those does not exist)
        self._linear_fallback: dict[str, bool] = {key: False for key, *_ in ROWS}
        self._labels = {key: label for key, label, *_ in ROWS}
        self.log_y: dict[str, bool] = {}
        # the plots and the key below them laid out once (pyqtgraph: once per plot added)
        with one_layout_pass(self.ci):
            for i, (key, label, log, tip) in enumerate(ROWS):
                # enableMenu=False: pyqtgraph builds no context menus (never shown here), which were
                # ≈ 40 % of making a plot, before the window's first paint; nor the menu's form
                # (half of what was left) until something asks for it (gui/views/lazy_plot.py)
                plot = LazyFormPlotItem(axisItems={"left": SparseLogAxis("left")}, enableMenu=False)
                self.addItem(plot, row=i, col=0)
                plot.setLayoutDirection(Qt.LeftToRight)
                plot.setLabel("left", label)
                plot.getAxis("left").setWidth(58)
                plot.getAxis("left").setToolTip(self.tr(tip))
                for axis in ("left", "bottom"):
                    plot.getAxis(axis).setTextPen("#222")
                    plot.getAxis(axis).setPen("#666")
                    # replaying an axis' text on every repaint costs more than the curves
                    plot.getAxis(axis).setCacheMode(QGraphicsItem.DeviceCoordinateCache)
                plot.showGrid(x=True, y=True, alpha=0.15)
                plot.setLogMode(y=log)
                # y follows the data in round steps (fit_range), not pyqtgraph's every-frame autorange
                plot.disableAutoRange(axis="y")
                plot.disableAutoRange(axis="x")
                plot.vb.sigRangeChangedManually.connect(weak_slot(self._user_moved, key))
                plot.autoBtn.clicked.connect(weak_slot(self._resume_auto, key))
                self.log_y[key] = log
                if i < len(ROWS) - 1:
                    plot.getAxis("bottom").setStyle(showValues=False)
                    plot.getAxis("bottom").setHeight(4)
                else:
                    plot.setLabel("bottom", self.tr("step t"))
                cursor = pg.InfiniteLine(
                    angle=90, movable=False, pen=pg.mkPen("#555", width=1, style=Qt.DashLine)
                )
                cursor.setVisible(False)
                plot.addItem(cursor, ignoreBounds=True)
                self.cursors[key] = cursor
                # where a curve leaves the plot: ✗ for a diverged racer, ▲/▼ for one out of scale
                marks = FastScatter(pxMode=True, size=11)
                marks.setZValue(30)
                plot.addItem(marks, ignoreBounds=True)
                self.clip_marks[key] = marks
                # every racer's curves of the plot as one item (gui/views/plot_lines.py)
                lines = PlotLines()
                plot.addItem(lines)  # its bounds for an export's auto-range (the window fits its own)
                self.lines[key] = lines
                self.plots[key] = plot
            self.title = pg.LabelItem(justify="left", color="#333", size="8pt")
            self.addItem(self.title, row=len(ROWS), col=0)
            self.title.setText(
                "<b>———</b> w1 &nbsp; <b>- - -</b> w2 &nbsp; " + self.tr("(one colour per racer)")
            )
        #: "linear: L ≤ 0" in the loss plot's top right corner while it cannot show log10(L).
        self.scale_notes = {"loss": CornerNote(self.plots["loss"].vb, self.tr(LINEAR_FALLBACK_NOTE))}
        self.scene().sigMouseClicked.connect(self._clicked)
        self._curves: dict[tuple[str, str, int], PlotLine] = {}
        # What each curve was given, before the log axis' log10: the engine's own numbers.
        self._data: dict[tuple[str, str, int], tuple[np.ndarray, np.ndarray]] = {}
        # …and as drawn (log10 on a log plot): computed once per update, read by _fit_y
        self._shown_y: dict[tuple[str, str, int], np.ndarray] = {}
        self._y_range: dict[str, tuple[float, float] | None] = dict.fromkeys(self.plots)
        self._auto_y: dict[str, bool] = dict.fromkeys(self.plots, True)
        self._last_step = 1
        self._drawn = {}
        self._x_max = 0.0
        # The shared step range and the plots not yet showing it. The plots are not x-linked:
        # after a jump each plot takes the new range on its next data update, two a frame,
        # instead of all six repainting in one frame (the longest stall flat out).
        self._x_view = (0.0, 10.0)
        self._x_pending: set[str] = set()
        self._auto_x = True
        #: Show only steps 0 … this (None: all); see set_step_window.
        self.step_window: int | None = None
        self._pen_scale = 1.0
        self._selected: str | None = None
        # At step 0 the plots are empty and their axes arbitrary: say what fills them.
        top = self.plots[ROWS[0][0]].vb
        self.empty_hint = CentredNote(
            top,
            self.tr("Each step adds a point to these plots: press Step or Play."),
            z=50,
            color="#555",
            fill=pg.mkBrush(255, 255, 255, 220),
        )
        self._key: list[tuple[str, str]] = []  # (colour, label) of each racer
        self._key_size = "8pt"

    def set_log(self, key: str, log: bool) -> None:
        self.log_y[key] = log
        if key == "loss":  # turned on over losses ≤ 0 already drawn: linear at once, and said
            self._linear_fallback[key] = log and self._nonpositive_loss()
        self._apply_scale(key)

    def is_log(self, key: str) -> bool:
        """Whether the plot shows log10 of its values now (not when some value is ≤ 0)."""
        return self.log_y[key] and not self._linear_fallback[key]

    def _apply_scale(self, key: str) -> None:
        """Re-show a plot's curves after its scale changed (log ↔ linear)."""
        log = self.is_log(key)
        plot = self.plots[key]
        plot.setLogMode(y=log)
        self._show_label(key)
        for (name, k, i), (x, y) in self._data.items():
            if k == key:
                self._set(name, k, i, x, y)
        self._y_range[key] = None
        self._fit_y(key)
        # setLogMode re-maps the x axis too: put back the shared step range at once
        plot.setXRange(*self._x_view, padding=0.0)

    def _show_label(self, key: str) -> None:
        self.plots[key].setLabel("left", self._labels[key])
        note = self.scale_notes.get(key)
        if note is not None:
            # inside the plot's corner: beside "L" on the turned axis it ran into the w plot's label
            note.setVisible(self.log_y[key] and not self.is_log(key))
            note.place()

    def curve_data(self, name: str, key: str, weight: int) -> tuple[np.ndarray, np.ndarray]:
        """The steps and values a curve shows (before a log axis takes their log)."""
        return self._data[(name, key, weight)]

    def _user_moved(self, key: str) -> None:
        """A wheel zoom or drag on one plot: it keeps its y range, and all plots its steps."""
        self._auto_y[key] = False
        self._auto_x = False
        self.set_x_view(*self.plots[key].vb.viewRange()[0])
        self._mark_clipped(key, self.clipped[key])  # the out-of-scale curves' gaps, for this range

    def set_x_view(self, lo: float, hi: float, padding: float = 0.0) -> None:
        """Show steps lo … hi in every plot now (a user's zoom, an export)."""
        pad = (hi - lo) * padding
        self._x_view = (lo - pad, hi + pad)
        self._x_pending = set(self.plots)
        self._apply_x(self.plots)

    def _apply_x(self, keys: Iterable[str]) -> None:
        for key in self._x_pending.intersection(keys):
            self._x_pending.discard(key)
            if self.plots[key].vb.viewRange()[0] != list(self._x_view):
                self.plots[key].setXRange(*self._x_view, padding=0.0)

    def set_step_window(self, limit: int | None) -> None:
        """Show only the first ``limit`` steps (None: all), at full resolution, with every
        plot's values fitted to them; the next ``update_racers`` redraws the curves."""
        self.step_window = limit
        self._drawn = {}
        for key in self.plots:
            self._auto_y[key] = True
            self._y_range[key] = None
        self._auto_x = True
        self._x_max = 0.0
        self._set_x_range(self._last_step)
        self._apply_x(self.plots)

    def _resume_auto(self, key: str) -> None:
        """The plot's "A" button: follow the data again (after the user zoomed or panned)."""
        self.plots[key].disableAutoRange()
        self._auto_y[key] = True
        self._y_range[key] = None
        self._fit_y(key)
        self._auto_x = True
        self._x_max = 0.0
        self._set_x_range(self._last_step)
        self._apply_x(self.plots)

    def _shown(self, key: str, y: np.ndarray) -> np.ndarray:
        """Values as the plot draws them: log10 on a log plot (nothing where ≤ 0)."""
        if self.is_log(key):
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(y > 0, np.log10(y), np.nan)
        return y

    def _fit_y(self, key: str) -> None:
        """Fit the y range to the racers that set the scale, and mark the curves it clips.

        A diverged racer never sets it (its values run to ±1e60); neither does one racer far
        larger than the rest (``robust_extent``). Both are drawn up to the plot's edge, where
        a mark says the curve goes on: ✗ for diverged, ▲ or ▼ for out of scale.
        """
        extents: dict[str, tuple[float, float]] = {}
        diverged: dict[str, tuple[float, float]] = {}
        for line, shown in self._shown_y.items():
            name, k, _i = line
            curve = self._curves[line]
            if k != key or not curve.isVisible():
                continue
            if self._status.get(name) == "diverged":
                finite = shown[np.isfinite(shown)]
                if finite.size == 0:
                    continue
                # only if no one else is left: the early part of its run, before it blew up
                lo, hi = np.percentile(finite, [5.0, 60.0])
                target = diverged
            else:
                extent = self._extent.get(line)  # of ``shown`` (found by setData)
                if extent is None:
                    continue
                lo, hi = extent
                target = extents
            old = target.get(name)
            target[name] = (float(lo), float(hi)) if old is None else (min(old[0], lo), max(old[1], hi))
        extent, outliers = robust_extent(extents or diverged, self._selected, log=self.is_log(key))
        if self._auto_y[key] and extent is not None:
            new = fit_range(*extent, self._y_range[key])
            if new is not None:
                self._y_range[key] = new
                self.plots[key].setYRange(*new, padding=0.0)
        self._mark_clipped(key, outliers | (set(diverged) if extents else set()))

    def _mark_clipped(self, key: str, clipped: set[str]) -> None:
        """Cut diverged curves where they leave the plot, leave gaps in out-of-scale ones where
        they are far outside it, and mark where any curve leaves it."""
        self.clipped[key] = clipped
        lo, hi = self.plots[key].vb.viewRange()[1]
        xs, ys, symbols, colors = [], [], [], []
        for line, (x, _y) in self._data.items():
            name, k, _i = line
            if k != key:
                continue
            diverged = self._status.get(name) == "diverged"
            if not (diverged or name in clipped):
                if line in self._gapped:  # back in scale: all its points again
                    self._show_whole(line)
                continue
            shown = self._shown_y[line]
            with np.errstate(invalid="ignore"):
                outside = ~((shown >= lo) & (shown <= hi))
            if not diverged:
                outside &= ~np.isnan(shown)  # a gap (≤ 0 on a log plot) is not a way out
            leaves = np.flatnonzero(outside) if name in clipped else np.zeros(0, dtype=int)
            curve = self._curves[line]
            if leaves.size == 0:
                if diverged or line in self._gapped:
                    self._show_whole(line)  # a wider range shows all it has again
                continue
            j = int(leaves[0])
            up = not shown[j] < lo
            edge = hi - 0.04 * (hi - lo) if up else lo + 0.04 * (hi - lo)
            if diverged:  # its curve ends at the edge: past it are numbers no plot can show
                self._gapped.discard(line)
                cut = shown[: j + 1].copy()
                cut[j] = edge
                curve.setData(x[: j + 1], cut)
            else:
                self._show_gapped(line, outside)
            xs.append(float(x[j]))
            ys.append(edge)
            symbols.append("x" if diverged else ("t1" if up else "t"))
            colors.append(self._colors.get(name) or theme.racer_color(name))
        marks = self.clip_marks[key]
        # the same marks again (a curve leaves at the same step while it plays on): a scatter's
        # setData is ≈ 0.5 ms, and each plot's marks were given at every update
        given = (xs, ys, symbols, colors)
        if (xs or marks.isVisible()) and given != self._marks_at.get(key):
            self._marks_at[key] = given
            brushes = [pg.mkBrush(color) for color in colors]
            marks.setData(x=xs, y=ys, symbol=symbols, brush=brushes, pen=pg.mkPen("#111", width=0.8))
        # an empty scatter item still costs ≈ 0.2 ms of Python at every repaint of its plot
        if marks.isVisible() != bool(xs):
            marks.setVisible(bool(xs))

    def _show_whole(self, line: tuple[str, str, int]) -> None:
        self._gapped.discard(line)
        self._curves[line].setData(self._data[line][0], self._shown_y[line])

    def _show_gapped(self, line: tuple[str, str, int], outside: np.ndarray) -> None:
        """An out-of-scale curve without its points that lie outside the plot between two more
        outside it: what stays runs from inside to the edge and back. A racer running away
        with its sign flipping at every step (SGD with too large an η) went from far above
        to far below the plot and back at every step: drawn whole, its line filled the plot
        as a hatched block over the other racers' curves."""
        inside = ~outside
        beside_inside = np.zeros_like(inside)
        beside_inside[1:] |= inside[:-1]
        beside_inside[:-1] |= inside[1:]
        far = outside & ~beside_inside
        if not far.any():
            if line in self._gapped:
                self._show_whole(line)
            return
        self._gapped.add(line)
        self._curves[line].setData(self._data[line][0], np.where(far, np.nan, self._shown_y[line]))

    def set_racers(
        self,
        names: list[str],
        *,
        without_momentum: Iterable[str] = (),
        labels: dict[str, str] | None = None,
        colors: dict[str, str] | None = None,
    ) -> None:
        """New racers: empty curves, and every plot's range back to a neutral one.

        ``colors``: racer key → colour (else the optimizer's own, for keys that are optimizer ids).

        ``without_momentum``: racers whose rule has no M (SGD, AdaGrad, RMSprop) get no M
        curve at all, not a flat line at 0 that looks like a measured value.
        """
        # curves are kept and emptied, not rebuilt: removing and adding ~60 plot items held the GUI
        # thread ~0.15 s when a new surface (same racers) was raced
        old_curves, self._curves = self._curves, {}
        self._data = {}
        self._shown_y = {}
        self._extent = {}
        self._gapped = set()
        self._status = {}
        self._drawn: dict[tuple[str, str], tuple[int, int]] = {}
        no_m = set(without_momentum)
        self._colors = {n: (colors or {}).get(n) or theme.racer_color(n) for n in names}
        if labels is not None:
            self.set_key(names, labels)
        for name in names:
            color = self._colors[name]
            for key, *_ in ROWS:
                if key == "M" and name in no_m:
                    continue
                weights = (0,) if key == "loss" else (0, 1)
                for i in weights:
                    style = Qt.SolidLine if i == 0 else Qt.DashLine
                    pen = pg.mkPen(color, width=CURVE_WIDTH * self._pen_scale, style=style)
                    curve = old_curves.pop((name, key, i), None)
                    if curve is not None:
                        curve.setData([], [])
                        curve.setPen(pen)
                        curve.setZValue(0)
                    else:
                        # a line of the plot's one PlotLines item: one item per curve cost ~0.1 ms
                        # of pyqtgraph's Python per setData and per paint; data come thinned already
                        curve = self.lines[key].add_line(pen)
                    self._curves[(name, key, i)] = curve
        for (_name, key, _i), curve in old_curves.items():
            self.lines[key].remove_line(curve)
        for lines in self.lines.values():
            lines.fast = self.fast_curves
        for key in self.plots:
            self._auto_y[key] = True
            self._y_range[key] = None
            # nothing from the last race may stay on an axis (Lesson 1 opened on "−2e+60")
            self.plots[key].setYRange(0.0, 1.0, padding=0.0)
            self.clip_marks[key].setData(x=[], y=[])
            self._marks_at.pop(key, None)
            self.clip_marks[key].setVisible(False)
            self.clipped[key] = set()
            if self._linear_fallback[key]:
                self._linear_fallback[key] = False
                self._apply_scale(key)
        self._auto_x = True
        self._x_max = 0.0
        self._set_x_range(1)
        self._apply_x(self.plots)

    def set_key(self, names: list[str], labels: dict[str, str]) -> None:
        """Which colour is which racer, under the plots, and how w1 and w2 differ."""
        self._key = [(self._colors.get(n) or theme.racer_color(n), labels.get(n, n)) for n in names]
        self._layout_key()

    def _layout_key(self) -> None:
        """The key's entries, wrapped at the plots' width: a fixed three a line was wider than
        the plots presenting at 1024 pixels, and the layout then pushed them off the window."""
        # each entry one unit (whole_name): in Persian the entries' samples and names were shuffled
        styles = f"{whole_name('<b>———</b> w1')} &nbsp; {whole_name('<b>- - -</b> w2')} &nbsp;|"
        entries = [(styles, "——— w1   - - - w2  |")] + [
            (
                whole_name(
                    f"<span style='color:{color}'><b>━━</b></span>&nbsp;{whole_name(html.escape(label))}"
                ),
                f"━━ {label}",
            )
            for color, label in self._key
        ]
        if len(entries) == 1:
            self.title.setText("", size=self._key_size)
            return
        font = QFont()
        font.setPointSizeF(float(self._key_size.removesuffix("pt")))
        metrics = QFontMetricsF(font)
        room = max(self.width() - 24, 120)
        lines: list[list[str]] = [[]]
        used = 0.0
        for markup, plain in entries:
            need = metrics.horizontalAdvance(plain + "    ")
            if lines[-1] and used + need > room:
                lines.append([])
                used = 0.0
            lines[-1].append(markup)
            used += need
        self.title.setText("<br>".join(" &nbsp; ".join(line) for line in lines), size=self._key_size)

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        # (Qt resizes it once before __init__ is done, and again while closing: scene cleared)
        if getattr(self, "_key", None) and not getattr(self, "closed", False):
            self._layout_key()

    def set_display_scale(self, scale: float, base: QFont | None = None) -> None:
        """Presentation mode: curves, marks and axis text ``scale`` times their size.

        ``base``: the normal-size font to scale (the window's before presenting: the application
        font is already scaled then, and scaling it again made the axes' text 2.25×).
        """
        self.set_pen_scale(scale)
        normal = QFont(base) if base is not None else QFont()
        font = QFont(normal)
        font.setPointSizeF(normal.pointSizeF() * scale)
        label_font = QFont(normal)  # the rotated row names grow less: they share the axis' width
        label_font.setPointSizeF(normal.pointSizeF() * scale**0.5)
        for plot in self.plots.values():
            for axis in ("left", "bottom"):
                set_axis_fonts(plot.getAxis(axis), font, label_font)
            # presenting, room for the rate's label on two lines beside its ticks
            plot.getAxis("left").setWidth(round(58 * scale) + (40 if scale >= 1.2 else 0))
        self.empty_hint.setFont(label_font)  # "Each step adds a point…": as the row names grow
        self.empty_hint.place()
        # presenting, a plot is ~60 px tall at 768 px: the rate's label, turned on its side, no
        # longer fits in one line and ran into the G plot's
        self._labels["lr"] = ROWS[0][1] if scale < 1.2 else "η/<br>(√G+ε)"
        self._show_label("lr")
        for marks in self.clip_marks.values():
            marks.setSize(11 * scale)
        self._key_size = f"{8 * scale:.0f}pt"
        self._layout_key()

    def set_pen_scale(self, scale: float) -> None:
        """Widen curves for a large export (see ContourView.set_pen_scale)."""
        self._pen_scale = scale
        self.set_selected(self._selected)

    def set_selected(self, name: str | None) -> None:
        changed = name != self._selected
        self._selected = name
        for (racer, _key, i), curve in self._curves.items():
            color = self._colors.get(racer) or theme.racer_color(racer)
            width = (SELECTED_WIDTH if racer == name else CURVE_WIDTH) * self._pen_scale
            style = Qt.SolidLine if i == 0 else Qt.DashLine
            curve.setPen(pg.mkPen(color, width=width, style=style))
            curve.setZValue(10 if racer == name else 0)
        if changed:  # the selected racer always fits its plots
            for key in self.plots:
                self._fit_y(key)

    def update_racers(
        self,
        histories: dict[str, RacerHistory],
        adaptive: dict[str, bool],
        rows: tuple[str, ...] | None = None,
        *,
        stagger: bool = False,
    ) -> None:
        """Give the curves the histories' rows; ``rows`` limits it to some plots.

        Updating two plots a frame in turn (instead of six every few frames) spreads the
        painting: the view repaints only what changed, so no frame carries all six. With
        ``stagger`` (flat out) a step-axis jump also reaches only the plots updated: the plots
        disagree on the axis for a few frames, which at 1× would show as a ripple.
        """
        self._last_step = max((h.last_step for h in histories.values()), default=1)
        at_start = self._last_step == 0
        self.empty_hint.setVisible(at_start)
        if at_start:
            self.empty_hint.place()
        self._set_x_range(self._last_step)
        keys = [key for key, *_ in ROWS if rows is None or key in rows]
        changed: set[str] = set()
        for name, history in histories.items():
            self._status[name] = history.status
            stamp = (len(history), history.last_step)
            todo = [key for key in keys if self._drawn.get((name, key)) != stamp]
            if not todo:
                continue  # nothing new for this racer (paused, converged or diverged)
            changed.update(todo)
            # Row 0 is the start: no step has happened there, so only w and L have a value.
            shown = rows_up_to(history.step, self.step_window)
            with_start = _thin_rows(shown, 0)
            steps_only = _thin_rows(shown, 1)
            for key in todo:
                self._drawn[(name, key)] = stamp
                rows_shown = with_start if key in ("w", "loss") else steps_only
                x = history.step[rows_shown].astype(float)
                if key == "loss":
                    self._set(name, key, 0, x, history.loss[rows_shown])
                    continue
                data = history.vec(key)[rows_shown]
                for i in (0, 1):
                    if key == "G" and not adaptive.get(name, False):
                        self._set(name, key, i, np.zeros(0), np.zeros(0))
                        continue
                    self._set(name, key, i, x, data[:, i])
        if "loss" in changed and self.log_y["loss"]:
            self._check_log_fallback()
        for key in changed:
            self._fit_y(key)
        self._apply_x(keys if stagger else self.plots)

    def _check_log_fallback(self) -> None:
        """A log loss plot shows linear values once any L ≤ 0: log10 would drop those points.

        The label says so ("linear: L ≤ 0"); no curve is ever left out without a word.
        """
        nonpositive = self._nonpositive_loss()
        if nonpositive != self._linear_fallback["loss"]:
            self._linear_fallback["loss"] = nonpositive
            self._apply_scale("loss")

    def _nonpositive_loss(self) -> bool:
        """Whether any loss curve holds a finite value ≤ 0 (which log10 would drop)."""
        return any(
            bool(np.any(y[np.isfinite(y)] <= 0)) for (_n, k, _i), (_x, y) in self._data.items() if k == "loss"
        )

    def _set_x_range(self, last_step: int) -> None:
        """Grow the shared step axis in nice jumps (…, 100, 200, 500, 1000, …).

        A range that changed every frame would repaint every axis every frame, which is
        most of the cost of drawing; jumps keep the axes still between them.
        """
        if not self._auto_x or (last_step <= self._x_max and self._x_max > 0):
            return
        if self.step_window is not None:  # a fixed window: it never grows
            self._x_max = float(self.step_window)
            pad = 0.02 * self._x_max
            self._x_view = (-pad, self._x_max + pad)
            self._x_pending = set(self.plots)
            return
        magnitude = 10 ** math.floor(math.log10(max(last_step, 1)))
        for factor in (1, 2, 5, 10):
            if factor * magnitude >= last_step:
                self._x_max = float(max(factor * magnitude, 10))
                break
        pad = 0.02 * self._x_max
        self._x_view = (-pad, self._x_max + pad)
        self._x_pending = set(self.plots)  # taken up by each plot with its next data

    def _set(self, name: str, key: str, i: int, x: np.ndarray, y: np.ndarray) -> None:
        curve = self._curves.get((name, key, i))
        if curve is None:
            return
        old = self._data.get((name, key, i))
        if old is not None and len(old[0]) == 0 and len(x) == 0:
            return  # empty and staying so (G of a rule without one, at every update): no repaint
        line = (name, key, i)
        self._data[line] = (x, y)
        # what the plot draws, kept for fitting its range and marking clipped curves (_fit_y)
        shown = self._shown_y[line] = self._shown(key, y)
        if line in self._gapped:
            # drawn with gaps: by _mark_clipped, which follows (update_racers, _apply_scale)
            self._extent[line] = finite_extent(shown)
            return
        curve.setData(x, shown)
        self._extent[line] = curve.y_extent()

    def flash(self, key: str, ms: int = 1800) -> None:
        """Tint one plot for a moment: a lesson's "watch this" points the learner at it."""
        vb = self.plots[key].vb
        vb.setBackgroundColor((255, 236, 160, 140))
        QTimer.singleShot(ms, self, lambda: vb.setBackgroundColor(None))  # dies with the view

    def hold_ranges(self) -> None:
        """Keep every plot's current step and value ranges whatever data comes (an animation's axes)."""
        self._auto_x = False
        for key in self.plots:
            self._auto_y[key] = False

    def set_cursor(self, step: int | None) -> None:
        for cursor in self.cursors.values():
            cursor.setVisible(step is not None)
            if step is not None:
                cursor.setValue(step)

    def _clicked(self, event: object) -> None:
        if event.button() != Qt.MouseButton.LeftButton:  # type: ignore[attr-defined]
            return
        pos = event.scenePos()  # type: ignore[attr-defined]
        for plot in self.plots.values():
            if plot.vb.sceneBoundingRect().contains(pos):
                self.step_picked.emit(max(0, round(plot.vb.mapSceneToView(pos).x())))
                return
