"""Session files from the window's File menu: open, save, and the list of recent sessions.

The window wires its actions here; what a session races is the window's to apply
(``MainWindow._apply_session``). Texts keep the window's translation context, so the
translations made for the menu's dialogs still apply.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox

from engine.session import SUFFIX, SessionError, load_session, save_session
from gui.i18n import translate_message
from gui.settings import remembered_json
from gui.slots import weak_slot

if TYPE_CHECKING:
    from gui.main_window import MainWindow

# Sessions listed under File ▸ Open recent.
MAX_RECENT = 8


class SessionFiles:
    """Opens and saves the window's race as a session file; keeps the recent list in the settings."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        # The file last opened or saved: Save offers it again.
        self.path: Path | None = None

    def open_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window,
            QCoreApplication.translate("MainWindow", "Open session"),
            str(self.folder()),
            QCoreApplication.translate("MainWindow", "Optimizer Lab sessions") + f" (*{SUFFIX} *.json)",
        )
        if path:
            self.open(Path(path))

    def open(self, path: Path) -> bool:
        """Load a session; on any problem say what is wrong and keep the current one."""
        window = self.window
        try:
            config = load_session(path)
        except SessionError as exc:
            text = translate_message(exc)
            if str(path) in self.recent():  # a remembered file that no longer works is dropped
                window.settings.setValue("recent", json.dumps([p for p in self.recent() if p != str(path)]))
                self.refresh_menu()
                text += "\n\n" + QCoreApplication.translate(
                    "MainWindow", "It was removed from the recent sessions."
                )
            QMessageBox.warning(window, QCoreApplication.translate("MainWindow", "Cannot open session"), text)
            return False
        window._apply_session(config)
        self.path = path
        self.add_recent(path)
        window.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Opened {0}").format(path.name), 4000
        )
        return True

    def save_dialog(self) -> None:
        default = self.path or (self.folder() / f"race{SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(
            self.window,
            QCoreApplication.translate("MainWindow", "Save session"),
            str(default),
            QCoreApplication.translate("MainWindow", "Optimizer Lab sessions") + f" (*{SUFFIX})",
        )
        if path:
            self.save(Path(path))

    def save(self, path: Path) -> bool:
        """Write the race as it is (its racers at the start and the edits since), atomically."""
        window = self.window
        config = replace(window.config, start=window.config.start or window.start_point)
        try:
            save_session(config, path)
        except SessionError as exc:
            QMessageBox.warning(
                window,
                QCoreApplication.translate("MainWindow", "Cannot save session"),
                translate_message(exc),
            )
            return False
        self.path = path
        self.add_recent(path)
        window.statusBar().showMessage(
            QCoreApplication.translate("MainWindow", "Saved {0}").format(path), 4000
        )
        return True

    def folder(self) -> Path:
        """Where the dialogs open: the folder of the last session opened or saved."""
        return Path(str(self.window.settings.value("session_dir", str(Path.home()))))

    def add_recent(self, path: Path) -> None:
        settings = self.window.settings
        recent = [str(path)] + [p for p in self.recent() if p != str(path)]
        settings.setValue("recent", json.dumps(recent[:MAX_RECENT]))
        settings.setValue("session_dir", str(path.parent))
        self.refresh_menu()

    def recent(self) -> list[str]:
        """The recent sessions' paths, newest first (a damaged setting reads as none)."""
        try:
            value = remembered_json(self.window.settings, "recent", [])
        except ValueError:
            return []
        return [p for p in value if isinstance(p, str)] if isinstance(value, list) else []

    def refresh_menu(self) -> None:
        menu = self.window.recent_menu
        menu.clear()
        for item in self.recent():
            action = menu.addAction(item)
            action.triggered.connect(weak_slot(self.open, Path(item)))
        menu.setEnabled(bool(self.recent()))
