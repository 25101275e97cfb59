"""The Maps panel: which start goes where, which η and β work — for the selected racer, live.

The window hands the panel the race's settings (``set_context``); the panel turns them and its own
choices (kind, axes, grid, colouring) into a ``MapRequest`` for the maps' thread and draws the
pictures that come back. It never runs the engine itself. With "Live" on, a changed setting
recomputes the map after a short pause (a 64² preview first, then the full grid).
A click on a pixel reports that start or setting (``start_chosen`` / ``setting_chosen``).
"""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from engine.optimizers import HYPERPARAMETERS, get_optimizer
from gui.i18n import translate_message
from gui.map_worker import MapRequest, MapWorker
from gui.views.map_view import MapView

GRIDS = (64, 128, 256, 512)
#: How long the settings must stay still before a live map recomputes.
DEBOUNCE_MS = 150
#: Where each hyperparameter's axis starts: ranges a learner can read (log for the scale-free ones).
DEFAULT_AXES = {
    "lr": "lr:1e-4:10:log",
    "alpha": "alpha:0:0.99",
    "beta": "beta:0.5:0.999",
    "eps": "eps:1e-10:1:log",
    "weight_decay": "weight_decay:0:0.5",
    "rho": "rho:0.5:0.999",
    "nu": "nu:0:1",
    "nu2": "nu2:0:1",
    "momentum_decay": "momentum_decay:1e-4:0.1:log",
    "condition": "condition:1:100:log",
}
#: How the surfaces' own parameters are written on an axis.
SURFACE_SYMBOLS = {"condition": "κ"}


class MapPanel(QWidget):
    """Controls, progress and the map; see the module docstring."""

    start_chosen = Signal(float, float)
    setting_chosen = Signal(str, float, str, float)

    def __init__(self, worker: MapWorker | None = None) -> None:
        super().__init__()
        self.worker = worker or MapWorker()
        self._context: dict[str, object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.compute)

        self.kind = QComboBox()
        self.kind.addItem(self.tr("Basin map: where each start ends"), userData="basin")
        self.kind.addItem(self.tr("Hyperparameter map: which settings work"), userData="hyper")
        self.x_param, self.y_param = QComboBox(), QComboBox()
        self.x_range, self.y_range = QLineEdit(), QLineEdit()
        for edit in (self.x_range, self.y_range):
            edit.setToolTip(self.tr("LOW:HIGH, or LOW:HIGH:log for a log axis"))
        self.grid = QComboBox()
        for n in GRIDS:
            self.grid.addItem(f"{n}×{n}", n)
        self.grid.setCurrentIndex(GRIDS.index(256))
        self.color_by = QComboBox()
        self.color_by.addItem(self.tr("by the minimum reached"), userData="basin")
        self.color_by.addItem(self.tr("by the final loss"), userData="loss")
        self.color_by.addItem(self.tr("by the steps to converge"), userData="steps")
        self.live = QCheckBox(self.tr("Live"))
        self.live.setChecked(True)
        self.live.setToolTip(self.tr("Recompute when a setting of the race changes"))
        self.compute_button = QPushButton(self.tr("Compute"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.save_button = QPushButton(self.tr("Save…"))
        self.save_button.setToolTip(self.tr("Save the map as a picture (PNG, SVG) or its numbers (CSV, NPZ)"))
        self.save_button.setEnabled(False)
        self._finished: object | None = None
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.view = MapView()

        # The combos may be narrower than their longest item (elided, whole in the open list),
        # one setting a row and the buttons two by two: at their full widths side by side the
        # dock needed 426 pixels, and opened on a 1024-pixel screen it pushed the window past
        # the screen's edge.
        for combo in (self.kind, self.x_param, self.y_param, self.grid, self.color_by):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(4)
            # … and as wide as the dock lets them be: left "Preferred", they kept those 4
            # characters ("Basin ma") while the labels' column took the rest of the dock
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        for edit in (self.x_range, self.y_range):
            edit.setMinimumWidth(60)
        for button in (self.compute_button, self.cancel_button, self.save_button):
            # the style's 80-pixel floor for a push button, down to the text's width
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 16)
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Map")), 0, 0)
        form.addWidget(self.kind, 0, 1)
        self._x_label, self._y_label = QLabel(self.tr("x axis")), QLabel(self.tr("y axis"))
        for row, (label, combo, edit) in enumerate(
            ((self._x_label, self.x_param, self.x_range), (self._y_label, self.y_param, self.y_range)),
            start=1,
        ):
            axis = QHBoxLayout()
            axis.addWidget(combo, 1)
            axis.addWidget(edit, 1)
            form.addWidget(label, row, 0)
            form.addLayout(axis, row, 1)
        form.addWidget(QLabel(self.tr("Grid")), 3, 0)
        form.addWidget(self.grid, 3, 1)
        form.addWidget(QLabel(self.tr("Colour")), 4, 0)
        form.addWidget(self.color_by, 4, 1)
        form.setColumnStretch(1, 1)
        buttons = QGridLayout()
        buttons.addWidget(self.live, 0, 0)
        buttons.addWidget(self.compute_button, 0, 1)
        buttons.addWidget(self.cancel_button, 1, 0)
        buttons.addWidget(self.save_button, 1, 1)
        buttons.addWidget(self.progress, 2, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.x_param.currentIndexChanged.connect(self._x_param_changed)
        self.y_param.currentIndexChanged.connect(self._y_param_changed)
        for widget in (self.grid, self.color_by):
            widget.currentIndexChanged.connect(self._changed)
        for edit in (self.x_range, self.y_range):
            edit.editingFinished.connect(self._changed)
        self.compute_button.clicked.connect(self.compute)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button.clicked.connect(self.save_dialog)
        self.worker.picture_ready.connect(self._picture)
        self.worker.progress.connect(self._progress)
        self.worker.failed.connect(self._failed)
        self.view.pixel_clicked.connect(self._pixel_clicked)
        self._kind_changed()

    # -- what to map ------------------------------------------------------------------------
    def set_context(
        self,
        *,
        loss: str,
        optimizer: str,
        hyperparameters: dict[str, float],
        start: tuple[float, float],
        view: tuple[float, float, float, float],
        steps: int,
        schedule: str = "constant",
        tol: float = 1e-10,
        surface_params: dict[str, float] | None = None,
    ) -> None:
        """The selected racer's settings and the race's surface (with its own parameters, such
        as the bowl's κ, which a hyperparameter map can also vary), start, view and step limit."""
        new = {
            "surface_params": dict(surface_params or {}),
            "loss": loss,
            "optimizer": optimizer,
            "hyperparameters": dict(hyperparameters),
            "start": tuple(start),
            "view": tuple(view),
            "steps": int(steps),
            "schedule": schedule,
            "tol": float(tol),
        }
        optimizer_changed = self._context is None or (
            self._context["optimizer"],
            self._context["surface_params"].keys(),
        ) != (
            optimizer,
            new["surface_params"].keys(),
        )
        if new == self._context:
            return
        self._context = new
        if optimizer_changed:
            self._fill_params()
        self._changed()

    def _fill_params(self) -> None:
        names = list(get_optimizer(self._context["optimizer"]).defaults) if self._context else ["lr"]
        own = list(self._context["surface_params"]) if self._context else []
        for combo, preferred in ((self.x_param, "lr"), (self.y_param, None)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for name in names:
                combo.addItem(HYPERPARAMETERS[name].symbol, name)
            for name in own:
                combo.addItem(
                    self.tr("{symbol} (of the surface)").format(symbol=SURFACE_SYMBOLS.get(name, name)), name
                )
            names_all = [*names, *own]
            keep = current if current in names_all else preferred
            if combo is self.y_param and keep not in names_all:
                keep = next((n for n in names_all if n != self.x_param.currentData()), None)
            combo.setCurrentIndex(max(0, combo.findData(keep)))
            combo.blockSignals(False)
        self._x_param_changed()
        self._y_param_changed()

    def _x_param_changed(self) -> None:
        name = self.x_param.currentData()
        if name:
            self.x_range.setText(DEFAULT_AXES.get(name, f"{name}:0:1").split(":", 1)[1])
        self._changed()

    def _y_param_changed(self) -> None:
        name = self.y_param.currentData()
        if name:
            self.y_range.setText(DEFAULT_AXES.get(name, f"{name}:0:1").split(":", 1)[1])
        self._changed()

    def _kind_changed(self) -> None:
        hyper = self.kind.currentData() == "hyper"
        for widget in (self._x_label, self._y_label, self.x_param, self.y_param, self.x_range, self.y_range):
            widget.setVisible(hyper)
        # a hyperparameter map is coloured by loss by default, a basin map by basin
        self.color_by.setCurrentIndex(self.color_by.findData("loss" if hyper else "basin"))
        self._changed()

    def _changed(self) -> None:
        if self.live.isChecked() and self._context is not None:
            self._timer.start()

    def request(self) -> MapRequest | None:
        """The map the controls and the context describe, or None with the reason shown."""
        if self._context is None:
            return None
        c = self._context
        kind = self.kind.currentData()
        x_axis = y_axis = ""
        if kind == "hyper":
            x_name, y_name = self.x_param.currentData(), self.y_param.currentData()
            if x_name is None or y_name is None or x_name == y_name:
                self.message.setText(self.tr("Choose two different hyperparameters for the axes."))
                return None
            x_axis = f"{x_name}:{self.x_range.text().strip()}"
            y_axis = f"{y_name}:{self.y_range.text().strip()}"
        return MapRequest(
            loss=str(c["loss"]),
            optimizer=str(c["optimizer"]),
            kind=kind,
            grid=int(self.grid.currentData()),
            steps=int(c["steps"]),  # type: ignore[arg-type]
            start=c["start"],  # type: ignore[arg-type]
            view=c["view"],  # type: ignore[arg-type]
            hyperparameters=c["hyperparameters"],  # type: ignore[arg-type]
            schedule=str(c["schedule"]),
            tol=float(c["tol"]),  # type: ignore[arg-type]
            x_axis=x_axis,
            y_axis=y_axis,
            color_by=self.color_by.currentData(),
            surface_params=c["surface_params"],  # type: ignore[arg-type]
        )

    def compute(self) -> None:
        self._timer.stop()
        request = self.request()
        if request is None:
            return
        self.message.setText("")
        self.cancel_button.setEnabled(True)
        self.save_button.setEnabled(False)
        self._finished = None
        # busy until the first rows come: a map's first block may wait for numba to compile its
        # runner (~20 s on a fresh account), and a bar at 0 % for that long looked stuck
        self.progress.setRange(0, 0)
        self._request = request
        self.worker.request(request)

    def cancel(self) -> None:
        self._timer.stop()
        self.worker.cancel()
        self.progress.setRange(0, 100)
        self.cancel_button.setEnabled(False)
        self.message.setText(self.tr("Cancelled: the rows done so far are shown."))

    # -- what comes back --------------------------------------------------------------------
    def _title(self, result: object) -> str:
        c = self._context or {}
        opt = get_optimizer(str(c.get("optimizer", "sgd")))
        if getattr(result, "kind", "basin") == "basin":
            return self.tr("{optimizer}: where each start ends ({steps} steps)").format(
                optimizer=opt.title, steps=c.get("steps")
            )
        return self.tr("{optimizer} from ({x:.3g}, {y:.3g}): {steps} steps").format(
            optimizer=opt.title, x=c["start"][0], y=c["start"][1], steps=c.get("steps")
        )

    def _picture(self, result: object, picture: object, final: bool) -> None:
        marked = None
        c = self._context or {}
        if getattr(result, "kind", "basin") == "hyper":
            h = {**c.get("surface_params", {}), **c.get("hyperparameters", {})}
            marked = (h.get(result.x.name), h.get(result.y.name))  # type: ignore[attr-defined, union-attr]
            if None in marked or any(not math.isfinite(v) for v in marked):
                marked = None
        else:
            marked = c.get("start")
        self.view.show_map(result, picture, self._title(result), marked)  # type: ignore[arg-type]
        if final:
            self.cancel_button.setEnabled(False)
            self.progress.setRange(0, 100)
            self.progress.setValue(100)
            self._finished = result
            self.save_button.setEnabled(True)

    def _progress(self, rows: int, total: int) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(round(100 * rows / max(total, 1)))

    def _failed(self, problem: object) -> None:
        self.progress.setRange(0, 100)
        self.cancel_button.setEnabled(False)
        self.message.setText(translate_message(problem))

    def _pixel_clicked(self, x: float, y: float) -> None:
        if self.kind.currentData() == "hyper":
            self.setting_chosen.emit(self.x_param.currentData(), x, self.y_param.currentData(), y)
        else:
            self.start_chosen.emit(x, y)

    def save_dialog(self) -> None:
        """Ask where, then save (the dialog asks before replacing a file)."""
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the map"),
            f"{self._finished.kind}-map.png" if self._finished is not None else "map.png",  # type: ignore[attr-defined]
            self.tr("Picture (*.png *.svg);;Numbers (*.csv *.npz)"),
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        """Write the finished map: .png/.svg as drawn, .csv/.npz its numbers. Errors are said in words."""
        from engine.atomic import atomic_write_bytes
        from gui.export import png_bytes, render_image, render_svg

        result = self._finished
        if result is None:
            return False
        suffix = path.suffix.lower()
        try:
            if suffix == ".npz":
                result.save_npz(path)  # type: ignore[attr-defined]
            elif suffix == ".csv":
                atomic_write_bytes(path, result.csv_text().encode())  # type: ignore[attr-defined]
            elif suffix == ".svg":
                atomic_write_bytes(path, render_svg(self.view, self.view.plot.titleLabel.text))
            elif suffix == ".png":
                atomic_write_bytes(path, png_bytes(render_image(self.view, (1600, 1200))))
            else:
                self.message.setText(
                    self.tr("Save as .png, .svg, .csv or .npz, not {name}").format(name=path.name)
                )
                return False
        except OSError as exc:
            self.message.setText(translate_message(exc))
            return False
        self.message.setText(self.tr("Saved {path}").format(path=str(path)))
        return True

    def shutdown(self) -> bool:
        self._timer.stop()
        return self.worker.shutdown()

    def sizeHint(self) -> QSize:
        size = super().sizeHint()
        size.setWidth(max(size.width(), 420))
        return size
