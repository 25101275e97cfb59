"""Run by test_gc_safety in a fresh process: a closed window left to the garbage collector, with
a collection due at (nearly) every allocation, then Qt's events processed. Prints "collected" if
the window's objects were freed and the process lived.

``automatic``: Python's own collector, which may run inside a Qt event handler.
``gui-thread``: the app's (gui.app.collect_in_gui_thread): a timer, between events.
"""

from __future__ import annotations

import gc
import sys
import weakref

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

app = QApplication([])

from gui.app import collect_in_gui_thread  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402

if sys.argv[1] == "gui-thread":
    collect_in_gui_thread(interval_s=0.05)
window = MainWindow()
window.close()
alive = weakref.ref(window)
del window
if alive() is None:
    raise SystemExit("the window was freed at once: no reference cycle left to collect")
loop = QEventLoop()  # Qt's events, until the window is freed (or 30 s have passed)
poll = QTimer(interval=10)
poll.timeout.connect(lambda: alive() is None and loop.quit())
poll.start()
QTimer.singleShot(30_000, loop.quit)
gc.set_threshold(1, 1, 1)  # (nearly) every allocation starts a pass: the first comes inside Qt's events
loop.exec()
print("collected" if alive() is None else "still alive", flush=True)
