"""The data view as a dock of the main window (View ▸ Data): the table and the selected racer's model.

The window hands it the race's data problem when a surface is ready and, at each redraw while it
is shown, the selected racer's weights at the step on screen and the rows that step's minibatch
used. The model's curve comes from the engine (``DataProblem.predict``); the view only draws it.
A hidden dock costs nothing.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from gui.views.data_view import DataView

CURVE_POINTS = 200


class DataDock(QDockWidget):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window.tr("Data"), window)
        self.setObjectName("data")
        self.view = DataView()
        self.setWidget(self.view)
        self.setAllowedAreas(Qt.RightDockWidgetArea | Qt.BottomDockWidgetArea | Qt.LeftDockWidgetArea)
        window.addDockWidget(Qt.RightDockWidgetArea, self)
        self.hide()
        self._sized = False
        self.visibilityChanged.connect(self._first_show)
        self.problem: Any = None
        self._labels = ("", "")
        self._xs = np.zeros(0)
        self._drawn: tuple[float, float, str] | None = None
        self._no_data = window.tr(
            "Pick a data loss (the penguins, or a CSV) to see the data and the fitted model."
        )
        self.view.clear_data(self._no_data)

    def _first_show(self, visible: bool) -> None:
        # a fifth of the window: it opens with every data loss now, and at a quarter the contour
        # (the race) was left 270 of 1366 pixels
        if visible and not self._sized:
            self._sized = True
            window = self.parentWidget()
            window.resizeDocks([self], [max(260, window.width() // 5)], Qt.Horizontal)

    def set_problem(self, problem: Any, x_label: str, y_label: str) -> None:
        """The race's data (``Surface.data``) as the model fits it (standardised if asked), or None
        when the loss is a formula.

        The same problem again (the contour regridded after a zoom or a new surface's first view)
        keeps what is drawn: starting over would clear the model's line, and a paused race sends
        no new weights to draw it again.
        """
        if problem is not None and problem is self.problem and (x_label, y_label) == self._labels:
            return
        self._labels = (x_label, y_label)
        self.problem = problem
        self._drawn = None
        if problem is None:
            self.view.clear_data(self._no_data)
            return
        logistic = problem.spec.model == "logistic"
        self.view.set_data(problem.X, problem.Y, x_label, y_label, logistic=logistic)
        self._xs = self.view.x_range(CURVE_POINTS)

    def show_model(
        self, w: tuple[float, float] | None, color: str, rows: np.ndarray | None, *, diverged: bool = False
    ) -> None:
        """The model with weights ``w`` over the data, ``rows`` (the step's minibatch) ringed.

        ``diverged``: ``w`` is a diverged racer's last row. Its weights are still finite (1e140),
        and their line, far off the plot, read as "the model's line is above the data"; the view
        says the weights diverged and draws no line.
        """
        if self.problem is None or not self.isVisible():
            return
        if w is None:
            self.view.set_model(None, None)
            self.view.set_batch(None)
            return
        if diverged:
            self._drawn = None
            self.view.set_model(self._xs, np.full(len(self._xs), np.nan), color)
            self.view.set_batch(rows)
            return
        key = (float(w[0]), float(w[1]), color)
        if key != self._drawn:  # the curve costs a predict: only when the weights moved
            self._drawn = key
            ys = self.problem.predict(key[0], key[1], self._xs)
            self.view.set_model(self._xs, ys, color)
        self.view.set_batch(rows)
