"""An unexpected exception logs a traceback and shows exactly one dialog naming the log file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QPushButton

from gui import crash


@pytest.fixture
def hooked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: object) -> list[dict[str, str]]:
    """Install the hook with the log in tmp_path; dialogs are recorded instead of blocking."""
    shown: list[dict[str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append(
            {
                "text": box.text(),
                "info": box.informativeText(),
                "details": box.detailedText(),
                "thread": threading.current_thread().name,
            }
        )
        return int(QMessageBox.StandardButton.Ok.value)

    monkeypatch.setenv("OPTIMIZER_LAB_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    crash.reset_for_tests()
    crash.install_excepthook()
    yield shown
    crash.reset_for_tests()


def _boom() -> None:
    raise ZeroDivisionError("the learning rate divided by zero")


@pytest.mark.qt_no_exception_capture
def test_exception_in_a_slot_shows_one_dialog_and_logs_the_traceback(qtbot, hooked) -> None:
    button = QPushButton("go")
    qtbot.addWidget(button)
    button.clicked.connect(_boom)
    button.click()
    qtbot.waitUntil(lambda: len(hooked) == 1)

    log = crash.log_path()
    assert log.parent.name == "logs"
    assert str(log) in hooked[0]["info"]
    assert "ZeroDivisionError: the learning rate divided by zero" in hooked[0]["text"]
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in _boom" in text
    assert "ZeroDivisionError: the learning rate divided by zero" in text


@pytest.mark.qt_no_exception_capture
def test_exception_from_the_event_loop_is_caught(qtbot, hooked) -> None:
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: len(hooked) == 1)
    assert "in _boom" in crash.log_path().read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_worker_thread_exception_is_shown_from_the_gui_thread(qtbot, hooked) -> None:
    worker = threading.Thread(target=_boom, name="simulation-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(hooked) == 1)
    assert hooked[0]["thread"] == threading.main_thread().name
    assert "'simulation-worker'" in crash.log_path().read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_exception_storm_shows_one_dialog_and_counts_the_rest(qtbot, hooked, monkeypatch) -> None:
    """Errors raised while the box is open (a paint handler failing every frame) are logged, not shown."""
    opened: list[str] = []

    def exec_that_meets_more_errors(box: QMessageBox) -> int:
        opened.append(box.text())
        for _ in range(5):
            try:
                _boom()
            except ZeroDivisionError:
                crash.handle_exception(*sys.exc_info())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_that_meets_more_errors)
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: len(opened) == 1)
    qtbot.wait(50)
    assert len(opened) == 1
    assert crash.suppressed_count() == 5
    assert crash.log_path().read_text(encoding="utf-8").count("Traceback (most recent call last)") == 6


@pytest.mark.qt_no_exception_capture
def test_dialogs_stop_after_the_session_limit(qtbot, hooked) -> None:
    for _ in range(crash.MAX_DIALOGS + 2):
        QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: crash.suppressed_count() == 2)
    assert len(hooked) == crash.MAX_DIALOGS


def test_without_a_qapplication_the_hook_only_logs(tmp_path: Path) -> None:
    """The CLI path: no Qt loaded, no dialog, but the traceback is still kept."""

    code = (
        "import sys\n"
        "from gui.crash import install_excepthook, log_path\n"
        "install_excepthook()\n"
        "print(log_path(), flush=True)\n"
        "assert 'PySide6.QtWidgets' not in sys.modules\n"
        "raise RuntimeError('headless failure')\n"
    )
    env = {**os.environ, "OPTIMIZER_LAB_LOG_DIR": str(tmp_path)}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert "RuntimeError: headless failure" in result.stderr
    log = Path(result.stdout.strip())
    assert log.parent == tmp_path
    assert "RuntimeError: headless failure" in log.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture
def test_headless_runs_log_without_a_dialog(qtbot, hooked, monkeypatch) -> None:
    """A benchmark or smoke run (nobody to click OK) must not block on a modal box."""
    monkeypatch.setenv("OPTIMIZER_LAB_EXIT_AFTER_SHOWN", "1")
    QTimer.singleShot(0, _boom)
    qtbot.waitUntil(lambda: crash.log_path().exists())
    qtbot.wait(20)
    assert hooked == []
    assert "in _boom" in crash.log_path().read_text(encoding="utf-8")


def test_the_version_comes_from_package_metadata_or_pyproject_without_importing_main(monkeypatch) -> None:
    import importlib.metadata
    import tomllib

    root = Path(__file__).resolve().parents[2]
    source_version = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "version"
    ]
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.8.7")
    assert crash.app_version() == "9.8.7"

    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert crash.app_version() == source_version
    code = "import sys, gui.crash, gui.about; print('main' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
