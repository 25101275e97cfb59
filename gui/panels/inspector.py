"""The step inspector and the timeline: one step of one optimizer, its formula filled in.

The numbers come from ``engine.explain``, which substitutes the engine's recorded
values into the update rule; this panel only lays them out.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QTextBrowser, QWidget

from gui import theme
from gui.i18n import tr_engine, translate_message

if TYPE_CHECKING:
    from gui.history import RacerHistory


class Inspector(QTextBrowser):
    """Shows ``explain_step`` for the selected optimizer at the timeline's step."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inspector")
        self.setOpenLinks(False)
        self.setMinimumHeight(110)
        self.shown: tuple[str, int] | None = None
        self.setStyleSheet("QTextBrowser#inspector { background: #fcfcfa; font-size: 10pt; }")
        self.setPlaceholderText(self.tr("Click or hover a step on a trail or a plot to see its numbers."))

    def show_step(
        self,
        name: str,
        hyper: dict[str, float],
        schedule: str,
        history: RacerHistory,
        row: int,
        color: str = "",
        label: str = "",
        gradient_note: str = "",
    ) -> None:
        """Step ``row`` of optimizer ``name``'s record, explained with the settings in force then.

        ``gradient_note`` says what the step's g was computed on (its minibatch, the noise added).
        """
        from engine.explain import explain_step, rows_of
        from engine.optimizers import OPTIMIZERS

        rows = rows_of(history)
        row = min(max(row, 0), len(history) - 1)
        self.shown = (name, int(history.step[row]))  # which racer and step the text explains
        try:
            ex = explain_step(name, hyper, schedule, rows, row)
        except ValueError as exc:
            self.setHtml(f"<i>{html.escape(translate_message(exc))}</i>")
            return
        color = color or theme.racer_color(name)
        title = translate_message(ex.title)
        # which racer, when its label says more than the optimizer's name ("RMSprop β=0.5");
        # the name alone read twice: "AdaGrad — AdaGrad، گام 8"
        if label and label != tr_engine(OPTIMIZERS[name].title):
            title = f"{label} — {title}"
        parts = [f"<b style='color:{color}'>● {html.escape(title)}</b>"]
        gap = int(history.step[row] - history.step[row - 1]) if row > 0 else 1
        if gap > 1:  # a thinned stretch of the record (the step looked at is made exact on demand)
            parts.append(
                "<span style='color:#777'>"
                + html.escape(self.tr("(long run: every {0}th step is kept)").format(gap))
                + "</span>"
            )
        if gradient_note:
            parts.append(f"<div style='margin-top:2px; color:#5a3d00'>{html.escape(gradient_note)}</div>")
        if ex.shared_lines:
            shared = "<br>".join(html.escape(translate_message(line)) for line in ex.shared_lines)
            parts.append(f"<div dir='ltr' style='margin-top:4px; color:#444'>{shared}</div>")
        for i, lines in enumerate(ex.lines_by_weight):
            if not lines:
                continue
            body = "<br>".join(html.escape(translate_message(line)) for line in lines)
            parts.append(f"<div dir='ltr' style='margin-top:4px'><b>w{'₁₂'[i]}</b><br>{body}</div>")
        for note in ex.notes:
            parts.append(f"<div style='color:#8a5a00'>{html.escape(translate_message(note))}</div>")
        if ex.summary:
            summary = html.escape(translate_message(ex.summary))
            parts.append(f"<div style='margin-top:4px; color:#0b5394'>{summary}</div>")
        self.setHtml("".join(parts))


class Timeline(QWidget):
    """A scrubber over the recorded steps; 'Live' follows the newest step."""

    cursor_changed = Signal(object)  # int step, or None for live

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        self.label = QLabel(self.tr("Timeline"))
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setObjectName("timeline_slider")
        self.slider.setRange(0, 0)
        self.slider.setToolTip(
            self.tr("Drag to see every optimizer at the same step (← / Shift+→ move by one)")
        )
        self.step_label = QLabel("0")
        self.step_label.setMinimumWidth(120)
        self.live_button = QPushButton(self.tr("Live"))
        self.live_button.setObjectName("timeline_live")
        self.live_button.setCheckable(True)
        self.live_button.setChecked(True)
        self.live_button.setToolTip(self.tr("Follow the newest step"))
        for widget in (self.label, self.slider, self.step_label, self.live_button):
            layout.addWidget(widget, stretch=1 if widget is self.slider else 0)
        self.slider.valueChanged.connect(self._moved)
        self.live_button.toggled.connect(self._live_toggled)
        self._syncing = False

    @property
    def cursor(self) -> int | None:
        return None if self.live_button.isChecked() else self.slider.value()

    def set_maximum(self, last_step: int) -> None:
        """Called at redraw: extend the range; in live mode, follow the end."""
        self._syncing = True
        self.slider.setMaximum(last_step)
        if self.live_button.isChecked():
            self.slider.setValue(last_step)
        self._syncing = False
        self._update_label()

    def set_cursor(self, step: int | None) -> None:
        if step is None:
            self.live_button.setChecked(True)
            return
        self._syncing = True
        self.live_button.setChecked(False)
        self.slider.setValue(step)
        self._syncing = False
        self._update_label()
        self.cursor_changed.emit(self.slider.value())

    def nudge(self, delta: int) -> None:
        self.set_cursor(min(max(self.slider.value() + delta, 0), self.slider.maximum()))

    def _moved(self, value: int) -> None:
        if self._syncing:
            return
        self.live_button.setChecked(value >= self.slider.maximum() and self.live_button.isChecked())
        if not self.live_button.isChecked():
            self.cursor_changed.emit(value)
        self._update_label()

    def _live_toggled(self, live: bool) -> None:
        if live:
            self._syncing = True
            self.slider.setValue(self.slider.maximum())
            self._syncing = False
            self.cursor_changed.emit(None)
        self._update_label()

    def _update_label(self) -> None:
        self.step_label.setText(
            self.tr("step {0} / {1}").format(f"{self.slider.value():,}", f"{self.slider.maximum():,}")
        )
