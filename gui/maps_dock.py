"""The Maps panel as a dock of the main window, kept in step with the race.

The window gives it a function that says what to map now (the selected racer's optimizer and
settings, the surface and its parameters, the start, the view, the step limit) and calls
``refresh`` whenever any of those may have changed; the dock only passes the context on while it is
shown, so a hidden map costs nothing. Clicks on the map come back as ``start_chosen`` and
``setting_chosen`` for the window to act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

from gui.panels.map_panel import MapPanel

#: The narrowest the Maps dock is docked at; with less room it opens as a window of this size.
DOCKED_WIDTH = 360
FLOATING_SIZE = (460, 640)


class MapsDock(QDockWidget):
    def __init__(self, window: QMainWindow, context: Callable[[], dict[str, Any] | None]) -> None:
        super().__init__(window.tr("Maps"), window)
        self.setObjectName("maps")
        self._context = context
        self._sized = False
        self.panel = MapPanel()
        self.setWidget(self.panel)
        self.setAllowedAreas(Qt.RightDockWidgetArea | Qt.BottomDockWidgetArea | Qt.LeftDockWidgetArea)
        window.addDockWidget(Qt.RightDockWidgetArea, self)
        self.hide()
        self.visibilityChanged.connect(self._shown)
        self.start_chosen = self.panel.start_chosen
        self.setting_chosen = self.panel.setting_chosen

    def _shown(self, visible: bool) -> None:
        if visible:
            if not self._sized:
                self._sized = True
                self._first_size()
            self.refresh()

    def _first_size(self) -> None:
        """A third of the window at first, so the race keeps its room; where the race leaves the
        dock less than ``DOCKED_WIDTH`` (a 1024-pixel screen left it ~190), a window of its own
        beside the race: docked, the map, its title and its key were cut off at the screen's edge."""
        window = self.parentWidget()
        room = window.width() - window.centralWidget().minimumSizeHint().width()
        if room >= DOCKED_WIDTH or self.isFloating():
            window.resizeDocks([self], [max(DOCKED_WIDTH, window.width() // 3)], Qt.Horizontal)
            return
        self.setFloating(True)
        frame = window.frameGeometry()
        width = min(FLOATING_SIZE[0], frame.width())
        height = min(FLOATING_SIZE[1], frame.height())
        self.setGeometry(frame.right() - width, frame.top() + (frame.height() - height) // 2, width, height)

    def refresh(self, *_args: object) -> None:
        """Hand the race's current settings to the panel (it recomputes if Live and they changed)."""
        if not self.isVisible():
            return
        context = self._context()
        if context is not None:
            self.panel.set_context(**context)

    def show_map(self, kind: str, grid: int, color: str, x: str = "", y: str = "") -> None:
        """Open with these settings (a lesson's map): the kind, grid, colouring and axes."""
        p = self.panel
        p.kind.setCurrentIndex(p.kind.findData(kind))
        p.grid.setCurrentIndex(p.grid.findData(grid))
        self.show()
        self.raise_()
        self.refresh()
        if kind == "hyper":
            for combo, edit, text in ((p.x_param, p.x_range, x), (p.y_param, p.y_range, y)):
                name, _, rest = text.partition(":")
                combo.setCurrentIndex(combo.findData(name))
                edit.setText(rest)
        p.color_by.setCurrentIndex(p.color_by.findData(color))
        p.compute()

    def shutdown(self) -> bool:
        return self.panel.shutdown()
