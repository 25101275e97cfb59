"""Run by test_language_switch in a fresh process: a race carried over to a window rebuilt in
Persian (the app's own switch does the same); prints what the test checks, as JSON.

A second window receiving chunks inside the pytest process crashed PySide (a queued slot call
segfaulted); the app never has two live windows in one event loop either.
"""

from __future__ import annotations

import json
import sys
import tempfile

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

QCoreApplication.setOrganizationName("optimizer-lab-tests")
QCoreApplication.setApplicationName("language switch")
QSettings.setDefaultFormat(QSettings.IniFormat)
QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, tempfile.mkdtemp())
app = QApplication([])

from gui.i18n import install_language  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

english_family = app.font().family()
first = MainWindow()
first.show()
out: dict[str, object] = {}
windows: list[MainWindow] = []


def numbers(window: MainWindow) -> dict[str, list]:
    return {n: [h.step.tolist(), h.vec("w").tolist(), h.loss.tolist()] for n, h in window.histories.items()}


def after(ms: int, then) -> None:
    QTimer.singleShot(ms, then)


def wait_for(check, then, ms: int = 20_000) -> None:
    """Poll ``check`` every 20 ms; ``then`` once true (exit 2 after ``ms``)."""
    left = [ms // 20]

    def poll() -> None:
        if check():
            then()
        elif left[0] <= 0:
            print(json.dumps({"timeout": then.__name__}))
            app.exit(2)
        else:
            left[0] -= 1
            after(20, poll)

    poll()


def ready() -> None:
    first.worker.race_reset.disconnect(ready)
    first.open_lesson(first.lessons[0])
    wait_for(lambda: first.lesson_panel.lesson is not None and first.histories, stepped)


def stepped() -> None:
    for _ in range(3):
        first.step_once()
    wait_for(lambda: all(h.last_step == 3 for h in first.histories.values()), edit)


def edit() -> None:
    name = next(iter(first.histories))
    racer = first.racers[name]
    first._racer_changed(racer.with_values(lr=racer.hyperparameters["lr"] * 0.5))  # as the editor does
    for _ in range(4):
        first.step_once()
    wait_for(lambda: all(h.last_step == 7 for h in first.histories.values()), switch)


def switch() -> None:
    out["before"] = numbers(first)
    out["racer"] = next(iter(first.histories))
    out["edited_lr"] = first.racers[out["racer"]].hyperparameters["lr"]
    state = first.race_state()
    first.close()
    install_language(app, "fa")
    second = MainWindow()
    windows.append(second)
    second.resume(state)
    second.show()
    second.start_engine()
    wait_for(lambda: second.histories and all(h.last_step == 7 for h in second.histories.values()), report)


def report() -> None:
    second = windows[0]
    name = out["racer"]
    out["after"] = numbers(second)
    out["lesson_kept"] = second.lesson_panel.lesson is not None and second.lesson_panel.lesson.config == (
        first.lesson_panel.lesson.config
    )
    out["lesson_tab"] = second.left_tabs.currentWidget() is second.lesson_panel
    out["editor_lr"] = second.racers[name].hyperparameters["lr"]
    out["lr_at"] = [second.race.settings_at(name, s).hyperparameters["lr"] for s in (2, 6)]
    out["rtl"] = second.layoutDirection() == Qt.RightToLeft
    second.close()
    install_language(app, "en")
    out["font_back"] = app.font().family() == english_family
    print(json.dumps(out))
    app.exit(0)


first.worker.race_reset.connect(ready)
first.start_engine()
sys.exit(app.exec())
