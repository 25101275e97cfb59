"""``main.py lab1.olab.json`` (a double-click on a session file): the window races that session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox

from engine.config import SessionConfig
from gui.main_window import MainWindow
from tests.gui.conftest import ENGINE_TIMEOUT_MS, close_and_join

LAB1 = Path(__file__).resolve().parents[2] / "resources" / "sessions" / "lab1.olab.json"


def started(qtbot, session: Path, configured: list[str] | None = None) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    if configured is not None:  # the losses the worker is asked to race, in order
        configure = window.worker.configure
        window.worker.configure = lambda config, **kw: (
            configured.append(config.loss) or configure(config, **kw)
        )
    window.open_at_start(session)
    window.show()
    with qtbot.waitSignal(window.worker.race_reset, timeout=ENGINE_TIMEOUT_MS):
        window.start_engine()
    return window


def test_the_session_given_at_start_races_instead_of_the_remembered_one(qtbot, isolated_settings) -> None:
    configured: list[str] = []
    window = started(qtbot, LAB1, configured)
    try:
        assert window.config.loss == "rosenbrock" and window.config.start == (-1.2, 1.0)
        assert [r.optimizer for r in window.race.config.racers] == ["adagrad", "rmsprop", "adam"]
        assert window.surface.spec() == "rosenbrock"
        assert sorted(window.histories) == sorted(r.key for r in window.race.config.racers)
        assert window.sessions.path == LAB1  # File ▸ Save offers it again
        assert configured == ["rosenbrock"]  # no race was made before it
    finally:
        close_and_join(qtbot, window)


def test_a_session_that_cannot_be_opened_is_said_and_the_usual_race_starts(
    qtbot, isolated_settings, tmp_path, monkeypatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: messages.append(text))
    broken = tmp_path / "lab 2.olab.json"
    broken.write_text('{"format": "optimizer-lab-session", "version": 1, "loss": ', encoding="utf-8")
    window = started(qtbot, broken)
    try:
        assert len(messages) == 1 and "lab 2.olab.json" in messages[0]
        assert window.config.loss == SessionConfig().loss  # the default race, on its surface
        assert window.surface.spec() == SessionConfig().loss
    finally:
        close_and_join(qtbot, window)
