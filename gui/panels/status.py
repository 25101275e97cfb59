"""Status of each racer (step, loss, ‖g‖, running/converged/diverged) and the formula card."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS
from gui import theme
from gui.history import RacerHistory
from gui.i18n import is_rtl, ltr, tr_engine, whole_name

COLUMNS = (
    QT_TRANSLATE_NOOP("StatusTable", "Optimizer"),
    QT_TRANSLATE_NOOP("StatusTable", "Step"),
    QT_TRANSLATE_NOOP("StatusTable", "Loss"),
    "‖g‖",
    QT_TRANSLATE_NOOP("StatusTable", "State"),
)
STATE = len(COLUMNS) - 1
# Characters of a racer's name kept in view before the state column is elided instead: at
# 1024 pixels, "diverged at step 6" at its full width left the names "…". (Not a "#:" comment:
# lupdate gives those to the next translatable string as a note for the translator.)
NAME_MIN_CHARS = 14


def fmt(value: float) -> str:
    """Numbers as a learner reads them: 4 significant digits, scientific when tiny or huge."""
    if not math.isfinite(value):
        return str(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        return f"{value:.3e}"
    return f"{value:.4g}"


def state_text(history: RacerHistory, at_limit: bool, playing: bool) -> tuple[str, str]:
    """(text, colour) of a racer's state: still in the race, it is "running" only while the race
    plays; before its first step it is "ready", stopped after one "paused" (a table saying
    "running" while nothing moves misleads)."""
    if history.status == "diverged":
        return QCoreApplication.translate("StatusTable", "diverged at step {0}").format(
            history.diverged_at
        ), "#B00020"
    if history.status == "converged":
        return QCoreApplication.translate("StatusTable", "converged"), "#1B7837"
    if at_limit:
        return QCoreApplication.translate("StatusTable", "step limit"), "#555555"
    if playing:
        return QCoreApplication.translate("StatusTable", "running"), "#333333"
    if history.last_step == 0:
        return QCoreApplication.translate("StatusTable", "ready"), "#333333"
    return QCoreApplication.translate("StatusTable", "paused"), "#333333"


class StatusTable(QTableWidget):
    """One row per racer; clicking a row selects that racer."""

    racer_clicked = Signal(str)

    def __init__(self, parent: object = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        # the name gives way (elided) on a narrow window, so the numbers and the state stay in
        # view; the state in turn gives way before the name is narrower than NAME_MIN_CHARS
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(STATE, QHeaderView.Fixed)
        header.setStretchLastSection(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # one line a cell: wrapped at its space, "● Momentum (lecture)" was elided to "…"
        self.setWordWrap(False)
        self._names: list[str] = []
        self._states_changed = False
        self.cellClicked.connect(self._cell_clicked)
        header.sectionResized.connect(self._section_resized)

    def _section_resized(self, column: int, _old: int, _new: int) -> None:
        if 0 < column < STATE:  # a number's column grew or shrank with its numbers
            self._fit_state()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._fit_state()

    def _fit_state(self) -> None:
        """The state column as wide as its longest text, unless the name would then keep fewer
        than ``NAME_MIN_CHARS`` characters: then the state is elided (its tooltip has it all)."""
        header = self.horizontalHeader()
        want = max(self.sizeHintForColumn(STATE), header.sectionSizeFromContents(STATE).width())
        numbers = sum(self.columnWidth(c) for c in range(1, STATE))
        room = self.viewport().width() - numbers - self.fontMetrics().averageCharWidth() * NAME_MIN_CHARS
        width = max(min(want, room), header.minimumSectionSize())
        if width != self.columnWidth(STATE):
            header.resizeSection(STATE, width)

    def height_for(self, rows: int) -> int:
        """The height that shows the header and ``rows`` rows without a scroll bar."""
        header = self.horizontalHeader().sizeHint().height()
        return header + rows * self.verticalHeader().defaultSectionSize() + 2 * self.frameWidth()

    def _cell_clicked(self, row: int, _column: int) -> None:
        self.racer_clicked.emit(self._names[row])

    def set_racers(
        self, names: list[str], labels: dict[str, str] | None = None, colors: dict[str, str] | None = None
    ) -> None:
        """One row per racer key, with its label and colour (else its optimizer's title and colour)."""
        self._names = list(names)
        self.setRowCount(len(names))
        for row, name in enumerate(names):
            title = (labels or {}).get(name) or tr_engine(OPTIMIZERS[name].title)
            item = QTableWidgetItem("● " + title)
            item.setToolTip(title)  # the whole name, when a narrow window elides it
            item.setForeground(QColor((colors or {}).get(name) or theme.racer_color(name)))
            self.setItem(row, 0, item)
            for col in range(1, len(COLUMNS)):
                cell = QTableWidgetItem("")
                if col < STATE:
                    cell.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                self.setItem(row, col, cell)

    def update_racers(self, histories: dict[str, RacerHistory], limit: int, playing: bool = False) -> None:
        """The numbers of every racer (and whether the race plays), as one change to the table.

        Each cell's change would otherwise make the table measure its columns again
        (ResizeToContents): with twelve racers that was 0.6 ms a cell, 17 ms a frame.
        """
        model = self.model()
        with QSignalBlocker(model):
            changed = self._set_numbers(histories, limit, playing)
        if changed:
            model.dataChanged.emit(model.index(0, 1), model.index(self.rowCount() - 1, STATE))
        if self._states_changed:
            self._states_changed = False
            self._fit_state()

    def _set_numbers(self, histories: dict[str, RacerHistory], limit: int, playing: bool) -> bool:
        changed = False
        for row, name in enumerate(self._names):
            history = histories.get(name)
            if history is None:
                continue
            g = history.vec("grad")
            last = len(history) - 1
            # ‖g‖ at the current point is the gradient the *next* step will use; the record
            # holds the one each step used, so show the last recorded step's.
            gnorm = float(np.hypot(*g[last])) if last > 0 else math.nan
            text, color = state_text(history, history.last_step >= limit, playing)
            values = (
                f"{history.last_step:,}",
                fmt(float(history.loss[last])),
                fmt(gnorm) if last else "–",
                text,
            )
            for col, value in enumerate(values, start=1):
                item = self.item(row, col)
                if item.text() != value:
                    item.setText(value)
                    if col == STATE:
                        item.setToolTip(value)  # when a narrow table elides it
                        self._states_changed = True
                    changed = True
                if col == STATE and item.foreground().color() != QColor(color):
                    item.setForeground(QColor(color))
                    changed = True
        return changed


def unbroken_formula(formula: str) -> str:
    """A formula that wraps only between its statements ("; " and ", "), never inside one:
    "M̂ = M/" on one line and "(1−αᵗ)" on the next read as a different formula."""
    statements = re.split(r"(?<=[;,])\s+", formula.strip())
    # no break at spaces (non-breaking) nor after "/" (word joiner) inside a statement
    return " ".join(html.escape(st).replace(" ", "\u00a0").replace("/", "/\u2060") for st in statements)


HEIGHT_BAND_PX = 40


class FormulaCard(QLabel):
    """The selected optimizer's update rule in the lecture's notation, and what it means."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.RichText)
        self.setObjectName("formula_card")
        self._band_heights: dict[int, int] = {}
        self._scale = 1.0
        #: Only the heading and the rule (presentation mode: the room reads the rule, and the
        #: plots below need the height at 768 pixels).
        self.compact = False
        #: The optimizers whose cards the held height must fit (those racing; empty: all).
        self._candidates: tuple[str, ...] = ()
        self._shown: tuple[str, dict[str, float], str, str, str] | None = None
        self.set_display_scale(1.0)

    def set_display_scale(self, scale: float, *, compact: bool = False) -> None:
        """Presentation mode: the card's text ``scale`` times its size; ``compact``: the rule only."""
        self._scale = scale
        self.compact = compact
        self._band_heights = {}
        self.setStyleSheet(
            "QLabel#formula_card { background: #fbfaf3; border: 1px solid #d8d4c0; border-radius: 4px;"
            f" padding: 5px; font-size: {10 * scale:.0f}pt; }}"
        )
        if self._shown is not None:
            self.show_optimizer(*self._shown)
        self._hold_height()

    def set_candidates(self, optimizers: Iterable[str]) -> None:
        """Hold the height of the tallest card among these optimizers (the race's), not among
        all 17: the longest rules (AMSGrad, RAdam) took the plots' room in every race."""
        candidates = tuple(sorted(set(optimizers) & set(OPTIMIZERS)))
        if candidates != self._candidates:
            self._candidates = candidates
            self._band_heights = {}
            self._hold_height()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)
        self._hold_height()

    def showEvent(self, event: object) -> None:
        super().showEvent(event)
        self._hold_height()  # the first measure at the width the card is shown at (see below)

    def _hold_height(self) -> None:
        """As tall as the tallest racing optimizer's card at this width: picking another racer
        must not move the plots below up and down.

        Laying out all the cards takes ~20 ms, so heights are kept per 40-pixel band of widths,
        measured at the band's narrow end (the tallest there): a splitter drag stays smooth.
        """
        width = self.width()
        if width <= 0 or not self.isVisible():  # a hidden card's width is not yet its own:
            return  # measuring all 17 cards there cost a window's start ~10 ms for nothing
        band = width // HEIGHT_BAND_PX
        height = self._band_heights.get(band)
        if height is None:
            shown = self.text()
            narrow = max(1, band * HEIGHT_BAND_PX)
            height = 0
            # QLabel's heightForWidth is never below its minimum height: measure without the one
            # held, or the card could only ever grow (it stayed presentation-tall after F11)
            self.setMinimumHeight(0)
            for name in self._candidates or OPTIMIZERS:  # laid out on the card itself: same font and style
                self.setText(self._html(name, dict(OPTIMIZERS[name].defaults), "constant"))
                height = max(height, self.heightForWidth(narrow))
            self.setText(shown)
            self._band_heights[band] = height
        self.setMinimumHeight(height)

    def show_optimizer(
        self, name: str, hyper: dict[str, float], schedule: str, color: str = "", label: str = ""
    ) -> None:
        """The optimizer ``name``'s formula card, headed by the racer's label in its colour."""
        self._shown = (name, dict(hyper), schedule, color, label)
        self.setText(self._html(name, hyper, schedule, color, label))

    def _html(
        self, name: str, hyper: dict[str, float], schedule: str, color: str = "", label: str = ""
    ) -> str:
        opt = OPTIMIZERS[name]
        formula_pt = 11 * self._scale
        color = color or theme.racer_color(name)
        heading = html.escape(label) if label else tr_engine(opt.title)
        # the symbols the rule below is written in (η, α, β, ε), not the parameters' names; a
        # line breaks between two settings, not inside one ("ε =" | "1e-08")
        values = ", ".join(f"{HYPERPARAMETERS[k].symbol}\u00a0=\u00a0{v:g}" for k, v in hyper.items())
        if schedule != "constant":
            values += "; " + self.tr("η schedule {0}").format(schedule)
        # in Persian, the racer's name one unit beside its ● and the settings left to right after
        # it: as one Latin run they read "Adam η=0.05  η = 0.05, … ε = ●", the name far from its dot
        parts = [
            f"<b style='color:{color}'>● {whole_name(heading)}</b> &nbsp;"
            f"<span style='color:#555'>{ltr(values)}</span>",
            f"<div dir='ltr' style='font-size: {formula_pt:.0f}pt'>{unbroken_formula(opt.formula)}</div>",
        ]
        if self.compact:
            parts = [parts[0].split(" &nbsp;")[0], parts[1]]  # the racer and its rule
        elif opt.notes:
            parts.append(f"<i>{tr_engine(opt.notes)}</i>")
        meaning = []
        if opt.g_meaning:
            meaning.append(f"G: {tr_engine(opt.g_meaning)}")
        if opt.m_meaning:
            meaning.append(f"M: {tr_engine(opt.m_meaning)}")
        if meaning and not self.compact:
            parts.append("<span style='color:#444'>" + " · ".join(meaning) + "</span>")
        if not self.compact:
            reference = self.tr("as in {0}").format(tr_engine(opt.reference))
            parts.append(f"<span style='color:#777'>{reference}</span>")
        direction = "rtl" if is_rtl() else "ltr"  # the card's own layout stays LTR for the formulas
        return f"<div dir='{direction}'>" + "<br>".join(parts) + "</div>"
