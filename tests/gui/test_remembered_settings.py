"""Remembered things that fail (the race in the settings, a lesson file, a recent session, the settings
file itself) are dropped with a message; the window starts with defaults."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from engine.config import RacerConfig, SessionConfig
from engine.session import save_session
from gui import lessons as lessons_module
from gui.main_window import MainWindow
from gui.settings import MAX_SETTINGS_BYTES, guard_settings_files
from tests.gui.conftest import ENGINE_TIMEOUT_MS

HUGE = "1" + "0" * 400


def started(qtbot, notes=()) -> MainWindow:
    w = MainWindow(notes)
    qtbot.addWidget(w)
    w.show()
    with qtbot.waitSignal(w.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        w.start_engine()
    return w


def closed(w: MainWindow) -> None:
    w.close()
    assert w.worker.wait(5000)


def test_a_remembered_race_with_a_huge_number_is_dropped_and_the_window_starts(
    qtbot, isolated_settings
) -> None:
    remembered = SessionConfig(steps=123, racers=(RacerConfig("adam"),)).to_dict()
    text = json.dumps(remembered).replace('"tol": 1e-10', f'"tol": {HUGE}')
    assert HUGE in text
    QSettings().setValue("config", text)
    w = started(qtbot)
    try:
        assert w.config.steps == SessionConfig().steps  # the defaults
        note = w.statusBar().currentMessage()
        assert note.startswith(
            "The remembered race could not be used, so the window starts with the defaults"
        )
        assert "tol must be a finite number, got 1000…000 (401 digits)" in note
        assert QSettings().value("config") is None  # dropped: the next start is clean
    finally:
        closed(w)


def test_a_lesson_file_with_a_huge_number_does_not_stop_the_window(
    qtbot, isolated_settings, tmp_path, monkeypatch
) -> None:
    folder = tmp_path / "lessons"
    folder.mkdir()
    data = json.loads(next(lessons_module.LESSONS_DIR.glob("*.json")).read_text(encoding="utf-8"))
    data["session"]["racers"][0].setdefault("hyperparameters", {})["lr"] = "@HUGE@"
    raw = json.dumps(data).replace('"@HUGE@"', HUGE)
    (folder / "broken.json").write_text(raw, encoding="utf-8")
    monkeypatch.setattr(lessons_module, "LESSONS_DIR", folder)
    w = started(qtbot)
    try:
        assert w.lessons == []
        note = w.statusBar().currentMessage()
        assert note.startswith("broken.json: session: racer 1")
        assert "lr must be a finite number, got 1000…000 (401 digits)" in note
    finally:
        closed(w)


def test_a_recent_session_that_fails_is_dropped_with_a_message(
    qtbot, isolated_settings, tmp_path, monkeypatch
) -> None:
    good, bad = tmp_path / "good.olab.json", tmp_path / "bad.olab.json"
    save_session(SessionConfig(), good)
    bad.write_text(good.read_text().replace('"tol": 1e-10', f'"tol": {HUGE}'))
    QSettings().setValue("recent", json.dumps([str(bad), str(good)]))
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    w = started(qtbot)
    try:
        assert w.sessions.recent() == [str(bad), str(good)]
        assert not w.open_session(bad)
        assert w.sessions.recent() == [str(good)]
        assert [a.text() for a in w.recent_menu.actions()] == [str(good)]
        assert "tol must be a finite number" in shown[0] and "removed from the recent sessions" in shown[0]
    finally:
        closed(w)


def test_remembered_json_that_is_garbage_is_ignored(qtbot, isolated_settings) -> None:
    QSettings().setValue("recent", "{" * 100_000)
    QSettings().setValue("config", "[" * 100_000)
    w = started(qtbot)
    try:
        assert w.sessions.recent() == [] and w.config.steps == SessionConfig().steps
        assert "remembered config is nested too deeply" in w.statusBar().currentMessage()
    finally:
        closed(w)


def test_start_notes_are_shown(qtbot, isolated_settings) -> None:
    w = started(qtbot, ["The settings file x could not be used."])
    try:
        assert "The settings file x could not be used." in w.statusBar().currentMessage()
    finally:
        closed(w)


# -- the settings file itself ---------------------------------------------------------------------------
def test_a_fifo_device_or_huge_settings_file_is_moved_aside(tmp_path) -> None:
    fifo, device, huge, fine = (tmp_path / n for n in ("fifo.conf", "device.conf", "huge.conf", "fine.conf"))
    os.mkfifo(fifo)
    device.symlink_to("/dev/zero")
    huge.write_bytes(b"x" * (MAX_SETTINGS_BYTES + 1))
    fine.write_text("[General]\nlanguage=fa\n")
    notes = guard_settings_files([fifo, device, huge, fine, tmp_path / "missing.conf"])
    assert len(notes) == 3
    assert (
        "fifo.conf could not be used (it is not a regular file); it was moved to fifo.conf.unusable-"
        in notes[0]
    )
    assert "device.conf could not be used (it is not a regular file)" in notes[1]
    assert "1,000,001 bytes is over the limit of 1,000,000" in notes[2]
    assert sorted(p.name.split(".unusable-")[0] for p in tmp_path.iterdir()) == [
        "device.conf",
        "fifo.conf",
        "fine.conf",
        "huge.conf",
    ]
    assert not any(p.exists() and not p.is_symlink() for p in (fifo, huge)) and not device.is_symlink()
    assert fine.read_text() == "[General]\nlanguage=fa\n"


def test_the_guard_checks_the_files_qt_reads(monkeypatch, tmp_path, qapp) -> None:
    """With XDG_CONFIG_HOME set, a FIFO where QSettings would read is moved aside before Qt reads it."""
    from PySide6.QtCore import QStandardPaths

    from gui import settings

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    QStandardPaths.setTestModeEnabled(False)
    files = settings.settings_files()
    assert files[0].parent.parent == Path(tmp_path) and files[0].suffix == ".conf"
    files[0].parent.mkdir(parents=True)
    os.mkfifo(files[0])
    notes = guard_settings_files()
    assert len(notes) == 1 and not files[0].exists()


@pytest.mark.skipif(os.name != "posix", reason="FIFOs are POSIX")
def test_the_app_starts_with_a_fifo_as_its_settings_file(tmp_path) -> None:
    """The real start-up path: ``main.py`` with a FIFO where the settings file is; the window shows."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "QT_QPA_PLATFORM": "offscreen",
        "OPTIMIZER_LAB_EXIT_AFTER_SHOWN": "1",
    }
    from gui.app import APP_NAME as app
    from gui.app import ORG_NAME as org

    settings_file = home / ".config" / org / f"{app}.conf"
    settings_file.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(settings_file)
    proc = subprocess.run(
        [sys.executable, "main.py"], cwd=root, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not settings_file.exists() or settings_file.is_file()
    assert any(p.name.startswith(f"{app}.conf.unusable-") for p in settings_file.parent.iterdir())


def test_leftovers_in_remembered_folders_are_removed_at_start(
    qtbot, isolated_settings, tmp_path, monkeypatch
) -> None:
    """A save killed mid-write left a temporary file in the sessions folder; the next start removes it."""
    import subprocess
    import sys
    import time

    from engine import atomic

    monkeypatch.setattr(atomic, "_cleaned", set())
    dead = int(
        subprocess.run(
            [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
        ).stdout
    )
    sessions, exports = tmp_path / "sessions", tmp_path / "exports"
    sessions.mkdir()
    exports.mkdir()
    old = time.time() - atomic.GRACE_SECONDS - 5
    stale = [
        sessions / f".race.olab.json{atomic.TMP_MARK}{dead}-0123abcd.json",
        exports / f".race.mp4{atomic.TMP_MARK}{dead}-0123abcd.mp4",
    ]
    for p in stale:
        p.write_text("half")
        os.utime(p, (old, old))
    fresh = (
        sessions / f".b.olab.json{atomic.TMP_MARK}{dead}-0123abcd.json"
    )  # maybe another machine's, writing now
    fresh.write_text("x")
    QSettings().setValue("session_dir", str(sessions))
    QSettings().setValue("export_dir", str(exports))
    w = started(qtbot)
    try:
        assert not any(p.exists() for p in stale) and fresh.exists()
    finally:
        closed(w)


def test_plots_show_first_n_steps_is_remembered_between_starts(qtbot, isolated_settings) -> None:
    """A teacher who picks "the first 50 steps" finds it again at the next start; a value no
    longer offered (or garbage) falls back to all steps."""
    first = MainWindow()
    qtbot.addWidget(first)
    combo = first.step_window_combo
    combo.setCurrentIndex(combo.findData(50))
    assert first.panels.step_window == 50
    first.close()
    assert QSettings().value("step_window") in (50, "50")
    second = MainWindow()
    qtbot.addWidget(second)
    assert second.step_window_combo.currentData() == 50
    assert second.panels.step_window == 50  # the plots too, not only the list
    second.close()
    for stored in (37, "garbage"):
        QSettings().setValue("step_window", stored)
        third = MainWindow()
        qtbot.addWidget(third)
        assert third.step_window_combo.currentData() is None
        assert third.panels.step_window is None
        third.close()
