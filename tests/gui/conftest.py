"""A main window with isolated settings, its engine loaded and the first race set up."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from gui.main_window import MainWindow

ENGINE_TIMEOUT_MS = 120_000  # a cold numba cache compiles the kernels on first use


def shown(qtbot, widget, size: tuple[int, int]):
    """``widget`` on screen at ``size``, closed and deleted after the test."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    return widget


@pytest.fixture
def isolated_settings(tmp_path) -> Iterator[None]:
    QCoreApplication.setOrganizationName("optimizer-lab-tests")
    QCoreApplication.setApplicationName("Optimizer Lab tests")
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(tmp_path / "settings"))
    yield


@pytest.fixture
def window(qtbot, isolated_settings) -> Iterator[MainWindow]:
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()
    yield w
    w.close()
    assert w.worker.wait(5000)
