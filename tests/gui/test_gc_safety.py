"""Garbage collection never runs inside a Qt event handler (the app's and the tests' policy).

A closed window lives on in reference cycles (slots, pyqtgraph's items) until a collection pass
frees it. Python starts a pass at whichever allocation crosses its threshold: possibly inside an
event handler that calls Python, such as a layout asking a pyqtgraph item for its size hint;
the window's Qt objects are then deleted while Qt still uses them. CI crashed so once, in
pytest-qt's teardown (``python tests/gui/_gc_child.py automatic`` shows it, where the window's
pending layouts make it happen). The app collects from a timer in the GUI thread instead
(gui.app.collect_in_gui_thread), and tests/conftest.py keeps Qt tests to the same rule.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _child(mode: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "PYTHONFAULTHANDLER": "1"}
    env["OPTIMIZER_LAB_CACHE_DIR"] = str(tmp_path / "kernels")  # the window as a test run builds it
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return subprocess.run(
        [sys.executable, str(ROOT / "tests/gui/_gc_child.py"), mode],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_apps_collector_frees_the_window_between_events(tmp_path) -> None:
    done = _child("gui-thread", tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert done.stdout.splitlines() == ["collected", "automatic collection off"]


def test_qt_tests_run_without_automatic_collection(qtbot) -> None:
    assert not gc.isenabled()  # tests/conftest.py: collected after the teardown instead


def test_other_tests_keep_it() -> None:
    assert gc.isenabled()
