"""The left column: surface, start point, racers and the selected racer's hyperparameters.

Every edit is validated by the engine's own registry (``Hyperparameter.check``,
``RacerConfig``); a bad value shows its message under the field and changes nothing.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from engine.config import DEFAULT_RACERS, MAX_RACERS, MAX_STEPS, ConfigError, RacerConfig, SessionConfig
from engine.datasets import DATASETS
from engine.losses import LOSSES
from engine.optimizers import HYPERPARAMETERS, OPTIMIZERS
from engine.schedules import KINDS
from gui import theme
from gui.i18n import tr_engine, translate_message
from gui.slots import weak_slot

CUSTOM = "__custom__"
#: The loss picker's entries for data losses: a built-in preset ("data:penguins:0"), the CSV
#: that is racing, and "Open CSV…".
DATA_PREFIX = "data:"
CSV_RACING = "__csv__"
OPEN_CSV = "__open_csv__"
LR_MIN_EXP, LR_MAX_EXP, LR_TICKS = -5.0, 1.0, 600


def _swatch(color: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(QColor(color))
    return QIcon(pix)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #B00020;")
    label.setVisible(False)
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


def _show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def format_number(value: float) -> str:
    """Short, exact-enough text for a hyperparameter field (1e-08, 0.05, 0.999)."""
    return f"{value:.6g}"


def model_name(model: str) -> str:
    """ "linear" or "logistic" in the interface language."""
    from PySide6.QtCore import QCoreApplication

    names = {
        "linear": QCoreApplication.translate("ControlPanel", "linear"),
        "logistic": QCoreApplication.translate("ControlPanel", "logistic"),
    }
    return names.get(model, model)


def preset_title(title: str, preset: object) -> str:
    """ "Palmer penguins: flipper length → body mass (linear)"."""
    return f"{tr_engine(title)}: {tr_engine(preset.title)} ({model_name(preset.model)})"


def csv_title(spec: object) -> str:
    """The racing CSV's entry: its file name and columns."""
    from pathlib import PurePath

    name = PurePath(str(spec.dataset)).name
    target = spec.y + (f" = {spec.positive}" if spec.positive else "")
    return f"{name}: {spec.x} → {target} ({model_name(spec.model)})"


def preset_key(spec: object) -> str:
    """The loss picker's entry of a built-in preset ``spec`` fits ("" for a user's CSV)."""
    dataset = DATASETS.get(str(spec.dataset))
    if dataset is None:
        return ""
    for i, preset in enumerate(dataset.presets):
        if (preset.model, preset.x, preset.y, preset.positive) == (spec.model, spec.x, spec.y, spec.positive):
            return f"{DATA_PREFIX}{dataset.name}:{i}"
    return ""


def preset_spec(key: str) -> object:
    """The DataSpec of a loss picker entry "data:<dataset>:<preset>", standardised as the preset says."""
    from engine.data import DataSpec

    name, _, i = key.removeprefix(DATA_PREFIX).rpartition(":")
    preset = DATASETS[name].presets[int(i)]
    return DataSpec(
        name, preset.model, preset.x, preset.y, standardize=preset.standardize, positive=preset.positive
    )


class NumberField(QLineEdit):
    """A text field for any real number (η = 0.0375 as well as ε = 1e-8)."""

    committed = Signal(float)

    def __init__(self, value: float, parent: QWidget | None = None) -> None:
        super().__init__(format_number(value), parent)
        self.editingFinished.connect(self._commit)
        self.setLayoutDirection(Qt.LeftToRight)  # numbers read left to right in every language
        self.setMaximumWidth(90)

    def _commit(self) -> None:
        try:
            value = float(self.text().strip().replace("−", "-"))
        except ValueError:
            value = math.nan
        self.committed.emit(value)

    def set_value(self, value: float) -> None:
        with QSignalBlocker(self):
            self.setText(format_number(value))


class ControlPanel(QWidget):
    """Edits a ``SessionConfig`` piece by piece; emits what changed."""

    loss_chosen = Signal(str)  # a built-in name or expression text
    data_chosen = Signal(object)  # a DataSpec: a built-in dataset's preset
    csv_requested = Signal()  # "Open CSV…": the window asks for the file and columns
    compile_cancelled = Signal()  # Cancel pressed while a typed loss compiles
    expression_typing = Signal()  # a key typed into the loss field: the compiler can get ready
    loss_param_changed = Signal(str, float)
    start_changed = Signal(float, float)
    start_reset = Signal()
    racer_toggled = Signal(str, bool)  # racer key, racing or sitting out
    racer_selected = Signal(str)  # racer key
    racer_changed = Signal(object)  # RacerConfig (with its key)
    racer_added = Signal(str)  # optimizer id
    racer_duplicated = Signal(str)  # racer key: "race again with…"
    racer_removed = Signal(str)  # racer key
    racer_moved = Signal(str, int)  # racer key, new position
    steps_changed = Signal(int)
    #: The gradient's settings: {"standardize": bool}, {"batch_size": int (0 = full batch)},
    #: {"own_batches": bool}, {"noise": float σ} or {"seed": int}.
    gradient_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._racers: dict[str, RacerConfig] = {}
        self._selected = DEFAULT_RACERS[-1]  # the lecture's Adam: the richest editor and panels
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self._build_surface_box())
        layout.addWidget(self._build_gradient_box())
        layout.addWidget(self._build_start_box())
        layout.addWidget(self._build_racer_box(), stretch=1)
        layout.addWidget(self._build_hyper_box())
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Expanding)

    # -- building -----------------------------------------------------------------------
    def _build_surface_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Loss surface"))
        form = QVBoxLayout(box)
        self.surface_combo = QComboBox()
        self.surface_combo.setObjectName("surface_combo")
        self.surface_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.surface_combo.setMinimumContentsLength(12)
        for name, surface in LOSSES.items():
            self.surface_combo.addItem(tr_engine(surface.title), name)
            self.surface_combo.setItemData(self.surface_combo.count() - 1, surface.formula, Qt.ToolTipRole)
        self.surface_combo.addItem(self.tr("Custom expression…"), CUSTOM)
        self.surface_combo.insertSeparator(self.surface_combo.count())
        for name, dataset in DATASETS.items():
            for i, preset in enumerate(dataset.presets):
                self.surface_combo.addItem(preset_title(dataset.title, preset), f"{DATA_PREFIX}{name}:{i}")
                self.surface_combo.setItemData(
                    self.surface_combo.count() - 1, tr_engine(dataset.credit), Qt.ToolTipRole
                )
        self.surface_combo.addItem(self.tr("Open CSV…"), OPEN_CSV)
        self.surface_combo.setItemData(
            self.surface_combo.count() - 1,
            self.tr("Fit a line or a logistic curve to two columns of your own table"),
            Qt.ToolTipRole,
        )
        self._shown_data: object = None
        self.surface_combo.activated.connect(self._surface_activated)
        form.addWidget(self.surface_combo)
        self.formula_label = QLabel()
        self.formula_label.setWordWrap(True)
        self.formula_label.setStyleSheet("color: #333;")
        form.addWidget(self.formula_label)
        self.expression_edit = QLineEdit()
        self.expression_edit.setObjectName("expression_edit")
        self.expression_edit.setPlaceholderText(self.tr("L(x, y), e.g. x^2 + 10*y^2 — Enter to use"))
        self.expression_edit.setToolTip(
            self.tr(
                "Type a loss in x and y (or w1, w2): + − * / ^, sin cos tan exp log sqrt abs min max "
                "sigmoid softplus relu …, constants pi and e. Press Enter to use it."
            )
        )
        self.expression_edit.returnPressed.connect(self._expression_entered)
        self.expression_edit.textEdited.connect(self.expression_typing)
        form.addWidget(self.expression_edit)
        self.compile_row = QWidget()
        self.compile_row.setObjectName("compile_row")
        row = QHBoxLayout(self.compile_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.compile_label = QLabel(self.tr("compiling…"))
        row.addWidget(self.compile_label, stretch=1)
        self.compile_cancel = QPushButton(self.tr("Cancel"))
        self.compile_cancel.setObjectName("compile_cancel")
        self.compile_cancel.setToolTip(self.tr("Stop compiling this formula; the current surface stays"))
        self.compile_cancel.clicked.connect(self.compile_cancelled)
        row.addWidget(self.compile_cancel)
        self.compile_row.setVisible(False)
        form.addWidget(self.compile_row)
        self.loss_error = _error_label()
        #: The loss the form last showed: a refused formula is kept only while that loss races on.
        self._shown_loss = ""
        #: A formula the learner sent that has not been answered yet (compiled, refused, cancelled).
        self._pending = ""
        self.loss_error.setObjectName("loss_error")
        form.addWidget(self.loss_error)
        self.param_form = QFormLayout()
        form.addLayout(self.param_form)
        self._param_fields: dict[str, QDoubleSpinBox] = {}
        return box

    def _build_gradient_box(self) -> QGroupBox:
        """Standardisation, minibatch size, same or own batches, gradient noise σ and the seed."""
        box = QGroupBox(self.tr("Gradient: minibatches and noise"))
        box.setObjectName("gradient_box")
        form = QFormLayout(box)
        form.setContentsMargins(6, 4, 6, 4)
        self.standardize_check = QCheckBox(self.tr("Standardise features"))
        self.standardize_check.setObjectName("standardize_check")
        self.standardize_check.setToolTip(
            self.tr("Fit on x' = (x − mean)/std instead of x: the narrow valley becomes a round bowl")
        )
        self.standardize_check.toggled.connect(weak_slot(self._gradient_edited, "standardize", signal_args=1))
        form.addRow(self.standardize_check)
        self.batch_spin = QSpinBox()
        self.batch_spin.setObjectName("batch_spin")
        self.batch_spin.setRange(1, 1)
        self.batch_spin.setKeyboardTracking(False)
        self.batch_spin.setLayoutDirection(Qt.LeftToRight)
        self.batch_spin.valueChanged.connect(self._batch_edited)
        self.batch_full_label = QLabel()
        batch_row = QHBoxLayout()
        batch_row.addWidget(self.batch_spin, stretch=1)
        batch_row.addWidget(self.batch_full_label)
        form.addRow(self.tr("Batch size"), batch_row)
        self.batches_combo = QComboBox()
        self.batches_combo.setObjectName("batches_combo")
        self.batches_combo.addItem(self.tr("same batches for every racer"), False)
        self.batches_combo.addItem(self.tr("own batches per racer"), True)
        self.batches_combo.setToolTip(
            self.tr(
                "Same: every racer steps on the same rows at each step, so only the rules differ. "
                "Own: each racer draws its own batches from its own seed."
            )
        )
        self.batches_combo.activated.connect(self._batches_edited)
        form.addRow(self.batches_combo)
        self.noise_field = NumberField(0.0)
        self.noise_field.setObjectName("noise_field")
        self.noise_field.setToolTip(
            self.tr(
                "Add Gaussian noise of this standard deviation to every gradient, on any surface (0: none)"
            )
        )
        self.noise_field.committed.connect(weak_slot(self._gradient_edited, "noise", signal_args=1))
        form.addRow(self.tr("Noise σ"), self.noise_field)
        self.seed_spin = QSpinBox()
        self.seed_spin.setObjectName("seed_spin")
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setKeyboardTracking(False)
        self.seed_spin.setLayoutDirection(Qt.LeftToRight)
        self.seed_spin.setToolTip(self.tr("The same seed gives the same batches and noise, bit for bit"))
        self.seed_spin.valueChanged.connect(weak_slot(self._gradient_edited, "seed", signal_args=1))
        form.addRow(self.tr("Seed"), self.seed_spin)
        self.gradient_error = _error_label()
        self.gradient_error.setObjectName("gradient_error")
        form.addRow(self.gradient_error)
        self._rows = 0
        return box

    def set_gradient(
        self,
        *,
        rows: int,
        standardize: bool,
        batch_size: int,
        own_batches: bool,
        noise: float,
        seed: int,
    ) -> None:
        """Show the race's gradient settings; ``rows`` = 0 when the loss is not fitted to data."""
        self._rows = rows
        data = rows > 0
        with QSignalBlocker(self.standardize_check):
            self.standardize_check.setChecked(standardize and data)
        with QSignalBlocker(self.batch_spin):
            self.batch_spin.setRange(1, max(rows, 1))
            self.batch_spin.setValue(rows if batch_size <= 0 or batch_size > rows else batch_size)
        self._show_full_batch()
        with QSignalBlocker(self.batches_combo):
            self.batches_combo.setCurrentIndex(1 if own_batches else 0)
        self.noise_field.set_value(noise)
        with QSignalBlocker(self.seed_spin):
            self.seed_spin.setValue(seed)
        for widget in (self.standardize_check, self.batch_spin):
            widget.setEnabled(data)
        tip = self.tr("Pick a data loss (the penguins, or a CSV) to fit on minibatches")
        self.standardize_check.setToolTip(
            self.tr("Fit on x' = (x − mean)/std instead of x: the narrow valley becomes a round bowl")
            if data
            else tip
        )
        self.batch_spin.setToolTip(
            self.tr("Rows per step, 1 … {0}; {0} is the full batch: the exact gradient").format(rows)
            if data
            else tip
        )
        _show_error(self.gradient_error, "")

    def show_gradient_error(self, message: str) -> None:
        """Why a gradient setting was refused (an engine message, translated here)."""
        _show_error(self.gradient_error, translate_message(message))

    def _show_full_batch(self) -> None:
        full = self._rows > 0 and self.batch_spin.value() >= self._rows
        self.batch_full_label.setText(
            (self.tr("of {0}: full batch") if full else self.tr("of {0}")).format(self._rows)
            if self._rows
            else ""
        )

    def _batch_edited(self, value: int) -> None:
        self._show_full_batch()
        self._gradient_edited("batch_size", 0 if value >= self._rows else value)

    def _batches_edited(self, index: int) -> None:
        self._gradient_edited("own_batches", bool(self.batches_combo.itemData(index)))

    def _gradient_edited(self, name: str, value: object) -> None:
        if name == "noise" and not (isinstance(value, float) and math.isfinite(value) and value >= 0):
            _show_error(self.gradient_error, self.tr("Noise σ must be a number ≥ 0 (0: no noise)"))
            return
        _show_error(self.gradient_error, "")
        self.gradient_changed.emit({name: value})

    def _build_start_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Start point (or click the contour)"))
        row = QHBoxLayout(box)
        row.setSpacing(4)
        self.start_x = self._coordinate_box("w1")
        self.start_y = self._coordinate_box("w2")
        for label, spin in (("w1", self.start_x), ("w2", self.start_y)):
            row.addWidget(QLabel(label))
            row.addWidget(spin, stretch=1)
        default = QPushButton()
        default.setIcon(self.style().standardIcon(QStyle.SP_BrowserReload))
        default.setToolTip(self.tr("Use the surface's own start point"))
        default.clicked.connect(self.start_reset)
        row.addWidget(default)
        return box

    def _coordinate_box(self, name: str) -> QDoubleSpinBox:
        spin = QDoubleSpinBox()
        spin.setObjectName(f"start_{name}")
        spin.setRange(-1e6, 1e6)
        spin.setDecimals(4)
        spin.setMinimumWidth(70)
        spin.setLayoutDirection(Qt.LeftToRight)
        spin.setSingleStep(0.1)
        spin.setKeyboardTracking(False)
        spin.valueChanged.connect(self._start_edited)
        return spin

    def _build_racer_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Racers (tick to race, click to edit)"))
        layout = QVBoxLayout(box)
        self.racer_list = QListWidget()
        self.racer_list.setObjectName("racer_list")
        self.racer_list.itemChanged.connect(self._racer_item_changed)
        self.racer_list.currentItemChanged.connect(self._racer_current_changed)
        layout.addWidget(self.racer_list)
        buttons = QHBoxLayout()
        buttons.setSpacing(2)
        self.add_button = QToolButton()
        self.add_button.setObjectName("add_racer")
        self.add_button.setText(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add a racer: any optimizer, with its default settings"))
        self.add_button.setPopupMode(QToolButton.InstantPopup)
        self.add_menu = QMenu(self.add_button)
        for opt in OPTIMIZERS.values():
            action = self.add_menu.addAction(_swatch(theme.racer_color(opt.id)), tr_engine(opt.title))
            action.setToolTip(opt.formula)
            action.setData(opt.id)
            action.triggered.connect(weak_slot(self._add_chosen, opt.id))
        self.add_button.setMenu(self.add_menu)
        self.duplicate_button = QToolButton()
        self.duplicate_button.setObjectName("duplicate_racer")
        self.duplicate_button.setText(self.tr("Race again"))
        self.duplicate_button.setToolTip(
            self.tr("Race again with…: a copy of the selected racer, to race with other settings")
        )
        self.duplicate_button.clicked.connect(self._duplicate_selected)
        self.remove_button = QToolButton()
        self.remove_button.setObjectName("remove_racer")
        self.remove_button.setText(self.tr("Remove"))
        self.remove_button.setToolTip(self.tr("Take the selected racer out of the race"))
        self.remove_button.clicked.connect(self._remove_selected)
        self.up_button = QToolButton()
        self.up_button.setObjectName("racer_up")
        self.up_button.setArrowType(Qt.UpArrow)
        self.up_button.setToolTip(self.tr("Move the selected racer up"))
        self.up_button.clicked.connect(weak_slot(self._move_selected, -1))
        self.down_button = QToolButton()
        self.down_button.setObjectName("racer_down")
        self.down_button.setArrowType(Qt.DownArrow)
        self.down_button.setToolTip(self.tr("Move the selected racer down"))
        self.down_button.clicked.connect(weak_slot(self._move_selected, 1))
        for button in (self.add_button, self.duplicate_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        layout.addLayout(buttons)
        self.racer_message = _error_label()
        self.racer_message.setObjectName("racer_message")
        layout.addWidget(self.racer_message)
        steps_row = QHBoxLayout()
        steps_row.addWidget(QLabel(self.tr("Step limit")))
        self.steps_spin = QSpinBox()
        self.steps_spin.setObjectName("steps_spin")
        self.steps_spin.setRange(1, MAX_STEPS)
        self.steps_spin.setSingleStep(100)
        self.steps_spin.setGroupSeparatorShown(True)
        self.steps_spin.setKeyboardTracking(False)
        self.steps_spin.valueChanged.connect(self.steps_changed)
        steps_row.addWidget(self.steps_spin, stretch=1)
        layout.addLayout(steps_row)
        return box

    def _build_hyper_box(self) -> QGroupBox:
        self.hyper_box = QGroupBox()
        outer = QVBoxLayout(self.hyper_box)
        self.hyper_form = QFormLayout()
        outer.addLayout(self.hyper_form)
        self.hyper_error = _error_label()
        self.hyper_error.setObjectName("hyper_error")
        outer.addWidget(self.hyper_error)
        self._hyper_fields: dict[str, NumberField] = {}
        self.lr_slider: QSlider | None = None
        return self.hyper_box

    # -- state in ------------------------------------------------------------------------
    def set_config(
        self,
        config: SessionConfig,
        racers: dict[str, RacerConfig],
        start: tuple[float, float],
        labels: dict[str, str] | None = None,
    ) -> None:
        """Show a configuration: its surface, start, step limit and racers (by key, in order)."""
        self.show_surface_choice(config.loss, config.data)
        # The field is the learner's while the same loss races on: a refresh of that loss (a race
        # reset, a restart) must not write it over a formula being typed, sent or fixed after a
        # refusal. Another loss (a session, a lesson, an accepted formula) replaces text and error.
        # A formula sent and still compiling is the learner's too: the race that was asked for
        # before it (a reset arriving late) shows in the list, not over the field.
        if config.loss != self._shown_loss:
            self.set_loss_error("")
            if config.loss not in LOSSES and self._pending in ("", config.loss):
                self.expression_edit.setText(config.loss)
            self._shown_loss = config.loss
        self.set_start(start)
        with QSignalBlocker(self.steps_spin):
            self.steps_spin.setValue(config.steps)
        self.set_racers(racers, labels)

    def set_racers(self, racers: dict[str, RacerConfig], labels: dict[str, str] | None = None) -> None:
        """The racer list: each racer's colour, label and whether it races; the selection is kept."""
        same_racers = list(racers) == list(self._racers)
        self._racers = dict(racers)
        labels = labels or {}
        if same_racers:  # relabelled (an edit renamed a namesake): the form being edited stays
            with QSignalBlocker(self.racer_list):
                for row, (key, racer) in enumerate(racers.items()):
                    item = self.racer_list.item(row)
                    item.setText(labels.get(key) or tr_engine(OPTIMIZERS[racer.optimizer].title))
                    item.setCheckState(Qt.Checked if racer.enabled else Qt.Unchecked)
            self._update_form_title()
            return
        with QSignalBlocker(self.racer_list):
            self.racer_list.clear()
            for key, racer in racers.items():
                opt = OPTIMIZERS[racer.optimizer]
                item = QListWidgetItem(_swatch(racer.color), labels.get(key) or tr_engine(opt.title))
                item.setData(Qt.UserRole, key)
                item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
                item.setCheckState(Qt.Checked if racer.enabled else Qt.Unchecked)
                item.setToolTip(opt.formula)
                self.racer_list.addItem(item)
        full = len(racers) >= MAX_RACERS
        self.add_button.setEnabled(not full)
        self.duplicate_button.setEnabled(not full and bool(racers))
        self.remove_button.setEnabled(bool(racers))
        full_tip = self.tr("A race holds at most {0} racers: remove one to add another.").format(MAX_RACERS)
        add_tip = self.tr("Add a racer: any optimizer, with its default settings")
        self.add_button.setToolTip(full_tip if full else add_tip)
        if self._selected not in racers and racers:
            self._selected = next(iter(racers))
        self.select_racer(self._selected)

    def show_racer_message(self, message: str) -> None:
        """Why a racer could not be added (or "" to clear); an engine message is translated here."""
        _show_error(self.racer_message, translate_message(message))

    def set_surface_info(self, name: str, formula: str, params: dict[str, float], note: str) -> None:
        self.formula_label.setText(formula + (f"<br><i>{tr_engine(note)}</i>" if note else ""))
        while self.param_form.rowCount():
            self.param_form.removeRow(0)
        self._param_fields = {}
        for pname, value in params.items():
            spin = QDoubleSpinBox()
            spin.setObjectName(f"param_{pname}")
            spin.setRange(1.0 if pname == "condition" else 1e-6, 1e6)
            spin.setDecimals(2)
            spin.setValue(value)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(weak_slot(self._loss_param_edited, pname, signal_args=1))
            self.param_form.addRow(tr_engine(pname.replace("_", " ").capitalize()), spin)
            self._param_fields[pname] = spin

    def show_surface_choice(self, spec: str, data: object = None) -> None:
        """Point the surface list at what is racing (a typed expression shows as custom, a data
        loss as its preset or as the CSV it reads)."""
        self._shown_data = data
        csv_row = self.surface_combo.findData(CSV_RACING)
        if csv_row >= 0:
            self.surface_combo.removeItem(csv_row)
        if data is not None:
            key = preset_key(data)
            index = self.surface_combo.findData(key) if key else -1
            if index < 0:  # a user's CSV: an entry of its own, just above "Open CSV…"
                index = self.surface_combo.findData(OPEN_CSV)
                self.surface_combo.insertItem(index, csv_title(data), CSV_RACING)
                self.surface_combo.setItemData(index, str(data.dataset), Qt.ToolTipRole)
        else:
            index = self.surface_combo.findData(spec if spec in LOSSES else CUSTOM)
        with QSignalBlocker(self.surface_combo):
            self.surface_combo.setCurrentIndex(index)

    def set_compiling(self, compiling: bool) -> None:
        """Show "compiling…" and Cancel under the loss field while a typed loss compiles."""
        self.compile_row.setVisible(compiling)
        if not compiling:  # answered: built, refused or cancelled
            self._pending = ""
        if compiling:
            self.compile_cancel.setEnabled(True)
            self.set_loss_error("")

    def set_loss_error(self, message: str) -> None:
        """Show ``message`` under the loss field; an engine message is translated here."""
        _show_error(self.loss_error, translate_message(message))

    def set_start(self, start: tuple[float, float]) -> None:
        for spin, value in ((self.start_x, start[0]), (self.start_y, start[1])):
            with QSignalBlocker(spin):
                spin.setValue(value)

    def select_racer(self, name: str) -> None:
        self._selected = name  # kept when the racers come later (remembered settings)
        if name not in self._racers:
            self._hide_hyper_form()
            return
        for row in range(self.racer_list.count()):
            item = self.racer_list.item(row)
            if item.data(Qt.UserRole) == name:
                with QSignalBlocker(self.racer_list):
                    self.racer_list.setCurrentItem(item)
        self._rebuild_hyper_form()

    @property
    def selected(self) -> str:
        return self._selected

    # -- events ---------------------------------------------------------------------------
    def _surface_activated(self, index: int) -> None:
        name = self.surface_combo.itemData(index)
        if name == OPEN_CSV:
            self.csv_requested.emit()
            return
        if name == CSV_RACING:
            return  # the CSV that races already
        if isinstance(name, str) and name.startswith(DATA_PREFIX):
            self.data_chosen.emit(preset_spec(name))
            return
        if name == CUSTOM:
            self.expression_edit.setFocus()
            if self.expression_edit.text().strip():
                self._pending = self.expression_edit.text()
                self.loss_chosen.emit(self.expression_edit.text())
            return
        self._pending = ""
        self.loss_chosen.emit(name)

    def _expression_entered(self) -> None:
        text = self.expression_edit.text().strip()
        if not text:
            self.set_loss_error(self.tr("Type a loss in x and y first, e.g. x^2 + 10*y^2"))
            return
        self._pending = text
        self.loss_chosen.emit(text)

    def _racer_item_changed(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.UserRole)
        enabled = item.checkState() == Qt.Checked
        self._racers[name] = self._racers[name].with_values(enabled=enabled)
        self.racer_toggled.emit(name, enabled)

    def _add_chosen(self, optimizer: str) -> None:
        self.racer_added.emit(optimizer)

    def _duplicate_selected(self) -> None:
        if self._selected in self._racers:
            self.racer_duplicated.emit(self._selected)

    def _remove_selected(self) -> None:
        if self._selected in self._racers:
            self.racer_removed.emit(self._selected)

    def _move_selected(self, delta: int) -> None:
        keys = list(self._racers)
        if self._selected in keys:
            index = keys.index(self._selected) + delta
            if 0 <= index < len(keys):
                self.racer_moved.emit(self._selected, index)

    def _update_form_title(self) -> None:
        racer = self._racers.get(self._selected)
        if racer is None:
            return
        item = self.racer_list.currentItem()
        title = item.text() if item is not None else tr_engine(OPTIMIZERS[racer.optimizer].title)
        self.hyper_box.setTitle(self.tr("{0}: hyperparameters").format(title))

    def _hide_hyper_form(self) -> None:
        while self.hyper_form.rowCount():
            self.hyper_form.removeRow(0)
        self._hyper_fields = {}
        self.hyper_box.setTitle(self.tr("Add a racer to race"))

    def _racer_current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        if current is not None:
            name = current.data(Qt.UserRole)
            self.select_racer(name)
            self.racer_selected.emit(name)

    def _rebuild_hyper_form(self) -> None:
        racer = self._racers.get(self._selected)
        if racer is None:
            return
        self._update_form_title()
        while self.hyper_form.rowCount():
            self.hyper_form.removeRow(0)
        self._hyper_fields = {}
        _show_error(self.hyper_error, "")
        for name, value in racer.hyperparameters.items():
            h = HYPERPARAMETERS[name]
            field = NumberField(value)
            field.setObjectName(f"hyper_{name}")
            field.setToolTip(self.tr("{0}; allowed: {1}").format(tr_engine(h.description), h.range_text()))
            field.committed.connect(weak_slot(self._hyper_edited, name, signal_args=1))
            self._hyper_fields[name] = field
            if name == "lr":
                row = QHBoxLayout()
                self.lr_slider = QSlider(Qt.Horizontal)
                self.lr_slider.setObjectName("lr_slider")
                self.lr_slider.setRange(0, LR_TICKS)
                self.lr_slider.setToolTip(self.tr("η on a log scale, 1e-5 … 10; type any value in the field"))
                self._set_lr_slider(value)
                self.lr_slider.valueChanged.connect(self._lr_slid)
                row.addWidget(field)
                row.addWidget(self.lr_slider, stretch=1)
                self.hyper_form.addRow(f"{h.symbol}  {name}", row)
            else:
                self.hyper_form.addRow(f"{h.symbol}  {name}", field)
        self.schedule_combo = QComboBox()
        self.schedule_combo.setObjectName("schedule_combo")
        for kind, spec in KINDS.items():
            self.schedule_combo.addItem(kind, kind)
            self.schedule_combo.setItemData(self.schedule_combo.count() - 1, spec.formula, Qt.ToolTipRole)
        kind, _, params = racer.schedule.partition(":")
        self.schedule_combo.setCurrentIndex(self.schedule_combo.findData(kind))
        self.schedule_params = QLineEdit(params)
        self.schedule_params.setObjectName("schedule_params")
        self.schedule_params.setPlaceholderText(self.tr("defaults"))
        self.schedule_params.setToolTip(KINDS[kind].formula)
        self.schedule_combo.activated.connect(weak_slot(self._schedule_edited, True))
        self.schedule_params.editingFinished.connect(self._schedule_edited)
        row = QHBoxLayout()
        row.addWidget(self.schedule_combo)
        row.addWidget(self.schedule_params, stretch=1)
        self.hyper_form.addRow(self.tr("η schedule"), row)

    def _set_lr_slider(self, lr: float) -> None:
        if self.lr_slider is None:
            return
        pos = (math.log10(lr) - LR_MIN_EXP) / (LR_MAX_EXP - LR_MIN_EXP) * LR_TICKS
        with QSignalBlocker(self.lr_slider):
            self.lr_slider.setValue(round(min(max(pos, 0), LR_TICKS)))

    def _start_edited(self) -> None:
        self.start_changed.emit(self.start_x.value(), self.start_y.value())

    def _loss_param_edited(self, name: str, value: float) -> None:
        self.loss_param_changed.emit(name, value)

    def _lr_slid(self, pos: int) -> None:
        lr = float(f"{10 ** (LR_MIN_EXP + (LR_MAX_EXP - LR_MIN_EXP) * pos / LR_TICKS):.3g}")
        self._hyper_fields["lr"].set_value(lr)
        self._apply(self._selected, {"lr": lr})

    def _hyper_edited(self, name: str, value: float) -> None:
        if name == "lr" and math.isfinite(value) and value > 0:
            self._set_lr_slider(value)
        self._apply(self._selected, {name: value})

    def _schedule_edited(self, reset_params: bool = False) -> None:
        kind = self.schedule_combo.currentData()
        if reset_params:
            self.schedule_params.setText("")
        self.schedule_params.setToolTip(KINDS[kind].formula)
        params = self.schedule_params.text().strip()
        self._apply(self._selected, {"schedule": kind + (":" + params if params else "")})

    def _apply(self, name: str, changes: dict[str, object]) -> None:
        try:
            racer = self._racers[name].with_values(**changes)
        except (ConfigError, ValueError) as exc:
            _show_error(self.hyper_error, translate_message(exc))
            return
        _show_error(self.hyper_error, "")
        self._racers[name] = racer
        self.racer_changed.emit(racer)
