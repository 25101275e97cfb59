"""File ▸ "Open CSV…" for a data loss: pick the file, the two columns, the model and (logistic) the class.

The engine reads the file (``engine.datasets.load_table``: bounded, regular files only) and
checks the choice (``engine.data.data_surface``): any ``DataError`` is shown in words under the
form, and the dialog stays open with everything the learner chose, so nothing is lost.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.i18n import translate_message

if TYPE_CHECKING:
    from engine.data import DataSpec
    from engine.datasets import Table

MODELS = ("linear", "logistic")
#: A logistic model's classes are listed only while a column has at most this many distinct values.
MAX_CLASSES = 50


class DataDialog(QDialog):
    """Choose a CSV and what to fit in it; ``spec`` holds the accepted choice."""

    def __init__(self, parent: QWidget | None = None, folder: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("data_dialog")
        self.setWindowTitle(self.tr("Fit a model to a CSV file"))
        self.spec: DataSpec | None = None
        self.table: Table | None = None
        self.path = ""  # the file the table was read from (the table names it shortly, for messages)
        self._folder = folder
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "A table with a header row. Pick the column x the model reads and the column y it "
                "predicts: linear y ≈ w1·x + w2, or logistic p(y = class) = σ(w1·x + w2)."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("data_path")
        self.path_edit.setLayoutDirection(Qt.LeftToRight)
        self.path_edit.editingFinished.connect(self._path_entered)
        browse = QPushButton(self.tr("Browse…"))
        browse.setObjectName("data_browse")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, stretch=1)
        row.addWidget(browse)
        form.addRow(self.tr("File"), row)
        self.model_combo = QComboBox()
        self.model_combo.setObjectName("data_model")
        self.model_combo.addItem(self.tr("linear regression (mean squared error)"), userData="linear")
        self.model_combo.addItem(self.tr("logistic regression (cross-entropy)"), userData="logistic")
        self.model_combo.currentIndexChanged.connect(self._model_changed)
        form.addRow(self.tr("Model"), self.model_combo)
        self.x_combo = QComboBox()
        self.x_combo.setObjectName("data_x")
        form.addRow(self.tr("x (input)"), self.x_combo)
        self.y_combo = QComboBox()
        self.y_combo.setObjectName("data_y")
        self.y_combo.currentIndexChanged.connect(self._fill_classes)
        form.addRow(self.tr("y (target)"), self.y_combo)
        self.positive_combo = QComboBox()
        self.positive_combo.setObjectName("data_positive")
        self.positive_label = QLabel(self.tr("class counted as 1"))
        form.addRow(self.positive_label, self.positive_combo)
        layout.addLayout(form)
        self.error = QLabel()
        self.error.setObjectName("data_error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #B00020;")
        self.error.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._model_changed()
        self._update_ok()
        self.resize(520, self.sizeHint().height())

    # -- choosing ----------------------------------------------------------------------------
    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open CSV"), self._folder, self.tr("CSV tables") + " (*.csv *.txt);;* (*)"
        )
        if path:
            self.open_file(path)

    def _path_entered(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.table is None or text != self.path):
            self.open_file(text)

    def open_file(self, path: str) -> bool:
        """Read ``path``'s columns into the form; a file the engine refuses is said in words."""
        from engine.datasets import DataError, load_table

        self.path_edit.setText(path)
        try:
            table = load_table(str(Path(path).expanduser()))
        except (DataError, ValueError, OSError) as exc:
            self.table = None
            self._show_error(translate_message(exc))
            for combo in (self.x_combo, self.y_combo, self.positive_combo):
                combo.clear()
            self._update_ok()
            return False
        self.table = table
        self.path = path
        self._show_error("")
        numeric = [c for c in table.columns if c in table.numeric]
        keep_x, keep_y = self.x_combo.currentText(), self.y_combo.currentText()
        self.x_combo.clear()
        self.x_combo.addItems(numeric)
        self.y_combo.blockSignals(True)
        self.y_combo.clear()
        self.y_combo.addItems(list(table.columns))
        self.y_combo.blockSignals(False)
        if keep_x in numeric:
            self.x_combo.setCurrentText(keep_x)
        if keep_y in table.columns:
            self.y_combo.setCurrentText(keep_y)
        elif len(numeric) > 1:  # the second numeric column, so x and y differ at first
            self.y_combo.setCurrentText(numeric[1])
        if not numeric:
            self._show_error(self.tr("This file has no numeric column for x."))
        self._fill_classes()
        self._update_ok()
        return True

    def _model_changed(self, *_: object) -> None:
        logistic = self.model_combo.currentData() == "logistic"
        self.positive_combo.setVisible(logistic)
        self.positive_label.setVisible(logistic)
        self._fill_classes()

    def _fill_classes(self, *_: object) -> None:
        """The y column's distinct values (text or numbers), for the class counted as 1."""
        keep = self.positive_combo.currentText()
        self.positive_combo.clear()
        table, column = self.table, self.y_combo.currentText()
        if table is None or not column or self.model_combo.currentData() != "logistic":
            return
        values = classes_of(table, column)
        self.positive_combo.addItems(values[:MAX_CLASSES])
        if keep in values:
            self.positive_combo.setCurrentText(keep)

    def _update_ok(self) -> None:
        usable = self.table is not None and self.x_combo.count() > 0
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(usable)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    # -- accepting ---------------------------------------------------------------------------
    def chosen_spec(self) -> DataSpec:
        """The form as a ``DataSpec`` (the engine validates it); ConfigError if a field is refused."""
        from engine.data import DataSpec

        assert self.table is not None
        logistic = self.model_combo.currentData() == "logistic"
        return DataSpec(
            dataset=str(Path(self.path).expanduser().resolve()),
            model=self.model_combo.currentData(),
            x=self.x_combo.currentText(),
            y=self.y_combo.currentText(),
            positive=self.positive_combo.currentText() if logistic else "",
            sha256=self.table.sha256,
            standardize=True,  # as the built-in presets start (engine.datasets.Preset says why)
        )

    def accept(self) -> None:
        """Keep the dialog open with the engine's message if the choice cannot be fitted."""
        from engine.config import ConfigError
        from engine.data import data_surface

        if self.table is None:
            return
        try:
            spec = self.chosen_spec()
            data_surface(spec)
        except (ConfigError, ValueError, OSError) as exc:
            self._show_error(translate_message(exc))
            return
        self.spec = spec
        super().accept()


def classes_of(table: Any, column: str) -> list[str]:
    """A column's distinct values as the text a ``DataSpec.positive`` names them by, in first-seen order."""
    if column in table.text:
        values = table.text[column]
    else:
        values = tuple(f"{v:g}" for v in table.numeric[column] if v == v)  # NaN (missing) left out
    return list(dict.fromkeys(v for v in values if v != ""))
