"""File ▸ Export… (Ctrl+E): what, format, size and frames; the export runs while the window stays usable.

The dialog takes a snapshot of what the learner sees (``scene_from_window``), so the race
can keep running. The export itself is a progress generator from ``gui.export``: a timer
on the GUI thread advances it one slice (one frame) at a time, encoding and writing run in
a background thread, and a non-modal progress dialog offers Cancel. Errors end in a
message box with the reason, never a traceback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QWidget,
)

from engine.messages import msg
from gui.export import (
    DEFAULT_FPS,
    DEFAULT_FRAMES,
    DEFAULT_SIZE,
    MAX_FRAMES,
    MAX_SIDE,
    MIN_SIDE,
    PACINGS,
    ExportCancelled,
    ExportError,
    iter_export,
    iter_export_widget,
    kind_of,
    mp4_available,
    scene_from_window,
)
from gui.i18n import translate_message

#: (key, label, formats offered) in the order of the "What" list.
CHOICES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("contour", QT_TRANSLATE_NOOP("ExportDialog", "Contour race (image)"), (".png", ".svg")),
    ("panels", QT_TRANSLATE_NOOP("ExportDialog", "Per-weight panels (image)"), (".png", ".svg")),
    ("window", QT_TRANSLATE_NOOP("ExportDialog", "Whole window (image)"), (".png", ".svg")),
    ("animation", QT_TRANSLATE_NOOP("ExportDialog", "Animation of the race"), (".gif", ".mp4")),
    (
        "animation-panels",
        QT_TRANSLATE_NOOP("ExportDialog", "Animation of the per-weight panels"),
        (".gif", ".mp4"),
    ),
    (
        "animation-both",
        QT_TRANSLATE_NOOP("ExportDialog", "Animation of the race and the panels side by side"),
        (".gif", ".mp4"),
    ),
    ("data", QT_TRANSLATE_NOOP("ExportDialog", "Trajectories and configuration (data)"), (".csv", ".json")),
)
FORMAT_NAMES = {
    ".png": QT_TRANSLATE_NOOP("ExportDialog", "PNG image"),
    ".svg": QT_TRANSLATE_NOOP("ExportDialog", "SVG vector image"),
    ".gif": QT_TRANSLATE_NOOP("ExportDialog", "animated GIF"),
    ".mp4": QT_TRANSLATE_NOOP("ExportDialog", "MP4 video (needs the mp4 extra)"),
    ".csv": QT_TRANSLATE_NOOP("ExportDialog", "CSV: every optimizer's steps"),
    ".json": QT_TRANSLATE_NOOP("ExportDialog", "JSON: configuration + trajectories"),
}

#: What each animation choice shows (``gui.export.iter_export_animation``'s ``animate``).
ANIMATE = {"animation": "race", "animation-panels": "panels", "animation-both": "both"}
MAX_STEP = 100_000_000

#: Jobs in flight: kept here so a running export outlives the dialog that started it.
_RUNNING: set[ExportJob] = set()


class ExportJob(QObject):
    """Drives one export generator from a timer, with a progress dialog and Cancel."""

    finished = Signal(str)  # the path written
    failed = Signal(str)  # the message shown
    cancelled = Signal()

    def __init__(
        self, gen: Iterator[tuple[int, int, str]], path: Path, cancel: threading.Event, parent: QWidget
    ) -> None:
        super().__init__(parent)
        self.gen = gen
        self.path = path
        self.cancel_event = cancel
        self.window = parent
        self.result: str | None = None  # "done", "failed" or "cancelled"
        self.message = ""
        self.progress = QProgressDialog(
            self.tr("Exporting {0}…").format(path.name), self.tr("Cancel"), 0, 100, parent
        )
        self.progress.setWindowTitle(self.tr("Export"))
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(400)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.timer = QTimer(self, interval=0)
        self.timer.timeout.connect(self._tick)

    def start(self) -> None:
        _RUNNING.add(self)
        self.progress.setValue(0)
        self.timer.start()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def done(self) -> bool:
        return self.result is not None

    def _tick(self) -> None:
        try:
            if self.cancel_event.is_set() and not self._cancellable():
                self.gen.close()  # type: ignore[attr-defined]
                raise ExportCancelled
            done, total, text = next(self.gen)
        except StopIteration:
            self._end("done")
            self.finished.emit(str(self.path))
            status = getattr(self.window, "statusBar", None)
            if status is not None:
                status().showMessage(self.tr("Exported {0}").format(self.path), 6000)
            return
        except ExportCancelled:
            self._end("cancelled")
            self.cancelled.emit()
            return
        except (ExportError, OSError, ValueError) as exc:
            self._fail(translate_message(exc))
            return
        except Exception as exc:  # a bug: logged with its traceback, the user still gets a message
            logging.getLogger(__name__).exception("export of %s failed", self.path)
            self._fail(
                self.tr("the export stopped unexpectedly ({0}); see the log").format(
                    f"{type(exc).__name__}: {exc}"
                )
            )
            return
        self.progress.setLabelText(self.tr("Exporting {0}: {1}").format(self.path.name, text))
        self.progress.setValue(int(100 * done / max(total, 1)))

    def _fail(self, message: str) -> None:
        self._end("failed", message)
        QMessageBox.warning(self.window, self.tr("Export failed"), message)
        self.failed.emit(message)

    def _cancellable(self) -> bool:
        """Animations check the cancel flag themselves (and clean up); other jobs are closed."""
        return self.path.suffix.lower() in (".gif", ".mp4")

    def _end(self, result: str, message: str = "") -> None:
        self.timer.stop()
        self.result = result
        self.message = message
        self.progress.reset()
        self.progress.hide()
        _RUNNING.discard(self)


class ExportDialog(QDialog):
    """What to export, where, and how big."""

    def __init__(self, main_window: Any) -> None:
        super().__init__(main_window)
        self.main_window = main_window
        self.setWindowTitle(self.tr("Export"))
        self.job: ExportJob | None = None
        self.what_combo = QComboBox()
        for key, label, _formats in CHOICES:
            self.what_combo.addItem(self.tr(label), key)
        self.format_combo = QComboBox()
        self.path_edit = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        self.width_spin = self._spin(MIN_SIDE, MAX_SIDE, DEFAULT_SIZE[0], " px")
        self.height_spin = self._spin(MIN_SIDE, MAX_SIDE, DEFAULT_SIZE[1], " px")
        size_row = QHBoxLayout()
        size_row.addWidget(self.width_spin)
        size_row.addWidget(QLabel("×"))
        size_row.addWidget(self.height_spin)
        self.fps_spin = self._spin(1, 60, DEFAULT_FPS, self.tr(" frames/s"))
        self.frames_spin = self._spin(2, MAX_FRAMES, DEFAULT_FRAMES, self.tr(" frames"))
        self.first_spin = self._spin(0, MAX_STEP, 0, "")
        self.last_spin = self._spin(0, MAX_STEP, 0, "")
        self.last_spin.setSpecialValueText(self.tr("the end"))  # 0: up to the race's last step
        steps_row = QHBoxLayout()
        steps_row.addWidget(self.first_spin)
        steps_row.addWidget(QLabel("…"))
        steps_row.addWidget(self.last_spin)
        self.pacing_combo = QComboBox()
        early, linear = PACINGS
        self.pacing_combo.addItem(self.tr("one frame per step at first, then fewer"), early)
        self.pacing_combo.addItem(self.tr("frames evenly spread"), linear)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555")
        form = QFormLayout(self)
        form.addRow(self.tr("What"), self.what_combo)
        form.addRow(self.tr("Format"), self.format_combo)
        form.addRow(self.tr("File"), path_row)
        form.addRow(self.tr("Size"), size_row)
        form.addRow(self.tr("Frame rate"), self.fps_spin)
        form.addRow(self.tr("Length"), self.frames_spin)
        form.addRow(self.tr("Steps"), steps_row)
        form.addRow(self.tr("Pacing"), self.pacing_combo)
        form.addRow(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.start_export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.what_combo.currentIndexChanged.connect(self._what_changed)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self._what_changed()

    @staticmethod
    def _spin(low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(low, high)
        spin.setValue(value)
        spin.setSuffix(suffix)
        return spin

    # -- choices -------------------------------------------------------------------------
    @property
    def what(self) -> str:
        return str(self.what_combo.currentData())

    def _formats(self) -> tuple[str, ...]:
        return next(f for k, _l, f in CHOICES if k == self.what)

    def _what_changed(self) -> None:
        self.format_combo.blockSignals(True)
        self.format_combo.clear()
        for suffix in self._formats():
            self.format_combo.addItem(f"{suffix}  {self.tr(FORMAT_NAMES[suffix])}", suffix)
        self.format_combo.blockSignals(False)
        animation = self.what in ANIMATE
        for widget in (self.fps_spin, self.frames_spin, self.first_spin, self.last_spin, self.pacing_combo):
            widget.setEnabled(animation)
        sized = self.what != "data"
        self.width_spin.setEnabled(sized)
        self.height_spin.setEnabled(sized)
        notes = {
            "window": self.tr("The window is scaled to fit the size, keeping its shape."),
            **dict.fromkeys(
                ANIMATE,
                self.tr("The first steps get a frame each; a long run is thinned after them.")
                + (
                    ""
                    if mp4_available()
                    else " " + self.tr("MP4 needs the optional mp4 extra; GIF always works.")
                ),
            ),
            "data": self.tr(
                "Numbers exactly as the engine computed them; JSON includes the full configuration."
            ),
        }
        self.note.setText(notes.get(self.what, self.tr("Text and lines scale with the image size.")))
        self._format_changed()

    def _format_changed(self) -> None:
        """Each "What" and format gets its own default name, so switching never reuses the last file."""
        suffix = self.format_combo.currentData()
        if not suffix:
            return
        text = self.path_edit.text().strip()
        folder = Path(text).expanduser().parent if text else self.last_folder()
        self.path_edit.setText(str(free_name(folder, self._default_stem(), suffix)))

    def last_folder(self) -> Path:
        """The folder of the last export (if it still exists), else the home folder."""
        folder = Path(str(self.main_window.settings.value("export_dir", "") or Path.home()))
        return folder if folder.is_dir() else Path.home()

    def _default_stem(self) -> str:
        surface = getattr(self.main_window, "surface", None)
        name = surface.name if surface is not None else "race"
        return {
            "contour": f"{name}-race",
            "panels": f"{name}-panels",
            "window": f"{name}-window",
            "animation": f"{name}-race-animation",
            "animation-panels": f"{name}-panels-animation",
            "animation-both": f"{name}-race-and-panels-animation",
            "data": f"{name}-data",
        }[self.what]

    def set_choice(
        self,
        what: str,
        path: str | Path,
        size: tuple[int, int] | None = None,
        fps: int | None = None,
        frames: int | None = None,
        steps: tuple[int, int | None] | None = None,
        pacing: str | None = None,
    ) -> None:
        """Fill the form (used by tests and scripts); ``steps`` (first, last or None for the end)."""
        self.what_combo.setCurrentIndex(self.what_combo.findData(what))
        suffix = Path(path).suffix.lower()
        index = self.format_combo.findData(suffix)
        if index >= 0:
            self.format_combo.setCurrentIndex(index)
        self.path_edit.setText(str(path))
        if size is not None:
            self.width_spin.setValue(size[0])
            self.height_spin.setValue(size[1])
        if fps is not None:
            self.fps_spin.setValue(fps)
        if frames is not None:
            self.frames_spin.setValue(frames)
        if steps is not None:
            self.first_spin.setValue(steps[0])
            self.last_spin.setValue(steps[1] or 0)
        if pacing is not None:
            self.pacing_combo.setCurrentIndex(self.pacing_combo.findData(pacing))

    def browse(self) -> None:
        suffix = self.format_combo.currentData()
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Export to"),
            self.path_edit.text(),
            f"{self.tr(FORMAT_NAMES[suffix])} (*{suffix})",
            options=QFileDialog.Option.DontConfirmOverwrite,  # Export asks, once, in start_export
        )
        if path:
            self.path_edit.setText(path if Path(path).suffix else path + suffix)

    # -- running -------------------------------------------------------------------------
    def start_export(self) -> ExportJob | None:
        """Validate, ask before replacing a file, start the job (it outlives the dialog), close."""
        path = Path(self.path_edit.text().strip()).expanduser()
        size = (self.width_spin.value(), self.height_spin.value())
        cancel = threading.Event()
        try:
            if not self.path_edit.text().strip():
                raise ExportError(msg("choose a file to export to"))
            kind_of(path, "animation" if self.what in ANIMATE else self.what)
            last = self.last_spin.value() or None
            if last is not None and last <= self.first_spin.value():
                raise ExportError(msg("the last step must come after the first"))
        except (ExportError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), translate_message(exc))
            return None
        if path.exists() and not self.confirm_replace(path):
            return None
        try:
            if self.what == "window":
                gen = iter_export_widget(self.main_window, path, size)
            else:
                gen = iter_export(
                    scene_from_window(self.main_window),
                    path,
                    "animation" if self.what in ANIMATE else self.what,
                    size=size,
                    fps=self.fps_spin.value(),
                    frames=self.frames_spin.value(),
                    cancel=cancel,
                    animate=ANIMATE.get(self.what, "race"),
                    steps_range=(self.first_spin.value(), last),
                    pacing=str(self.pacing_combo.currentData()),
                )
        except (ExportError, ValueError) as exc:
            QMessageBox.warning(self, self.tr("Cannot export"), translate_message(exc))
            return None
        self.main_window.settings.setValue("export_dir", str(path.parent.resolve()))
        self.job = ExportJob(gen, path, cancel, self.main_window)
        self.job.start()
        self.accept()
        return self.job

    def confirm_replace(self, path: Path) -> bool:
        """Replacing a file is the user's choice, asked in words (No is the default)."""
        answer = QMessageBox.question(
            self,
            self.tr("Replace file?"),
            self.tr("{0} already exists in {1}.\nDo you want to replace it?").format(path.name, path.parent),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes


def free_name(folder: Path, stem: str, suffix: str) -> Path:
    """``folder/stem+suffix``, or ``stem-2``, ``stem-3``… when that file exists."""
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists() and n < 1000:
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    return path
