"""Help → About shows the versions and paths someone fixing a lab machine asks for."""

from __future__ import annotations

from importlib.metadata import version

import numpy
import pytest
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

import main
from engine._cache import CACHE_DIR
from gui import about, crash


def test_about_lists_versions_cache_and_log(qtbot, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("OPTIMIZER_LAB_LOG_DIR", str(tmp_path))
    seen: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: seen.append(box) or 0)
    parent = QWidget()
    qtbot.addWidget(parent)

    box = about.show_about(parent)

    assert seen == [box]
    assert box.windowTitle() == "About Optimizer Lab"
    details = box.detailedText()
    expected = {
        "Optimizer Lab": main.__version__,
        "Qt": qVersion(),
        "PySide6": pyside_version,
        "pyqtgraph": version("pyqtgraph"),
        "NumPy": numpy.__version__,
        "numba": version("numba"),
        "SymPy": version("sympy"),
        "numba cache": str(CACHE_DIR),
        "Log file": str(crash.log_path()),
    }
    for label, value in expected.items():
        assert f"{label}: {value}" in details
        assert value in box.text()
    assert str(tmp_path) in details
    assert "Python: 3." in details


def test_about_html_escapes_paths() -> None:
    html = about.about_html({"Log file": "/home/<odd>&name/log"})
    assert "&lt;odd&gt;&amp;name" in html


def test_about_gives_the_kernel_cache_notes_of_this_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window has no stderr to read: why the cache is temporary, or what was rebuilt, shows here."""
    from engine import _cache

    note = "kernel cache not used (/home/x/.cache/optimizer-lab belongs to uid 4242); …"
    monkeypatch.setattr(_cache, "NOTES", [note])
    assert about.about_info()["numba cache"] == f"{CACHE_DIR} — {note}"
